"""Which part of a convolution the step-through player animates (pure NumPy, no Qt).

On a photo the player animates a small region (say 16×16 pixels) so the numbers stay
readable, while the full output is computed elsewhere as usual. A region is a crop
``(row, col, h, w)`` of the image; where the crop touches the image border the padding
cells beyond it are shown too. The player steps through every output whose kernel window
lies inside the shown grid, with exactly the numbers of the full
:func:`~convviz.model.steps` sequence (tests check this for every padding, stride and dilation).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._args import NUMPY_PAD_MODE, check_padding_mode
from .engine import correlate
from .player_plane import STRIPE_ROWS, as_plane
from .shapes import output_shape, padding_amounts
from .similarity_map import cosine_similarity_map
from .stepping import Step, StepSequence, format_number, steps

#: images up to this size are animated whole
WHOLE_IMAGE_SIDE = 32
#: side of the default crop on larger images
DEFAULT_CROP_SIDE = 16


def region_around(image_hw, center, size=DEFAULT_CROP_SIDE) -> tuple[int, int, int, int]:
    """A ``size``×``size`` crop ``(row, col, h, w)`` centred on ``center``, moved inside the image."""
    (h, w), (cr, cc) = image_hw[:2], center
    sh, sw = (size, size) if isinstance(size, (int, np.integer)) else size
    sh, sw = max(1, min(int(sh), h)), max(1, min(int(sw), w))
    row = min(max(int(cr) - sh // 2, 0), h - sh)
    col = min(max(int(cc) - sw // 2, 0), w - sw)
    return row, col, sh, sw


def default_crop(image_hw, center=None, size=DEFAULT_CROP_SIDE) -> tuple[int, int, int, int]:
    """The whole image when it is at most :data:`WHOLE_IMAGE_SIDE` on each side, else a crop around
    ``center`` (the image centre when ``None``)."""
    h, w = image_hw[:2]
    if h <= WHOLE_IMAGE_SIDE and w <= WHOLE_IMAGE_SIDE:
        return 0, 0, h, w
    if center is None:
        center = (h // 2, w // 2)
    return region_around((h, w), center, size)


def busiest_crop(image2d, size=DEFAULT_CROP_SIDE) -> tuple[int, int, int, int]:
    """A ``size``×``size`` crop where the pixels vary most (largest variance), so the first
    thing the player shows on a photo is an edge or texture, not a flat patch.

    ``image2d`` is an ``(H, W)`` array or an :class:`~convviz.model.player_plane.ImagePlane`.
    Crops are tried on a grid of half-crop steps (sums over blocks, read a stripe of rows at a
    time, so a large photo costs a few passes over its pixels and never a float64 copy of it).
    Images no larger than the crop give :func:`default_crop`.
    """
    plane = as_plane(image2d)
    h, w = plane.shape
    if h <= WHOLE_IMAGE_SIDE and w <= WHOLE_IMAGE_SIDE or h < size or w < size:
        return default_crop((h, w), None, size)
    b = max(1, int(size) // 2)
    nh, nw = h // b, w // b
    s1, s2 = np.empty((nh, nw)), np.empty((nh, nw))
    for r0, values in plane.stripes(max(1, STRIPE_ROWS // b) * b):
        n = min(values.shape[0], nh * b - r0) // b
        if n <= 0:
            break
        blocks = values[:n * b, :nw * b].reshape(n, b, nw, b)
        s1[r0 // b:r0 // b + n] = blocks.sum(axis=(1, 3))
        s2[r0 // b:r0 // b + n] = np.square(blocks).sum(axis=(1, 3))

    def pairs(a):
        return a[:-1, :-1] + a[1:, :-1] + a[:-1, 1:] + a[1:, 1:]

    n = 4 * b * b
    variance = pairs(s2) / n - np.square(pairs(s1) / n)
    i, j = np.unravel_index(int(np.argmax(variance)), variance.shape)
    return region_around((h, w), (i * b + size // 2, j * b + size // 2), size)


@dataclass(frozen=True)
class PlayerRegion:
    """A crop of the padded input and the outputs whose windows lie inside it.

    ``grid_rows``/``grid_cols`` are the padded-input coordinates of the shown grid
    (``range``), ``out_rows``/``out_cols`` the output positions stepped (``range``),
    ``step_origin`` where the first window starts inside the shown grid. ``pads`` are
    ``(top, bottom, left, right)`` and ``out_hw`` is the full output size.
    """

    image_hw: tuple[int, int]
    crop: tuple[int, int, int, int]
    pads: tuple[int, int, int, int]
    stride: tuple[int, int]
    dilation: tuple[int, int]
    kernel_hw: tuple[int, int]
    out_hw: tuple[int, int]
    grid_rows: range
    grid_cols: range
    out_rows: range
    out_cols: range

    @property
    def grid_shape(self) -> tuple[int, int]:
        return len(self.grid_rows), len(self.grid_cols)

    @property
    def output_shape(self) -> tuple[int, int]:
        return len(self.out_rows), len(self.out_cols)

    @property
    def step_count(self) -> int:
        return len(self.out_rows) * len(self.out_cols)

    @property
    def is_whole(self) -> bool:
        """True when every output of the convolution is stepped."""
        return self.output_shape == tuple(self.out_hw)

    @property
    def step_origin(self) -> tuple[int, int]:
        """Shown-grid cell where the window of the first stepped output starts."""
        return (self.out_rows.start * self.stride[0] - self.grid_rows.start,
                self.out_cols.start * self.stride[1] - self.grid_cols.start)

    @property
    def window_extent(self) -> tuple[int, int]:
        """Rows and columns one (dilated) window spans."""
        (dh, dw), (kh, kw) = self.dilation, self.kernel_hw
        return dh * (kh - 1) + 1, dw * (kw - 1) + 1

    def image_position(self, grid_row: int, grid_col: int) -> tuple[int, int]:
        """Image coordinates of a shown-grid cell (outside ``[0, H)×[0, W)`` on padding)."""
        return (self.grid_rows.start + grid_row - self.pads[0],
                self.grid_cols.start + grid_col - self.pads[2])

    def output_position(self, local_index: int) -> tuple[int, int]:
        """Full-output ``(row, col)`` of the region's step ``local_index``."""
        r, c = divmod(int(local_index), len(self.out_cols))
        return self.out_rows.start + r, self.out_cols.start + c

    def global_index(self, local_index: int) -> int:
        """Index into the full :func:`steps` sequence of the region's step ``local_index``."""
        r, c = self.output_position(local_index)
        return r * self.out_hw[1] + c

    def local_index(self, out_row: int, out_col: int) -> int | None:
        """The region's step for full-output position ``(out_row, out_col)``; ``None`` outside."""
        if out_row in self.out_rows and out_col in self.out_cols:
            return (out_row - self.out_rows.start) * len(self.out_cols) + (out_col - self.out_cols.start)
        return None


