"""What the Filter bank tab shows for one request, computed off the GUI thread (no Qt, no widgets).

:class:`MapJob` is called (in the panel's worker) with a :class:`MapRequest` and returns a
:class:`MapResult`: every layer's maps (from :class:`~convviz.model.bank.MapCalculator`, so
unchanged filters are reused), the colour levels and RGB thumbnails of the shown layer, the
per-channel partial maps of the chosen filter, and the input image (grey when asked) with a
small RGB picture of it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..colour import DEFAULT_DIVERGING, DEFAULT_SEQUENTIAL, SCALES, display_rgb, levels_from_range
from ..filtering import to_gray
from ..player_plane import ImagePlane
from .channels import Decomposition, channel_partial_maps, decompose, decompose_patch
from .filters import channel_names
from .groups import masked_layer
from .layers import LayerSettings
from .maps import (
    MapCalculator,
    StageMaps,
    display_dtype,
    map_range,
    robust_levels,
    shared_levels,
    strongest_pixel,
    thumbnail,
    thumbnail_step,
)
from .network import Network, Region, StageShape
from .reduced import ReducedMaps, display_input, reduced_step
from .sampled import SampledNetwork, pixel_patch
from .texts import display_names

THUMB_SIDE = 160
#: partial maps drawn for at most this many input channels (every channel's number is still listed)
MAX_PARTIAL_TILES = 8
#: the receptive-field view shows the input sampled down to this side
INPUT_THUMB_SIDE = 768


def picture_side(map_hw, drawn_side: int) -> int:
    """The ``thumb_side`` to ask for so maps of ``map_hw`` drawn ``drawn_side`` pixels long are not
    coarser than the screen: every s-th pixel with the largest ``s`` that still gives ``drawn_side``
    (the whole map when it is smaller). It changes only when ``s`` does, so small resizes ask nothing."""
    long = max(int(map_hw[0]), int(map_hw[1]), 1)
    step = max(1, long // max(1, int(drawn_side)))
    return -(-long // step)


def input_shape(image_shape, gray: bool) -> tuple[int, ...]:
    """The shape of what the bank slides over: ``(H, W)`` for a grey image or with ``gray`` set, else ``(H, W, C)``."""
    shape = tuple(int(v) for v in image_shape)
    return shape[:2] if gray or len(shape) == 2 else shape


def input_channels(image_shape, gray: bool) -> int:
    """``C_in`` of the first layer for an image of ``image_shape`` (1 when ``gray`` is set)."""
    shape = input_shape(image_shape, gray)
    return 1 if len(shape) == 2 else shape[2]


@dataclass(frozen=True, eq=False)
class MapRequest:
    """One request: ``image`` is the document's image (read-only), turned grey when ``gray``."""

    network: Network
    image: np.ndarray = field(repr=False)
    gray: bool
    first: LayerSettings                    # layer 1 slides as the document says
    layer: int                              # the layer whose maps are shown
    filter: int                             # the filter whose channel sums are shown
    shared_scale: bool = False              # one colour scale for every map (else one per map)
    scale: str = "auto"                     # one of colour.SCALES: auto, input, full, robust
    thumb_side: int = THUMB_SIDE            # the pictures of the maps are at most this many pixels a side
    groups: tuple[int, ...] = ()            # conv_layer groups of each layer (missing: 1)
    full_map: bool = False                  # the chosen map whole even when the maps are sampled (enlarged view)

    def __post_init__(self):
        if self.scale not in SCALES:
            raise ValueError(f"Unknown colour scale {self.scale!r}: use one of {', '.join(SCALES)}.")

    def key(self) -> tuple:
        """Equal for requests that give the same result (the network and image compared by identity)."""
        return (*self.maps_key(), self.thumb_side, self.full_map)

    def maps_key(self) -> tuple:
        """Equal for requests with the same maps, levels and pixel (they may differ in ``thumb_side``)."""
        return (id(self.network), id(self.image), self.gray, self.first, self.layer, self.filter,
                self.shared_scale, self.scale, self.groups)

    def groups_of(self, layer: int) -> int:
        """Layer ``layer``'s groups (1 when not given)."""
        return int(self.groups[layer]) if layer < len(self.groups) else 1

    def shown_layer(self):
        """The shown layer as it convolves: weights on channels its filters do not see set to 0
        (:func:`~convviz.model.bank.groups.masked_layer`), for the channel sums."""
        return masked_layer(self.network[self.layer], self.groups_of(self.layer))


