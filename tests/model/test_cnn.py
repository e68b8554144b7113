"""TinyCNN: exact gradients (finite differences), its convolution and pooling against the model's own engine,
determinism, learning, the five training phases, and the filters as a bank."""

import numpy as np
import pytest

from convviz.model import conv_layer, correlate
from convviz.model.cnn import (
    PARAMETER_NAMES,
    PHASES,
    TinyCNN,
    TrainingRun,
    confusion_matrix,
    filters_as_network,
    load_dataset,
)
from convviz.model.cnn.backprop import max_pool, max_pool_backward, patch_matrix
from convviz.model.pooling import pool


@pytest.fixture(scope="module")
def data():
    return load_dataset()


def _small_problem(seed=1):
    net = TinyCNN(filters=2, kernel_size=3, seed=seed, image_size=8, classes=4)
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 255, (5, 8, 8))
    y = rng.integers(0, 4, 5)
    # larger filters and non-zero biases, so every parameter has a non-trivial gradient
    net.set_parameters({"conv_weights": rng.normal(0, 0.5, (3, 3, 1, 2)), "conv_bias": rng.normal(0, 0.1, 2),
                        "dense_bias": rng.normal(0, 0.1, 4)})
    return net, x, y


def test_gradients_equal_central_finite_differences_for_every_parameter():
    net, x, y = _small_problem()
    # no pre-activation is near the ReLU kink (a step of 1e-6 in a weight moves it by at most 1e-6 · 9)
    assert np.abs(net.forward_pass(x).pre_activation).min() > 1e-4
    grads = net.gradients(x, y)
    for name in PARAMETER_NAMES:
        assert grads[name].shape == net.parameters[name].shape
        np.testing.assert_allclose(grads[name], _central(net, x, y, name, 1e-6), rtol=1e-6, atol=1e-8)
        assert np.abs(grads[name]).max() > 1e-4


def _central(net, x, y, name, h):
    base = net.parameters[name].copy()
    out = np.empty_like(base)
    for idx in np.ndindex(base.shape):
        plus, minus = base.copy(), base.copy()
        plus[idx] += h
        minus[idx] -= h
        net.set_parameters({name: plus})
        lp = net.loss(x, y)
        net.set_parameters({name: minus})
        lm = net.loss(x, y)
        out[idx] = (lp - lm) / (2 * h)
    net.set_parameters({name: base})
    return out


def test_batched_convolution_equals_conv_layer_and_correlate_image_by_image(data):
    net = TinyCNN(seed=3)
    images = data.test_images[:12]
    fp = net.forward_pass(images)
    w, b = net.conv_weights, net.conv_bias
    for i, image in enumerate(images):
        scaled = image * net.input_scale
        reference = conv_layer(scaled, w, b)
        np.testing.assert_allclose(fp.pre_activation[i], reference, rtol=0, atol=1e-12)
        for f in range(w.shape[3]):
            np.testing.assert_allclose(fp.pre_activation[i, :, :, f], correlate(scaled, w[:, :, 0, f]) + b[f],
                                       rtol=0, atol=1e-12)
        np.testing.assert_allclose(fp.feature_maps[i], net.feature_maps(image), rtol=0, atol=1e-12)
        np.testing.assert_allclose(fp.pooled[i], pool(fp.feature_maps[i], 2, mode="max"), rtol=0, atol=0)
        np.testing.assert_allclose(fp.pooled[i], net.pooled_maps(image), rtol=0, atol=1e-12)


def test_patch_matrix_rows_are_the_windows_in_row_major_order():
    x = np.arange(2 * 4 * 5, dtype=float).reshape(2, 4, 5)
    rows = patch_matrix(x, 3)
    assert rows.shape == (2 * 2 * 3, 9)
    np.testing.assert_array_equal(rows[0], x[0, :3, :3].ravel())
    np.testing.assert_array_equal(rows[5], x[0, 1:4, 2:5].ravel())
    np.testing.assert_array_equal(rows[6], x[1, :3, :3].ravel())


def test_max_pool_drops_a_ragged_edge_sends_the_gradient_to_the_first_maximum():
    maps = np.array([[1, 5, 2, 2, 9], [3, 0, 2, 1, 9], [7, 7, 0, 0, 9]], dtype=float)[None, :, :, None]
    pooled, winners = max_pool(maps)
    assert pooled[0, :, :, 0].tolist() == [[5, 2]]
    assert winners[0, :, :, 0].tolist() == [[1, 0]]  # the tie 2, 2, 2 goes to the first (row-major)
    grad = max_pool_backward(np.array([[[[10.0], [20.0]]]]), winners, maps.shape)
    expected = np.zeros((3, 5))
    expected[0, 1], expected[0, 2] = 10, 20
    assert grad[0, :, :, 0].tolist() == expected.tolist()


