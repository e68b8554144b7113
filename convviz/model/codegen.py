""""Copy as code": Python snippets that reproduce a document's output outside the app.

Two snippets from the same document state (``ConvDocument.state()``):

* :func:`convviz_snippet` — with :func:`convviz.model.filter_image`, the function the app uses;
* :func:`pytorch_snippet` — with ``torch.nn.functional.conv2d``, padding done explicitly by
  ``F.pad`` (so ``"same"`` with an even kernel, and reflect/replicate/circular borders, match
  exactly), the kernel flipped with ``torch.flip`` for true convolution, and a colour image
  filtered channel by channel (the channels become the batch).

Both leave the result in a variable named ``output`` (``(H', W')`` or ``(H', W', 3)``, float64),
equal to ``ConvDocument.compute()``. Pure text generation: no Qt, no torch import here.

The image is written inline when it is small (at most :data:`MAX_INLINE_PIXELS` values), or read
from ``image_source`` (``{"path": file}`` or ``{"sample": name}``, as in session files).
"""

from __future__ import annotations

import math

import numpy as np

from .filtering import LUMA_WEIGHTS
from .shapes import padding_amounts

__all__ = ["MAX_INLINE_PIXELS", "convviz_snippet", "pytorch_snippet"]

#: images with at most this many values (64×64×3) are written into the snippet
MAX_INLINE_PIXELS = 64 * 64 * 3

_TORCH_PAD_MODE = {"zeros": "constant", "reflect": "reflect", "replicate": "replicate", "circular": "circular"}


def _num(v: float) -> str:
    """A float as the shortest text that reads back to the same value (``60``, ``0.1111111111111111``)."""
    v = float(v)
    if not math.isfinite(v):
        raise ValueError("Cannot write a value that is not finite into a code snippet.")
    if v.is_integer() and abs(v) < 2 ** 53:
        return str(int(v)) if not (v == 0 and math.copysign(1.0, v) < 0) else "-0.0"
    return repr(v)


def _nested(a: np.ndarray, indent: int) -> str:
    """A 1–3-D array as a Python list literal, one row per line."""
    if a.ndim == 1:
        return "[" + ", ".join(_num(v) for v in a) + "]"
    pad = " " * (indent + 1)
    inner = (",\n" + pad).join(_nested(sub, indent + 1) for sub in a)
    return "[" + inner + "]"


def _array(name: str, a: np.ndarray) -> str:
    prefix = f"{name} = np.array("
    return prefix + _nested(np.asarray(a, dtype=np.float64), len(prefix)) + ", dtype=np.float64)"


def _pair_text(value) -> str:
    if isinstance(value, str):
        return repr(value)
    a, b = (int(v) for v in value)
    return f"({a}, {b})"


def _image_lines(state: dict, image_source: dict | None, *, torch: bool) -> list[str]:
    image = np.asarray(state["image"], dtype=np.float64)
    if image.size <= MAX_INLINE_PIXELS and (image_source is None or "grid" in image_source
                                            or "preset_grid" in image_source):
        return [_array("image", image)]
    if image_source is None or not ({"path", "sample"} & set(image_source)):
        raise ValueError("This image is too large to write into the snippet and has no file to refer to; "
                         "save it as an image file first.")
    if "sample" in image_source:
        where = f'resource_path("images", {image_source["sample"]!r})'
        lines = ["from convviz.paths import resource_path"]
    else:
        where = repr(str(image_source["path"]))
        lines = []
    if torch:
        mode = "RGB" if image.ndim == 3 else "L"
        return lines + ["from PIL import Image",
                        "# convviz reads 16-bit and transparent files as convviz.io.load_image does",
                        f"image = np.asarray(Image.open({where}).convert({mode!r}), dtype=np.float64)"]
    return lines + ["from convviz.io import load_image", f"image = load_image({where})"]


def convviz_snippet(state: dict, image_source: dict | None = None) -> str:
    """Python code computing the document's output with :func:`convviz.model.filter_image`."""
    lines = ["import numpy as np", "from convviz.model import filter_image", ""]
    lines += _image_lines(state, image_source, torch=False)
    lines.append(_array("kernel", state["kernel"]))
    lines.append("")
    lines.append("output = filter_image(")
    lines.append(f"    image, kernel, padding={_pair_text(state['padding'])}, stride={_pair_text(state['stride'])},")
    lines.append(f"    dilation={_pair_text(state['dilation'])}, padding_mode={state['padding_mode']!r},")
    lines.append(f"    flip={bool(state['flip'])!r},  # True: true convolution (kernel flipped)")
    lines.append(f"    gray={bool(state['gray'])!r},  # True: convert a colour image to luminance first")
    lines.append(")")
    lines.append("print(output)")
    return "\n".join(lines) + "\n"


def pytorch_snippet(state: dict, image_source: dict | None = None) -> str:
    """Python code computing the document's output with PyTorch (``F.pad`` + ``F.conv2d``)."""
    kernel = np.asarray(state["kernel"], dtype=np.float64)
    top, bottom, left, right = padding_amounts(kernel.shape, state["padding"], dilation=state["dilation"])
    mode = state["padding_mode"]
    image = np.asarray(state["image"])
    gray = bool(state["gray"]) and image.ndim == 3
    lines = ["import numpy as np", "import torch", "import torch.nn.functional as F", ""]
    lines += _image_lines(state, image_source, torch=True)
    lines.append(_array("kernel", kernel))
    lines.append("")
    if gray:
        r, g, b = LUMA_WEIGHTS
        lines.append(f"image = {r!r} * image[:, :, 0] + {g!r} * image[:, :, 1] + {b!r} * image[:, :, 2]"
                     "  # luminance")
    lines.append("x = torch.from_numpy(image)")
    lines.append("# the channels (or the single grey plane) become the batch: (N, 1, H, W)")
    lines.append("x = x.permute(2, 0, 1).unsqueeze(1) if x.ndim == 3 else x[None, None]")
    lines.append("w = torch.from_numpy(kernel)[None, None]  # (1, 1, KH, KW)")
    if state["flip"]:
        lines.append("w = torch.flip(w, dims=(2, 3))  # true convolution flips the kernel; conv2d does not")
    if (top, bottom, left, right) != (0, 0, 0, 0):
        pad_mode = _TORCH_PAD_MODE[mode]
        extra = ", value=0.0" if pad_mode == "constant" else ""
        lines.append(f"# padding {_pair_text(state['padding'])} = {top} top, {bottom} bottom, "
                     f"{left} left, {right} right ({mode})")
        lines.append(f"x = F.pad(x, ({left}, {right}, {top}, {bottom}), mode={pad_mode!r}{extra})")
    lines.append(f"y = F.conv2d(x, w, stride={_pair_text(state['stride'])}, "
                 f"dilation={_pair_text(state['dilation'])})")
    lines.append("y = y[:, 0]  # (N, H', W')")
    lines.append("output = (y.permute(1, 2, 0) if y.shape[0] > 1 else y[0]).numpy()")
    lines.append("print(output)")
    return "\n".join(lines) + "\n"
