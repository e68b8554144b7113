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

from convviz.model.states.player import MAX_SPEED, MIN_SPEED

from ..widgets import named


class PlayerControls(QWidget):
    """Buttons and settings of the player; the panel connects them (this widget holds no state)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        style = self.style()
        icon = style.standardIcon
        sp = QStyle.StandardPixmap
        self.first_button = named(QPushButton(icon(sp.SP_MediaSkipBackward), ""), "firstStepButton",
                                  "Go to the first step (Home)", "First step")
        self.back_button = named(QPushButton(icon(sp.SP_MediaSeekBackward), " Back"), "stepBackButton",
                                 "One step back (← or Page Up; during a lesson Page Up shows the previous slide)",
                                 "Step back")
        self.play_button = named(QPushButton(icon(sp.SP_MediaPlay), " Play"), "playButton",
                                 "Play or pause the animation (Space)", "Play")
        self.play_button.setCheckable(True)
        self.forward_button = named(QPushButton(icon(sp.SP_MediaSeekForward), " Step"), "stepForwardButton",
                                    "One step forward (→ or Page Down; during a lesson Page Down shows the next slide)",
                                    "Step forward")
        self.last_button = named(QPushButton(icon(sp.SP_MediaSkipForward), ""), "lastStepButton",
                                 "Go to the last step (End)", "Last step")
        self.slider = named(QSlider(Qt.Orientation.Horizontal), "stepSlider",
                            "Scrub through the steps", "Step")
        self.slider.setMinimum(0)
        self.slider.setPageStep(10)
        self.position_label = named(QLabel(), "stepPositionLabel", "Current step of all steps", "Step position")
        self._fit_position_label()
        self.speed_spin = named(QDoubleSpinBox(), "speedSpin",
                                f"Animation speed, {MIN_SPEED:g} to {MAX_SPEED:g} steps per second", "Speed")
        self.speed_spin.setRange(MIN_SPEED, MAX_SPEED)
        self.speed_spin.setDecimals(1)
        self.speed_spin.setSingleStep(0.5)
        self.speed_spin.setSuffix(" steps/s")
        self.speed_spin.setKeyboardTracking(False)  # typing "12" is one change (one undo step), not "1" then "12"
        self.loop_check = named(QCheckBox("Loop"), "loopCheck",
                                "Start again from the first step after the last one", "Loop")
        self.lecture_check = named(QCheckBox("Lecture mode"), "lectureModeCheck",
                                   "Reveal one product at a time before the sum", "Lecture mode")
        self.similarity_check = named(QCheckBox("Similarity map"), "similarityMapCheck",
                                      "Show the cosine similarity of every patch with the kernel "
                                      "(normalised cross-correlation) beside the output", "Similarity map")
        # Buttons take focus only from Tab, so a click leaves Space/arrows to the player's shortcuts.
        for b in (self.first_button, self.back_button, self.play_button, self.forward_button, self.last_button):
            b.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            b.setAutoDefault(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for button in (self.first_button, self.back_button, self.play_button, self.forward_button, self.last_button):
            layout.addWidget(button)
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
