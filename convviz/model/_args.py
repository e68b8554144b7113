"""Checking and normalising the arguments shared by every convolution function.

Each check raises ``ValueError`` with a sentence a user can act on.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .limits import MAX_ARGUMENT, check_argument, check_work_pixels

PADDING_NAMES = ("valid", "same", "full")
PADDING_MODES = ("zeros", "reflect", "replicate", "circular")

#: numpy.pad mode for each PyTorch ``padding_mode`` name
NUMPY_PAD_MODE: dict[str, str] = {"zeros": "constant", "reflect": "reflect", "replicate": "edge", "circular": "wrap"}


class Pads(NamedTuple):
    """Padding on each side of the two spatial axes, in pixels."""

    top: int
    bottom: int
    left: int
    right: int


def as_int(value, name: str, *, minimum: int) -> int:
    """A whole number (Python or NumPy int, not bool) from ``minimum`` to :data:`~.limits.MAX_ARGUMENT`."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be a whole number, not {_shown(value)}.")
    number = int(value)
    if number < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {number}.")
    check_argument(number, name)
    return number


def _shown(value) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def as_whole(value, name: str, minimum: int) -> int:
    """An int (or a whole float such as ``5.0``) of at least ``minimum``; ``ValueError`` otherwise."""
    if isinstance(value, (float, np.floating)) and np.isfinite(value) and float(value).is_integer():
        value = int(value)
    return as_int(value, name, minimum=minimum)


def as_hw(value, name: str, *, square: bool) -> tuple[int, int]:
    """``(H, W)`` from a sequence of at least two sizes (extra entries ignored), or an int when ``square``."""
    if square and isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)):
        return as_pair(value, name, minimum=1)
    example = "(KH, KW) or an int K" if square else "(H, W)"
    try:
        items = tuple(value)[:2] if not isinstance(value, (str, bytes)) else ()
    except TypeError:
        items = ()
    if len(items) != 2:
        raise ValueError(f"{name} must be {example}, not {value!r:.60}.")
    return as_whole(items[0], f"{name} (rows)", 1), as_whole(items[1], f"{name} (columns)", 1)


def as_pair(value, name: str, *, minimum: int) -> tuple[int, int]:
    """``3`` → ``(3, 3)``; ``(2, 1)`` stays; anything else, below ``minimum`` or above
    :data:`~.limits.MAX_ARGUMENT` raises ``ValueError``."""
    bad = f"{name} must be an integer or a pair of integers, not {_shown(value)}."
    if isinstance(value, (bool, np.bool_, str, bytes)):
        raise ValueError(bad)
    if isinstance(value, (int, np.integer)):
        pair = (int(value), int(value))
    else:
        try:
            items = tuple(value)
        except TypeError:
            raise ValueError(bad) from None
        if len(items) != 2 or not all(
            isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_)) for v in items
        ):
            raise ValueError(bad)
        pair = (int(items[0]), int(items[1]))
    if min(pair) < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {_shown(value)}.")
    if max(pair) > MAX_ARGUMENT:
        check_argument(max(pair), name)
    return pair


def working_dtype(image: np.ndarray) -> np.dtype:
    """float32 (and float16) images are computed in float32, everything else in float64."""
    if image.dtype in (np.float32, np.float16):
        return np.dtype(np.float32)
    return np.dtype(np.float64)


def as_image(image) -> np.ndarray:
    arr = np.asarray(image)
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise ValueError("The image must hold numbers.")
    if np.iscomplexobj(arr):
        raise ValueError("The image must hold real numbers, not complex ones.")
    if arr.ndim not in (2, 3):
        raise ValueError(
            f"The image must be 2-D (H, W) or 3-D (H, W, C), but it has {arr.ndim} dimension(s) {arr.shape}."
        )
    if arr.size == 0:
        raise ValueError(f"The image is empty (shape {arr.shape}).")
    return arr.astype(working_dtype(arr), copy=False)


def as_kernel(kernel, dtype: np.dtype, *, name: str = "kernel") -> np.ndarray:
    arr = np.asarray(kernel)
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise ValueError(f"The {name} must hold numbers.")
    if np.iscomplexobj(arr):
        raise ValueError(f"The {name} must hold real numbers, not complex ones.")
    if arr.size == 0:
        raise ValueError(f"The {name} is empty (shape {arr.shape}).")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"The {name} contains NaN or infinite values; every weight must be a finite number.")
    return arr.astype(dtype, copy=False)


def check_ranks(image: np.ndarray, kernel: np.ndarray) -> None:
    """2-D image with 2-D kernel, or (H, W, C) image with (KH, KW, C) kernel."""
    if kernel.ndim not in (2, 3):
        raise ValueError(
            f"The kernel must be 2-D (KH, KW) or 3-D (KH, KW, C), but it has shape {kernel.shape}."
        )
    if image.ndim == 2 and kernel.ndim == 3:
        raise ValueError(
            f"A 3-D kernel {kernel.shape} needs a 3-D image (H, W, {kernel.shape[2]}), "
            f"but the image is 2-D {image.shape}."
        )
    if image.ndim == 3 and kernel.ndim == 2:
        raise ValueError(
            f"The image has {image.shape[2]} channels {image.shape} but the kernel is 2-D {kernel.shape}: "
            f"give a (KH, KW, {image.shape[2]}) kernel, or use filter_image() to filter each channel on its own."
        )
    if image.ndim == 3 and image.shape[2] != kernel.shape[2]:
        raise ValueError(
            f"Channel mismatch: the image has {image.shape[2]} channels but the kernel has {kernel.shape[2]}."
        )


