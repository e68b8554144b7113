"""Filter-bank files (JSON) and feature-map exports (PNG folder, ``.npy``).

JSON format (UTF-8), version 1::

    {
      "format": "convviz-bank",
      "version": 1,
      "layers": [
        {
          "activation": "relu",                 // "none" | "relu" | "sigmoid" | "tanh"
          "padding": "same",                    // "valid" | "same" | "full" | [ph, pw]
          "stride": [1, 1],
          "dilation": [1, 1],
          "padding_mode": "zeros",              // "zeros" | "reflect" | "replicate" | "circular"
          "filters": [
            {
              "name": "sobel_x",
              "bias": 0.0,
              "slices": [                       // one K×K slice per input channel (C_in of them)
                [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]],
                [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]],
                [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]
              ]
            }
          ]
        }
      ]
    }

``slices[c][r][k]`` is the weight at row ``r``, column ``k`` applied to input
channel ``c``: the HWIO array of a layer is ``weights[r, k, c, o]`` with ``o`` the
filter's position in ``filters``. Every filter of a layer has the same number of
slices and the same K×K (1–15 a side); layer ``i`` has as many slices per filter
as layer ``i − 1`` has filters; 1–256 filters per layer, 1–8 layers, at most
1,000,000 weights in all, padding ≤ 64, stride ≤ 16, dilation ≤ 8 (the limits of
:mod:`convviz.model.limits`; the file is at most 48 MiB, which holds the largest legal
bank, and a session holding it stays under the session limit). Numbers
must be finite (no strings, booleans, ``null``, ``NaN`` or ``Infinity``);
``name`` and ``bias`` may be left out (``"filter N"``, ``0``), the settings too
(``relu``, ``same``, 1, 1, ``zeros``); unknown keys are ignored. The first
layer's padding, stride, dilation and mode are stored, but the panel slides the
first layer as the main window does.

Every problem raises :class:`BankFileError` (a ``ValueError``) whose message is
one sentence naming the file; reading never changes anything. Writes are atomic
(a temporary file, then :func:`os.replace`); ``.npy`` is written with
``allow_pickle=False``.
"""

from __future__ import annotations

import json
import math
import os
import re
from pathlib import Path

import numpy as np

from ..model import limits
from ..model.bank import (
    ACTIVATION_CHOICES,
    MAX_FILTERS,
    MAX_KERNEL_SIDE,
    MAX_LAYERS,
    BankFilter,
    BankLayer,
    LayerSettings,
    Network,
)
from ..model.colour import display_rgb
from ._files import JSONFileProblem, OutputFileError, atomic_write, read_json_file, readable_json
from .images import save_png

__all__ = ["BANK_FILE_FILTER", "BANK_FORMAT", "BANK_FORMAT_VERSION", "MAX_BANK_FILE_BYTES", "BankFileError",
           "bank_to_json", "export_maps_npy", "export_maps_png", "load_bank", "network_from_json", "save_bank"]

BANK_FORMAT = "convviz-bank"
BANK_FORMAT_VERSION = 1
BANK_FILE_FILTER = "Filter banks (*.json)"
MAX_BANK_FILE_BYTES = limits.MAX_FILE_BYTES["bank"]


class BankFileError(ValueError):
    """A bank file cannot be used; ``str()`` is one sentence naming the file."""

    def __init__(self, path, reason: str):
        self.path = os.fspath(path)
        self.reason = reason
        super().__init__(f"cannot use bank file {self.path!r}: {reason}")

    def __reduce__(self):
        return (type(self), (self.path, self.reason))


class _Invalid(Exception):
    """A schema problem, with the place in the file where it is."""


