"""What the Filter tab computes in its worker and how it is shown (no Qt).

:func:`compute_output` runs off the GUI thread on a snapshot of the document: the filtered
output, its automatic display levels and, for large outputs, its bytes at those levels.
:func:`prepare_input` does the same for the input image. :func:`output_display` decides the
levels and colour map from the user's choices (a :class:`~convviz.model.states.FilterState`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .colour import DEFAULT_DIVERGING, DEFAULT_SEQUENTIAL, display_levels, scale_to_bytes
from .filtering import filter_image, to_gray
from .stepping import format_number

#: inputs and outputs larger than this are turned into bytes for drawing in the worker
LARGE_PIXELS = 1_000_000


@dataclass(frozen=True)
class ComputedOutput:
    """An output and the settings it was computed with (so it is placed as it was computed)."""

    values: np.ndarray
    image_hw: tuple[int, int]
    kernel_hw: tuple[int, int]
    padding: object
    stride: tuple[int, int]
    dilation: tuple[int, int]
    auto_levels: tuple[float, float]
    display: np.ndarray | None = None  # large outputs: uint8 of ``values`` at ``auto_levels``, to draw as is
    scale: str = "auto"                # the scale ``auto_levels`` were chosen for


def compute_output(image: np.ndarray, kernel: np.ndarray, kwargs: dict, scale: str = "auto") -> ComputedOutput:
    """:func:`~convviz.model.filter_image` with a snapshot of the document, the automatic display
    levels for ``scale`` (see :data:`convviz.model.colour.SCALES`) and, for a large output, its bytes
    at those levels (so the view need not rescale it)."""
    values = filter_image(image, kernel, **kwargs)
    values.flags.writeable = False
    levels = display_levels(values, scale=scale)
    large = values.shape[0] * values.shape[1] > LARGE_PIXELS
    return ComputedOutput(values, image.shape[:2], kernel.shape, kwargs["padding"], kwargs["stride"],
                          kwargs["dilation"], levels, scale_to_bytes(values, levels) if large else None, scale)


def decode_image(path) -> np.ndarray:
    """Decode ``path`` and make it read-only as the document stores it (no second copy)."""
    from convviz.io import load_image  # noqa: PLC0415 - io imports model; keep the model importable alone

    from .document import document_image

    return document_image(load_image(path), take=True)


@dataclass(frozen=True)
class PreparedInput:
    """The input as the view shows it: its values and, for large images, their bytes to draw."""

    image: np.ndarray              # the document's image it was made from (compared by identity)
    gray: bool
    values: np.ndarray             # (H, W) or (H, W, 3), 0–255
    display: np.ndarray | None     # uint8 of ``values`` (drawn without rescaling), or None


def prepare_input(image: np.ndarray, gray: bool, *, display: bool = True) -> PreparedInput:
    """The shown input (luminance when ``gray``) and, if ``display``, its bytes."""
    values = to_gray(image) if (gray and image.ndim == 3) else image
    return PreparedInput(image, gray, values, scale_to_bytes(values, (0.0, 255.0)) if display else None)


def output_display(values, auto_levels, *, colormap: str | None, clip: bool,
                   levels: tuple[float, float] | None, scale: str = "auto") -> tuple[tuple[float, float], str]:
    """Levels and colour-map name for ``values`` with the user's choices.

    ``levels`` (manual) win; else ``clip`` gives 0–255; else ``auto_levels`` (``display_levels(values,
    scale=scale)``, computed in the worker). ``colormap`` None picks the diverging map for signed levels,
    grey otherwise.
    """
    if levels:
        chosen = (float(levels[0]), float(levels[1]))
    elif clip or auto_levels is None:
        chosen = display_levels(values, clip_to_image_range=clip, scale=scale)
    else:
        chosen = (float(auto_levels[0]), float(auto_levels[1]))
    name = colormap or (DEFAULT_DIVERGING if chosen[0] < 0 else DEFAULT_SEQUENTIAL)
    return chosen, name


def describe_values(values, index) -> str:
    """The value (or the channel values) at ``index`` as text: ``12.5`` or ``(1, 2, 3)``."""
    v = values[index]
    if np.ndim(v) == 0:
        return format_number(float(v))
    return "(" + ", ".join(format_number(float(c)) for c in v) + ")"
