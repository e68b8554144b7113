"""2-D correlation and convolution: the one place where the sliding sum is computed.

``correlate`` slides the kernel without flipping it (the deep-learning
"convolution"); ``convolve`` flips it in both spatial axes first (the textbook
convolution). The engine picks its algorithm per workload:

* **direct**: a patch matrix (one row per kernel tap) built for a strip of output
  rows small enough to stay in the CPU cache, times the kernel — exact for integer
  data and the default for small kernels;
* **real FFT** (``numpy.fft.rfft2``) for large kernels on large images, whose cost
  hardly grows with the kernel. When image and kernel hold only integers (the
  classroom case) the FFT result is rounded, so both paths print ``60``, never
  ``59.99999999999999``.

Results of the two paths agree to 1e-9 (relative) in float64.
"""

from __future__ import annotations

import numpy as np

from ._args import Geometry, as_image, as_kernel, check_ranks, geometry, pad_image

#: use the FFT from this many kernel taps per channel (7×7) ...
FFT_MIN_TAPS = 49
#: ... and only when the output has at least this many pixels (classroom grids never go through the FFT)
FFT_MIN_OUTPUT = 128 * 128
#: bytes of patch matrix per row strip of the direct method (measured best: a few MB, in L3)
STRIP_BYTES = 4 * 1024 * 1024


def correlate(image, kernel, padding="valid", *, stride=1, dilation=1, padding_mode="zeros") -> np.ndarray:
    """Cross-correlate ``image`` with ``kernel`` (no flip), as deep-learning "convolution".

    Parameters
    ----------
    image : array, shape (H, W) or (H, W, C)
        float32 images are computed and returned in float32, everything else in float64.
    kernel : array, shape (KH, KW), or (KH, KW, C) for a (H, W, C) image (summed over channels)
    padding : {"valid", "same", "full"}, int or (int, int)
        ``"same"`` pads ``D·(K−1)`` per axis with the odd pixel at the bottom/right;
        ``"full"`` pads ``D·(K−1)`` on each side; an int or ``(ph, pw)`` pads that many on each side.
    stride : int or (int, int), keyword-only
        The result is exactly the stride-1 result sampled at ``[::sh, ::sw]``.
    dilation : int or (int, int), keyword-only
        Spacing between kernel taps.
    padding_mode : {"zeros", "reflect", "replicate", "circular"}, keyword-only

    Returns
    -------
    out : ndarray, shape (H', W') with ``H' = ⌊(H + P_total − D(KH−1) − 1)/S⌋ + 1``

    Raises
    ------
    ValueError
        With a sentence saying what to change: kernel larger than the padded input, stride or
        dilation below 1, NaN/inf weights, wrong ranks, channel mismatch, unknown names.
    """
    img, ker = _checked(image, kernel)
    geo = geometry(img.shape[:2], ker.shape[:2], padding, stride, dilation, padding_mode)
    return _correlate_checked(img, ker, geo)


def convolve(image, kernel, padding="valid", *, stride=1, dilation=1, padding_mode="zeros") -> np.ndarray:
    """True convolution: ``correlate`` with the kernel flipped in both spatial axes.

    Same parameters, shapes and padding conventions as :func:`correlate`; channels
    of a (KH, KW, C) kernel are not flipped. In ``"full"`` mode convolution is
    commutative for 2-D arrays: ``convolve(a, w, "full") == convolve(w, a, "full")``.
    """
    img, ker = _checked(image, kernel)
    return correlate(img, ker[::-1, ::-1], padding, stride=stride, dilation=dilation, padding_mode=padding_mode)


def _checked(image, kernel) -> tuple[np.ndarray, np.ndarray]:
    img = as_image(image)
    ker = as_kernel(kernel, img.dtype)
    check_ranks(img, ker)
    return img, ker


def _correlate_checked(img: np.ndarray, ker: np.ndarray, geo: Geometry) -> np.ndarray:
    padded = pad_image(img, geo.pads, geo.padding_mode)
    taps = ker.shape[0] * ker.shape[1]
    oh, ow = geo.out_hw
    if taps >= FFT_MIN_TAPS and oh * ow >= FFT_MIN_OUTPUT:
        return _correlate_fft(padded, ker, geo)
    return _correlate_direct(padded, ker, geo)


