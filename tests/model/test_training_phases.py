"""What the Learned filters tab says (convviz.model.training_phases) and its loss axis's ticks
(convviz.model.decade_ticks): text and numbers, no Qt."""

from __future__ import annotations

import numpy as np
import pytest

from convviz.model import format_number
from convviz.model.decade_ticks import MAX_LABELS, decade_range, decade_ticks, power_of_ten_text
from convviz.model.training import KernelTrainer, hidden_kernel_target, working_copy
from convviz.model.training_phases import explain, phase_titles, setup_text, status_text


def test_phase_titles_in_lecture_order():
    assert phase_titles() == ["1. Random start", "2. Convolve", "3. Loss", "4. Backpropagate", "5. Update"]


def test_each_phase_explained_with_its_numbers():
    kw = {"seed": 7, "loss": 1234.5678, "rate": 3.3e-06, "update_text": "w[0,2]: 1 − 3.3e-06 × 2 = 0.99"}
    assert explain("random", **kw).startswith("Step 1 of 5 — random start") and "(seed 7)" in explain("random", **kw)
    assert explain("predict", **kw).startswith("Step 2 of 5 — convolve")
    assert f"MSE = {format_number(1234.5678, 4)}" in explain("loss", **kw)
    assert "MSE = —" in explain("loss", **{**kw, "loss": None})
    assert explain("gradient", **kw).startswith("Step 4 of 5 — backpropagate")
    update = explain("update", **kw)
    assert "kernel ← kernel − 3.3e-06 × gradient" in update and "For the steepest weight: w[0,2]" in update
    assert "steepest" not in explain("update", **{**kw, "update_text": ""})
    with pytest.raises(ValueError, match="Unknown phase"):
        explain("sleep", **kw)


def test_status_line():
    text = status_text(iteration=3, phase="update", loss=12.5, kernel_error=0.1234, rate=1e-6, converged=False)
    assert text == "Iteration 3 · loss (MSE) 12.5 · largest |learned − target| weight difference 0.123 · rate 1e-06"
    assert status_text(iteration=0, phase="predict", loss=5.0, kernel_error=None, rate=2.0,
                       converged=True) == "Iteration 0 · rate 2 · converged: the updates no longer change the kernel"


def test_setup_line_names_the_copy_the_scale_and_the_stable_rates():
    image = np.random.default_rng(0).uniform(0, 255, (40, 50))
    copy = working_copy(image)
    t = KernelTrainer(copy.image, hidden_kernel_target(copy.image, np.ones((3, 3)), 3, "same"), 3, padding="same")
    text = setup_text(copy, t, "0-255")
    assert "50×40 input itself" in text and "0–255" in text and "50×40 (same padding)" in text
    assert f"{t.advice.limit:.3g}" in text and "learn slowly" not in text
    flat = np.tile(np.arange(40.0), (40, 1))          # varies in one direction only: badly conditioned
    copy = working_copy(flat)
    t = KernelTrainer(flat, hidden_kernel_target(flat, np.ones((3, 3)), 3), 3)
    assert "learn slowly" in setup_text(copy, t, "0-1") and "divided by 255" in setup_text(copy, t, "0-1")


def test_decade_helpers():
    assert [power_of_ten_text(e) for e in (0, 2, -3, 12)] == ["10⁰", "10²", "10⁻³", "10¹²"]
    assert decade_range([]) == (0, 1) and decade_range([np.nan, -1.0]) == (0, 1)
    assert decade_range([150.0, 30_000.0]) == (2, 5)
    assert decade_range([100.0]) == (2, 3)
    step, major, minor = decade_ticks(0.0, 30.0)           # 31 decades: every 5th labelled, no minor ticks
    assert (step, major, minor) == (5, [0.0, 5.0, 10.0, 15.0, 20.0, 25.0, 30.0], [])
    step, major, minor = decade_ticks(3.0, 1.0)            # either order; 2…9 × 10¹ and 10² as minor ticks
    assert (step, major) == (1, [1.0, 2.0, 3.0]) and len(minor) == 16
    np.testing.assert_allclose(minor[:2], [np.log10(20), np.log10(30)])
    for low, high in ((-12.0, 5.0), (0.0, 1.0), (-3.3, 40.2)):
        step, major, _ = decade_ticks(low, high)
        assert 1 <= len(major) <= MAX_LABELS + 1 and all(m % step == 0 for m in major)
