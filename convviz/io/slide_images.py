"""Image files of lesson slides, decoded only when a slide is shown and shared between slides (no Qt).

A lesson keeps each slide's image as a :class:`SlideImage` (where the file is), not as pixels:
loading a 20-slide lesson reads no pixel. Showing a slide decodes its image through
:data:`IMAGE_CACHE`, keyed by ``(resolved path, modification time, size)``, so every slide that
points at the same unchanged file gets the same read-only array (the one the document then
holds, without a copy). A file changed on disk is decoded again.
"""

from __future__ import annotations

import os
import warnings
import weakref
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import images
from ._files import input_problem
from .images import ImageFileError

__all__ = ["IMAGE_CACHE", "ImageCache", "SlideImage", "check_image_header", "resolve_images"]


@dataclass(frozen=True)
class SlideImage:
    """An image file a slide shows: ``path`` (absolute) and the ``name`` the document gets."""

    path: Path
    name: str

    def load(self) -> np.ndarray:
        """The pixels, read-only ``(H, W)`` or ``(H, W, 3)`` (uint8 for an 8-bit file, else float64), shared
        through :data:`IMAGE_CACHE`."""
        return IMAGE_CACHE.load(self.path)


def check_image_header(path) -> tuple[int, int]:
    """``(width, height)`` from the file's header, without decoding it; :class:`ImageFileError` when
    :func:`~convviz.io.load_image` would refuse the file (missing, not a readable format, too many pixels)."""
    from PIL import Image, UnidentifiedImageError

    problem = input_problem(path)
    if problem is not None:
        raise ImageFileError(path, problem)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            with Image.open(path, formats=images._FORMATS) as img:
                width, height = img.size
        except UnidentifiedImageError:
            raise ImageFileError(path, f"it is not an image in a format convviz reads ({images._FORMAT_NAMES})") \
                from None
        except Image.DecompressionBombError:
            raise ImageFileError(path, "the image is far too large; scale it down first") from None
        except images._DAMAGE_ERRORS:   # OSError included: unreadable counts as damaged here
            raise ImageFileError(path, "the file is truncated or damaged") from None
    if width * height > images.MAX_PIXELS:
        raise ImageFileError(path, f"the image is {width:,} × {height:,} pixels and convviz opens images up to "
                                   f"{images.MAX_PIXELS / 1e6:,.0f} megapixels; scale it down first")
    if width < 1 or height < 1:
        raise ImageFileError(path, "the image has no pixels")
    return width, height


class ImageCache:
    """Decoded image files by ``(resolved path, mtime, size)``.

    The newest image is kept; older ones as long as something else (a document, an undo step)
    still holds them, so the cache never keeps a big picture alive on its own account for long.
    ``loader`` decodes a path (default :func:`convviz.io.load_image`, looked up at each call).
    """

    def __init__(self, loader=None):
        self.loader = loader
        self._arrays: weakref.WeakValueDictionary = weakref.WeakValueDictionary()
        self._newest: np.ndarray | None = None
        self.decoded = 0   # how many files were decoded (a cache miss each)

    @staticmethod
    def _key(path) -> tuple[str, tuple | None]:
        resolved = Path(os.fspath(path)).resolve()
        try:
            st = os.stat(resolved)
        except OSError:
            return str(resolved), None
        return str(resolved), (str(resolved), st.st_mtime_ns, st.st_size)

    def holds(self, path) -> bool:
        """True when :meth:`load` would return ``path``'s pixels without decoding it."""
        _resolved, key = self._key(path)
        return key is not None and self._arrays.get(key) is not None

    def load(self, path) -> np.ndarray:
        """The read-only pixels of ``path`` (uint8 for an 8-bit file, else float64); :class:`ImageFileError`
        when it cannot be read."""
        from convviz.model.document import document_image

        resolved, key = self._key(path)
        found = self._arrays.get(key) if key is not None else None
        if found is None:
            if self.loader is not None:
                pixels = self.loader(Path(resolved))
            else:   # an 8-bit photo stays uint8 (36 MB for 12 MP, not 288 MB), as File ▸ Open keeps it
                pixels = images.load_image(Path(resolved), as_uint8=True)
            found = document_image(pixels, take=True)   # frozen: the document reuses it as is
            self.decoded += 1
            if key is not None:
                self._arrays[key] = found
        self._newest = found
        return found

    def clear(self) -> None:
        self._arrays.clear()
        self._newest = None


IMAGE_CACHE = ImageCache()
"""The cache every lesson slide's image goes through."""


def resolve_images(changes: dict) -> dict:
    """``changes`` (keyword arguments for ``ConvDocument.apply``) with a :class:`SlideImage` decoded.

    :class:`ImageFileError` (a ``ValueError``) when the file can no longer be read.
    """
    image = changes.get("image")
    if not isinstance(image, SlideImage):
        return dict(changes)
    return {**changes, "image": image.load()}
