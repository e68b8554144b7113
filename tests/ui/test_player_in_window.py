"""The player inside the main window: its tab, the shared document, shortcuts and cleanup."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QSlider, QWidget

from convviz.model import steps

ui = pytest.importorskip("convviz.ui.main_window")


@pytest.fixture
def window(qtbot):
    w = ui.MainWindow()
    qtbot.addWidget(w)
    w.resize(1400, 900)
    w.show()
    qtbot.waitExposed(w)
    return w


def test_player_tab_is_there_and_follows_the_document(qtbot, window):
    assert window.findChild(QWidget, "playerPanel") is None      # built when its tab is first shown
    index = window.tabs.indexOf(window.panel_pages["player"])
    assert window.tabs.tabText(index) == "Step through"
    window.tabs.setCurrentIndex(index)
    panel = window.findChild(QWidget, "playerPanel")
    assert panel is window.panels["player"] and panel.isVisible()
    for name, cls in [("playButton", QPushButton), ("stepForwardButton", QPushButton),
                      ("stepBackButton", QPushButton), ("stepSlider", QSlider), ("stepReadout", QLabel)]:
        assert window.findChild(cls, name) is not None, name
    qtbot.mouseClick(window.findChild(QPushButton, "lectureExampleButton"), Qt.MouseButton.LeftButton)
    assert window.document.image.shape == (4, 4)
    assert window.statusBar().currentMessage().startswith(f"Image: {window.document.image_name} (4×4 grey)")
    assert window.image_path is None
    qtbot.mouseClick(window.findChild(QPushButton, "stepForwardButton"), Qt.MouseButton.LeftButton)
    seq = steps(window.document.image, window.document.kernel)
    assert panel.step_count == 9 and panel.step_index == 1
    assert seq[1].expression in window.findChild(QLabel, "stepReadout").text()
    # an edit made elsewhere reaches the player once the event loop runs
    window.document.apply(kernel=np.array([[0.0, 1.0], [1.0, 0.0]]), preset=None)
    qtbot.waitUntil(lambda: "(10×1)" in window.findChild(QLabel, "stepReadout").text())


def test_clicker_keys_work_right_after_switching_to_the_tab(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.tabs.tabBar().setFocus()
    window.tabs.setCurrentWidget(window.panel_pages["player"])
    panel = window.findChild(QWidget, "playerPanel")
    qtbot.waitUntil(lambda: panel.isAncestorOf(QApplication.focusWidget()) or QApplication.focusWidget() is panel)
    start = panel.step_index
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_PageDown)
    assert panel.step_index == start + 1
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_PageUp)
    assert panel.step_index == start


def test_closing_the_window_stops_the_player(qtbot, window):
    assert window.show_panel("player")
    panel = window.findChild(QWidget, "playerPanel")
    panel.play()
    assert panel.is_playing()
    window.close()
    assert not panel.is_playing()
    assert not any(t.isActive() for t in panel.findChildren(QTimer))
    QApplication.processEvents()
