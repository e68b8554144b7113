"""A large picture filtered for drawing: float32, in row strips, on every core (no Qt).

:func:`filter_for_display` computes what the Filter tab draws for a photo — the same output as
:func:`~convviz.model.filter_image` with a 2-D kernel, in float32 — without ever copying the whole
image: each strip of output rows gathers only the input rows it reads (padding included), converts
them to float32 and adds up the kernel taps while they sit in the CPU cache. The strips are shared
out between threads (NumPy releases the GIL), and the levels and the bytes to draw are made in the
same pass. The numbers a person reads are never taken from here: hover, export and ``.npy`` are
computed again in float64 (:func:`~convviz.model.filter_output.output_value_at`,
:func:`~convviz.model.filter_image`).

Every output pixel is computed by the same float32 operations in the same order whatever the
stride, so a preview (every ``s``-th pixel, computed with ``s`` times the stride) holds exactly the
whole output's values at its pixels.
"""

from __future__ import annotations

import os
import weakref
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from ._args import as_pair, border_read, geometry
from .colour import display_levels, levels_from_range
from .filtering import LUMA_WEIGHTS

#: bytes of float32 input rows per strip (with the accumulator, a strip stays in a core's L2 cache)
STRIP_BYTES = 1024 * 1024
#: outputs with fewer values than this are computed in the calling thread (handing strips to other
#: threads costs more than it saves on a busy 2-CPU machine)
THREADED_VALUES = 200_000
#: a kernel of rank one with more non-zero taps than this is applied as a column times a row
SEPARABLE_FROM_TAPS = 9
_POOL: ThreadPoolExecutor | None = None
#: the strip threads (asking the system at every edit costs ~0.1 ms)
_CPUS = max(1, os.cpu_count() or 1)


def _pool() -> ThreadPoolExecutor:
    global _POOL
    if _POOL is None:
        _POOL = ThreadPoolExecutor(max_workers=_CPUS, thread_name_prefix="convviz-strips")
    return _POOL


@dataclass(frozen=True)
class DisplayOutput:
    """``values`` ``(H', W')`` or ``(H', W', C)`` float32, read-only (every ``sample_step``-th of each axis);
    ``levels`` the automatic levels; ``display`` the whole output's bytes at ``bytes_levels``."""

    values: np.ndarray
    levels: tuple[float, float]
    display: np.ndarray | None
    value_range: tuple[float, float] | None
    bytes_levels: tuple[float, float] | None = None
    sample_step: int = 1


def can_filter_for_display(image: np.ndarray, kernel: np.ndarray) -> bool:
    """True when :func:`filter_for_display` applies: a 2-D finite kernel and a uint8 or finite
    float image (an image holding NaN or ∞ is left to the float64 engine, which spreads them as SciPy does)."""
    img, k = np.asarray(image), np.asarray(kernel)
    if k.ndim != 2 or img.ndim not in (2, 3) or not img.size or not np.isfinite(k).all():
        return False
    if img.dtype == np.uint8:
        return True
    return img.dtype.kind == "f" and _all_finite(img)


#: a read-only float64 image of up to this many values is kept in float32 beside it while it lives: each
#: edit then reads 4 bytes a value instead of 8 (the same float32 numbers; photos are uint8, never copied)
FLOAT32_COPY_VALUES = 4_000_000
_REMEMBERED: dict[tuple[int, str], tuple[weakref.ref, object]] = {}


def _remembered(img: np.ndarray, what: str, make: Callable[[np.ndarray], object]):
    """``make(img)``, remembered for a read-only array (not a view) while it lives: the document's image is
    asked at every edit and never changes."""
    if img.flags.writeable or img.base is not None:
        return make(img)
    key = (id(img), what)
    found = _REMEMBERED.get(key)
    if found is not None and found[0]() is img:
        return found[1]
    value = make(img)

    def forget(_ref: weakref.ref) -> None:
        _REMEMBERED.pop(key, None)

    _REMEMBERED[key] = (weakref.ref(img, forget), value)
    return value


