"""The player's transport bar: first/back/play/forward/last, the step slider, speed, loop and modes.

One row when the panel is wide enough, else two (the transport above, the settings below), so
presentation fonts on a 1024-pixel projector never push the bar off the screen. Speed and loop are
editing chrome: presentation mode hides them (Space still plays).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from convviz.model.states.player import MAX_SPEED, MIN_SPEED

from ..widgets import mark_editing_chrome, named

#: the slider is never narrower than this many "x" of the font when the bar is one row
SLIDER_CHARS = 8


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
        self._count = 1
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
        for w in (self.speed_spin, self.loop_check):
            mark_editing_chrome(w)
        self._transport = [self.first_button, self.back_button, self.play_button, self.forward_button,
                           self.last_button, self.slider, self.position_label]
        self._settings = [self.speed_spin, self.loop_check, self.lecture_check, self.similarity_check]
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self._rows = (QHBoxLayout(), QHBoxLayout())
        for row in self._rows:
            row.setContentsMargins(0, 0, 0, 0)
            layout.addLayout(row)
        for w in self._transport:
            self._rows[0].addWidget(w, 1 if w is self.slider else 0)
        self._one_row: bool | None = None
        self._arrange(True)

    # -- one row or two ----------------------------------------------------------------------
    def _widths(self) -> tuple[int, int]:
        """Widths the transport and the shown settings need (slider at its smallest)."""
        spacing = max(self._rows[0].spacing(), 0)
        slider = self.fontMetrics().horizontalAdvance("x") * SLIDER_CHARS
        transport = sum(w.sizeHint().width() + spacing for w in self._transport if w is not self.slider) + slider
        settings = sum(w.sizeHint().width() + spacing for w in self._settings if not w.isHidden())
        return transport, settings

    def is_one_row(self) -> bool:
        return bool(self._one_row)

    def _arrange(self, one_row: bool) -> None:
        if one_row == self._one_row:
            return
        self._one_row = one_row
        old, new = (self._rows[1], self._rows[0]) if one_row else (self._rows[0], self._rows[1])
        for w in self._settings:
            old.removeWidget(w)
            new.addWidget(w)
        if not one_row:
            self._rows[1].addStretch(1)
        else:
            while self._rows[1].count():
                self._rows[1].takeAt(0)
        self.updateGeometry()

    def minimumSizeHint(self) -> QSize:
        """As narrow as the wider of the two rows: the bar wraps rather than widening the panel."""
        transport, settings = self._widths()
        row = max(self.play_button.sizeHint().height(), self.speed_spin.sizeHint().height(),
                  self.position_label.height())
        spacing = max(self.layout().spacing(), 0)
        return QSize(max(transport, settings), row if self._one_row else 2 * row + spacing)

    def sizeHint(self) -> QSize:
        transport, settings = self._widths()
        return QSize(transport + settings, self.minimumSizeHint().height())

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._arrange(sum(self._widths()) <= event.size().width())

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._arrange(sum(self._widths()) <= self.width())

    def set_count(self, count: int) -> None:
        """Size the position label for ``count`` steps ("step 196 / 196" is never cut off)."""
        self._count = max(1, int(count))
        self._fit_position_label()

    def _fit_position_label(self) -> None:
        """Room for the longest position text in today's font (presentation mode scales it)."""
        metrics = self.position_label.fontMetrics()
        widest = "step {0} / {0}".format("0" * len(str(self._count)))
        self.position_label.setFixedSize(metrics.horizontalAdvance(widest) + 8, metrics.height() + 6)
        self.updateGeometry()

    def event(self, event) -> bool:
        # a chrome widget hidden or shown (presentation mode) changes what one row needs
        if event.type() == QEvent.Type.LayoutRequest:
            self._arrange(sum(self._widths()) <= self.width())
        return super().event(event)

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
