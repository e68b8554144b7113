"""The Learn from labels tab's Qt-free side: its state, positions, progresses (equal to the model stepped
by hand), one test image's readout (against SciPy), the mosaic layout and the sentences."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.signal import correlate2d

from convviz.model import display_rgb
from convviz.model.cnn import TinyCNN, TrainingRun, load_dataset
from convviz.model.cnn_view import (
    CNNRequest,
    accuracy_curve,
    axis_top,
    confusion_colours,
    filter_tiles,
    grid_columns,
    loss_curves,
    mosaic_gap,
    mosaic_rgb,
    phase_sentence,
    prepare,
    read_image,
    readout_text,
    run_chunk,
    status_text,
    tile_at,
    tile_origins,
)
from convviz.model.states import PANEL_STATES
from convviz.model.states.cnn import (
    TEST_IMAGE_COUNT,
    TRAIN_IMAGE_COUNT,
    CNNState,
    batches_per_epoch,
    next_position,
    phases_done,
)
from convviz.model.workspace import Workspace


@pytest.fixture(scope="module")
def data():
    return load_dataset()


def by_hand(data, *, filters=8, kernel_size=5, seed=0, lr=0.05, batch_size=32, phases=1):
    """A TrainingRun moved ``phases`` phases (the random start is the first) and the batch losses seen."""
    run = TrainingRun(TinyCNN(filters, kernel_size, seed), data, lr=lr, batch_size=batch_size, seed=seed)
    losses = []
    for _ in range(phases):
        r = run.next_phase()
        if r.name == "update":
            losses.append(r.loss)
    return run, losses


# ------------------------------------------------------------------------------------------------ state
def test_state_is_registered_and_its_counts_are_the_datasets(data):
    assert PANEL_STATES["cnn"] is CNNState and isinstance(Workspace().state("cnn"), CNNState)
    assert (len(data.train_labels), len(data.test_labels)) == (TRAIN_IMAGE_COUNT, TEST_IMAGE_COUNT) == (1438, 359)
    for size in (1, 7, 32, 100, 512):
        run = TrainingRun(TinyCNN(2, 3, 0), data, batch_size=size)
        assert batches_per_epoch(size) == run.batches_per_epoch


def test_positions_follow_the_five_phases():
    pos, seen = (0, 1), []
    for _ in range(10):
        seen.append(pos)
        pos = next_position(*pos, "phase")
    assert seen == [(0, 1), (0, 2), (0, 3), (0, 4), (1, 5), (1, 2), (1, 3), (1, 4), (2, 5), (2, 2)]
    assert [phases_done(*p) for p in seen] == list(range(1, 11))
    assert next_position(0, 1, "batch") == next_position(0, 3, "batch") == (1, 5)
    assert next_position(4, 5, "batch") == (5, 5)
    with pytest.raises(ValueError):
        next_position(0, 1, "epoch")


def test_setup_changes_start_again_and_bad_values_change_nothing():
    s = CNNState()
    s.apply(iterations=12, phase=3, test_index=5, filter_index=7)
    s.apply(epochs=3, test_index=9)                        # not the setup: the position stays
    assert s.position == (12, 3)
    s.apply(filters=4)                                     # the setup: back to the random start
    assert s.position == (0, 1) and s.filter_index == 3    # the chosen filter follows the fewer filters
    s.apply(seed=5, iterations=2, phase=5)                 # a position given with it is kept
    assert s.position == (2, 5)
    before = s.settings()
    for bad in ({"filters": 0}, {"filters": 65}, {"kernel_size": 12}, {"learning_rate": 0}, {"learning_rate": 2},
                {"batch_size": 0}, {"epochs": 0}, {"speed": 7}, {"test_index": TEST_IMAGE_COUNT},
                {"filter_index": 4}, {"iterations": 3, "phase": 1}, {"iterations": 0, "phase": 5}, {"phase": 6},
                {"iterations": 2.5}, {"seed": -1}):
        with pytest.raises(ValueError):
            s.apply(**bad)
        assert s.settings() == before, bad
    assert s.target_iterations == s.epochs * 45


def test_state_json_round_trip():
    s = CNNState()
    s.apply(filters=16, kernel_size=3, seed=2, learning_rate=0.1, batch_size=64, epochs=4, speed="max",
            test_index=100, filter_index=15, iterations=30, phase=4)
    saved = s.settings()
    assert saved["speed"] == "max" and saved["iterations"] == 30
    other = CNNState()
    other.apply(**other.changes_from({**saved, "unknown": 1}))
    assert other.settings() == saved


# ------------------------------------------------------------------------------------------------ progresses
@pytest.mark.parametrize("position", [(0, 1), (0, 2), (0, 3), (0, 4), (1, 5), (3, 3), (7, 5)])
def test_prepare_equals_the_model_stepped_by_hand(data, position):
    request = CNNRequest(filters=4, kernel_size=3, seed=1, iterations=position[0], phase=position[1])
    p = prepare(request)
    run, losses = by_hand(data, filters=4, kernel_size=3, seed=1, phases=phases_done(*position))
    for name, value in run.net.parameters.items():
        np.testing.assert_array_equal(p.net.parameters[name], value)
    assert p.net.updates == position[0] and p.phase_number == position[1] and p.batch_losses == tuple(losses)
    np.testing.assert_array_equal(p.confusion, run.net.confusion_matrix(data.test_images, data.test_labels))
    assert p.test_accuracy == run.net.accuracy(data.test_images, data.test_labels)
    assert p.start_accuracy == TinyCNN(4, 3, 1).accuracy(data.test_images, data.test_labels)


def test_continuing_equals_replaying_and_never_changes_the_earlier_progress(data):
    early = prepare(CNNRequest(iterations=2, phase=3))
    weights = early.net.conv_weights.copy()
    later = prepare(CNNRequest(iterations=9, phase=5), early)         # continued
    again = prepare(CNNRequest(iterations=9, phase=5))                # replayed
    np.testing.assert_array_equal(later.net.dense_weights, again.net.dense_weights)
    assert later.batch_losses == again.batch_losses and len(later.batch_losses) == 9
    np.testing.assert_array_equal(early.net.conv_weights, weights)
    assert early.request.position == (2, 3) and early.net.updates == 2
    back = prepare(CNNRequest(iterations=1, phase=5), later)          # backwards: replayed from the start
    assert back.net.updates == 1 and later.net.updates == 9
    assert prepare(later.request, later) is later
    other_seed = prepare(CNNRequest(seed=3, iterations=9, phase=5), later)
    assert not np.array_equal(other_seed.net.conv_weights, later.net.conv_weights)


def test_prepare_stops_when_cancelled():
    calls = []
    assert prepare(CNNRequest(iterations=5, phase=5), cancelled=lambda: calls.append(1) or len(calls) > 3) is None
    assert len(calls) == 4                               # asked before each of the 20 phases; stopped at once
    calls.clear()
    done = prepare(CNNRequest(iterations=5, phase=5), cancelled=lambda: calls.append(1) or False)
    assert done is not None and done.request.position == (5, 5) and len(calls) == 20


def test_run_chunk_trains_on_and_stops_where_asked(data):
    start = prepare(CNNRequest(iterations=0, phase=3))                 # half-way through the first mini-batch
    p = run_chunk(start, 45, batches=5)
    run, losses = by_hand(data, phases=phases_done(5, 5))
    np.testing.assert_array_equal(p.net.conv_weights, run.net.conv_weights)
    assert p.request.position == (5, 5) and p.batch_losses == tuple(losses)
    assert start.net.updates == 0
    whole = run_chunk(p, 45)                                          # to the end of the first epoch
    assert whole.request.iterations == 45 and len(whole.run.history) == 1
    assert whole.last.epoch_result is not None and "Epoch 1 done" in phase_sentence(whole)
    reference = TrainingRun(TinyCNN(), data)
    result = reference.run_epoch()
    assert whole.run.history[0].test_accuracy == result.test_accuracy == whole.test_accuracy
    assert run_chunk(whole, 45) is whole                              # already there
    assert run_chunk(whole, 1000, seconds=0.0).request.iterations == 46    # at least one mini-batch
    assert run_chunk(whole, 1000, cancelled=lambda: True).request.iterations == 46


def test_curves_and_status_say_the_models_numbers(data):
    p = run_chunk(prepare(CNNRequest()), 90)
    (x, y), (ex, ey) = loss_curves(p)
    assert len(y) == 90 and x[44] == 1.0 and x[-1] == 2.0 and tuple(y) == p.batch_losses
    assert list(ex) == [1, 2] and list(ey) == [e.train_loss for e in p.run.history]
    ax, ay = accuracy_curve(p)
    assert list(ax) == [0, 1, 2] and ay[0] == 100 * p.start_accuracy and ay[2] == 100 * p.run.history[1].test_accuracy
    correct = int(np.trace(p.confusion))
    text = status_text(p)
    assert "Epoch 2.00 (90 updates, 45 mini-batches of 32 per epoch)" in text
    assert f"test accuracy {100 * correct / 359:.1f} % ({correct} of 359)" in text
    assert f"last mini-batch loss {p.batch_losses[-1]:.4f}" in text
    np.testing.assert_array_equal(filter_tiles(p)[3], p.net.conv_weights[:, :, 0, 3])


def test_a_test_image_through_the_network_equals_scipy(data):
    p = prepare(CNNRequest(filters=3, iterations=20, phase=5))
    r = read_image(p, 7)
    image, w, b = data.test_images[7], p.net.conv_weights, p.net.conv_bias
    for f in range(3):
        expected = np.maximum(correlate2d(image / 255.0, w[:, :, 0, f], mode="valid") + b[f], 0.0)
        np.testing.assert_allclose(r.feature_maps[:, :, f], expected, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(r.probabilities, p.net.forward(image[None])[0], rtol=1e-12)
    assert r.label == data.test_labels[7] and r.predicted == p.net.predict(image[None])[0]
    text = readout_text(r, data.classes, 359)
    assert text.startswith(f"Test image 8 of 359: a handwritten {r.label} — the network says {r.predicted} (")
    with pytest.raises(ValueError, match="choose 0 to 358"):
        read_image(p, 359)


# ------------------------------------------------------------------------------------------------ pictures
def test_mosaic_places_each_tile_and_finds_it_again():
    tiles = np.arange(5 * 2 * 3, dtype=np.float64).reshape(5, 2, 3) - 10     # signed: diverging, 0 at the centre
    rgb = mosaic_rgb(tiles, columns=3, gap=2)
    assert rgb.shape == (2 * 2 + 2, 3 * 3 + 2 * 2, 3) and rgb.dtype == np.uint8
    origins = tile_origins(5, (2, 3), 3, 2)
    assert origins == [(0, 0), (0, 5), (0, 10), (4, 0), (4, 5)]
    for i, (r, c) in enumerate(origins):
        np.testing.assert_array_equal(rgb[r:r + 2, c:c + 3], display_rgb(tiles[i], levels=(-19.0, 19.0)))
        assert tile_at(r + 1.5, c + 2.9, 5, (2, 3), 3, 2) == i
    assert (rgb[2:4] == 255).all() and (rgb[4:, 10:] == 255).all()      # gaps and the missing 6th tile: background
    assert tile_at(2.5, 1, 5, (2, 3), 3, 2) is None and tile_at(4, 11, 5, (2, 3), 3, 2) is None
    assert tile_at(-1, 0, 5, (2, 3), 3, 2) is None and tile_at(0, 14, 5, (2, 3), 3, 2) is None
    assert [grid_columns(n) for n in (1, 2, 8, 16, 64)] == [1, 2, 4, 6, 12]
    assert [mosaic_gap(s) for s in (1, 5, 12)] == [2, 2, 4]
    assert [axis_top(v) for v in ([], [0.2], [2.3026, 0.1], [2.5], [np.nan, 3.01])] == [0.5, 0.5, 2.5, 2.5, 3.5]
    with pytest.raises(ValueError):
        mosaic_rgb(np.zeros((0, 2, 2)))


def test_confusion_colours_green_right_red_wrong_white_none():
    counts = np.array([[8, 2, 0], [0, 10, 0], [5, 0, 5]])
    c = confusion_colours(counts).astype(int)
    assert (c[0, 2] == 255).all() and (c[1, 0] == 255).all()
    assert c[1, 1, 1] > c[1, 1, 0] and c[1, 1, 1] > c[1, 1, 2]          # the diagonal green
    assert c[2, 0, 0] > c[2, 0, 1] and tuple(c[2, 0]) == (214, 39, 40)   # half the row wrong: the strongest red
    assert c[0, 1, 0] > c[0, 1, 1] and c[0, 1, 1] < 255                  # a 20 % mistake: nearly as red
