"""Kernel files: JSON (readable, hand-editable) and NumPy ``.npy``.

JSON format (UTF-8)::

    {
      "format": "convviz-kernel",
      "version": 1,
      "name": "Sobel x",
      "kernel": [
        [-1, 0, 1],
        [-2, 0, 2],
        [-1, 0, 1]
      ]
    }

``kernel`` is a list of rows, row-major like the image: ``kernel[r][c]`` is the
weight at row ``r``, column ``c`` of a ``(KH, KW)`` kernel. ``name`` is optional;
``format`` and ``version`` may be left out of a hand-written file, but when
present must be ``"convviz-kernel"`` and ``1``; other keys are ignored. A bare
nested list such as ``[[1, 0], [0, 2]]`` is read too. Values must be finite
numbers (no strings, ``true``/``false``, ``null``, ``NaN`` or ``Infinity``), rows
must all have the same length, and each side is 1 to :data:`MAX_KERNEL_SIDE`.

``.npy`` files hold a real numeric array (integers or floats) of shape
``(KH, KW)``; they are read with ``allow_pickle=False``, so a file holding Python
objects is refused without being unpickled.

With ``allow_channels=True`` both formats may also hold a ``(KH, KW, C)`` kernel
(``C`` up to :data:`MAX_KERNEL_CHANNELS`; in JSON each cell is then a list of
``C`` numbers), which the model sums over the channels of a colour image.

Which format a file is in is decided by its contents, not its name. Every problem
raises :class:`KernelFileError` (a ``ValueError``) whose message is one sentence
naming the file.
"""

from __future__ import annotations

import io
import json
import math
import os
from pathlib import Path
from typing import NamedTuple

import numpy as np

from ..model import limits
from ._files import JSONFileProblem, OutputFileError, atomic_write, input_problem, parse_json_bytes

__all__ = [
    "KERNEL_FILE_FILTER", "KERNEL_FORMAT", "KERNEL_FORMAT_VERSION", "MAX_KERNEL_CHANNELS",
    "MAX_KERNEL_SIDE", "KernelFile", "KernelFileError", "load_kernel", "read_kernel_file", "save_kernel",
]

MAX_KERNEL_SIDE = limits.MAX_KERNEL_SIDE
"""Largest kernel side (rows or columns) a kernel file may hold (:mod:`convviz.model.limits`)."""

MAX_KERNEL_CHANNELS = limits.MAX_KERNEL_CHANNELS
"""Largest channel count of a ``(KH, KW, C)`` kernel file."""

KERNEL_FORMAT = "convviz-kernel"
KERNEL_FORMAT_VERSION = 1

KERNEL_FILE_FILTER = "Kernels (*.json *.npy)"
"""A Qt file-dialog filter for kernel files, as a plain string."""

_MAX_FILE_BYTES = limits.MAX_FILE_BYTES["kernel"]  # a 15×15×4 kernel is a few kB in either format
_NPY_MAGIC = b"\x93NUMPY"


class KernelFileError(ValueError):
    """A kernel file cannot be used; ``str()`` is one sentence naming the file.

    ``path`` is the file as given and ``reason`` what is wrong with it.
    """

    def __init__(self, path, reason: str):
        self.path = os.fspath(path)
        self.reason = reason
        super().__init__(f"cannot use kernel file {self.path!r}: {reason}")

    def __reduce__(self):
        return (type(self), (self.path, self.reason))


class KernelFile(NamedTuple):
    """What a kernel file holds: ``kernel`` float64 ``(KH, KW)`` (or ``(KH, KW, C)``) and ``name`` or None."""

    kernel: np.ndarray
    name: str | None


class _Bad(Exception):
    """Internal: a reason why the contents are unusable (becomes KernelFileError)."""


def load_kernel(path, *, allow_channels: bool = False) -> np.ndarray:
    """Read a kernel file (JSON or ``.npy``) as a float64 ``(KH, KW)`` array.

    With ``allow_channels=True`` a ``(KH, KW, C)`` kernel is accepted too.
    Raises :class:`KernelFileError` for any unusable file.
    """
    return read_kernel_file(path, allow_channels=allow_channels).kernel


