"""LatestResultRunner: newest submission wins, stale results are dropped, busy after a delay."""

import threading

import pytest

from convviz.ui.compute_worker import LatestResultRunner


def _blocking(event: threading.Event, value):
    event.wait(10)
    return value


def test_newest_result_wins_and_stale_ones_are_dropped(qtbot):
    runner = LatestResultRunner()
    gate = threading.Event()
    results, ran = [], []
    runner.finished.connect(results.append)
    runner.submit(_blocking, gate, "first")           # starts and blocks
    runner.submit(lambda: ran.append("second") or "second")   # waits in the queue ...
    runner.submit(lambda: "third")                    # ... and is cancelled by this one
    assert runner.pending
    with qtbot.waitSignal(runner.finished, timeout=10000):
        gate.set()
    assert results == ["third"]
    assert ran == []                                  # the cancelled job never ran
    assert runner.dropped == 2                        # "second" taken out, "first" dropped when it came back
    assert not runner.pending
    runner.shutdown()


def test_a_late_old_result_never_overwrites_a_newer_one(qtbot):
    runner = LatestResultRunner()
    gate = threading.Event()
    results = []
    runner.finished.connect(results.append)
    runner.submit(_blocking, gate, "old")
    runner.submit(lambda: "new")
    gate.set()
    qtbot.waitUntil(lambda: not runner.pending and bool(results), timeout=10000)
    qtbot.wait(50)  # let any queued outcome arrive
    assert results == ["new"]
    runner.shutdown()


def test_failure_is_reported_as_a_message(qtbot):
    runner = LatestResultRunner()

    def bad():
        raise ValueError("kernel larger than the image")

    with qtbot.waitSignal(runner.failed, timeout=10000) as blocker:
        runner.submit(bad)
    assert blocker.args == ["kernel larger than the image"]
    runner.shutdown()


def test_busy_is_signalled_only_after_the_delay(qtbot):
    runner = LatestResultRunner(busy_delay_ms=20)
    gate = threading.Event()
    states = []
    runner.busyChanged.connect(states.append)
    runner.submit(_blocking, gate, 1)
    assert not runner.busy
    qtbot.waitUntil(lambda: runner.busy, timeout=5000)
    with qtbot.waitSignal(runner.finished, timeout=10000):
        gate.set()
    assert states == [True, False]
    runner.shutdown()


def test_quick_results_never_show_busy(qtbot):
    runner = LatestResultRunner(busy_delay_ms=5000)
    states = []
    runner.busyChanged.connect(states.append)
    with qtbot.waitSignal(runner.finished, timeout=10000) as blocker:
        runner.submit(lambda a, b: a + b, 2, 3)
    assert blocker.args == [5] and states == []
    runner.shutdown()


def test_shutdown_waits_and_silences(qtbot):
    runner = LatestResultRunner()
    gate = threading.Event()
    results = []
    runner.finished.connect(results.append)
    runner.submit(_blocking, gate, "x")
    threading.Timer(0.05, gate.set).start()
    runner.shutdown()
    qtbot.wait(30)
    assert results == [] and not runner.busy
    with pytest.raises(RuntimeError):
        runner.submit(lambda: 1)
