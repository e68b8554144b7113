"""What the "Learn from labels" tab shows of the small CNN, computed without Qt.

The tab draws a :class:`CNNProgress`: a :class:`~convviz.model.cnn.TrainingRun` brought to the
position a :class:`CNNRequest` names (the tab's state, see :mod:`convviz.model.states.cnn`),
with the loss of every mini-batch so far and the confusion matrix on the test images. The
worker makes progresses with :func:`prepare` (reach a position, replaying from the random start
or continuing from an earlier progress) and :func:`run_chunk` (train on, for Train). A progress
is never changed once made: every job copies the run before moving it, so the GUI thread can
read a progress while the worker trains its successor.

Also here: one test image through the network (:func:`read_image`), the sentences the tab
shows, and the layout of many small maps as one picture (:func:`mosaic_rgb`).
"""

from __future__ import annotations

import copy
import functools
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from .cnn import PHASES, DigitsDataset, PhaseResult, TinyCNN, TrainingRun, load_dataset
from .cnn.training import DEFAULT_MOMENTUM
from .colour import display_levels, display_rgb
from .states.cnn import CNNState, batches_per_epoch, phases_done

__all__ = ["PHASE_TITLES", "CNNProgress", "CNNRequest", "ImageReadout", "accuracy_curve", "axis_top",
           "confusion_colours", "digits", "filter_tiles", "grid_columns", "loss_curves", "mosaic_gap", "mosaic_rgb",
           "percent", "phase_sentence", "prepare", "read_image", "readout_text", "run_chunk", "status_text",
           "symmetric_levels", "tile_at", "tile_origins"]

PHASE_TITLES = ("1. Random start", "2. Convolve", "3. Loss", "4. Backpropagate", "5. Update")
#: pixels of background between the tiles of a mosaic
GAP = 1


@functools.lru_cache(maxsize=1)
def digits() -> DigitsDataset:
    """The bundled digits as :func:`~convviz.model.cnn.load_dataset` gives them (read once)."""
    return load_dataset()


# ---------------------------------------------------------------------------- requests and progresses
@dataclass(frozen=True)
class CNNRequest:
    """A network (its setup) and a position in its training; equal requests show equal networks."""

    filters: int = 8
    kernel_size: int = 5
    seed: int = 0
    learning_rate: float = 0.05
    batch_size: int = 32
    iterations: int = 0
    phase: int = 1

    @classmethod
    def from_state(cls, state: CNNState) -> CNNRequest:
        return cls(state.filters, state.kernel_size, state.seed, state.learning_rate, state.batch_size,
                   state.iterations, state.phase)

    @property
    def setup(self) -> tuple:
        return self.filters, self.kernel_size, self.seed, self.learning_rate, self.batch_size

    @property
    def position(self) -> tuple[int, int]:
        return self.iterations, self.phase

    @property
    def phases_done(self) -> int:
        return phases_done(self.iterations, self.phase)


@dataclass(frozen=True, eq=False)
class CNNProgress:
    """A network at ``request``'s position. ``run`` belongs to this progress (read it, never move it);
    ``last`` the phase just shown; ``batch_losses`` the loss of each mini-batch so far (before its
    update); ``start_accuracy`` the test accuracy of the random start; ``confusion (C, C)`` counts on
    the test images, row = true label, column = predicted."""

    request: CNNRequest
    run: TrainingRun
    last: PhaseResult
    batch_losses: tuple[float, ...]
    start_accuracy: float
    confusion: np.ndarray

    @property
    def net(self) -> TinyCNN:
        return self.run.net

    @property
    def data(self) -> DigitsDataset:
        return self.run.data

    @property
    def phase_number(self) -> int:
        return PHASES.index(self.last.name) + 1

    @property
    def test_accuracy(self) -> float:
        """The fraction of test images classified correctly now (the confusion matrix's diagonal)."""
        return float(np.trace(self.confusion) / self.confusion.sum())

    @property
    def batches_per_epoch(self) -> int:
        return batches_per_epoch(self.request.batch_size)

    @property
    def epochs_done(self) -> float:
        """Updates made, in epochs (1.5: half-way through the second pass over the training images)."""
        return self.request.iterations / self.batches_per_epoch