def _correlate_direct(padded: np.ndarray, ker: np.ndarray, geo: Geometry) -> np.ndarray:
    """Patch matrix and one matrix-vector product per strip of output rows.

    For a strip of ``n`` output rows the patch matrix holds, for every tap ``(a, b, c)``,
    the input values that tap sees — shape ``(taps, n·W')``, about :data:`STRIP_BYTES` —
    and the strip is ``weights @ patches`` (single-threaded einsum). Exact for integer data.
    Taps whose weight is 0 are left out when every input value is finite (they add exactly 0;
    a NaN or ∞ pixel must still spread through them, as it does in SciPy).
    """
    (oh, ow), (sh, sw), (dh, dw) = geo.out_hw, geo.stride, geo.dilation
    dtype = padded.dtype
    kh, kw = ker.shape[:2]
    k3 = ker.reshape(kh, kw, -1)
    planes = padded[None] if padded.ndim == 2 else np.ascontiguousarray(np.moveaxis(padded, 2, 0))
    taps = [(a, b, c) for a in range(kh) for b in range(kw) for c in range(k3.shape[2])]
    if len(taps) > 1 and not np.all(k3) and np.isfinite(padded).all():
        taps = [t for t in taps if k3[t] != 0]
        if not taps:
            return np.zeros((oh, ow), dtype=dtype)
    weights = np.array([k3[t] for t in taps], dtype=dtype)
    out = np.empty((oh, ow), dtype=dtype)
    rows = max(1, min(oh, STRIP_BYTES // max(1, len(taps) * ow * dtype.itemsize)))
    patches = np.empty((len(taps), rows, ow), dtype=dtype)
    col_stop = (ow - 1) * sw + 1
    for r0 in range(0, oh, rows):
        n = min(rows, oh - r0)
        strip = patches[:, :n]
        for i, (a, b, c) in enumerate(taps):
            row_start = r0 * sh + a * dh
            strip[i] = planes[c, row_start:row_start + (n - 1) * sh + 1:sh, b * dw:b * dw + col_stop:sw]
        # einsum, not matmul: a BLAS matrix-vector product may start threads that spin when the
        # machine is busy (measured 24 ms instead of 0.3 ms for a 256² strip under load)
        np.einsum("t,tp->p", weights, strip.reshape(len(taps), n * ow), out=out[r0:r0 + n].reshape(n * ow))
    return out


def _next_fast_len(n: int) -> int:
    """Smallest 2^a·3^b·5^c ≥ n (sizes the FFT is fast for)."""
    best = 1 << max(0, (n - 1).bit_length())
    p5 = 1
    while p5 < best:
        p35 = p5
        while p35 < best:
            m = p35
            while m < n:
                m *= 2
            best = min(best, m)
            p35 *= 3
        p5 *= 5
    return best


def _is_integral(a: np.ndarray) -> bool:
    return bool(np.all(np.equal(np.mod(a, 1), 0)))


def _correlate_fft(padded: np.ndarray, ker: np.ndarray, geo: Geometry) -> np.ndarray:
    """Valid correlation through the real FFT of the padded input's size (no wrap-around reaches it)."""
    (oh, ow), (sh, sw), (dh, dw) = geo.out_hw, geo.stride, geo.dilation
    kh, kw = ker.shape[:2]
    eh, ew = dh * (kh - 1) + 1, dw * (kw - 1) + 1
    ph, pw = padded.shape[:2]
    fh, fw = _next_fast_len(ph), _next_fast_len(pw)
    # correlation = convolution with the flipped (and dilated) kernel
    spread = np.zeros((eh, ew) + ker.shape[2:], dtype=ker.dtype)
    spread[::dh, ::dw] = ker
    flipped = spread[::-1, ::-1]
    spectrum = np.fft.rfft2(padded, s=(fh, fw), axes=(0, 1))
    spectrum *= np.fft.rfft2(flipped, s=(fh, fw), axes=(0, 1))
    if spectrum.ndim == 3:
        spectrum = spectrum.sum(axis=2)
    full = np.fft.irfft2(spectrum, s=(fh, fw), axes=(0, 1))
    out = full[eh - 1:ph:sh, ew - 1:pw:sw][:oh, :ow]
    out = np.ascontiguousarray(out, dtype=padded.dtype)
    if padded.dtype == np.float64 and _is_integral(ker) and _is_integral(padded):
        np.rint(out, out=out)
    _clip_to_known_sign(out, padded, ker)
    return out


def _clip_to_known_sign(out: np.ndarray, padded: np.ndarray, ker: np.ndarray) -> None:
    """A result whose sign is known (non-negative input, kernel of one sign) keeps it: the FFT's
    round-off (e.g. −1.5e−13 for a blur of a photo) must not make a non-negative output signed."""
    if not padded.size or not np.isfinite(low := padded.min()) or low < 0:
        return
    if ker.min() >= 0:
        np.maximum(out, 0, out=out)
    elif ker.max() <= 0:
        np.minimum(out, 0, out=out)
