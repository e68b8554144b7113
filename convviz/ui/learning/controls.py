"""The Learned filters tab's controls: the learning problem, the rate, the pace and the lecture buttons.

Only widgets and :meth:`LearningControls.show_state`; the panel connects them to its state.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSignalBlocker, Qt
from PySide6.QtGui import QDoubleValidator, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from convviz.model import PRESETS
from convviz.model.states.learning import KERNEL_SIZES, SEED_MAX, LearningState
from convviz.model.training import SCALES
from convviz.model.training_run import FILE_TARGET

from ..clicker_keys import yield_to_window
from ..widgets import mark_editing_chrome, named
from ..widgets.flow_layout import flow_row

SPEED_TEXTS = {2.0: "2 iterations/s", 10.0: "10 iterations/s", 100.0: "100 iterations/s", "max": "As fast as possible"}
PHASE_TIP = ("Do the next of the five phases: convolve, loss, gradient, update. Keys: N anywhere in this tab; "
             "Right or Page Down (a presenter clicker) while the focus is in this tab — during a lesson Page Down "
             "shows the next slide instead.")


class LearningControls(QWidget):
    """Three rows: target, load, kernel size, padding; pixels, rate, Auto, seed, speed; the buttons."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.target_box = named(QComboBox(), "learnTargetBox",
                                "The hidden kernel that makes the target: the learner must find it again. "
                                "Or a target image loaded from a file.", "Target")
        for key, preset in PRESETS.items():
            k = preset.kernel
            self.target_box.addItem(f"{preset.name} ({k.shape[0]}×{k.shape[1]})", key)
        self.load_button = named(QPushButton("Load target image…"), "learnLoadTargetButton",
                                 "Use a picture of the input's size as the target instead of a hidden kernel.",
                                 "Load target image")
        self.size_box = named(QComboBox(), "learnSizeBox", "Size of the kernel being learned.", "Kernel size")
        for k in KERNEL_SIZES:
            self.size_box.addItem(f"{k}×{k}", k)
        self.padding_box = named(QComboBox(), "learnPaddingBox",
                                 "valid: only where the kernel fits; same: zero padding, output as large as the input.",
                                 "Padding")
        for name in ("valid", "same"):
            self.padding_box.addItem(name, name)
        self.scale_box = named(QComboBox(), "learnScaleBox",
                               "The pixel values the learner sees. Dividing by 255 changes the rate needed "
                               "(by 255² = 65,025), not the kernel learned.", "Pixel values")
        for key, (_, text) in SCALES.items():
            self.scale_box.addItem(text, key)
        self.rate_edit = named(QLineEdit(), "learnRateEdit", "Learning rate: how far each update moves down the "
                               "gradient, e.g. 1e-6. Enter to apply.", "Learning rate")
        validator = QDoubleValidator(0.0, 1e300, 20, self.rate_edit)
        validator.setNotation(QDoubleValidator.Notation.ScientificNotation)
        self.rate_edit.setValidator(validator)
        self.auto_rate = named(QCheckBox("Auto"), "learnAutoRateCheck",
                               "Choose the rate from the input's statistics: 1/λ_max, half the largest stable rate.",
                               "Automatic learning rate")
        self.seed_spin = named(QSpinBox(), "learnSeedSpin", "Seed of the random start: the same seed, the same run.",
                               "Seed")
        self.seed_spin.setRange(0, SEED_MAX)
        self.speed_box = named(QComboBox(), "learnSpeedBox", "How fast Run goes, so a class can follow.", "Speed")
        for value, text in SPEED_TEXTS.items():
            self.speed_box.addItem(text, value)

        self.phase_button = named(QPushButton("Next phase (N)"), "learnPhaseButton", PHASE_TIP, "Next phase")
        self.step_button = named(QPushButton("Step iteration (I)"), "learnStepButton",
                                 "Finish the current iteration: convolve, loss, gradient and update.", "Step iteration")
        self.run_button = named(QPushButton("Run (P)"), "learnRunButton",
                                "Run iterations continuously; press again to pause.", "Run")
        self.run_button.setCheckable(True)
        self.reset_button = named(QPushButton("Reset (Shift+R)"), "learnResetButton",
                                  "Back to step 1: a fresh random kernel from the seed, the loss curve cleared.",
                                  "Reset")

        for box in (self.size_box, self.padding_box):
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self._fit_rate_edit()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        # the learning problem and the rate are editing chrome (a lesson sets them; presentation hides
        # them); the lecture buttons stay and wrap onto two rows on a narrow screen
        self.problem_row = mark_editing_chrome(_row(("Target:", self.target_box), (None, self.load_button),
                                                    ("Learn a kernel of:", self.size_box),
                                                    ("Padding:", self.padding_box)))
        self.rate_row = mark_editing_chrome(_row(("Pixels:", self.scale_box), ("Learning rate:", self.rate_edit),
                                                 (None, self.auto_rate), ("Seed:", self.seed_spin),
                                                 ("Speed:", self.speed_box)))
        for row in (self.problem_row, self.rate_row):
            layout.addWidget(row)
        layout.addWidget(flow_row(self.phase_button, self.step_button, self.run_button, self.reset_button))

    def _fit_rate_edit(self) -> None:
        """Wide enough for a rate such as 3.94e-06 in the current font (presentation mode scales it)."""
        self.rate_edit.setMinimumWidth(self.rate_edit.fontMetrics().horizontalAdvance("8.88e-088") + 16)

    def event(self, event):
        result = super().event(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.ApplicationFontChange) and hasattr(self, "rate_edit"):
            self._fit_rate_edit()
        return result

    def show_state(self, state: LearningState, rate: float | None, *, running: bool, can_step: bool) -> None:
        """Show ``state`` (signals blocked); ``rate`` is the rate in use (``None``: no trainer)."""
        boxes = ((self.size_box, state.kernel_size), (self.padding_box, state.padding),
                 (self.scale_box, state.scale), (self.speed_box, state.speed))
        for box, value in boxes:
            with QSignalBlocker(box):
                box.setCurrentIndex(box.findData(value))
        self._show_target(state)
        with QSignalBlocker(self.seed_spin):
            self.seed_spin.setValue(state.seed)
        auto = state.rate == "auto"
        with QSignalBlocker(self.auto_rate):
            self.auto_rate.setChecked(auto)
        self.rate_edit.setEnabled(not auto)
        shown = rate if rate is not None else (None if auto else state.rate)
        with QSignalBlocker(self.rate_edit):
            self.rate_edit.setText("" if shown is None else rate_text(float(shown)))
        with QSignalBlocker(self.run_button):
            self.run_button.setChecked(running)
        self.run_button.setText("Pause (P)" if running else "Run (P)")
        self.run_button.setEnabled(can_step or running)
        self.phase_button.setEnabled(can_step)
        self.step_button.setEnabled(can_step)

    def _show_target(self, state: LearningState) -> None:
        box = self.target_box
        with QSignalBlocker(box):
            index = box.findData(FILE_TARGET)
            if state.target_image is not None:     # a loaded image stays selectable
                if index < 0:
                    box.addItem("", FILE_TARGET)
                    index = box.count() - 1
                box.setItemText(index, f"Target image: {state.target_name or 'loaded'}")
            elif index >= 0:
                box.removeItem(index)
            box.setCurrentIndex(box.findData(state.target))