# -- writing ------------------------------------------------------------------------
def bank_to_json(network: Network) -> dict:
    """The JSON-ready dictionary of ``network`` (see the module docstring).

    ``ValueError`` when the bank is above the limits a bank file may hold (e.g. more than
    ``MAX_BANK_WEIGHTS`` weights), so no bank or session file is written that cannot be reopened.
    """
    _check_network_limits(network)
    layers = []
    for layer in network.layers:
        s = layer.settings
        layers.append({
            "activation": layer.activation,
            "padding": s.padding if isinstance(s.padding, str) else list(s.padding),
            "stride": list(s.stride),
            "dilation": list(s.dilation),
            "padding_mode": s.padding_mode,
            "filters": [{"name": f.name, "bias": _number(f.bias),
                         "slices": [[[_number(v) for v in row] for row in f.slice(c)]
                                    for c in range(f.in_channels)]}
                        for f in layer.filters],
        })
    return {"format": BANK_FORMAT, "version": BANK_FORMAT_VERSION, "layers": layers}


def _number(v: float):
    v = float(v)
    return int(v) if v.is_integer() and abs(v) < 2 ** 53 else v


def _check_network_limits(network: Network) -> None:
    limits.check_bank_weights(sum(f.weights.size for layer in network.layers for f in layer.filters))
    for i, layer in enumerate(network.layers):
        s, where = layer.settings, f"Layer {i + 1}'s"
        limits.check_padding(s.padding, what=f"{where} padding")
        limits.check_stride(s.stride, what=f"{where} stride")
        limits.check_dilation(s.dilation, what=f"{where} dilation")


def save_bank(path, network: Network) -> Path:
    """Write ``network`` as a bank JSON file, atomically; :class:`OutputFileError` if it cannot be written,
    ``ValueError`` if the bank is above the limits (see :func:`bank_to_json`)."""
    payload = readable_json(bank_to_json(network), compact=("slices",))
    if len(payload) > MAX_BANK_FILE_BYTES:  # not reachable within the limits; kept so no file is unreadable
        raise ValueError(f"The bank file would be {len(payload):,} bytes; bank files are at most "
                         f"{limits.file_size_text(MAX_BANK_FILE_BYTES)}: use fewer or smaller filters.")
    return atomic_write(path, lambda fh: fh.write(payload))


# -- reading ------------------------------------------------------------------------
def load_bank(path) -> Network:
    """Read a bank JSON file; :class:`BankFileError` says what is wrong with a file that cannot be used."""
    try:  # size, nesting, numbers and NaN/Infinity: the shared reader (limits in convviz.model.limits)
        data = read_json_file(path, "bank")
    except JSONFileProblem as exc:
        raise BankFileError(path, str(exc)) from None
    try:
        return _network_from_json(data)
    except (_Invalid, ValueError) as exc:
        raise BankFileError(path, str(exc).rstrip(".")) from None


def network_from_json(data) -> Network:
    """Check a parsed bank file and build the :class:`~convviz.model.bank.Network` (ValueError if invalid)."""
    try:
        return _network_from_json(data)
    except _Invalid as exc:  # the schema's own error, as the ValueError this function promises
        raise ValueError(f"{str(exc).rstrip('.')}.") from None


def _network_from_json(data) -> Network:
    if not isinstance(data, dict):
        raise _Invalid("the top level must be an object with a \"layers\" list")
    if "format" in data and data["format"] != BANK_FORMAT:
        raise _Invalid(f"\"format\" is {_json_text(data['format'])}, not {BANK_FORMAT!r} (is it a bank file?)")
    if "version" in data and data["version"] != BANK_FORMAT_VERSION:
        raise _Invalid(f"\"version\" {_json_text(data['version'])} is not supported (this convviz reads version "
                       f"{BANK_FORMAT_VERSION})")
    layers_raw = data.get("layers")
    if not isinstance(layers_raw, list) or not layers_raw:
        raise _Invalid("\"layers\" must be a non-empty list")
    if len(layers_raw) > MAX_LAYERS:
        raise _Invalid(f"it has {len(layers_raw)} layers; at most {MAX_LAYERS} are allowed")
    try:  # counted in the parsed lists, before any array is made
        limits.check_bank_weights(_weight_count(layers_raw), what="it")
    except ValueError as exc:
        raise _Invalid(str(exc)) from None
    layers = [_layer(raw, i) for i, raw in enumerate(layers_raw)]
    for i in range(1, len(layers)):
        if layers[i].in_channels != layers[i - 1].out_channels:
            raise _Invalid(f"layer {i + 1}'s filters have {layers[i].in_channels} slices but layer {i} has "
                           f"{layers[i - 1].out_channels} filters (C_in must equal the previous C_out)")
    return Network(tuple(layers))


