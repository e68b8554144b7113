"""What the Filter tab computes in its worker and how it is shown (no Qt).

:func:`compute_output` runs off the GUI thread on a snapshot of the document: the filtered
output, its automatic display levels and, for large outputs, its bytes at those levels.
:func:`prepare_input` does the same for the input image. :func:`output_display` decides the
levels and colour map from the user's choices (a :class:`~convviz.model.states.FilterState`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from .colour import DEFAULT_DIVERGING, DEFAULT_SEQUENTIAL, display_levels, scale_to_bytes
from .filtering import filter_image, to_gray
from .shapes import output_shape
from .stepping import format_number

#: inputs and outputs larger than this are turned into bytes for drawing in the worker, and a large
#: output is kept in float32 for drawing (the numbers a person reads are computed exactly on demand)
LARGE_PIXELS = 1_000_000
#: an output larger than this is first shown as an exact preview: every s-th pixel of the output,
#: computed with s times the stride (a strided output is the stride-1 output sampled), so about this many
PREVIEW_PIXELS = 1_000_000


@dataclass(frozen=True)
class ComputedOutput:
    """An output and the settings it was computed with (so it is placed as it was computed)."""

    values: np.ndarray
    image_hw: tuple[int, int]
    kernel_hw: tuple[int, int]
    padding: object
    stride: tuple[int, int]
    dilation: tuple[int, int]
    auto_levels: tuple[float, float]
    display: np.ndarray | None = None  # large outputs: uint8 of ``values`` at ``auto_levels``, to draw as is
    scale: str = "auto"                # the scale ``auto_levels`` were chosen for
    every: int = 1                     # > 1: a preview holding every ``every``-th output pixel (exact values)
    full_hw: tuple[int, int] | None = None  # the whole output's (H', W') (``values.shape[:2]`` unless a preview)
    source: tuple | None = None        # (image, kernel, kwargs) it was computed from (the document's own arrays)

    @property
    def preview(self) -> bool:
        return self.every > 1


def preview_every(output_hw) -> int:
    """``s`` such that every ``s``-th output pixel makes about :data:`PREVIEW_PIXELS` (1: no preview)."""
    n = int(output_hw[0]) * int(output_hw[1])
    return 1 if n <= PREVIEW_PIXELS else math.ceil(math.sqrt(n / PREVIEW_PIXELS))


def compute_output(image: np.ndarray, kernel: np.ndarray, kwargs: dict, scale: str = "auto",
                   every: int = 1) -> ComputedOutput:
    """:func:`~convviz.model.filter_image` with a snapshot of the document, the automatic display
    levels for ``scale`` (see :data:`convviz.model.colour.SCALES`) and, for a large output, its bytes
    at those levels (so the view need not rescale it).

    ``every > 1`` computes the preview: the output at every ``every``-th row and column, exactly (the
    same numbers as the whole output there), with ``every`` times the stride. A large whole output is
    kept as float32 (for drawing); :func:`output_value_at` gives any pixel's exact float64 value.
    """
    sh, sw = kwargs["stride"]
    full_hw = output_shape(image.shape[:2], kernel.shape, kwargs["padding"], stride=(sh, sw),
                           dilation=kwargs["dilation"])
    stride = (sh * every, sw * every)
    values = filter_image(image, kernel, **{**kwargs, "stride": stride})
    large = values.shape[0] * values.shape[1] > LARGE_PIXELS
    if large and values.dtype == np.float64:
        values = values.astype(np.float32)
    values.flags.writeable = False
    levels = display_levels(values, scale=scale)
    return ComputedOutput(values, image.shape[:2], kernel.shape, kwargs["padding"], stride,
                          kwargs["dilation"], levels, scale_to_bytes(values, levels) if large else None, scale,
                          every, full_hw, (image, kernel, dict(kwargs)))


def output_value_at(image: np.ndarray, kernel: np.ndarray, kwargs: dict, index: tuple[int, int]):
    """The exact float64 value(s) of output pixel ``index`` of ``filter_image(image, kernel, **kwargs)``:
    a float, or one per channel for a colour image filtered channel by channel. Only the kernel's window
    is read, so hovering over a 12-megapixel output costs microseconds."""
    img = np.asarray(image)
    if kwargs.get("gray") and img.ndim == 3:
        img = to_gray(img)
    k = np.asarray(kernel, dtype=np.float64)
    if kwargs.get("flip"):
        k = k[::-1, ::-1]
    from ._args import as_pair  # noqa: PLC0415
    from .shapes import padding_amounts

    sh, sw = as_pair(kwargs["stride"], "stride", minimum=1)
    dh, dw = as_pair(kwargs["dilation"], "dilation", minimum=1)
    top, _b, left, _r = padding_amounts(k.shape[:2], kwargs["padding"], dilation=(dh, dw))
    rows = index[0] * sh - top + dh * np.arange(k.shape[0])
    cols = index[1] * sw - left + dw * np.arange(k.shape[1])
    mode = kwargs.get("padding_mode", "zeros")
    r_idx, r_in = _border_indices(rows, img.shape[0], mode)
    c_idx, c_in = _border_indices(cols, img.shape[1], mode)
    patch = np.asarray(img[np.ix_(r_idx, c_idx)], dtype=np.float64)
    mask = r_in[:, None] & c_in[None, :]
    if patch.ndim == 3 and k.ndim == 2:        # channel by channel
        products = patch * (k * mask)[:, :, None]
        return tuple(float(v) for v in products.sum(axis=(0, 1)))
    if patch.ndim == 3:                         # a (KH, KW, C) kernel sums the channels
        mask = mask[:, :, None]
    return float((patch * k * mask).sum())


def _border_indices(idx: np.ndarray, n: int, mode: str) -> tuple[np.ndarray, np.ndarray]:
    """Indices into an axis of length ``n`` for positions ``idx`` (some outside), and which are inside
    (for ``"zeros"`` the outside ones read index 0 and are masked out)."""
    inside = (idx >= 0) & (idx < n)
    if mode == "zeros":
        return np.where(inside, idx, 0), inside
    if mode == "replicate":
        return np.clip(idx, 0, n - 1), np.ones_like(inside)
    if mode == "circular":
        return np.mod(idx, n), np.ones_like(inside)
    if mode == "reflect":                       # d c b | a b c d | c b a (edge not repeated)
        if n == 1:
            return np.zeros_like(idx), np.ones_like(inside)
        period = 2 * (n - 1)
        m = np.mod(idx, period)
        return np.where(m < n, m, period - m), np.ones_like(inside)
    raise ValueError(f"Unknown padding mode {mode!r}.")


def as_whole(result: ComputedOutput) -> ComputedOutput:
    """``result`` described as the whole output (used in tests and when a preview is all there is)."""
    return replace(result, every=1, full_hw=result.values.shape[:2])


def decode_image(path) -> np.ndarray:
    """Decode ``path`` and make it read-only as the document stores it (no second copy)."""
    from convviz.io import load_image  # noqa: PLC0415 - io imports model; keep the model importable alone

    from .document import document_image

    return document_image(load_image(path), take=True)


@dataclass(frozen=True)
class PreparedInput:
    """The input as the view shows it: its values and, for large images, their bytes to draw."""

    image: np.ndarray              # the document's image it was made from (compared by identity)
    gray: bool
    values: np.ndarray             # (H, W) or (H, W, 3), 0–255
    display: np.ndarray | None     # uint8 of ``values`` (drawn without rescaling), or None


def prepare_input(image: np.ndarray, gray: bool, *, display: bool = True) -> PreparedInput:
    """The shown input (luminance when ``gray``) and, if ``display``, its bytes."""
    values = to_gray(image) if (gray and image.ndim == 3) else image
    return PreparedInput(image, gray, values, scale_to_bytes(values, (0.0, 255.0)) if display else None)


def output_display(values, auto_levels, *, colormap: str | None, clip: bool,
                   levels: tuple[float, float] | None, scale: str = "auto") -> tuple[tuple[float, float], str]:
    """Levels and colour-map name for ``values`` with the user's choices.

    ``levels`` (manual) win; else ``clip`` gives 0–255; else ``auto_levels`` (``display_levels(values,
    scale=scale)``, computed in the worker). ``colormap`` None picks the diverging map for signed levels,
    grey otherwise.
    """
    if levels:
        chosen = (float(levels[0]), float(levels[1]))
    elif clip or auto_levels is None:
        chosen = display_levels(values, clip_to_image_range=clip, scale=scale)
    else:
        chosen = (float(auto_levels[0]), float(auto_levels[1]))
    name = colormap or (DEFAULT_DIVERGING if chosen[0] < 0 else DEFAULT_SEQUENTIAL)
    return chosen, name


def describe_exact(value) -> str:
    """:func:`output_value_at`'s result as text: ``12.5`` or ``(1, 2, 3)``."""
    if isinstance(value, tuple):
        return "(" + ", ".join(format_number(v) for v in value) + ")"
    return format_number(float(value))


def describe_values(values, index) -> str:
    """The value (or the channel values) at ``index`` as text: ``12.5`` or ``(1, 2, 3)``."""
    v = values[index]
    if np.ndim(v) == 0:
        return format_number(float(v))
    return "(" + ", ".join(format_number(float(c)) for c in v) + ")"