@dataclass
class MapResult:
    request: MapRequest
    shapes: list[StageShape]
    stages: list[StageMaps]
    ranges: list[tuple[float, float]]       # (min, max) of each shown map
    levels: list[tuple[float, float]]       # colour levels of each shown map
    thumbs: list[np.ndarray]                # (h, w, 3) uint8 per shown map
    partials: list[np.ndarray]              # channel partial maps of the chosen filter at thumbnail resolution
    partial_levels: tuple[float, float]
    partial_thumbs: list[np.ndarray]
    dtype: np.dtype
    recomputed: list[int]                   # filters of the shown layer that were convolved again
    elapsed: float
    strongest: tuple[int, int]              # strongest response of the chosen filter's map (away from borders)
    input: np.ndarray = field(repr=False)   # what layer 1 slides over: (H, W) or (H, W, C), read-only
    #                                         (the document's values: uint8 or float64)
    input_thumb: np.ndarray = field(repr=False)   # (h, w, 3) uint8, at most INPUT_THUMB_SIDE a side
    step: int = 1                           # the shown maps are every step-th pixel of the layer's maps
    #                                         (a large image, see .reduced); 1: the whole maps
    enlarged: np.ndarray | None = field(default=None, repr=False)   # the chosen map whole, when computed
    sampled: SampledNetwork | None = field(default=None, repr=False)   # exact values on demand (step > 1)

    @property
    def map_hw(self) -> tuple[int, int]:
        """``(H', W')`` of the shown layer's maps (whole, even when they are shown sampled)."""
        oh, ow, _ = self.shapes[self.request.layer].output_shape
        return int(oh), int(ow)

    def enlarged_map(self) -> tuple[np.ndarray, int]:
        """The chosen map for the enlarged view and its step: whole when computed, else as sampled."""
        if self.enlarged is not None:
            return self.enlarged, 1
        return self.shown.maps[self.chosen], self.step

    @property
    def shown(self) -> StageMaps:
        return self.stages[self.request.layer]

    @property
    def chosen(self) -> int:
        """The chosen filter's index in the shown layer."""
        return min(self.request.filter, len(self.shown.maps) - 1)

    def layer_input(self):
        """What the shown layer reads: the input image for layer 1, else the previous layer's maps."""
        layer = self.request.layer
        return self.input if layer == 0 else self.stages[layer - 1].maps


@dataclass(frozen=True)
class PixelExplanation:
    """How output pixel ``pixel`` of the shown layer's chosen filter is made, and what it sees."""

    pixel: tuple[int, int]
    filter_name: str
    decomposition: Decomposition             # float64, from the pixel's neighbourhood
    channel_names: tuple[str, ...]           # of the layer's input: R, G, B / grey / "1. sobel_x" …
    map_value: float                         # the pixel in the map shown
    map_dtype: str                           # "float32" or "float64"
    regions: list[Region]                    # the receptive field, layer by layer (Network.receptive_field)


def explain_pixel(result: MapResult, pixel) -> PixelExplanation:
    """The channel sums (:func:`decompose`) and receptive field of ``pixel`` in ``result``'s shown map of
    the chosen filter; ``ValueError`` when the pixel is outside the map."""
    req, fi = result.request, result.chosen
    layer = req.shown_layer()
    r, c = int(pixel[0]), int(pixel[1])
    names = channel_names(layer.in_channels) if req.layer == 0 else \
        tuple(f"{i + 1}. {n}" for i, n in enumerate(display_names(req.network[req.layer - 1].names)))
    field = req.network.receptive_field((r, c), req.layer, req.first)
    if result.sampled is not None:   # maps shown sampled: the pixel's window is read from the image, exactly
        d = decompose_patch(pixel_patch(result.sampled, req.layer, (r, c)), layer, fi, (r, c))
        return PixelExplanation((r, c), layer.names[fi], d, names, d.value, "float64", field)
    d = decompose(result.layer_input(), layer, fi, (r, c), req.network.settings_for(req.layer, req.first))
    values = result.shown.maps[fi]
    return PixelExplanation((r, c), layer.names[fi], d, names, float(values[r, c]),
                            "float32" if values.dtype == np.float32 else "float64", field)


def partial_levels(partials: list[np.ndarray], scale: str) -> tuple[float, float]:
    """One colour scale for a filter's channel partial maps at ``scale`` (``(0, 1)`` when there are none)."""
    if not partials:
        return (0.0, 1.0)
    if scale == "robust":
        return robust_levels(partials)
    return shared_levels([map_range(p) for p in partials], scale=scale)


def colormap_for(levels) -> str:
    return DEFAULT_DIVERGING if levels[0] < 0 else DEFAULT_SEQUENTIAL


def colours(values: np.ndarray, levels) -> np.ndarray:
    """The window's colours for ``values`` at ``levels``."""
    return display_rgb(values, levels=levels, colormap=colormap_for(levels))


