"""The 2-D picture the player steps through, prepared off the GUI thread for large images.

A colour photo becomes its luminance or one channel, and the crop where it varies most is
found (:func:`~convviz.model.player_region.busiest_crop`). On a 12-megapixel photo that takes
most of a second, so images above :data:`LARGE_PIXELS` are prepared in a worker thread; the
newest request wins and stale results are dropped. Small images are prepared at once.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from convviz.model import to_gray
from convviz.model.player_region import busiest_crop

LARGE_PIXELS = 1_000_000
CHANNELS = [("luminance", None), ("red channel", 0), ("green channel", 1), ("blue channel", 2)]


class Prepared(NamedTuple):
    """A picture ready to step through: which image/settings it came from, and what it is."""

    image: np.ndarray          # the document's image it was made from (compared by identity)
    gray: bool
    channel: int | None
    source: np.ndarray         # (H, W)
    words: str                 # how to say what it is, e.g. "the red channel of the colour image"
    side: int                  # crop side the busiest crop was chosen for
    busiest: tuple[int, int, int, int]

    def matches(self, image, gray, channel) -> bool:
        return self.image is image and self.gray == gray and self.channel == channel


def prepare(image: np.ndarray, gray: bool, channel: int | None, side: int) -> Prepared:
    """The 2-D source of ``image`` (luminance when ``gray`` or ``channel`` is None) and its busiest crop."""
    if image.ndim == 2:
        source, words = image, "the grey image"
    elif gray or channel is None:
        source = to_gray(image)
        words = ("the luminance of the colour image (document set to grey)" if gray else
                 "the luminance (0.299 R + 0.587 G + 0.114 B) of the colour image")
    else:
        source = np.ascontiguousarray(image[:, :, channel])
        words = f"the {CHANNELS[channel + 1][0]} of the colour image"
    return Prepared(image, gray, channel, source, words, side, busiest_crop(source, side))


class _Emitter(QObject):
    done = Signal(object, object)  # token, Prepared | Exception


class _Job(QRunnable):
    def __init__(self, token, args, emitter: _Emitter):
        super().__init__()
        self._token, self._args, self._emitter = token, args, emitter

    def run(self) -> None:
        try:
            result = prepare(*self._args)
        except Exception as exc:  # reported to the panel, which shows it
            result = exc
        try:
            self._emitter.done.emit(self._token, result)
        except RuntimeError:  # the panel was deleted meanwhile
            pass


class SourcePreparer(QObject):
    """Prepares sources; ``ready(Prepared)`` or ``failed(str)`` for the newest request only."""

    ready = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._pool.setExpiryTimeout(2000)
        self._emitter = _Emitter(self)
        self._emitter.done.connect(self._on_done)
        self._token = 0
        self._pending: tuple | None = None

    def is_large(self, image: np.ndarray) -> bool:
        return image.shape[0] * image.shape[1] > LARGE_PIXELS

    def pending(self) -> tuple | None:
        """``(image, gray, channel)`` being prepared, or None."""
        return self._pending

    def request(self, image: np.ndarray, gray: bool, channel: int | None, side: int) -> None:
        """Prepare in the worker; an older request still running is superseded."""
        self._token += 1
        self._pending = (image, gray, channel)
        self._pool.start(_Job(self._token, (image, gray, channel, side), self._emitter))

    def wait(self, msecs: int = 5000) -> bool:
        """Block until the worker is idle (used when the panel closes)."""
        return self._pool.waitForDone(msecs)

    def _on_done(self, token, result) -> None:
        if token != self._token:
            return  # a newer request is on its way
        self._pending = None
        if isinstance(result, Exception):
            self.failed.emit(str(result))
        else:
            self.ready.emit(result)
