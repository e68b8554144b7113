"""The JSON form of a document's state, shared by session files and lesson slides.

A document state is a JSON object whose keys are :class:`~convviz.model.ConvDocument`
fields (all optional in a lesson slide, where only what changes is given)::

    {
      "image":   {"sample": "shapes.png"}            a bundled sample image
               | {"path": "photos/cat.jpg"}          an image file (relative to the JSON file)
               | {"grid": [[0, 10], [20, 30]]}       numbers typed in (at most 64×64, MAX_GRID_SIDE)
               | {"preset_grid": "lecture_4x4"}      the lecture's 4×4 example,
      "image_name": "cat.jpg",
      "kernel": [[1, 0], [0, 2]]  or  "sobel_x" (a preset key),   (at most 15×15)
      "preset": "sobel_x" | null,
      "padding": "valid" | "same" | "full" | [ph, pw],       (at most 64 per side)
      "stride": 1 | [sh, sw],  "dilation": 1 | [dh, dw],     (at most 16 and 8)
      "padding_mode": "zeros" | "reflect" | "replicate" | "circular",
      "flip": false,  "gray": false
    }

:func:`parse_document_state` turns it into keyword arguments for
``ConvDocument.apply`` (arrays loaded, names checked) or raises :class:`StateError`
with a sentence that says where the problem is.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from ..model.limits import (
    MAX_ARGUMENT,
    MAX_GRID_SIDE,
    MAX_KERNEL_SIDE,
    check_dilation,
    check_padding,
    check_stride,
)

__all__ = ["LECTURE_INPUT", "LECTURE_KERNEL", "MAX_GRID_SIDE", "PRESET_GRIDS", "StateError",
           "check_document_state", "document_state_to_json", "parse_document_state", "simple_value"]

#: the lecture's worked example (DESIGN §1): input and kernel
LECTURE_INPUT = ((0, 10, 10, 0), (20, 30, 30, 20), (10, 20, 20, 10), (0, 5, 5, 0))
LECTURE_KERNEL = ((1, 0), (0, 2))
PRESET_GRIDS = {"lecture_4x4": LECTURE_INPUT, "lecture_kernel_2x2": LECTURE_KERNEL}

_FIELDS = ("image", "image_name", "kernel", "preset", "padding", "stride", "dilation", "padding_mode", "flip",
           "gray")


class StateError(ValueError):
    """A document state in a session or lesson file is malformed; ``str()`` says where and why."""


def _grid(value, where: str, *, max_side: int) -> np.ndarray:
    if not isinstance(value, list) or not value or not all(isinstance(r, list) for r in value):
        raise StateError(f"{where} must be a list of rows of numbers, e.g. [[1, 0], [0, 2]].")
    width = len(value[0])
    if width == 0 or any(len(r) != width for r in value):
        raise StateError(f"{where}: every row must have the same number of values (at least one).")
    if len(value) > max_side or width > max_side:
        raise StateError(f"{where} is {len(value)}×{width}; at most {max_side}×{max_side} is allowed.")
    for r in value:
        for v in r:
            if not _finite_number(v):
                raise StateError(f"{where} holds {_shown(v)}; every value must be a finite number.")
    return np.array(value, dtype=np.float64)


def _finite_number(v) -> bool:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return False
    try:
        return math.isfinite(v)
    except OverflowError:  # an int too large for a float
        return False


def _shown(v) -> str:
    text = repr(v)
    return text if len(text) <= 30 else text[:20] + "…"


def simple_value(value) -> bool:
    """A panel setting in a session's ``view`` or a lesson slide's ``settings``: ``None``, text, a bool,
    a finite number (whole numbers within ±(2^31 − 1), what a Qt widget holds) or a list of these."""
    if value is None or isinstance(value, (str, bool)):
        return True
    if isinstance(value, int):
        return -MAX_ARGUMENT - 1 <= value <= MAX_ARGUMENT
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, list) and all(simple_value(v) for v in value)


def _pair(value, where: str, minimum: int, check) -> tuple[int, int]:
    if isinstance(value, int) and not isinstance(value, bool):
        value = [value, value]
    if (not isinstance(value, list) or len(value) != 2
            or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)):
        raise StateError(f"{where} must be an integer or a pair of integers.")
    if min(value) < minimum:
        raise StateError(f"{where} must be at least {minimum}.")
    pair = (value[0], value[1])
    try:
        check(pair, what=where)
    except ValueError as exc:
        raise StateError(str(exc)) from None
    return pair


def _image_entry(value, where: str) -> tuple[str, object]:
    """The checked ``(kind, argument)`` of an image entry, without reading any file."""
    if not isinstance(value, dict) or len(value) != 1:
        raise StateError(f"{where} must be one of {{'sample': name}}, {{'path': file}}, {{'grid': rows}} "
                         f"or {{'preset_grid': name}}.")
    (kind, arg), = value.items()
    if kind == "grid":
        _grid(arg, where, max_side=MAX_GRID_SIDE)
    elif kind == "preset_grid":
        if not isinstance(arg, str) or arg not in PRESET_GRIDS:
            raise StateError(f"{where}: unknown preset grid {_shown(arg)}; use one of {', '.join(PRESET_GRIDS)}.")
    elif kind in ("sample", "path"):
        if not isinstance(arg, str) or not arg:
            raise StateError(f"{where}: the {kind} must be a non-empty string.")
        if kind == "sample" and ("/" in arg or "\\" in arg or arg.startswith(".")):
            raise StateError(f"{where}: {_shown(arg)} is not a sample image name.")
        if "\0" in arg:
            raise StateError(f"{where}: the {kind} holds a NUL character, which no file name has.")
    else:
        raise StateError(f"{where}: unknown image kind {_shown(kind)}; use sample, path, grid or preset_grid.")
    return kind, arg


def _image(value, where: str, base_dir: Path | None) -> tuple[np.ndarray, str]:
    from .images import load_image  # noqa: PLC0415 - keeps Pillow out of plain state checks

    kind, arg = _image_entry(value, where)
    if kind == "grid":
        return _grid(arg, where, max_side=MAX_GRID_SIDE), "typed grid"
    if kind == "preset_grid":
        return np.array(PRESET_GRIDS[str(arg)], dtype=np.float64), "lecture 4×4 example"
    assert isinstance(arg, str)
    if kind == "sample":
        from convviz.paths import resource_path

        path = resource_path("images", arg)
    else:
        path = Path(arg).expanduser()
        if not path.is_absolute() and base_dir is not None:
            path = base_dir / path
    try:
        return load_image(path, as_uint8=True), Path(arg).name   # 8-bit stays uint8 (a 12 MP photo: 36 MB)
    except ValueError as exc:  # ImageFileError
        raise StateError(f"{where}: {exc}") from None


def check_document_state(obj, *, where: str = "document", partial: bool = False) -> dict:
    """Check the JSON form (see the module docstring) against the limits of :mod:`convviz.model.limits`
    and return the keyword arguments for ``ConvDocument.apply`` *without* the image: the image entry is
    checked, but no file is read. :class:`StateError` with a sentence that says where the problem is.
    """
    from convviz.model import PRESETS
    from convviz.model._args import PADDING_MODES

    if not isinstance(obj, dict):
        raise StateError(f"{where} must be a JSON object.")
    unknown = sorted(set(obj) - set(_FIELDS))
    if unknown:
        raise StateError(f"{where} has unknown field(s) {', '.join(_shown(u) for u in unknown[:5])}; "
                         f"known fields are {', '.join(_FIELDS)}.")
    if not partial:
        missing = [name for name in ("image", "kernel") if name not in obj]
        if missing:
            raise StateError(f"{where} lacks {' and '.join(missing)}.")
    out: dict = {}
    if "image" in obj:
        _image_entry(obj["image"], f"{where}.image")
    if "image_name" in obj:
        if not isinstance(obj["image_name"], str):
            raise StateError(f"{where}.image_name must be a string.")
        out["image_name"] = obj["image_name"]
    if "kernel" in obj:
        k = obj["kernel"]
        if isinstance(k, str):
            if k not in PRESETS:
                raise StateError(f"{where}.kernel: unknown preset {_shown(k)}.")
            out["kernel"] = np.array(PRESETS[k].kernel)
            out.setdefault("preset", k)
        else:
            out["kernel"] = _grid(k, f"{where}.kernel", max_side=MAX_KERNEL_SIDE)
            out.setdefault("preset", None)
    if "preset" in obj:
        p = obj["preset"]
        if p is not None and (not isinstance(p, str) or p not in PRESETS):
            raise StateError(f"{where}.preset: unknown preset {_shown(p)}.")
        out["preset"] = p
    if "padding" in obj:
        p = obj["padding"]
        if isinstance(p, str):
            if p not in ("valid", "same", "full"):
                raise StateError(f"{where}.padding must be valid, same, full or [ph, pw], not {_shown(p)}.")
            out["padding"] = p
        else:
            out["padding"] = _pair(p, f"{where}.padding", 0, check_padding)
    if "stride" in obj:
        out["stride"] = _pair(obj["stride"], f"{where}.stride", 1, check_stride)
    if "dilation" in obj:
        out["dilation"] = _pair(obj["dilation"], f"{where}.dilation", 1, check_dilation)
    if "padding_mode" in obj:
        if not isinstance(obj["padding_mode"], str) or obj["padding_mode"] not in PADDING_MODES:
            raise StateError(f"{where}.padding_mode must be one of {', '.join(PADDING_MODES)}.")
        out["padding_mode"] = obj["padding_mode"]
    for name in ("flip", "gray"):
        if name in obj:
            if not isinstance(obj[name], bool):
                raise StateError(f"{where}.{name} must be true or false.")
            out[name] = obj[name]
    return out


def parse_document_state(obj, *, where: str = "document", base_dir=None, partial: bool = False) -> dict:
    """Keyword arguments for ``ConvDocument.apply`` from the JSON form (see the module docstring).

    ``partial`` allows missing fields (lesson slides); otherwise ``image`` and ``kernel`` are required.
    Everything is checked first (:func:`check_document_state`); then the image file, if any, is loaded
    (a path is relative to ``base_dir``).
    """
    out = check_document_state(obj, where=where, partial=partial)
    if "image" not in obj:
        return out
    base = Path(base_dir) if base_dir is not None else None
    image, name = _image(obj["image"], f"{where}.image", base)
    return {"image": image, "image_name": out.pop("image_name", name), **out}


def document_state_to_json(state: dict, image_source: dict | None = None) -> dict:
    """The JSON form of ``ConvDocument.state()``.

    ``image_source`` says where the image came from (``{"path": ...}`` or ``{"sample": ...}``);
    without it (or for images of at most 64×64 grey pixels) the numbers are stored inline as a grid.
    """
    image = np.asarray(state["image"])
    if image_source is None or (image.ndim == 2 and max(image.shape) <= MAX_GRID_SIDE and "grid" in (
            image_source or {})):
        if image.ndim != 2 or max(image.shape) > MAX_GRID_SIDE:
            raise StateError("This image has no file to refer to and is too large to store inline; "
                             "save it as an image file first.")
        image_json = {"grid": image.tolist()}
    else:
        image_json = dict(image_source)
    padding = state["padding"]
    return {
        "image": image_json,
        "image_name": state.get("image_name", ""),
        "kernel": np.asarray(state["kernel"]).tolist(),
        "preset": state.get("preset"),
        "padding": padding if isinstance(padding, str) else list(padding),
        "stride": list(state["stride"]),
        "dilation": list(state["dilation"]),
        "padding_mode": state["padding_mode"],
        "flip": bool(state["flip"]),
        "gray": bool(state["gray"]),
    }
