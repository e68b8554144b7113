"""Reading and writing image files with Pillow.

:func:`load_image` returns what the model works on: a float64 array with the
values a person knows from image editors (0–255), ``(H, W)`` for grey pictures
and ``(H, W, 3)`` for colour ones. How each kind of file is converted:

==========================  ====================================================
file                        result
==========================  ====================================================
8-bit grey ``L``            ``(H, W)``, values as stored
bilevel ``1``               ``(H, W)``, 0 or 255
16-bit grey ``I;16*``/``I`` ``(H, W)``, scaled by 255/65535 (65535 → 255.0, 257 → 1.0);
                            ``I`` values outside 0..65535 are clipped
32-bit float ``F``          ``(H, W)``, values taken as already on the 0–255 scale
                            and clipped to 0..255 (NaN or infinity is refused)
``RGB``                     ``(H, W, 3)``, values as stored
palette ``P``               the palette *colours*, ``(H, W, 3)`` (never the indices)
``CMYK``, ``YCbCr``, ``LAB``, ``HSV``  converted to RGB, ``(H, W, 3)``
with transparency           ``LA`` → grey, ``RGBA``/``PA``/palette or colour key
                            with transparency → RGB, composited over white (a
                            transparent pixel is 255), then alpha dropped
==========================  ====================================================

EXIF orientation is applied (a portrait photo is returned upright), animated
GIF/WebP/PNG and multi-page TIFF files give their first frame. Readable formats:
PNG, JPEG, BMP, TIFF, WebP and GIF; others are refused without being decoded.

Every problem with a file raises :class:`ImageFileError` (a ``ValueError``)
whose message is one sentence naming the file, e.g.
``cannot open 'x.png': the file is truncated or damaged``.
"""

from __future__ import annotations

import os
import struct
import warnings
import zlib
from contextlib import contextmanager

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from ..model import limits
from ._files import OutputFileError, atomic_write, input_problem

#: the EXIF tag saying how a photo is turned (1: upright)
EXIF_ORIENTATION = 0x0112

__all__ = [
    "IMAGE_EXTENSIONS", "IMAGE_FILE_FILTER", "MAX_PIXELS", "ImageFileError", "OutputFileError", "image_size",
    "load_image_preview",
    "load_image", "save_png",
]

MAX_PIXELS = limits.MAX_IMAGE_PIXELS
"""Largest image :func:`load_image` opens by default: 40 megapixels (e.g. 8000 × 5000), as
everywhere in convviz (:data:`convviz.model.limits.MAX_IMAGE_PIXELS`).

A 40-megapixel colour image is 960 MB as float64, so larger files are refused
from their header, before any pixel is decoded."""

IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp", ".gif")
"""File name extensions (lower case, with the dot) of the formats :func:`load_image` reads."""

IMAGE_FILE_FILTER = "Images (" + " ".join("*" + ext for ext in IMAGE_EXTENSIONS) + ")"
"""A Qt file-dialog filter for :data:`IMAGE_EXTENSIONS`, as a plain string."""

# Pillow's format names; multi-picture camera JPEGs (MPO) are opened through "JPEG".
_FORMATS = ("PNG", "JPEG", "BMP", "TIFF", "WEBP", "GIF")
_FORMAT_NAMES = "PNG, JPEG, BMP, TIFF, WebP or GIF"
_DAMAGE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError,
                  struct.error, zlib.error)


class ImageFileError(ValueError):
    """An image file cannot be used; ``str()`` is one sentence naming the file.

    ``path`` is the file as given and ``reason`` what is wrong with it, e.g.
    ``str(err) == "cannot open 'x.png': the file is truncated or damaged"``.
    """

    def __init__(self, path, reason: str):
        self.path = os.fspath(path)
        self.reason = reason
        super().__init__(f"cannot open {self.path!r}: {reason}")

    def __reduce__(self):
        return (type(self), (self.path, self.reason))