def resolve_padding(padding, kernel_hw, dilation) -> Pads:
    """Padding in pixels on each side for ``padding`` = name, int or ``(ph, pw)``.

    ``"same"`` pads ``D·(K−1)`` in total per axis with the odd pixel at the
    bottom/right (as PyTorch and TensorFlow); ``"full"`` pads ``D·(K−1)`` on each side.
    """
    kh, kw = kernel_hw
    dh, dw = dilation
    eh, ew = dh * (kh - 1), dw * (kw - 1)
    if isinstance(padding, str):
        name = padding.lower()
        if name == "valid":
            return Pads(0, 0, 0, 0)
        if name == "same":
            return Pads(eh // 2, eh - eh // 2, ew // 2, ew - ew // 2)
        if name == "full":
            return Pads(eh, eh, ew, ew)
        raise ValueError(
            f"Unknown padding {padding!r}: use 'valid', 'same', 'full', an integer or a pair (ph, pw)."
        )
    ph, pw = as_pair(padding, "padding", minimum=0)
    return Pads(ph, ph, pw, pw)


def check_padding_mode(padding_mode: str) -> str:
    if padding_mode not in PADDING_MODES:
        raise ValueError(
            f"Unknown padding_mode {padding_mode!r}: use one of {', '.join(PADDING_MODES)}."
        )
    return padding_mode


def output_size(n: int, k: int, pad_total: int, stride: int, dilation: int) -> int:
    """``⌊(N + P_total − D(K−1) − 1)/S⌋ + 1`` (may be ≤ 0 when the kernel does not fit)."""
    return (n + pad_total - dilation * (k - 1) - 1) // stride + 1


def check_fits(input_hw, kernel_hw, pads: Pads, dilation) -> None:
    (h, w), (kh, kw), (dh, dw) = input_hw, kernel_hw, dilation
    ph, pw = h + pads.top + pads.bottom, w + pads.left + pads.right
    eh, ew = dh * (kh - 1) + 1, dw * (kw - 1) + 1
    if eh > ph or ew > pw:
        spread = "" if (dh, dw) == (1, 1) else f" (spread to {eh}×{ew} by dilation {dh}×{dw})"
        raise ValueError(
            f"The kernel {kh}×{kw}{spread} is larger than the padded input {ph}×{pw}: "
            f"use a smaller kernel, less dilation, or 'same'/'full' padding."
        )


class Geometry(NamedTuple):
    """Everything about one convolution's layout, checked."""

    pads: Pads
    stride: tuple[int, int]
    dilation: tuple[int, int]
    out_hw: tuple[int, int]
    padding_mode: str


def geometry(input_hw, kernel_hw, padding, stride, dilation, padding_mode="zeros") -> Geometry:
    stride = as_pair(stride, "stride", minimum=1)
    dilation = as_pair(dilation, "dilation", minimum=1)
    check_padding_mode(padding_mode)
    pads = resolve_padding(padding, kernel_hw, dilation)
    check_fits(input_hw, kernel_hw, pads, dilation)
    if pads != (0, 0, 0, 0):  # the padded copy is allocated here; the input itself is the caller's
        check_work_pixels(input_hw[0] + pads.top + pads.bottom, input_hw[1] + pads.left + pads.right,
                          what="The padded input")
    out_hw = (
        output_size(input_hw[0], kernel_hw[0], pads.top + pads.bottom, stride[0], dilation[0]),
        output_size(input_hw[1], kernel_hw[1], pads.left + pads.right, stride[1], dilation[1]),
    )
    return Geometry(pads, stride, dilation, out_hw, padding_mode)


def pad_image(image: np.ndarray, pads: Pads, padding_mode: str) -> np.ndarray:
    """Pad the two spatial axes (channels, if any, are left alone)."""
    if pads == (0, 0, 0, 0):
        return image
    width = [(pads.top, pads.bottom), (pads.left, pads.right)] + [(0, 0)] * (image.ndim - 2)
    mode = NUMPY_PAD_MODE[padding_mode]
    if mode == "reflect":
        h, w = image.shape[:2]
        if (h < 2 and pads.top + pads.bottom) or (w < 2 and pads.left + pads.right):
            raise ValueError("Reflect padding needs at least 2 pixels along each padded axis.")
    return np.pad(image, width, mode=mode)  # type: ignore[call-overload]


def border_read(idx: np.ndarray, n: int, padding_mode: str) -> np.ndarray:
    """The indices into an axis of length ``n`` that positions ``idx`` (some outside ``0..n−1``) read
    under ``padding_mode``, as :func:`pad_image` pads: ``"replicate"`` the edge, ``"circular"`` wrapped,
    ``"reflect"`` mirrored without repeating the edge (``d c b | a b c d | c b a``). For ``"zeros"`` the
    outside positions read the nearest edge; the caller puts 0 there."""
    if padding_mode not in PADDING_MODES:
        raise ValueError(f"Unknown padding mode {padding_mode!r}.")
    if padding_mode == "zeros":
        return np.clip(idx, 0, n - 1)
    return source_index(idx, n, padding_mode)


def source_index(positions: np.ndarray, n: int, padding_mode: str) -> np.ndarray:
    """The index into an axis of length ``n`` that each position (some outside ``0..n−1``) reads under
    ``padding_mode`` as :func:`pad_image` pads, or −1 where ``"zeros"`` padding reads 0."""
    np_mode = NUMPY_PAD_MODE[padding_mode]
    if np_mode == "constant":
        return np.where((positions >= 0) & (positions < n), positions, -1)
    if np_mode == "edge":
        return np.clip(positions, 0, n - 1)
    if np_mode == "wrap":
        return np.mod(positions, n)
    if n == 1:                                   # numpy "reflect": mirror without repeating the edge
        return np.zeros_like(positions)
    period = 2 * (n - 1)
    m = np.mod(positions, period)
    return np.where(m < n, m, period - m)
