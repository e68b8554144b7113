"""The shared fixture of the lesson tests: the real main window at the classroom size (1280×800), shown."""

from __future__ import annotations

import pytest
from ui_support import app_font, make_window


@pytest.fixture
def window(qtbot, tmp_path):
    w = make_window(qtbot, tmp_path)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()


@pytest.fixture(autouse=True, scope="session")
def _pyqtgraph_configured():
    """As the app does when it starts (panels are also built on their own in these tests)."""
    from convviz.ui.app import configure_pyqtgraph

    configure_pyqtgraph()


@pytest.fixture
def learning_panel(qtbot):
    """The Learned filters panel on its own (its own workspace and undo stack), on a 40×40 noise
    image, shown at 1200×800; closing it must leave no run going."""
    import numpy as np

    from convviz.model import ConvDocument
    from convviz.ui.learning.panel import LearningPanel

    panel = LearningPanel(ConvDocument(image=np.random.default_rng(3).uniform(0, 255, (40, 40))))
    qtbot.addWidget(panel)
    panel.resize(1200, 800)
    panel.show()
    qtbot.waitExposed(panel)
    yield panel
    panel.close()
    assert not panel.is_running() and not panel.driver.runner.pending


@pytest.fixture
def show_panel(qtbot):
    """``show_panel(panel)``: a panel built on its own, at 1280×760 and shown (as the tab tests use it)."""

    def show(panel):
        qtbot.addWidget(panel)
        panel.resize(1280, 760)
        panel.show()
        qtbot.waitExposed(panel)
        return panel

    return show


@pytest.fixture
def grid_texts():
    """``grid_texts(grid)``: a cell grid's texts as drawn, row by row ('' for cells not filled in yet)."""

    def texts(grid):
        rows, cols = grid.shape()
        return [[grid.cell_text(r, c) for c in range(cols)] for r in range(rows)]

    return texts


@pytest.fixture
def big_font(qapp):
    """The application font at 27 pt (presentation mode ×3 on a 9 pt desktop), restored afterwards."""
    with app_font(27.0) as big:
        yield big
