"""correlate / convolve against SciPy, PyTorch-style padding and a naive loop."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.ndimage as ndi
import scipy.signal as signal
from hypothesis import given, settings
from hypothesis import strategies as st
from reference import naive_correlate

from convviz.model import convolve, correlate, engine, output_shape

SEED_IMAGE = np.array([[0, 10, 10, 0], [20, 30, 30, 20], [10, 20, 20, 10], [0, 5, 5, 0]], dtype=float)
SEED_KERNEL = np.array([[1, 0], [0, 2]], dtype=float)


def test_seed_example_is_exact():
    out = correlate(SEED_IMAGE, SEED_KERNEL)
    assert out.dtype == np.float64
    assert out.tolist() == [[60, 70, 50], [60, 70, 50], [20, 30, 20]]


@pytest.mark.parametrize("mode", ["valid", "full"])
@pytest.mark.parametrize("shape,kshape", [((20, 17), (3, 3)), ((9, 12), (4, 2)), ((30, 30), (1, 5))])
def test_against_scipy_signal(mode, shape, kshape):
    rng = np.random.default_rng(0)
    x, k = rng.normal(size=shape), rng.normal(size=kshape)
    np.testing.assert_allclose(correlate(x, k, mode), signal.correlate2d(x, k, mode), rtol=0, atol=1e-9)
    np.testing.assert_allclose(convolve(x, k, mode), signal.convolve2d(x, k, mode), rtol=0, atol=1e-9)


@pytest.mark.parametrize("padding_mode,ndi_mode", [("zeros", "constant"), ("reflect", "mirror"),
                                                   ("replicate", "nearest"), ("circular", "wrap")])
@pytest.mark.parametrize("k", [3, 5])
def test_same_odd_kernel_against_ndimage(padding_mode, ndi_mode, k):
    rng = np.random.default_rng(1)
    x, w = rng.normal(size=(23, 31)), rng.normal(size=(k, k))
    expected = ndi.correlate(x, w, mode=ndi_mode, cval=0.0)
    np.testing.assert_allclose(correlate(x, w, "same", padding_mode=padding_mode), expected, atol=1e-9)
    np.testing.assert_allclose(convolve(x, w, "same", padding_mode=padding_mode),
                               ndi.convolve(x, w, mode=ndi_mode, cval=0.0), atol=1e-9)


def test_same_even_kernel_puts_odd_padding_bottom_right():
    x = np.arange(16.0).reshape(4, 4)
    k = np.array([[1.0, 0.0], [0.0, 0.0]])  # picks the top-left tap: out[i, j] = x_pad[i, j]
    out = correlate(x, k, "same")
    # total padding 1 per axis, all at the bottom/right, so the output is x itself
    np.testing.assert_array_equal(out, x)


@settings(max_examples=150, deadline=None)
@given(
    h=st.integers(1, 12), w=st.integers(1, 12), kh=st.integers(1, 5), kw=st.integers(1, 5),
    channels=st.sampled_from([0, 1, 3]),
    padding=st.one_of(st.sampled_from(["valid", "same", "full"]), st.integers(0, 3),
                      st.tuples(st.integers(0, 3), st.integers(0, 3))),
    sh=st.integers(1, 3), sw=st.integers(1, 3), dh=st.integers(1, 3), dw=st.integers(1, 3),
    padding_mode=st.sampled_from(["zeros", "reflect", "replicate", "circular"]),
    seed=st.integers(0, 2**16),
)
def test_against_naive_loop(h, w, kh, kw, channels, padding, sh, sw, dh, dw, padding_mode, seed):
    rng = np.random.default_rng(seed)
    shape = (h, w) if channels == 0 else (h, w, channels)
    kshape = (kh, kw) if channels == 0 else (kh, kw, channels)
    x, k = rng.normal(size=shape), rng.normal(size=kshape)
    kwargs = dict(stride=(sh, sw), dilation=(dh, dw), padding_mode=padding_mode)
    try:
        out = correlate(x, k, padding, **kwargs)
    except ValueError as err:
        # only legitimate refusals: kernel does not fit, or reflect on a 1-pixel axis
        msg = str(err)
        assert "larger than the padded input" in msg or "Reflect padding" in msg
        return
    expected = naive_correlate(x, k, padding, (sh, sw), (dh, dw), padding_mode)
    assert out.shape == expected.shape == output_shape((h, w), (kh, kw), padding, stride=(sh, sw),
                                                       dilation=(dh, dw))
    np.testing.assert_allclose(out, expected, rtol=0, atol=1e-9)
    flipped = k[::-1, ::-1]
    np.testing.assert_allclose(convolve(x, k, padding, **kwargs), naive_correlate(
        x, flipped, padding, (sh, sw), (dh, dw), padding_mode), rtol=0, atol=1e-9)


@settings(max_examples=40, deadline=None)
@given(n=st.integers(3, 15), k=st.integers(1, 4), s=st.integers(2, 4), seed=st.integers(0, 999),
       padding=st.sampled_from(["valid", "same", "full", 1]))
def test_strided_is_subsampled(n, k, s, seed, padding):
    if padding == "valid" and k > n:
        return  # the kernel does not fit: refused, tested elsewhere
    rng = np.random.default_rng(seed)
    # integer data: every algorithm is exact, so the subsample is bit-for-bit equal
    x, w = rng.integers(-50, 50, size=(n, n + 1)).astype(float), rng.integers(-3, 4, size=(k, k)).astype(float)
    np.testing.assert_array_equal(correlate(x, w, padding, stride=s), correlate(x, w, padding)[::s, ::s])
    # real data: equal to rounding
    x, w = rng.normal(size=(n, n + 1)), rng.normal(size=(k, k))
    np.testing.assert_allclose(correlate(x, w, padding, stride=s), correlate(x, w, padding)[::s, ::s],
                               rtol=0, atol=1e-12)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape,k", [((300, 280), 9), ((150, 160), 15), ((200, 210, 3), 7)])
def test_fft_path_matches_direct(monkeypatch, dtype, shape, k):
    rng = np.random.default_rng(2)
    x = rng.uniform(0, 255, size=shape).astype(dtype)
    w = rng.normal(size=(k, k) + shape[2:])
    fast = correlate(x, w, "same", padding_mode="reflect")
    monkeypatch.setattr(engine, "FFT_MIN_TAPS", 10**9)
    direct = correlate(x, w, "same", padding_mode="reflect")
    assert fast.dtype == direct.dtype == dtype
    tol = 1e-9 * np.abs(direct).max() if dtype == np.float64 else 1e-4 * np.abs(direct).max()
    np.testing.assert_allclose(fast, direct, rtol=0, atol=tol)


def test_fft_path_keeps_integer_results_exact():
    rng = np.random.default_rng(3)
    x = rng.integers(0, 256, size=(256, 256)).astype(float)
    w = rng.integers(-3, 4, size=(9, 9)).astype(float)
    out = correlate(x, w, "full")
    assert np.array_equal(out, signal.correlate2d(x, w, "full"))


def test_dtypes():
    x32 = np.ones((8, 8), np.float32)
    assert correlate(x32, np.ones((3, 3))).dtype == np.float32
    assert correlate(x32.astype(np.float64), np.ones((3, 3), np.float32)).dtype == np.float64
    assert correlate(np.ones((8, 8), np.uint8), np.ones((3, 3))).dtype == np.float64
    assert correlate(np.ones((8, 8), int), np.ones((3, 3), int)).dtype == np.float64


def test_convolution_commutes_in_full_mode_but_correlation_does_not():
    a, w = SEED_IMAGE, SEED_KERNEL
    np.testing.assert_array_equal(convolve(a, w, "full"), convolve(w, a, "full"))
    assert not np.array_equal(correlate(a, w, "full"), correlate(w, a, "full"))


def test_channels_are_summed():
    rng = np.random.default_rng(4)
    x, k = rng.normal(size=(10, 11, 3)), rng.normal(size=(3, 3, 3))
    expected = sum(signal.correlate2d(x[:, :, c], k[:, :, c], "valid") for c in range(3))
    np.testing.assert_allclose(correlate(x, k), expected, atol=1e-9)


def test_large_image_strips_agree_with_scipy():
    rng = np.random.default_rng(5)
    x, k = rng.normal(size=(700, 650)), rng.normal(size=(3, 3))
    np.testing.assert_allclose(correlate(x, k, "same"), ndi.correlate(x, k, mode="constant"), atol=1e-9)


@pytest.mark.parametrize("kwargs,phrase", [
    (dict(kernel=np.ones((5, 5))), "larger than the padded input"),
    (dict(stride=0), "stride must be at least 1"),
    (dict(dilation=0), "dilation must be at least 1"),
    (dict(stride=(1, 2, 3)), "stride must be an integer or a pair"),
    (dict(kernel=np.array([[1.0, np.nan]])), "NaN or infinite"),
    (dict(kernel=np.array([[1.0, np.inf]])), "NaN or infinite"),
    (dict(kernel=np.ones(3)), "kernel must be 2-D"),
    (dict(image=np.ones(5)), "image must be 2-D"),
    (dict(image=np.ones((4, 4, 3)), kernel=np.ones((2, 2, 2))), "Channel mismatch"),
    (dict(image=np.ones((4, 4, 3)), kernel=np.ones((2, 2))), "filter_image"),
    (dict(image=np.ones((4, 4)), kernel=np.ones((2, 2, 3))), "needs a 3-D image"),
    (dict(padding="middle"), "Unknown padding 'middle'"),
    (dict(padding=-1), "padding must be at least 0"),
    (dict(padding_mode="mirror"), "Unknown padding_mode 'mirror'"),
    (dict(image=np.array([["a"]])), "must hold numbers"),
    (dict(image=np.ones((0, 3))), "empty"),
])
def test_bad_arguments_raise_clear_errors(kwargs, phrase):
    args = dict(image=np.ones((4, 4)), kernel=np.ones((2, 2)))
    args.update(kwargs)
    image, kernel = args.pop("image"), args.pop("kernel")
    padding = args.pop("padding", "valid")
    with pytest.raises(ValueError, match=phrase.replace("(", r"\(").replace(")", r"\)")):
        correlate(image, kernel, padding, **args)
    with pytest.raises(ValueError):
        convolve(image, kernel, padding, **args)


def test_dilated_kernel_message_mentions_spread():
    with pytest.raises(ValueError, match="spread to 5×5 by dilation 2×2"):
        correlate(np.ones((4, 4)), np.ones((3, 3)), dilation=2)


def test_zero_weights_skipped_only_for_finite_input():
    x = np.arange(30.0).reshape(5, 6)
    k = np.array([[0.0, 1.0], [0.0, 0.0]])
    np.testing.assert_array_equal(correlate(x, k), signal.correlate2d(x, k, "valid"))
    np.testing.assert_array_equal(correlate(x, np.zeros((2, 2))), np.zeros((4, 5)))
    x[2, 2] = np.nan  # a NaN under a zero weight still makes NaN, as in SciPy
    expected = signal.correlate2d(x, k, "valid")
    np.testing.assert_array_equal(np.isnan(correlate(x, k)), np.isnan(expected))
    rgb = np.random.default_rng(0).normal(size=(6, 7, 3))
    k3 = np.zeros((3, 3, 3))
    k3[1, 2, 0], k3[0, 0, 2] = 2.0, -1.0
    np.testing.assert_allclose(correlate(rgb, k3), 2 * rgb[1:5, 2:7, 0] - rgb[0:4, 0:5, 2], atol=1e-12)
