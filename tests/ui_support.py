"""Shared helpers for the UI tests: an isolated QSettings file and waiting for the output."""

from __future__ import annotations

from PySide6.QtCore import QSettings


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
