"""How the step-through player writes one step's numbers so that they add up (no Qt).

The products shown must sum to the sum shown. Rounding each product and the sum separately
breaks that (a box blur's ``1.11 + 2.22 + 4.44`` is not ``27.7778``), so a
:class:`NumberStyle` is chosen once for a picture and a kernel:

- ``"decimal"`` — every value, weight, product and sum is a short exact decimal (whole
  numbers, weights such as 0.0625, a colour photo's luminance with its three decimals);
- ``"fraction"`` — weights with a common denominator ``q`` (a box blur's 1/9, a binomial
  kernel's 1/16 on a luminance): the weights are written ``a/q``, each product ``p·a/q`` and
  the sum ``N/q`` with its decimal value, so the fractions add up exactly;
- ``"rounded"`` — anything else (a sampled Gaussian, learned weights, noise): the products
  and the sum are written to the same decimals and marked ``≈``.

Values are read back as the rationals they stand for (``0.1`` is one tenth, ``1/9`` a ninth)
when a float is within round-off of one; every exact number shown is that rational's
(the float sum differs from it by round-off only).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from .stepping import format_number

#: products and sums with more decimals than this are written as fractions
MAX_DECIMALS = 6
#: a fraction's sum is followed by "= its decimals" when they stop within this many digits
SUM_DECIMALS = 8
#: weights are exact decimals when they have at most this many decimals (0.0625)
WEIGHT_DECIMALS = 4
#: input values are exact when they have at most this many decimals (a luminance has three)
VALUE_DECIMALS = 4
#: the largest common denominator written as a fraction
MAX_DENOMINATOR = 10_000
#: a float stands for a rational when it is this close to it (relative: round-off, not chance)
TOLERANCE = 1e-12
#: rounded style: the largest product keeps this many significant digits
ROUNDED_DIGITS = 4


def _rational_weight(w: float) -> Fraction | None:
    """The rational ``w`` stands for (denominator ≤ :data:`MAX_DENOMINATOR`), or ``None``."""
    if not math.isfinite(w):
        return None
    f = Fraction(w).limit_denominator(MAX_DENOMINATOR)
    return f if abs(float(f) - w) <= TOLERANCE * max(1.0, abs(w)) else None


def value_decimals(values: np.ndarray) -> int | None:
    """The fewest decimals (0–:data:`VALUE_DECIMALS`) that write every value exactly; ``None``
    when some value needs more (it is then rounded)."""
    v = np.asarray(values, dtype=np.float64).ravel()
    if v.size == 0:
        return 0
    if not np.all(np.isfinite(v)):
        return None
    for d in range(VALUE_DECIMALS + 1):
        scaled = v * 10.0 ** d
        if np.all(np.abs(scaled - np.rint(scaled)) <= TOLERANCE * np.maximum(1.0, np.abs(scaled))):
            return d
    return None


def _value(x: float, decimals: int) -> Fraction:
    return Fraction(int(round(x * 10 ** decimals)), 10 ** decimals)


def _terminating_decimals(f: Fraction) -> int | None:
    """Decimals of ``f`` written out exactly, or ``None`` when it does not terminate."""
    d = f.denominator
    twos = fives = 0
    while d % 2 == 0:
        d //= 2
        twos += 1
    while d % 5 == 0:
        d //= 5
        fives += 1
    return max(twos, fives) if d == 1 else None


def decimal_text(f: Fraction) -> str:
    """A terminating rational written out exactly (``-0.0625``, ``27.5``, ``60``)."""
    decimals = _terminating_decimals(f)
    if decimals is None:
        raise ValueError(f"{f} has no finite decimal expansion.")
    if decimals == 0:
        return str(int(f))
    n = abs(f.numerator * 10 ** decimals // f.denominator)
    whole, frac = divmod(n, 10 ** decimals)
    sign = "-" if f < 0 else ""
    return f"{sign}{whole}.{str(frac).rjust(decimals, '0').rstrip('0')}"


@dataclass(frozen=True)
class NumberStyle:
    """How one picture's steps with one kernel are written (see the module's docstring).

    ``mode`` ``"decimal" | "fraction" | "rounded"``; ``denominator`` the common ``q`` of the
    fraction style; ``value_decimals`` the decimals of the input values (``None``: rounded);
    ``weights`` the kernel's weights as rationals (exact styles) by position.
    """

    mode: str
    denominator: int = 1
    value_decimals: int | None = 0
    weights: tuple[Fraction, ...] = ()
    rounded_decimals: int = 2

    @property
    def exact(self) -> bool:
        return self.mode != "rounded"

    # -- one number ------------------------------------------------------------------------
    def value(self, x: float) -> str:
        """An input value (a patch value) as written in the products and the arithmetic."""
        if self.value_decimals is None:
            return format_number(x, 4)
        return decimal_text(_value(x, self.value_decimals))

    def weight(self, w: float, index: int | None = None) -> str:
        """A kernel weight (``index`` its row-major position, which picks its rational)."""
        if not self.exact:
            return _significant(w, ROUNDED_DIGITS)
        f = self.weights[index] if index is not None else _rational_weight(float(w))
        if f is None:
            return _significant(w, ROUNDED_DIGITS)
        if self.mode == "fraction":
            return f"{_decimal_or_int(f * self.denominator)}/{self.denominator}"
        return decimal_text(f)

    def _exact_products(self, patch: np.ndarray) -> list[Fraction]:
        assert self.value_decimals is not None
        return [_value(float(p), self.value_decimals) * w for p, w in zip(np.ravel(patch).tolist(), self.weights)]

    def product(self, patch_value: float, product: float, index: int) -> str:
        """The product of tap ``index`` (its value ``patch_value`` × its weight; ``product`` the float),
        after :meth:`equals`."""
        if not self.exact:
            return format_number(round(product, self.rounded_decimals), self.rounded_decimals)
        assert self.value_decimals is not None
        exact = _value(patch_value, self.value_decimals) * self.weights[index]
        return self._over_q(exact) if self.mode == "fraction" else decimal_text(exact)

    def _over_q(self, f: Fraction) -> str:
        return f"{_decimal_or_int(f * self.denominator)}/{self.denominator}"

    def total(self, patch: np.ndarray, value: float, count: int | None = None) -> str:
        """The sum of the first ``count`` products (all: ``None``) as its text: ``60``,
        ``250/9 ≈ 27.7778``, ``2345/16 = 146.5625``, or rounded ``27.78`` (after :meth:`equals`,
        ``≈``); ``value`` is the float sum."""
        if not self.exact:
            return format_number(round(value, self.rounded_decimals), self.rounded_decimals)
        products = self._exact_products(patch)
        exact = sum(products[:count] if count is not None else products, Fraction(0))
        if self.mode == "decimal":
            return decimal_text(exact)
        decimals = _terminating_decimals(exact)
        if decimals is not None and decimals <= SUM_DECIMALS:
            return f"{self._over_q(exact)} = {decimal_text(exact)}"
        return f"{self._over_q(exact)} ≈ {format_number(float(exact), 4)}"

    def equals(self) -> str:
        """The sign between an expression and its sum: ``=`` (exact) or ``≈`` (rounded)."""
        return "=" if self.exact else "≈"


def _decimal_or_int(f: Fraction) -> str:
    return decimal_text(f) if _terminating_decimals(f) is not None else format_number(float(f), 4)


def _significant(w: float, digits: int) -> str:
    """``w`` to ``digits`` significant digits, without an exponent for everyday sizes."""
    w = float(w)
    if w == 0 or not math.isfinite(w):
        return format_number(w)
    if not 1e-4 <= abs(w) < 1e6:
        return f"{w:.{digits}g}"
    decimals = max(0, digits - 1 - math.floor(math.log10(abs(w))))
    return format_number(round(w, decimals), decimals)


def number_style(values: np.ndarray, kernel: np.ndarray) -> NumberStyle:
    """The style for stepping ``kernel`` (as slid) over ``values`` (the shown grid, padding included)."""
    decimals = value_decimals(values)
    rationals = [_rational_weight(float(w)) for w in np.ravel(kernel).tolist()]
    weights = tuple(f for f in rationals if f is not None)
    if decimals is None or len(weights) != len(rationals):
        return NumberStyle("rounded", value_decimals=decimals, rounded_decimals=_rounded_decimals(values, kernel))
    weight_decimals = [_terminating_decimals(f) for f in weights]
    if all(d is not None and d <= WEIGHT_DECIMALS and d + decimals <= MAX_DECIMALS for d in weight_decimals):
        return NumberStyle("decimal", 1, decimals, weights)
    q = math.lcm(*(f.denominator for f in weights))
    if q <= MAX_DENOMINATOR:
        return NumberStyle("fraction", q, decimals, weights)
    return NumberStyle("rounded", value_decimals=decimals, rounded_decimals=_rounded_decimals(values, kernel))


def _rounded_decimals(values: np.ndarray, kernel: np.ndarray) -> int:
    """Decimals that keep :data:`ROUNDED_DIGITS` significant digits of the largest possible product."""
    v = np.asarray(values, dtype=np.float64)
    k = np.asarray(kernel, dtype=np.float64)
    finite_v, finite_k = v[np.isfinite(v)], k[np.isfinite(k)]
    largest = (float(np.abs(finite_v).max()) if finite_v.size else 0.0) * \
        (float(np.abs(finite_k).max()) if finite_k.size else 0.0)
    if largest <= 0:
        return 2
    return int(min(6, max(1, ROUNDED_DIGITS - 1 - math.floor(math.log10(largest)))))


def expression_terms(style: NumberStyle, patch: np.ndarray, kernel: np.ndarray) -> list[str]:
    """Each product written out, ``"(30×2)"`` or ``"(10×1/9)"``, row-major."""
    return [f"({style.value(p)}×{style.weight(w, i)})"
            for i, (p, w) in enumerate(zip(np.ravel(patch).tolist(), np.ravel(kernel).tolist()))]


def condensed(terms: Sequence[str], weights: Sequence[float], max_terms: int) -> str:
    """At most ``max_terms`` of ``terms`` joined with ``+`` (zero-weight terms dropped first),
    as :meth:`convviz.model.Step.condensed_expression` does."""
    if len(terms) <= max_terms:
        return " + ".join(terms)
    nonzero = [t for t, w in zip(terms, weights) if w != 0]
    if len(nonzero) <= max_terms:
        return " + ".join(nonzero) + f" (+ {len(terms) - len(nonzero)} zero-weight terms)"
    head = max_terms - 2
    return " + ".join(nonzero[:head]) + f" + … ({len(nonzero) - head - 1} more) … + {nonzero[-1]}"
