"""The step-through player tab: the kernel sliding over the input, one multiply-add at a time.

The panel follows the document (kernel, padding, stride, dilation, padding mode, flip, grey)
and animates a region of it (the whole input when it is small, a crop around a click on
photos). Its settings and position are a :class:`~convviz.model.states.player.PlayerState`;
every number comes from :mod:`convviz.model.player_frames` (on top of
:func:`convviz.model.steps`); :class:`~.view.PlayerView` draws them.

Edits of the settings (lecture mode, speed, loop, channel, region size, similarity map) and
of the numeric input are undo steps. Moving the position (stepping, playing, scrubbing,
choosing a region on the overview, inspecting a pixel) changes the state directly, as a
video player's position is not an edit.

Public API for lessons and export: :meth:`set_step`, :attr:`step_index`, :attr:`step_count`,
:meth:`play`, :meth:`pause`, :meth:`set_region`, :meth:`set_lecture_mode`, :meth:`lesson_settings`,
:meth:`apply_lesson_settings` (``{"step": i}`` shows step ``i`` whole).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QVBoxLayout

from convviz.model.numeric_input import lecture_example, region_numbers
from convviz.model.player_frames import inspect_cell
from convviz.model.player_region import region_around
from convviz.model.states.player import MAX_SPEED, MIN_SPEED, PlayerState

from ..panel import Panel
from ..widgets import named
from .clock import StepClock
from .drawing import PlayerDrawer
from .source import SourceProvider
from .transport import Transport
from .view import PlayerView


class PlayerPanel(Transport, Panel):
    """Step through a convolution of the document; a tab of the main window."""

    key, title, shortcut = "player", "Step through", "Ctrl+2"
    document_fields = ("image", "image_name", "kernel", "preset", "padding", "stride", "dilation", "padding_mode",
                       "flip", "gray")
    state: PlayerState

    def __init__(self, workspace, parent=None, **kwargs):
        super().__init__(workspace, parent, **kwargs)
        named(self, "playerPanel", None, "Step-through player")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._image_hw = self.document.image.shape[:2]
        self.source = SourceProvider(self)
        self.source.ready.connect(self._on_source_ready)
        self.source.failed.connect(self._on_source_failed)
        self.runner = self.source.runner
        self._clock = StepClock(self)
        self._clock.tick.connect(self._on_tick)
        self.view = PlayerView()
        self.drawer = PlayerDrawer(self.view, self.source)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.view)
        self._connect()
        self.refresh_now()

    # ================================================================== reading
    def _flush(self) -> None:
        """Catch up now with changes made while hidden (lessons, export and tests read at once)."""
        if self.stale:
            self.refresh_now()

    @property
    def _build(self):
        return self.drawer.build

    def _position(self) -> tuple[int, int]:
        return self.drawer.position(self.state)

    @property
    def step_index(self) -> int:
        """Index of the shown step in the region's row-major order (0-based)."""
        self._flush()
        return self._position()[0]

    @property
    def step_count(self) -> int:
        self._flush()
        return 0 if self._build is None else self._build.count

    @property
    def region(self):
        """The :class:`~convviz.model.player_region.PlayerRegion` animated (``None`` on error)."""
        self._flush()
        return None if self._build is None else self._build.region

    @property
    def steps(self):
        """The region's lazy :class:`~convviz.model.StepSequence` (``None`` on error)."""
        self._flush()
        return None if self._build is None else self._build.steps

    @property
    def current_step(self):
        self._flush()
        b = self._build
        return None if b is None or b.count == 0 else b.steps[self._position()[0]]

    @property
    def lecture_mode(self) -> bool:
        return self.state.lecture_mode

    @property
    def revealed_products(self) -> int:
        """How many products the lecture mode shows for the current step (all outside it)."""
        self._flush()
        return self._position()[1]

    def animation_widget(self):
        """The grids and the arithmetic, without the controls (what an exported animation shows)."""
        return self.view.steps_view

    # ================================================================== moving (see Transport)
    def _restart(self) -> dict:
        """A new region starts at its first step, nothing inspected."""
        return {"step": 0, "revealed": 0 if self.state.lecture_mode else None, "inspected": None}

    def set_region(self, row: int, col: int, h: int, w: int) -> None:
        """Animate the crop ``(row, col, h, w)`` of the image (moved inside it)."""
        self._move({"region": (int(row), int(col), int(h), int(w)), **self._restart()})

    def inspect_input(self, grid_row: int, grid_col: int) -> list[int]:
        """Highlight every output the shown-grid cell contributes to (a second click clears);
        returns their step indices."""
        self._flush()
        if self._build is None:
            return []
        cell = None if self.state.inspected == (grid_row, grid_col) else (grid_row, grid_col)
        self._move({"inspected": cell})
        inspection = inspect_cell(self._build, cell)
        return [] if inspection is None else inspection.steps

    # ================================================================== settings (undo steps)
    def _edit(self, text: str, **changes) -> None:
        self.edit(text, **changes)
        self._flush()

    def set_lecture_mode(self, on: bool) -> None:
        """Reveal one product at a time before the sum (True) or whole steps (False)."""
        if bool(on) != self.state.lecture_mode:
            self._edit("Lecture mode" if on else "Whole steps", **self.state.lecture_changes(on))

    def set_speed(self, steps_per_second: float) -> None:
        self._edit("Speed", speed=min(max(float(steps_per_second), MIN_SPEED), MAX_SPEED))

    def set_loop(self, on: bool) -> None:
        self._edit("Loop" if on else "No loop", loop=bool(on))

    def show_similarity_map(self, on: bool) -> None:
        self._edit("Show the similarity map" if on else "Hide the similarity map", similarity_map=bool(on))

    def set_channel(self, channel: int | None) -> None:
        """Step through the luminance (``None``) or channel 0/1/2 of a colour image (the region stays)."""
        changes: dict = {"channel": channel}
        b = self._build
        if (b is not None and self.state.region is None and not b.region.is_whole
                and b.region.image_hw == self.document.image.shape[:2]):
            changes["region"] = b.region.crop
        self._edit("Choose the channel", **changes)

    def _on_region_size(self, side: int) -> None:
        changes = {"region_side": int(side), **self._restart()}
        b = self._build
        if b is not None and not b.region.is_whole:
            row, col, h, w = b.region.crop
            changes["region"] = region_around(b.region.image_hw, (row + h // 2, col + w // 2), int(side))
        self._edit("Region size", **changes)

    # ================================================================== lessons and sessions
    def lesson_settings(self) -> dict:
        """The state's JSON form, with the step and products as shown (clamped to this image)."""
        self._flush()
        out = super().lesson_settings()
        if self._build is not None:
            index, revealed = self._position()
            out["step"], out["revealed"] = index, None if revealed >= self._build.taps else revealed
        return out

    def apply_lesson_settings(self, settings: dict) -> None:
        super().apply_lesson_settings(settings)
        self._flush()

    # ================================================================== numeric input
    def _edit_input(self, text: str, **changes) -> bool:
        """Change the document (one undo step); a refusal is shown under the numeric grid."""
        try:
            self.document.checked(**changes)
        except ValueError as exc:
            self.view.numeric.revert()
            self.view.numeric.show_error(str(exc))
            return False
        return self.edit_document(text, **changes)

    def load_lecture_example(self) -> None:
        """The lecture's 4×4 input with kernel [[1, 0], [0, 2]], valid padding, in the document."""
        if self._edit_input("Lecture example", **lecture_example()):
            self._move({"region": None, **self._restart()})

    def _on_crop_to_numbers(self, rows: int, cols: int) -> None:
        b = self._build
        if b is None:
            return
        r0, c0 = b.region.crop[:2]
        name = f"numbers from {self.document.image_name} ({r0}, {c0})"
        if self._edit_input("Numbers from the region", image=region_numbers(b.source, b.region.crop, rows, cols),
                            image_name=name):
            self._move({"region": None})

    # ================================================================== drawing
    def refresh(self) -> None:
        self.drawer.draw(self.document, self.state)
        self._clock.set_speed(self.state.speed)
        if self._build is None:
            self.pause()

    def _on_source_ready(self) -> None:
        self.drawer.invalidate()
        self.mark_stale()

    def _on_source_failed(self, message: str) -> None:
        self.drawer.show_error(message)
        self.pause()

    def _on_document_changed(self, *_args) -> None:
        hw = self.document.image.shape[:2]
        changes = self.state.after_document_change(self._image_hw, hw)
        self._image_hw = hw
        self.state.apply(**changes)
        super()._on_document_changed()

    # ================================================================== widgets → state
    def _connect(self) -> None:
        self._connect_transport()
        v, c = self.view, self.view.controls
        c.speed_spin.valueChanged.connect(self.set_speed)
        c.loop_check.toggled.connect(self.set_loop)
        c.lecture_check.toggled.connect(self.set_lecture_mode)
        c.similarity_check.toggled.connect(self.show_similarity_map)
        v.output_grid.cellClicked.connect(self._on_output_clicked)
        v.similarity_grid.cellClicked.connect(self._on_output_clicked)
        v.input_grid.cellClicked.connect(lambda r, col: self.inspect_input(r, col))
        v.overview.regionClicked.connect(self._on_overview_clicked)
        v.region_spin.valueChanged.connect(self._on_region_size)
        v.channel_box.currentIndexChanged.connect(lambda i: self.set_channel(v.channel_box.itemData(i)))
        v.numeric.imageEdited.connect(lambda image: self._edit_input("Edit the numeric input", image=image))
        v.numeric.lectureExampleRequested.connect(self.load_lecture_example)
        v.numeric.cropRequested.connect(self._on_crop_to_numbers)

    def _on_output_clicked(self, row: int, col: int) -> None:
        self.pause()
        if self._build is not None:
            self.set_step(row * self._build.region.output_shape[1] + col)

    def _on_overview_clicked(self, row: int, col: int) -> None:
        crop = region_around(self.document.image.shape[:2], (row, col), self.state.region_side)
        self._move({"region": crop, **self._restart()})

    # ================================================================== lifetime
    def showEvent(self, event) -> None:
        super().showEvent(event)  # catches up with changes made while hidden
        # When the tab is shown, take the keyboard focus (unless a child already has it), so a
        # presenter's clicker (PageDown/PageUp) and Space drive the player at once.
        QTimer.singleShot(0, self, self._take_focus)

    def _take_focus(self) -> None:
        focus = QApplication.focusWidget()
        if self.isVisible() and (focus is None or not (focus is self or self.isAncestorOf(focus))):
            self.setFocus(Qt.FocusReason.OtherFocusReason)

    def hideEvent(self, event) -> None:
        self.pause()
        super().hideEvent(event)

    def closeEvent(self, event) -> None:
        self.pause()
        self.source.stop()
        super().closeEvent(event)