def _copy_run(run: TrainingRun) -> TrainingRun:
    """A run that can move on without changing ``run`` (the images are shared, not copied)."""
    return copy.deepcopy(run, {id(run.data): run.data})


def _evaluate(run: TrainingRun) -> np.ndarray:
    data = run.data
    return run.net.confusion_matrix(data.test_images, data.test_labels)


def _fresh(request: CNNRequest) -> tuple[TrainingRun, PhaseResult, float]:
    data = digits()
    net = TinyCNN(request.filters, request.kernel_size, request.seed)
    run = TrainingRun(net, data, lr=request.learning_rate, momentum=DEFAULT_MOMENTUM,
                      batch_size=request.batch_size, seed=request.seed)
    first = run.next_phase()     # the random start, reported
    return run, first, net.accuracy(data.test_images, data.test_labels)


def _batch_loss(update: PhaseResult) -> float:
    assert update.loss is not None, "an update phase carries its mini-batch's loss"
    return float(update.loss)


def prepare(request: CNNRequest, progress: CNNProgress | None = None, *,
            cancelled: Callable[[], bool] | None = None) -> CNNProgress | None:
    """The progress at ``request``: continued from ``progress`` when it has the same setup and is not
    past the position, else replayed from the random start. ``None`` if ``cancelled()`` turned True."""
    target = request.phases_done
    if progress is not None and progress.request.setup == request.setup and progress.request.phases_done <= target:
        if progress.request == request:
            return progress
        run, last = _copy_run(progress.run), progress.last
        losses, start_accuracy = list(progress.batch_losses), progress.start_accuracy
        done, updates = progress.request.phases_done, progress.run.net.updates
        confusion = progress.confusion
    else:
        run, last, start_accuracy = _fresh(request)
        losses, done, updates, confusion = [], 1, 0, None
    while done < target:
        if cancelled is not None and cancelled():
            return None
        last = run.next_phase()
        done += 1
        if last.name == "update":
            losses.append(_batch_loss(last))
    if confusion is None or run.net.updates != updates:
        confusion = _evaluate(run)
    return CNNProgress(request, run, last, tuple(losses), start_accuracy, confusion)


def run_chunk(progress: CNNProgress, until: int, *, batches: int | None = None, seconds: float | None = None,
              cancelled: Callable[[], bool] | None = None) -> CNNProgress:
    """Train on from ``progress``: mini-batches until ``until`` updates are made, ``batches`` were done,
    ``seconds`` have passed or ``cancelled()`` (at least one, unless ``until`` is reached already)."""
    run = _copy_run(progress.run)
    losses, last = list(progress.batch_losses), progress.last
    start, done = time.perf_counter(), 0
    while run.net.updates < until:
        last = run.next_batch()
        losses.append(_batch_loss(last))
        done += 1
        out_of_time = seconds is not None and time.perf_counter() - start >= seconds
        if out_of_time or (batches is not None and done >= batches) or (cancelled is not None and cancelled()):
            break
    if done == 0:
        return progress
    request = replace(progress.request, iterations=run.net.updates, phase=5)
    return CNNProgress(request, run, last, tuple(losses), progress.start_accuracy, _evaluate(run))


def loss_curves(progress: CNNProgress) -> tuple[np.ndarray, np.ndarray]:
    """``(x, y)`` of every mini-batch's loss (x: epochs, the batch's update at ``i/batches_per_epoch``)
    and ``(x, y)`` of each finished epoch's training loss (on all training images)."""
    losses = np.asarray(progress.batch_losses, dtype=np.float64)
    x = np.arange(1, losses.size + 1, dtype=np.float64) / progress.batches_per_epoch
    history = progress.run.history
    epochs = np.array([[e.epoch for e in history], [e.train_loss for e in history]], dtype=np.float64).reshape(2, -1)
    return np.stack([x, losses]), epochs


