"""The step-through player does no work for document changes while its tab is hidden."""

import numpy as np

from convviz.model import ConvDocument
from convviz.model.numeric_input import LECTURE_IMAGE, LECTURE_KERNEL
from convviz.ui.player.panel import PlayerPanel


def test_hidden_player_rebuilds_only_when_shown_or_asked(qtbot):
    doc = ConvDocument(image=LECTURE_IMAGE, kernel=LECTURE_KERNEL, preset=None, padding="valid")
    panel = PlayerPanel(doc)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitExposed(panel)
    assert panel.step_count == 9
    panel.hide()
    rebuilt = []
    original = panel.drawer.rebuild
    panel.drawer.rebuild = lambda *a, **k: rebuilt.append(1) or original(*a, **k)
    for i in range(5):
        doc.apply(kernel=np.full((2, 2), float(i + 1)), preset=None)
    qtbot.wait(50)                                   # the event loop runs: still no rebuild
    assert rebuilt == []
    panel.show()                                     # shown: one rebuild for all five edits
    assert len(rebuilt) == 1
    assert panel.current_step.value == float(np.sum(LECTURE_IMAGE[:2, :2] * 5.0))
    panel.hide()
    doc.apply(kernel=np.ones((3, 3)), preset=None)
    assert panel.step_count == 4 and len(rebuilt) == 2  # a public call while hidden catches up
    panel.close()