def load_image(path, *, max_pixels: int | None = MAX_PIXELS, as_uint8: bool = False) -> np.ndarray:
    """Read an image file as float64 values 0–255, ``(H, W)`` grey or ``(H, W, 3)`` colour.

    Parameters
    ----------
    path : str or os.PathLike
        A PNG, JPEG, BMP, TIFF, WebP or GIF file.
    max_pixels : int or None, keyword-only
        Refuse images with more pixels than this (read from the header, before
        decoding). ``None`` leaves only Pillow's own decompression-bomb limit.
    as_uint8 : bool, keyword-only
        Return an 8-bit grey or RGB file (no transparency to composite) as uint8: the same
        values in an eighth of the memory (the window holds photos this way).

    Returns
    -------
    ndarray of float64 (or uint8, see ``as_uint8``), shape (H, W) or (H, W, 3)
        See the module docstring for how each kind of file is converted.

    Raises
    ------
    ImageFileError
        The file is missing, empty, a folder, not an image in a readable format,
        truncated or damaged, or too large.
    """
    if max_pixels is not None and (isinstance(max_pixels, bool) or int(max_pixels) != max_pixels
                                   or max_pixels < 1):
        raise ValueError(f"max_pixels must be a positive integer or None, got {max_pixels!r}.")
    with _opened(path, max_pixels) as img:
        try:
            img.load()
        except MemoryError:
            raise ImageFileError(path, "there is not enough memory to decode it") from None
        except _DAMAGE_ERRORS:
            raise ImageFileError(path, "the file is truncated or damaged") from None
        upright = _upright(img)
        if as_uint8 and upright.mode in ("L", "RGB") and "transparency" not in upright.info:
            return np.asarray(upright, dtype=np.uint8)
        return _pixels(upright, path)


def image_size(path, *, max_pixels: int | None = MAX_PIXELS) -> tuple[int, int]:
    """``(height, width)`` of an image file as it will be shown (EXIF orientation applied), read
    from the header without decoding; ``ImageFileError`` exactly as :func:`load_image` would refuse it
    before decoding (missing, not an image, too large). Cheap enough for the GUI thread."""
    with _opened(path, max_pixels) as img:
        width, height = img.size
        try:
            orientation = int(img.getexif().get(0x0112, 1))
        except Exception:  # damaged EXIF data
            orientation = 1
        return (width, height) if orientation in (5, 6, 7, 8) else (height, width)


@contextmanager
def _opened(path, max_pixels: int | None):
    """The Pillow image of ``path``, opened (header read, pixels not decoded) and checked against
    ``max_pixels``; ``ImageFileError`` with a sentence otherwise."""
    problem = input_problem(path)
    if problem is not None:
        raise ImageFileError(path, problem)
    with warnings.catch_warnings():
        # The explicit max_pixels check below is the policy; Pillow's warning would only repeat it.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            img = Image.open(path, formats=_FORMATS)
        except UnidentifiedImageError:
            raise ImageFileError(path, f"it is not an image in a format convviz reads ({_FORMAT_NAMES})") \
                from None
        except Image.DecompressionBombError:
            limit = "" if max_pixels is None else \
                f" and convviz opens images up to {max_pixels / 1e6:,.0f} megapixels; scale it down first"
            raise ImageFileError(path, f"the image is far too large (over "
                                 f"{2 * (Image.MAX_IMAGE_PIXELS or 0) / 1e6:,.0f} megapixels){limit}") from None
        except PermissionError:
            raise ImageFileError(path, "permission denied") from None
        except _DAMAGE_ERRORS:
            raise ImageFileError(path, "the file is truncated or damaged") from None

        with img:
            width, height = img.size
            if max_pixels is not None and width * height > max_pixels:
                raise ImageFileError(
                    path, f"the image is {width:,} × {height:,} pixels ({width * height / 1e6:,.0f} "
                    f"megapixels) and convviz opens images up to {max_pixels / 1e6:,.0f} megapixels; "
                    "scale it down first")
            if width < 1 or height < 1:
                raise ImageFileError(path, "the image has no pixels")
            yield img


