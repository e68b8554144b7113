"""The kernel optimiser (convviz.model.training): pure NumPy, no Qt."""

from __future__ import annotations

import math

import numpy as np
import pytest

from convviz.model import PRESETS, correlate, mse_loss_grad, to_gray
from convviz.model.training import (
    PHASES,
    KernelTrainer,
    crop_centre,
    downsample,
    embed_centre,
    fit_target_image,
    hidden_kernel_target,
    patch_matrix,
    rate_advice,
    working_copy,
)

SOBEL_X = PRESETS["sobel_x"].kernel


def noise(shape=(48, 48), seed=1) -> np.ndarray:
    return np.random.default_rng(seed).uniform(0, 255, shape)


def trainer(image=None, hidden=SOBEL_X, size=3, padding="valid", **kw) -> KernelTrainer:
    image = noise() if image is None else image
    return KernelTrainer(image, hidden_kernel_target(image, hidden, size, padding), size, padding=padding, **kw)


def loss_of(image, target, kernel, padding) -> float:
    r = correlate(image, kernel, padding) - target
    return float(np.mean(r * r))


@pytest.mark.parametrize("padding", ["valid", "same"])
def test_gradient_matches_finite_differences(padding):
    t = trainer(noise((20, 17)) / 255, size=3, padding=padding, seed=4)
    for _ in range(3):
        t.advance()
    assert t.phase == "gradient"
    eps = 1e-6
    numeric = np.zeros_like(t.gradient)
    for idx in np.ndindex(t.kernel.shape):
        up, down = t.used_kernel.copy(), t.used_kernel.copy()
        up[idx] += eps
        down[idx] -= eps
        numeric[idx] = (loss_of(t.image, t.target, up, padding) - loss_of(t.image, t.target, down, padding)) / (2 * eps)
    np.testing.assert_allclose(t.gradient, numeric, rtol=1e-6, atol=1e-8)


def test_phases_in_lecture_order_with_the_numbers_of_each_step():
    t = trainer(seed=7, rate=1e-6)
    assert t.phase == "random" and t.phase_number == 1 and t.iteration == 0 and t.history == []
    start = t.kernel.copy()
    assert np.all(np.abs(start) <= 1)
    assert t.advance() == "predict"
    np.testing.assert_array_equal(t.prediction, correlate(t.image, start))
    assert t.loss is None and t.gradient is None
    assert t.advance() == "loss"
    assert t.loss == pytest.approx(loss_of(t.image, t.target, start, "valid"), rel=1e-12)
    assert t.history == [t.loss]
    assert t.advance() == "gradient"
    loss, grad = mse_loss_grad(t.image, t.target, start)
    np.testing.assert_allclose(t.gradient, grad)
    assert t.advance() == "update" and t.phase_number == 5
    np.testing.assert_allclose(t.kernel, start - 1e-6 * grad)
    assert t.iteration == 1
    ex = t.update_example()
    r, c = ex.index
    assert abs(grad[r, c]) == np.abs(grad).max()
    assert ex.after == t.kernel[r, c] and ex.before == start[r, c]
    assert ex.expression().startswith(f"w[{r},{c}]: ")
    assert t.advance() == "predict"   # back to step 2, not to the random start
    assert [p for p in PHASES] == ["random", "predict", "loss", "gradient", "update"]


def test_same_seed_same_run_other_seed_other_start():
    a, b, c = trainer(seed=3), trainer(seed=3), trainer(seed=4)
    a.run(25)
    b.run(25)
    np.testing.assert_array_equal(a.kernel, b.kernel)
    assert a.history == b.history
    assert not np.array_equal(trainer(seed=3).kernel, c.kernel)


def test_step_and_run_agree_and_step_finishes_a_started_iteration():
    a, b = trainer(seed=2), trainer(seed=2)
    for _ in range(5):
        assert a.step()
    assert b.run(5) == 5
    np.testing.assert_allclose(a.kernel, b.kernel, rtol=1e-12)
    np.testing.assert_allclose(a.history, b.history, rtol=1e-12)
    a.advance()
    a.advance()          # predict, loss
    assert a.step() and a.phase == "update" and a.iteration == 6
    b.run(1)
    np.testing.assert_allclose(a.kernel, b.kernel, rtol=1e-12)
    # after a fast run the prediction belongs to the kernel the last loss was measured on
    np.testing.assert_allclose(b.prediction, correlate(b.image, b.used_kernel))


def test_reset_returns_to_the_same_random_start():
    t = trainer(seed=9)
    start = t.kernel.copy()
    t.run(10)
    t.reset()
    assert t.phase == "random" and t.iteration == 0 and t.history == [] and not t.diverged
    np.testing.assert_array_equal(t.kernel, start)


