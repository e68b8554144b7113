"""Training the small CNN: mini-batches, epochs, and the lecture's five phases one at a time (no Qt).

:class:`TrainingRun` owns a :class:`~convviz.model.cnn.TinyCNN` and a
:class:`~convviz.model.cnn.DigitsDataset` and moves the network forward in
three sizes of step, all sharing one order of mini-batches (deterministic for
the seed):

- :meth:`TrainingRun.next_phase` — one of the five phases of :data:`PHASES`:

  1. ``random``        — the filters' random start (reported once, before the first mini-batch);
  2. ``convolve``      — the next mini-batch is convolved with the filters: feature maps, pooled
     maps and class probabilities;
  3. ``loss``          — the cross-entropy of each image against its label, and their mean;
  4. ``backpropagate`` — the gradient of the mean loss with respect to every parameter;
  5. ``update``        — ``parameter ← parameter − lr × (momentum-smoothed) gradient``; then the
     next phase is ``convolve`` on the next mini-batch.

- :meth:`TrainingRun.next_batch` — the rest of one iteration (all its remaining phases);
- :meth:`TrainingRun.run_epoch` — the rest of one pass over the training images, then the
  training loss and test accuracy (an :class:`EpochResult`, also kept in ``history``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

import numpy as np

from .backprop import ForwardPass, cross_entropy
from .data import DigitsDataset
from .network import TinyCNN

__all__ = ["DEFAULT_BATCH_SIZE", "DEFAULT_LEARNING_RATE", "DEFAULT_MOMENTUM", "PHASES", "EpochResult",
           "PhaseResult", "TrainingRun"]

PHASES = ("random", "convolve", "loss", "backpropagate", "update")
DEFAULT_LEARNING_RATE = 0.05
DEFAULT_MOMENTUM = 0.9
DEFAULT_BATCH_SIZE = 32


@dataclass(frozen=True)
class EpochResult:
    """``epoch`` (1-based), ``train_loss`` (mean cross-entropy on all training images after the epoch),
    ``test_accuracy`` (0–1), ``seconds`` (time spent training in this epoch, evaluation excluded)."""

    epoch: int
    train_loss: float
    test_accuracy: float
    seconds: float

    def as_dict(self) -> dict:
        """The JSON-ready line of ``convviz train --json``."""
        return {"epoch": self.epoch, "train_loss": self.train_loss, "test_accuracy": self.test_accuracy}


@dataclass(frozen=True)
class PhaseResult:
    """What one phase produced; later phases of an iteration carry the earlier phases' results too.

    ``name`` one of :data:`PHASES`; ``epoch`` (1-based, the epoch this mini-batch belongs to) and
    ``batch`` (0-based within it); ``iteration`` the number of updates made before this phase;
    ``conv_weights (K, K, 1, F)`` the filters after this phase; ``text`` one sentence with the
    numbers, for a status line. From ``convolve`` on: ``images (B, H, W)`` 0–255, ``labels (B,)``,
    ``feature_maps (B, H', W', F)`` after ReLU, ``pooled (B, P, P, F)``, ``probabilities (B, C)``.
    From ``loss`` on: ``losses (B,)`` and ``loss`` (their mean). From ``backpropagate`` on:
    ``gradients`` (name → array shaped like the parameter). At ``update``: ``changes`` (name → the
    change applied) and ``previous_conv_weights`` (the filters before it); when the update ends an
    epoch, ``epoch_result`` (an :class:`EpochResult`), else ``None``.
    """

    name: str
    epoch: int
    batch: int
    iteration: int
    conv_weights: np.ndarray
    text: str
    images: np.ndarray | None = None
    labels: np.ndarray | None = None
    feature_maps: np.ndarray | None = None
    pooled: np.ndarray | None = None
    probabilities: np.ndarray | None = None
    losses: np.ndarray | None = None
    loss: float | None = None
    gradients: dict[str, np.ndarray] | None = field(default=None, repr=False)
    changes: dict[str, np.ndarray] | None = field(default=None, repr=False)
    previous_conv_weights: np.ndarray | None = field(default=None, repr=False)
    epoch_result: EpochResult | None = None


class TrainingRun:
    """Mini-batch gradient descent of ``net`` on ``data`` (see the module docstring).

    Parameters
    ----------
    net : TinyCNN — trained in place (its parameters are replaced at every update)
    data : DigitsDataset — its image size must be the network's
    lr, momentum : the update ``v ← momentum·v + g``, ``p ← p − lr·v``
    batch_size : images per mini-batch (the last one of an epoch may be smaller)
    seed : the order of the images in every epoch (a new permutation per epoch)
    """

    def __init__(self, net: TinyCNN, data: DigitsDataset, *, lr: float = DEFAULT_LEARNING_RATE,
                 momentum: float = DEFAULT_MOMENTUM, batch_size: int = DEFAULT_BATCH_SIZE, seed: int = 0):
        if data.image_shape != (net.image_size, net.image_size):
            raise ValueError(f"The network reads {net.image_size}×{net.image_size} images but the data's are "
                             f"{data.image_shape[0]}×{data.image_shape[1]}.")
        if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
            raise ValueError(f"batch_size must be a whole number of at least 1, not {batch_size!r}.")
        if not (np.isfinite(lr) and lr > 0):
            raise ValueError(f"The learning rate must be a positive number, not {lr!r}.")
        if not 0.0 <= momentum < 1.0:
            raise ValueError(f"The momentum must be at least 0 and below 1, not {momentum!r}.")
        self.net, self.data = net, data
        self.lr, self.momentum, self.batch_size = float(lr), float(momentum), int(batch_size)
        self._rng = np.random.default_rng(seed)
        self.history: list[EpochResult] = []
        self.epoch = 0                      # epochs completed
        self.phase = PHASES[0]              # the phase next_phase() runs
        self._order = np.empty(0, dtype=np.int64)
        self._batch = 0                     # index of the next mini-batch within the current epoch
        self._last: PhaseResult | None = None
        self._forward: ForwardPass | None = None
        self._seconds = 0.0                 # training time spent in the current epoch

    # -- reading -------------------------------------------------------------------------
    @property
    def batches_per_epoch(self) -> int:
        return -(-len(self.data.train_labels) // self.batch_size)

    @property
    def iteration(self) -> int:
        """Updates made so far."""
        return self.net.updates

    @property
    def in_iteration(self) -> bool:
        """True between a ``convolve`` and its ``update`` (a mini-batch is half done)."""
        return self.phase in PHASES[2:]

    # -- phases --------------------------------------------------------------------------
    def next_phase(self) -> PhaseResult:
        """Run the next phase (see :data:`PHASES`) and return what it produced."""
        start = time.perf_counter()
        name = self.phase
        if name == "random":
            result = self._random()
        elif name == "convolve":
            result = self._convolve()
        elif name == "loss":
            result = self._loss()
        elif name == "backpropagate":
            result = self._backpropagate()
        else:
            result = self._update()
        self._seconds += time.perf_counter() - start
        if name == "update" and self._batch == 0:  # that update ended an epoch: measure it
            result = replace(result, epoch_result=self._finish_epoch())
        self._last = result
        return result

    def _random(self) -> PhaseResult:
        self.phase = "convolve"
        w = self.net.conv_weights
        return PhaseResult("random", self.epoch + 1, 0, self.iteration, w,
                           f"Random start: {w.shape[3]} filters of {w.shape[0]}×{w.shape[1]}, weights from "
                           f"{w.min():.3g} to {w.max():.3g} (seed {self.net.seed}).")

    def _convolve(self) -> PhaseResult:
        if self._batch == 0:  # a new epoch: a new order of the training images
            self._order = self._rng.permutation(len(self.data.train_labels))
        picked = self._order[self._batch * self.batch_size:(self._batch + 1) * self.batch_size]
        images, labels = self.data.train_images[picked], self.data.train_labels[picked]
        fp = self.net.forward_pass(images)
        self._forward = fp
        self.phase = "loss"
        f = fp.feature_maps.shape[3]
        return PhaseResult("convolve", self.epoch + 1, self._batch, self.iteration, self.net.conv_weights,
                           f"Convolved {len(labels)} images with {f} filters: {len(labels) * f} feature maps of "
                           f"{fp.feature_maps.shape[1]}×{fp.feature_maps.shape[2]}, ReLU, 2×2 max-pool, "
                           f"dense layer, softmax.",
                           images=images, labels=labels, feature_maps=fp.feature_maps, pooled=fp.pooled,
                           probabilities=fp.probabilities)

    def _loss(self) -> PhaseResult:
        prev = self._require("convolve")
        assert self._forward is not None and prev.labels is not None
        losses = cross_entropy(self._forward.logits, prev.labels)
        loss = float(np.mean(losses))
        self.phase = "backpropagate"
        chance = np.log(self.net.classes)
        return _carry(prev, "loss", losses=losses, loss=loss,
                      text=f"Loss: mean cross-entropy {loss:.4f} over {losses.size} images "
                           f"(guessing would give ln {self.net.classes} = {chance:.4f}).")

    def _backpropagate(self) -> PhaseResult:
        prev = self._require("loss")
        assert self._forward is not None and prev.labels is not None
        grads = self.net.backward(self._forward, prev.labels)
        self.phase = "update"
        norm = float(np.linalg.norm(grads["conv_weights"]))
        return _carry(prev, "backpropagate", gradients=grads,
                      text=f"Backpropagation: the gradient of the loss for every weight; "
                           f"filters' gradient norm {norm:.4g}.")

    def _update(self) -> PhaseResult:
        prev = self._require("backpropagate")
        assert prev.gradients is not None
        before = self.net.conv_weights
        changes = self.net.apply_gradients(prev.gradients, self.lr, self.momentum)
        self._forward = None
        self.phase = "convolve"
        self._batch = (self._batch + 1) % self.batches_per_epoch
        size = float(np.abs(changes["conv_weights"]).max())
        mom = f" with momentum {self.momentum:g}" if self.momentum else ""
        return _carry(prev, "update", changes=changes, previous_conv_weights=before,
                      conv_weights=self.net.conv_weights, iteration=self.iteration,
                      text=f"Update: every weight moved against its gradient (rate {self.lr:g}{mom}); "
                           f"the largest filter change is {size:.3g}.")

    def _require(self, name: str) -> PhaseResult:
        if self._last is None or self._last.name != name:
            raise RuntimeError(f"The {self.phase} phase needs the {name} phase just before it.")
        return self._last

    # -- bigger steps --------------------------------------------------------------------
    def next_batch(self) -> PhaseResult:
        """Finish the current iteration (or run a whole one): returns its ``update`` phase."""
        if self.phase == "random":
            self.next_phase()
        result = self.next_phase()
        while result.name != "update":
            result = self.next_phase()
        return result

    def run_epoch(self) -> EpochResult:
        """Train to the end of the current epoch; returns its :class:`EpochResult` (also kept in ``history``)."""
        while True:
            result = self.next_batch()
            if result.epoch_result is not None:
                return result.epoch_result

    def _finish_epoch(self) -> EpochResult:
        """Measure the epoch just completed (the time spent measuring is not counted in ``seconds``)."""
        self.epoch += 1
        data = self.data
        result = EpochResult(self.epoch, self.net.loss(data.train_images, data.train_labels),
                             self.net.accuracy(data.test_images, data.test_labels), self._seconds)
        self._seconds = 0.0
        self.history.append(result)
        return result


def _carry(prev: PhaseResult, name: str, **changes) -> PhaseResult:
    values = {k: getattr(prev, k) for k in PhaseResult.__dataclass_fields__}
    values.update(changes, name=name)
    return PhaseResult(**values)
