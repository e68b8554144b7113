"""State of the "Learned filters" tab: the learning problem, the rate, the run's pace and
where the learning is (iterations done and the lecture phase)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from psygnal import evented

from ..panel_state import choice, real_number, whole_number
from ..presets import PRESETS
from ..training import LEARNING_PADDINGS, PHASES, SCALES
from ..training_run import FILE_TARGET, MAX_ITERATIONS
from .training_position import SEED_MAX, TrainingPosition  # noqa: F401 (SEED_MAX: for the controls)

#: the sizes of kernel the tab learns
KERNEL_SIZES = (1, 3, 5, 7, 9)
#: Run's speeds: iterations per second, or "max" (as fast as the machine goes)
SPEEDS = (2.0, 10.0, 100.0, "max")
#: changing one of these starts the learning again from the random kernel (unless a position is given)
SETUP_FIELDS = ("target", "target_image", "kernel_size", "padding", "scale", "seed")
#: old names of pixel scales that lesson files may use
SCALE_ALIASES = {"unit": "0-1"}


@evented
@dataclass
class LearningState(TrainingPosition):
    """``target``: a :data:`~convviz.model.PRESETS` key (the hidden kernel that makes the target) or
    ``FILE_TARGET`` for ``target_image`` (grey, the input's size; named ``target_name``; neither is
    saved in sessions); ``kernel_size`` one of :data:`KERNEL_SIZES`; ``padding`` "valid" or "same";
    ``scale`` a :data:`~convviz.model.training.SCALES` key; ``rate`` "auto" (1/λ_max) or a positive
    number; ``seed`` of the random start; ``speed`` one of :data:`SPEEDS`; ``iterations`` and
    ``phase`` (1 random … 5 update) where the learning is (see :mod:`convviz.model.training_run`).

    Changing the setup (:data:`SETUP_FIELDS`) without saying where to be starts from the random kernel.
    """

    target: str = "sobel_x"
    target_image: np.ndarray | None = field(default=None, metadata={"session": False})
    target_name: str = field(default="", metadata={"session": False})
    kernel_size: int = 3
    padding: str = "valid"
    scale: str = "0-255"
    rate: float | str = "auto"
    seed: int = 0
    speed: float | str = 100.0
    iterations: int = 0
    phase: int = 1

    setup_fields = SETUP_FIELDS
    speeds = SPEEDS
    max_iterations = MAX_ITERATIONS
    phase_count = len(PHASES)

    def settings(self) -> dict[str, Any]:
        """The JSON form; a target image is not saved (only what a hidden kernel makes is)."""
        out = super().settings()
        if self.target == FILE_TARGET:
            del out["target"]
        return out

    def changes_from(self, settings: dict) -> dict[str, Any]:
        if isinstance(settings, dict) and settings.get("target") == FILE_TARGET:
            raise ValueError("A target image cannot be named in settings: load it with “Load target image…”.")
        return super().changes_from(settings)

    # -- validators ------------------------------------------------------------------------
    def _check_target(self, value):
        return choice(value, (*PRESETS, FILE_TARGET), "target")

    def _check_target_image(self, value):
        if value is None:
            return None
        if isinstance(value, np.ndarray) and value.dtype == np.float64 and value.ndim == 2 \
                and not value.flags.writeable:
            return value                     # already checked (undo keeps the same array)
        a = np.array(value, dtype=np.float64)
        if a.ndim != 2 or a.size == 0 or not np.all(np.isfinite(a)):
            raise ValueError(f"The target image must be a grey (H, W) array of finite numbers, not shape {a.shape}.")
        a.setflags(write=False)
        return a

    def _check_target_name(self, value):
        return str(value)

    def _check_kernel_size(self, value):
        return choice(whole_number(value, "kernel size", 1, max(KERNEL_SIZES)), KERNEL_SIZES, "kernel size")

    def _check_padding(self, value):
        return choice(value, LEARNING_PADDINGS, "padding")

    def _check_scale(self, value):
        return choice(SCALE_ALIASES.get(value, value) if isinstance(value, str) else value, tuple(SCALES),
                      "pixel scale")

    def _check_rate(self, value):
        if value == "auto":
            return "auto"
        rate = real_number(value, "learning rate (\"auto\" or a positive number)", 0.0, float("inf")) \
            if not isinstance(value, str) else None
        if rate is None or rate <= 0:
            raise ValueError(f"The learning rate must be \"auto\" or a positive number, not {value!r}.")
        return rate

    def _check_all(self, new: dict) -> None:
        if new["target"] == FILE_TARGET and new["target_image"] is None:
            raise ValueError("No target image is loaded: load one or pick a hidden kernel.")