def accuracy_curve(progress: CNNProgress) -> np.ndarray:
    """``(x, y)``: the test accuracy in % of the random start (epoch 0) and after each finished epoch."""
    history = progress.run.history
    x = [0.0] + [float(e.epoch) for e in history]
    y = [100 * progress.start_accuracy] + [100 * e.test_accuracy for e in history]
    return np.array([x, y], dtype=np.float64)


def axis_top(values, step: float = 0.5) -> float:
    """The top of a value axis from 0: the largest finite value rounded up to a multiple of ``step``
    (so it changes only now and then while a curve grows); ``step`` when there is none."""
    v = np.asarray(values, dtype=np.float64)
    v = v[np.isfinite(v)]
    top = float(v.max()) if v.size else 0.0
    return max(step, step * math.ceil(top / step - 1e-9))


def filter_tiles(progress: CNNProgress, weights: np.ndarray | None = None) -> np.ndarray:
    """The first-layer filters (or an array shaped like them, e.g. their gradient) as tiles ``(F, K, K)``."""
    w = progress.net.conv_weights if weights is None else np.asarray(weights)
    return np.moveaxis(w[:, :, 0, :], -1, 0)


# ---------------------------------------------------------------------------- one test image
@dataclass(frozen=True)
class ImageReadout:
    """Test image ``index`` through the network: ``image (H, W)`` 0–255, its ``label``, the ReLU
    ``feature_maps (H', W', F)``, the class ``probabilities (C,)`` and the ``predicted`` label."""

    index: int
    image: np.ndarray
    label: int
    feature_maps: np.ndarray
    probabilities: np.ndarray
    predicted: int


def read_image(progress: CNNProgress, index: int) -> ImageReadout:
    """Test image ``index`` of ``progress``'s data through its network (maps via ``conv_layer``)."""
    data, net = progress.data, progress.net
    if not 0 <= index < len(data.test_labels):
        raise ValueError(f"There is no test image {index}: choose 0 to {len(data.test_labels) - 1}.")
    image = data.test_images[index]
    probabilities = net.forward(image[None])[0]
    return ImageReadout(index, image, int(data.test_labels[index]), net.feature_maps(image), probabilities,
                        int(np.argmax(probabilities)))


# ---------------------------------------------------------------------------- sentences
def percent(fraction: float) -> str:
    return f"{100 * fraction:.1f} %"


def status_text(progress: CNNProgress) -> str:
    """Where the training is and how good the network is now."""
    r, n = progress.request, len(progress.data.test_labels)
    correct = int(np.trace(progress.confusion))
    parts = [f"Epoch {progress.epochs_done:.2f} ({r.iterations} update{'' if r.iterations == 1 else 's'}, "
             f"{progress.batches_per_epoch} mini-batches of {r.batch_size} per epoch)"]
    if progress.batch_losses:
        parts.append(f"last mini-batch loss {progress.batch_losses[-1]:.4f}")
    parts.append(f"test accuracy {percent(progress.test_accuracy)} ({correct} of {n})")
    return " · ".join(parts)


def phase_sentence(progress: CNNProgress) -> str:
    """The model's sentence for the phase just shown, with the epoch's result when the phase ended one."""
    last = progress.last
    text = last.text
    if last.epoch_result is not None:
        e = last.epoch_result
        text += (f" Epoch {e.epoch} done: training loss {e.train_loss:.4f}, test accuracy "
                 f"{percent(e.test_accuracy)}.")
    return text


def readout_text(readout: ImageReadout, classes: tuple[str, ...], count: int) -> str:
    """E.g. ``Test image 13 of 359: a handwritten 7 — the network says 7 (98.2 %).``"""
    said = classes[readout.predicted]
    verdict = "right" if readout.predicted == readout.label else "wrong"
    return (f"Test image {readout.index + 1} of {count}: a handwritten {classes[readout.label]} — the network says "
            f"{said} ({percent(float(readout.probabilities[readout.predicted]))}, {verdict}).")


