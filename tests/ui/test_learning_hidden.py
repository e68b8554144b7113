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
    before = panel.trainer
    panel.hide()
    rgb = np.random.default_rng(1).uniform(0, 255, (60, 30, 3))
    doc.apply(image=rgb)
    assert panel.driver.progress.trainer is before and not panel.driver.runner.pending   # nothing while hidden
    assert panel.stale
    panel.show()                                             # caught up when shown
    qtbot.waitUntil(lambda: panel.driver.progress.trainer is not before, timeout=10000)
    np.testing.assert_allclose(panel.driver.progress.trainer.image, working_copy(rgb).image)
    panel.hide()
    doc.apply(image=rgb[..., 0])
    np.testing.assert_allclose(panel.trainer.image, working_copy(rgb[..., 0]).image)   # or when asked
    panel.close()


def test_a_state_change_while_hidden_waits_too(qtbot):
    doc = ConvDocument(image=np.random.default_rng(0).uniform(0, 255, (40, 50)))
    panel = LearningPanel(doc)
    qtbot.addWidget(panel)
    panel.show()
    assert panel.trainer.kernel_shape == (3, 3)
    panel.hide()
    panel.state.apply(kernel_size=5, iterations=300, phase=5)   # e.g. a session opened while another tab shows
    assert panel.driver.progress.trainer.kernel_shape == (3, 3) and not panel.driver.runner.pending
    assert panel.trainer.kernel_shape == (5, 5) and panel.trainer.iteration == 300
    panel.close()


def test_closing_the_panel_stops_its_worker_for_good(qtbot):
    doc = ConvDocument(image=np.random.default_rng(0).uniform(0, 255, (40, 50)))
    panel = LearningPanel(doc)
    qtbot.addWidget(panel)
    panel.show()
    panel.apply_lesson_settings({"iterations": 4000, "phase": 5})
    assert panel.driver.preparing                   # a long replay is computing in the background
    drawn = panel.driver.progress
    panel.close()
    assert panel.driver.closed and not panel.driver.runner.pending
    panel.state.apply(kernel_size=5, iterations=300, phase=5)   # e.g. a lesson's last slide while the window closes
    panel.driver.sync(panel._request(), now=False)
    panel.driver.load("any.png", (40, 50))
    assert not panel.driver.start()
    qtbot.wait(50)
    assert panel.driver.progress is drawn and not panel.driver.runner.pending and not panel.driver.loader.pending
