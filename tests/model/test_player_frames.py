"""What the player draws, computed without Qt: builds, grids, frames, inspections, texts, the
prepared picture, the numeric input and the grid geometry. Expected values are stated."""

from __future__ import annotations

import numpy as np
import pytest

from convviz.model import ConvDocument, convolve, correlate, steps, to_gray
from convviz.model.cell_layout import cell_geometry, dark_text_on, filled_rectangles, text_pixel_size
from convviz.model.numeric_input import (
    LECTURE_IMAGE,
    LECTURE_KERNEL,
    lecture_example,
    numeric_editable,
    region_numbers,
    resized,
    with_cell,
)
from convviz.model.player_frames import (
    build_player,
    diverging_rgb,
    grid_cells,
    inspect_cell,
    overview_rgb,
    similarity_cells,
    step_frame,
)
from convviz.model.player_region import busiest_crop
from convviz.model.player_source import prepare
from convviz.model.step_texts import (
    cell_texts,
    input_title,
    number_word,
    output_title,
    source_text,
    span,
    sum_text,
)


@pytest.fixture
def doc():
    return ConvDocument(image=LECTURE_IMAGE, kernel=LECTURE_KERNEL, preset=None, padding="valid")


@pytest.fixture
def build(doc):
    return build_player(doc, LECTURE_IMAGE, (0, 0, 4, 4))


def test_lecture_build_numbers(build):
    assert (build.count, build.taps) == (9, 4)
    np.testing.assert_array_equal(build.output, [[60, 70, 50], [60, 70, 50], [20, 30, 20]])
    shown_input, shown_output = grid_cells(build)
    assert shown_output.texts == [["60", "70", "50"], ["60", "70", "50"], ["20", "30", "20"]]
    assert shown_input.texts[1] == ["20", "30", "30", "20"] and not shown_input.padding.any()
    assert (shown_input.title, shown_output.title) == ("Input rows 0–3, cols 0–3", "Output 3×3")
    assert shown_input.colours[0, :, 0].tolist() == [0, 85, 85, 0]      # grey levels 0–30 of the whole picture


def test_flip_slides_the_turned_kernel(doc):
    doc.apply(flip=True)
    b = build_player(doc, LECTURE_IMAGE, (0, 0, 4, 4))
    np.testing.assert_array_equal(b.output, convolve(LECTURE_IMAGE, LECTURE_KERNEL))
    np.testing.assert_array_equal(b.kernel, [[2, 0], [0, 1]])
    assert "(flipped kernel)" in step_frame(b, 0, 4, lecture=False).readout


def test_step_frame_whole_and_in_lecture_mode(build):
    whole = step_frame(build, 4, 4, lecture=False)
    assert whole.readout == (
        "Step 5 of 9: output (1, 1) from the window over input rows 1–2, cols 1–2\n"
        "(30×1) + (30×0) + (20×0) + (20×2) = 70\n"
        "dot product  patch · kernel = 70\n"
        "length of the patch  |patch| = 50.9902    length of the kernel  |kernel| = 2.2361\n"
        "cosine similarity  (patch · kernel) / (|patch| |kernel|) = 0.6139\n"
        "Pearson correlation of patch and kernel = -0.3015")
    assert (whole.sum_text, whole.filled, whole.out_cell, whole.complete) == ("Sum = 70", 5, (1, 1), True)
    assert [a.tolist() for a in whole.window] == [[1, 2], [1, 2]]
    assert whole.products.texts == [["30\n×1\n= 30", "30\n×0\n= 0"], ["20\n×0\n= 0", "20\n×2\n= 40"]]
    assert whole.product_accent is None and whole.position_text == "step 5 / 9"
    part = step_frame(build, 4, 2, lecture=True)
    assert part.readout.splitlines()[1:] == [
        "(30×1) + (30×0) + …  (so far 30, 2 more)",
        "Lecture mode: → reveals the next product; the sum and the similarity follow."]
    assert (part.sum_text, part.filled, part.complete) == ("Sum so far = 30  (2 of 4 products)", 4, False)
    assert (part.product_accent, part.input_accent) == ((0, 1), (1, 2))
    assert step_frame(build, 4, 0, lecture=True).product_accent is None


