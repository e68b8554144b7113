"""State of the "Learn from labels" tab: the small CNN's settings and where its training is.

The network is a pure function of this state: :class:`~convviz.model.cnn.TinyCNN` and
:class:`~convviz.model.cnn.TrainingRun` are deterministic for a seed, so the setup
(:data:`SETUP_FIELDS`) and the position (``iterations`` updates made, ``phase`` the lecture
phase last shown) say exactly which filters are on screen. Sessions and lessons save the
position, never the weights; the tab replays the training to reach it.

Positions in the order the phases run (``iterations``, ``phase``)::

    (0, 1) random start → (0, 2) convolve → (0, 3) loss → (0, 4) backpropagate → (1, 5) update
    → (1, 2) convolve → (1, 3) → (1, 4) → (2, 5) → …

Phase 1 exists only before the first update; phase 5 only after one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from psygnal import evented

from ..cnn.training import DEFAULT_BATCH_SIZE, DEFAULT_LEARNING_RATE, PHASES
from ..panel_state import real_number, whole_number
from .training_position import SEED_MAX, TrainingPosition

__all__ = ["CNNState", "MAX_EPOCHS", "MAX_ITERATIONS", "SEED_MAX", "SETUP_FIELDS", "SPEEDS", "TEST_IMAGE_COUNT",
           "TRAIN_IMAGE_COUNT", "batches_per_epoch", "next_position", "phases_done"]

#: the bundled digits, split as :func:`~convviz.model.cnn.load_dataset` splits them by default
TRAIN_IMAGE_COUNT = 1438
TEST_IMAGE_COUNT = 359
MAX_FILTERS = 64
MAX_KERNEL_SIZE = 11
MAX_BATCH_SIZE = 512
MAX_EPOCHS = 100
MAX_ITERATIONS = 1_000_000
LEARNING_RATE_RANGE = (1e-4, 1.0)
#: Train's speeds: mini-batches per second, or "max" (as fast as the machine goes)
SPEEDS = (5.0, 20.0, 100.0, "max")
#: changing one of these starts the training again from the random filters (unless a position is given)
SETUP_FIELDS = ("filters", "kernel_size", "seed", "learning_rate", "batch_size")


def batches_per_epoch(batch_size: int) -> int:
    """Mini-batches in one pass over the 1,438 training images (the last one may be smaller)."""
    return -(-TRAIN_IMAGE_COUNT // int(batch_size))


def phases_done(iterations: int, phase: int) -> int:
    """How many phases have run to reach a position (the random start counts as one)."""
    if phase == 1:
        return 1
    if phase == 5:
        return 1 + 4 * iterations
    return 1 + 4 * iterations + phase - 1


def next_position(iterations: int, phase: int, action: str) -> tuple[int, int]:
    """The position after ``action``: ``"phase"`` (the next of the five) or ``"batch"`` (finish the
    mini-batch in progress, or do a whole one)."""
    if action == "phase":
        if phase in (1, 5):
            return iterations, 2
        if phase == 4:
            return iterations + 1, 5
        return iterations, phase + 1
    if action == "batch":
        return iterations + 1, 5
    raise ValueError(f"Unknown step {action!r}: use 'phase' or 'batch'.")


@evented
@dataclass
class CNNState(TrainingPosition):
    """``filters`` (1–64) of ``kernel_size``×``kernel_size`` (1–11), ``seed`` of the random start and the
    order of the images, ``learning_rate`` and ``batch_size`` of the mini-batch gradient descent
    (momentum 0.9); ``epochs`` where Train stops; ``speed`` one of :data:`SPEEDS`; ``test_index`` the
    test image whose maps and probabilities are shown (0-based, of 359); ``filter_index`` the filter
    "Use filter N as the kernel" sends (0-based); ``iterations`` and ``phase`` (1 random … 5 update):
    where the training is (see the module docstring).

    Changing the setup (:data:`SETUP_FIELDS`) without saying where to be starts from the random filters.
    """

    filters: int = 8
    kernel_size: int = 5
    seed: int = 0
    learning_rate: float = DEFAULT_LEARNING_RATE
    batch_size: int = DEFAULT_BATCH_SIZE
    epochs: int = 10
    speed: float | str = 100.0
    test_index: int = 0
    filter_index: int = 0
    iterations: int = 0
    phase: int = 1

    setup_fields = SETUP_FIELDS
    speeds = SPEEDS
    max_iterations = MAX_ITERATIONS
    phase_count = len(PHASES)

    def checked(self, **changes: Any) -> dict[str, Any]:
        if "filters" in changes and "filter_index" not in changes:   # fewer filters: the last one stays chosen
            try:
                changes["filter_index"] = min(self.filter_index, int(changes["filters"]) - 1)
            except (TypeError, ValueError):
                pass  # the filters' own check says what is wrong
        return super().checked(**changes)

    @property
    def setup(self) -> tuple:
        """The settings that make the network (equal setups train the same network)."""
        return tuple(getattr(self, name) for name in SETUP_FIELDS)

    @property
    def position(self) -> tuple[int, int]:
        return self.iterations, self.phase

    @property
    def target_iterations(self) -> int:
        """Where Train stops: the end of epoch ``epochs``."""
        return self.epochs * batches_per_epoch(self.batch_size)

    # -- validators ------------------------------------------------------------------------
    def _check_filters(self, value):
        return whole_number(value, "number of filters", 1, MAX_FILTERS)

    def _check_kernel_size(self, value):
        return whole_number(value, "filter size", 1, MAX_KERNEL_SIZE)

    def _check_learning_rate(self, value):
        return real_number(value, "learning rate", *LEARNING_RATE_RANGE)

    def _check_batch_size(self, value):
        return whole_number(value, "batch size", 1, MAX_BATCH_SIZE)

    def _check_epochs(self, value):
        return whole_number(value, "number of epochs", 1, MAX_EPOCHS)

    def _check_test_index(self, value):
        return whole_number(value, "test image", 0, TEST_IMAGE_COUNT - 1)

    def _check_filter_index(self, value):
        return whole_number(value, "filter number", 0, MAX_FILTERS - 1)

    def _check_all(self, new: dict) -> None:
        if new["filter_index"] >= new["filters"]:
            raise ValueError(f"Filter {new['filter_index'] + 1} does not exist: there are {new['filters']} filters.")
        if new["phase"] == 1 and new["iterations"] != 0:
            raise ValueError("Phase 1 (random start) comes before the first update: use iterations 0.")
        if new["phase"] == 5 and new["iterations"] == 0:
            raise ValueError("Phase 5 (update) comes after an update: use iterations of at least 1.")
