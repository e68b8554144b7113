"""The Filter bank's maps of a large image at display resolution (issue #13), exact where read.

For an image whose layer-1 maps have more than :data:`~convviz.model.bank.sampled.REDUCE_FROM_PIXELS`
pixels, :class:`ReducedMaps` computes only the shown layer's maps, at every ``s``-th pixel, where ``s``
makes them as large as the grid draws them (:func:`~convviz.model.bank.maps.thumbnail_step` of
``thumb_side``). Those values *are* the full maps sampled, ``full[::s, ::s]``, in float64
(:mod:`~convviz.model.bank.sampled`): a layer after the first reads exactly the previous layer's
values under its windows, not a reduced picture of them. The chosen map is computed whole only
when it is enlarged (:attr:`MapRequest.full_map`), the channel sums of a pixel from its own window,
and exports make each full map when they write it. A 12-megapixel photo with the default bank
then keeps a few MB of maps instead of ~400 MB.
"""

from __future__ import annotations

import numpy as np

from ..player_plane import ImagePlane
from .maps import StageMaps, _finish, thumbnail_step
from .sampled import (
    REDUCE_FROM_PIXELS,
    SampledInput,
    SampledNetwork,
    channel_values,
    full_map,
    sampled_grid,
    stage_values,
)


def reduced_step(network, image_shape, gray: bool, first, layer: int, thumb_side: int) -> int:
    """1 when layer 1's maps have at most :data:`REDUCE_FROM_PIXELS` pixels (every map computed whole),
    else the step ``s`` of the shown layer's maps drawn ``thumb_side`` pixels a side."""
    shape = tuple(int(v) for v in image_shape)
    shape = shape[:2] if gray or len(shape) == 2 else shape
    shapes = network.stage_shapes(shape, first)
    oh, ow, _ = shapes[0].output_shape
    if oh * ow <= REDUCE_FROM_PIXELS:
        return 1
    return thumbnail_step(shapes[layer].output_shape[:2], thumb_side)


def display_input(image: np.ndarray, gray: bool):
    """What layer 1 reads, for the receptive-field view: the image itself (read-only view) or, for a
    grey reading of a colour image, its luminance made only where it is drawn (an ImagePlane)."""
    if gray and image.ndim == 3:
        return ImagePlane(image)
    view = image.view()
    view.flags.writeable = False
    return view


class ReducedMaps:
    """Keeps the shown layer's sampled maps, their channel partials and one enlarged map (the last asked)."""

    def __init__(self):
        self._stage: tuple[tuple, SampledNetwork, StageMaps] | None = None
        self._partials: tuple[tuple, list[np.ndarray]] | None = None
        self._enlarged: tuple[tuple, np.ndarray] | None = None

    def stage(self, req, step: int) -> tuple[SampledNetwork, StageMaps]:
        """The shown layer's maps at every ``step``-th pixel, as a :class:`StageMaps` (float64)."""
        key = (id(req.network), id(req.image), req.gray, req.first, req.groups, req.layer, step)
        kept = self._stage
        if kept is not None and kept[0] == key:
            return kept[1], kept[2]
        self._stage = self._partials = self._enlarged = None     # drop the old maps before making new ones
        net = SampledNetwork(req.network, SampledInput(req.image, req.gray), req.first, tuple(req.groups))
        rows, cols = sampled_grid(net.output_hw(req.layer), step)
        pre = stage_values(net, req.layer, rows, cols, pre=True)
        bank = net.network[req.layer]
        pre_maps = [np.ascontiguousarray(pre[:, :, o]) for o in range(pre.shape[2])]
        maps = [_finish(p, f.bias, bank.conv_activation) for p, f in zip(pre_maps, bank.filters)]
        stage = StageMaps(maps, pre_maps, list(range(len(maps))), repr(key).encode())
        self._stage = (key, net, stage)
        return net, stage

    def partials(self, req, net: SampledNetwork, step: int, channels) -> list[np.ndarray]:
        """Each shown channel's partial map of the chosen filter, at the maps' sampled pixels."""
        bank = req.network[req.layer]
        key = (self._stage[0] if self._stage else None, bank.filters[req.filter].key(), tuple(channels))
        if self._partials is not None and self._partials[0] == key:
            return self._partials[1]
        rows, cols = sampled_grid(net.output_hw(req.layer), step)
        partials = channel_values(net, req.layer, rows, cols, req.filter, channels)
        self._partials = (key, partials)
        return partials

    def enlarged(self, req, net: SampledNetwork, index: int, dtype) -> np.ndarray:
        """Filter ``index``'s whole map (``dtype``), kept while it is the one asked for."""
        f = req.network[req.layer].filters[index]
        key = (self._stage[0] if self._stage else None, index, f.key(), f.bias, dtype)
        if self._enlarged is not None and self._enlarged[0] == key:
            return self._enlarged[1]
        self._enlarged = None
        values = full_map(net, req.layer, index, dtype)
        self._enlarged = (key, values)
        return values

    def drop_enlarged(self) -> None:
        """Forget the enlarged map (the enlarged view is not shown)."""
        self._enlarged = None


__all__ = ["ReducedMaps", "display_input", "reduced_step"]
