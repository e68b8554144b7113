"""What the Filter tab computes in its worker and how it is shown (no Qt).

:func:`compute_output` runs off the GUI thread on a snapshot of the document: the filtered
output, its automatic display levels and, for large outputs, its bytes at those levels.
:func:`prepare_input` does the same for the input image. :func:`output_display` decides the
levels and colour map from the user's choices (a :class:`~convviz.model.states.FilterState`).
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from ._args import as_pair, border_read
from .colour import (
    DEFAULT_DIVERGING,
    DEFAULT_SEQUENTIAL,
    display_levels,
    display_rgb,
    display_rgb_from_bytes,
    scale_to_bytes,
)
from .filtering import filter_image, to_gray
from .screen_sample import reduction_step, screen_sample
from .shapes import output_shape, padding_amounts
from .stepping import format_number
from .strip_filter import can_filter_for_display, filter_for_display, products_per_value
from .view_geometry import Rect

#: inputs and outputs larger than this are turned into bytes for drawing in the worker, and a large
#: output is kept in float32 for drawing (the numbers a person reads are computed exactly on demand)
LARGE_PIXELS = 1_000_000
#: outputs larger than this are computed for drawing in float32 (row strips on every core, bytes made in the
#: worker): nobody reads a number off a quarter-megapixel array, the hover computes it exactly
DRAW_FLOAT32_PIXELS = 250_000
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
    value_range: tuple[float, float] | None = None  # smallest and largest finite value (None: none finite)
    reduced: np.ndarray | None = None  # what a view draws of ``display`` (screen_sample), when that is reduced
    bytes_levels: tuple[float, float] | None = None  # the levels ``display`` was made at (None: ``auto_levels``)
    sample_step: int = 1               # > 1: ``values`` holds every s-th pixel of the output, ``display`` all

    @property
    def preview(self) -> bool:
        return self.every > 1

    @property
    def values_hw(self) -> tuple[int, int]:
        """``(H, W)`` of the array :attr:`values` stands for (the whole output when it holds a sample)."""
        if self.sample_step > 1 and self.full_hw is not None:
            return (int(self.full_hw[0]), int(self.full_hw[1]))
        return (int(self.values.shape[0]), int(self.values.shape[1]))

    @property
    def drawn_levels(self) -> tuple[float, float] | None:
        """The levels the bytes in :attr:`display` were made at (None: there are none)."""
        if self.display is None:
            return None
        return self.bytes_levels if self.bytes_levels is not None else self.auto_levels


#: outputs costing fewer tap-pixels than this (:func:`tap_pixels`: a few milliseconds) are computed at
#: once, on the thread that asks; handing them to a worker costs more than it saves
QUICK_TAP_PIXELS = 8_000_000


#: an output expected to be computed whole within this many seconds is not previewed first: the preview
#: would only delay it. The expectation comes from how long the last whole output of the same image took
#: (per tap-pixel), so it is kept well inside the 0.15 s a preview is promised in.
WHOLE_WITHOUT_PREVIEW_S = 0.1


def tap_pixels(image_shape, kernel, output_hw) -> int:
    """Output pixels × channels × multiply-adds per value (the non-zero taps; a separable kernel's column
    plus row, see :func:`~convviz.model.strip_filter.products_per_value`): the work of computing an output."""
    channels = int(image_shape[2]) if len(image_shape) == 3 else 1
    return int(output_hw[0]) * int(output_hw[1]) * channels * products_per_value(kernel)


class WholeOutputCost:
    """How long a whole output of one image takes per tap-pixel (the last one measured), so the next edit
    of that image knows what to expect (:func:`preview_every`); nothing is known of another image."""

    def __init__(self) -> None:
        self._image: weakref.ref | None = None
        self._seconds_per_tap_pixel = 0.0

    def measured(self, result: ComputedOutput, seconds: float) -> None:
        """``result`` took ``seconds``; previews (and outputs without a source) teach nothing."""
        if result.preview or result.source is None:
            return
        image, kernel, _kwargs = result.source
        self._image = weakref.ref(image)
        self._seconds_per_tap_pixel = seconds / tap_pixels(image.shape, kernel, result.values_hw)

    def expected(self, image: np.ndarray, kernel: np.ndarray, output_hw) -> float | None:
        """Seconds the whole output of ``image`` with ``kernel`` should take (None: this image not measured)."""
        if self._image is None or self._image() is not image:
            return None
        return self._seconds_per_tap_pixel * tap_pixels(image.shape, kernel, output_hw)


def is_quick(image_shape, kernel, output_hw) -> bool:
    """True when computing the output takes a few milliseconds (see :data:`QUICK_TAP_PIXELS`)."""
    return tap_pixels(image_shape, kernel, output_hw) <= QUICK_TAP_PIXELS


def preview_every(output_hw, expected_seconds: float | None = None) -> int:
    """``s`` such that every ``s``-th output pixel makes about :data:`PREVIEW_PIXELS` (1: no preview);
    1 also when the whole output is expected within :data:`WHOLE_WITHOUT_PREVIEW_S` (``expected_seconds``)."""
    n = int(output_hw[0]) * int(output_hw[1])
    if n <= PREVIEW_PIXELS or (expected_seconds is not None and expected_seconds <= WHOLE_WITHOUT_PREVIEW_S):
        return 1
    return math.ceil(math.sqrt(n / PREVIEW_PIXELS))


def compute_output(image: np.ndarray, kernel: np.ndarray, kwargs: dict, scale: str = "auto",
                   every: int = 1, *, levels: tuple[float, float] | None = None,
                   cancelled: Callable[[], bool] | None = None) -> ComputedOutput | None:
    """:func:`~convviz.model.filter_image` with a snapshot of the document, the automatic display
    levels for ``scale`` (see :data:`convviz.model.colour.SCALES`) and, for a large output, its bytes
    at those levels (so the view need not rescale it).

    ``every > 1`` computes the preview: the output at every ``every``-th row and column, exactly (the
    same numbers as the whole output there), with ``every`` times the stride. A large whole output and
    its previews are computed for drawing in float32 by :func:`~convviz.model.strip_filter.filter_for_display`
    (row strips on every core, no copy of the image); :func:`output_value_at` gives any pixel's exact
    float64 value. A photo-sized output (over :data:`~convviz.model.screen_sample.REDUCE_ABOVE` pixels)
    keeps only what a screen shows of its float32 values (every s-th pixel, ``sample_step``) and its
    whole bytes. ``levels`` (optional) are the levels to make those bytes at (default: the automatic
    ones). ``cancelled()`` (optional) is asked as the work goes; once True, None is returned.
    """
    sh, sw = kwargs["stride"]
    full_hw = output_shape(image.shape[:2], kernel.shape, kwargs["padding"], stride=(sh, sw),
                           dilation=kwargs["dilation"])
    stride = (sh * every, sw * every)
    if full_hw[0] * full_hw[1] > DRAW_FLOAT32_PIXELS and can_filter_for_display(image, kernel):
        out_hw = full_hw if every == 1 else (-(-full_hw[0] // every), -(-full_hw[1] // every))
        drawn = filter_for_display(image, kernel, {**kwargs, "stride": stride}, scale=scale, levels=levels,
                                   sample_step=reduction_step(*out_hw), cancelled=cancelled)
        if drawn is None:
            return None
        return ComputedOutput(drawn.values, image.shape[:2], kernel.shape, kwargs["padding"], stride,
                              kwargs["dilation"], drawn.levels, drawn.display, scale, every, full_hw,
                              (image, kernel, dict(kwargs)), drawn.value_range,
                              None if drawn.display is None else screen_sample(drawn.display),
                              drawn.bytes_levels, drawn.sample_step)
    values = filter_image(image, kernel, **{**kwargs, "stride": stride})
    large = values.shape[0] * values.shape[1] > LARGE_PIXELS
    if large and values.dtype == np.float64:
        values = values.astype(np.float32)
    values.flags.writeable = False
    auto = display_levels(values, scale=scale)
    at = auto if levels is None else (float(levels[0]), float(levels[1]))
    return ComputedOutput(values, image.shape[:2], kernel.shape, kwargs["padding"], stride,
                          kwargs["dilation"], auto, scale_to_bytes(values, at) if large else None, scale,
                          every, full_hw, (image, kernel, dict(kwargs)), finite_range(values),
                          bytes_levels=at if large else None)


def exact_values(out: ComputedOutput) -> np.ndarray:
    """The whole output in float64, exactly (e.g. for a ``.npy`` export): a large output is drawn from
    float32 (or a sample of it), so its exact values are computed again from what it was computed from."""
    if out.preview:
        raise ValueError("The output is still being computed; try again in a moment.")
    if out.values.dtype == np.float64 or out.source is None:
        return out.values
    image, kernel, kwargs = out.source
    return filter_image(image, kernel, **kwargs)


def output_rgb(out: ComputedOutput, colormap: str, levels) -> np.ndarray:
    """``(H', W', 3)`` uint8: the whole output as a view colours it with ``colormap`` and ``levels`` (a
    photo-sized output from its bytes, made again at these levels when they were made at others)."""
    levels = (float(levels[0]), float(levels[1]))
    if out.sample_step == 1:
        return display_rgb(out.values, colormap=colormap, levels=levels)
    if out.drawn_levels != levels:
        if out.source is None:
            raise ValueError("The output is still being computed; try again in a moment.")
        image, kernel, kwargs = out.source
        remade = compute_output(image, kernel, kwargs, out.scale, 1, levels=levels)
        assert remade is not None
        out = remade
    assert out.display is not None
    return display_rgb_from_bytes(out.display, colormap)


def finite_range(values) -> tuple[float, float] | None:
    """``(min, max)`` of the finite values, or None when there is none."""
    v = np.asarray(values)
    if v.size == 0:
        return None
    lo, hi = float(v.min()), float(v.max())
    if not (math.isfinite(lo) and math.isfinite(hi)):
        finite = v[np.isfinite(v)]
        if finite.size == 0:
            return None
        lo, hi = float(finite.min()), float(finite.max())
    return lo, hi


#: the colour bar reaches this fraction of its span beyond the levels and values, so a handle at an end
#: can still be grabbed
BAR_MARGIN = 0.06


def colour_bar_span(levels, value_range=None) -> tuple[float, float]:
    """The values a colour bar shows so that its handles sit at ``levels`` and every value is on it:
    the union of ``levels`` and ``value_range``, widened by :data:`BAR_MARGIN` on each side."""
    lo, hi = float(levels[0]), float(levels[1])
    if value_range is not None:
        lo, hi = min(lo, float(value_range[0])), max(hi, float(value_range[1]))
    margin = BAR_MARGIN * (hi - lo if hi > lo else max(abs(hi), 1.0))
    return lo - margin, hi + margin


@dataclass(frozen=True)
class OutputWindow:
    """One output pixel and the kernel window that made it: what the Filter tab's magnifier shows.

    ``rows`` ``(KH,)`` and ``cols`` ``(KW,)`` are the input rows and columns of the kernel taps (negative
    or ≥ the image size on padding); ``inside`` ``(KH, KW)`` marks taps on real pixels. ``patch`` holds the
    values the taps read (what the padding holds for the others: 0 for ``"zeros"``); ``weights`` are the
    kernel as applied (turned by 180° for true convolution). ``patch`` and ``products`` are ``(KH, KW)``
    for a grey input, ``(KH, KW, C)`` for a colour one (``weights`` is ``(KH, KW, C)`` only for a kernel
    that sums the channels). ``value`` is the sum of the products: a float, or one per channel when a
    colour image is filtered channel by channel (``per_channel``).
    """

    out_index: tuple[int, int]
    rows: np.ndarray
    cols: np.ndarray
    inside: np.ndarray
    patch: np.ndarray
    weights: np.ndarray
    products: np.ndarray
    value: float | tuple[float, ...]
    per_channel: bool
    stride: tuple[int, int]
    dilation: tuple[int, int]
    padding_mode: str

    @property
    def channels(self) -> int:
        """Channels of the patch (1 for a grey input)."""
        return 1 if self.patch.ndim == 2 else int(self.patch.shape[2])

    @property
    def rect(self) -> Rect:
        """The window's bounding box in input-pixel coordinates (every tap's pixel inside it)."""
        r0, c0 = int(self.rows[0]), int(self.cols[0])
        return Rect(c0, r0, int(self.cols[-1]) - c0 + 1, int(self.rows[-1]) - r0 + 1)

    def tap_rects(self) -> list[Rect]:
        """One unit square per tap (row-major), where each sits on the input."""
        return [Rect(int(c), int(r), 1, 1) for r in self.rows.tolist() for c in self.cols.tolist()]

    @property
    def output_square(self) -> Rect:
        """The output pixel as the output view draws it: ``S_h × S_w`` centred on the window's centre."""
        box = self.rect
        sh, sw = self.stride
        return Rect(box.x + box.width / 2 - sw / 2, box.y + box.height / 2 - sh / 2, sw, sh)

    def channel_sum(self, channel: int = 0) -> float:
        """The sum of one channel's products (the whole sum for a grey input)."""
        products = self.products if self.products.ndim == 2 else self.products[:, :, channel]
        return float(products.sum())


