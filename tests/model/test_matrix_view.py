"""What the "As a matrix" tab shows, without Qt: taps and their colours, the problem, the sentences."""

import numpy as np
import pytest

from convviz.model import conv_matrix
from convviz.model.matrix_view import (
    BLANK,
    arrangement,
    cell_text,
    check_sentence,
    colour_by_tap,
    crop_hw,
    crop_note,
    image_problem,
    key_text,
    largest_crop,
    lecture_problem,
    memory_sentence,
    padding_note,
    parse_number_list,
    shape_sentence,
    sparsity_sentence,
    tap_colours,
    tap_index_matrix,
    ticks,
    too_large_sentence,
)


def test_tap_index_matrix_marks_every_weight_with_its_tap():
    kernel = np.arange(1.0, 10.0).reshape(3, 3) * 7
    for padding, stride, dilation in (("valid", 1, 1), ("same", 1, 1), ("full", 2, 1), ((1, 2), 1, 2)):
        taps = tap_index_matrix((3, 3), (6, 7), padding, stride=stride, dilation=dilation)
        m = conv_matrix(kernel, (6, 7), padding, stride=stride, dilation=dilation)
        np.testing.assert_array_equal(m, np.where(taps > 0, kernel.ravel()[taps - 1], 0.0))
    # the lecture's 1-D example: taps 1, 2 slide one column a row
    np.testing.assert_array_equal(tap_index_matrix((1, 2), (1, 4)), [[1, 2, 0, 0], [0, 1, 2, 0], [0, 0, 1, 2]])
    rgb = colour_by_tap(np.array([[0, 1], [2, 0]]), 2)
    assert rgb[0, 0].tolist() == BLANK.tolist() and rgb[0, 1].tolist() == tap_colours(2)[0].tolist()
    assert len({tuple(c) for c in tap_colours(18)}) == 18
    assert tap_colours(19)[18].tolist() == tap_colours(1)[0].tolist()      # the palette repeats after 18


def test_texts_in_cells_and_on_the_key():
    assert cell_text(0, 0.0, True) == "0" and cell_text(2, 2.0, True) == "w₂=2" and cell_text(2, -0.5, False) == "-0.5"
    assert key_text(12, 3.0, True) == "w₁₂ = 3" and key_text(1, 1.0, False) == "1"
    assert ticks(4, "a") == [(0.5, "a₁"), (1.5, "a₂"), (2.5, "a₃"), (3.5, "a₄")]
    assert ticks(3) == [(0.5, "0"), (1.5, "1"), (2.5, "2")]
    assert [t for _, t in ticks(64)] == [str(i) for i in range(0, 64, 7)]       # about ten, 0-based


def test_parse_number_list():
    np.testing.assert_array_equal(parse_number_list("1, 2; 3/4, −1", "a"), [1, 2, 0.75, -1])
    for bad, words in (("", "Type the numbers of a"), ("1, x", "In a: 'x' is not a number"),
                       (",".join("1" * 17), "at most 16 numbers, not 17"), (None, "Type the numbers")):
        with pytest.raises(ValueError, match=words):
            parse_number_list(bad, "a")


def test_image_problem_crops_the_top_left_and_greys_colour():
    img = np.arange(5 * 6 * 3, dtype=float).reshape(5, 6, 3)
    p = image_problem(img, np.eye(2), 4, "valid", stride=(2, 1), dilation=1, flip=True)
    assert p.x.shape == (4, 4) and p.output_hw == (2, 3) and p.entries == 6 * 16
    np.testing.assert_allclose(p.x, img[:4, :4] @ np.array([0.299, 0.587, 0.114]), rtol=1e-6)
    np.testing.assert_array_equal(p.applied, np.eye(2)[::-1, ::-1])
    assert p.description == ("The top-left 4×4 pixels of the image (as grey: the matrix acts on one channel); "
                             "kernel 2×2, padding valid, stride 2×1, dilation 1×1; true convolution: the matrix "
                             "holds the flipped kernel.")
    whole = image_problem(np.zeros((4, 4)), np.ones((3, 3)), 8, (1, 2))
    assert whole.description.startswith("The whole 4×4 image; kernel 3×3, padding 1×2 pixels")
    assert whole.output_hw == (4, 6)