def _all_finite(img: np.ndarray) -> bool:
    """``np.isfinite(img).all()`` (a 3000×3000 float64 colour image takes ~25 ms to check), remembered."""
    return bool(_remembered(img, "finite", lambda a: bool(np.isfinite(a).all())))


def filter_for_display(image: np.ndarray, kernel: np.ndarray, kwargs: dict, *, scale: str = "auto",
                       bytes_for_drawing: bool = True, levels: tuple[float, float] | None = None,
                       sample_step: int = 1,
                       cancelled: Callable[[], bool] | None = None) -> DisplayOutput | None:
    """``filter_image(image, kernel, **kwargs)`` in float32, with display levels and bytes.

    ``kwargs`` as :meth:`~convviz.model.ConvDocument.conv_kwargs` gives them (padding, stride,
    dilation, padding_mode, flip, gray). ``scale`` is one of :data:`~convviz.model.colour.SCALES`
    and gives the automatic levels; ``levels`` (if given) are used for the bytes instead (e.g. a
    person's own). ``sample_step > 1`` keeps only every ``sample_step``-th value of each axis
    (``values[::s, ::s]``, what a screen shows of a photo-sized output; the bytes stay whole).
    ``cancelled()`` is asked between strips; once it is True the computation stops and returns None.
    Raises ValueError as ``filter_image`` does.
    """
    img = np.asarray(image)
    if img.dtype == np.float64 and img.size <= FLOAT32_COPY_VALUES:
        img = _remembered(img, "float32", lambda a: a.astype(np.float32))
    k = np.asarray(kernel, dtype=np.float64)
    if kwargs.get("flip"):
        k = k[::-1, ::-1]
    stride = as_pair(kwargs.get("stride", 1), "stride", minimum=1)
    dilation = as_pair(kwargs.get("dilation", 1), "dilation", minimum=1)
    geo = geometry(img.shape[:2], k.shape, kwargs.get("padding", "valid"), stride, dilation,
                   kwargs.get("padding_mode", "zeros"))
    pads = geo.pads
    if geo.padding_mode == "reflect" and ((img.shape[0] < 2 and pads.top + pads.bottom)
                                          or (img.shape[1] < 2 and pads.left + pads.right)):
        raise ValueError("Reflect padding needs at least 2 pixels along each padded axis.")
    gray = bool(kwargs.get("gray")) and img.ndim == 3
    channels = 1 if (img.ndim == 2 or gray) else img.shape[2]
    oh, ow = geo.out_hw
    values = np.empty((oh, ow) if (img.ndim == 2 or gray) else (oh, ow, channels), np.float32)
    plan = _Plan(img, k, geo, gray, channels)
    blocks = _row_blocks(oh, plan.strip_rows)
    threaded = oh * ow * channels >= THREADED_VALUES
    ranges = [r for r in _each_block(lambda b: plan.fill(values, b, cancelled), blocks, threaded) if r is not None]
    if cancelled is not None and cancelled():
        return None
    value_range = (min(r[0] for r in ranges), max(r[1] for r in ranges)) if ranges else None
    if scale == "robust":                       # a percentile of every value
        auto = display_levels(values, scale="robust")
    else:
        auto = levels_from_range(*value_range, scale=scale) if value_range else (0.0, 1.0)
    drawn_at = auto if levels is None else (float(levels[0]), float(levels[1]))
    display = None
    if bytes_for_drawing:
        display = np.empty(values.shape, np.uint8)
        _each_block(lambda b: _to_bytes(values, display, b, drawn_at), blocks, threaded)
    if sample_step > 1:
        values = np.ascontiguousarray(values[::sample_step, ::sample_step])   # the whole array is freed
    values.flags.writeable = False
    return DisplayOutput(values, auto, display, value_range, drawn_at, sample_step)


def _each_block(fn, blocks: list, threaded: bool) -> list:
    """``[fn(block) for block in blocks]``, shared between the strip threads when ``threaded``."""
    if threaded:
        try:
            return list(_pool().map(fn, blocks))
        except RuntimeError as exc:          # the interpreter is exiting: its thread pools take no more work
            if "shutdown" not in str(exc):
                raise
    return [fn(b) for b in blocks]


