"""Running a KernelTrainer as the Learned filters tab does (convviz.model.training_run): no Qt."""

from __future__ import annotations

import numpy as np
import pytest

from convviz.model import PRESETS, correlate, mse_loss_grad
from convviz.model.training import KernelTrainer, hidden_kernel_target, working_copy
from convviz.model.training_run import (
    FILE_TARGET,
    MAX_ITERATIONS,
    LearningSetup,
    Request,
    build_trainer,
    go_to,
    grey_target,
    moved,
    prepare,
    replay_cost,
    run_chunk,
    run_finished,
    take_snapshot,
)

SOBEL_X = PRESETS["sobel_x"].kernel


def noise(shape=(40, 40), seed=3) -> np.ndarray:
    image = np.random.default_rng(seed).uniform(0, 255, shape)
    image.setflags(write=False)
    return image


def setup(image=None, target="sobel_x", target_image=None, size=3, padding="valid", scale="0-255", seed=0):
    return LearningSetup(noise() if image is None else image, target, target_image, size, padding, scale, seed)


def reference(image, iterations, *, rate=None, size=3, padding="valid", hidden=SOBEL_X, seed=0) -> KernelTrainer:
    """The same run done directly on the model: the independent oracle of a replay."""
    t = KernelTrainer(image, hidden_kernel_target(image, hidden, size, padding), size, rate=rate, seed=seed,
                      padding=padding)
    t.run(iterations)
    return t


def test_copy_is_independent_and_shares_no_history():
    t = reference(noise(), 3)
    c = t.copy()
    c.run(5)
    assert t.iteration == 3 and len(t.history) == 3 and c.iteration == 8 and len(c.history) == 8
    assert not np.array_equal(t.kernel, c.kernel)
    assert not t.image.flags.writeable and c.image is t.image   # arrays shared, never edited


def test_prepare_builds_and_replays_to_the_position():
    s = setup()
    p = prepare(Request(s, "auto", 150, 5))
    ref = reference(s.image, 150)
    np.testing.assert_allclose(p.trainer.kernel, ref.kernel, rtol=1e-12)
    assert p.trainer.history == pytest.approx(ref.history, rel=1e-12)
    assert (p.snapshot.iteration, p.snapshot.phase_number) == (150, 5)
    assert p.copy.image.shape == (40, 40) and p.trainer.rate == ref.rate


@pytest.mark.parametrize(("iterations", "phase", "where"),
                         [(0, 1, (0, 1)), (0, 3, (0, 3)), (0, 5, (1, 5)), (12, 3, (12, 3)), (12, 1, (12, 5)),
                          (1, 5, (1, 5)), (2, 2, (2, 2))])
def test_a_position_is_iterations_then_the_phases_of_the_next(iterations, phase, where):
    t = reference(noise(), 0)
    go_to(t, iterations, phase)
    assert (t.iteration, t.phase_number) == where


def test_same_setup_keeps_the_trainer_a_new_rate_applies_from_the_next_update():
    s = setup()
    first = prepare(Request(s, "auto", 10, 5))
    kernel = first.trainer.kernel
    second = prepare(Request(s, 1e-7, 10, 5), first)
    assert second.trainer is not first.trainer and second.trainer.rate == 1e-7
    assert second.trainer.kernel is kernel and first.trainer.rate != 1e-7     # continued, the first untouched
    assert replay_cost(Request(s, 1e-7, 10, 5), first) == 0
    back = prepare(Request(s, 1e-7, 3, 2), second)                            # undo: replayed at today's rate
    ref = reference(s.image, 3, rate=1e-7)
    ref.advance()
    np.testing.assert_allclose(back.trainer.used_kernel, ref.used_kernel, rtol=1e-12)
    assert (back.trainer.iteration, back.trainer.phase) == (3, "predict")


def test_a_new_setup_rebuilds_on_the_same_working_copy():
    s = setup()
    first = prepare(Request(s, "auto", 0, 1))
    other = setup(image=s.image, size=5, padding="same", seed=4)
    assert replay_cost(Request(other, "auto", 20, 5), first) == 21
    second = prepare(Request(other, "auto", 20, 5), first)
    assert second.copy is first.copy and second.trainer.kernel_shape == (5, 5)
    np.testing.assert_allclose(second.trainer.kernel, reference(s.image, 20, size=5, padding="same", seed=4).kernel,
                               rtol=1e-12)
    assert replay_cost(Request(setup(image=noise(seed=9)), "auto", 0, 1), second) is None   # a new input


def test_scale_and_rate_of_a_request():
    s = setup(scale="0-1")
    p = prepare(Request(s, "auto", 0, 1))
    assert p.trainer.image.max() <= 1
    raw = prepare(Request(setup(image=s.image), "auto", 0, 1))
    assert p.trainer.rate == pytest.approx(raw.trainer.rate * 255 ** 2)
    manual = prepare(Request(s, 2e-3, 0, 1))
    assert manual.trainer.rate == 2e-3


def test_a_large_colour_input_is_learned_on_its_small_grey_copy():
    rgb = np.random.default_rng(0).uniform(0, 255, (300, 200, 3))
    p = prepare(Request(setup(image=rgb), "auto", 0, 1))
    np.testing.assert_allclose(p.trainer.image, working_copy(rgb).image)
    assert p.trainer.image.shape == (100, 66)


