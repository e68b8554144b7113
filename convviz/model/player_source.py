"""The 2-D picture the step-through player steps through (pure NumPy, no Qt).

A colour photo becomes its luminance or one channel, and the crop where it varies most is
found (:func:`~convviz.model.player_region.busiest_crop`). On a 12-megapixel photo that takes
most of a second, so the window prepares images larger than :data:`LARGE_PIXELS` in the
background; :func:`prepare` itself is an ordinary function. The picture is an
:class:`~convviz.model.player_plane.ImagePlane`: the document's image with the luminance or
channel made in float64 only where it is read (the shown crop), never a whole float64 copy.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .player_plane import ImagePlane
from .player_region import busiest_crop

#: images with more pixels than this are prepared off the GUI thread
LARGE_PIXELS = 1_000_000
#: what the player can step through on a colour image: (words, channel)
CHANNELS = [("luminance", None), ("red channel", 0), ("green channel", 1), ("blue channel", 2)]


class Prepared(NamedTuple):
    """A picture ready to step through: which image/settings it came from, and what it is."""

    image: np.ndarray          # the document's image it was made from (compared by identity)
    gray: bool
    channel: int | None
    source: ImagePlane         # (H, W), float64 values made where they are read
    words: str                 # how to say what it is, e.g. "the red channel of the colour image"
    side: int                  # crop side the busiest crop was chosen for
    busiest: tuple[int, int, int, int]

    def matches(self, image: np.ndarray, gray: bool, channel: int | None) -> bool:
        return self.image is image and self.gray == gray and self.channel == channel

    def crop(self, side: int) -> tuple[int, int, int, int]:
        """The busiest ``side``×``side`` crop (computed again only for another side)."""
        return self.busiest if side == self.side else busiest_crop(self.source, side)


def is_large(image: np.ndarray) -> bool:
    """True for images :func:`prepare` should not be called for on the GUI thread."""
    return image.shape[0] * image.shape[1] > LARGE_PIXELS


def prepare(image: np.ndarray, gray: bool, channel: int | None, side: int) -> Prepared:
    """The 2-D source of ``image`` (``(H, W)`` or ``(H, W, 3)``): the luminance when ``gray`` or
    ``channel`` is None, else that channel; and its busiest ``side``×``side`` crop."""
    if image.ndim == 2:
        source, words = ImagePlane(image), "the grey image"
    elif gray or channel is None:
        source = ImagePlane(image)
        words = ("the luminance of the colour image (document set to grey)" if gray else
                 "the luminance (0.299 R + 0.587 G + 0.114 B) of the colour image")
    else:
        source = ImagePlane(image, channel)
        words = f"the {CHANNELS[channel + 1][0]} of the colour image"
    return Prepared(image, gray, channel, source, words, side, busiest_crop(source, side))