def output_window(image: np.ndarray, kernel: np.ndarray, kwargs: dict, index) -> OutputWindow:
    """The window of output pixel ``index`` ``(row, col)`` of ``filter_image(image, kernel, **kwargs)``,
    with its products and their sum (exact float64). Only the kernel's window is read (luminance too,
    for ``gray``), so it costs microseconds on a 12-megapixel image. ``kwargs`` as
    :meth:`~convviz.model.ConvDocument.conv_kwargs` gives them."""
    img = np.asarray(image)
    k = np.array(kernel, dtype=np.float64)    # a copy: made read-only below, the caller's array is not
    if kwargs.get("flip"):
        k = k[::-1, ::-1]
    stride = as_pair(kwargs.get("stride", 1), "stride", minimum=1)
    dilation = as_pair(kwargs.get("dilation", 1), "dilation", minimum=1)
    padding = kwargs.get("padding", "valid")
    out_h, out_w = output_shape(img.shape[:2], k.shape[:2], padding, stride=stride, dilation=dilation)
    r, c = (int(v) for v in index)
    if not (0 <= r < out_h and 0 <= c < out_w):
        raise ValueError(f"Output pixel ({r}, {c}) is outside the {out_h}×{out_w} output: "
                         f"rows go from 0 to {out_h - 1} and columns from 0 to {out_w - 1}.")
    top, _b, left, _r = padding_amounts(k.shape[:2], padding, dilation=dilation)
    rows = r * stride[0] - top + dilation[0] * np.arange(k.shape[0])
    cols = c * stride[1] - left + dilation[1] * np.arange(k.shape[1])
    mode = kwargs.get("padding_mode", "zeros")
    r_idx = border_read(rows, img.shape[0], mode)
    c_idx = border_read(cols, img.shape[1], mode)
    patch = np.asarray(img[np.ix_(r_idx, c_idx)], dtype=np.float64)
    if kwargs.get("gray") and patch.ndim == 3:
        patch = np.asarray(to_gray(patch), dtype=np.float64)
    inside = ((rows >= 0) & (rows < img.shape[0]))[:, None] & ((cols >= 0) & (cols < img.shape[1]))[None, :]
    if mode == "zeros":                         # zero padding holds 0
        patch = np.where(inside if patch.ndim == 2 else inside[:, :, None], patch, 0.0)
    per_channel = patch.ndim == 3 and k.ndim == 2
    products = patch * (k[:, :, None] if per_channel else k)
    if per_channel:
        value: float | tuple[float, ...] = tuple(float(v) for v in products.sum(axis=(0, 1)))
    else:
        value = float(products.sum())
    for a in (patch, k, products):
        a.flags.writeable = False
    return OutputWindow((r, c), rows, cols, inside, patch, k, products, value, per_channel, stride, dilation, mode)


