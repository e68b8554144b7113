"""Reading the numbers a person types into a kernel cell (no Qt).

Accepted: integers and decimals (``2``, ``-0.5``, ``.25``, ``1e-3``, a comma as
decimal mark ``0,5``), the typographic minus ``−``, and simple fractions of two
such numbers (``1/9``, ``-2/16``, ``3 / 4``). Anything else, a zero denominator,
NaN or infinity raises ``ValueError`` with a sentence that says what to type.
"""

from __future__ import annotations

import math
import re

_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
_FRACTION = re.compile(rf"^\s*({_NUMBER})\s*(?:/\s*({_NUMBER})\s*)?$")
HINT = "type a number such as 2, -0.5 or a fraction such as 1/9"


def parse_number(text: str) -> float:
    """The value of ``text`` as a float: ``"1/9"`` → 0.111…, ``"−2"`` → -2.0.

    Raises ``ValueError`` (one sentence, with a hint) for text that is not a finite number.
    """
    if not isinstance(text, str):
        raise ValueError(f"{text!r} is not text; {HINT}.")
    cleaned = text.replace("\u2212", "-").replace("\u2009", "").strip()
    if "," in cleaned and "." not in cleaned and cleaned.count(",") <= 2:
        cleaned = cleaned.replace(",", ".")
    match = _FRACTION.match(cleaned)
    if not cleaned:
        raise ValueError(f"The cell is empty: {HINT}.")
    if match is None:
        raise ValueError(f"{text.strip()!r} is not a number: {HINT}.")
    numerator = float(match.group(1))
    if match.group(2) is None:
        value = numerator
    else:
        denominator = float(match.group(2))
        if denominator == 0:
            raise ValueError(f"{text.strip()!r} divides by zero: {HINT}.")
        value = numerator / denominator
    if not math.isfinite(value):
        raise ValueError(f"{text.strip()!r} is too large to be a weight: {HINT}.")
    return value
