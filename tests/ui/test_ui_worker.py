"""LatestResultRunner: newest submission wins, stale results are dropped, busy after a delay."""

import threading
import time

import numpy as np
import pytest

from convviz.ui.worker import LatestResultRunner


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


def test_finished_jobs_keep_neither_their_arguments_nor_their_results(qtbot):
    """Hundreds of submissions of a few-MB array: every argument and result is freed."""
    import gc
    import weakref

    runner = LatestResultRunner()
    arg_refs, results = [], []
    runner.finished.connect(lambda r: results.append(weakref.ref(r)))
    for _ in range(300):
        a = np.ones((500, 500))          # 2 MB
        arg_refs.append(weakref.ref(a))
        runner.submit(np.negative, a)
        del a
        qtbot.wait(0)
    qtbot.waitUntil(lambda: not runner.pending, timeout=10000)
    qtbot.wait(10)
    gc.collect()
    assert sum(r() is not None for r in arg_refs) == 0
    assert results and all(r() is None for r in results)
    runner.shutdown()


def test_a_long_job_sees_that_it_was_superseded(qtbot):
    import threading

    runner = LatestResultRunner()
    started, seen = threading.Event(), []

    def long_job(*, cancelled):
        started.set()
        for _ in range(500):
            if cancelled():
                seen.append("stopped")
                return "partial"
            time.sleep(0.01)
        return "complete"

    with qtbot.waitSignal(runner.finished, timeout=10000) as blocker:
        runner.submit(long_job, cancelled=True)
        assert started.wait(5)
        runner.submit(lambda: "newest")
    assert blocker.args == ["newest"] and seen == ["stopped"]
    runner.shutdown()
