"""Checkers for what a lesson slide's caption claims, keyed by text patterns (used by test_lesson_screens.py).

A checker is a regular expression and a function ``check(shown, match)`` that asserts the claim against
what the window shows for that slide: the document, the shown tab's state and widgets, and the numbers
the model computes for them. :func:`check_caption` runs every checker whose pattern matches the caption
(on the tabs the checker is written for) and returns what it checked and what failed. A claim no checker
understands is not checked; a checker that matches must pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from convviz.model import PRESETS, layer_costs
from convviz.model.flipping import flipped

#: tabs that draw the document itself (its kernel, padding, stride…), not a model of their own
DOCUMENT_TABS = frozenset({"filter", "player", "matrix", "equivariance", "flip"})
NUMBER = r"[−-]?\d[\d,]*(?:\.\d+)?"
WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "nine": 9}


@dataclass
class Shown:
    """One slide as the window shows it: ``key`` is the tab shown, ``panel`` its widget."""

    window: object
    key: str
    panel: object
    caption: str

    @property
    def doc(self):
        return self.window.document

    @property
    def state(self):
        return self.window.workspace.states.get(self.key)


CHECKS: list[tuple[re.Pattern, frozenset | None, object]] = []


def claim(pattern: str, tabs=None):
    """Register ``check(shown, match)`` for captions matching ``pattern`` on ``tabs`` (None: every tab)."""
    def register(check):
        CHECKS.append((re.compile(pattern), None if tabs is None else frozenset(tabs), check))
        return check
    return register


def check_caption(shown: Shown) -> tuple[list[str], list[str]]:
    """``(checked, failures)``: each matched claim, and each that is false with the reason."""
    checked, failures = [], []
    for pattern, tabs, check in CHECKS:
        if tabs is not None and shown.key not in tabs:
            continue
        for match in pattern.finditer(shown.caption):
            checked.append(match.group(0))
            try:
                check(shown, match)
            except AssertionError as exc:
                failures.append(f"{match.group(0)!r}: {exc}")
    return checked, failures


def num(text: str) -> float:
    return float(WORDS.get(text.lower(), None) or text.replace("−", "-").replace(",", ""))


def rounds_to(value: float, text: str) -> bool:
    """True when ``value`` written with as many decimals as ``text`` is ``text``."""
    decimals = len(text.split(".")[1]) if "." in text else 0
    return abs(float(value) - num(text)) <= 0.5 * 10.0 ** -decimals + 1e-9


def shape_of(m: re.Match, first: int = 1) -> tuple[int, ...]:
    return tuple(int(g) for g in m.groups()[first - 1:] if g is not None)


# == arithmetic written out =====================================================================
@claim(r"((?:\(\s*" + NUMBER + r"×" + NUMBER + r"\)\s*\+\s*)*\(\s*" + NUMBER + r"×" + NUMBER + r"\))\s*=\s*("
       + NUMBER + ")")
def _sum_of_products(s: Shown, m):
    pairs = re.findall(r"\((" + NUMBER + r")×(" + NUMBER + r")\)", m.group(1))
    assert rounds_to(sum(num(a) * num(b) for a, b in pairs), m.group(2)), "the products do not add up to that"
    if s.key == "player":
        step = s.panel.current_step
        assert step.expression == m.group(0), f"the player's step is {step.expression}"
        assert s.panel.revealed_products == step.kernel.size, "not every product is revealed"
        assert step.expression in s.panel.view.readout.text(), "the readout does not show it"


@claim(r"(?<![\d.,×(])(\d[\d,.]*(?:\s?×\s?\d[\d,.]*)+) = (" + NUMBER + ")")
def _product(s: Shown, m):
    assert rounds_to(np.prod([num(f) for f in re.split(r"\s?×\s?", m.group(1))]), m.group(2)), "wrong product"


@claim(r"(\d+) − (\d+) \+ 1 = (\d+)", DOCUMENT_TABS)
def _valid_size(s: Shown, m):
    n, k, out = shape_of(m)
    assert n - k + 1 == out == s.doc.output_shape()[1], f"the output is {s.doc.output_shape()}"


@claim(r"(\d+) \+ (\d+) − 1 = (\d+)", DOCUMENT_TABS)
def _full_size(s: Shown, m):
    n, k, out = shape_of(m)
    assert n + k - 1 == out == s.doc.output_shape()[1], f"the output is {s.doc.output_shape()}"


@claim(r"\((\d+) − (\d+)\) / (\d+) \+ 1 = (\d+)", DOCUMENT_TABS)
def _strided_size(s: Shown, m):
    n, k, stride, out = shape_of(m)
    assert (n - k) // stride + 1 == out == s.doc.output_shape()[1], f"the output is {s.doc.output_shape()}"


@claim(r"K − 1 = (\d+)", DOCUMENT_TABS)
def _k_minus_one(s: Shown, m):
    assert s.doc.kernel.shape[0] - 1 == int(m.group(1))


# == the document: sizes, kernel, padding, stride =================================================
@claim(r"(\d+)×(\d+)(?:×(\d+))? (?:colour )?(?:input|image|picture|photo)\b", DOCUMENT_TABS | {"costs"})
def _input_size(s: Shown, m):
    if s.key == "costs":
        st = s.state
        shown = (st.h, st.w, st.c)[:len(shape_of(m))]
    else:
        shown = s.doc.image.shape[:len(shape_of(m))]
    assert tuple(shown) == shape_of(m), f"the input is {shown}"


@claim(r"(\d+) pixel values|single column of (\d+) numbers", DOCUMENT_TABS)
def _pixel_count(s: Shown, m):
    assert s.doc.input_image().size == int(m.group(1) or m.group(2))


@claim(r"(\d+)×(\d+) (?:kernel|window)\b", DOCUMENT_TABS | {"costs"})
def _kernel_size(s: Shown, m):
    shown = (s.state.kh, s.state.kw) if s.key == "costs" else s.doc.kernel.shape[:2]
    assert tuple(shown) == shape_of(m), f"the kernel is {shown}"


@claim(r"(\d+)×(\d+)(?:×(\d+))? output\b|output is (\d+)×(\d+)(?:×(\d+))?", DOCUMENT_TABS | {"costs"})
def _output_size(s: Shown, m):
    want = shape_of(m)
    if s.key == "costs":
        st = s.state
        shown = layer_costs((st.h, st.w, st.c), (st.kh, st.kw), st.filters, st.padding, stride=st.stride,
                            dilation=st.dilation).output_shape
    else:
        shown = s.doc.output_shape()
    assert tuple(shown)[:len(want)] == want, f"the output is {shown}"


@claim(r"(\d+) (?:outputs|values) per row", DOCUMENT_TABS)
def _per_row(s: Shown, m):
    assert s.doc.output_shape()[1] == int(m.group(1)), f"the output is {s.doc.output_shape()}"


@claim(r"(\d+) places per row and (\d+) rows", DOCUMENT_TABS)
def _places(s: Shown, m):
    assert s.doc.output_shape() == (int(m.group(2)), int(m.group(1)))


@claim(r"(?<!= )\b(\d+|four|nine) weights\b", DOCUMENT_TABS)
def _weight_count(s: Shown, m):
    assert s.doc.kernel.size == num(m.group(1)), f"the kernel has {s.doc.kernel.size} weights"


@claim(r"weights ((?:[−-]?\d+, )+[−-]?\d+)", DOCUMENT_TABS)
def _weights_listed(s: Shown, m):
    assert [num(v) for v in m.group(1).split(", ")] == s.doc.kernel.ravel().tolist()


def _literal(text: str) -> np.ndarray:
    return np.array([[num(v) for v in row.split(",")] for row in re.findall(r"\[([^\[\]]+)\]", text)])


@claim(r"\[\[[^\]]*\](?:, \[[^\]]*\])*\]", DOCUMENT_TABS)
def _kernel_literal(s: Shown, m):
    before = s.caption[:m.start()]
    if before.rstrip().endswith("becomes"):
        assert np.array_equal(_literal(m.group(0)), flipped(s.doc.kernel)), "that is not the flipped kernel"
    elif m.start() == s.caption.index("[["):
        assert np.array_equal(_literal(m.group(0)), s.doc.kernel), f"the kernel is {s.doc.kernel.tolist()}"


@claim(r"\b(valid|same|full) padding", DOCUMENT_TABS)
def _padding(s: Shown, m):
    assert s.doc.padding == m.group(1), f"the padding is {s.doc.padding!r}"


@claim(r"\bno padding\b", DOCUMENT_TABS)
def _no_padding(s: Shown, m):
    assert s.doc.padding in ("valid", (0, 0)), f"the padding is {s.doc.padding!r}"


@claim(r"border of zeros|zero padding", DOCUMENT_TABS)
def _zeros(s: Shown, m):
    assert s.doc.padding not in ("valid", (0, 0)) and s.doc.padding_mode == "zeros"


@claim(r"(?i)\b(reflect|replicate|circular)\b", DOCUMENT_TABS)
def _padding_mode(s: Shown, m):
    assert s.doc.padding != "valid" and s.doc.padding_mode == m.group(1).lower(), s.doc.padding_mode


@claim(r"\bhatched\b", {"player"})
def _hatched(s: Shown, m):
    grid = s.panel.view.input_grid
    rows, cols = grid.shape()
    assert any(grid.is_padding(r, c) for r in range(rows) for c in range(cols)), "no padding cell is drawn"
    assert "hatched" in grid.title(), f"the input grid's title is {grid.title()!r}"


@claim(r"[Ss]tride \((\d+), (\d+)\)", DOCUMENT_TABS)
def _stride_pair(s: Shown, m):
    assert s.doc.stride == shape_of(m), f"the stride is {s.doc.stride}"


@claim(r"[Ss]tride (\d+)(?![\d,)])", DOCUMENT_TABS)
def _stride(s: Shown, m):
    assert s.doc.stride == (int(m.group(1)),) * 2, f"the stride is {s.doc.stride}"


@claim(r"[Dd]ilation (\d+)", DOCUMENT_TABS)
def _dilation(s: Shown, m):
    assert s.doc.dilation == (int(m.group(1)),) * 2, f"the dilation is {s.doc.dilation}"


def preset_aliases() -> dict[str, str]:
    """Lower-case names a caption may use for a preset (its name, without notes in brackets, and G_x/G_y)."""
    aliases = {}
    for key, preset in PRESETS.items():
        aliases[re.sub(r"\s*\(.*\)", "", preset.name).lower()] = key
        aliases.update({g.lower(): key for g in re.findall(r"\((G_\w)\)", preset.name)})
    return aliases


ALIAS = re.compile(r"(?i)\b(" + "|".join(sorted(map(re.escape, preset_aliases()), key=len, reverse=True)) + r")\b")


def _compared(caption: str, m: re.Match) -> bool:
    """True for a preset named as a comparison ("as Sobel y does", "like the Laplacian")."""
    return bool(re.search(r"\b(as|like|than)( the)? $", caption[:m.start()])) or caption[m.end():].startswith(" does")


@claim(ALIAS.pattern)
def _preset(s: Shown, m):
    key = preset_aliases()[m.group(1).lower()]
    named = [n for n in ALIAS.finditer(s.caption) if not _compared(s.caption, n)]
    if s.key in DOCUMENT_TABS:
        if named and m.start() == named[0].start():   # the first preset named (not compared) is the kernel shown
            assert np.array_equal(s.doc.kernel, PRESETS[key].kernel), f"the kernel is not {key}"
    elif s.key == "bank":
        assert key in s.panel.network[s.panel.layer_index].names, f"the bank has no {key}"
    elif s.key == "learning":
        assert s.state.target == key, f"the target is {s.state.target}"