def _axis(n, k, pad_before, pad_after, stride, dilation, n_out, start, length):
    """Shown padded range and stepped output range along one axis."""
    total = n + pad_before + pad_after
    extent = dilation * (k - 1) + 1
    lo = 0 if start <= 0 else start + pad_before
    hi = total if start + length >= n else start + length + pad_before
    first = -(-lo // stride)
    last = (hi - extent) // stride + 1 if hi >= extent else 0
    first, last = max(first, 0), min(last, n_out)
    if last <= first:  # the crop is too small for one window: grow it to hold the nearest one
        first = min(first, n_out - 1)
        last = first + 1
        lo, hi = min(lo, first * stride), max(hi, first * stride + extent)
    return range(lo, hi), range(first, last)


def player_region(image_hw, kernel_hw, padding="valid", *, stride=1, dilation=1,
                  crop=None) -> PlayerRegion:
    """The region the player animates for a ``crop = (row, col, h, w)`` of the image
    (``None``: :func:`default_crop`). Raises ``ValueError`` like :func:`output_shape`."""
    from ._args import as_pair

    h, w = (int(v) for v in tuple(image_hw)[:2])
    kh, kw = (int(v) for v in tuple(kernel_hw)[:2])
    stride = as_pair(stride, "stride", minimum=1)
    dilation = as_pair(dilation, "dilation", minimum=1)
    out_hw = output_shape((h, w), (kh, kw), padding, stride=stride, dilation=dilation)
    pads = padding_amounts((kh, kw), padding, dilation=dilation)
    if crop is None:
        crop = default_crop((h, w))
    row, col, ch, cw = (int(v) for v in crop)
    row, col = min(max(row, 0), h - 1), min(max(col, 0), w - 1)
    ch, cw = max(1, min(ch, h - row)), max(1, min(cw, w - col))
    grid_rows, out_rows = _axis(h, kh, pads[0], pads[1], stride[0], dilation[0], out_hw[0], row, ch)
    grid_cols, out_cols = _axis(w, kw, pads[2], pads[3], stride[1], dilation[1], out_hw[1], col, cw)
    top, bottom, left, right = pads
    return PlayerRegion((h, w), (row, col, ch, cw), (top, bottom, left, right), stride, dilation, (kh, kw), out_hw,
                        grid_rows, grid_cols, out_rows, out_cols)


def _source_index(n, before, after, padding_mode) -> np.ndarray:
    """Image index of every padded position along one axis; −1 for zero padding."""
    idx = np.arange(n)
    if before == 0 and after == 0:
        return idx
    if padding_mode == "zeros":
        return np.pad(idx, (before, after), mode="constant", constant_values=-1)
    return np.pad(idx, (before, after), mode=NUMPY_PAD_MODE[padding_mode])  # type: ignore[call-overload]


def region_grid(image2d, region: PlayerRegion, padding_mode="zeros") -> tuple[np.ndarray, np.ndarray]:
    """``(values, in_image)`` of the shown grid: the padded input's values there (float64, read from
    ``image2d``, an ``(H, W)`` array or an :class:`~convviz.model.player_plane.ImagePlane`, only where
    shown) and a mask that is True on real image pixels and False on padding."""
    check_padding_mode(padding_mode)
    plane = as_plane(image2d)
    h, w = plane.shape
    top, bottom, left, right = region.pads
    if padding_mode == "reflect" and ((h < 2 and top + bottom) or (w < 2 and left + right)):
        raise ValueError("Reflect padding needs at least 2 pixels along each padded axis.")
    src_r = _source_index(h, top, bottom, padding_mode)[region.grid_rows.start:region.grid_rows.stop]
    src_c = _source_index(w, left, right, padding_mode)[region.grid_cols.start:region.grid_cols.stop]
    values = plane.take(np.maximum(src_r, 0), np.maximum(src_c, 0))   # float64, only the shown cells
    values = np.where((src_r >= 0)[:, None] & (src_c >= 0)[None, :], values, 0.0)
    pr = np.arange(region.grid_rows.start, region.grid_rows.stop) - top
    pc = np.arange(region.grid_cols.start, region.grid_cols.stop) - left
    in_image = ((pr >= 0) & (pr < h))[:, None] & ((pc >= 0) & (pc < w))[None, :]
    return values, in_image


def _step_grid(grid: np.ndarray, region: PlayerRegion) -> np.ndarray:
    """The part of the shown grid the stepped windows cover, starting at the first window."""
    (r0, c0), (eh, ew) = region.step_origin, region.window_extent
    (nr, nc), (sh, sw) = region.output_shape, region.stride
    return grid[r0:r0 + (nr - 1) * sh + eh, c0:c0 + (nc - 1) * sw + ew]


def region_steps(grid: np.ndarray, kernel, region: PlayerRegion) -> StepSequence:
    """The region's steps, row-major over its outputs (``grid`` from :func:`region_grid`).

    Step ``j`` has the patch, products and value of the full sequence's step
    ``region.global_index(j)``; its ``out_index`` is local to the region.
    """
    seq = steps(_step_grid(grid, region), kernel, "valid", stride=region.stride, dilation=region.dilation)
    assert seq.output_hw == region.output_shape
    return seq


def region_output(grid: np.ndarray, kernel, region: PlayerRegion) -> np.ndarray:
    """The outputs of the region, ``region.output_shape`` (equal to the full correlation there)."""
    return correlate(_step_grid(grid, region), kernel, "valid", stride=region.stride, dilation=region.dilation)


def region_similarity(grid: np.ndarray, kernel, region: PlayerRegion) -> np.ndarray:
    """Cosine similarity of each stepped patch with the kernel, ``region.output_shape``."""
    return cosine_similarity_map(_step_grid(grid, region), kernel, "valid",
                                 stride=region.stride, dilation=region.dilation)


def contributions(region: PlayerRegion, seq: StepSequence, grid_row: int, grid_col: int) -> list[int]:
    """Local step indices whose window covers shown-grid cell ``(grid_row, grid_col)``."""
    r0, c0 = region.step_origin
    ow = region.output_shape[1]
    return [r * ow + c for r, c in seq.contributions(grid_row - r0, grid_col - c0)]


def window_cells(region: PlayerRegion, local_index: int) -> tuple[np.ndarray, np.ndarray]:
    """Shown-grid rows and columns of the kernel taps of step ``local_index`` (dilation spaces them)."""
    r, c = divmod(int(local_index), region.output_shape[1])
    (r0, c0), (sh, sw), (dh, dw) = region.step_origin, region.stride, region.dilation
    kh, kw = region.kernel_hw
    return r0 + r * sh + np.arange(kh) * dh, c0 + c * sw + np.arange(kw) * dw


def partial_sum(step: Step, revealed: int) -> float:
    """Sum of the first ``revealed`` products (row-major), as the lecture mode reveals them."""
    return float(np.sum(step.products.ravel()[:max(0, int(revealed))]))


def revealed_expression(step: Step, revealed: int) -> str:
    """The arithmetic with only the first ``revealed`` products written out; the whole
    :attr:`Step.expression` once every product is revealed."""
    terms = step.terms()
    if revealed >= len(terms):
        return step.expression
    if revealed <= 0:
        return "… (no product revealed yet)"
    return (" + ".join(terms[:revealed]) + f" + …  (so far {format_number(partial_sum(step, revealed))},"
            f" {len(terms) - revealed} more)")
