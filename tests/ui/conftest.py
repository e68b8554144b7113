"""The shared fixture of the lesson tests: the real main window at the classroom size (1280×800), shown."""

from __future__ import annotations

import pytest
from ui_support import make_window


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