def test_inspection_matches_the_windows_that_cover_a_cell(doc):
    doc.apply(padding="same", stride=2)
    b = build_player(doc, LECTURE_IMAGE, (0, 0, 4, 4))
    seq = steps(LECTURE_IMAGE, LECTURE_KERNEL, "same", stride=2)
    for cell in [(0, 0), (1, 1), (2, 2), (3, 0), (4, 4)]:
        want = [i for i, s in enumerate(seq) if cell[0] in s.rows.tolist() and cell[1] in s.cols.tolist()]
        got = inspect_cell(b, cell)
        assert got.steps == want and got.outputs == [divmod(i, 2) for i in want]
    assert inspect_cell(b, (4, 4)).text == "Padding cell (4, 4) = 0 contributes to 0 outputs (marked in blue)."
    assert inspect_cell(b, None) is None and inspect_cell(b, (9, 0)) is None


def test_inspection_text_of_the_lecture_example(build):
    assert inspect_cell(build, (1, 1)).text == (
        "Input pixel (1, 1) = 30 contributes to 4 outputs: (0, 0), (0, 1), (1, 0), (1, 1) (marked in blue).")


def test_padding_titles_and_the_source_sentence(doc):
    doc.apply(padding="same", dilation=2)
    b = build_player(doc, LECTURE_IMAGE, (0, 0, 4, 4))
    assert b.region.grid_shape == (6, 6)
    assert input_title(b.region, "zeros") == "Input rows −1 to 4, cols −1 to 4 (hatched: zeros padding)"
    assert grid_cells(b)[0].padding[0].all() and not grid_cells(b)[0].padding[1, 1]
    assert source_text(doc, "the grey image", (4, 4), b.region) == (
        "Stepping through the grey image 'untitled': the whole 4×4 input. Kernel 2×2, padding same (zeros), "
        "stride 1×1, dilation 2×2, cross-correlation (not flipped).")


def test_a_region_of_a_photo():
    rng = np.random.default_rng(5)
    photo = rng.integers(0, 256, size=(60, 80)).astype(float)
    doc = ConvDocument(image=photo, kernel=np.ones((3, 3)) / 9, preset=None, padding="valid")
    b = build_player(doc, photo, (10, 20, 8, 8))
    assert b.region.crop == (10, 20, 8, 8) and b.count == 36
    full = correlate(photo, np.ones((3, 3)) / 9)
    np.testing.assert_allclose(b.output, full[10:16, 20:26], rtol=0, atol=1e-12)
    assert output_title(b.region) == "Output rows 10–15, cols 20–25 of 58×78"
    assert "rows 10–17, cols 20–27 of the 60×80 input (36 of 4,524 outputs)" in \
        source_text(doc, "the grey image", photo.shape, b.region)


def test_similarity_cells_and_colours(build):
    sim = similarity_cells(build)
    assert sim.texts[1][1] == "0.61"
    doc = ConvDocument(image=np.zeros((4, 4)), kernel=LECTURE_KERNEL, preset=None, padding="valid")
    zero = similarity_cells(build_player(doc, doc.image, (0, 0, 4, 4)))
    assert zero.texts[0][0] == "–" and zero.colours[0, 0].tolist() == [200, 200, 200]
    rgb = diverging_rgb(np.array([[-2.0, 0.0, 2.0]]))
    assert rgb[0, 1].tolist() == [221, 220, 220] and rgb[0, 0].tolist() == [59, 76, 192]
    assert diverging_rgb(np.zeros((1, 2)))[0, 0].tolist() == [221, 220, 220]    # 0 is the middle of −1…1


