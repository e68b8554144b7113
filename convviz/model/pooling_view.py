"""What the Pooling tab shows, computed without Qt: the map that is pooled, the crop stepped through,
one step's cells and words, the conv → ReLU → pool row and the shift (invariance) sentence.

:func:`pooling_source` is the slow part (it filters and pools the whole picture; the panel runs it in
its worker on large images); :func:`pool_frame` is one step on the small crop.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .bank.texts import ordinal
from .player_plane import ImagePlane
from .player_region import WHOLE_IMAGE_SIDE, busiest_crop, region_around
from .pooling import (
    POOL_MODES,
    PoolGeometry,
    PoolStep,
    ShiftDifference,
    pool,
    pool_steps,
    pooled_shift_difference,
)
from .pooling_map import FeatureMapPlane
from .step_view import THUMB_SIDE, cell_texts, grid_rgb, levels_of, shape_text, thumbnail_step

#: the crop keeps this many pixels of context on each side (the most the input can be shifted)
SHIFT_MARGIN = 4
#: the shift is measured over the whole map, or this big a part of it around the crop on large pictures
INVARIANCE_SIDE = 512


@dataclass(frozen=True)
class ChainStage:
    """One picture of the conv → ReLU → pool row: its words, its real shape and a thumbnail to draw."""

    label: str
    shape: tuple[int, ...]
    picture: np.ndarray
    name: str = ""

    @property
    def title(self) -> str:
        """The short caption over the picture: ``conv: 256×256``."""
        return f"{self.name}: {shape_text(self.shape)}"

    @property
    def every(self) -> int:
        """The picture is every ``every``-th pixel of the map (1: the whole map)."""
        return thumbnail_step(self.shape[:2], THUMB_SIDE)


@dataclass(frozen=True)
class PoolingSource:
    """What the tab keeps of the 2-D map that is pooled (``kind`` ``"image"``: the luminance;
    ``"feature_map"``: ReLU of the document's output): ``area``, the part of the map around the crop the shift
    is measured on (all of it, or :data:`INVARIANCE_SIDE` a side; a copy, so nothing of a large map is held),
    whose first pixel is pixel ``origin`` of the whole ``map_shape`` map; the crop ``(row, col, h, w)`` stepped
    through (in the whole map), ``margin`` pixels of context around it (how far the input can move) and the
    stages of the layer row."""

    kind: str
    area: np.ndarray
    origin: tuple[int, int]
    map_shape: tuple[int, int]
    crop: tuple[int, int, int, int]
    margin: int
    chain: tuple[ChainStage, ...]

    def _in_area(self) -> tuple[int, int, int, int]:
        r, c, h, w = self.crop
        return r - self.origin[0], c - self.origin[1], h, w

    def context(self, margin: int | None = None) -> np.ndarray:
        """The crop with ``margin`` (default: all the kept) pixels around it."""
        m = self.margin if margin is None else margin
        r, c, h, w = self._in_area()
        return self.area[r - m:r + h + m, c - m:c + w + m]

    def shifted_crop(self, dy: int, dx: int) -> np.ndarray:
        """The crop with its content moved ``dy`` rows down and ``dx`` columns right (what is stepped through)."""
        self._check_shift(dy, dx)
        r, c, h, w = self._in_area()
        return self.area[r - dy:r - dy + h, c - dx:c - dx + w]

    def shift_difference(self, dy: int, dx: int, kernel_size: int, **pool_kwargs) -> ShiftDifference:
        """:func:`~convviz.model.pooling.pooled_shift_difference` over :meth:`measured_area`: how much moving the
        input changes the map."""
        self._check_shift(dy, dx)
        return pooled_shift_difference(self.area, (dy, dx), kernel_size, **pool_kwargs)

    def measured_area(self) -> np.ndarray:
        """The part of the map the shift is measured on: all of it, or :data:`INVARIANCE_SIDE` a side."""
        return self.area

    def _check_shift(self, dy: int, dx: int) -> None:
        if max(abs(dy), abs(dx)) > self.margin:
            raise ValueError(f"This {shape_text(self.map_shape)} map leaves room to move the crop by at most "
                             f"{self.margin} pixels: use a smaller shift or crop.")


def kept_area(map2d, crop: tuple[int, int, int, int]) -> tuple[np.ndarray, tuple[int, int]]:
    """``(area, (top, left))``: a copy of the :data:`INVARIANCE_SIDE`-side part of ``map2d`` centred on ``crop``
    (all of a smaller map) and where it starts; it holds the crop and the context around it."""
    r, c, ch, cw = crop
    top, left, sh, sw = region_around(map2d.shape, (r + ch // 2, c + cw // 2), INVARIANCE_SIDE)
    area = np.array(map2d[top:top + sh, left:left + sw], dtype=np.float64)
    area.flags.writeable = False
    return area, (int(top), int(left))


def crop_with_margin(map2d, side: int, margin: int = SHIFT_MARGIN) -> tuple[tuple[int, int, int, int],
                                                                                        int]:
    """A ``side``×``side`` crop where the map varies most (as the player chooses), moved so that ``margin``
    pixels of context lie around it; returns ``(crop, margin)`` with the margin the map leaves room for."""
    h, w = map2d.shape
    ch, cw = min(side, h), min(side, w)
    m = max(0, min(margin, (h - ch) // 2, (w - cw) // 2))
    if (h <= WHOLE_IMAGE_SIDE and w <= WHOLE_IMAGE_SIDE) or min(h, w) < side:
        r, c, ch, cw = region_around((h, w), (h // 2, w // 2), side)   # busiest_crop would give it all
    else:
        r, c, ch, cw = busiest_crop(map2d, side)
    r = min(max(r, m), h - ch - m)
    c = min(max(c, m), w - cw - m)
    return (int(r), int(c), int(ch), int(cw)), int(m)


def pool_label(kernel_size: int, stride: int, padding: int, mode: str) -> str:
    """``max pool 2×2, stride 2`` (``, padding 1`` when there is padding)."""
    name = "max pool" if mode == "max" else "average pool"
    return f"{name} {kernel_size}×{kernel_size}, stride {stride}" + (f", padding {padding}" if padding else "")


def pooling_source(image, kind: str, side: int, kernel_size: int, pool_kwargs: dict, *, kernel=None,
                   conv_kwargs: dict | None = None, kernel_name: str = "kernel") -> PoolingSource:
    """Prepare what the Pooling tab steps through.

    ``image`` is the document's image (grey or colour; its luminance is used); for ``kind ==
    "feature_map"`` it is filtered with ``kernel`` and ``conv_kwargs`` (padding, stride, dilation,
    padding_mode, flip: as :func:`~convviz.model.filter_image`) and passed through ReLU. The layer row's
    thumbnails are the whole maps sampled (every s-th pixel; the pooled one from the windows of the
    outputs drawn), the crop is chosen over the whole map read a stripe at a time, and only the part
    around the crop is kept (:class:`PoolingSource`): no whole float64 map of a photo is ever made
    (:mod:`convviz.model.pooling_map`), yet every kept value equals the whole map's.
    """
    if kind not in ("image", "feature_map"):
        raise ValueError(f"Unknown pooling source {kind!r}: use 'image' or 'feature_map'.")
    gray = ImagePlane(image)
    stages = [ChainStage(f"input {shape_text(gray.shape)} (luminance)", gray.shape,    # a copy, never a view
                         np.array(gray.sampled(thumbnail_step(gray.shape, THUMB_SIDE))), "input")]
    source: ImagePlane = gray
    if kind == "feature_map":
        conv = FeatureMapPlane(image, kernel, conv_kwargs, relu=False)
        conv_picture = conv.sampled(thumbnail_step(conv.shape, THUMB_SIDE))
        kh, kw = np.shape(kernel)[:2]
        stages.append(ChainStage(f"conv {kernel_name} {kh}×{kw} → {shape_text(conv.shape)}", conv.shape,
                                 conv_picture, "conv"))
        source = FeatureMapPlane(image, kernel, conv_kwargs)
        stages.append(ChainStage(f"ReLU → {shape_text(source.shape)}", source.shape, np.maximum(conv_picture, 0.0),
                                 "ReLU"))
    pooled_shape, pooled_picture = pooled_thumbnail(source, kernel_size, **pool_kwargs)
    label = pool_label(kernel_size, pool_kwargs.get("stride") or kernel_size, pool_kwargs.get("padding", 0),
                       pool_kwargs.get("mode", "max"))
    stages.append(ChainStage(f"{label} → {shape_text(pooled_shape)}", pooled_shape, pooled_picture,
                             f"{pool_kwargs.get('mode', 'max')} pool"))
    crop, margin = crop_with_margin(source, side)
    area, origin = kept_area(source, crop)
    h, w = source.shape
    return PoolingSource(kind, area, origin, (int(h), int(w)), crop, margin, tuple(stages))


def pooled_thumbnail(map2d, kernel_size: int, *, stride: int | None = None, padding: int = 0,
                     mode: str = "max", count_include_pad: bool = True,
                     max_side: int = THUMB_SIDE) -> tuple[tuple[int, int], np.ndarray]:
    """``(shape, picture)``: the shape of :func:`~convviz.model.pooling.pool` of a 2-D map (an array or an
    :class:`~convviz.model.player_plane.ImagePlane`) and its :func:`~convviz.model.step_view.thumbnail`
    (every s-th output), reading only the windows of the outputs drawn, so a large map is never pooled
    whole. Max pooling gives ``pool``'s values exactly; average pooling the same up to the order of the
    additions (a picture to look at, not numbers to read)."""
    if mode not in POOL_MODES:
        raise ValueError(f"Unknown pooling mode {mode!r}: use 'max' or 'avg'.")
    geo = PoolGeometry(map2d.shape, kernel_size, stride, padding)
    (kh, kw), (sh, sw), (ph, pw) = geo.kernel, geo.stride, geo.padding
    (oh, ow), (h, w) = geo.out_hw, geo.input_hw
    s = thumbnail_step((oh, ow), max_side)
    rows = (np.arange(0, oh, s)[:, None] * sh - ph + np.arange(kh)).ravel()   # each drawn output's window rows
    cols = (np.arange(0, ow, s)[:, None] * sw - pw + np.arange(kw)).ravel()
    real = ((rows >= 0) & (rows < h))[:, None] & ((cols >= 0) & (cols < w))[None, :]
    at_rows, at_cols = np.clip(rows, 0, h - 1), np.clip(cols, 0, w - 1)
    if isinstance(map2d, ImagePlane):
        values = map2d.take(at_rows, at_cols)
    else:
        values = np.asarray(map2d, dtype=np.float64)[at_rows[:, None], at_cols[None, :]]
    shape = (len(rows) // kh, kh, len(cols) // kw, kw)
    if mode == "max":
        picture = np.where(real, values, -np.inf).reshape(shape).max(axis=(1, 3))
    else:
        sums = np.where(real, values, 0.0).reshape(shape).sum(axis=(1, 3))
        picture = sums / (real.reshape(shape).sum(axis=(1, 3)) if not count_include_pad else kh * kw)
    return (int(oh), int(ow)), picture


def chain_text(source: PoolingSource) -> str:
    """The layer row in words with its shapes: ``256×256 → conv … → 256×256 → ReLU → … → 128×128``, and which
    pictures show a large map reduced (``Pictures: input every 12th pixel, max pool every 6th pixel.``)."""
    text = "  →  ".join(stage.label for stage in source.chain)
    reduced = [f"{stage.name} every {ordinal(stage.every)} pixel" for stage in source.chain if stage.every > 1]
    return text + (f". Pictures: {', '.join(reduced)}." if reduced else "")


@dataclass(frozen=True)
class PoolFrame:
    """One step of pooling over the crop, ready to draw.

    The input grid is the crop with ``padding`` cells around it (``input_padding`` marks them);
    ``window_rows``/``window_cols`` are the window's cells in that grid, ``winner`` the winning cell
    (max pooling). The window grid holds the values the pooling sees; the output grid the pooled crop,
    ``filled`` of its cells shown, ``current`` the one being written, ``changed`` those that differ from
    the pooled unmoved crop.
    """

    step: PoolStep
    count: int
    input_rgb: np.ndarray
    input_texts: list[list[str]]
    input_padding: np.ndarray
    window_rows: np.ndarray
    window_cols: np.ndarray
    winner: tuple[int, int] | None
    window_rgb: np.ndarray
    window_texts: list[list[str]]
    window_winner: tuple[int, int] | None
    output: np.ndarray
    output_rgb: np.ndarray
    output_texts: list[list[str]]
    current: tuple[int, int]
    filled: int
    changed: tuple[tuple[int, int], ...]


def pool_frame(crop: np.ndarray, unmoved: np.ndarray, index: int, kernel_size: int, *, stride: int, padding: int,
               mode: str, count_include_pad: bool, levels: tuple[float, float] | None = None) -> PoolFrame:
    """Step ``index`` (clamped) of pooling ``crop``; ``unmoved`` is the crop before any shift (same shape)."""
    options = dict(stride=stride, padding=padding, mode=mode, count_include_pad=count_include_pad)
    seq = pool_steps(crop, kernel_size, **options)
    index = min(max(int(index), 0), len(seq) - 1)
    step = seq[index]
    out = pool(crop, kernel_size, **options)
    before = pool(unmoved, kernel_size, **options)
    if levels is None:
        levels = levels_of(crop, unmoved)
    p = padding
    grid = np.pad(np.asarray(crop, dtype=np.float64), p, constant_values=-np.inf if mode == "max" else 0.0)
    pad_mask = np.ones(grid.shape, dtype=bool)
    pad_mask[p:p + crop.shape[0], p:p + crop.shape[1]] = False
    pad_text = "−∞" if mode == "max" else "0"
    window_pad = ~step.in_image
    winner = None if step.winner is None else (step.winner[0] + p, step.winner[1] + p)
    window_winner = None
    if step.winner is not None:
        a = int(np.flatnonzero(step.rows == step.winner[0])[0])
        b = int(np.flatnonzero(step.cols == step.winner[1])[0])
        window_winner = (a, b)
    oh, ow = out.shape
    changed = tuple((int(r), int(c)) for r, c in np.argwhere(out != before))
    return PoolFrame(
        step=step, count=len(seq),
        input_rgb=grid_rgb(grid, levels, pad_mask), input_texts=cell_texts(grid, pad_mask, pad_text),
        input_padding=pad_mask, window_rows=step.rows + p, window_cols=step.cols + p, winner=winner,
        window_rgb=grid_rgb(step.window, levels, window_pad),
        window_texts=cell_texts(step.window, window_pad, pad_text),
        window_winner=window_winner, output=out, output_rgb=grid_rgb(out, levels), output_texts=cell_texts(out),
        current=step.out_index, filled=index + 1, changed=changed,
    )


def step_sentence(frame: PoolFrame) -> str:
    """``Output (0, 1) = max(40, 230, 40, 230) = 230`` and where the winner is."""
    s = frame.step
    text = f"Output {s.out_index}: {s.expression}"
    if s.winner is not None:
        text += f" — the largest value is at input {s.winner} of the crop"
    elif s.divisor != s.window.size:
        text += f" — divided by the {s.divisor} real pixels only (padding not counted)"
    return text


def input_title(source: PoolingSource, dy: int, dx: int, padding: int, mode: str) -> str:
    """Where the crop comes from, and what the hatched cells are."""
    r, c, h, w = source.crop
    what = "image (luminance)" if source.kind == "image" else "feature map (conv → ReLU)"
    moved = f", moved {dy} down and {dx} right" if (dy, dx) != (0, 0) else ""
    pad = f"; hatched: padding ({'−∞, never wins' if mode == 'max' else '0'})" if padding else ""
    return f"Rows {r}–{r + h - 1}, cols {c}–{c + w - 1} of the {shape_text(source.map_shape)} {what}{moved}{pad}"


def percent(value: float) -> str:
    """``59 %`` (``undefined`` for NaN: a map of zeros has no mean value to compare with)."""
    return f"{100 * value:.0f} %" if np.isfinite(value) else "undefined"


def invariance_sentence(d: ShiftDifference, label: str, area_shape: tuple[int, ...], frame: PoolFrame) -> str:
    """How much moving the input changed the map and the pooled map, in words with the model's numbers."""
    dy, dx = d.shift
    if (dy, dx) == (0, 0):
        return ("Move the input with the arrow buttons (Alt+arrow keys): the pooled map changes much less than "
                "the map itself — pooling turns equivariance into (approximate) invariance.")
    oh, ow = frame.output.shape
    return (f"Input moved {dy} down and {dx} right. Over the {shape_text(area_shape)} map the values change by "
            f"{percent(d.unpooled_change)} of their mean on average; after {label} by only "
            f"{percent(d.pooled_change)}. In the crop {len(frame.changed)} of the {oh * ow} pooled outputs changed "
            f"(outlined in blue once filled in).")
