"""What the Learned filters tab says (pure text, no Qt): the lecture's five phases, one sentence
per phase with the numbers of the moment, the status line and the line about the input."""

from __future__ import annotations

from .stepping import format_number
from .training import PHASES, SCALES, KernelTrainer, WorkingCopy

PHASE_TITLES = {
    "random": "Random start",
    "predict": "Convolve",
    "loss": "Loss",
    "gradient": "Backpropagate",
    "update": "Update",
}
#: a conditioning of the loss's Hessian above this is worth a sentence
SLOW_CONDITION = 1000.0


def phase_titles() -> list[str]:
    """``["1. Random start", "2. Convolve", …]``: the five phases, numbered, in lecture order."""
    return [f"{i}. {PHASE_TITLES[p]}" for i, p in enumerate(PHASES, start=1)]


def explain(phase: str, *, seed: int, loss: float | None, rate: float, update_text: str) -> str:
    """“Step n of 5 — …”: what the phase just done means."""
    if phase == "random":
        return (f"Step 1 of 5 — random start: every weight of the kernel gets a random value between "
                f"−1 and 1 (seed {seed}); the kernel knows nothing yet.")
    if phase == "predict":
        return ("Step 2 of 5 — convolve: the current kernel slides over the input and produces its "
                "prediction, a feature map to compare with the target.")
    if phase == "loss":
        shown = "—" if loss is None else format_number(loss, 4)
        return (f"Step 3 of 5 — loss: the mean of the squared differences between prediction and "
                f"target is MSE = {shown}; 0 would be a perfect match.")
    if phase == "gradient":
        return ("Step 4 of 5 — backpropagate: the gradient says how the loss changes if each weight "
                "grows a little; a positive number means “make this weight smaller”.")
    if phase != "update":
        raise ValueError(f"Unknown phase {phase!r}: use one of {', '.join(PHASES)}.")
    tail = f" For the steepest weight: {update_text}." if update_text else ""
    return (f"Step 5 of 5 — update: kernel ← kernel − {rate:.3g} × gradient, a small step downhill; "
            f"then back to step 2.{tail}")


def status_text(*, iteration: int, phase: str, loss: float | None, kernel_error: float | None, rate: float,
                converged: bool) -> str:
    """“Iteration 3 · loss (MSE) 12.5 · largest |learned − target| weight difference 0.1 · rate 1e-06”."""
    parts = [f"Iteration {iteration}"]
    if loss is not None and phase != "predict":
        parts.append(f"loss (MSE) {format_number(loss, 4)}")
    if kernel_error is not None:
        parts.append(f"largest |learned − target| weight difference {format_number(kernel_error, 3)}")
    parts.append(f"rate {rate:.3g}")
    if converged:
        parts.append("converged: the updates no longer change the kernel")
    return " · ".join(parts)


def setup_text(copy: WorkingCopy, trainer: KernelTrainer, scale: str) -> str:
    """What the learner works on (the working copy, the pixel scale, the map's size) and which rates are stable."""
    advice = trainer.advice
    h, w = trainer.target.shape
    parts = [copy.describe(), f"Values: {SCALES[scale][1]}.",
             f"Prediction and target: {w}×{h} ({trainer.padding} padding).", advice.describe()]
    if advice.condition > SLOW_CONDITION:
        parts.append(f"This image hardly varies in some directions (λ_max/λ_min ≈ {advice.condition:,.0f}), "
                     "so some weights learn slowly: a detailed image learns faster.")
    return " ".join(parts)