def test_the_same_seed_gives_the_same_network_and_the_same_training(data):
    a, b, c = TinyCNN(seed=5), TinyCNN(seed=5), TinyCNN(seed=6)
    for name in PARAMETER_NAMES:
        assert np.array_equal(a.parameters[name], b.parameters[name])
    assert not np.array_equal(a.conv_weights, c.conv_weights)
    ra, rb = TrainingRun(a, data, seed=2), TrainingRun(b, data, seed=2)
    for _ in range(2):
        ea, eb = ra.run_epoch(), rb.run_epoch()
        assert (ea.train_loss, ea.test_accuracy) == (eb.train_loss, eb.test_accuracy)
    for name in PARAMETER_NAMES:
        assert np.array_equal(a.parameters[name], b.parameters[name])


def test_the_random_start_has_the_documented_scale():
    net = TinyCNN(filters=64, kernel_size=5, seed=0)
    assert net.conv_weights.shape == (5, 5, 1, 64) and net.dense_weights.shape == (6 * 6 * 64, 10)
    assert abs(net.conv_weights.std() - 0.2 / 5) < 0.003
    assert abs(net.dense_weights.std() - np.sqrt(1 / (6 * 6 * 64))) < 0.002
    assert not net.conv_bias.any() and not net.dense_bias.any()


def test_steps_decrease_the_loss_and_replace_the_parameter_arrays(data):
    net = TinyCNN(seed=0)
    x, y = data.train_images[:64], data.train_labels[:64]
    before = net.conv_weights
    first = net.loss(x, y)
    assert net.step(x, y, 0.05) == pytest.approx(first, abs=1e-12)
    assert before is not net.conv_weights and not np.array_equal(before, net.conv_weights)
    assert before.flags.writeable and np.array_equal(before, TinyCNN(seed=0).conv_weights)  # untouched
    for _ in range(20):
        net.step(x, y, 0.05, momentum=0.9)
    assert net.loss(x, y) < 0.5 * first
    assert net.updates == 21


def test_a_plain_step_is_parameter_minus_rate_times_gradient(data):
    net = TinyCNN(seed=4)
    x, y = data.train_images[10:42], data.train_labels[10:42]
    old = {k: v.copy() for k, v in net.parameters.items()}
    grads = net.gradients(x, y)
    net.step(x, y, 0.1)
    for name in PARAMETER_NAMES:
        np.testing.assert_allclose(net.parameters[name], old[name] - 0.1 * grads[name], rtol=0, atol=1e-15)


def test_two_epochs_beat_chance_by_a_wide_margin(data):
    net = TinyCNN(seed=0)
    run = TrainingRun(net, data)
    first, second = run.run_epoch(), run.run_epoch()
    assert second.test_accuracy > 0.8  # chance is 0.10
    assert max(first.train_loss, second.train_loss) < 0.25 * np.log(10)  # ln 10: guessing
    assert [e.epoch for e in run.history] == [1, 2]
    assert second.as_dict() == {"epoch": 2, "train_loss": second.train_loss, "test_accuracy": second.test_accuracy}


def test_the_five_phases_in_order_carry_their_results_and_equal_a_step(data):
    net, twin = TinyCNN(seed=1), TinyCNN(seed=1)
    run = TrainingRun(net, data, batch_size=16, seed=4)
    start = net.conv_weights
    results = [run.next_phase() for _ in range(6)]
    assert [r.name for r in results] == list(PHASES) + ["convolve"]
    random, convolve, loss, backprop, update, again = results
    assert np.array_equal(random.conv_weights, start) and random.images is None
    assert convolve.images.shape == (16, 16, 16) and convolve.feature_maps.shape == (16, 12, 12, 8)
    assert convolve.pooled.shape == (16, 6, 6, 8) and convolve.probabilities.shape == (16, 10)
    assert loss.loss == pytest.approx(twin.loss(convolve.images, convolve.labels), abs=1e-12)
    assert loss.losses.shape == (16,) and loss.feature_maps is convolve.feature_maps
    expected = twin.gradients(convolve.images, convolve.labels)
    for name in PARAMETER_NAMES:
        np.testing.assert_allclose(backprop.gradients[name], expected[name], rtol=0, atol=1e-15)
    twin.step(convolve.images, convolve.labels, run.lr, momentum=run.momentum)
    assert np.array_equal(update.conv_weights, twin.conv_weights)
    assert np.array_equal(update.previous_conv_weights, start)
    np.testing.assert_allclose(update.changes["conv_weights"], twin.conv_weights - start, rtol=0, atol=1e-15)
    assert (update.iteration, again.iteration, again.batch) == (1, 1, 1)
    assert all(r.text for r in results) and "cross-entropy" in loss.text
    assert update.epoch_result is None and run.phase == "loss"


