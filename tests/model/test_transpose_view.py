"""What the Transposed conv tab shows, without Qt: the scatter frames, the zero-inserted equivalent, the size
formula and the checkerboard — each against conv_transpose / correlate / NumPy by hand."""

from __future__ import annotations

import numpy as np
import pytest

from convviz.model import conv_transpose, correlate
from convviz.model.filtering import to_gray
from convviz.model.player_region import busiest_crop
from convviz.model.transpose_view import (
    CHECKER_KERNELS,
    EXAMPLE_INPUT,
    EXAMPLE_KERNEL,
    checkerboard,
    checkerboard_sentence,
    equality_sentence,
    image_crops,
    scatter_frame,
    scatter_sentence,
    size_formulas,
    transpose_operands,
    zero_inserted_view,
)

SETTINGS = [dict(stride=2, padding=0, output_padding=0, dilation=1),
            dict(stride=2, padding=1, output_padding=1, dilation=1),
            dict(stride=1, padding=2, output_padding=0, dilation=2),
            dict(stride=3, padding=1, output_padding=2, dilation=1)]


def scatter_by_hand(x, w, stride, padding, output_padding, dilation):
    """Every input value adds value·w at (i·S + a·D, j·S + b·D) of the canvas; padding is cropped."""
    (h, wd), (kh, kw) = x.shape, w.shape
    ch = (h - 1) * stride + dilation * (kh - 1) + 1 + output_padding
    cw = (wd - 1) * stride + dilation * (kw - 1) + 1 + output_padding
    canvas = np.zeros((ch, cw))
    for i in range(h):
        for j in range(wd):
            for a in range(kh):
                for b in range(kw):
                    canvas[i * stride + a * dilation, j * stride + b * dilation] += x[i, j] * w[a, b]
    return canvas[padding:ch - padding, padding:cw - padding]


def test_the_example_by_hand():
    x, w = transpose_operands("example", "example", None, None)
    np.testing.assert_array_equal(x, EXAMPLE_INPUT)
    np.testing.assert_array_equal(w, EXAMPLE_KERNEL)
    f = scatter_frame(x, w, 3, stride=2, padding=0, output_padding=0, dilation=1)
    assert f.output.tolist() == [[1, 2, 2, 4, 0], [0, 1, 0, 2, 0], [4, 6, 7, 8, 2], [0, 3, 0, 4, 0], [3, 0, 7, 0, 4]]
    assert f.output[2, 2] == 1 * w[2, 2] + 2 * w[2, 0] + 3 * w[0, 2] + 4 * w[0, 0] == 7   # four copies overlap
    assert f.canvas_texts[2][2] == "7" and not f.canvas_padding.any()


@pytest.mark.parametrize("settings", SETTINGS)
def test_scatter_frames_add_up_to_conv_transpose(settings):
    rng = np.random.default_rng(8)
    x, w = rng.integers(-3, 4, (3, 4)).astype(float), rng.integers(-2, 3, (3, 2)).astype(float)
    expected = conv_transpose(x, w, **settings)
    np.testing.assert_allclose(expected, scatter_by_hand(x, w, **settings), atol=1e-12)
    previous = None
    for i in range(x.size):
        f = scatter_frame(x, w, i, **settings)
        assert f.count == x.size and f.step.in_index == divmod(i, 4)
        np.testing.assert_array_equal(f.output, expected)
        np.testing.assert_array_equal(f.step.contribution, x[f.step.in_index] * w)
        added = np.zeros(f.canvas.shape)
        added[np.ix_(f.step.rows, f.step.cols)] += x[f.step.in_index] * w
        np.testing.assert_allclose(f.canvas, added + (0 if previous is None else previous), atol=1e-12)
        previous = f.canvas
        assert f.step.expression in scatter_sentence(f)
    p = settings["padding"]
    kept = ~f.canvas_padding
    assert kept.sum() == expected.size
    np.testing.assert_allclose(f.canvas[kept].reshape(expected.shape), expected, atol=1e-12)
    assert f.canvas_padding[:p].all() and f.canvas_padding.any() == (p > 0)   # output padding rows are kept
    assert scatter_frame(x, w, 99, **settings).step.index == x.size - 1