def load_image_preview(path, max_side: int = 1024) -> np.ndarray | None:
    """A quick reduced decode to show while the whole image is decoded: JPEG's draft mode (DCT scaling,
    ~15× faster on a 12-megapixel photo), EXIF orientation applied, values 0–255 as uint8
    ``(h, w)`` or ``(h, w, 3)``. None when the file is small or not a JPEG (its whole decode is all
    there is), or cannot be read (the whole decode will say why)."""
    try:
        with _opened(path, MAX_PIXELS) as img:
            if img.format != "JPEG" or max(img.size) <= 2 * max_side:
                return None
            img.draft("L" if img.mode == "L" else "RGB", (max_side // 2, max_side // 2))  # side ≥ max_side / 2
            img.load()
            upright = _upright(img)
            rgb = upright if upright.mode in ("L", "RGB") else upright.convert("RGB")
            return np.asarray(rgb, dtype=np.uint8)
    except (ImageFileError, *_DAMAGE_ERRORS, MemoryError):
        return None


def _upright(img: Image.Image) -> Image.Image:
    """``img`` turned as its EXIF orientation says (``img`` itself when upright: Pillow would copy it,
    48 ms and 36 MB for a 12-megapixel photo); damaged EXIF data: the picture as stored."""
    try:
        if img.getexif().get(EXIF_ORIENTATION, 1) in (0, 1):
            return img
        return ImageOps.exif_transpose(img)
    except Exception:
        return img


def _pixels(img: Image.Image, path) -> np.ndarray:
    """The (H, W) or (H, W, 3) float64 values 0–255 of a loaded Pillow image."""
    mode = img.mode
    if mode == "1":
        return np.asarray(img.convert("L"), dtype=np.float64)
    if mode.startswith("I;16"):
        return np.asarray(img).astype(np.float64) * (255.0 / 65535.0)
    if mode == "I":
        values = np.clip(np.asarray(img).astype(np.float64), 0.0, 65535.0)
        return values * (255.0 / 65535.0)
    if mode == "F":
        values = np.asarray(img).astype(np.float64)
        if not np.isfinite(values).all():
            raise ImageFileError(path, "it contains values that are not numbers (NaN or infinity)")
        return np.clip(values, 0.0, 255.0)

    has_key = "transparency" in img.info
    if mode == "L" and not has_key:
        return np.asarray(img, dtype=np.float64)
    if mode in ("L", "LA", "La"):
        return _over_white(np.asarray(img.convert("LA"), dtype=np.float64))
    if mode == "RGB" and not has_key:
        return np.asarray(img, dtype=np.float64)
    if mode in ("RGBA", "RGBa", "PA") or (mode in ("P", "RGB") and has_key):
        return _over_white(np.asarray(img.convert("RGBA"), dtype=np.float64))
    try:
        rgb = img.convert("RGB")
    except (ValueError, OSError):
        raise ImageFileError(path, f"its colour mode {mode!r} cannot be converted to RGB") from None
    return np.asarray(rgb, dtype=np.float64)


def _over_white(values: np.ndarray) -> np.ndarray:
    """Composite (H, W, C+1) values with alpha last over white; returns (H, W) or (H, W, C)."""
    alpha = values[:, :, -1:]
    out = values[:, :, :-1] * (alpha / 255.0) + (255.0 - alpha)
    return out[:, :, 0] if out.shape[2] == 1 else out


def save_png(path, image) -> None:
    """Write an 8-bit PNG atomically (a temporary file, then :func:`os.replace`).

    ``image`` is uint8, ``(H, W)`` grey, ``(H, W, 3)`` RGB or ``(H, W, 4)`` RGBA.
    A wrong array raises ``ValueError``; a destination that cannot be written
    (missing folder, no permission, a folder, disk full) raises
    :class:`OutputFileError` and leaves no partial file.
    """
    arr = np.asarray(image)
    if arr.dtype != np.uint8:
        raise ValueError(f"save_png needs uint8 values 0–255, not {arr.dtype}.")
    if not (arr.ndim == 2 or (arr.ndim == 3 and arr.shape[2] in (3, 4))) or 0 in arr.shape:
        raise ValueError(f"save_png needs an (H, W), (H, W, 3) or (H, W, 4) image, not shape {arr.shape}.")
    pil = Image.fromarray(np.ascontiguousarray(arr))
    atomic_write(path, lambda fh: pil.save(fh, format="PNG"))
