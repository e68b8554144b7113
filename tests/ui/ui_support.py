"""Shared helpers for the UI tests (and benchmarks/bench_ui.py): an isolated QSettings file,
waiting for the output, measuring how long the event loop went unserved, and the presentation-fit
helpers (the application font made larger for a block, letting layouts settle, where a widget stands)."""

from __future__ import annotations

import time
from contextlib import contextmanager

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication


def temp_settings(tmp_path) -> QSettings:
    """A QSettings in ``tmp_path`` so tests never read or change the user's settings."""
    return QSettings(str(tmp_path / "convviz-test.ini"), QSettings.Format.IniFormat)


def make_window(qtbot, tmp_path, **kwargs):
    from convviz.ui import MainWindow

    window = MainWindow(settings=temp_settings(tmp_path), **kwargs)
    qtbot.addWidget(window)
    wait_output(qtbot, window)
    return window


def wait_output(qtbot, window, timeout=20000):
    """Wait until every document change has been computed and drawn."""
    qtbot.waitUntil(lambda: not window.computing and window.output is not None, timeout=timeout)


@contextmanager
def event_loop_gaps(interval_ms: int = 5):
    """Yield a list that fills, while the block runs, with the seconds between ticks of an
    ``interval_ms`` timer: the longest gap is the longest time the GUI thread handled no events."""
    gaps: list[float] = []
    last = time.perf_counter()

    def tick():
        nonlocal last
        now = time.perf_counter()
        gaps.append(now - last)
        last = now

    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(interval_ms)
    try:
        yield gaps
    finally:
        timer.stop()


@contextmanager
def app_font(points: float | None = None, *, factor: float | None = None):
    """The application font at ``points`` (or ``factor`` times its size) while the block runs, as presentation
    mode sets it; yields that font and restores the one before afterwards."""
    original = QFont(QApplication.font())
    big = QFont(original)
    big.setPointSizeF(float(points) if points is not None else original.pointSizeF() * float(factor))
    QApplication.setFont(big)
    try:
        yield big
    finally:
        QApplication.setFont(original)


def settle(qtbot=None, rounds: int = 6) -> None:
    """Deliver the events a font or size change posted (and wait 10 ms with ``qtbot``), so layouts are final."""
    for _ in range(rounds):
        QApplication.processEvents()
    if qtbot is not None:
        qtbot.wait(10)


def top_in(ancestor, widget) -> int:
    """The y of ``widget``'s top edge in ``ancestor``'s coordinates."""
    return widget.mapTo(ancestor, widget.rect().topLeft()).y()


def in_editing_chrome(widget, panel) -> bool:
    """True when ``widget`` or one of its parents below ``panel`` is marked editing chrome (presentation mode
    hides it)."""
    from convviz.ui.widgets.chrome import is_editing_chrome

    while widget is not None and widget is not panel:
        if is_editing_chrome(widget):
            return True
        widget = widget.parentWidget()
    return False