def test_lecture_problem():
    p = lecture_problem("1, 2, 3, 4", "1, 2")
    assert p.x.tolist() == [[1, 2, 3, 4]] and p.kernel.tolist() == [[1, 2]] and p.output_hw == (1, 3)
    assert p.description.startswith("a has length 4, w has length 2")
    with pytest.raises(ValueError, match="In w"):
        lecture_problem("1, 2", "1, b")


def test_crop_sizes():
    assert crop_hw((4, 4), 8) == (4, 4) and crop_hw((20, 6), 8) == (8, 6) and crop_hw((100, 100), 8) == (8, 8)
    assert largest_crop((4, 4)) == 4 and largest_crop((20, 6)) == 20 and largest_crop((3000, 10)) == 64
    assert crop_note((4, 4), 8) == "4×4 pixels (the whole image)" and crop_note((20, 24), 5) == "5×5 pixels"


def test_sentences():
    assert shape_sentence((8, 8), (8, 8)) == ("<b>M is 64 × 64</b>: one row per output pixel (8×8), one column "
                                              "per input pixel (8×8).")
    assert memory_sentence(4096, 9) == ("Memory (float32): the matrix needs 16.4 kB (4,096 numbers); the kernel "
                                        "needs 36 bytes (9 numbers).")
    assert too_large_sentence((64, 64), (64, 64)) == (
        "The matrix would be 4,096 × 4,096 = 16,777,216 numbers (67.1 MB in float32): too large to draw.\n"
        "Make the crop smaller.")
    assert padding_note("zeros") == "" and "'reflect' padding" in padding_note("reflect")
    x = np.array([[1.0, 2, 3, 4]])
    assert check_sentence(x, np.array([5.0, 8, 11]), np.array([5.0, 8, 11]), 0.0) == (
        "x = [1, 2, 3, 4]<br>M @ x = [5, 8, 11]<br>conv(x) = [5, 8, 11]<br>"
        "<b>M @ x equals the convolution: max difference 0</b>")
    assert "matches (to rounding)" in check_sentence(np.zeros((5, 5)), np.zeros(25), np.zeros(25), 1e-13)
    assert "25 numbers each" in check_sentence(np.zeros((5, 5)), np.zeros(25), np.zeros(25), 0.0)


def test_sparsity_counts_the_kernels_non_zero_weights():
    """Issue #12: Sobel's matrix holds copies of 6 weights, not 9 (3 are zero)."""
    m = np.zeros((4, 16))
    m[:, :6] = 1.0                                             # 24 non-zero of 64
    sobel = np.array([[-1.0, 0, 1], [-2, 0, 2], [-1, 0, 1]])
    assert sparsity_sentence(m, sobel) == (
        "Sparsity: 40 of 64 entries are 0 (62.5 %); the other 24 are copies of the kernel's 6 non-zero weights. "
        "3 of its 9 weights are 0, so their coloured cells hold 0 too.")
    assert sparsity_sentence(m, np.ones((3, 3))).endswith("the other 24 are copies of the same 9 weights.")
    assert sparsity_sentence(m, np.array([[0.0, 1], [1, 1]])).endswith(
        "the kernel's 3 non-zero weights. 1 of its 4 weights is 0, so its coloured cells hold 0 too.")
    assert sparsity_sentence(np.zeros((2, 2)), np.zeros((1, 1))) == (
        "Sparsity: 4 of 4 entries are 0 (100.0 %): every weight of the kernel is 0.")


def test_arrangement_gives_the_matrix_the_larger_cells():
    assert arrangement((64, 64), (1200, 760), 460, 300) == "beside"
    assert arrangement((16, 64), (1200, 760), 460, 300) == "below"
    assert arrangement((3, 4), (1200, 760), 460, 300) == "beside"
