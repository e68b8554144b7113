"""The player's transport bar: first/back/play/forward/last, the step slider, speed, loop and modes."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QStyle,
    QWidget,
)

from .clock import MAX_SPEED, MIN_SPEED


def _named(widget, name: str, accessible: str, tip: str):
    widget.setObjectName(name)
    widget.setAccessibleName(accessible)
    widget.setToolTip(tip)
    return widget


class PlayerControls(QWidget):
    """Buttons and settings of the player; the panel connects them (this widget holds no state)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        style = self.style()
        icon = style.standardIcon
        sp = QStyle.StandardPixmap
        self.first_button = _named(QPushButton(icon(sp.SP_MediaSkipBackward), ""), "firstStepButton",
                                   "First step", "Go to the first step (Home)")
        self.back_button = _named(QPushButton(icon(sp.SP_MediaSeekBackward), " Back"), "stepBackButton",
                                  "Step back", "One step back (← or Page Up; during a lesson Page Up shows the previous slide)")
        self.play_button = _named(QPushButton(icon(sp.SP_MediaPlay), " Play"), "playButton",
                                  "Play", "Play or pause the animation (Space)")
        self.play_button.setCheckable(True)
        self.forward_button = _named(QPushButton(icon(sp.SP_MediaSeekForward), " Step"), "stepForwardButton",
                                     "Step forward", "One step forward (→ or Page Down; during a lesson Page Down shows the next slide)")
        self.last_button = _named(QPushButton(icon(sp.SP_MediaSkipForward), ""), "lastStepButton",
                                  "Last step", "Go to the last step (End)")
        self.slider = _named(QSlider(Qt.Orientation.Horizontal), "stepSlider", "Step",
                             "Scrub through the steps")
        self.slider.setMinimum(0)
        self.slider.setPageStep(10)
        self.position_label = _named(QLabel(), "stepPositionLabel", "Step position", "Current step of all steps")
        self._fit_position_label()
        self.speed_spin = _named(QDoubleSpinBox(), "speedSpin", "Speed",
                                 f"Animation speed, {MIN_SPEED:g} to {MAX_SPEED:g} steps per second")
        self.speed_spin.setRange(MIN_SPEED, MAX_SPEED)
        self.speed_spin.setDecimals(1)
        self.speed_spin.setSingleStep(0.5)
        self.speed_spin.setSuffix(" steps/s")
        self.loop_check = _named(QCheckBox("Loop"), "loopCheck", "Loop",
                                 "Start again from the first step after the last one")
        self.lecture_check = _named(QCheckBox("Lecture mode"), "lectureModeCheck", "Lecture mode",
                                    "Reveal one product at a time before the sum")
        self.similarity_check = _named(QCheckBox("Similarity map"), "similarityMapCheck", "Similarity map",
                                       "Show the cosine similarity of every patch with the kernel "
                                       "(normalised cross-correlation) beside the output")
        # Buttons take focus only from Tab, so a click leaves Space/arrows to the player's shortcuts.
        for b in (self.first_button, self.back_button, self.play_button, self.forward_button, self.last_button):
            b.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            b.setAutoDefault(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for w in (self.first_button, self.back_button, self.play_button, self.forward_button, self.last_button):
            layout.addWidget(w)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.position_label)
        for w in (self.speed_spin, self.loop_check, self.lecture_check, self.similarity_check):
            layout.addWidget(w)

    def _fit_position_label(self) -> None:
        """Room for the longest position text in today's font (presentation mode scales it)."""
        metrics = self.position_label.fontMetrics()
        self.position_label.setFixedSize(metrics.horizontalAdvance("step 00000 / 00000") + 8, metrics.height() + 6)

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.FontChange:
            self._fit_position_label()
        super().changeEvent(event)

    def show_playing(self, playing: bool) -> None:
        """Play button look: ▶ Play or ⏸ Pause."""
        sp = QStyle.StandardPixmap
        self.play_button.setChecked(playing)
        self.play_button.setIcon(self.style().standardIcon(sp.SP_MediaPause if playing else sp.SP_MediaPlay))
        self.play_button.setText(" Pause" if playing else " Play")
        self.play_button.setAccessibleName("Pause" if playing else "Play")