def _row_blocks(oh: int, strip_rows: int) -> list[tuple[int, int]]:
    """Output rows split into whole strips, about four blocks per thread (so a slow thread is caught up)."""
    workers = _CPUS
    per_block = max(strip_rows, -(-oh // (4 * workers)) // strip_rows * strip_rows)
    return [(r, min(oh, r + per_block)) for r in range(0, oh, per_block)]


def products_per_value(kernel: np.ndarray) -> int:
    """Multiply-adds per output value as :func:`filter_for_display` does them: the non-zero taps, or for
    a kernel of rank one with more than :data:`SEPARABLE_FROM_TAPS` of them, its column's plus its row's."""
    k = np.asarray(kernel, dtype=np.float64)
    taps = int(np.count_nonzero(k))
    if taps > SEPARABLE_FROM_TAPS and k.ndim == 2 and np.isfinite(k).all():
        split = _rank_one(k)
        if split is not None:
            return len(split[0]) + len(split[1])
    return max(1, taps)


def _rank_one(k: np.ndarray) -> tuple[list, list] | None:
    """``(down, across)`` — ``[(index, float32 weight)]`` of the non-zero entries of a column and a row
    whose outer product is ``k`` (to float64 round-off) — or None when ``k`` is not of rank one."""
    u, sv, vt = np.linalg.svd(k)
    if sv[0] == 0 or (len(sv) > 1 and sv[1] > 1e-12 * sv[0]):
        return None
    col, row = u[:, 0] * np.sqrt(sv[0]), vt[0] * np.sqrt(sv[0])
    if not np.allclose(np.outer(col, row), k, rtol=1e-12, atol=1e-12 * float(np.abs(k).max())):
        return None
    return ([(a, np.float32(w)) for a, w in enumerate(col) if w != 0],
            [(b, np.float32(w)) for b, w in enumerate(row) if w != 0])


class _Plan:
    """What every strip shares: the taps, the padding and the rows each output row reads."""

    def __init__(self, img: np.ndarray, k: np.ndarray, geo, gray: bool, channels: int):
        self.img, self.geo, self.gray, self.channels = img, geo, gray, channels
        kh, kw = k.shape
        taps = [(a, b, float(k[a, b])) for a in range(kh) for b in range(kw) if k[a, b] != 0]
        self.taps = taps or [(0, 0, 0.0)]
        self.weights = np.array([w for _, _, w in self.taps], dtype=np.float32)
        self.separable = _rank_one(k) if len(taps) > SEPARABLE_FROM_TAPS else None
        (self.sh, self.sw), (self.dh, self.dw) = geo.stride, geo.dilation
        h, w = img.shape[:2]
        pads = geo.pads
        self.width = w + pads.left + pads.right
        self.col_src = np.arange(-pads.left, w + pads.right)
        self.col_inside = (self.col_src >= 0) & (self.col_src < w)
        self.col_read = border_read(self.col_src, w, geo.padding_mode)
        row_bytes = self.width * 4 * channels
        self.strip_rows = n = max(1, min(geo.out_hw[0], STRIP_BYTES // max(1, row_bytes)))
        self.kh, self.kw = kh, kw
        # a strip reads one block of consecutive rows (always for stride 1), unless reading each kernel
        # row's own rows reads fewer (a large stride with a short kernel: a preview of a 3×3)
        tap_rows = len(self.separable[0]) if self.separable is not None else len({a for a, _, _ in self.taps})
        self.block_len = (n - 1) * self.sh + (kh - 1) * self.dh + 1
        self.block_rows = self.sh == 1 or self.block_len <= n * tap_rows
        # every sw-th column of several channels: strips are held as planes (C, rows, width) under the
        # (rows, width, C) views, so an operation runs along a row, not over the 3 channels of each pixel
        self.planar = channels > 1 and self.sw > 1

    def rows(self, r0: int, n: int) -> np.ndarray:
        """Input rows (−top-based, padding outside 0..H−1) read by output rows ``r0 .. r0+n−1``:
        one block ``(n−1)·S + (KH−1)·D + 1`` long, or ``(KH, n)`` (tap row, output row)."""
        top = self.geo.pads.top
        if self.block_rows:
            start = r0 * self.sh - top
            return np.arange(start, start + (n - 1) * self.sh + (self.kh - 1) * self.dh + 1)
        out_rows = np.arange(r0, r0 + n) * self.sh - top
        return out_rows[None, :] + self.dh * np.arange(self.kh)[:, None]

    def load(self, src_rows: np.ndarray, buf: np.ndarray) -> np.ndarray:
        """Input rows ``src_rows`` (1-D) as float32 ``(n, W + pads, C)`` (in the image's own channel order
        unless :attr:`planar`) with the columns padded (luminance only, for ``gray``), into ``buf``."""
        img, geo = self.img, self.geo
        h, w = img.shape[:2]
        left = geo.pads.left
        n = len(src_rows)
        out = buf[:n]
        first, last = int(src_rows[0]), int(src_rows[-1])
        if 0 <= first and last < h and last - first + 1 == n:
            rows = img[first:last + 1]                       # consecutive rows: a view, no copy
        else:
            rows = img[border_read(src_rows, h, geo.padding_mode)]
        core = out[:, left:left + w]
        if self.gray:
            lum = core[:, :, 0]
            np.multiply(rows[:, :, 0], np.float32(LUMA_WEIGHTS[0]), out=lum, dtype=np.float32)
            lum += np.float32(LUMA_WEIGHTS[1]) * rows[:, :, 1].astype(np.float32)
            lum += np.float32(LUMA_WEIGHTS[2]) * rows[:, :, 2].astype(np.float32)
        elif img.ndim == 2:
            core[:, :, 0] = rows
        else:
            core[...] = rows
        if self.width != w:
            pad_cols = ~self.col_inside
            if geo.padding_mode == "zeros":
                out[:, pad_cols] = 0.0
            else:
                out[:, pad_cols] = out[:, left + self.col_read[pad_cols]]
        if geo.padding_mode == "zeros":
            outside = (src_rows < 0) | (src_rows >= h)
            if outside.any():
                out[outside] = 0.0
        return out

    def fill(self, values: np.ndarray, block: tuple[int, int], cancelled) -> tuple[float, float] | None:
        """Compute output rows ``block`` of every channel into ``values``; the smallest and largest value."""
        b0, b1 = block
        ow = self.geo.out_hw[1]
        strip, channels = self.strip_rows, self.channels
        block_len = self.block_len
        buf = self._scratch(block_len if self.block_rows else strip, self.width)
        tmp = self._scratch(strip, ow)
        rows_across = self._scratch(block_len if self.block_rows else strip, ow) if self.separable is not None else None
        acc = self._scratch(strip, ow) if self.planar else None
        lo, hi = np.inf, -np.inf
        for r0 in range(b0, b1, strip):
            if cancelled is not None and cancelled():
                return None
            n = min(strip, b1 - r0)
            # summed straight into the output, unless in planes (then copied into it)
            a_out = acc[:n] if acc is not None else values[r0:r0 + n].reshape(n, ow, channels)
            if rows_across is not None:
                self._strip_separable(r0, n, buf, a_out, tmp[:n], rows_across)
            else:
                self._strip_taps(r0, n, buf, a_out, tmp[:n])
            if a_out.size:
                lo, hi = min(lo, float(a_out.min())), max(hi, float(a_out.max()))
            if acc is not None:
                values[r0:r0 + n] = a_out
        return (lo, hi) if lo <= hi else None

    def _scratch(self, rows: int, width: int) -> np.ndarray:
        """``(rows, width, C)`` float32 — in planes underneath when :attr:`planar`."""
        if self.planar:
            return np.empty((self.channels, rows, width), np.float32).transpose(1, 2, 0)
        return np.empty((rows, width, self.channels), np.float32)

    def _strip_taps(self, r0: int, n: int, buf: np.ndarray, a_out: np.ndarray, t_out: np.ndarray) -> None:
        """Output rows ``r0 .. r0+n−1`` as the sum of every non-zero tap's shifted input times its weight."""
        col_stop = (self.geo.out_hw[1] - 1) * self.sw + 1
        rows = self.rows(r0, n)
        first = True
        for tap_row in range(self.kh):
            if self.block_rows:
                if tap_row == 0:
                    loaded = self.load(rows, buf)
                window = loaded[tap_row * self.dh:tap_row * self.dh + (n - 1) * self.sh + 1:self.sh]
            elif any(a == tap_row for a, _, _ in self.taps):
                window = self.load(rows[tap_row], buf)
            else:
                continue
            for (a, b, _w), w32 in zip(self.taps, self.weights, strict=True):
                if a != tap_row:
                    continue
                _add_weighted(a_out, window[:, b * self.dw:b * self.dw + col_stop:self.sw], w32, t_out, first)
                first = False

    def _strip_separable(self, r0: int, n: int, buf: np.ndarray, a_out: np.ndarray, t_out: np.ndarray,
                         rows_across: np.ndarray) -> None:
        """A rank-1 kernel ``down ⊗ across``: each input row read is first filtered across (``KW`` taps),
        then those rows are added down the kernel (``KH`` taps) — ``KH + KW`` products per pixel, not ``KH·KW``."""
        assert self.separable is not None
        down, across = self.separable
        col_stop = (self.geo.out_hw[1] - 1) * self.sw + 1

        def filter_across(window: np.ndarray, out: np.ndarray) -> None:
            scratch = np.empty_like(out)         # in the same memory order
            first = True
            for b, w32 in across:
                _add_weighted(out, window[:, b * self.dw:b * self.dw + col_stop:self.sw], w32, scratch, first)
                first = False

        rows = self.rows(r0, n)
        if self.block_rows:
            loaded = self.load(rows, buf)
            across_rows = rows_across[:loaded.shape[0]]
            filter_across(loaded, across_rows)
            first = True
            for a, w32 in down:
                _add_weighted(a_out, across_rows[a * self.dh:a * self.dh + (n - 1) * self.sh + 1:self.sh],
                              w32, t_out, first)
                first = False
            return
        across_rows = rows_across[:n]
        first = True
        for a, w32 in down:
            filter_across(self.load(rows[a], buf), across_rows)
            _add_weighted(a_out, across_rows, w32, t_out, first)
            first = False


def _add_weighted(out: np.ndarray, view: np.ndarray, weight: np.float32, scratch: np.ndarray, first: bool) -> None:
    """``out = view·weight`` (``first``) or ``out += view·weight``, with ``scratch`` (``out``'s shape)
    holding the product, so no temporary is made. A weight of ±1 is added or subtracted without a
    product (the same float32 result: ``x·1 = x`` and ``out + x·(−1) = out − x`` exactly)."""
    if weight == 1:
        if first:
            np.copyto(out, view)
        else:
            out += view
    elif weight == -1:
        if first:
            np.negative(view, out=out)
        else:
            out -= view
    elif first:
        np.multiply(view, weight, out=out)
    else:
        np.multiply(view, weight, out=scratch)
        out += scratch


def _to_bytes(values: np.ndarray, display: np.ndarray, block: tuple[int, int], levels) -> None:
    """Rows ``block`` of ``values`` at ``levels`` as bytes (as :func:`~convviz.model.colour.scale_to_bytes`)."""
    lo, hi = float(levels[0]), float(levels[1])
    span = hi - lo if hi > lo else 1.0
    b0, b1 = block
    step = max(1, (1 << 17) // max(1, values[0].size))
    for r in range(b0, b1, step):
        v = np.subtract(values[r:min(b1, r + step)], np.float32(lo))   # as scale_to_bytes, exactly
        v *= np.float32(255.0 / span)
        np.clip(v, 0, 255, out=v)
        np.rint(v, out=v)
        display[r:min(b1, r + step)] = v