@pytest.mark.parametrize("scale", [1.0, 1 / 255])
@pytest.mark.parametrize("padding", ["valid", "same"])
def test_converges_to_sobel_x_within_1e_3(scale, padding):
    t = trainer(noise() * scale, padding=padding, seed=0)
    t.run(600)
    assert not t.diverged
    assert t.kernel_error(SOBEL_X) < 1e-3
    assert np.max(np.abs(t.kernel - SOBEL_X)) < 1e-3
    assert all(b <= a for a, b in zip(t.history, t.history[1:]))   # the loss only falls at the automatic rate


def test_a_smaller_hidden_kernel_is_learned_inside_a_larger_kernel():
    t = trainer(size=5, padding="same", seed=1)
    t.run(1500)
    np.testing.assert_allclose(t.kernel, embed_centre(SOBEL_X, (5, 5)), atol=1e-3)


def test_rate_advice_is_the_hessian_of_the_loss():
    image = noise((16, 16))
    adv = rate_advice(image, 3)
    x = patch_matrix(image, 3)
    np.testing.assert_allclose(x @ SOBEL_X.ravel(), correlate(image, SOBEL_X).ravel())
    # the loss along the top eigenvector curves with λ_max: L(k + s v) = L(k) + s g·v + s²λ/2
    hessian = 2 / x.shape[0] * x.T @ x
    vals, vecs = np.linalg.eigh(hessian)
    v = vecs[:, -1].reshape(3, 3)
    target = np.zeros((14, 14))
    k = np.zeros((3, 3))
    s = 0.5
    second = (loss_of(image, target, k + s * v, "valid") + loss_of(image, target, k - s * v, "valid")) / s**2
    assert second == pytest.approx(adv.lambda_max, rel=1e-9)
    assert adv.trace >= adv.lambda_max >= adv.lambda_min >= 0
    assert adv.limit == pytest.approx(2 / adv.lambda_max) and adv.stable == pytest.approx(1 / adv.lambda_max)
    assert adv.condition == pytest.approx(vals[-1] / vals[0])
    assert "2/λ_max" in adv.describe()
    # scaling pixels by 1/255 scales the curvature by 1/255², so the rate by 255²
    assert rate_advice(image / 255, 3).stable == pytest.approx(adv.stable * 255**2, rel=1e-9)


def test_rates_below_the_limit_converge_and_above_it_diverge():
    below = trainer(rate=None, seed=5)
    below.set_rate(0.95 * below.advice.limit)
    below.run(400)
    assert not below.diverged and below.history[-1] < 1e-3 * below.history[0]
    above = trainer(seed=5)
    above.set_rate(1.05 * above.advice.limit)
    above.run(2000)
    assert above.diverged and not above.halted
    assert "rose in 3 iterations in a row" in above.divergence_reason
    assert above.suggested_rate == pytest.approx(above.advice.stable)
    assert f"{above.suggested_rate:.3g}" in above.divergence_reason


def test_overflow_is_detected_halts_and_suggests_a_smaller_rate():
    t = trainer(rate=1.0, seed=0)
    done = t.run(1000)
    assert t.diverged and t.halted and done < 1000
    assert "infinite" in t.divergence_reason or "NaN" in t.divergence_reason
    assert not math.isfinite(t.history[-1])
    assert t.suggested_rate < t.rate and t.suggested_rate == pytest.approx(t.advice.stable)
    assert t.step() is False and t.run(5) == 0 and t.advance() == t.phase
    # following the advice works
    t.set_rate(t.suggested_rate)
    t.reset()
    t.run(50)
    assert not t.diverged and t.history[-1] < t.history[0]


def test_no_divergence_when_converged_to_rounding_noise():
    t = trainer(seed=0)
    t.run(3000)
    assert not t.diverged
    assert t.suggested_rate is None and t.divergence_reason == ""


def test_a_rate_already_below_the_stable_one_is_divided_by_ten():
    t = trainer(seed=0)
    t.diverged = True
    t.set_rate(t.advice.stable / 2)
    t.diverged = True
    assert t.suggested_rate == pytest.approx(t.advice.stable / 20)