def _weight_count(layers_raw: list) -> int:
    """Numbers in every slice row of the parsed file (malformed parts count 0; they are refused later)."""
    total = 0
    for layer in layers_raw:
        filters = layer.get("filters") if isinstance(layer, dict) else None
        for f in filters if isinstance(filters, list) else ():
            slices = f.get("slices") if isinstance(f, dict) else None
            for piece in slices if isinstance(slices, list) else ():
                if isinstance(piece, list):
                    total += sum(len(row) for row in piece if isinstance(row, list))
    return total


def _layer(raw, i: int) -> BankLayer:
    where = f"layer {i + 1}"
    if not isinstance(raw, dict):
        raise _Invalid(f"{where} must be an object")
    activation = raw.get("activation", "relu")
    if activation is None:
        activation = "none"
    if activation not in ACTIVATION_CHOICES:
        raise _Invalid(f"{where}: activation {_json_text(activation)} is not one of {', '.join(ACTIVATION_CHOICES)}")
    padding = raw.get("padding", "same")
    if isinstance(padding, list):
        padding = _int_pair(padding, f"{where}: padding", 0)
    stride = _int_pair(raw.get("stride", [1, 1]), f"{where}: stride", 1)
    dilation = _int_pair(raw.get("dilation", [1, 1]), f"{where}: dilation", 1)
    mode = raw.get("padding_mode", "zeros")
    try:
        settings = LayerSettings(padding, stride, dilation, mode if isinstance(mode, str) else "?")
    except ValueError as exc:
        raise _Invalid(f"{where}: {str(exc).rstrip('.')}") from None
    try:
        limits.check_padding(settings.padding, what=f"{where}: the padding")
        limits.check_stride(settings.stride, what=f"{where}: the stride")
        limits.check_dilation(settings.dilation, what=f"{where}: the dilation")
    except ValueError as exc:
        raise _Invalid(str(exc).rstrip(".")) from None
    filters_raw = raw.get("filters")
    if not isinstance(filters_raw, list) or not filters_raw:
        raise _Invalid(f"{where}: \"filters\" must be a non-empty list")
    if len(filters_raw) > MAX_FILTERS:
        raise _Invalid(f"{where} has {len(filters_raw)} filters; at most {MAX_FILTERS} are allowed")
    filters = [_filter(f, f"{where}, filter {j + 1}", j) for j, f in enumerate(filters_raw)]
    shapes = {f.weights.shape for f in filters}
    if len(shapes) != 1:
        first = filters[0].weights.shape
        odd = next(j for j, f in enumerate(filters) if f.weights.shape != first)
        raise _Invalid(f"{where}: filter {odd + 1} has {filters[odd].in_channels} slice(s) of "
                       f"{filters[odd].kernel_hw[0]}×{filters[odd].kernel_hw[1]} but filter 1 has {first[2]} of "
                       f"{first[0]}×{first[1]} (every filter of a layer has the same shape)")
    return BankLayer(tuple(filters), activation, settings)


def _filter(raw, where: str, j: int) -> BankFilter:
    if not isinstance(raw, dict):
        raise _Invalid(f"{where} must be an object")
    name = raw.get("name", f"filter {j + 1}")
    if not isinstance(name, str) or len(name) > 200:
        raise _Invalid(f"{where}: \"name\" must be text of at most 200 characters")
    bias = _finite(raw.get("bias", 0), f"{where}: bias")
    slices = raw.get("slices")
    if not isinstance(slices, list) or not slices:
        raise _Invalid(f"{where}: \"slices\" must be a non-empty list of K×K slices, one per input channel")
    if len(slices) > MAX_FILTERS:
        raise _Invalid(f"{where} has {len(slices)} slices; at most {MAX_FILTERS} input channels are allowed")
    arrays = [_slice(s, f"{where}, slice {c + 1}") for c, s in enumerate(slices)]
    if len({a.shape for a in arrays}) != 1:
        raise _Invalid(f"{where}: every slice must have the same K×K size")
    return BankFilter(name, np.stack(arrays, axis=2), bias)


