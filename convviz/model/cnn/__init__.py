"""A small CNN that learns its filters from labelled images (pure NumPy, no Qt): DESIGN §4c.

The lecture's five steps — filters start random, the input is convolved into
feature maps, the loss is computed against labels, backpropagation gives the
gradient, gradient descent updates the filters — on real data: handwritten
digits shipped inside convviz (nothing is downloaded).

>>> from convviz.model.cnn import TinyCNN, TrainingRun, load_dataset
>>> data = load_dataset()            # 1,438 training and 359 test digits, 16×16, 0–255
>>> net = TinyCNN(filters=8, kernel_size=5, seed=0)
>>> run = TrainingRun(net, data)     # mini-batches of 32, lr 0.05, momentum 0.9
>>> result = run.run_epoch()         # 0.1–0.3 s; test accuracy ≈ 0.86 after one epoch, > 0.9 after two
>>> net.conv_weights.shape           # the learned filters, a filter bank (HWIO) for a grey image
(5, 5, 1, 8)

Data — :func:`load_dataset` (``data.py``)
    ``load_dataset(*, size=16, test_fraction=0.2, seed=0, method="bilinear") -> DigitsDataset``
    with ``train_images``/``test_images`` ``(N, H, W)`` float64 0–255, ``train_labels``/``test_labels``
    ``(N,)`` int64, ``classes`` ``("0", …, "9")`` and ``attribution`` (show it with the images).
    The 8×8 source images are enlarged to 16×16 (bilinear) so 5×5 filters are meaningful; the
    split is stratified and fixed by ``seed``.

The network — :class:`TinyCNN` (``network.py``; batched passes in ``backprop.py``)
    ``TinyCNN(filters=8, kernel_size=5, seed=0, *, image_size=16, classes=10)``:
    valid K×K correlation with bias → ReLU → 2×2 max-pool → dense → softmax; mean cross-entropy.
    Pixels are read ×1/255. Exact backprop in float64 (equal to PyTorch autograd), deterministic
    for the seed.

    - ``net.conv_weights (K, K, 1, F)`` HWIO — the live filters; also ``conv_bias (F,)``,
      ``dense_weights (P·P·F, C)``, ``dense_bias (C,)``; ``net.parameters`` maps names to them.
      Updates *replace* these arrays, so an array a view holds never changes under it.
    - ``net.forward(x) -> (N, C)`` probabilities; ``net.predict(x) -> (N,)``; ``net.loss(x, y)``;
      ``net.losses(x, y) -> (N,)``; ``net.accuracy(x, y)``; ``net.confusion_matrix(x, y) -> (C, C)``
      (row = true label, column = predicted).
    - ``net.gradients(x, y)`` — dict with ``"conv_weights"``, ``"conv_bias"``, ``"dense_weights"``,
      ``"dense_bias"``, each shaped like its parameter.
    - ``net.step(x, y, lr, *, momentum=0.0) -> float`` — one update; returns the batch loss before it.
    - ``net.forward_pass(x) -> ForwardPass`` — every intermediate array of a batch (``feature_maps``,
      ``pooled``, ``probabilities``, …), then ``net.backward(fp, y)`` and ``net.apply_gradients(g, lr,
      momentum)`` — the pieces ``step`` is made of.
    - For one image ``(H, W)``: ``net.feature_maps(image) -> (H', W', F)`` (ReLU maps, computed with
      :func:`convviz.model.conv_layer`) and ``net.pooled_maps(image) -> (P, P, F)``
      (:func:`convviz.model.pooling.pool`); ``net.forward(image[None])[0]`` its probabilities.

Training, one phase at a time — :class:`TrainingRun` (``training.py``)
    ``TrainingRun(net, data, *, lr=0.05, momentum=0.9, batch_size=32, seed=0)``.
    ``run.phase`` is the name of the next phase in :data:`PHASES`
    (``"random" → "convolve" → "loss" → "backpropagate" → "update" → "convolve" …``).
    ``run.next_phase() -> PhaseResult`` runs it: ``name``, ``epoch``, ``batch``, ``iteration``,
    ``conv_weights``, ``text`` (a sentence with the numbers) and what the phase made — ``images``,
    ``labels``, ``feature_maps``, ``pooled``, ``probabilities`` (convolve), ``losses``, ``loss``
    (loss), ``gradients`` (backpropagate), ``changes``, ``previous_conv_weights`` and, at the end of an
    epoch, ``epoch_result`` (update); later phases carry the earlier ones' values.
    ``run.next_batch()`` finishes an iteration; ``run.run_epoch() -> EpochResult`` (``epoch``,
    ``train_loss``, ``test_accuracy``, ``seconds``) finishes an epoch; ``run.history`` lists them.
    A view runs these in its worker and draws the results; the run holds no Qt objects.

The filters as a bank file — :func:`filters_as_network` (``export.py``), written with
:func:`convviz.io.banks.save_bank`, is what ``convviz train --save-bank`` writes.
"""

from .backprop import ForwardPass
from .data import DIGIT_CLASSES, DIGITS_ATTRIBUTION, DigitsDataset, load_dataset, upsample
from .export import filters_as_layer, filters_as_network
from .network import PARAMETER_NAMES, TinyCNN, confusion_matrix
from .training import PHASES, EpochResult, PhaseResult, TrainingRun

__all__ = [
    "DIGITS_ATTRIBUTION", "DIGIT_CLASSES", "PARAMETER_NAMES", "PHASES", "DigitsDataset", "EpochResult",
    "ForwardPass", "PhaseResult", "TinyCNN", "TrainingRun", "confusion_matrix", "filters_as_layer",
    "filters_as_network", "load_dataset", "upsample",
]