def test_working_copy_is_grey_and_at_most_128_a_side():
    rgb = np.random.default_rng(0).uniform(0, 255, (300, 200, 3))
    wc = working_copy(rgb)
    assert wc.factor == 3 and wc.image.shape == (100, 66) and wc.source_shape == (300, 200)
    np.testing.assert_allclose(wc.image[0, 0], to_gray(rgb)[:3, :3].mean())
    assert "66×100 copy" in wc.describe() and "200×300" in wc.describe() and "3×3 blocks" in wc.describe()
    assert wc.from_colour and "luminance" in wc.describe()
    small = working_copy(np.arange(12.0).reshape(3, 4))
    assert small.factor == 1 and "itself" in small.describe() and "luminance" not in small.describe()
    np.testing.assert_array_equal(small.image, np.arange(12.0).reshape(3, 4))
    assert max(working_copy(np.zeros((1000, 129))).image.shape) <= 128
    np.testing.assert_array_equal(downsample(np.arange(16.0).reshape(4, 4), 2), [[2.5, 4.5], [10.5, 12.5]])


def test_targets_have_the_prediction_shape():
    image = noise((20, 24))
    np.testing.assert_allclose(hidden_kernel_target(image, SOBEL_X, 3, "valid"), correlate(image, SOBEL_X))
    np.testing.assert_allclose(hidden_kernel_target(image, SOBEL_X, 3, "same"), correlate(image, SOBEL_X, "same"))
    assert hidden_kernel_target(image, SOBEL_X, 5, "valid").shape == (16, 20)
    fitted = fit_target_image(image, image.shape, 3, "valid")
    np.testing.assert_array_equal(fitted, image[1:-1, 1:-1])
    with pytest.raises(ValueError, match="same size"):
        fit_target_image(image[:10], image.shape, 3)
    np.testing.assert_array_equal(crop_centre(np.arange(25).reshape(5, 5), (3, 3)),
                                  [[6, 7, 8], [11, 12, 13], [16, 17, 18]])
    np.testing.assert_array_equal(embed_centre([[1.0]], (3, 3)), [[0, 0, 0], [0, 1, 0], [0, 0, 0]])
    square = np.arange(25.0).reshape(5, 5)
    np.testing.assert_array_equal(embed_centre(square, (3, 3)), crop_centre(square, (3, 3)))


def test_bad_arguments_are_refused_with_a_sentence():
    image = noise((10, 10))
    with pytest.raises(ValueError, match="prediction has shape"):
        KernelTrainer(image, np.zeros((10, 10)), 3)
    with pytest.raises(ValueError, match="padding"):
        KernelTrainer(image, np.zeros((10, 10)), 3, padding="full")
    with pytest.raises(ValueError, match="positive"):
        KernelTrainer(image, np.zeros((8, 8)), 3, rate=-1)
    with pytest.raises(ValueError, match="grey"):
        KernelTrainer(np.zeros((10, 10, 3)), np.zeros((8, 8)), 3)
    t = KernelTrainer(image, np.zeros((8, 8)), 3)
    with pytest.raises(ValueError, match="positive"):
        t.set_rate(float("nan"))


def test_converged_once_updates_stop_moving_the_weights():
    t = trainer(seed=0)
    t.run(20)
    assert not t.converged
    t.run(3000)
    assert t.converged
    t.advance()
    assert not t.converged   # mid-iteration: no update to judge


def test_mse_loss_grad_of_a_colour_image_matches_finite_differences():
    """mse_loss_grad's per-tap sum (einsum over rows and columns, channels kept) for (H, W, C) input."""
    rng = np.random.default_rng(8)
    image, kernel = rng.uniform(0, 1, (9, 11, 3)), rng.normal(size=(3, 2, 3))
    target = rng.normal(size=(7, 10))
    loss, grad = mse_loss_grad(image, target, kernel)
    assert grad.shape == kernel.shape
    eps, numeric = 1e-6, np.zeros_like(kernel)
    for idx in np.ndindex(kernel.shape):
        up, down = kernel.copy(), kernel.copy()
        up[idx] += eps
        down[idx] -= eps
        numeric[idx] = (loss_of(image, target, up, "valid") - loss_of(image, target, down, "valid")) / (2 * eps)
    np.testing.assert_allclose(grad, numeric, rtol=1e-6, atol=1e-9)
    assert loss == pytest.approx(loss_of(image, target, kernel, "valid"), rel=1e-12)


def test_the_working_copy_of_a_photo_is_made_a_stripe_at_a_time_and_equals_the_whole_computation():
    import tracemalloc

    from convviz.model.filtering import to_gray
    from convviz.model.training_inputs import downsample

    photo = np.random.default_rng(5).integers(0, 256, (2000, 3000, 3)).astype(np.uint8)
    tracemalloc.start()
    wc = working_copy(photo)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 20e6                                   # the whole luminance in float64 would be 48 MB
    assert wc.factor == 24 and wc.source_shape == (2000, 3000) and wc.from_colour
    np.testing.assert_array_equal(wc.image, downsample(to_gray(photo), 24))
