"""Correlation vs convolution: the flipped kernel, and why only true convolution commutes.

Deep learning's "convolution" is cross-correlation (the kernel slides as it is); true
convolution turns the kernel half a turn first. In full mode true convolution is
commutative (``A * W = W * A``); cross-correlation is not (``W ⋆ A`` is ``A ⋆ W`` turned
half a turn).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .engine import convolve, correlate

#: the lecture's example (DESIGN §1): a 4×4 input A and a 2×2 kernel W
LECTURE_A = np.array([[0, 10, 10, 0], [20, 30, 30, 20], [10, 20, 20, 10], [0, 5, 5, 0]], dtype=np.float64)
LECTURE_W = np.array([[1, 0], [0, 2]], dtype=np.float64)
EXAMPLE_1D_A = np.array([[1, 2, 3, 4]], dtype=np.float64)
EXAMPLE_1D_W = np.array([[1, 2]], dtype=np.float64)


def flipped(kernel) -> np.ndarray:
    """``kernel`` turned half a turn: rows and columns reversed (what true convolution slides)."""
    return np.asarray(kernel)[::-1, ::-1]


def flip_effect(kernel) -> str:
    """What flipping does to ``kernel``: ``"same"`` (symmetric), ``"negated"`` (only the sign
    changes, e.g. Sobel) or ``"different"``."""
    k = np.asarray(kernel)
    f = flipped(k)
    if np.array_equal(k, f):
        return "same"
    if np.array_equal(-k, f):
        return "negated"
    return "different"


def example_arrays(example: str, kernel=None) -> tuple[np.ndarray, np.ndarray]:
    """``(A, W)`` of an example: ``"lecture"``, ``"one_d"`` or ``"current"`` (the lecture's A with ``kernel``)."""
    if example == "one_d":
        return EXAMPLE_1D_A, EXAMPLE_1D_W
    if example == "current":
        if kernel is None:
            raise ValueError("The 'current' example needs the current kernel.")
        return LECTURE_A, np.asarray(kernel, dtype=np.float64)
    if example == "lecture":
        return LECTURE_A, LECTURE_W
    raise ValueError(f"Unknown example {example!r}: use lecture, one_d or current.")


@dataclass(frozen=True)
class Commutativity:
    """The four full-mode results of swapping A and W, and what they show."""

    conv_aw: np.ndarray   # convolve(A, W, "full")
    conv_wa: np.ndarray   # convolve(W, A, "full")
    corr_aw: np.ndarray   # correlate(A, W, "full")
    corr_wa: np.ndarray   # correlate(W, A, "full")

    @property
    def conv_equal(self) -> bool:
        return not _differ(self.conv_aw, self.conv_wa).any()

    @property
    def corr_equal(self) -> bool:
        return not self.corr_differences.any()

    @property
    def corr_differences(self) -> np.ndarray:
        """Boolean mask of the cells where ``W ⋆ A`` differs from ``A ⋆ W``."""
        return _differ(self.corr_aw, self.corr_wa)

    @property
    def corr_is_rotation(self) -> bool:
        """True when ``W ⋆ A`` is ``A ⋆ W`` turned half a turn (always, up to round-off)."""
        return not _differ(self.corr_wa, flipped(self.corr_aw)).any()

    def as_dict(self) -> dict[str, np.ndarray]:
        return {"conv_aw": self.conv_aw, "conv_wa": self.conv_wa, "corr_aw": self.corr_aw, "corr_wa": self.corr_wa}


def commutativity(a, w) -> Commutativity:
    """Swap ``a`` and ``w`` under true convolution and cross-correlation, in full mode."""
    return Commutativity(conv_aw=convolve(a, w, "full"), conv_wa=convolve(w, a, "full"),
                         corr_aw=correlate(a, w, "full"), corr_wa=correlate(w, a, "full"))


def _differ(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Cells where ``a`` and ``b`` differ by more than float64 round-off (relative to their largest value):
    a decimal kernel summed in another order must not read as "A * W ≠ W * A"."""
    if a.shape != b.shape:
        return np.ones(np.broadcast_shapes(a.shape, b.shape) if a.ndim == b.ndim else a.shape, dtype=bool)
    scale = max(float(np.abs(a).max(initial=0.0)), float(np.abs(b).max(initial=0.0)), 1.0)
    return np.abs(a - b) > 1e-12 * scale