def lecture_shortcuts(owner: QWidget, *, next_phase, step, run, reset) -> dict[str, QShortcut]:
    """The tab's keys on ``owner``: N (next phase), I (step an iteration), P (run/pause), Shift+R (reset)
    while its tab shows; Right and Page Down (a presenter clicker: next phase) and Space (run/pause)
    while the focus is inside it. During a lesson Page Down changes slides instead, never both."""
    # QShortcut, not QAbstractButton.setShortcut: that one clicks 100 ms later (animateClick).
    # Shortcuts of a hidden widget (another tab) do not fire.
    shortcuts: dict[str, QShortcut] = {}
    for key, slot in (("N", next_phase), ("I", step), ("P", run), ("Shift+R", reset)):
        shortcuts[key] = shortcut = QShortcut(QKeySequence(key), owner)
        shortcut.activated.connect(slot)
    for key, slot in (("Right", next_phase), ("PgDown", next_phase), ("Space", run)):
        shortcut = QShortcut(QKeySequence(key), owner)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(slot)
        shortcuts[key] = yield_to_window(shortcut)
    return shortcuts


def rate_text(rate: float) -> str:
    """A rate as the rate box shows it (3 significant digits: 3.29e-06)."""
    return f"{rate:.3g}"


def _row(*pairs) -> QWidget:
    """Labelled widgets in a row that wraps (each label stays with its widget)."""
    cells = []
    for label, widget in pairs:
        if label:
            cell = QWidget()
            pair = QHBoxLayout(cell)
            pair.setContentsMargins(0, 0, 0, 0)
            pair.addWidget(QLabel(label))
            pair.addWidget(widget)
            cells.append(cell)
        else:
            cells.append(widget)
    return flow_row(*cells)
