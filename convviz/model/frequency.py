"""The frequency view: what a kernel does to each spatial frequency, and the convolution theorem.

All spectra are centred (``np.fft.fftshift``: zero frequency in the middle, at
``(H // 2, W // 2)``). A blur's response is large in the middle and small at the edges (it
removes high frequencies); an edge filter's is zero in the middle (it removes the flat parts).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ._args import as_image, as_kernel, as_pair
from .engine import convolve, correlate


def frequency_response(kernel, shape=(64, 64)) -> np.ndarray:
    """``np.fft.fftshift(np.fft.fft2(kernel, s=shape))``: the kernel zero-padded at the top-left.

    ``kernel`` is 2-D ``(KH, KW)``; ``shape`` an int or ``(H, W)`` at least the kernel's size.
    Returns a complex array of ``shape`` (complex64 for a float32 kernel, else complex128); its
    magnitude is the gain at each frequency, the same wherever the kernel is placed.
    """
    k = as_kernel(kernel, np.dtype(np.float64))
    if k.ndim != 2:
        raise ValueError(f"The frequency response needs a 2-D kernel (KH, KW), not {k.shape}.")
    if np.asarray(kernel).dtype == np.float32:
        k = k.astype(np.float32)
    h, w = as_pair(shape, "shape", minimum=1)
    if h < k.shape[0] or w < k.shape[1]:
        raise ValueError(f"The response shape {h}×{w} is smaller than the {k.shape[0]}×{k.shape[1]} kernel: "
                         f"use a shape at least as large as the kernel.")
    return np.fft.fftshift(np.fft.fft2(k, s=(h, w)))


def _image_2d(image) -> np.ndarray:
    img = as_image(image)
    if img.ndim != 2:
        raise ValueError(f"The spectrum needs a 2-D (grey) image, not {img.shape}: convert it with to_gray() "
                         f"or pass one channel.")
    return np.asarray(img, dtype=np.float64)


def spectrum(image) -> np.ndarray:
    """Centred magnitude ``|fftshift(fft2(image))|`` of a 2-D image, float64 of the image's shape."""
    return np.abs(np.fft.fftshift(np.fft.fft2(_image_2d(image))))


def log_magnitude(spectrum_values) -> np.ndarray:
    """``log(1 + |S|)``: how spectra are usually drawn (the zero frequency dwarfs everything else)."""
    return np.log1p(np.abs(spectrum_values))


def kernel_at_size(kernel, shape, origin) -> np.ndarray:
    """The kernel laid on a ``shape`` grid that wraps around, tap ``(a, b)`` at ``(a − r0, b − c0) mod shape``.

    ``origin`` ``(r0, c0)`` is the tap that lands on ``(0, 0)``; taps that fall on the same cell add up
    (a kernel larger than the grid).
    """
    k = as_kernel(kernel, np.dtype(np.float64))
    h, w = shape
    out = np.zeros((h, w))
    rows = (np.arange(k.shape[0]) - origin[0]) % h
    cols = (np.arange(k.shape[1]) - origin[1]) % w
    np.add.at(out, (rows[:, None], cols[None, :]), k)
    return out


@dataclass(frozen=True)
class ConvolutionTheorem:
    """A 2-D image filtered with circular ("same", wrap-around) padding, in both domains.

    ``output_spectrum == image_spectrum * kernel_spectrum`` exactly (up to rounding): the spectrum
    of the output is the image's spectrum times the kernel's transfer function. All three are
    complex, centred and of the image's shape. ``output`` is ``correlate(image, kernel, "same",
    padding_mode="circular")``, or ``convolve`` when ``flip``. For correlation the transfer
    function is the *conjugate* of the FFT of the kernel laid on the image grid with its "same"
    centre tap at ``(0, 0)``; for convolution the FFT itself, with the kernel's far corner tap
    at ``(0, 0)`` instead (:func:`kernel_at_size`). Its magnitude equals
    ``|frequency_response(kernel, image.shape)|`` either way.
    """

    image_spectrum: np.ndarray = field(repr=False)
    kernel_spectrum: np.ndarray = field(repr=False)
    output_spectrum: np.ndarray = field(repr=False)
    output: np.ndarray = field(repr=False)
    flip: bool


def convolution_theorem(image, kernel, *, flip=False) -> ConvolutionTheorem:
    """Image spectrum, kernel transfer function and output spectrum of a circular "same" filtering.

    ``image`` is 2-D ``(H, W)`` and ``kernel`` 2-D; ``flip=False`` is correlation (the
    deep-learning convention, as :func:`~convviz.model.correlate`), ``True`` true convolution.
    Spectra are computed in float64 (complex128).
    """
    img = _image_2d(image)
    k = as_kernel(kernel, np.dtype(np.float64))
    if k.ndim != 2:
        raise ValueError(f"The convolution theorem view needs a 2-D kernel (KH, KW), not {k.shape}.")
    kh, kw = k.shape
    centre = ((kh - 1) // 2, (kw - 1) // 2)  # the tap "same" padding puts over the output pixel
    if flip:
        output = convolve(img, k, "same", padding_mode="circular")
        # convolve = correlate with k[::-1, ::-1]: its centre tap is k's (K−1−centre) tap, and flipping
        # the kernel conjugates its transfer function, so no conjugate is left
        transfer = np.fft.fft2(kernel_at_size(k, img.shape, (kh - 1 - centre[0], kw - 1 - centre[1])))
    else:
        output = correlate(img, k, "same", padding_mode="circular")
        # out[i] = Σ_m g[m]·x[i + m]  ⇒  OUT = conj(G)·X  (g real)
        transfer = np.conj(np.fft.fft2(kernel_at_size(k, img.shape, centre)))
    shift = np.fft.fftshift
    return ConvolutionTheorem(
        image_spectrum=shift(np.fft.fft2(img)), kernel_spectrum=shift(transfer),
        output_spectrum=shift(np.fft.fft2(output)), output=output, flip=bool(flip),
    )
