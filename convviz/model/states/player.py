"""State of the "Step through" tab, and how its position moves (Qt-free).

The player shows one step of the region's row-major sequence (``step``); in lecture mode
it reveals the products of that step one at a time (``revealed`` of them, ``None``: all,
then the sum). The position is clamped to what the current document offers only when it
is shown (:meth:`PlayerState.position`), so a slide or session may name a step before
the image it belongs to is loaded.

Moving the position (stepping, playing, choosing a region, inspecting a pixel) changes the
state directly; the panel's settings (lecture mode, speed, loop, channel, region size,
similarity map) are undoable edits.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from psygnal import evented

from ..panel_state import PanelState, real_number, whole_number
from ..player_region import DEFAULT_CROP_SIDE

#: animation speed in steps (lecture mode: products) per second
MIN_SPEED, MAX_SPEED, DEFAULT_SPEED = 0.5, 60.0, 4.0
#: side of the region animated on large images, in pixels
MIN_REGION_SIDE, MAX_REGION_SIDE = 4, 32
#: ``channel`` values: luminance (None) or one colour channel
CHANNEL_CHOICES = (None, 0, 1, 2)
_BIG = 2 ** 31 - 1


@evented
@dataclass
class PlayerState(PanelState):
    """Where the player is and how it plays.

    ``step``: index of the shown step (0-based, clamped when shown); ``revealed``: products
    shown in lecture mode (``None``: all of them and the sum); ``lecture_mode``; ``speed``
    (steps per second); ``loop``; ``channel``: ``None`` (luminance) or 0/1/2 of a colour
    image; ``region``: the crop ``(row, col, h, w)`` animated (``None``: chosen for the image:
    the whole of a small one, else where it varies most); ``region_side``: side of that
    chosen crop; ``similarity_map``; ``inspected``: the shown-grid cell ``(row, col)`` whose
    outputs are marked (``None``: none).
    """

    step: int = 0
    revealed: int | None = None
    lecture_mode: bool = False
    speed: float = DEFAULT_SPEED
    loop: bool = False
    channel: int | None = None
    region: tuple[int, int, int, int] | None = None
    region_side: int = DEFAULT_CROP_SIDE
    similarity_map: bool = False
    inspected: tuple[int, int] | None = None

    # -- checks ---------------------------------------------------------------------------
    def _check_step(self, value):
        return whole_number(value, "step", 0, _BIG)

    def _check_revealed(self, value):
        return None if value is None else whole_number(value, "number of revealed products", 0, _BIG)

    def _check_lecture_mode(self, value):
        return bool(value)

    def _check_speed(self, value):
        return real_number(value, "speed (steps per second)", MIN_SPEED, MAX_SPEED)

    def _check_loop(self, value):
        return bool(value)

    def _check_channel(self, value):
        if value is None:
            return None
        return whole_number(value, "channel (0 red, 1 green, 2 blue; null for the luminance)", 0, 2)

    def _check_region(self, value):
        if value is None:
            return None
        if not isinstance(value, (list, tuple)) or len(value) != 4:
            raise ValueError(f"The region must be [row, col, height, width] or null, not {value!r}.")
        row, col = (whole_number(v, "region's corner", -_BIG, _BIG) for v in value[:2])
        h, w = (whole_number(v, "region's size", 1, _BIG) for v in value[2:])
        return row, col, h, w

    def _check_region_side(self, value):
        return whole_number(value, "region size", MIN_REGION_SIDE, MAX_REGION_SIDE)

    def _check_similarity_map(self, value):
        return bool(value)

    def _check_inspected(self, value):
        if value is None:
            return None
        if not isinstance(value, (list, tuple)) or len(value) != 2:
            raise ValueError(f"The inspected cell must be [row, col] or null, not {value!r}.")
        return tuple(whole_number(v, "inspected cell", 0, _BIG) for v in value)

    def changes_from(self, settings: dict) -> dict[str, Any]:
        """As :meth:`PanelState.changes_from`; a slide that names a ``step`` but not ``revealed``
        shows that step whole (as lessons always have)."""
        changes = super().changes_from(settings)
        if "step" in changes and "revealed" not in settings:
            changes["revealed"] = None
        return changes

    # -- the position, for a sequence of ``count`` steps of ``taps`` products each ---------
    def position(self, count: int, taps: int) -> tuple[int, int]:
        """``(step, revealed)`` as shown: the step clamped to ``0..count-1``; ``taps`` when every
        product is shown (always outside lecture mode)."""
        index = min(self.step, max(count - 1, 0))
        if not self.lecture_mode or self.revealed is None or self.revealed >= taps:
            return index, taps
        return index, self.revealed

    def at_end(self, count: int, taps: int) -> bool:
        """True on the last step with its sum shown (playing stops or loops here)."""
        index, shown = self.position(count, taps)
        return index >= count - 1 and shown >= taps

    def go_to(self, index: int, count: int, taps: int, revealed: int | None = None) -> dict[str, Any]:
        """Changes that show step ``index`` (clamped); in lecture mode ``revealed`` products (default all)."""
        index = min(max(int(index), 0), max(count - 1, 0))
        if not self.lecture_mode or revealed is None or revealed >= taps:
            return {"step": index, "revealed": None}
        return {"step": index, "revealed": max(0, int(revealed))}

    def first(self, count: int, taps: int) -> dict[str, Any]:
        """The first step (in lecture mode with nothing revealed yet)."""
        return self.go_to(0, count, taps, 0 if self.lecture_mode else None)

    def last(self, count: int, taps: int) -> dict[str, Any]:
        return self.go_to(count - 1, count, taps)

    def forward(self, count: int, taps: int) -> dict[str, Any] | None:
        """One step (lecture mode: one product) forward; ``None`` at the end."""
        index, shown = self.position(count, taps)
        if count == 0:
            return None
        if shown < taps:
            return {"step": index, "revealed": None if shown + 1 >= taps else shown + 1}
        if index < count - 1:
            return {"step": index + 1, "revealed": 0 if self.lecture_mode else None}
        return None

    def back(self, count: int, taps: int) -> dict[str, Any] | None:
        """One step (lecture mode: one product) back; ``None`` at the start."""
        index, shown = self.position(count, taps)
        if count == 0:
            return None
        if self.lecture_mode and shown > 0:
            return {"step": index, "revealed": shown - 1}
        if index > 0:
            return {"step": index - 1, "revealed": None}
        return None

    def lecture_changes(self, on: bool) -> dict[str, Any]:
        """Lecture mode on (the shown step starts again with no product revealed) or off."""
        return {"lecture_mode": bool(on), "revealed": 0 if on else None}

    def after_document_change(self, old_hw: tuple[int, int], new_hw: tuple[int, int]) -> dict[str, Any]:
        """What a change of the document resets: no pixel stays inspected (the grid may have moved
        under it) and lecture mode starts the step again; an image of another size (``old_hw`` →
        ``new_hw``) also forgets the region and the step (they meant places in the old picture)."""
        changes: dict[str, Any] = {"inspected": None, "revealed": 0 if self.lecture_mode else None}
        if tuple(old_hw) != tuple(new_hw):
            changes.update(region=None, step=0)
        return changes
