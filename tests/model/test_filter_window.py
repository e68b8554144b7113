"""One output pixel's kernel window (the Filter tab's magnifier): patch, weights, products and their sum,
against filter_image and an independent np.pad oracle, in every padding mode, read without the whole image."""

import time
import tracemalloc

import numpy as np
import pytest

from convviz.model import PRESETS, filter_image, to_gray
from convviz.model.filter_output import output_window
from convviz.model.shapes import padding_amounts
from convviz.model.view_geometry import output_rect

MODES = ("zeros", "reflect", "replicate", "circular")
NP_MODES = {"zeros": "constant", "reflect": "reflect", "replicate": "edge", "circular": "wrap"}


def _kwargs(**over):
    kw = dict(padding="valid", stride=(1, 1), dilation=(1, 1), padding_mode="zeros", flip=False, gray=False)
    kw.update(over)
    return kw


def _oracle_patch(img, kernel_hw, kw, index):
    """The window read from the whole image padded by np.pad (independent of the code under test)."""
    top, bottom, left, right = padding_amounts(kernel_hw, kw["padding"], dilation=kw["dilation"])
    widths = ((top, bottom), (left, right)) + (((0, 0),) if img.ndim == 3 else ())
    padded = np.pad(img, widths, mode=NP_MODES[kw["padding_mode"]])
    rows = index[0] * kw["stride"][0] + kw["dilation"][0] * np.arange(kernel_hw[0])
    cols = index[1] * kw["stride"][1] + kw["dilation"][1] * np.arange(kernel_hw[1])
    return padded[np.ix_(rows, cols)]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("padding", ["valid", "same", "full", (3, 1)])
@pytest.mark.parametrize("colour", ["grey", "per_channel", "luminance"])
def test_window_numbers_equal_filter_image_and_the_padded_oracle(mode, padding, colour):
    rng = np.random.default_rng(abs(hash((mode, str(padding), colour))) % 2**32)
    img = rng.integers(0, 256, (9, 11) if colour == "grey" else (9, 11, 3)).astype(np.float64)
    k = rng.normal(size=(3, 4))
    for stride, dilation, flip in [((1, 1), (1, 1), False), ((2, 1), (1, 2), True), ((1, 3), (2, 1), False)]:
        kw = _kwargs(padding=padding, stride=stride, dilation=dilation, padding_mode=mode, flip=flip,
                     gray=colour == "luminance")
        whole = filter_image(img, k, **kw)
        source = to_gray(img) if colour == "luminance" else img
        for r in range(whole.shape[0]):
            for c in range(whole.shape[1]):
                w = output_window(img, k, kw, (r, c))
                np.testing.assert_allclose(w.value, whole[r, c], rtol=0, atol=1e-9)
                np.testing.assert_allclose(w.patch, _oracle_patch(source, k.shape, kw, (r, c)), rtol=0, atol=1e-12)
                np.testing.assert_array_equal(w.weights, k[::-1, ::-1] if flip else k)
                if colour == "per_channel":
                    assert w.per_channel and len(w.value) == 3
                    for ch in range(3):
                        assert w.channel_sum(ch) == pytest.approx(whole[r, c, ch], abs=1e-9)
                else:
                    assert w.channel_sum() == pytest.approx(whole[r, c], abs=1e-9)


def test_a_kernel_with_channels_sums_them_and_the_taps_are_where_the_output_is_drawn():
    rng = np.random.default_rng(4)
    img, k = rng.uniform(0, 255, (8, 10, 3)), rng.normal(size=(3, 3, 3))
    kw = _kwargs(padding="same", padding_mode="reflect")
    whole = filter_image(img, k, **kw)
    w = output_window(img, k, kw, (0, 9))
    assert not w.per_channel and w.value == pytest.approx(whole[0, 9], abs=1e-9)
    assert sum(w.channel_sum(ch) for ch in range(3)) == pytest.approx(w.value, abs=1e-9)
    assert w.rows.tolist() == [-1, 0, 1] and w.cols.tolist() == [8, 9, 10]
    assert w.inside.tolist() == [[False] * 3, [True, True, False], [True, True, False]]

    img = rng.uniform(0, 255, (20, 30))
    kw = _kwargs(padding=(2, 5), stride=(3, 2), dilation=(2, 3))
    k = np.ones((3, 4))
    w = output_window(img, k, kw, (4, 6))
    drawn = output_rect(img.shape, k.shape, (2, 5), stride=(3, 2), dilation=(2, 3))
    assert w.output_square == (drawn.x + 6 * 2, drawn.y + 4 * 3, 2, 3)   # the pixel the output view draws
    assert w.rect == (6 * 2 - 5, 4 * 3 - 2, 3 * 3 + 1, 2 * 2 + 1)        # x, y, width, height in input pixels
    assert len(w.tap_rects()) == 12 and w.tap_rects()[1] == (w.rect.x + 3, w.rect.y, 1, 1)


def test_a_pixel_outside_the_output_is_refused_with_a_sentence():
    with pytest.raises(ValueError, match=r"outside the 8×8 output: rows go from 0 to 7"):
        output_window(np.zeros((10, 10)), np.ones((3, 3)), _kwargs(), (8, 0))


def test_only_the_window_is_read_on_a_12_megapixel_photo():
    photo = np.broadcast_to(np.arange(3.0) * 40 + 20, (3000, 4000, 3))     # 12 megapixels, no memory
    kw = _kwargs(padding="same", padding_mode="reflect", gray=True)
    k = PRESETS["gaussian_blur_5x5"].kernel
    tracemalloc.start()
    start = time.perf_counter()
    w = output_window(photo, k, kw, (1500, 3999))
    elapsed = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 100_000, f"{peak} bytes allocated: more than the window was read"
    assert elapsed < 0.5
    assert w.value == pytest.approx(0.299 * 20 + 0.587 * 60 + 0.114 * 100, abs=1e-9)


def test_an_8_bit_picture_and_the_callers_kernel_stay_as_they_were():
    rng = np.random.default_rng(8)
    photo = rng.integers(0, 256, (12, 9, 3), dtype=np.uint8)           # the document keeps 8-bit files as uint8
    k = rng.normal(size=(3, 3))
    for gray in (False, True):
        kw = _kwargs(padding="same", padding_mode="circular", gray=gray)
        whole = filter_image(photo, k, **kw)
        for index in [(0, 0), (5, 8), (11, 4)]:
            np.testing.assert_allclose(output_window(photo, k, kw, index).value, whole[index], rtol=0, atol=1e-9)
    assert k.flags.writeable                                            # the window's weights are its own copy
