"""The input a kernel learner works on (pure NumPy, no Qt): a small grey working copy of the
input, and the target feature map (a hidden kernel's output, or a target image) cut to the
prediction's shape."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ._args import as_pair
from .engine import correlate
from .filtering import to_gray
from .player_plane import STRIPE_ROWS, ImagePlane
from .shapes import output_shape

#: the longest side of the copy the trainer learns on, so iterations stay fast
MAX_SIDE = 128


@dataclass(frozen=True)
class WorkingCopy:
    """The grey, small copy of the input used for learning.

    ``image`` (h, w) float64; ``factor`` the side of the pixel blocks averaged
    (1 = the input itself); ``source_shape`` the (H, W) of the input.
    """

    image: np.ndarray
    factor: int
    source_shape: tuple[int, int]
    from_colour: bool = False

    def describe(self) -> str:
        h, w = self.image.shape
        what = "input's luminance (0.299 R + 0.587 G + 0.114 B)" if self.from_colour else "input"
        if self.factor == 1:
            return f"Learning on the {w}×{h} {what} itself."
        sh, sw = self.source_shape
        return (f"Learning on a {w}×{h} copy: the {sw}×{sh} {what} averaged over "
                f"{self.factor}×{self.factor} blocks, so iterations stay fast.")


def downsample(image, factor: int) -> np.ndarray:
    """Average ``factor × factor`` blocks of a 2-D image (the ragged bottom/right edge is dropped)."""
    img = np.asarray(image, dtype=np.float64)
    if factor == 1:
        return img.copy()
    h, w = (img.shape[0] // factor) * factor, (img.shape[1] // factor) * factor
    blocks = img[:h, :w].reshape(h // factor, factor, w // factor, factor)
    return blocks.mean(axis=(1, 3))


def working_copy(image, max_side: int = MAX_SIDE) -> WorkingCopy:
    """Luminance of ``image`` (grey stays grey), block-averaged until its longest side is ≤ ``max_side``."""
    source = np.asarray(image)
    colour = source.ndim == 3 and source.shape[2] > 1
    if source.ndim not in (2, 3) or source.size == 0 or (source.ndim == 3 and source.shape[2] not in (1, 3, 4)):
        raise ValueError(f"The input must be a grey or colour image, not shape {source.shape}.")
    shape = (int(source.shape[0]), int(source.shape[1]))
    factor = max(1, math.ceil(max(shape) / max_side))
    if factor == 1:
        return WorkingCopy(downsample(np.asarray(to_gray(source), dtype=np.float64), 1), 1, shape, colour)
    # a photo: its luminance block-averaged a stripe of rows at a time, never a float64 copy of the whole
    plane = ImagePlane(source[:, :, 0] if source.ndim == 3 and source.shape[2] == 1 else source)
    h, w = (shape[0] // factor) * factor, (shape[1] // factor) * factor
    out = np.empty((h // factor, w // factor))
    for r0, values in plane.stripes(max(1, STRIPE_ROWS // factor) * factor):
        n = min(values.shape[0], h - r0) // factor
        if n <= 0:
            break
        out[r0 // factor:r0 // factor + n] = downsample(values[:n * factor, :w], factor)
    return WorkingCopy(out, factor, shape, colour)


def crop_centre(array, shape) -> np.ndarray:
    """The centred ``shape`` window of a 2-D array (its shape must be at least ``shape``)."""
    a = np.asarray(array)
    (h, w), (th, tw) = a.shape[:2], shape
    if th > h or tw > w:
        raise ValueError(f"Cannot cut {th}×{tw} out of {h}×{w}.")
    top, left = (h - th) // 2, (w - tw) // 2
    return a[top:top + th, left:left + tw]


def embed_centre(kernel, shape) -> np.ndarray:
    """``kernel`` centred in zeros of ``shape`` (or its centre cut out when larger)."""
    k = np.asarray(kernel, dtype=np.float64)
    out = np.zeros(shape, dtype=np.float64)
    h, w = min(k.shape[0], shape[0]), min(k.shape[1], shape[1])
    src = crop_centre(k, (h, w))
    top, left = (shape[0] - h) // 2, (shape[1] - w) // 2
    out[top:top + h, left:left + w] = src
    return out


def hidden_kernel_target(image, hidden_kernel, kernel_size, padding="valid") -> np.ndarray:
    """The target feature map: ``image`` filtered by ``hidden_kernel``, shaped like the prediction
    of a ``kernel_size`` kernel with ``padding`` (``"same"`` output, centre-cropped for ``"valid"``).

    When the hidden kernel is no larger than the learned one, this equals the correlation
    with the hidden kernel centred in zeros, so the learner can match it exactly.
    """
    img = np.asarray(image, dtype=np.float64)
    size = as_pair(kernel_size, "kernel_size", minimum=1)
    full = correlate(img, hidden_kernel, "same")
    return crop_centre(full, output_shape(img.shape, size, padding)).copy()


def fit_target_image(target_image, image_shape, kernel_size, padding="valid") -> np.ndarray:
    """A loaded target of the input's size cut to the prediction's shape (centre crop)."""
    t = np.asarray(target_image, dtype=np.float64)
    if t.shape != tuple(image_shape):
        raise ValueError(f"The target image is {t.shape[1]}×{t.shape[0]} but the input is "
                         f"{image_shape[1]}×{image_shape[0]}: they must be the same size.")
    size = as_pair(kernel_size, "kernel_size", minimum=1)
    return crop_centre(t, output_shape(t.shape, size, padding)).copy()
