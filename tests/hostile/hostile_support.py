"""Generators of hostile files and the checks every hostile-input test shares.

Nothing here is a fixture file: every hostile input is made by the test that uses it, so the
suite shows exactly what is thrown at convviz.
"""

from __future__ import annotations

import json
import tracemalloc
from contextlib import contextmanager

import numpy as np

#: peak of new Python/NumPy allocations allowed while a hostile input is refused
REFUSAL_PEAK_BYTES = 64 * 1024 * 1024


def deep(depth: int, kind: str = "list") -> str:
    """JSON nested ``depth`` deep: ``[[[…]]]`` or ``{"a": {"a": …}}``."""
    if kind == "list":
        return "[" * depth + "]" * depth
    return '{"a": ' * depth + "1" + "}" * depth


def long_int(digits: int) -> str:
    """An integer literal of ``digits`` digits (past Python's 4,300-digit int parsing limit when large)."""
    return "9" * digits


#: JSON number literals that are not finite floats (or not JSON at all, but Python's json reads them)
NON_FINITE = ("NaN", "Infinity", "-Infinity", "1e400", "-1.5E+0400", "1" + "0" * 400 + ".0")


def garbage_bytes(n: int = 4096, seed: int = 0) -> bytes:
    return np.random.default_rng(seed).integers(0, 256, n, dtype=np.uint8).tobytes()


def session_json(document: dict | None = None, **top) -> dict:
    data = {"format": "convviz-session", "version": 1,
            "document": {"image": {"grid": [[0, 10, 20], [30, 40, 50], [60, 70, 80]]}, "kernel": [[1, 0], [0, 2]],
                         **(document or {})}}
    data.update(top)
    return data


def lesson_json(document: dict | None = None, **slide) -> dict:
    return {"format": "convviz-lesson", "version": 1, "title": "hostile",
            "slides": [{"caption": "c", "document": document or {}, **slide}]}


def bank_json(filters: int = 1, side: int = 3, c_in: int = 1, layers: int = 1, value=1, **layer) -> dict:
    one = {"name": "f", "bias": 0, "slices": [[[value] * side for _ in range(side)] for _ in range(c_in)]}
    body = {"filters": [one] * filters, **layer}
    return {"format": "convviz-bank", "version": 1, "layers": [body] * layers}


def replace_number(data: dict, literal: str) -> str:
    """``json.dumps(data)`` with the number 424242 replaced by ``literal`` (a hostile number)."""
    text = json.dumps(data)
    assert "424242" in text
    return text.replace("424242", literal, 1)


def one_sentence(message: str) -> None:
    """A message a person reads: one line, not empty, not a repr of an exception, not megabytes long."""
    assert message and "\n" not in message.strip(), message
    assert "Traceback" not in message and "Error:" not in message, message
    assert len(message) < 600, message[:200]


@contextmanager
def bounded_memory(limit: int = REFUSAL_PEAK_BYTES):
    """Fail when the block allocates more than ``limit`` bytes at its peak (tracemalloc: Python and NumPy)."""
    tracemalloc.start()
    try:
        yield
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < limit, f"peak {peak / 1e6:.1f} MB while refusing"
