"""The sliding window explains itself (issue #12): the kernel beside the input and its weights under
the window, empty output cells that look empty (also in an exported animation), numbers that add up
as drawn, the padding's values, rows and columns counted from 0, no number cut to "…"."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QHeaderView, QWidget

from convviz.model import PRESETS, ConvDocument, correlate, steps, to_gray
from convviz.model.numeric_input import LECTURE_IMAGE, LECTURE_KERNEL
from convviz.ui.classroom.export import AnimationExporter, PlayerFrames
from convviz.ui.player import PlayerPanel
from convviz.ui.widgets.cell_grid import EMPTY_HATCH, MIN_TEXT_PX
from convviz.ui.widgets.chrome import is_editing_chrome


@pytest.fixture
def make_panel(qtbot):
    def make(doc, size=(1280, 800)):
        panel = PlayerPanel(doc)
        qtbot.addWidget(panel)
        panel.resize(*size)
        panel.show()
        qtbot.waitExposed(panel)
        return panel
    return make


def lecture_doc(**changes):
    return ConvDocument(**{"image": LECTURE_IMAGE, "kernel": LECTURE_KERNEL, "preset": None, "padding": "valid",
                           **changes})


def number(text: str) -> Fraction:
    top, _, bottom = text.strip().partition("/")
    return Fraction(top) / (int(bottom) if bottom else 1)


def test_the_kernel_is_beside_the_input_and_its_weights_under_the_window(make_panel):
    panel = make_panel(lecture_doc())
    kernel = panel.view.kernel_grid
    assert kernel.objectName() == "playerKernelGrid" and kernel.isVisible()
    assert [[kernel.cell_text(r, c) for c in range(2)] for r in range(2)] == [["1", "0"], ["0", "2"]]
    assert kernel.title() == "Kernel 2×2"
    grid = panel.view.input_grid
    for index in (0, 4, 8):
        panel.set_step(index)
        rows, cols = (w.tolist() for w in grid.window())
        assert [[grid.window_label(r, c) for c in cols] for r in rows] == [["×1", "×0"], ["×0", "×2"]]
        outside = next((r, c) for r in range(4) for c in range(4) if r not in rows or c not in cols)
        assert grid.window_label(*outside) == ""
    panel.document.apply(flip=True)            # true convolution slides the flipped kernel, and says so
    panel.set_step(0)
    assert [[kernel.cell_text(r, c) for c in range(2)] for r in range(2)] == [["2", "0"], ["0", "1"]]
    assert "flipped" in kernel.title() and grid.window_label(0, 0) == "×2"


def test_a_box_blur_writes_ninths_everywhere_and_they_add_up(make_panel):
    rng = np.random.default_rng(7)
    photo = rng.integers(0, 256, size=(30, 30, 3)).astype(float)
    panel = make_panel(ConvDocument(image=photo, kernel=PRESETS["box_blur"].kernel, preset="box_blur",
                                    padding="same"))
    lum = to_gray(photo)
    full = correlate(lum, PRESETS["box_blur"].kernel, "same")
    assert panel.view.kernel_grid.cell_text(1, 1) == "1/9"
    products, sum_label = panel.view.products_grid, panel.view.sum_label
    for index in (0, 37, panel.step_count - 1):
        panel.set_step(index)
        step = panel.current_step
        cells = [products.cell_text(r, c).split("\n") for r in range(3) for c in range(3)]
        # each cell: the exact luminance, ×1/9, = the exact product
        assert all(number(v) * number(w.lstrip("×")) == number(p.split(" ", 1)[1]) for v, w, p in cells)
        total = sum_label.text().split(" = ")
        assert total[0] == "Sum"
        exact = number(total[1].split(" ≈ ")[0])
        assert sum(number(p.split(" ", 1)[1]) for *_, p in cells) == exact     # the products add up
        assert float(exact) == pytest.approx(full[panel.region.output_position(index)], rel=1e-12)
        assert float(exact) == pytest.approx(step.value, rel=1e-12)
        assert f"= {total[1]}" in panel.view.readout.text()
        # the window's cells show the values the products multiply, exactly (the grid rounds them)
        grid = panel.view.input_grid
        rows, cols = (w.tolist() for w in grid.window())
        shown = [grid.window_value(r, c) for r in rows for c in cols]
        assert shown == [v for v, _, _ in cells] and "rounded" in grid.title()


def _cell_pixels(image, grid, origin: QWidget, row: int, col: int) -> np.ndarray:
    """The inner pixels of ``grid``'s cell in ``image`` (a rendering of ``origin``)."""
    rect = grid.cell_rect(row, col)
    top_left = grid.mapTo(origin, QPoint(int(rect.x() + rect.width() * 0.2), int(rect.y() + rect.height() * 0.2)))
    side = int(rect.width() * 0.6)
    return image[top_left.y():top_left.y() + side, top_left.x():top_left.x() + side].reshape(-1, 3)


def _looks_empty(pixels: np.ndarray, largest=(255, 255, 255)) -> bool:
    """Grey hatch lines on the background, not (mostly) the colour of the largest value."""
    hatch = np.all(np.abs(pixels.astype(int) - [EMPTY_HATCH.red(), EMPTY_HATCH.green(), EMPTY_HATCH.blue()]) < 40,
                   axis=1)
    like_largest = np.all(pixels == largest, axis=1).mean()
    return hatch.mean() > 0.05 and like_largest < 0.2


def _looks_largest(pixels: np.ndarray, largest=(255, 255, 255)) -> bool:
    return np.all(pixels == largest, axis=1).mean() > 0.6


