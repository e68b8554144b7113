"""Named kernels every image-processing lecture uses, each with a sentence a student understands."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np

from ._args import as_whole
from .limits import check_work_pixels


@dataclass(frozen=True)
class Preset:
    """A named kernel: ``key`` (lower_case), display ``name``, ``kernel`` (KH, KW) float64, ``description``."""

    key: str
    name: str
    kernel: np.ndarray = field(repr=False)
    description: str

    def __post_init__(self):
        k = np.array(self.kernel, dtype=np.float64)
        k.flags.writeable = False
        object.__setattr__(self, "kernel", k)


def gaussian(size: int = 5, sigma: float | None = None) -> np.ndarray:
    """A ``size × size`` Gaussian kernel with standard deviation ``sigma`` (pixels), summing to 1.

    ``sigma`` defaults to ``size / 6`` (so the kernel spans ±3σ). A tiny ``sigma`` gives the limit
    of the Gaussian (all weight on the centre pixel, or shared by the central 2×2 for an even size),
    a huge one a box blur; never NaN. ``ValueError`` for a size below 1 or above
    ``sqrt(MAX_WORK_PIXELS)``, and for a ``sigma`` that is not a positive finite number.
    """
    size = as_whole(size, "The Gaussian size", 1)
    check_work_pixels(size, size, what="The Gaussian kernel", advice="use a smaller size")
    if sigma is None:
        sigma = size / 6
    if isinstance(sigma, (bool, np.bool_)) or not isinstance(sigma, (int, float, np.integer, np.floating)):
        raise ValueError(f"The Gaussian σ must be a positive number, got {sigma!r:.40}.")
    try:
        sigma = float(sigma)
    except OverflowError:
        raise ValueError("The Gaussian σ is too large to be a number; use a smaller σ.") from None
    if not math.isfinite(sigma) or sigma <= 0:
        raise ValueError(f"The Gaussian σ must be a positive number, got {sigma!r}.")
    # exp(−(x² − m²)/(2σ²)), with m the distance of the nearest tap to the centre: the largest weight is
    # exactly 1, so neither an underflowing σ² (σ = 1e-300) nor the normalisation can make NaNs
    dist = np.abs(np.arange(size) - (size - 1) / 2)
    nearest = dist.min()
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        exponent = ((dist - nearest) / sigma) * ((dist + nearest) / sigma) / 2
    exponent[dist == nearest] = 0.0
    g = np.exp(-exponent)
    k = np.outer(g, g)
    return k / k.sum()


def _p(key, name, kernel, description):
    return key, Preset(key, name, np.asarray(kernel, dtype=np.float64), description)


_UNSHARP = np.array([[1, 4, 6, 4, 1], [4, 16, 24, 16, 4], [6, 24, -476, 24, 6],
                     [4, 16, 24, 16, 4], [1, 4, 6, 4, 1]]) / -256

PRESETS: Mapping[str, Preset] = MappingProxyType(dict([
    _p("identity", "Identity", [[0, 0, 0], [0, 1, 0], [0, 0, 0]],
       "Copies the image unchanged: only the centre weight is 1."),
    _p("box_blur", "Box blur", np.ones((3, 3)) / 9,
       "Replaces each pixel by the average of its 3×3 neighbourhood, which blurs the image."),
    _p("gaussian_blur", "Gaussian blur", np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]]) / 16,
       "A weighted average that counts near pixels more than far ones: a smooth, natural-looking blur."),
    _p("gaussian_blur_5x5", "Gaussian blur 5×5", gaussian(5, 1.0),
       "A wider Gaussian blur (5×5, σ = 1) that removes more fine detail."),
    _p("sharpen", "Sharpen", [[0, -1, 0], [-1, 5, -1], [0, -1, 0]],
       "Adds the difference between a pixel and its neighbours back to it, so edges look crisper."),
    _p("unsharp_mask", "Unsharp mask", _UNSHARP,
       "Subtracts a blurred copy from the image to boost fine detail, as photo editors sharpen."),
    _p("laplacian", "Laplacian", [[0, 1, 0], [1, -4, 1], [0, 1, 0]],
       "Responds where brightness changes in any direction and is zero on flat or evenly sloping areas."),
    _p("sobel_x", "Sobel x (vertical edges)", [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]],
       "Finds vertical edges: positive where the image gets brighter from left to right, negative where darker."),
    _p("sobel_y", "Sobel y (horizontal edges)", [[1, 2, 1], [0, 0, 0], [-1, -2, -1]],
       "Finds horizontal edges: positive where the top is brighter than the bottom, negative the other way."),
    _p("prewitt_x", "Prewitt x (G_x)", [[-1, 0, 1], [-1, 0, 1], [-1, 0, 1]],
       "The lecture's G_x: right column minus left column, so it lights up on vertical edges."),
    _p("prewitt_y", "Prewitt y (G_y)", [[1, 1, 1], [0, 0, 0], [-1, -1, -1]],
       "The lecture's G_y: top row minus bottom row, so it lights up on horizontal edges."),
    _p("scharr_x", "Scharr x", [[-3, 0, 3], [-10, 0, 10], [-3, 0, 3]],
       "Like Sobel x but with weights chosen so edges at every angle are measured more evenly."),
    _p("scharr_y", "Scharr y", [[3, 10, 3], [0, 0, 0], [-3, -10, -3]],
       "Like Sobel y but with weights chosen so edges at every angle are measured more evenly."),
    _p("emboss", "Emboss", [[-2, -1, 0], [-1, 1, 1], [0, 1, 2]],
       "Makes the image look raised or stamped, as if lit from the top left."),
    _p("outline", "Outline", [[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]],
       "Keeps only the places where a pixel differs from all eight neighbours: outlines of shapes."),
    _p("motion_blur", "Motion blur", np.eye(5) / 5,
       "Averages along a diagonal line, as if the camera moved while the photo was taken."),
    _p("horizontal_lines", "Horizontal lines", [[-1, -1, -1], [2, 2, 2], [-1, -1, -1]],
       "Responds to thin bright horizontal lines one pixel wide."),
    _p("vertical_lines", "Vertical lines", [[-1, 2, -1], [-1, 2, -1], [-1, 2, -1]],
       "Responds to thin bright vertical lines one pixel wide."),
]))
