"""The ``convviz`` command's argument types: one-line usage errors (exit status 2) and numbers
checked against :mod:`convviz.model.limits` before anything is read or allocated."""

from __future__ import annotations

import argparse
import re

PROG = "convviz"


class UsageError(Exception):
    """A bad command line or an unusable file: exit status 2 with one line on stderr."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (``convviz: error: …``) and exit status 2."""

    def error(self, message):
        hint = f"; see '{self.prog} --help'"
        raise UsageError(message + hint)


def _shown(text: str) -> str:
    """``text`` quoted for a message, shortened when someone typed a thousand digits."""
    return repr(text) if len(text) <= 40 else repr(text[:20] + "…") + f" ({len(text)} characters)"


def _whole(text: str) -> int:
    """``int(text)``, refusing more digits than any limit has (before Python's own 4,300-digit limit)."""
    from convviz.model.limits import MAX_ARGUMENT  # imported here: `convviz --version` needs no NumPy

    digits = text.strip()
    if len(digits.lstrip("+-")) > len(str(MAX_ARGUMENT)) and digits.lstrip("+-0").isdigit():
        raise argparse.ArgumentTypeError(f"{_shown(text)} is far too large: at most {MAX_ARGUMENT:,}")
    try:
        value = int(digits)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{_shown(text)} is not a whole number") from None
    if value > MAX_ARGUMENT:
        raise argparse.ArgumentTypeError(f"{_shown(text)} is far too large: at most {MAX_ARGUMENT:,}")
    return value


def _positive_int(text: str) -> int:
    value = _whole(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{_shown(text)} must be at least 1")
    return value


def _int_or_pair(text: str, *, minimum: int):
    parts = [p.strip() for p in text.split(",")]
    if len(parts) not in (1, 2):
        raise argparse.ArgumentTypeError(f"{_shown(text)} must be N or N,N")
    values = []
    for p in parts:
        try:
            values.append(_whole(p))
        except argparse.ArgumentTypeError as exc:
            if "far too large" in str(exc):
                raise
            raise argparse.ArgumentTypeError(f"{_shown(text)} must be N or N,N with whole numbers") from None
    if min(values) < minimum:
        which = "it" if len(values) == 1 else "each number"
        raise argparse.ArgumentTypeError(f"{_shown(text)}: {which} must be at least {minimum}")
    return values[0] if len(values) == 1 else tuple(values)


def _stride(text: str):
    return _int_or_pair(text, minimum=1)


def _padding(text: str):
    """``valid``, ``same``, ``full``, ``INT`` (each side) or ``INT,INT`` (rows, columns)."""
    word = text.strip().lower()
    if word in ("valid", "same", "full"):
        return word
    try:
        return _int_or_pair(text, minimum=0)
    except argparse.ArgumentTypeError as exc:
        if "far too large" in str(exc):
            raise
        raise argparse.ArgumentTypeError(
            f"{_shown(text)} is not a padding: use valid, same, full, a number of pixels, or ROWS,COLS") from None


def _within(parse, check):
    """An argparse type: ``parse(text)``, then the limit ``check`` of :mod:`convviz.model.limits`."""
    def typed(text: str):
        value = parse(text)
        try:
            check(value, what="it")
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc).rstrip(".")) from None
        return value
    return typed


def _sizes(text: str, counts: tuple[int, ...]) -> list[int] | None:
    """``"32x32x3"`` (also ``×`` or ``,``) → ``[32, 32, 3]``; ``None`` unless ``len`` is in ``counts`` and all ≥ 1.

    A size above :data:`convviz.model.limits.MAX_ARGUMENT` raises ``argparse.ArgumentTypeError``.
    """
    parts = re.split(r"\s*[x×X,]\s*", text.strip())
    if not all(p.isdigit() for p in parts):
        return None
    values = [_whole(p) for p in parts]
    return values if len(values) in counts and min(values) >= 1 else None


def _input_shape(text: str) -> tuple[int, int, int]:
    """``HxWxC``; ``HxW`` means one channel."""
    values = _sizes(text, (2, 3))
    if values is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not an input shape: write HxWxC, e.g. 32x32x3")
    return tuple(values) if len(values) == 3 else (values[0], values[1], 1)


def _kernel_size(text: str):
    """``K`` or ``KHxKW``."""
    values = _sizes(text, (1, 2))
    if values is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not a kernel size: write K or KHxKW, e.g. 5 or 3x5")
    return values[0] if len(values) == 1 else tuple(values)


