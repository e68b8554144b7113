"""Evented panel state: the settings of one tab, Qt-free.

Each tab's settings live in one small ``@evented @dataclass`` that mixes in
:class:`PanelState` (e.g. :class:`~convviz.model.states.FlipState`). Widgets bind to it
(they show its fields and send edits through the undo stack); lessons and sessions
read and write it without Qt, whether the tab was ever built or not::

    @evented
    @dataclass
    class FlipState(PanelState):
        example: str = "lecture"
        show_flipped: bool = False

        def _check_example(self, value):          # optional: one validator per field
            if value not in EXAMPLE_KEYS:
                raise ValueError(f"Unknown example {value!r}: use one of {', '.join(EXAMPLE_KEYS)}.")
            return value

``state.apply(**changes)`` checks the whole change first and then makes it, or raises
``ValueError`` and changes nothing (as :meth:`convviz.model.ConvDocument.apply` does).
``state.settings()`` is the JSON form (fields whose metadata says ``session=False`` are
left out); ``state.changes_from(settings)`` turns such a dict back into checked changes.
"""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import fields
from typing import Any

import numpy as np


def same_value(a: Any, b: Any) -> bool:
    """Field equality that understands arrays (same shape and values)."""
    if a is b:
        return True
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.shape == b.shape
                and bool(np.array_equal(a, b)))
    try:
        return bool(a == b)
    except ValueError:  # containers of arrays
        return False


class PanelState:
    """Mixin for an ``@evented @dataclass``: all-or-nothing ``apply`` and a JSON form.

    A field is checked by the method ``_check_<name>(value) -> normalised value`` when the
    class defines one; otherwise its value is taken as given. ``_check_all(new_state)`` may
    check combinations (it receives the full state after the change, as a dict).
    """

    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in fields(self))  # type: ignore[arg-type]

    def values(self) -> dict[str, Any]:
        """Every field's current value (references, for undo snapshots)."""
        return {name: getattr(self, name) for name in self.field_names()}

    def checked(self, **changes: Any) -> dict[str, Any]:
        """Normalised copies of ``changes``; ``ValueError`` (with a sentence) if any is refused."""
        unknown = set(changes) - set(self.field_names())
        if unknown:
            raise ValueError(f"{type(self).__name__} has no setting {', '.join(sorted(unknown))}.")
        new = {}
        for name, value in changes.items():
            check = getattr(self, f"_check_{name}", None)
            new[name] = check(value) if check is not None else value
        check_all = getattr(self, "_check_all", None)
        if check_all is not None:
            check_all({**self.values(), **new})
        return new

    def apply(self, **changes: Any) -> None:
        """Check, then set every changed field before emitting (observers see a consistent state)."""
        new = self.checked(**changes)
        old = {name: getattr(self, name) for name in new}
        events = self.events  # type: ignore[attr-defined]
        with ExitStack() as stack:
            for name in new:
                stack.enter_context(events[name].blocked())
            for name, value in new.items():
                setattr(self, name, value)
        for name in new:
            if not same_value(old[name], new[name]):
                events[name].emit(new[name], old[name])

    # -- JSON form (sessions and lesson slides) ------------------------------------------
    def settings(self) -> dict[str, Any]:
        """The saved fields as JSON values (tuples become lists; arrays nested lists)."""
        out = {}
        for f in fields(self):  # type: ignore[arg-type]
            if f.metadata.get("session", True):
                out[f.name] = _to_json(getattr(self, f.name))
        return out

    def changes_from(self, settings: dict) -> dict[str, Any]:
        """Checked changes for the known keys of ``settings`` (unknown keys are ignored, so an
        older or newer file still opens); ``ValueError`` if a known value is refused."""
        if not isinstance(settings, dict):
            raise ValueError(f"The {type(self).__name__} settings must be a JSON object.")
        known = {f.name for f in fields(self) if f.metadata.get("session", True)}  # type: ignore[arg-type]
        return self.checked(**{k: v for k, v in settings.items() if k in known})


def _to_json(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, (tuple, list)):
        return [_to_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _to_json(v) for k, v in value.items()}
    if isinstance(value, np.generic):
        return value.item()
    return value


def choice(value: Any, options, what: str) -> Any:
    """``value`` if it is one of ``options``, else ``ValueError`` naming them."""
    if value not in options:
        raise ValueError(f"Unknown {what} {value!r}: use one of {', '.join(map(str, options))}.")
    return value


def numeric_choice(value: Any, options, what: str) -> Any:
    """``value`` (a number, compared as a float) if it is one of ``options``, else ``ValueError``."""
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        value = float(value)
    return choice(value, options, what)


def whole_number(value: Any, what: str, lo: int, hi: int) -> int:
    """``value`` as an int in ``lo..hi``, else ``ValueError``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer, float)) or value != int(value):
        raise ValueError(f"The {what} must be a whole number, not {value!r}.")
    v = int(value)
    if not lo <= v <= hi:
        raise ValueError(f"The {what} must be between {lo} and {hi}, not {v}.")
    return v


def real_number(value: Any, what: str, lo: float, hi: float) -> float:
    """``value`` as a finite float in ``lo..hi``, else ``ValueError``."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(f"The {what} must be a number, not {value!r}.")
    v = float(value)
    if not (np.isfinite(v) and lo <= v <= hi):
        raise ValueError(f"The {what} must be between {lo:g} and {hi:g}, not {value!r}.")
    return v
