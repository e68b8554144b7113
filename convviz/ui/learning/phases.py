"""One sentence per lecture phase, filled in with the numbers of the moment."""

from __future__ import annotations

from convviz.model import format_number

PHASE_TITLES = {
    "random": "Random start",
    "predict": "Convolve",
    "loss": "Loss",
    "gradient": "Backpropagate",
    "update": "Update",
}


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
    tail = f" For the steepest weight: {update_text}." if update_text else ""
    return (f"Step 5 of 5 — update: kernel ← kernel − {rate:.3g} × gradient, a small step downhill; "
            f"then back to step 2.{tail}")