def read_kernel_file(path, *, allow_channels: bool = False) -> KernelFile:
    """Read a kernel file; returns :class:`KernelFile` ``(kernel, name)``.

    ``name`` is the JSON file's optional ``"name"``; ``None`` for ``.npy`` files.
    """
    problem = input_problem(path)
    if problem is not None:
        raise KernelFileError(path, problem)
    try:
        size = os.path.getsize(path)
        if size > _MAX_FILE_BYTES:
            raise _Bad(f"it is {size:,} bytes, far too large for a kernel of at most "
                       f"{MAX_KERNEL_SIDE}×{MAX_KERNEL_SIDE}")
        with open(path, "rb") as fh:
            data = fh.read(_MAX_FILE_BYTES + 1)
        if data.startswith(_NPY_MAGIC):
            return KernelFile(_parse_npy(data, allow_channels), None)
        return _parse_json(data, allow_channels)
    except _Bad as exc:
        raise KernelFileError(path, str(exc)) from None
    except PermissionError:
        raise KernelFileError(path, "permission denied") from None
    except OSError as exc:
        raise KernelFileError(path, exc.strerror or "it cannot be read") from None


_NOT_A_KERNEL_FILE = ("it is neither a JSON kernel file (a list of rows such as [[0, 1], [1, 0]]) "
                      "nor a NumPy .npy file")


def _parse_json(data: bytes, allow_channels: bool) -> KernelFile:
    try:  # nesting, long numbers, 1e400 and NaN/Infinity: the shared reader (convviz.model.limits)
        doc = parse_json_bytes(data)
    except JSONFileProblem as exc:
        if exc.syntax and not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith((b"[", b"{")):
            raise _Bad(_NOT_A_KERNEL_FILE) from None  # e.g. a CSV or text table of numbers, or binary data
        raise _Bad(str(exc)) from None

    name = None
    if isinstance(doc, dict):
        fmt = doc.get("format", KERNEL_FORMAT)
        if fmt != KERNEL_FORMAT:
            raise _Bad(f"its \"format\" is {fmt!r}, not {KERNEL_FORMAT!r}")
        version = doc.get("version", KERNEL_FORMAT_VERSION)
        if isinstance(version, bool) or not isinstance(version, int):
            raise _Bad(f"its \"version\" must be the number {KERNEL_FORMAT_VERSION}, not {version!r}")
        if version != KERNEL_FORMAT_VERSION:
            raise _Bad(f"it is format version {version}, and this convviz reads version "
                       f"{KERNEL_FORMAT_VERSION}; update convviz")
        if "kernel" not in doc:
            raise _Bad("it has no \"kernel\" entry (a list of rows such as [[0, 1], [1, 0]])")
        name = doc.get("name")
        if name is not None and not isinstance(name, str):
            raise _Bad("its \"name\" must be text")
        doc = doc["kernel"]
    elif not isinstance(doc, list):
        raise _Bad("it must hold a list of rows such as [[0, 1], [1, 0]], "
                   "or an object with a \"kernel\" entry")
    return KernelFile(_nested_to_array(doc, allow_channels), name)


def _describe(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, str):
        return json.dumps(value if len(value) <= 20 else value[:20] + "…", ensure_ascii=False)
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return repr(value)