def test_stepping_by_phase_batch_or_epoch_trains_identically(data):
    by_phase, by_epoch = TinyCNN(seed=2), TinyCNN(seed=2)
    run_a = TrainingRun(by_phase, data, batch_size=100, seed=9)
    run_b = TrainingRun(by_epoch, data, batch_size=100, seed=9)
    assert run_a.batches_per_epoch == 15
    end = None
    for _ in range(1 + 4 * 15):
        result = run_a.next_phase()
        end = result.epoch_result or end
    assert end is not None and end.epoch == 1 and result.name == "update" and result.batch == 14
    other = run_b.run_epoch()
    assert (other.epoch, other.train_loss, other.test_accuracy) == (end.epoch, end.train_loss, end.test_accuracy)
    assert np.array_equal(by_phase.conv_weights, by_epoch.conv_weights)
    assert run_a.next_batch().batch == 0 and run_a.epoch == 1


def test_confusion_matrix_counts_true_rows_and_predicted_columns(data):
    net = TinyCNN(seed=0)
    TrainingRun(net, data).run_epoch()
    x, y = data.test_images, data.test_labels
    counts = net.confusion_matrix(x, y)
    predicted = net.predict(x)
    loop = np.zeros((10, 10), dtype=int)
    for t, p in zip(y, predicted):
        loop[t, p] += 1
    assert np.array_equal(counts, loop) and counts.sum() == len(y)
    assert np.trace(counts) / len(y) == pytest.approx(net.accuracy(x, y))
    assert confusion_matrix([0, 1, 1], [1, 1, 0], 2).tolist() == [[0, 1], [1, 1]]


def test_probabilities_are_a_distribution_and_evaluation_in_chunks_is_the_same(data):
    net = TinyCNN(seed=0)
    x = data.train_images[:1100]
    probs = net.forward(x)
    assert probs.shape == (1100, 10)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=0, atol=1e-12)
    np.testing.assert_allclose(probs[600:700], net.forward(x[600:700]), rtol=0, atol=1e-15)
    assert np.array_equal(net.predict(x), probs.argmax(axis=1))


def test_bad_arguments_raise_a_value_error_that_says_what_to_do(data):
    with pytest.raises(ValueError, match="filters"):
        TinyCNN(filters=0)
    with pytest.raises(ValueError, match="filters"):
        TinyCNN(filters=65)
    with pytest.raises(ValueError, match="kernel_size"):
        TinyCNN(kernel_size=16)
    assert TinyCNN(kernel_size=15).pooled_size == 1  # the largest kernel: a 2×2 map pooled to 1×1
    net = TinyCNN()
    with pytest.raises(ValueError, match=r"x\[None\]"):
        net.forward(data.test_images[0])
    with pytest.raises(ValueError, match="between 0 and 9"):
        net.loss(data.test_images[:2], [0, 10])
    with pytest.raises(ValueError, match="labels"):
        net.loss(data.test_images[:2], [0.5, 1.0])
    with pytest.raises(ValueError, match="learning rate"):
        net.step(data.test_images[:2], [0, 1], 0.0)
    with pytest.raises(ValueError, match="momentum"):
        net.step(data.test_images[:2], [0, 1], 0.1, momentum=1.0)
    with pytest.raises(ValueError, match="shape"):
        net.set_parameters({"conv_weights": np.zeros((3, 3, 1, 8))})
    with pytest.raises(ValueError, match="batch_size"):
        TrainingRun(net, data, batch_size=0)
    with pytest.raises(ValueError, match="8×8"):
        TrainingRun(net, load_dataset(size=8))


def test_the_filters_as_a_bank_give_255_times_the_networks_maps(tmp_path, data):
    from convviz.io.banks import load_bank, save_bank

    net = TinyCNN(seed=0)
    TrainingRun(net, data).run_epoch()
    path = save_bank(tmp_path / "learned.json", filters_as_network(net))
    layer = load_bank(path)[0]
    assert layer.names[0] == "learned 1" and layer.activation == "relu" and layer.in_channels == 1
    assert np.array_equal(layer.weights(), net.conv_weights)
    image = data.test_images[5]
    maps = conv_layer(image, layer.weights(), layer.biases(), activation="relu")
    np.testing.assert_allclose(maps, 255.0 * net.feature_maps(image), rtol=1e-12, atol=1e-9)
