"""The Learn from labels tab's controls: the network's settings, the pace and the lecture buttons.

Only widgets and :meth:`CNNControls.show_state`; the panel connects them to its state. The settings
row is editing chrome (presentation mode hides it: a lesson or the teacher sets it beforehand); the
lecture buttons stay, one row that wraps.
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from convviz.model.states.cnn import (
    LEARNING_RATE_RANGE,
    MAX_BATCH_SIZE,
    MAX_EPOCHS,
    MAX_FILTERS,
    MAX_KERNEL_SIZE,
    SEED_MAX,
    SPEEDS,
    CNNState,
)

from ..widgets import mark_editing_chrome, named
from ..widgets.flow_layout import flow_row
from ..widgets.labelled_controls import labelled

SPEED_TEXTS = {5.0: "5 mini-batches/s", 20.0: "20 mini-batches/s", 100.0: "100 mini-batches/s",
               "max": "As fast as possible"}
PHASE_TIP = ("Do the next of the five phases: random start, convolve, loss, backpropagate, update. Keys: N anywhere "
             "in this tab; Right or Page Down (a presenter clicker) while the focus is in this tab — during a lesson "
             "Page Down shows the next slide instead.")


def _spin(name: str, tip: str, accessible: str, lo: int, hi: int) -> QSpinBox:
    spin = named(QSpinBox(), name, tip, accessible)
    spin.setRange(lo, hi)
    spin.setKeyboardTracking(False)   # typed numbers apply on Enter or leaving the box, arrows at once
    return spin


class CNNControls(QWidget):
    """Two rows that wrap: the settings (:attr:`settings_row`: filters, filter size, seed, learning rate,
    batch size, epochs, speed), then the lecture buttons (:attr:`button_row`)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.filters_spin = _spin("cnnFiltersSpin", "How many filters the convolution layer learns (one feature map "
                                  "each). Changing it starts again from random filters.", "Filters", 1, MAX_FILTERS)
        self.kernel_spin = _spin("cnnKernelSpin", "The side K of each K×K filter. Changing it starts again.",
                                 "Filter size", 1, MAX_KERNEL_SIZE)
        self.seed_spin = _spin("cnnSeedSpin", "Seed of the random start and of the order of the images: the same "
                               "seed, the same training.", "Seed", 0, SEED_MAX)
        self.rate_spin = named(QDoubleSpinBox(), "cnnRateSpin", "Learning rate: how far each update moves against "
                               "the gradient (with momentum 0.9). Too large and the network stops learning.",
                               "Learning rate")
        self.rate_spin.setRange(*LEARNING_RATE_RANGE)
        self.rate_spin.setDecimals(4)
        self.rate_spin.setSingleStep(0.01)
        self.rate_spin.setKeyboardTracking(False)
        self.batch_spin = _spin("cnnBatchSpin", "Images per mini-batch: each update follows the average gradient "
                                "of this many training images.", "Batch size", 1, MAX_BATCH_SIZE)
        self.epochs_spin = _spin("cnnEpochsSpin", "Train stops after this many passes over the 1,438 training "
                                 "images.", "Epochs", 1, MAX_EPOCHS)
        self.speed_box = named(QComboBox(), "cnnSpeedBox", "How fast Train goes, so a class can follow.", "Speed")
        for value in SPEEDS:
            self.speed_box.addItem(SPEED_TEXTS[value], value)

        self.phase_button = named(QPushButton("Next phase (N)"), "cnnPhaseButton", PHASE_TIP, "Next phase")
        self.batch_button = named(QPushButton("Step mini-batch (I)"), "cnnBatchButton",
                                  "Finish the current mini-batch (or do a whole one): convolve, loss, backpropagate, "
                                  "update.", "Step one mini-batch")
        self.train_button = named(QPushButton("Train (P)"), "cnnTrainButton",
                                  "Train in the background until the chosen number of epochs; press again to pause.",
                                  "Train")
        self.train_button.setCheckable(True)
        self.reset_button = named(QPushButton("Reset (Shift+R)"), "cnnResetButton",
                                  "Back to phase 1: the random filters of the seed, the curves cleared.", "Reset")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.settings_row = mark_editing_chrome(flow_row(*(labelled(text, widget) for text, widget in (
            ("Filters:", self.filters_spin), ("Filter size:", self.kernel_spin), ("Seed:", self.seed_spin),
            ("Learning rate:", self.rate_spin), ("Batch size:", self.batch_spin), ("Epochs:", self.epochs_spin),
            ("Speed:", self.speed_box)))))
        self.button_row = flow_row(self.phase_button, self.batch_button, self.train_button, self.reset_button)
        layout.addWidget(self.settings_row)
        layout.addWidget(self.button_row)

    def show_state(self, state: CNNState, *, running: bool, can_train: bool) -> None:
        """Show ``state`` (signals blocked)."""
        for spin, value in ((self.filters_spin, state.filters), (self.kernel_spin, state.kernel_size),
                            (self.seed_spin, state.seed), (self.batch_spin, state.batch_size),
                            (self.epochs_spin, state.epochs), (self.rate_spin, state.learning_rate)):
            with QSignalBlocker(spin):
                spin.setValue(value)
        with QSignalBlocker(self.speed_box):
            self.speed_box.setCurrentIndex(self.speed_box.findData(state.speed))
        with QSignalBlocker(self.train_button):
            self.train_button.setChecked(running)
        self.train_button.setText("Pause (P)" if running else "Train (P)")
        self.train_button.setEnabled(running or can_train)

