"""``TinyCNN``: a one-conv-layer network that learns its filters from labelled images (pure NumPy)."""

from __future__ import annotations

import numpy as np

from ..layer import conv_layer
from ..pooling import pool
from .backprop import POOL, ForwardPass, backward, cross_entropy, forward

__all__ = ["PARAMETER_NAMES", "TinyCNN", "confusion_matrix"]

PARAMETER_NAMES = ("conv_weights", "conv_bias", "dense_weights", "dense_bias")
#: images are evaluated this many at a time, so memory stays small on any number of images
EVAL_CHUNK = 512


def _whole(value, name: str, minimum: int) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"{name} must be a whole number of at least {minimum}, not {value!r}.")
    return int(value)


def confusion_matrix(labels, predicted, classes: int) -> np.ndarray:
    """``(classes, classes)`` int64 counts: row = true label, column = predicted label."""
    counts = np.zeros((classes, classes), dtype=np.int64)
    np.add.at(counts, (np.asarray(labels, dtype=np.int64), np.asarray(predicted, dtype=np.int64)), 1)
    return counts


class TinyCNN:
    """conv (``filters`` K×K filters, valid, bias) → ReLU → 2×2 max-pool → dense → softmax.

    Parameters
    ----------
    filters : int — number of first-layer filters (feature maps), 1–64
    kernel_size : int — side K of each filter, 1 to ``image_size − 1``
    seed : int — the random start; the same seed gives the same network and the same training
    image_size : int — side of the square input images (16 for :func:`load_dataset`'s digits)
    classes : int — number of labels (10 digits)

    Images are ``(N, H, W)`` with pixel values 0–255; the network reads them multiplied by
    :attr:`input_scale` (1/255), so the maps and the loss do not depend on the pixel scale.

    The parameters are attributes, replaced (never edited in place) by every update, so a view
    may keep an old array to compare: ``conv_weights (K, K, 1, F)`` (HWIO, a filter bank for
    a one-channel image), ``conv_bias (F,)``, ``dense_weights (P·P·F, classes)`` with ``P =
    (image_size − K + 1) // 2`` and its rows in (row, column, filter) order, ``dense_bias (classes,)``.
    The random start: filters normal with standard deviation 0.2/K (small, so that what training
    writes into them soon outweighs the noise they start with, and edge and stroke detectors show),
    dense weights normal with standard deviation √(1/(P·P·F)), biases 0.
    """

    input_scale = 1.0 / 255.0

    def __init__(self, filters: int = 8, kernel_size: int = 5, seed: int = 0, *, image_size: int = 16,
                 classes: int = 10):
        self.filters = _whole(filters, "filters", 1)
        if self.filters > 64:
            raise ValueError(f"filters must be at most 64 (one map per filter is drawn), not {filters!r}.")
        self.image_size = _whole(image_size, "image_size", 2)
        self.kernel_size = _whole(kernel_size, "kernel_size", 1)
        if self.kernel_size >= self.image_size:
            raise ValueError(f"kernel_size must be smaller than the {self.image_size}×{self.image_size} images "
                             f"(so the feature map can be pooled), not {kernel_size!r}.")
        self.classes = _whole(classes, "classes", 2)
        self.seed = _whole(seed, "seed", 0)
        self.map_size = self.image_size - self.kernel_size + 1
        self.pooled_size = self.map_size // POOL
        if self.pooled_size < 1:
            raise ValueError(f"A {self.kernel_size}×{self.kernel_size} filter leaves a {self.map_size}×"
                             f"{self.map_size} map, too small for 2×2 pooling: use a smaller kernel_size.")
        self.features = self.pooled_size * self.pooled_size * self.filters
        rng = np.random.default_rng(self.seed)
        k, f = self.kernel_size, self.filters
        self.conv_weights = rng.normal(0.0, 0.2 / k, size=(k, k, 1, f))
        self.conv_bias = np.zeros(f)
        self.dense_weights = rng.normal(0.0, np.sqrt(1.0 / self.features), size=(self.features, self.classes))
        self.dense_bias = np.zeros(self.classes)
        self._velocity = {name: np.zeros_like(self.parameters[name]) for name in PARAMETER_NAMES}
        self.updates = 0

    def __repr__(self) -> str:
        return (f"TinyCNN(filters={self.filters}, kernel_size={self.kernel_size}, seed={self.seed}, "
                f"image_size={self.image_size}, classes={self.classes})")

    # -- parameters ----------------------------------------------------------------------
    @property
    def parameters(self) -> dict[str, np.ndarray]:
        """The live parameters by name (see the class docstring for their shapes)."""
        return {name: getattr(self, name) for name in PARAMETER_NAMES}

    @property
    def parameter_count(self) -> int:
        return sum(p.size for p in self.parameters.values())

    def set_parameters(self, values: dict[str, np.ndarray]) -> None:
        """Replace parameters (e.g. to restore a snapshot); each must have its current shape."""
        for name, value in values.items():
            if name not in PARAMETER_NAMES:
                raise ValueError(f"Unknown parameter {name!r}: use one of {', '.join(PARAMETER_NAMES)}.")
            arr = np.array(value, dtype=np.float64)
            current = getattr(self, name)
            if arr.shape != current.shape:
                raise ValueError(f"{name} must have shape {current.shape}, not {arr.shape}.")
            if not np.all(np.isfinite(arr)):
                raise ValueError(f"Every value of {name} must be a finite number.")
            setattr(self, name, arr)

    # -- checking inputs -----------------------------------------------------------------
    def _images(self, x) -> np.ndarray:
        arr = np.asarray(x, dtype=np.float64)
        s = self.image_size
        if arr.ndim != 3 or arr.shape[1:] != (s, s):
            hint = " (for one image pass x[None])" if arr.ndim == 2 else ""
            raise ValueError(f"The images must have shape (N, {s}, {s}), not {arr.shape}{hint}.")
        return arr * self.input_scale

    def _labels(self, y, n: int) -> np.ndarray:
        arr = np.asarray(y)
        if arr.shape != (n,) or not (np.issubdtype(arr.dtype, np.integer) or arr.size == 0):
            raise ValueError(f"The labels must be {n} whole numbers, shape ({n},), not {arr.dtype} {arr.shape}.")
        if arr.size and (arr.min() < 0 or arr.max() >= self.classes):
            raise ValueError(f"Every label must be between 0 and {self.classes - 1}.")
        return arr.astype(np.int64)

    # -- the passes ----------------------------------------------------------------------
    def forward_pass(self, x) -> ForwardPass:
        """Everything the forward pass of images ``(N, H, W)`` computes (maps, pooled maps, probabilities)."""
        return forward(self._images(x), self.parameters)

    def forward(self, x) -> np.ndarray:
        """Class probabilities ``(N, classes)`` of images ``(N, H, W)`` (0–255); each row sums to 1."""
        return self._evaluate(x, lambda fp, _: fp.probabilities)

    def predict(self, x) -> np.ndarray:
        """The most probable label of each image, ``(N,)`` int64."""
        return self._evaluate(x, lambda fp, _: np.argmax(fp.logits, axis=1))

    def losses(self, x, y) -> np.ndarray:
        """Cross-entropy of each image, ``(N,)``."""
        labels = self._labels(y, np.shape(x)[0] if np.ndim(x) == 3 else -1)
        return self._evaluate(x, lambda fp, sl: cross_entropy(fp.logits, labels[sl]))

    def loss(self, x, y) -> float:
        """Mean cross-entropy of images ``(N, H, W)`` with labels ``(N,)``."""
        return float(np.mean(self.losses(x, y)))

    def accuracy(self, x, y) -> float:
        """Fraction (0–1) of images whose most probable label is the true one."""
        labels = self._labels(y, np.shape(x)[0] if np.ndim(x) == 3 else -1)
        return float(np.mean(self.predict(x) == labels)) if labels.size else float("nan")

    def confusion_matrix(self, x, y) -> np.ndarray:
        """``(classes, classes)`` counts on images ``x`` with labels ``y``: row = true, column = predicted."""
        labels = self._labels(y, np.shape(x)[0] if np.ndim(x) == 3 else -1)
        return confusion_matrix(labels, self.predict(x), self.classes)

    def _evaluate(self, x, take):
        images = self._images(x)
        params = self.parameters
        parts = [take(forward(images[i:i + EVAL_CHUNK], params), slice(i, i + EVAL_CHUNK))
                 for i in range(0, max(len(images), 1), EVAL_CHUNK)]
        return np.concatenate(parts) if len(parts) > 1 else parts[0]

    def gradients(self, x, y) -> dict[str, np.ndarray]:
        """∂(mean cross-entropy)/∂parameter for every parameter, each shaped like it (exact backprop)."""
        fp = self.forward_pass(x)
        return backward(fp, self._labels(y, fp.inputs.shape[0]), self.parameters)

    def backward(self, fp: ForwardPass, y) -> dict[str, np.ndarray]:
        """The gradients from a :meth:`forward_pass` already computed (the training phases use it)."""
        return backward(fp, self._labels(y, fp.inputs.shape[0]), self.parameters)

    def apply_gradients(self, gradients: dict[str, np.ndarray], lr: float, momentum: float = 0.0
                        ) -> dict[str, np.ndarray]:
        """One gradient-descent update; returns the change applied to each parameter.

        As PyTorch's SGD: ``v ← momentum·v + g``, ``p ← p − lr·v`` (plain ``p ← p − lr·g`` when
        ``momentum`` is 0). New arrays replace the parameters.
        """
        lr, momentum = float(lr), float(momentum)
        if not (np.isfinite(lr) and lr > 0):
            raise ValueError(f"The learning rate must be a positive number, not {lr!r}.")
        if not 0.0 <= momentum < 1.0:
            raise ValueError(f"The momentum must be at least 0 and below 1, not {momentum!r}.")
        changes = {}
        for name in PARAMETER_NAMES:
            if momentum:
                velocity = momentum * self._velocity[name] + gradients[name]
                self._velocity[name] = velocity
            else:  # no buffer kept, as PyTorch: switching momentum on later starts from zero
                velocity = gradients[name]
                self._velocity[name] = np.zeros_like(velocity)
            changes[name] = -lr * velocity
            setattr(self, name, getattr(self, name) + changes[name])
        self.updates += 1
        return changes

    def step(self, x, y, lr: float, *, momentum: float = 0.0) -> float:
        """One gradient-descent step on the mini-batch ``x (N, H, W)``, ``y (N,)``; returns its loss before the step."""
        fp = self.forward_pass(x)
        labels = self._labels(y, fp.inputs.shape[0])
        loss = float(np.mean(cross_entropy(fp.logits, labels)))
        self.apply_gradients(backward(fp, labels, self.parameters), lr, momentum)
        return loss

    # -- one image, for views (the model's own engine) --------------------------------------
    def feature_maps(self, image) -> np.ndarray:
        """ReLU feature maps ``(H', W', F)`` of one image ``(H, W)`` (0–255), via :func:`convviz.model.conv_layer`."""
        img = self._images(np.asarray(image, dtype=np.float64)[None])[0]
        return conv_layer(img, self.conv_weights, self.conv_bias, activation="relu")

    def pooled_maps(self, image) -> np.ndarray:
        """The 2×2 max-pooled feature maps ``(P, P, F)`` of one image, via :func:`convviz.model.pooling.pool`."""
        return pool(self.feature_maps(image), POOL, mode="max")
