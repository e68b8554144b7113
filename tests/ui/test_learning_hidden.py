"""The learned-filters panel does no work for document changes while its tab is hidden."""

import numpy as np

from convviz.model import ConvDocument
from convviz.model.training import working_copy
from convviz.ui.learning.panel import LearningPanel


def test_hidden_panel_catches_up_when_shown_or_asked(qtbot):
    doc = ConvDocument(image=np.random.default_rng(0).uniform(0, 255, (40, 50)))
    panel = LearningPanel(doc)
    qtbot.addWidget(panel)
    panel.show()
    before = panel._trainer
    panel.hide()
    rgb = np.random.default_rng(1).uniform(0, 255, (60, 30, 3))
    doc.apply(image=rgb)
    assert panel._trainer is before                          # nothing rebuilt while hidden
    panel.show()
    assert panel._trainer is not before                      # caught up when shown
    np.testing.assert_allclose(panel._trainer.image, working_copy(rgb).image)
    panel.hide()
    doc.apply(image=rgb[..., 0])
    np.testing.assert_allclose(panel.trainer.image, working_copy(rgb[..., 0]).image)   # or when asked
    panel.close()
