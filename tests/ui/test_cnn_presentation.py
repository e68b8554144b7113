"""The Learn from labels tab on a projector (issue #12): the settings rows are editing chrome (hidden while
presenting, back after), the lecture buttons stay; on a short panel with presentation fonts the words are
capped, the pictures fill the view and the curves follow below (never sideways); the maps are drawn as
large as their view allows, numbered above them; the confusion matrix's numbers grow with their cells and
are never cut; plot titles fit their plots."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QFontMetricsF
from ui_support import app_font

from convviz.model import ConvDocument
from convviz.ui.cnn.confusion_view import ConfusionView
from convviz.ui.cnn.mosaic_view import PictureView
from convviz.ui.cnn.panel import CNNPanel
from convviz.ui.widgets.chrome import is_editing_chrome

WAIT = 120_000


@pytest.fixture
def big_fonts(qapp):
    """The application font ×3, as presentation mode's largest scale (restored afterwards)."""
    with app_font(factor=3):
        yield


def test_settings_rows_hide_while_presenting_and_come_back(window, qtbot):
    window.show_panel("cnn")
    panel = window.panel("cnn")
    c, b = panel.controls, panel.board
    lecture = (c.phase_button, c.batch_button, c.train_button, c.reset_button)
    assert is_editing_chrome(c.settings_row) and is_editing_chrome(b.send_row)
    assert not any(is_editing_chrome(w) for w in (c.button_row, *lecture, b.test_spin))
    assert c.settings_row.isVisible() and b.send_row.isVisible()
    presentation = window.classroom.presentation
    presentation.enter()
    try:
        qtbot.waitUntil(lambda: not c.settings_row.isVisible())
        assert not b.send_row.isVisible() and not c.filters_spin.isVisible() and not c.speed_box.isVisible()
        assert all(w.isVisible() for w in (*lecture, b.test_spin, b.filter_view, b.confusion_view))
        assert len({w.y() for w in lecture}) == 1                      # compact: one row
    finally:
        presentation.leave()
    assert c.settings_row.isVisible() and b.send_row.isVisible() and c.speed_box.isVisible()


def test_a_short_panel_shows_the_pictures_first_and_the_curves_below(qtbot, big_fonts):
    panel = CNNPanel(ConvDocument())
    qtbot.addWidget(panel)
    panel.resize(1000, 700)
    panel.controls.settings_row.hide()                    # as presentation mode hides it
    panel.show()
    qtbot.waitExposed(panel)
    try:
        qtbot.waitUntil(panel.shows_state, timeout=WAIT)
        b = panel.board
        qtbot.waitUntil(lambda: b.plan is not None and b.plan.pages)
        assert panel.controls.phase_button.fontInfo().pixelSize() <= 700 / 30 + 1          # words capped
        assert panel.phases.label.fontInfo().pixelSize() <= 1.25 * 700 / 30 + 1
        view = b.viewport()
        qtbot.waitUntil(lambda: b.pictures.height() == view.height()            # the first screen: pictures
                        and b.curves.y() >= b.pictures.y() + b.pictures.height())  # then the curves
        assert b.curves.height() <= view.height()
        assert b.verticalScrollBar().maximum() > 0 and not b.horizontalScrollBar().isVisible()
        assert panel.minimumSizeHint().width() <= panel.width() and panel.minimumSizeHint().height() < 700
        for w in (panel.controls.reset_button, *panel.phases.chips, b.probability_view, b.confusion_view):
            assert w.mapTo(panel, QPoint(w.width(), 0)).x() <= panel.width(), w.objectName()
        fit = b.filter_view.fit
        assert fit.tile[0] >= 48 and fit.label_height > 0                      # filters large, numbered
        for view_ in (b.loss_view, b.accuracy_view, b.probability_view):
            qtbot.waitUntil(lambda v=view_: _title_inside(v))
        b.ensureWidgetVisible(b.confusion_view)
        qtbot.waitUntil(lambda: b.verticalScrollBar().value() > 0)
    finally:
        panel.close()
        panel.shutdown()


def _title_inside(view) -> bool:
    item = view.getPlotItem().titleLabel.item
    title = item.mapRectToScene(item.boundingRect())
    return title.left() >= -1 and title.right() <= view.width() + 1


def test_clicking_a_feature_map_chooses_its_filter(qtbot, show_panel):
    panel = show_panel(CNNPanel(ConvDocument()))
    try:
        qtbot.waitUntil(panel.shows_state, timeout=WAIT)
        view = panel.board.feature_view
        y, x = view.fit.origins[2]
        h, w = view.fit.tile
        qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=QPoint(x + w // 2, y + h // 2))
        assert panel.state.filter_index == 2 and panel.board.filter_view.selected == 2
        assert panel.editor.stack.undoText() == "Choose filter 3"
    finally:
        panel.close()
        panel.shutdown()


@pytest.mark.parametrize("count, side", [(8, 5), (64, 3), (1, 16)])
def test_maps_fill_their_view_and_their_numbers_sit_above_them(qtbot, count, side):
    view = PictureView("Maps", "testMaps", "maps")
    qtbot.addWidget(view)
    tiles = np.random.default_rng(0).normal(size=(count, side, side))
    view.show_tiles(tiles, (-3.0, 3.0))
    for size in ((240, 170), (600, 420), (150, 500)):
        view.resize(*size)
        view.show()
        qtbot.waitUntil(lambda s=size: view.width() == s[0] and view.height() == s[1])
        fit = view.fit
        h, w = fit.tile
        assert fit.side > 0 and len(fit.origins) == count
        for y, x in fit.origins:
            assert 0 <= x and x + w <= view.width() and y - fit.label_height >= 0 and y + h <= view.height()
        if fit.label_height:
            widest = QFontMetricsF(view._number_font).horizontalAdvance(str(count))
            assert widest <= w + 6                                                # a number over its own tile
        assert fit.tile_at(fit.origins[-1][0] + 1, fit.origins[-1][1] + 1) == count - 1
    view.grab()                                                                   # paints without error
    np.testing.assert_array_equal(view.values, tiles)


def test_confusion_numbers_grow_with_their_cells_and_are_never_cut(qtbot):
    view = ConfusionView()
    qtbot.addWidget(view)
    counts = np.random.default_rng(1).integers(0, 140, (10, 10))
    view.show_counts(counts, tuple("0123456789"), "Confusion matrix")
    view.show()
    sizes = []
    for side in (200, 420, 800):
        view.resize(side, side)
        qtbot.waitUntil(lambda s=side: view.width() == s)
        view.grab()                                                               # paint: measures the cells
        pixels = view.number_font.pixelSize()
        widest = max(QFontMetricsF(view.number_font).horizontalAdvance(t) for row in view.cell_texts() for t in row)
        assert widest <= view.cell and QFontMetricsF(view.number_font).height() <= view.cell
        sizes.append(pixels)
    assert sizes == sorted(sizes) and sizes[-1] > 2 * sizes[0] and sizes[0] >= 6