@pytest.mark.parametrize("settings", SETTINGS)
def test_zero_inserted_view_equals_the_scatter(settings):
    rng = np.random.default_rng(9)
    x, w = rng.normal(size=(3, 3)), rng.normal(size=(3, 3))
    out = conv_transpose(x, w, **settings)
    z = zero_inserted_view(x, w, out, **settings)
    np.testing.assert_array_equal(z.flipped, w[::-1, ::-1])
    np.testing.assert_array_equal(z.result, correlate(z.array, w[::-1, ::-1], dilation=settings["dilation"]))
    assert z.max_difference == float(np.max(np.abs(z.result - out))) < 1e-12
    assert z.inserted.sum() == z.array.size - np.count_nonzero(z.array)
    assert "largest difference" in equality_sentence(z)
    exact = zero_inserted_view(EXAMPLE_INPUT, EXAMPLE_KERNEL, conv_transpose(EXAMPLE_INPUT, EXAMPLE_KERNEL, stride=2),
                               stride=2, padding=0, output_padding=0, dilation=1)
    assert exact.max_difference == 0 and equality_sentence(exact).endswith("the largest difference is 0.")


def test_size_formula_uses_the_models_text():
    text = size_formulas((4, 3), (3, 2), stride=2, padding=1, output_padding=1, dilation=1)
    plain = text.replace("\u00a0", " ")
    assert "rows     (4−1)·2 − 2·1 + 1·(3−1) + 1 + 1 = 8" in plain
    assert "columns  (3−1)·2 − 2·1 + 1·(2−1) + 1 + 1 = 5" in plain
    # a narrow label may break a line only before a sign (or after the row name): never before "= 8"
    assert "1\u00a0=\u00a08" in text and "(4−1)·2 −\u00a02·1 +\u00a01·(3−1) +\u00a01 +\u00a01" in text
    pieces = [piece for piece in text.split("\n")[1].split(" ") if piece]     # split at breakable spaces only
    assert pieces == ["rows", "(4−1)·2", "−\u00a02·1", "+\u00a01·(3−1)", "+\u00a01", "+\u00a01\u00a0=\u00a08"]
    assert conv_transpose(np.ones((4, 3)), np.ones((3, 2)), stride=2, padding=1, output_padding=1).shape == (8, 5)


def test_image_crops_and_operands():
    rng = np.random.default_rng(10)
    img = rng.uniform(0, 255, (60, 70, 3))
    crops = image_crops(img)
    gray = to_gray(img)
    r, c, _, _ = busiest_crop(gray, 48)
    np.testing.assert_array_equal(crops.checker, gray[r:r + 48, c:c + 48])
    variances = {(i, j): np.var(crops.checker[i:i + 4, j:j + 4]) for i in range(45) for j in range(45)}
    i, j = max(variances, key=lambda ij: (variances[ij], -ij[0], -ij[1]))   # the largest, the first row by row
    np.testing.assert_array_equal(crops.scatter, gray[r + i:r + i + 4, c + j:c + j + 4])
    assert not crops.scatter.flags.writeable and crops.scatter.base is None and crops.checker.base is None
    x, w = transpose_operands("image", "document", crops, np.eye(2))
    np.testing.assert_array_equal(x, crops.scatter)
    np.testing.assert_array_equal(w, np.eye(2))
    small = image_crops(np.arange(9.0).reshape(3, 3))
    assert small.scatter.shape == (3, 3) and small.checker.shape == (3, 3)
    with pytest.raises(ValueError, match="being prepared"):
        transpose_operands("image", "example", None, None)
    with pytest.raises(ValueError, match="Unknown input"):
        transpose_operands("noise", "example", crops, None)


def test_checkerboard_ones_give_uneven_weights_and_bilinear_even():
    crop = np.random.default_rng(11).uniform(0, 255, (48, 48))
    ones = checkerboard(crop, "ones")
    np.testing.assert_array_equal(ones.upsampled, conv_transpose(crop, np.ones((3, 3)), stride=2, padding=1,
                                                                 output_padding=1))
    assert ones.upsampled.shape == (96, 96)
    assert sorted(np.unique(ones.inside)) == [1, 2, 4]
    assert ones.inside[0, 0] == 1 and ones.inside[0, 1] == 2 and ones.inside[1, 1] == 4   # the checkerboard
    assert "1, 2, 4 in a checkerboard" in checkerboard_sentence(ones, "ones")
    bilinear = checkerboard(crop, "bilinear")
    np.testing.assert_array_equal(np.unique(bilinear.inside), [1.0])
    assert "total weight of 1, so the overlaps even out" in checkerboard_sentence(bilinear, "bilinear")
    assert set(CHECKER_KERNELS) == {"ones", "bilinear"}
    with pytest.raises(ValueError, match="Unknown checkerboard kernel"):
        checkerboard(crop, "nearest")
