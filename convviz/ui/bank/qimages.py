"""uint8 RGB arrays as Qt images (no mathematics: the colours come from convviz.model.colour)."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QImage, QPixmap


def qimage_from_rgb(rgb: np.ndarray) -> QImage:
    """A deep copy of an ``(H, W, 3)`` uint8 array as a ``QImage.Format_RGB888``."""
    arr = np.ascontiguousarray(rgb, dtype=np.uint8)
    h, w = arr.shape[:2]
    return QImage(arr.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()


def pixmap_from_rgb(rgb: np.ndarray) -> QPixmap:
    return QPixmap.fromImage(qimage_from_rgb(rgb))
