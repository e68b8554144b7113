"""The "Learned filters" panel: watch gradient descent turn a random kernel into a filter.

Every number comes from :class:`convviz.model.training.KernelTrainer`; this module only
lays the numbers out, drives the trainer (one phase, one iteration, or a paced run in a
:class:`TrainingWorker`) and explains what is happening.
"""

from __future__ import annotations

import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QSignalBlocker, Qt, QTimer
from PySide6.QtGui import QDoubleValidator, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

import convviz.ui  # noqa: F401  (pyqtgraph row-major configuration)
from convviz.io import IMAGE_FILE_FILTER, load_image
from convviz.model import PRESETS, display_levels, display_rgb, format_number, to_gray
from convviz.model.training import (
    PHASES,
    SCALES,
    KernelTrainer,
    downsample,
    fit_target_image,
    hidden_kernel_target,
    working_copy,
)
from convviz.ui.clicker_keys import yield_to_window

from .heatmap import KernelHeatmap
from .loss_axis import DecadeAxis, decade_range
from .phases import PHASE_TITLES, explain
from .worker import FRAME_SECONDS, Snapshot, TrainingWorker, take_snapshot

#: the "hidden kernel" combo item that stands for a target image loaded from a file
FILE_TARGET = "__file__"
#: Run speeds: label → iterations per second (None: as fast as the machine goes)
SPEEDS = [("2 iterations/s", 2.0), ("10 iterations/s", 10.0), ("100 iterations/s", 100.0),
          ("As fast as possible", None)]
DEFAULT_SPEED = 2
KERNEL_SIZES = (1, 3, 5, 7, 9)
#: loss curves up to this many iterations also draw a dot per iteration
STEP_DOTS = 60
PREDICTION_TITLE = "Prediction of the learned kernel"
PREDICTION_WAITING = "Prediction: appears at step 2 (convolve)"
#: a rate change of the Hessian's conditioning above this is worth a sentence
SLOW_CONDITION = 1000.0


#: lessons and sessions replay at most this many iterations (about 5 s on a 128×128 copy)
MAX_REPLAY = 10_000