def _number(value, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _Bad(f"{where} is {_describe(value)}, not a number")
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise _Bad(f"{where} is too large to be a finite number")
    return number


def _nested_to_array(doc, allow_channels: bool) -> np.ndarray:
    """Validate a JSON list of rows and turn it into float64 (KH, KW) or (KH, KW, C)."""
    example = "[[0, 1], [1, 0]]"
    if not isinstance(doc, list):
        raise _Bad(f"\"kernel\" must be a list of rows such as {example}, not {_describe(doc)}")
    if not doc:
        raise _Bad("the kernel is empty")
    if not all(isinstance(row, list) for row in doc):
        if not any(isinstance(row, list) for row in doc):
            raise _Bad(f"the kernel must be 2-D, a list of rows such as {example}; "
                       f"a single row is written [[1, 2, 3]]")
        bad = next(i for i, row in enumerate(doc) if not isinstance(row, list))
        raise _Bad(f"row {bad + 1} is {_describe(doc[bad])}, not a list of numbers")
    kh, kw = len(doc), len(doc[0])
    for r, row in enumerate(doc):
        if len(row) != kw:
            raise _Bad(f"row {r + 1} has {len(row)} values but row 1 has {kw}; "
                       "every row must have the same length")
    if kw == 0:
        raise _Bad("the kernel's rows are empty")
    if kh > MAX_KERNEL_SIDE or kw > MAX_KERNEL_SIDE:
        raise _Bad(f"the kernel is {kh}×{kw}, and kernels are at most {MAX_KERNEL_SIDE}×{MAX_KERNEL_SIDE}")

    cells_are_lists = isinstance(doc[0][0], list)
    if not cells_are_lists:
        return np.array([[_number(v, f"row {r + 1}, column {c + 1}") for c, v in enumerate(row)]
                         for r, row in enumerate(doc)], dtype=np.float64)
    if not allow_channels:
        raise _Bad(f"the kernel must be 2-D (a list of rows of numbers such as {example}), "
                   "but its cells are lists")
    nc = len(doc[0][0])
    out = np.empty((kh, kw, max(nc, 1)), dtype=np.float64)
    for r, row in enumerate(doc):
        for c, cell in enumerate(row):
            where = f"row {r + 1}, column {c + 1}"
            if not isinstance(cell, list):
                raise _Bad(f"{where} is {_describe(cell)}, but the other cells are lists of channel values")
            if len(cell) != nc:
                raise _Bad(f"{where} has {len(cell)} channel values but row 1, column 1 has {nc}; "
                           "every cell must have the same number")
            for ch, v in enumerate(cell):
                out[r, c, ch] = _number(v, f"{where}, channel {ch + 1}")
    if nc == 0:
        raise _Bad("the kernel's cells are empty")
    if nc > MAX_KERNEL_CHANNELS:
        raise _Bad(f"the kernel has {nc} channels, and kernels have at most {MAX_KERNEL_CHANNELS}")
    return out


def _check_shape(shape: tuple, allow_channels: bool) -> None:
    dims = "×".join(str(n) for n in shape) if shape else "a single number"
    wanted = "(KH, KW) or (KH, KW, C)" if allow_channels else "2-D (KH, KW)"
    if len(shape) != 2 and not (allow_channels and len(shape) == 3):
        raise _Bad(f"it holds a {len(shape)}-D array ({dims}), but a kernel must be {wanted}")
    if 0 in shape:
        raise _Bad(f"the kernel is empty ({dims})")
    if shape[0] > MAX_KERNEL_SIDE or shape[1] > MAX_KERNEL_SIDE:
        raise _Bad(f"the kernel is {dims}, and kernels are at most {MAX_KERNEL_SIDE}×{MAX_KERNEL_SIDE}")
    if len(shape) == 3 and shape[2] > MAX_KERNEL_CHANNELS:
        raise _Bad(f"the kernel has {shape[2]} channels, and kernels have at most {MAX_KERNEL_CHANNELS}")


def _parse_npy(data: bytes, allow_channels: bool) -> np.ndarray:
    fh = io.BytesIO(data)
    try:
        version = np.lib.format.read_magic(fh)
        if version == (1, 0):
            shape, _, dtype = np.lib.format.read_array_header_1_0(fh)
        elif version in ((2, 0), (3, 0)):  # 3.0 is 2.0 with a UTF-8 header
            shape, _, dtype = np.lib.format.read_array_header_2_0(fh)
        else:
            raise _Bad(f"it is a NumPy .npy file of format version {version[0]}.{version[1]}, which this "
                       f"convviz does not read; save it with numpy.save")
    except (ValueError, OSError, EOFError, SyntaxError):
        raise _Bad("it is not a valid NumPy .npy file (its header is damaged)") from None
    # checked from the header, before np.load allocates the array it describes
    _check_dtype(dtype)
    _check_shape(shape, allow_channels)
    fh.seek(0)
    try:
        arr = np.load(fh, allow_pickle=False)
    except ValueError as exc:
        if "allow_pickle" in str(exc):
            raise _Bad("it holds Python objects, which convviz never unpickles; "
                       "save a numeric array instead") from None
        raise _Bad("the .npy file is truncated or damaged") from None
    except (OSError, EOFError):
        raise _Bad("the .npy file is truncated or damaged") from None
    if not isinstance(arr, np.ndarray):
        raise _Bad("it is not a single NumPy array")
    _check_dtype(arr.dtype)
    _check_shape(arr.shape, allow_channels)
    values = arr.astype(np.float64)
    if not np.isfinite(values).all():
        raise _Bad("it contains NaN or infinite values, but kernel values must be finite numbers")
    return values


def _check_dtype(dtype: np.dtype) -> None:
    if dtype.hasobject:
        raise _Bad("it holds Python objects, which convviz never unpickles; save a numeric array instead")
    if dtype.kind == "b":
        raise _Bad("it holds true/false values, but kernel values must be numbers")
    if dtype.kind == "c":
        raise _Bad("it holds complex numbers, but kernel values must be real numbers")
    if dtype.kind not in "iuf":
        raise _Bad(f"it holds values of type {dtype}, but kernel values must be numbers")


def _validate_kernel(kernel, allow_channels: bool = True) -> np.ndarray:
    arr = np.asarray(kernel)
    if arr.dtype.kind not in "iuf" or arr.dtype.hasobject:
        raise ValueError(f"a kernel must hold real numbers, not {arr.dtype}.")
    try:
        _check_shape(arr.shape, allow_channels)
    except _Bad as exc:
        raise ValueError(f"cannot save this kernel: {exc}.") from None
    arr = arr.astype(np.float64)
    if not np.isfinite(arr).all():
        raise ValueError("cannot save this kernel: it contains NaN or infinite values.")
    return arr


def _json_number(v: float) -> int | float:
    """Whole numbers as ints (``1`` rather than ``1.0``), except ``-0.0``; others exact via repr."""
    if v.is_integer() and abs(v) < 2 ** 53 and not (v == 0 and math.copysign(1.0, v) < 0):
        return int(v)
    return v


def _kernel_json(kernel: np.ndarray, name: str | None) -> str:
    """The documented JSON layout, one kernel row per line."""
    lines = [f'  "format": {json.dumps(KERNEL_FORMAT)}', f'  "version": {KERNEL_FORMAT_VERSION}']
    if name is not None:
        lines.append(f'  "name": {json.dumps(name, ensure_ascii=False)}')
    rows = ",\n".join("    " + json.dumps(_to_lists(row)) for row in kernel)
    lines.append('  "kernel": [\n' + rows + "\n  ]")
    return "{\n" + ",\n".join(lines) + "\n}\n"


def _to_lists(a: np.ndarray):
    if a.ndim == 0:
        return _json_number(float(a))
    return [_to_lists(x) for x in a]


def save_kernel(path, kernel, *, name: str | None = None) -> Path:
    """Write ``kernel`` ((KH, KW) or (KH, KW, C), finite) to ``path`` by its extension.

    ``.json`` writes the documented JSON format (with ``name`` when given);
    ``.npy`` writes a float64 array (``name`` is not stored). The file is written
    to a temporary file and renamed, so it appears whole or not at all.
    A bad kernel raises ``ValueError``; a bad destination :class:`OutputFileError`.
    """
    if name is not None and not isinstance(name, str):
        raise TypeError(f"name must be a str or None, not {type(name).__name__}.")
    arr = _validate_kernel(kernel)
    suffix = Path(os.fspath(path)).suffix.lower()
    if suffix == ".json":
        payload = _kernel_json(arr, name).encode("utf-8")
        return atomic_write(path, lambda fh: fh.write(payload))
    if suffix == ".npy":
        return atomic_write(path, lambda fh: np.save(fh, arr, allow_pickle=False))
    raise OutputFileError(path, "kernel files must end in .json or .npy")