def test_outputs_not_computed_yet_look_empty_also_in_an_exported_animation(make_panel):
    image = np.full((5, 5), 255.0)             # every output is the largest value: drawn white
    panel = make_panel(ConvDocument(image=image, kernel=np.ones((1, 1)), preset=None, padding="valid"))
    panel.set_step(3)
    out = panel.view.output_grid
    from convviz.ui.classroom.export import qimage_to_rgb
    shot = qimage_to_rgb(out.grab().toImage())
    assert _looks_largest(_cell_pixels(shot, out, out, 0, 0))           # computed: white, the largest value
    assert _looks_empty(_cell_pixels(shot, out, out, 4, 4))             # not yet: hatched
    frames = AnimationExporter(PlayerFrames(panel))._iter_frames(1.0)
    first = next(frames)                                                 # step 1: one output computed
    view = panel.animation_widget()
    assert _looks_largest(_cell_pixels(first, out, view, 0, 0))
    assert _looks_empty(_cell_pixels(first, out, view, 0, 1)) and _looks_empty(_cell_pixels(first, out, view, 4, 4))
    frames.close()


@pytest.mark.parametrize("mode", ["reflect", "replicate", "circular", "zeros"])
def test_the_padding_shows_what_it_holds(make_panel, mode):
    panel = make_panel(lecture_doc(padding="same", padding_mode=mode))
    doc = panel.document
    panel.document.apply(kernel=np.ones((3, 3)))
    padded = np.pad(LECTURE_IMAGE, 1, mode={"reflect": "reflect", "replicate": "edge", "circular": "wrap",
                                            "zeros": "constant"}[mode])
    grid = panel.view.input_grid
    assert grid.shape() == (6, 6) and doc.padding_mode == mode
    for r in range(6):
        for c in range(6):
            assert grid.cell_text(r, c) == f"{padded[r, c]:g}"
            assert grid.is_padding(r, c) == (r in (0, 5) or c in (0, 5))
    assert f"hatched: {mode} padding" in grid.title()
    assert panel.current_step.patch.tolist() == padded[:3, :3].tolist()   # the window multiplies those values


def test_rows_and_columns_count_from_zero_and_no_number_is_cut(make_panel):
    rng = np.random.default_rng(1)
    panel = make_panel(ConvDocument(image=rng.integers(100, 256, (16, 16)).astype(float), preset=None,
                                    kernel=LECTURE_KERNEL, padding="valid"))
    table = panel.view.numeric.table
    assert [table.verticalHeaderItem(i).text() for i in (0, 15)] == ["0", "15"]
    assert [table.horizontalHeaderItem(i).text() for i in (0, 15)] == ["0", "15"]
    assert table.textElideMode() == Qt.TextElideMode.ElideNone
    widest = max(table.fontMetrics().horizontalAdvance(table.item(r, c).text()) for r in range(16) for c in range(16))
    header: QHeaderView = table.horizontalHeader()
    assert min(header.sectionSize(c) for c in range(16)) >= widest
    assert "(0, 0)" in panel.view.readout.text() and "rows 0–1, cols 0–1" in panel.view.readout.text()


def test_the_sums_font_shrinks_rather_than_cut_a_long_fraction(make_panel, qtbot):
    rng = np.random.default_rng(3)
    photo = rng.integers(0, 256, size=(20, 20, 3)).astype(float)
    panel = make_panel(ConvDocument(image=photo, kernel=PRESETS["gaussian_blur"].kernel, preset="gaussian_blur",
                                    padding="same"), size=(700, 600))
    label = panel.view.sum_label
    words = label.text().split()
    assert "/16" in label.text()
    room = label.contentsRect().width()
    assert max(label.fontMetrics().horizontalAdvance(w) for w in words) <= room


def test_small_product_cells_show_the_products_alone(make_panel):
    panel = make_panel(lecture_doc(), size=(520, 420))
    products = panel.view.products_grid
    panel.set_step(4)
    assert products.drawn_text(1, 1) == "40" and products.cell_text(1, 1) == "20\n×2\n= 40"
    assert products._text_px >= MIN_TEXT_PX


def test_presentation_hides_the_editing_column_and_the_bar_wraps(make_panel, qtbot):
    panel = make_panel(lecture_doc(), size=(1400, 800))
    controls = panel.view.controls
    assert is_editing_chrome(panel.view.side) and is_editing_chrome(controls.speed_spin)
    assert is_editing_chrome(controls.loop_check) and not is_editing_chrome(controls.lecture_check)
    assert controls.is_one_row()
    panel.resize(600, 800)
    qtbot.waitUntil(lambda: not controls.is_one_row())
    assert controls.minimumSizeHint().width() <= 600
    assert all(b.isVisible() for b in (controls.play_button, controls.lecture_check, controls.similarity_check))
    panel.resize(1400, 800)
    qtbot.waitUntil(controls.is_one_row)


def test_a_short_view_caps_the_words_so_the_grids_keep_their_room(make_panel, qtbot, qapp):
    from ui_support import app_font
    with app_font(factor=3):
        panel = make_panel(lecture_doc(), size=(1020, 700))
        qtbot.waitUntil(lambda: panel.view.readout.fontInfo().pixelSize() <= panel.view.height() / 30 + 1)
        assert panel.view.sum_label.font().bold()
        assert panel.view.input_grid.cell_rect(0, 0).height() >= 50       # 4×4 cells, large
        assert panel.view.input_grid.numbers_visible()


def test_steps_equal_the_model_after_the_layout_changes(make_panel):
    panel = make_panel(lecture_doc())
    seq = steps(LECTURE_IMAGE, LECTURE_KERNEL)
    for i in range(len(seq)):
        panel.set_step(i)
        assert seq[i].expression in panel.view.readout.text()
        assert panel.view.sum_label.text() == f"Sum = {seq[i].value:g}"