def _slice(raw, where: str) -> np.ndarray:
    if not isinstance(raw, list) or not raw or not all(isinstance(r, list) for r in raw):
        raise _Invalid(f"{where} must be a list of rows (lists of numbers)")
    if len(raw) > MAX_KERNEL_SIDE or any(not r or len(r) > MAX_KERNEL_SIDE for r in raw):
        raise _Invalid(f"{where}: each side must be 1 to {MAX_KERNEL_SIDE}")
    if len({len(r) for r in raw}) != 1:
        raise _Invalid(f"{where}: every row must have the same length")
    return np.array([[_finite(v, where) for v in row] for row in raw], dtype=np.float64)


def _finite(v, where: str) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise _Invalid(f"{where}: {json.dumps(v)[:40]} is not a number")
    try:
        f = float(v)
    except OverflowError:  # an int too large for a float
        f = math.inf
    if not math.isfinite(f):
        raise _Invalid(f"{where}: every value must be a finite number")
    return f


def _int(v, where: str, minimum: int) -> int:
    if isinstance(v, bool) or not isinstance(v, int) or v < minimum:
        raise _Invalid(f"{where} must be whole numbers of at least {minimum}, not {_json_text(v)}")
    return v


def _json_text(v) -> str:
    text = json.dumps(v) if not isinstance(v, int) or abs(v) < 10 ** 30 else f"{str(v)[:10]}…"
    return text[:40]


def _int_pair(v, where: str, minimum: int) -> tuple[int, int]:
    first, second = _pair_list(v, where)
    return _int(first, where, minimum), _int(second, where, minimum)


def _pair_list(v, where: str) -> list:
    if isinstance(v, int) and not isinstance(v, bool):
        return [v, v]
    if not isinstance(v, list) or len(v) != 2:
        raise _Invalid(f"{where} must be a number or a pair [rows, columns]")
    return v


# -- exporting maps ---------------------------------------------------------------------
def _safe_name(name: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._")
    return cleaned[:60] or "map"


def export_maps_png(folder, maps, names, *, levels=None, colormap=None) -> list[Path]:
    """Write each map ``(H', W')`` as ``NN_name.png`` in ``folder`` with the window's colours.

    ``levels`` is one ``(low, high)`` shared by every map, a list with one per map, or
    ``None`` (each map's own :func:`~convviz.model.display_levels`). Returns the paths written.
    """
    folder = Path(os.fspath(folder))
    if not folder.is_dir():
        raise OutputFileError(folder, "it is not an existing folder")
    maps, names = list(maps), list(names)
    if len(maps) != len(names):
        raise ValueError("export_maps_png needs one name per map.")
    per_map = isinstance(levels, list)
    width = max(2, len(str(len(maps))))
    paths = []
    for i, (m, name) in enumerate(zip(maps, names)):
        lv = levels[i] if per_map else levels
        rgb = display_rgb(np.asarray(m), levels=lv, colormap=colormap)
        path = folder / f"{i + 1:0{width}d}_{_safe_name(name)}.png"
        save_png(path, rgb)
        paths.append(path)
    return paths


def export_maps_npy(path, maps) -> Path:
    """Write the maps as one ``(H', W', C_out)`` ``.npy`` array (``allow_pickle=False``), atomically."""
    arr = np.asarray(maps)
    if arr.ndim != 3:
        raise ValueError(f"The maps must be one (H', W', C_out) array, not shape {arr.shape}.")
    return atomic_write(path, lambda fh: np.save(fh, np.ascontiguousarray(arr), allow_pickle=False))
