"""Moving through the steps: forward, back, first, last, play and pause, and their keys.

A mixin of :class:`~.panel.PlayerPanel` (it uses the panel's ``state``, ``drawer``, ``view``
and ``_flush``). The position is the state's ``step`` and ``revealed``; the rules of moving
are Qt-free (:class:`~convviz.model.states.player.PlayerState`), and a move changes the state
directly, not as an undo step (a player's position is not an edit). Playing is a
:class:`~.clock.StepClock` ticking: transient, never saved.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget

from ..clicker_keys import yield_to_window

if TYPE_CHECKING:
    from convviz.model.states.player import PlayerState

    from .clock import StepClock
    from .drawing import PlayerDrawer
    from .view import PlayerView

    _PanelWidget = QWidget
else:
    _PanelWidget = object


class Transport(_PanelWidget):
    """Step, play and pause (for a panel with ``state``, ``drawer``, ``view``, ``_clock`` and ``_flush``)."""

    if TYPE_CHECKING:
        state: PlayerState
        drawer: PlayerDrawer
        view: PlayerView
        _clock: StepClock

        def _flush(self) -> None: ...

    def _move(self, changes: dict | None) -> bool:
        """Change the position (not an undo step); False when there is nowhere to go."""
        if changes is None:
            return False
        self.state.apply(**changes)
        self._flush()
        return True

    def _counts(self) -> tuple[int, int] | None:
        """``(steps, products per step)``, or ``None`` when there is nothing to step through."""
        self._flush()
        b = self.drawer.build
        return None if b is None or b.count == 0 else (b.count, b.taps)

    def set_step(self, index: int, revealed: int | None = None) -> None:
        """Show step ``index`` (clamped); in lecture mode ``revealed`` products (default all)."""
        counts = self._counts()
        if counts is not None:
            self._move(self.state.go_to(index, *counts, revealed))

    def step_forward(self) -> bool:
        """One step (or, in lecture mode, one product) forward; False at the end."""
        counts = self._counts()
        return counts is not None and self._move(self.state.forward(*counts))

    def step_back(self) -> bool:
        """One step (or product) back; False at the start."""
        counts = self._counts()
        return counts is not None and self._move(self.state.back(*counts))

    def _go_first(self) -> None:
        counts = self._counts()
        if counts is not None:
            self._move(self.state.first(*counts))

    def _go_last(self) -> None:
        counts = self._counts()
        if counts is not None:
            self._move(self.state.last(*counts))

    # -- playing -------------------------------------------------------------------------
    def is_playing(self) -> bool:
        return self._clock.is_running()

    def play(self) -> None:
        counts = self._counts()
        if counts is None or self.is_playing():
            return
        if self.state.at_end(*counts) and not self.state.loop:
            self._go_first()
        self._clock.start()
        self.view.controls.show_playing(True)

    def pause(self) -> None:
        self._clock.stop()
        self.view.controls.show_playing(False)

    def toggle_play(self) -> None:
        self.pause() if self.is_playing() else self.play()

    def _on_tick(self) -> None:
        if self.step_forward():
            return
        if self.state.loop:
            self._go_first()
        else:
            self.pause()

    # -- buttons and keys ----------------------------------------------------------------
    def _user_forward(self) -> None:
        self.pause()
        self.step_forward()

    def _user_back(self) -> None:
        self.pause()
        self.step_back()

    def _connect_transport(self) -> None:
        """The transport bar's buttons and slider, and the keys (Space, arrows, Page Up/Down, Home, End)."""
        c = self.view.controls
        c.play_button.clicked.connect(lambda: self.toggle_play())
        c.forward_button.clicked.connect(self._user_forward)
        c.back_button.clicked.connect(self._user_back)
        c.first_button.clicked.connect(self._go_first)
        c.last_button.clicked.connect(self._go_last)
        c.slider.valueChanged.connect(lambda i: self.set_step(i))
        keys = [
            (Qt.Key.Key_Space, self.toggle_play), (Qt.Key.Key_Right, self._user_forward),
            (Qt.Key.Key_PageDown, self._user_forward), (Qt.Key.Key_Left, self._user_back),
            (Qt.Key.Key_PageUp, self._user_back), (Qt.Key.Key_Home, self._go_first),
            (Qt.Key.Key_End, self._go_last),
        ]
        self._shortcuts = []
        for key, slot in keys:
            sc = QShortcut(QKeySequence(key), self)
            sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            sc.activated.connect(slot)
            self._shortcuts.append(yield_to_window(sc))  # during a lesson Page Up/Down change slides
