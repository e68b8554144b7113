"""The frequency view: kernel responses, spectra and the convolution theorem, against NumPy loops and DFT sums."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from convviz.model import PRESETS, frequency_response
from convviz.model.frequency import convolution_theorem, kernel_at_size, log_magnitude, spectrum


def naive_dft2(a, shape):
    """Σ_mn a[m, n]·e^{−2πi(fm/H + gn/W)} for every (f, g), by a matrix of exponentials (no FFT)."""
    h, w = shape
    a = np.asarray(a, dtype=np.float64)
    eh = np.exp(-2j * np.pi * np.outer(np.arange(h), np.arange(a.shape[0])) / h)
    ew = np.exp(-2j * np.pi * np.outer(np.arange(a.shape[1]), np.arange(w)) / w)
    return eh @ a @ ew


def naive_circular(x, k, flip):
    """'same' filtering with wrap-around, by loops: out[i, j] = Σ k[a, b]·x[(i + a − t) mod H, (j + b − l) mod W]."""
    if flip:
        k = k[::-1, ::-1]
    h, w = x.shape
    kh, kw = k.shape
    top, left = (kh - 1) // 2, (kw - 1) // 2
    out = np.zeros_like(x, dtype=np.float64)
    for i in range(h):
        for j in range(w):
            out[i, j] = sum(k[a, b] * x[(i + a - top) % h, (j + b - left) % w] for a in range(kh) for b in range(kw))
    return out


def test_frequency_response_is_the_centred_zero_padded_dft():
    k = PRESETS["sobel_x"].kernel
    response = frequency_response(k, (16, 12))
    assert response.shape == (16, 12) and np.iscomplexobj(response)
    np.testing.assert_allclose(response, np.fft.fftshift(naive_dft2(k, (16, 12))), rtol=0, atol=1e-12)
    assert frequency_response(k).shape == (64, 64)
    assert frequency_response(k, 9).shape == (9, 9)


def test_blur_keeps_low_frequencies_and_edges_remove_the_flat_part():
    blur = np.abs(frequency_response(PRESETS["gaussian_blur"].kernel, (32, 32)))
    assert blur[16, 16] == pytest.approx(1.0) and blur[0, 0] == pytest.approx(0.0, abs=1e-15)
    assert blur.max() == pytest.approx(1.0)
    edges = np.abs(frequency_response(PRESETS["laplacian"].kernel, (32, 32)))
    assert edges[16, 16] == pytest.approx(0.0, abs=1e-15) and edges[0, 0] == pytest.approx(8.0)


def test_frequency_response_dtypes_and_errors():
    assert frequency_response(np.ones((3, 3), dtype=np.float32), 8).dtype == np.complex64
    assert frequency_response(np.ones((3, 3), dtype=int), 8).dtype == np.complex128
    with pytest.raises(ValueError, match="smaller than the 5×5 kernel"):
        frequency_response(np.ones((5, 5)), (4, 8))
    with pytest.raises(ValueError, match="2-D kernel"):
        frequency_response(np.ones((3, 3, 3)))
    with pytest.raises(ValueError, match="NaN"):
        frequency_response([[np.nan]])


def test_spectrum_is_the_centred_magnitude():
    x = np.random.default_rng(0).uniform(0, 255, size=(10, 7))
    np.testing.assert_allclose(spectrum(x), np.abs(np.fft.fftshift(naive_dft2(x, x.shape))), rtol=1e-12, atol=1e-9)
    assert spectrum(np.ones((4, 4)))[2, 2] == 16
    with pytest.raises(ValueError, match="to_gray"):
        spectrum(np.ones((4, 4, 3)))
    assert log_magnitude(np.array([np.e - 1])) == pytest.approx([1.0])


def test_kernel_at_size_wraps_and_adds():
    g = kernel_at_size([[1, 2, 3]], (1, 4), (0, 1))
    assert g.tolist() == [[2, 3, 0, 1]]
    assert kernel_at_size([[1, 2, 3]], (1, 2), (0, 0)).tolist() == [[4, 2]]


@settings(max_examples=40, deadline=None)
@given(h=st.integers(1, 9), w=st.integers(1, 9), kh=st.integers(1, 5), kw=st.integers(1, 5), flip=st.booleans(),
       seed=st.integers(0, 1000))
def test_convolution_theorem_holds(h, w, kh, kw, flip, seed):
    rng = np.random.default_rng(seed)
    x, k = rng.uniform(0, 255, size=(h, w)), rng.normal(size=(kh, kw))
    t = convolution_theorem(x, k, flip=flip)
    np.testing.assert_allclose(t.output, naive_circular(x, k, flip), rtol=0, atol=1e-9)
    product = t.image_spectrum * t.kernel_spectrum
    scale = np.abs(t.output_spectrum).max()
    assert np.abs(t.output_spectrum - product).max() <= 1e-9 * scale
    np.testing.assert_allclose(t.output_spectrum, np.fft.fftshift(naive_dft2(t.output, (h, w))), rtol=0,
                               atol=1e-9 * scale)
    if kh <= h and kw <= w:
        np.testing.assert_allclose(np.abs(t.kernel_spectrum), np.abs(frequency_response(k, (h, w))), rtol=0,
                                   atol=1e-12 * np.abs(k).sum())


def test_the_conjugate_matters():
    """An asymmetric kernel: correlation's transfer function is the conjugate of convolution's."""
    x = np.random.default_rng(1).uniform(0, 255, size=(12, 12))
    k = np.array([[0.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, 0.0, 0.0]])  # shift left by one pixel
    corr, conv = convolution_theorem(x, k), convolution_theorem(x, k, flip=True)
    np.testing.assert_allclose(corr.kernel_spectrum, np.conj(conv.kernel_spectrum), atol=1e-12)
    assert not np.allclose(corr.kernel_spectrum, conv.kernel_spectrum)
    np.testing.assert_allclose(corr.output, np.roll(x, -1, axis=1), atol=1e-12)
    np.testing.assert_allclose(conv.output, np.roll(x, 1, axis=1), atol=1e-12)
    assert corr.flip is False and conv.flip is True


def test_convolution_theorem_refuses_colour_and_three_d_kernels():
    with pytest.raises(ValueError, match="2-D \\(grey\\) image"):
        convolution_theorem(np.ones((4, 4, 3)), np.ones((3, 3)))
    with pytest.raises(ValueError, match="2-D kernel"):
        convolution_theorem(np.ones((4, 4)), np.ones((3, 3, 1)))