class MapJob:
    """Callable for the worker: owns the map calculator and caches (use from one thread at a time)."""

    def __init__(self):
        self.calculator = MapCalculator()
        self._thumbs: dict[int, tuple[np.ndarray, tuple, np.ndarray]] = {}
        self._ranges: dict[int, tuple[np.ndarray, tuple[float, float]]] = {}
        self._robust: dict[int, tuple[np.ndarray, tuple[float, float]]] = {}
        self._partials: tuple[tuple, list[np.ndarray]] | None = None
        # (document image, gray, what layer 1 reads: an array or, for a large grey reading, an ImagePlane, picture)
        self._input: tuple[np.ndarray, bool, Any, np.ndarray] | None = None
        self.reduced = ReducedMaps()
        self.releases = 0   # how many times everything kept was dropped (a new image, or asked to)
        self.images = 0     # how many times another image (or its grey form) was taken in

    def release(self) -> None:
        """Forget everything kept for earlier requests (the image, its maps, their thumbnails): the next
        call computes afresh. Call it in the thread that calls the job (the worker)."""
        self.calculator, self.reduced = MapCalculator(), ReducedMaps()
        self._thumbs, self._ranges, self._robust, self._partials, self._input = {}, {}, {}, None, None
        self.releases += 1

    def __call__(self, req: MapRequest) -> MapResult:
        start = time.perf_counter()
        if self._input is not None and (self._input[0] is not req.image or self._input[1] != req.gray):
            self.release()   # another image: nothing kept can be reused, free it before computing
        step = reduced_step(req.network, req.image.shape, req.gray, req.first, req.layer, req.thumb_side)
        if step > 1:
            return self._reduced(req, step, start)
        x, x_thumb = self._input_of(req.image, req.gray)
        shapes = req.network.stage_shapes(x.shape, req.first)
        stages = self.calculator.compute(req.network, x, first=req.first, groups=req.groups)
        shown = stages[req.layer]
        ranges, levels, thumbs = self._pictures_of(shown.maps, req)
        partials = self._channel_partials(req, x, stages)
        p_levels = partial_levels(partials, req.scale)
        p_thumbs = [colours(p, p_levels) for p in partials]
        fi = min(req.filter, len(shown.maps) - 1)
        strongest = strongest_pixel(shown.maps[fi], margin=max(req.network[req.layer].kernel_hw))
        return MapResult(req, shapes, stages, ranges, levels, thumbs, partials, p_levels, p_thumbs,
                         display_dtype(x.shape), shown.recomputed, time.perf_counter() - start, strongest,
                         x, x_thumb)

    def _reduced(self, req: MapRequest, step: int, start: float) -> MapResult:
        """The shown layer's maps at every ``step``-th pixel (a large image; see :mod:`.reduced`)."""
        kept = self._input
        if kept is None or kept[0] is not req.image or kept[1] != req.gray or \
                (req.gray and req.image.ndim == 3 and not isinstance(kept[2], ImagePlane)):
            self.calculator = MapCalculator()    # whole maps of a smaller image are not kept beside these
            x = display_input(req.image, req.gray)
            s = thumbnail_step(x.shape[:2], INPUT_THUMB_SIDE)
            picture = x.sampled(s) if isinstance(x, ImagePlane) else x[::s, ::s]
            kept = self._input = (req.image, req.gray, x, display_rgb(picture, clip_to_image_range=True))
            self.images += 1
        x, x_thumb = kept[2], kept[3]
        net, shown = self.reduced.stage(req, step)
        shapes = req.network.stage_shapes(input_shape(req.image.shape, req.gray), req.first)
        stages = [shown if i == req.layer else StageMaps([], [], [], b"") for i in range(len(req.network))]
        ranges, levels, thumbs = self._pictures_of(shown.maps, req)
        layer = req.shown_layer()
        fi = min(req.filter, len(shown.maps) - 1)
        partials = self.reduced.partials(req, net, step, range(min(layer.in_channels, MAX_PARTIAL_TILES))) \
            if 0 <= req.filter < layer.out_channels else []
        p_levels = partial_levels(partials, req.scale)
        p_thumbs = [colours(p, p_levels) for p in partials]
        margin = -(-max(req.network[req.layer].kernel_hw) // step)
        r, c = strongest_pixel(shown.maps[fi], margin=margin)
        enlarged = None
        if req.full_map:
            enlarged = self.reduced.enlarged(req, net, fi, display_dtype(shapes[req.layer].output_shape[:2]))
        else:
            self.reduced.drop_enlarged()
        return MapResult(req, shapes, stages, ranges, levels, thumbs, partials, p_levels, p_thumbs,
                         np.dtype(np.float64), shown.recomputed, time.perf_counter() - start, (r * step, c * step),
                         x, x_thumb, step, enlarged, net)

    def _input_of(self, image: np.ndarray, gray: bool) -> tuple[np.ndarray, np.ndarray]:
        """The input (the same object while the image and ``gray`` stay, so kept maps are reused) and its picture."""
        kept = self._input
        if kept is None or kept[0] is not image or kept[1] != gray or isinstance(kept[2], ImagePlane):
            x = np.asarray(image)
            # grey: its float64 grey values; colour: the document's own values (uint8 stays uint8, no
            # float64 copy of a photo; every number read from it is made float64 where it is read)
            x = to_gray(np.asarray(x, dtype=np.float64)) if gray and x.ndim == 3 else x
            if x is image:
                x = x.view()
            x.flags.writeable = False
            step = thumbnail_step(x.shape[:2], INPUT_THUMB_SIDE)
            picture = display_rgb(x[::step, ::step], clip_to_image_range=True)
            kept = self._input = (image, gray, x, picture)
            self.images += 1
        return kept[2], kept[3]

    def _pictures_of(self, maps, req: MapRequest) -> tuple[list, list, list[np.ndarray]]:
        """The shown maps' ranges, colour levels and thumbnails (reusing what is kept for the same maps);
        what was kept for maps no longer shown is dropped."""
        ranges = [self._range(m) for m in maps]
        levels = self._levels(maps, ranges, req.shared_scale, req.scale)
        thumbs = self._thumbs_for(maps, levels, req.thumb_side)
        live = {id(m) for m in maps}
        self._thumbs = {k: v for k, v in self._thumbs.items() if k in live}
        self._ranges = {k: v for k, v in self._ranges.items() if k in live}
        self._robust = {k: v for k, v in self._robust.items() if k in live}
        return ranges, levels, thumbs

    def _levels(self, maps, ranges, shared: bool, scale: str) -> list[tuple[float, float]]:
        """Colour levels of each map at ``scale``: one set for all (``shared``) or each its own."""
        if scale == "robust":
            return [robust_levels(maps)] * len(maps) if shared else [self._robust_of(m) for m in maps]
        if shared:
            return [shared_levels(ranges, scale=scale)] * len(maps)
        return [levels_from_range(lo, hi, scale=scale) for lo, hi in ranges]

    def _robust_of(self, m: np.ndarray) -> tuple[float, float]:
        kept = self._robust.get(id(m))
        if kept is not None and kept[0] is m:
            return kept[1]
        levels = robust_levels([m])
        self._robust[id(m)] = (m, levels)
        return levels

    def _range(self, m: np.ndarray) -> tuple[float, float]:
        kept = self._ranges.get(id(m))
        if kept is not None and kept[0] is m:
            return kept[1]
        r = map_range(m)
        self._ranges[id(m)] = (m, r)
        return r

    def _thumbs_for(self, maps, levels, side: int) -> list[np.ndarray]:
        """Coloured thumbnails, reusing those whose map and levels did not change.

        Maps that share levels are coloured in one call (a shared scale that moves recolours them all).
        """
        out: list[np.ndarray | None] = []
        todo: dict[tuple, list[int]] = {}
        for i, (m, lv) in enumerate(zip(maps, levels)):
            kept = self._thumbs.get(id(m))
            if kept is not None and kept[0] is m and kept[1] == (lv, side):
                out.append(kept[2])
            else:
                out.append(None)
                todo.setdefault(lv, []).append(i)
        for lv, idx in todo.items():
            small = [thumbnail(maps[i], side) for i in idx]
            h = small[0].shape[0]
            rgb = colours(np.concatenate(small, axis=0), lv)
            for n, i in enumerate(idx):
                thumb = np.ascontiguousarray(rgb[n * h:(n + 1) * h])
                out[i] = thumb
                self._thumbs[id(maps[i])] = (maps[i], (lv, side), thumb)
        return [t for t in out if t is not None]

    def _channel_partials(self, req: MapRequest, x: np.ndarray, stages: list[StageMaps]) -> list[np.ndarray]:
        layer = req.shown_layer()
        if not 0 <= req.filter < layer.out_channels:
            return []
        source_token = stages[req.layer - 1].token if req.layer else self.calculator.input_token
        key = (req.layer, layer.filters[req.filter].key(), source_token,
               req.network.settings_for(req.layer, req.first), req.thumb_side)
        if self._partials is not None and self._partials[0] == key:
            return self._partials[1]
        source = np.asarray(x, dtype=display_dtype(x.shape)) if req.layer == 0 else stages[req.layer - 1].maps
        n = min(layer.in_channels, MAX_PARTIAL_TILES)
        step = thumbnail_step(stages[req.layer].maps[0].shape, req.thumb_side)
        partials = channel_partial_maps(source, layer, req.filter, req.network.settings_for(req.layer, req.first),
                                        channels=range(n), step=step)
        self._partials = (key, partials)
        return partials
