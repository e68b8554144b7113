"""Filter bank readability (issue #12): maps as large as the view, display names, a layer selector
that is never cut short, a receptive field that can be zoomed, and presentation mode hiding the
editing chrome so the maps get the room."""

from __future__ import annotations

import numpy as np
import pytest
from bank_support import shown_bank_panel
from PySide6.QtWidgets import QComboBox

from convviz.model import ConvDocument
from convviz.model.bank.receptive import zoom_window

RNG = np.random.default_rng(4)


@pytest.fixture
def panel(qtbot):
    p = shown_bank_panel(qtbot, ConvDocument(image=RNG.uniform(0, 255, (300, 400, 3)), padding="same"))
    qtbot.waitExposed(p)
    assert p.wait_for_maps()
    yield p
    p.close()


def test_maps_fill_the_view_and_grow_with_it(panel, qtbot):
    grid = panel.grid
    view = grid.viewport().size()
    assert grid.fit.columns * grid.fit.tile[1] > 0.8 * view.width()            # no empty panel beside them
    assert grid.fit.picture[1] > 300                                           # not ~140 px thumbnails
    assert all(t.geometry().bottom() <= view.height() for t in grid.tiles)     # all four seen at once
    small = grid.fit.side
    panel.resize(1600, 1000)
    qtbot.waitUntil(lambda: grid.fit.side > small)
    assert panel.wait_for_maps()
    drawn = panel.result.thumbs[0].shape[:2]                                   # pictures made for that size
    assert max(drawn) >= min(grid.fit.side, 400) and drawn[0] * 4 == drawn[1] * 3


def test_filters_are_named_for_people(panel):
    assert [t.title for t in panel.grid.tiles] == ["1. Sobel x", "2. Sobel y", "3. Red minus green", "4. Blur"]
    assert panel.filter_editor.list.item(0).text() == "Sobel x" and "'sobel_x'" in panel.grid.tiles[0].toolTip()
    panel.add_layer()
    assert panel.wait_for_maps()
    panel.select_pixel(20, 30)
    assert "1. Sobel x:" in panel.decomposition.text and "4. Blur:" in panel.decomposition.text
    assert panel.network[0].names[0] == "sobel_x"                              # the stored name stays the key


def test_the_layer_selector_shows_every_entry_whole(panel):
    panel.add_layer()
    box = panel.layer_box
    assert box.sizeAdjustPolicy() == QComboBox.SizeAdjustPolicy.AdjustToContents
    widest = max(box.fontMetrics().horizontalAdvance(box.itemText(i)) for i in range(box.count()))
    assert box.count() == 2 and box.itemText(1) == "Layer 2: 4 channels → 3 maps"
    assert box.width() >= widest + 20 and box.width() >= box.sizeHint().width()
    panel.setFont(_scaled(panel.font(), 2.5))                                  # presentation-sized text
    assert box.sizeHint().width() >= box.fontMetrics().horizontalAdvance(box.itemText(1))


def _scaled(font, factor):
    font.setPointSizeF(font.pointSizeF() * factor)
    return font


def test_the_receptive_field_is_zoomed_onto_and_can_show_the_whole_image(panel, qtbot):
    panel.edit("View", view="receptive field")
    panel.select_pixel(150, 200)
    qtbot.wait(10)
    view = panel.receptive
    field = panel.network.receptive_field((150, 200), 0, panel.first_settings())[0]
    window = zoom_window(field, (300, 400))
    rect = view.image.mapRectToParent(view.image.boundingRect())
    assert (rect.left(), rect.top(), rect.width(), rect.height()) == (window.left, window.top, 24, 24)
    np.testing.assert_array_equal(view.image.image, np.rint(panel.document.image[window.top:window.bottom + 1,
                                                                                   window.left:window.right + 1]))
    (x0, x1), _ = view.plot.getPlotItem().vb.viewRange()
    assert x1 - x0 < 100 and field.size == (3, 3)                 # the 3×3 field is large, not 3 px of 400
    assert "Zoomed onto rows" in view.text.text()
    view.zoom_box.setChecked(False)
    assert panel.state.zoom_field is False
    (x0, x1), _ = view.plot.getPlotItem().vb.viewRange()
    assert x1 - x0 >= 400 and "The whole 300×400 image" in view.text.text()
    panel.editor.stack.undo()
    assert panel.state.zoom_field and view.zoom_box.isChecked()


def test_presentation_mode_hides_the_editing_chrome_and_gives_the_maps_the_room(window, qtbot):
    window.show_panel("bank")
    bank = window.panel("bank")
    assert bank.wait_for_maps()
    chrome = [bank.layers, bank.file_bar, bank.view_bar.add_layer_button, bank.view_bar.remove_layer_button,
              bank.compute_label]
    kept = [bank.layer_box, bank.scale_box, bank.shared_box, bank.shapes_label, bank.grid]
    assert all(w.isVisible() for w in chrome + kept)
    splitter = bank.views.parentWidget()
    assert bank.views.width() < 0.8 * splitter.width()                          # the editor column beside it
    presentation = window.classroom.presentation
    presentation.enter()
    try:
        qtbot.waitUntil(lambda: not bank.layers.isVisible())
        assert not any(w.isVisible() for w in chrome) and all(w.isVisible() for w in kept)
        qtbot.waitUntil(lambda: bank.views.width() > 0.95 * splitter.width())    # the maps take the width
    finally:
        presentation.leave()
    assert all(w.isVisible() for w in chrome)
