"""The player's and the learning panel's fonts follow the application font, which presentation mode scales."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QLabel

from convviz.model import ConvDocument
from convviz.model.numeric_input import LECTURE_IMAGE, LECTURE_KERNEL
from convviz.ui.player import PlayerPanel


@pytest.fixture
def panel(qtbot):
    p = PlayerPanel(ConvDocument(image=LECTURE_IMAGE, kernel=LECTURE_KERNEL, preset=None, padding="valid"))
    qtbot.addWidget(p)
    p.resize(1400, 1000)    # tall enough that ×2 fonts are not capped (see the test of the cap)
    p.show()
    qtbot.waitExposed(p)
    yield p
    p.close()


@pytest.fixture
def app_font(qapp):
    original = QFont(QApplication.font())
    yield original
    QApplication.setFont(original)


def _scaled(font: QFont, factor: float) -> QFont:
    out = QFont(font)
    out.setPointSizeF(font.pointSizeF() * factor)
    return out


def test_player_fonts_scale_with_the_application_font(panel, app_font, qtbot):
    assert QFontDatabase.families()
    readout = panel.findChild(QLabel, "stepReadout")
    total = panel.findChild(QLabel, "sumLabel")
    position = panel.findChild(QLabel, "stepPositionLabel")
    grid = panel.findChild(type(panel.view.input_grid), "playerInputGrid")
    before = (readout.font().pointSizeF(), total.font().pointSizeF(), position.width(),
              panel.view.side.minimumWidth(), grid._title_height())
    assert readout.font().pointSizeF() > app_font.pointSizeF()          # larger than the ordinary text
    assert total.font().bold() and total.font().pointSizeF() > readout.font().pointSizeF()

    QApplication.setFont(_scaled(app_font, 2.0))
    qtbot.waitUntil(lambda: readout.font().pointSizeF() > before[0] * 1.5)
    assert readout.font().pointSizeF() == pytest.approx(before[0] * 2, rel=0.02)
    assert total.font().pointSizeF() == pytest.approx(before[1] * 2, rel=0.02)
    assert position.width() > before[2] * 1.5                           # "step 1 / 196" is not cut off
    n = panel.step_count                                                # the longest position text fits
    assert position.fontMetrics().horizontalAdvance(f"step {n} / {n}") < position.width()
    assert panel.view.side.minimumWidth() > before[3]                       # the side column grows
    assert grid._title_height() > before[4]                             # the cells make room for the title

    QApplication.setFont(app_font)
    qtbot.waitUntil(lambda: readout.font().pointSizeF() < before[0] * 1.5)
    assert readout.font().pointSizeF() == pytest.approx(before[0], rel=0.02)
    assert position.width() == before[2]


def test_player_fonts_follow_presentation_mode(qtbot, tmp_path, app_font):
    from ui_support import make_window

    window = make_window(qtbot, tmp_path)
    window.show()
    player = window.panel("player")
    window.show_panel("player")
    readout = player.findChild(QLabel, "stepReadout")
    before = readout.font().pointSizeF()
    presentation = window.classroom.presentation
    presentation.set_scale(1.5)
    presentation.enter()
    try:
        qtbot.waitUntil(lambda: readout.font().pointSizeF() > before * 1.2)
        assert readout.font().pointSizeF() == pytest.approx(before * 1.5, rel=0.02)
    finally:
        presentation.leave()
    qtbot.waitUntil(lambda: readout.font().pointSizeF() < before * 1.2)
    window.close()


def test_learning_phase_sentence_and_chips_scale_with_the_application_font(qtbot, app_font):
    from convviz.ui.learning.panel import LearningPanel

    panel = LearningPanel(ConvDocument())
    qtbot.addWidget(panel)
    panel.resize(1400, 1100)          # tall enough that the sentence's size is not capped by the panel's height
    panel.show()
    before_label = panel.phase_label.font().pointSizeF()
    before_chip = panel.phase_chips[0].font().pointSizeF()
    assert before_label == pytest.approx(app_font.pointSizeF() * 1.25, rel=0.02)
    QApplication.setFont(_scaled(app_font, 2.0))
    qtbot.waitUntil(lambda: panel.phase_label.font().pointSizeF() > before_label * 1.5)
    assert panel.phase_label.font().pointSizeF() == pytest.approx(before_label * 2, rel=0.02)
    assert panel.phase_chips[0].font().pointSizeF() == pytest.approx(before_chip * 2, rel=0.02)
    panel.close()