def output_value_at(image: np.ndarray, kernel: np.ndarray, kwargs: dict, index: tuple[int, int]):
    """The exact float64 value(s) of output pixel ``index`` of ``filter_image(image, kernel, **kwargs)``:
    a float, or one per channel for a colour image filtered channel by channel. Only the kernel's window
    is read, so hovering over a 12-megapixel output costs microseconds (see :func:`output_window`)."""
    return output_window(image, kernel, kwargs, index).value


def as_whole(result: ComputedOutput) -> ComputedOutput:
    """``result`` described as the whole output (used in tests and when a preview is all there is)."""
    return replace(result, every=1, full_hw=result.values.shape[:2])


def decode_image(path) -> np.ndarray:
    """Decode ``path`` and make it read-only as the document stores it (no second copy; an 8-bit
    file stays uint8: a 12-megapixel photo is 36 MB, not 288 MB)."""
    from convviz.io import load_image  # noqa: PLC0415 - io imports model; keep the model importable alone

    from .document import document_image

    return document_image(load_image(path, as_uint8=True), take=True)


@dataclass(frozen=True)
class PreparedInput:
    """The input as the view shows it: its values and, for large images, their bytes to draw."""

    image: np.ndarray              # the document's image it was made from (compared by identity)
    gray: bool
    values: np.ndarray             # (H, W) or (H, W, 3), 0–255
    display: np.ndarray | None     # uint8 of ``values`` (drawn without rescaling), or None
    reduced: np.ndarray | None = None   # what a view draws of ``display`` (screen_sample), when reduced


def prepare_input(image: np.ndarray, gray: bool, *, display: bool = True) -> PreparedInput:
    """The shown input (luminance when ``gray``) and, if ``display``, its bytes."""
    values = to_gray(image) if (gray and image.ndim == 3) else image
    if not display:
        return PreparedInput(image, gray, values, None)
    shown = values if values.dtype == np.uint8 else scale_to_bytes(values, (0.0, 255.0))   # uint8: drawn as is
    return PreparedInput(image, gray, values, shown, screen_sample(shown))


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