def test_target_image_is_cut_to_the_prediction_and_must_fit_the_input():
    image = noise()
    target = grey_target(np.stack([correlate(image, SOBEL_X, "same")] * 3, axis=2), image.shape)
    assert target.shape == (40, 40) and not target.flags.writeable
    p = prepare(Request(setup(image=image, target=FILE_TARGET, target_image=target), "auto", 0, 1))
    np.testing.assert_allclose(p.trainer.target, correlate(image, SOBEL_X))
    assert p.request.setup.hidden_kernel is None and p.snapshot.kernel_error is None
    with pytest.raises(ValueError, match="same size"):
        grey_target(target[:10], image.shape)
    with pytest.raises(ValueError, match="input is now 30×30"):
        build_trainer(setup(image=noise((30, 30)), target=FILE_TARGET, target_image=target),
                      working_copy(noise((30, 30))), "auto")
    with pytest.raises(ValueError, match="No target image"):
        prepare(Request(setup(target=FILE_TARGET), "auto", 0, 1))


def test_a_kernel_larger_than_the_input_is_refused_with_a_sentence():
    with pytest.raises(ValueError, match="larger|kernel"):
        prepare(Request(setup(image=noise((5, 5)), size=9), "auto", 0, 1))


def test_moves_of_the_lecture():
    image = noise()
    p = prepare(Request(setup(image=image), "auto", 0, 1))
    start = p.trainer.kernel
    p1 = moved(p, "phase")
    assert (p1.request.iterations, p1.request.phase) == (0, 2) and p.trainer.phase == "random"
    np.testing.assert_allclose(p1.snapshot.prediction, correlate(image, start))
    p2 = moved(p1, "iteration")
    _, grad = mse_loss_grad(image, correlate(image, SOBEL_X), start)
    np.testing.assert_allclose(p2.trainer.kernel, start - p2.trainer.rate * grad, rtol=1e-12)
    assert (p2.request.iterations, p2.request.phase) == (1, 5)
    p3 = moved(p2, "reset")
    assert (p3.request.iterations, p3.request.phase) == (0, 1) and np.array_equal(p3.trainer.kernel, start)
    with pytest.raises(ValueError):
        moved(p, "jump")


def test_the_prediction_shown_belongs_to_the_kernel_shown_even_while_diverging():
    image = noise()
    s = setup(image=image)
    advice_limit = prepare(Request(s, "auto", 0, 1)).trainer.advice.limit
    p = prepare(Request(s, 1.5 * advice_limit, 6, 5))
    snap = p.snapshot
    assert snap.diverged and snap.phase == "update"
    np.testing.assert_allclose(snap.prediction, correlate(image, snap.kernel), rtol=1e-12)
    assert not np.allclose(snap.prediction, correlate(image, p.trainer.used_kernel))   # not the kernel before
    halted = prepare(Request(s, 1.0, 2000, 5)).snapshot   # the loss overflowed: its kernel is still finite
    assert halted.halted and halted.iteration < 2000
    with np.errstate(all="ignore"):
        np.testing.assert_allclose(halted.prediction, correlate(image, halted.kernel), rtol=1e-12)


def test_run_chunk_iterations_seconds_and_stops():
    s = setup()
    p = prepare(Request(s, "auto", 0, 1))
    q = run_chunk(p, iterations=25)
    assert q.trainer.iteration == 25 and p.trainer.iteration == 0 and q.request.iterations == 25
    np.testing.assert_allclose(q.trainer.kernel, reference(s.image, 25).kernel, rtol=1e-12)
    r = run_chunk(q, seconds=0.02)
    assert r.trainer.iteration > 25
    done = run_chunk(p, iterations=MAX_ITERATIONS)       # runs until the kernel stops moving
    assert done.trainer.converged and run_finished(done.trainer) and done.trainer.kernel_error(SOBEL_X) < 1e-3
    calls = []
    stopped = run_chunk(p, iterations=1000, cancelled=lambda: calls.append(1) or len(calls) > 2)
    assert stopped.trainer.iteration == 20                # two chunks of 10, then cancelled
    with pytest.raises(ValueError):
        run_chunk(p)


def test_a_run_stops_when_the_loss_starts_rising_unless_it_had_already():
    s = setup()
    limit = prepare(Request(s, "auto", 0, 1)).trainer.advice.limit
    p = prepare(Request(s, 1.5 * limit, 0, 1))
    q = run_chunk(p, iterations=500)
    assert q.trainer.diverged and not q.trainer.halted and q.trainer.iteration < 20
    r = run_chunk(q, iterations=5000, stop_on_divergence=False)
    assert r.trainer.halted


def test_snapshot_copies_what_is_shown():
    t = reference(noise(), 3)
    s = take_snapshot(t, SOBEL_X)
    assert s.iteration == 3 and s.phase_number == 5 and list(s.history) == t.history
    assert s.kernel_error == pytest.approx(t.kernel_error(SOBEL_X)) and s.seed == 0
    assert s.update_text == t.update_example().expression()
    t.run(1)
    assert len(s.history) == 3                           # the snapshot does not follow the trainer
    t.kernel = np.full((3, 3), np.inf)                   # overflowed weights: no map to show
    assert take_snapshot(t).prediction is None and take_snapshot(t, SOBEL_X).kernel_error is None