def _is_number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _is_whole(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _tip(widget, name: str, tip: str):
    widget.setObjectName(name)
    widget.setAccessibleName(name)
    widget.setToolTip(tip)
    return widget


class FeatureMapView(pg.PlotWidget):
    """A feature map drawn as an image (row 0 at the top, aspect locked), with a title."""

    def __init__(self, title: str, object_name: str, parent=None):
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setAccessibleName(title)
        self.setTitle(title)
        self.setMenuEnabled(False)
        self.hideButtons()
        self.setMouseEnabled(False, False)
        for axis in ("left", "bottom"):
            self.getPlotItem().hideAxis(axis)
        self.getViewBox().setAspectLocked(True)
        self.getViewBox().invertY(True)
        self.image_item = pg.ImageItem()
        self.addItem(self.image_item)
        self.values: np.ndarray | None = None
        self.setMinimumSize(150, 150)

    def show_values(self, values: np.ndarray | None, levels) -> None:
        """Draw ``values`` with the model's colours for ``levels``; ``None`` clears the view."""
        self.values = None if values is None else np.asarray(values)
        if values is None:
            self.image_item.clear()
            return
        shape_changed = self.image_item.image is None or self.image_item.image.shape[:2] != np.shape(values)[:2]
        self.image_item.setImage(display_rgb(values, levels=levels), autoLevels=False, levels=(0, 255))
        if shape_changed:
            self.getViewBox().autoRange(padding=0)


class LearningPanel(QWidget):
    """Gradient descent on a kernel, in the lecture's five phases, on the document's input image.

    The target is the input filtered by a hidden kernel (a preset) or a target image
    loaded from a file. Step one phase (N; Right or PageDown from a clicker, except during a lesson, when
    PageDown changes slides), one iteration (I),
    Run/Pause (P; Space), Reset (Shift+R).
    """

    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.setObjectName("learningPanel")
        self.setAccessibleName("Learned filters")
        self._doc = document
        self._copy = None
        self._target_image: np.ndarray | None = None   # loaded target, grey, the input's full size
        self._target_name = ""
        self._trainer: KernelTrainer | None = None
        self._worker: TrainingWorker | None = None
        self._generation = 0
        self._rate_text = ""
        self._pending: Snapshot | None = None     # newest snapshot from the worker, not drawn yet
        self._last_render = 0.0
        self._shown_phase = None
        self._render_timer = QTimer(self)
        self._render_timer.setSingleShot(True)
        self._render_timer.timeout.connect(self._render_pending)
        self._input_stale = False  # the document's image changed while the panel was hidden
        self._build()
        self._doc.events.image.connect(self._on_input_changed)
        self._doc.events.gray.connect(self._on_input_changed)
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.pause)
        self._rebuild()

    # -- building ------------------------------------------------------------------------
    def _build(self) -> None:
        self.target_box = _tip(QComboBox(), "learnTargetBox",
                               "The hidden kernel that makes the target: the learner must find it again. "
                               "Or a target image loaded from a file.")
        for key, preset in PRESETS.items():
            k = preset.kernel
            self.target_box.addItem(f"{preset.name} ({k.shape[0]}×{k.shape[1]})", key)
        self.target_box.setCurrentIndex(self.target_box.findData("sobel_x"))
        self.load_button = _tip(QPushButton("Load target image…"), "learnLoadTargetButton",
                                "Use a picture of the input's size as the target instead of a hidden kernel.")
        self.size_box = _tip(QComboBox(), "learnSizeBox", "Size of the kernel being learned.")
        for k in KERNEL_SIZES:
            self.size_box.addItem(f"{k}×{k}", k)
        self.size_box.setCurrentIndex(self.size_box.findData(3))
        self.padding_box = _tip(QComboBox(), "learnPaddingBox",
                                "valid: only where the kernel fits; same: zero padding, output as large as the input.")
        for name in ("valid", "same"):
            self.padding_box.addItem(name, name)
        self.scale_box = _tip(QComboBox(), "learnScaleBox",
                              "The pixel values the learner sees. Dividing by 255 changes the rate needed "
                              "(by 255² = 65,025), not the kernel learned.")
        for key, (_, text) in SCALES.items():
            self.scale_box.addItem(text, key)
        self.rate_edit = _tip(QLineEdit(), "learnRateEdit",
                              "Learning rate: how far each update moves down the gradient, e.g. 1e-6. Enter to apply.")
        validator = QDoubleValidator(0.0, 1e300, 20, self.rate_edit)
        validator.setNotation(QDoubleValidator.ScientificNotation)
        self.rate_edit.setValidator(validator)
        self.rate_edit.setMaximumWidth(110)
        self.auto_rate = _tip(QCheckBox("Auto"), "learnAutoRateCheck",
                              "Choose the rate from the input's statistics: 1/λ_max, half the largest stable rate.")
        self.auto_rate.setChecked(True)
        self.rate_edit.setEnabled(False)
        self.seed_spin = _tip(QSpinBox(), "learnSeedSpin", "Seed of the random start: the same seed, the same run.")
        self.seed_spin.setRange(0, 999_999)
        self.speed_box = _tip(QComboBox(), "learnSpeedBox", "How fast Run goes, so a class can follow.")
        for label, ips in SPEEDS:
            self.speed_box.addItem(label, ips)
        self.speed_box.setCurrentIndex(DEFAULT_SPEED)

        self.phase_button = _tip(QPushButton("Next phase (N)"), "learnPhaseButton",
                                 "Do the next of the five phases: convolve, loss, gradient, update. "
                                 "Keys: N anywhere in this tab; Right or Page Down (a presenter clicker) while "
                                 "the focus is in this tab — during a lesson Page Down shows the next slide instead.")
        self.step_button = _tip(QPushButton("Step iteration (I)"), "learnStepButton",
                                "Finish the current iteration: convolve, loss, gradient and update.")
        self.run_button = _tip(QPushButton("Run (P)"), "learnRunButton", "Run iterations continuously; press again to pause.")
        self.run_button.setCheckable(True)
        self.reset_button = _tip(QPushButton("Reset (Shift+R)"), "learnResetButton",
                                 "Back to step 1: a fresh random kernel from the seed, the loss curve cleared.")

        self.phase_chips: list[QLabel] = []
        chips = QHBoxLayout()
        for i, phase in enumerate(PHASES, start=1):
            chip = QLabel(f"{i}. {PHASE_TITLES[phase]}")
            chip.setObjectName(f"learnPhaseChip{i}")
            chip.setAccessibleName(f"Phase {i}: {PHASE_TITLES[phase]}")
            chip.setAlignment(Qt.AlignCenter)
            chip.setToolTip(f"Phase {i} of the lecture's five steps")
            self.phase_chips.append(chip)
            chips.addWidget(chip)
        self.phase_label = _tip(QLabel(), "learnPhaseLabel", "What the phase just done means.")
        self.phase_label.setWordWrap(True)
        self._fit_phase_font()
        self.status_label = _tip(QLabel(), "learnStatusLabel", "Iterations so far, the loss and the distance to the target kernel.")
        self.warning_label = _tip(QLabel(), "learnWarningLabel", "Why the learning went wrong and what to do.")
        self.warning_label.setWordWrap(True)
        self.warning_label.setStyleSheet("QLabel { background: #fde2e1; color: #7a0b0b; border: 1px solid #c0392b;"
                                         " border-radius: 4px; padding: 6px; }")
        self.suggest_button = _tip(QPushButton(), "learnUseSuggestedButton", "Use the suggested smaller learning rate.")
        self.info_label = _tip(QLabel(), "learnInfoLabel", "What the learner works on and which rates are stable.")
        self.info_label.setWordWrap(True)

        self.target_kernel_view = KernelHeatmap("Target kernel (hidden)", "learnTargetKernel")
        self.kernel_view = KernelHeatmap("Learned kernel", "learnKernel")
        self.gradient_view = KernelHeatmap("Gradient ∂loss/∂weight", "learnGradient")
        self.target_view = FeatureMapView("Target feature map", "learnTargetView")
        self.prediction_view = FeatureMapView(PREDICTION_WAITING, "learnPredictionView")
        self.loss_plot = pg.PlotWidget(axisItems={"left": DecadeAxis("left")})
        self.loss_plot.setObjectName("learnLossPlot")
        self.loss_plot.setAccessibleName("Loss curve")
        self.loss_plot.setToolTip("The loss (MSE) of every iteration, on a log scale.")
        self.loss_plot.setTitle("Loss (MSE, log scale)")
        self.loss_plot.setLogMode(x=False, y=True)
        self.loss_plot.setLabel("bottom", "iteration")
        self.loss_plot.showGrid(x=False, y=True, alpha=0.25)
        self.loss_plot.setMenuEnabled(False)
        self.loss_curve = self.loss_plot.plot([], [], pen=pg.mkPen((200, 60, 40), width=2))
        self.loss_curve.setDownsampling(auto=True, method="peak")
        self.loss_curve.setClipToView(True)
        self.loss_plot.setMinimumSize(200, 150)

        settings = QHBoxLayout()
        for label, widget in (("Target:", self.target_box), (None, self.load_button), ("Learn a kernel of:", self.size_box),
                              ("Padding:", self.padding_box), ("Pixels:", self.scale_box)):
            if label:
                settings.addWidget(QLabel(label))
            settings.addWidget(widget)
        settings.addStretch(1)
        rates = QHBoxLayout()
        for label, widget in (("Learning rate:", self.rate_edit), (None, self.auto_rate), ("Seed:", self.seed_spin),
                              ("Speed:", self.speed_box)):
            if label:
                rates.addWidget(QLabel(label))
            rates.addWidget(widget)
        rates.addSpacing(16)
        for b in (self.phase_button, self.step_button, self.run_button, self.reset_button):
            rates.addWidget(b)
        rates.addStretch(1)
        warn = QHBoxLayout()
        warn.addWidget(self.warning_label, 1)
        warn.addWidget(self.suggest_button)
        self.warning_box = QFrame()
        self.warning_box.setObjectName("learnWarningBox")
        self.warning_box.setLayout(warn)
        warn.setContentsMargins(0, 0, 0, 0)

        grid = QGridLayout()
        grid.addWidget(self.target_kernel_view, 0, 0)
        grid.addWidget(self.kernel_view, 0, 1)
        grid.addWidget(self.gradient_view, 0, 2)
        grid.addWidget(self.target_view, 1, 0)
        grid.addWidget(self.prediction_view, 1, 1)
        grid.addWidget(self.loss_plot, 1, 2)
        for c in range(3):
            grid.setColumnStretch(c, 1)
        grid.setRowStretch(0, 2)
        grid.setRowStretch(1, 3)

        layout = QVBoxLayout(self)
        layout.addLayout(settings)
        layout.addLayout(rates)
        layout.addLayout(chips)
        layout.addWidget(self.phase_label)
        layout.addWidget(self.status_label)
        layout.addWidget(self.warning_box)
        layout.addLayout(grid, 1)
        layout.addWidget(self.info_label)
        self.phase_label.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Minimum)

        self.target_box.currentIndexChanged.connect(lambda _i: self._rebuild())
        self.size_box.currentIndexChanged.connect(lambda _i: self._rebuild())
        self.padding_box.currentIndexChanged.connect(lambda _i: self._rebuild())
        self.scale_box.currentIndexChanged.connect(lambda _i: self._rebuild())
        self.seed_spin.valueChanged.connect(lambda _v: self._rebuild())
        self.rate_edit.editingFinished.connect(self._on_rate_edited)
        self.auto_rate.toggled.connect(self._on_auto_toggled)
        self.speed_box.currentIndexChanged.connect(self._on_speed_changed)
        self.load_button.clicked.connect(self._choose_target_file)
        self.phase_button.clicked.connect(self.next_phase)
        self.step_button.clicked.connect(self.step_iteration)
        self.run_button.toggled.connect(self._on_run_toggled)
        self.reset_button.clicked.connect(self.reset)
        self.suggest_button.clicked.connect(self.use_suggested_rate)
        # QShortcut, not QAbstractButton.setShortcut: that one clicks 100 ms later (animateClick).
        # Shortcuts of a hidden widget (another tab) do not fire.
        self.shortcuts = {}
        for key, slot in (("N", self.next_phase), ("I", self.step_iteration),
                          ("P", self.run_button.toggle), ("Shift+R", self.reset)):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.activated.connect(slot)
            self.shortcuts[key] = shortcut
        # presenter clickers (Right/PageDown) and Space, while the focus is inside this panel;
        # during a lesson Page Down changes slides instead (yield_to_window), never both
        for key, slot in (("Right", self.next_phase), ("PgDown", self.next_phase), ("Space", self.run_button.toggle)):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
            self.shortcuts[key] = yield_to_window(shortcut)

    def _fit_phase_font(self) -> None:
        """The phase sentence 1.25× the panel's font, which follows the application font
        (presentation mode scales it); the chips' style sheets are re-applied to pick it up too."""
        font = QFont(self.font())
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * 1.25)
        self.phase_label.setFont(font)
        for chip in getattr(self, "phase_chips", ()):
            chip.setFont(self.font())
            chip.setStyleSheet(chip.styleSheet())

    def event(self, event):
        result = super().event(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.ApplicationFontChange) and \
                hasattr(self, "phase_label"):
            self._fit_phase_font()
        return result

    # -- public actions --------------------------------------------------------------------
    @property
    def trainer(self) -> KernelTrainer | None:
        self._catch_up()
        return self._trainer

    def is_running(self) -> bool:
        """True from Run until Pause, or until the GUI has shown the worker's last snapshot."""
        return self._worker is not None

    def next_phase(self) -> None:
        """One phase of the five (Step, for a lecture)."""
        self._catch_up()
        if self._trainer is None:
            return
        self.pause()
        self._trainer.advance()
        self._show_trainer()

    def step_iteration(self) -> None:
        """Finish the current iteration."""
        self._catch_up()
        if self._trainer is None:
            return
        self.pause()
        self._trainer.step()
        self._show_trainer()

    def run(self) -> None:
        """Start iterating in a worker thread (snapshots at ≤ 30 Hz)."""
        self._catch_up()
        if self._trainer is None or self._trainer.halted or self._worker is not None:
            self._sync_run_button()
            return
        self._generation += 1
        self._worker = TrainingWorker(self._trainer, self._generation, self.speed_box.currentData(),
                                      self._hidden_kernel())
        self._worker.snapshot.connect(self._on_snapshot)
        self._worker.finished.connect(self._on_worker_finished)
        self._worker.start()
        self._sync_run_button()

    def pause(self) -> None:
        """Stop the worker promptly and show the trainer's state as it stopped."""
        worker, self._worker = self._worker, None
        if worker is None:
            return
        worker.stop()
        worker.wait()
        worker.snapshot.disconnect(self._on_snapshot)
        self._generation += 1   # snapshots still queued are older than what is shown now
        self._render_timer.stop()
        self._pending = None
        self._sync_run_button()
        if self._trainer is not None:
            self._show_trainer()

    def reset(self) -> None:
        """Back to step 1: the random kernel of the seed."""
        self._catch_up()
        self.pause()
        if self._trainer is not None:
            self._trainer.reset()
        self._show_trainer()

    def set_rate(self, rate: float) -> None:
        """Use ``rate`` (turns Auto off); learning continues from the current kernel."""
        self._catch_up()
        self.pause()
        with QSignalBlocker(self.auto_rate):
            self.auto_rate.setChecked(False)
        self.rate_edit.setEnabled(True)
        if self._trainer is not None:
            self._trainer.set_rate(rate)
        self._show_rate()
        self._show_trainer()

    def use_suggested_rate(self) -> None:
        """Take the smaller rate the divergence message suggests (from the start again if the numbers overflowed)."""
        if self._trainer is None or self._trainer.suggested_rate is None:
            return
        halted = self._trainer.halted
        self.set_rate(self._trainer.suggested_rate)
        if halted:
            self.reset()

    def set_target_image(self, image, name: str = "target image") -> None:
        """Use ``image`` (the input's size, grey or colour) as the target instead of a hidden kernel."""
        self._catch_up()
        grey = np.asarray(to_gray(np.asarray(image, dtype=np.float64)), dtype=np.float64)
        source = self._doc.input_image()
        if grey.shape != source.shape[:2]:
            raise ValueError(f"The target image is {grey.shape[1]}×{grey.shape[0]} but the input is "
                             f"{source.shape[1]}×{source.shape[0]}: they must be the same size.")
        self._target_image, self._target_name = grey, name
        with QSignalBlocker(self.target_box):
            if self.target_box.findData(FILE_TARGET) < 0:
                self.target_box.addItem("", FILE_TARGET)
            index = self.target_box.findData(FILE_TARGET)
            self.target_box.setItemText(index, f"Target image: {name}")
            self.target_box.setCurrentIndex(index)
        self._rebuild()

    def load_target(self, path) -> bool:
        """Load a target image file; a file that cannot be used leaves a message and the current target."""
        try:
            self.set_target_image(load_image(path), str(path).replace("\\", "/").rsplit("/", 1)[-1])
        except ValueError as err:
            self._show_message(f"That target image cannot be used: {err}")
            return False
        return True

    # -- lessons and sessions (convviz.ui.classroom) -----------------------------------------
    def lesson_settings(self) -> dict:
        """target (preset key), kernel_size, padding, scale, rate (number or "auto"), seed, and where the
        learning is: ``iterations`` done (each update finishes one) and ``phase`` (1 random … 5 update)."""
        out = {"kernel_size": self.size_box.currentData(), "padding": self.padding_box.currentData(),
               "scale": self.scale_box.currentData(), "seed": self.seed_spin.value(),
               "rate": "auto" if self.auto_rate.isChecked() or self._trainer is None else self._trainer.rate}
        if self.target_box.currentData() != FILE_TARGET:   # a target image file is not stored
            out["target"] = self.target_box.currentData()
        trainer = self.trainer
        if trainer is not None:
            out["iterations"], out["phase"] = trainer.iteration, trainer.phase_number
        return out

    def apply_lesson_settings(self, settings: dict) -> None:
        """Set up from a slide or session: the keys of :meth:`lesson_settings` (``scale`` also "unit").

        With ``iterations`` or ``phase`` the learning starts again from the seed, runs ``iterations``
        whole iterations (at most :data:`MAX_REPLAY`) and then the phases up to ``phase``: phase 2–4
        after them belong to the next iteration; ``{"phase": 5}`` alone finishes the first one.
        Unknown keys are ignored; a bad value raises ``ValueError`` and nothing changes.
        """
        self._catch_up()
        boxes = {"target": self.target_box, "kernel_size": self.size_box, "padding": self.padding_box,
                 "scale": self.scale_box}
        wanted = {k: ("0-1" if k == "scale" and settings[k] == "unit" else settings[k]) for k in boxes
                  if k in settings}
        for key, value in wanted.items():
            if isinstance(value, bool) or value == FILE_TARGET or boxes[key].findData(value) < 0:
                choices = [boxes[key].itemData(i) for i in range(boxes[key].count())]
                raise ValueError(f"\"{key}\" must be one of {', '.join(map(str, choices))}, not {value!r}.")
        rate = settings.get("rate")
        if rate is not None and rate != "auto" and not (_is_number(rate) and 0 < rate < float("inf")):
            raise ValueError(f"\"rate\" must be \"auto\" or a positive number, not {rate!r}.")
        seed = settings.get("seed", self.seed_spin.value())
        if not (_is_whole(seed) and self.seed_spin.minimum() <= seed <= self.seed_spin.maximum()):
            raise ValueError(f"\"seed\" must be a whole number from 0 to {self.seed_spin.maximum()}, not {seed!r}.")
        iterations, phase = settings.get("iterations", 0), settings.get("phase", 1)
        if not (_is_whole(iterations) and 0 <= iterations <= MAX_REPLAY):
            raise ValueError(f"\"iterations\" must be a whole number from 0 to {MAX_REPLAY:,}, not {iterations!r}.")
        if not (_is_whole(phase) and 1 <= phase <= len(PHASES)):
            raise ValueError(f"\"phase\" must be a whole number from 1 to {len(PHASES)}, not {phase!r}.")
        # everything checked: apply, then build the trainer once
        self.pause()
        for key, value in wanted.items():
            with QSignalBlocker(boxes[key]):
                boxes[key].setCurrentIndex(boxes[key].findData(value))
        with QSignalBlocker(self.seed_spin), QSignalBlocker(self.auto_rate):
            self.seed_spin.setValue(int(seed))
            if rate is not None:
                self.auto_rate.setChecked(rate == "auto")
        self.rate_edit.setEnabled(not self.auto_rate.isChecked())
        if wanted or "seed" in settings or rate is not None or self._trainer is None:
            self._rebuild()
        trainer = self._trainer
        if trainer is None:
            return
        if _is_number(rate):
            trainer.set_rate(float(rate))
            self._show_rate()
        if "iterations" in settings or "phase" in settings:
            trainer.reset()
            trainer.run(int(iterations))
            for _ in range(len(PHASES)):   # on to the wanted phase of the next iteration (never back to 1)
                if trainer.phase_number == phase or trainer.halted or (phase == 1 and trainer.iteration):
                    break
                trainer.advance()
        self._show_trainer()

    # -- reacting to edits ---------------------------------------------------------------
    def _on_input_changed(self, *_args) -> None:
        if not self.isVisible():  # a hidden tab catches up when shown (or when asked)
            self._input_stale = True
            return
        self._follow_input()

    def _catch_up(self) -> None:
        if self._input_stale:
            self._input_stale = False
            self._follow_input()

    def _follow_input(self) -> None:
        if self._target_image is not None and self._target_image.shape != self._doc.input_image().shape[:2]:
            self._target_image = None
            with QSignalBlocker(self.target_box):
                index = self.target_box.findData(FILE_TARGET)
                if index >= 0:
                    self.target_box.removeItem(index)
                self.target_box.setCurrentIndex(self.target_box.findData("sobel_x"))
        self._rebuild()

    def _on_rate_edited(self) -> None:
        text = self.rate_edit.text().strip()
        if text == self._rate_text:
            return
        try:
            rate = float(text)
            if not (rate > 0 and np.isfinite(rate)):
                raise ValueError
        except ValueError:
            self._show_message(f"“{text}” is not a positive number: the rate stays {self._rate_text}.")
            self._show_rate()
            return
        self.set_rate(rate)

    def _on_auto_toggled(self, checked: bool) -> None:
        self.rate_edit.setEnabled(not checked)
        if checked and self._trainer is not None:
            self.pause()
            self._trainer.set_rate(self._trainer.advice.stable)
            self._show_rate()
            self._show_trainer()

    def _on_speed_changed(self, _index: int) -> None:
        if self.is_running():
            self.pause()
            self.run()

    def _on_run_toggled(self, checked: bool) -> None:
        if checked:
            self.run()
        else:
            self.pause()

    def _choose_target_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Load a target image", "", IMAGE_FILE_FILTER)
        if path:
            self.load_target(path)

    # -- the trainer ---------------------------------------------------------------------
    def _rebuild(self) -> None:
        """A new trainer for today's input and settings (keeps a manual rate)."""
        self.pause()
        self._copy = working_copy(self._doc.input_image())
        size = self.size_box.currentData()
        padding = self.padding_box.currentData()
        factor = SCALES[self.scale_box.currentData()][0]
        image = self._copy.image * factor
        key = self.target_box.currentData()
        try:
            if key == FILE_TARGET and self._target_image is not None:
                target = fit_target_image(downsample(self._target_image, self._copy.factor) * factor,
                                          image.shape, size, padding)
            else:
                target = hidden_kernel_target(image, PRESETS[key].kernel, size, padding)
            rate = None if self.auto_rate.isChecked() or self._trainer is None else self._trainer.rate
            self._trainer = KernelTrainer(image, target, size, rate=rate, seed=self.seed_spin.value(),
                                          padding=padding)
        except ValueError as err:
            self._trainer = None
            self._show_message(f"Cannot learn with these settings: {err}")
            return
        self._show_rate()
        self._show_static()
        self._show_trainer()

    def _show_rate(self) -> None:
        if self._trainer is None:
            return
        self._rate_text = f"{self._trainer.rate:.3g}"
        with QSignalBlocker(self.rate_edit):
            self.rate_edit.setText(self._rate_text)

    def _hidden_kernel(self) -> np.ndarray | None:
        key = self.target_box.currentData()
        return None if key == FILE_TARGET else PRESETS[key].kernel

    def _show_static(self) -> None:
        """What does not change while learning: target kernel, target map, the info line."""
        t = self._trainer
        hidden = self._hidden_kernel()
        if hidden is None:
            self.target_kernel_view.set_placeholder(f"Unknown: the target is the image “{self._target_name}”.")
        else:
            self.target_kernel_view.set_values(hidden)
        self._map_levels = display_levels(t.target)
        self.target_view.show_values(t.target, self._map_levels)
        adv = t.advice
        h, w = t.target.shape
        parts = [self._copy.describe(), f"Values: {SCALES[self.scale_box.currentData()][1]}.",
                 f"Prediction and target: {w}×{h} ({t.padding} padding).", adv.describe()]
        if adv.condition > SLOW_CONDITION:
            parts.append(f"This image hardly varies in some directions (λ_max/λ_min ≈ {adv.condition:,.0f}), "
                         "so some weights learn slowly: a detailed image learns faster.")
        self.info_label.setText(" ".join(parts))

    def _show_trainer(self) -> None:
        if self._trainer is not None:
            self._show(take_snapshot(self._trainer, self._generation, self._hidden_kernel()))

    def _on_snapshot(self, snap: Snapshot) -> None:
        """Keep only the newest snapshot and draw it at most 30 times a second, so drawing can
        never fall behind the worker and starve the event loop (input, timers) on a slow machine."""
        if snap.generation != self._generation:
            return
        self._pending = snap
        if not self._render_timer.isActive():
            wait = FRAME_SECONDS - (time.perf_counter() - self._last_render)
            self._render_timer.start(max(0, int(1000 * wait)))

    def _render_pending(self) -> None:
        snap, self._pending = self._pending, None
        if snap is not None and snap.generation == self._generation:
            self._show(snap)
            self._last_render = time.perf_counter()
            # a zero timer runs after the repaint this caused: the next frame waits a full frame
            # after the painting too, so input and timers always get their turn
            QTimer.singleShot(0, self, self._painted)

    def _painted(self) -> None:
        self._last_render = time.perf_counter()

    def _on_worker_finished(self) -> None:
        worker = self.sender()
        if worker is self._worker:
            self._worker = None
            self._generation += 1
            self._render_timer.stop()
            self._pending = None
            self._show_trainer()
            self._sync_run_button()

    def _sync_run_button(self) -> None:
        running = self.is_running()
        with QSignalBlocker(self.run_button):
            self.run_button.setChecked(running)
        self.run_button.setText("Pause (P)" if running else "Run (P)")
        halted = self._trainer is None or self._trainer.halted
        self.run_button.setEnabled(not halted or running)
        self.phase_button.setEnabled(not halted)
        self.step_button.setEnabled(not halted)

    # -- showing -------------------------------------------------------------------------
    def _show(self, s: Snapshot) -> None:
        if s.phase != self._shown_phase:   # style sheets are slow to apply: only on a change
            self._shown_phase = s.phase
            self._style_chips(s.phase_number)
        self._show_numbers(s)

    def _style_chips(self, number: int) -> None:
        for i, chip in enumerate(self.phase_chips, start=1):
            current = i == number
            chip.setStyleSheet("QLabel { background: #2d6cdf; color: white; font-weight: bold; border-radius: 4px;"
                               " padding: 3px; }" if current else
                               "QLabel { background: #e6e6e6; color: #333; border-radius: 4px; padding: 3px; }")

    def _show_numbers(self, s: Snapshot) -> None:
        t = self._trainer
        self.phase_label.setText(explain(s.phase, seed=t.seed, loss=s.loss, rate=s.rate, update_text=s.update_text))
        hidden = self._hidden_kernel()
        levels = display_levels(np.concatenate([s.kernel.ravel(), hidden.ravel()]) if hidden is not None
                                else s.kernel) if np.all(np.isfinite(s.kernel)) else None
        if hidden is not None and levels is not None:
            self.target_kernel_view.set_values(hidden, levels)
        self.kernel_view.set_values(s.kernel, levels)
        if s.gradient is None or s.phase in ("predict", "loss"):
            self.gradient_view.set_placeholder("Appears at step 4 (backpropagate).")
        else:
            self.gradient_view.set_values(s.gradient)
        waiting = s.phase == "random" or s.prediction is None
        self.prediction_view.show_values(None if waiting else s.prediction, self._map_levels)
        title = PREDICTION_WAITING if waiting else PREDICTION_TITLE
        if self.prediction_view.getPlotItem().titleLabel.text != title:   # a new title re-lays the plot out
            self.prediction_view.setTitle(title)
        self._show_history(s.history)
        status = [f"Iteration {s.iteration}"]
        if s.loss is not None and s.phase != "predict":
            status.append(f"loss (MSE) {format_number(s.loss, 4)}")
        if s.kernel_error is not None:
            status.append(f"largest |learned − target| weight difference {format_number(s.kernel_error, 3)}")
        status.append(f"rate {s.rate:.3g}")
        if s.converged:
            status.append("converged: the updates no longer change the kernel")
        self.status_label.setText(" · ".join(status))
        if s.diverged:
            self.warning_label.setText(s.reason)
            self.suggest_button.setText(f"Use rate {s.suggested_rate:.3g}")
            self.suggest_button.setVisible(True)
            self.warning_box.setVisible(True)
        else:
            self.warning_box.setVisible(False)
        self._sync_run_button()

    def _show_history(self, history: np.ndarray) -> None:
        y = np.where(np.isfinite(history) & (history > 0), history, np.nan)
        dots = len(y) <= STEP_DOTS   # while stepping by hand, every iteration is a visible dot
        self.loss_curve.setData(np.arange(len(y), dtype=np.float64), y, connect="finite",
                                symbol="o" if dots else None, symbolSize=6,
                                symbolBrush=(200, 60, 40), symbolPen=None)
        self.loss_plot.setXRange(0, max(len(y) - 1, 10), padding=0.02)
        # whole decades, so the axis always shows at least two powers of ten
        self.loss_plot.setYRange(*decade_range(y), padding=0.04)

    def _show_message(self, text: str) -> None:
        self.warning_label.setText(text)
        self.suggest_button.setVisible(False)
        self.warning_box.setVisible(True)

    # -- lifetime ------------------------------------------------------------------------
    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._catch_up()

    def hideEvent(self, event) -> None:
        self.pause()
        self._render_timer.stop()
        super().hideEvent(event)

    def closeEvent(self, event) -> None:
        self.pause()
        self._render_timer.stop()
        super().closeEvent(event)
