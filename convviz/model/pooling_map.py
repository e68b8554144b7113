"""The map the Pooling tab pools, read where it is needed (issue #13: bounded memory on photos).

The tab steps through a small crop and draws thumbnails of the layer row, so it never needs a
whole float64 map of a 12-megapixel photo (96 MB each for the luminance, the convolution and its
ReLU). The luminance is an :class:`~convviz.model.player_plane.ImagePlane`; the feature map is a
:class:`FeatureMapPlane`: ``ReLU(filter_image(luminance, kernel, **conv_kwargs))`` computed only at
the output rows × columns asked, from the input pixels under their windows, by the same
:func:`~convviz.model.correlate` on the gathered pixels — so every value equals the whole map's at
that pixel (to round-off; bit for bit on the direct path). A thumbnail is the whole map sampled
(``map[::s, ::s]``), computed as exactly those outputs.
"""

from __future__ import annotations

import numpy as np

from ._args import as_kernel, geometry
from .engine import correlate
from .gather import axis_plan, gathered
from .player_plane import STRIPE_ROWS, ImagePlane

#: bytes of gathered float64 input per block of output rows
BLOCK_BYTES = 4 * 1024 * 1024


class FeatureMapPlane(ImagePlane):
    """``ReLU(filter_image(luminance(image), kernel, **conv_kwargs))`` (``relu=False``: before the ReLU),
    an ``(H', W')`` plane whose float64 values are made when read, as an
    :class:`~convviz.model.player_plane.ImagePlane`'s: ``plane[r0:r1, c0:c1]``, :meth:`take`,
    :meth:`sampled`, :meth:`stripes`. ``conv_kwargs``: ``padding``, ``stride``, ``dilation``,
    ``padding_mode``, ``flip`` (as :func:`~convviz.model.filter_image`). ``ValueError`` for settings
    the kernel cannot slide with on this image."""

    def __init__(self, image, kernel, conv_kwargs: dict | None = None, *, relu: bool = True):
        super().__init__(image)
        options = dict(conv_kwargs or {})
        k = np.array(as_kernel(kernel, np.dtype(np.float64)))
        if k.ndim != 2:
            raise ValueError(f"The feature map filters the image's luminance with a 2-D kernel (KH, KW), "
                             f"not one of shape {k.shape}.")
        if options.get("flip"):
            k = np.ascontiguousarray(k[::-1, ::-1])
        self.kernel = k
        self.relu = bool(relu)
        self.geometry = geometry(super().shape, k.shape, options.get("padding", "valid"), options.get("stride", 1),
                                 options.get("dilation", 1), options.get("padding_mode", "zeros"))

    @property
    def shape(self) -> tuple[int, int]:
        oh, ow = self.geometry.out_hw
        return int(oh), int(ow)

    def _luminance(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """The input's float64 luminance at source rows × columns (−1: zero padding)."""
        def values_at(ur: np.ndarray, uc: np.ndarray) -> np.ndarray:
            if ur[-1] - ur[0] + 1 == len(ur) and uc[-1] - uc[0] + 1 == len(uc):   # a block: sliced, not gathered
                block = ImagePlane.__getitem__(self, (slice(ur[0], ur[-1] + 1), slice(uc[0], uc[-1] + 1)))
            else:
                block = ImagePlane.take(self, ur, uc)
            return block[:, :, None]

        return gathered(values_at, rows, cols, 1)[:, :, 0]

    def take(self, rows, cols) -> np.ndarray:
        """The map at output rows ``rows`` × columns ``cols`` (index arrays, any order, repeats allowed),
        ``(len(rows), len(cols))`` float64, a block of rows at a time."""
        rows = np.asarray(rows, dtype=np.intp).ravel()
        cols = np.asarray(cols, dtype=np.intp).ravel()
        oh, ow = self.shape
        if rows.size and not (0 <= rows.min() and rows.max() < oh) or cols.size and not (
                0 <= cols.min() and cols.max() < ow):
            raise ValueError(f"Rows and columns of the feature map go from 0 to {oh - 1} and 0 to {ow - 1}.")
        out = np.empty((len(rows), len(cols)))
        if not (rows.size and cols.size):
            return out
        geo, (kh, kw) = self.geometry, self.kernel.shape
        h, w = super().shape
        cols_src, cs, cd = axis_plan(cols, w, kw, geo.stride[1], geo.dilation[1], geo.pads.left, geo.padding_mode)
        block = max(1, BLOCK_BYTES // (8 * len(cols_src) * max(kh, geo.stride[0])))
        for a in range(0, len(rows), block):
            rows_src, rs, rd = axis_plan(rows[a:a + block], h, kh, geo.stride[0], geo.dilation[0], geo.pads.top,
                                          geo.padding_mode)
            values = correlate(self._luminance(rows_src, cols_src), self.kernel, "valid", stride=(rs, cs),
                               dilation=(rd, cd))
            out[a:a + block] = np.maximum(values, 0.0) if self.relu else values
        return out

    def __getitem__(self, key) -> np.ndarray:
        """``plane[r0:r1, c0:c1]`` (slices with step 1 or more) or integers, float64."""
        if not isinstance(key, tuple):
            key = (key, slice(None))
        if len(key) != 2 or not all(isinstance(k, (slice, int, np.integer)) for k in key):
            raise ValueError("Index a plane with two slices or integers, e.g. plane[0:16, 8:24].")
        rows, cols = (np.arange(self.shape[i])[k] for i, k in enumerate(key))
        values = self.take(np.atleast_1d(rows), np.atleast_1d(cols))
        if not isinstance(key[0], slice):
            values = values[0]
        if not isinstance(key[1], slice):
            values = values[..., 0]
        return values

    def sampled(self, step: int) -> np.ndarray:
        """Every ``step``-th row and column of the map, ``map[::step, ::step]``."""
        s = max(1, int(step))
        oh, ow = self.shape
        return self.take(np.arange(0, oh, s), np.arange(0, ow, s))

    def stripes(self, rows: int = STRIPE_ROWS):
        """``(first_row, values)`` for consecutive stripes of ``rows`` output rows covering the map."""
        oh, ow = self.shape
        for r0 in range(0, oh, max(1, int(rows))):
            yield r0, self.take(np.arange(r0, min(oh, r0 + rows)), np.arange(ow))

    def __array__(self, dtype=None, copy=None) -> np.ndarray:
        whole = self.take(np.arange(self.shape[0]), np.arange(self.shape[1]))
        return whole if dtype is None else whole.astype(dtype, copy=False)

    def __repr__(self) -> str:
        what = "ReLU of the" if self.relu else "the"
        return (f"FeatureMapPlane({what} {'×'.join(map(str, self.shape))} map of a "
                f"{'×'.join(map(str, self.image.shape))} {self.image.dtype} image)")