def test_settings_the_player_cannot_step_raise_a_sentence():
    doc = ConvDocument(image=np.arange(5.0)[None, :], kernel=np.ones((1, 3)), preset=None, padding="same",
                       padding_mode="reflect")
    assert build_player(doc, doc.image, (0, 0, 1, 5)).count == 5
    doc.apply(kernel=np.ones((3, 3)))               # reflect padding needs 2 rows
    with pytest.raises(ValueError, match="Reflect padding needs at least 2 pixels"):
        build_player(doc, doc.image, (0, 0, 1, 5))


def test_texts():
    assert [span(3, 3), span(0, 4), span(-2, 13)] == ["3", "0–4", "−2 to 13"] and number_word(-5) == "−5"
    assert cell_texts(np.array([[210.025, 12.345, 0.1234]])) == [["210", "12.3", "0.12"]]
    s = steps(LECTURE_IMAGE, LECTURE_KERNEL)[0]
    assert sum_text(s, 4) == "Sum = 60" and sum_text(s, 1) == "Sum so far = 0  (1 of 4 products)"


def test_prepared_picture_channels_and_busiest_crop():
    rng = np.random.default_rng(1)
    photo = rng.integers(0, 256, size=(40, 50, 3)).astype(float)
    lum = prepare(photo, False, None, 16)
    np.testing.assert_array_equal(lum.source, to_gray(photo))
    assert lum.busiest == busiest_crop(to_gray(photo), 16) and lum.crop(16) == lum.busiest
    assert lum.crop(8) == busiest_crop(to_gray(photo), 8)
    green = prepare(photo, False, 1, 16)
    np.testing.assert_array_equal(green.source, photo[:, :, 1])
    assert green.words == "the green channel of the colour image"
    assert prepare(photo, True, 1, 16).words == "the luminance of the colour image (document set to grey)"
    assert green.matches(photo, False, 1) and not green.matches(photo.copy(), False, 1)
    assert prepare(photo[:, :, 0], False, None, 16).words == "the grey image"


def test_numeric_input_helpers():
    assert lecture_example()["padding"] == "valid" and lecture_example()["image"] is LECTURE_IMAGE
    assert numeric_editable(np.zeros((16, 16))) and not numeric_editable(np.zeros((17, 2)))
    assert not numeric_editable(np.zeros((4, 4, 3)))
    np.testing.assert_array_equal(resized(np.arange(4.0).reshape(2, 2), 3, 1), [[0], [2], [0]])
    edited = with_cell(LECTURE_IMAGE, 0, 1, -4.5)
    assert edited[0, 1] == -4.5 and LECTURE_IMAGE[0, 1] == 10
    src = np.arange(100.0).reshape(10, 10) + 0.4
    np.testing.assert_array_equal(region_numbers(src, (2, 3, 8, 8), 2, 3), [[23, 24, 25], [33, 34, 35]])


def test_cell_layout():
    assert cell_geometry(408, 320, 4, 4, 20, 110) == (57.0, 22.0, 73.5)   # the height decides
    assert cell_geometry(408, 320, 4, 4, 20, 50) == (104.0, 22.0, 50.0)
    assert cell_geometry(100, 100, 0, 3, 10, 50) == (0.0, 10.0, 0.0)
    assert text_pixel_size([["30\n×2\n= 60"]], 100, 30) == 20       # three lines: the height decides
    assert text_pixel_size([["123456"]], 100, 30) == 24               # six characters: the width decides
    assert text_pixel_size(None, 100, 30) == 0
    assert dark_text_on((250, 250, 250)) and not dark_text_on((20, 20, 20))
    assert filled_rectangles(5, 3, 3, 10.0, 20.0, 10.0) == [(10, 20, 31, 10), (10, 30, 20, 10)]
    assert filled_rectangles(0, 3, 3, 10.0, 20.0, 10.0) == []


def test_overview_thumbnail():
    assert overview_rgb(np.zeros((600, 300, 3))).shape == (200, 100, 3)
    grey = overview_rgb(np.full((10, 10), 255.0))
    assert grey.shape == (10, 10, 3) and grey[0, 0].tolist() == [255, 255, 255]
