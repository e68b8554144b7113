"""One 2-D plane of the document's image, read where it is needed (pure NumPy, no Qt).

The step-through player animates a small crop of a photo, so it never holds the photo's whole
luminance (96 MB of float64 for 12 megapixels): an :class:`ImagePlane` keeps a reference to the
document's image (read-only, uint8 for a photo) and makes float64 values only for the rows and
columns asked. Every value equals the one of the whole plane at that pixel exactly
(:func:`~convviz.model.filtering.to_gray` works pixel by pixel in the same order of operations).
"""

from __future__ import annotations

import numpy as np

from .filtering import to_gray

#: rows converted at a time when a whole plane is read stripe by stripe
STRIPE_ROWS = 256


class ImagePlane:
    """A 2-D plane ``(H, W)`` of ``image``: the image itself when it is 2-D, its luminance
    (``0.299 R + 0.587 G + 0.114 B``) when ``channel`` is None, else channel ``channel``.

    Values are float64 and made when read: ``plane[r0:r1, c0:c1]``, :meth:`take` (rows and columns
    by index), :meth:`sampled` (every ``step``-th pixel) and :meth:`stripes` (the whole plane a few
    rows at a time). ``np.asarray(plane)`` makes the whole plane (small images only).
    """

    ndim = 2

    def __init__(self, image, channel: int | None = None):
        img = np.asarray(image)
        if img.ndim not in (2, 3):
            raise ValueError(f"The player steps through a 2-D image or one plane of a colour one, not shape "
                             f"{img.shape}.")
        if img.ndim == 3 and channel is not None and not 0 <= int(channel) < img.shape[2]:
            raise ValueError(f"Channel {channel} does not exist: the image has {img.shape[2]} channels.")
        self.image = img
        self.channel = None if img.ndim == 2 or channel is None else int(channel)

    @property
    def shape(self) -> tuple[int, int]:
        return int(self.image.shape[0]), int(self.image.shape[1])

    @property
    def size(self) -> int:
        return self.shape[0] * self.shape[1]

    @property
    def dtype(self) -> np.dtype:
        return np.dtype(np.float64)

    def _plane_of(self, part: np.ndarray) -> np.ndarray:
        """The float64 plane of ``part``, a piece ``(h, w)`` or ``(h, w, C)`` of the image."""
        if part.ndim == 2:
            return np.asarray(part, dtype=np.float64)
        if self.channel is not None:
            return np.asarray(part[:, :, self.channel], dtype=np.float64)
        return np.asarray(to_gray(part), dtype=np.float64)

    def __getitem__(self, key) -> np.ndarray:
        """``plane[rows, cols]`` with slices or integers (as NumPy's basic indexing), float64."""
        if not isinstance(key, tuple):
            key = (key, slice(None))
        if len(key) != 2 or not all(isinstance(k, (slice, int, np.integer)) for k in key):
            raise ValueError("Index a plane with two slices or integers, e.g. plane[0:16, 8:24].")
        rows, cols = key
        h, w = self.shape
        values = self._plane_of(self.image[_as_slice(rows, h), _as_slice(cols, w)])
        if not isinstance(rows, slice):
            values = values[0]
        if not isinstance(cols, slice):
            values = values[..., 0]
        return values

    def take(self, rows, cols) -> np.ndarray:
        """The values at rows ``rows`` × columns ``cols`` (index arrays), ``(len(rows), len(cols))``."""
        r = np.asarray(rows, dtype=np.intp)
        c = np.asarray(cols, dtype=np.intp)
        return self._plane_of(self.image[np.ix_(r, c)])

    def sampled(self, step: int) -> np.ndarray:
        """Every ``step``-th row and column, ``plane[::step, ::step]``."""
        return self._plane_of(self.image[::max(1, int(step)), ::max(1, int(step))])

    def stripes(self, rows: int = STRIPE_ROWS):
        """``(first_row, values)`` for consecutive stripes of ``rows`` rows covering the plane."""
        h = self.shape[0]
        for r0 in range(0, h, max(1, int(rows))):
            yield r0, self._plane_of(self.image[r0:r0 + rows])

    def __array__(self, dtype=None, copy=None) -> np.ndarray:
        whole = self._plane_of(self.image)
        return whole if dtype is None else whole.astype(dtype, copy=False)

    def __repr__(self) -> str:
        what = "image" if self.image.ndim == 2 else "luminance" if self.channel is None else f"channel {self.channel}"
        return f"ImagePlane({what} of a {'×'.join(map(str, self.image.shape))} {self.image.dtype} image)"


def _as_slice(key, n: int) -> slice:
    """A slice for ``key`` (a slice, or an integer as NumPy reads it: IndexError outside ``n``)."""
    if isinstance(key, slice):
        return key
    i = range(n)[int(key)]
    return slice(i, i + 1)


def as_plane(image2d) -> ImagePlane:
    """``image2d`` as an :class:`ImagePlane` (a 2-D array is wrapped; a plane is returned as is)."""
    if isinstance(image2d, ImagePlane):
        return image2d
    arr = np.asarray(image2d)
    if arr.ndim != 2:
        raise ValueError(f"The player steps through a 2-D image, not shape {arr.shape}.")
    return ImagePlane(arr)