# ---------------------------------------------------------------------------- pictures
def grid_columns(count: int) -> int:
    """Columns for ``count`` tiles: about twice as many columns as rows (8 → 4×2, 16 → 6×3, 64 → 12×6)."""
    return max(1, min(count, math.ceil(math.sqrt(2 * count))))


def tile_origins(count: int, tile_hw: tuple[int, int], columns: int, gap: int = GAP) -> list[tuple[int, int]]:
    """``(row, col)`` of each tile's top-left pixel in the mosaic, tiles in row-major order."""
    h, w = tile_hw
    return [((i // columns) * (h + gap), (i % columns) * (w + gap)) for i in range(count)]


def mosaic_gap(tile_side: int) -> int:
    """Pixels between tiles of side ``tile_side``: about a third of a tile, at least 2 (room for a number)."""
    return max(2, -(-int(tile_side) // 3))


def tile_at(row: float, col: float, count: int, tile_hw: tuple[int, int], columns: int, gap: int = GAP
            ) -> int | None:
    """The tile under mosaic point ``(row, col)`` (pixels, fractions allowed), or None (a gap, outside)."""
    h, w = tile_hw
    if row < 0 or col < 0:
        return None
    r, c = int(row // (h + gap)), int(col // (w + gap))
    if c >= columns or row - r * (h + gap) >= h or col - c * (w + gap) >= w:
        return None
    index = r * columns + c
    return index if index < count else None


def mosaic_rgb(tiles, *, columns: int | None = None, levels=None, colormap: str | None = None, gap: int = GAP,
               background=(255, 255, 255)) -> np.ndarray:
    """Tiles ``(N, h, w)`` coloured as the window colours values (shared ``levels``: a diverging map centred
    on 0 for signed values, grey otherwise) and laid out in ``columns`` with ``gap`` pixels of
    ``background`` between them: ``(rows·(h+gap)−gap, columns·(w+gap)−gap, 3)`` uint8."""
    t = np.asarray(tiles, dtype=np.float64)
    if t.ndim != 3 or t.shape[0] == 0:
        raise ValueError(f"mosaic_rgb needs tiles (N, h, w), not shape {t.shape}.")
    n, h, w = t.shape
    columns = grid_columns(n) if columns is None else columns
    rows = -(-n // columns)
    if levels is None:
        levels = display_levels(t)
    rgb = display_rgb(t.reshape(n * h, w), levels=levels, colormap=colormap).reshape(n, h, w, 3)
    out = np.empty((rows * (h + gap) - gap, columns * (w + gap) - gap, 3), dtype=np.uint8)
    out[:] = np.asarray(background, dtype=np.uint8)
    for i, (r, c) in enumerate(tile_origins(n, (h, w), columns, gap)):
        out[r:r + h, c:c + w] = rgb[i]
    return out


def symmetric_levels(values) -> tuple[float, float]:
    """``(−m, m)`` with ``m = max|values|`` (1 when all are 0): weights keep 0 at the centre colour."""
    m = float(np.max(np.abs(values))) if np.size(values) else 0.0
    return (-m, m) if m > 0 and np.isfinite(m) else (-1.0, 1.0)


def confusion_colours(counts) -> np.ndarray:
    """``(C, C, 3)`` uint8: correct answers (the diagonal) in shades of green, mistakes in shades of red,
    each by its share of its row (the images of that true label); 0 is white."""
    c = np.asarray(counts, dtype=np.float64)
    share = c / np.maximum(c.sum(axis=1, keepdims=True), 1.0)
    diagonal = np.eye(c.shape[0], dtype=bool)
    # mistakes are rarer than right answers: a mistake at 25 % of its row is already the strongest red
    strength = np.where(diagonal, share, np.minimum(share / 0.25, 1.0))
    green, red = np.array([46.0, 160.0, 67.0]), np.array([214.0, 39.0, 40.0])
    tint = np.where(diagonal[..., None], green, red)
    white = np.full(3, 255.0)
    return np.rint(white + strength[..., None] * (tint - white)).astype(np.uint8)
