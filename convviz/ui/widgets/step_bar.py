"""A transport bar for the step-through tabs beside the player (pooling, transposed and 1-D convolution).

First / back / play / forward / last buttons, a slider and the position (wrapping under the buttons when the
bar is narrow), plus the keys the player uses (Space plays, → / Page Down forward, ← / Page Up back, Home, End)
while the focus is in the owning panel; Page Up/Down give way to the window during a lesson. The bar holds no
state: it calls
``move_step(action) -> bool`` (an action of :data:`~convviz.model.step_view.STEP_ACTIONS`; False when it
could not move) and ``jump(index)``, and shows what :meth:`show_position` is told. Playing is a
transient animation (a timer that moves forward and stops at the end). :class:`FrameStepping` gives a panel
those two methods for a frame that knows its step and count.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSlider, QStyle, QWidget

from convviz.model.step_view import clamp_step, step_readout, step_target

from ..clicker_keys import yield_to_window
from .flow_layout import FlowLayout
from .naming import named

#: steps per second while playing
PLAY_RATE = 3.0
_KEYS = (("Space", "play"), ("Right", "forward"), ("PgDown", "forward"), ("Left", "back"), ("PgUp", "back"),
         ("Home", "first"), ("End", "last"))


class StepBar(QWidget):
    """``prefix`` names the widgets (``<prefix>StepForwardButton`` …) so each tab's are told apart."""

    def __init__(self, owner: QWidget, prefix: str, move: Callable[[str], bool], jump: Callable[[int], None],
                 parent: QWidget | None = None):
        super().__init__(parent)
        self._move, self._jump = move, jump
        icon, sp = self.style().standardIcon, QStyle.StandardPixmap

        def button(pixmap, text, name, tip, accessible):
            return named(QPushButton(icon(pixmap), text), f"{prefix}{name}", tip, accessible)

        self.first_button = button(sp.SP_MediaSkipBackward, "", "FirstStepButton", "Go to the first step (Home)",
                                   "First step")
        self.back_button = button(sp.SP_MediaSeekBackward, " Back", "StepBackButton",
                                  "One step back (← or Page Up)", "Step back")
        self.play_button = button(sp.SP_MediaPlay, " Play", "PlayButton", "Play or pause (Space)", "Play")
        self.play_button.setCheckable(True)
        self.forward_button = button(sp.SP_MediaSeekForward, " Step", "StepForwardButton",
                                     "One step forward (→ or Page Down)", "Step forward")
        self.last_button = button(sp.SP_MediaSkipForward, "", "LastStepButton", "Go to the last step (End)",
                                  "Last step")
        self.slider = named(QSlider(Qt.Orientation.Horizontal), f"{prefix}StepSlider",
                            "Scrub through the steps", "Step")
        self.slider.setMinimum(0)
        self.slider.setMinimumWidth(120)
        self.position_label = named(QLabel(step_readout(0, 0)), f"{prefix}StepPosition", "Current step of all steps",
                                    "Step position")
        self.position_label.setMinimumWidth(self.position_label.fontMetrics().horizontalAdvance("step 999 / 999 "))
        buttons = QWidget()
        row = QHBoxLayout(buttons)
        row.setContentsMargins(0, 0, 0, 0)
        for widget in (self.first_button, self.back_button, self.play_button, self.forward_button,
                       self.last_button):
            row.addWidget(widget)
        layout = FlowLayout(self, stretch=True)      # the slider and position wrap under the buttons when narrow
        layout.addWidget(buttons, 0)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.position_label, 0)
        policy = self.sizePolicy()
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

        self.timer = QTimer(self)
        self.timer.setInterval(int(1000 / PLAY_RATE))
        self.timer.timeout.connect(self._tick)
        self.first_button.clicked.connect(lambda: self._move("first"))
        self.back_button.clicked.connect(lambda: self._move("back"))
        self.forward_button.clicked.connect(lambda: self._move("forward"))
        self.last_button.clicked.connect(lambda: self._move("last"))
        self.play_button.toggled.connect(self._play_toggled)
        self.slider.valueChanged.connect(lambda v: self._jump(int(v)))
        self.shortcuts: dict[str, QShortcut] = {}
        for key, action in _KEYS:
            shortcut = QShortcut(QKeySequence(key), owner)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.toggle_play if action == "play" else
                                       (lambda a=action: self._user_move(a)))
            self.shortcuts[key] = yield_to_window(shortcut)  # during a lesson Page Up/Down change slides

    # -- what the panel tells it ---------------------------------------------------------
    def show_position(self, index: int, count: int) -> None:
        with QSignalBlocker(self.slider):
            self.slider.setMaximum(max(count - 1, 0))
            self.slider.setValue(index)
        self.position_label.setText(step_readout(index, count))
        for widget in (self.first_button, self.back_button):
            widget.setEnabled(index > 0)
        for widget in (self.forward_button, self.last_button):
            widget.setEnabled(index < count - 1)
        self.play_button.setEnabled(count > 1)

    # -- playing (transient) -------------------------------------------------------------
    @property
    def playing(self) -> bool:
        return self.timer.isActive()

    def toggle_play(self) -> None:
        self.play_button.setChecked(not self.play_button.isChecked())

    def stop(self) -> None:
        self.play_button.setChecked(False)

    def _play_toggled(self, on: bool) -> None:
        if on:
            if not self.forward_button.isEnabled():   # at the end: start again from the first step
                self._move("first")
            self.timer.start()
        else:
            self.timer.stop()
        self.play_button.setText(" Pause" if on else " Play")

    def _tick(self) -> None:
        if not self._move("forward"):
            self.stop()

    def _user_move(self, action: str) -> None:
        self.stop()
        self._move(action)

    def hideEvent(self, event) -> None:   # a hidden tab does not keep playing
        self.stop()
        super().hideEvent(event)


class FrameStepping:
    """What a step-through panel gives its :class:`StepBar`, for a panel whose ``frame`` has ``count`` steps and
    shows ``frame.step.index`` (``frame`` is ``None`` before anything is drawn) and whose state keeps the step in
    ``state.step``. Moving is not an undo step (as in the player)."""

    frame: Any
    state: Any

    def move_step(self, action: str) -> bool:
        """Step (first/back/forward/last); False when it cannot move."""
        target = step_target(self.state.step, action, self.step_count())
        if target is None:
            return False
        self.state.apply(step=target)
        return True

    def jump(self, index: int) -> None:
        """Go to step ``index`` (clamped to the steps there are)."""
        self.state.apply(step=clamp_step(index, self.step_count()))

    def step_count(self) -> int:
        return self.frame.count if self.frame is not None else 0

    @property
    def step_index(self) -> int:
        return self.frame.step.index if self.frame is not None else 0
