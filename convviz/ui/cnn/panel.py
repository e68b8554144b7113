"""The "Learn from labels" panel: a small CNN learns its filters from labelled handwritten digits.

State: :class:`~convviz.model.states.cnn.CNNState` (the network's settings, the pace, the chosen
test image and filter, and where the training is). Every number comes from
:mod:`convviz.model.cnn`, moved by :class:`.driver.CNNDriver` (the project's one worker); this
module lays the views out and binds the controls::

    Next phase ─► self.edit("Next phase", iterations=…, phase=…) (one undo step) ─► refresh
               ─► driver.prepare(request) (worker) ─► drawn
    Train      ─► driver.start() ─► a chunk per frame, drawn ─► Pause or the last epoch
               ─► one undo step "Train N mini-batches"
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QWidget

from convviz.model.cnn import filters_as_network
from convviz.model.cnn_view import PHASE_TITLES, CNNProgress, CNNRequest, phase_sentence, read_image, status_text
from convviz.model.states.cnn import next_position

from ..clicker_keys import yield_to_window
from ..learning.phase_strip import PhaseStrip
from ..learning.training_panel import TrainingPanel
from ..widgets import named, text_label
from ..widgets.page_body import page_body
from .board import CNNBoard
from .controls import CNNControls
from .driver import CNNDriver

__all__ = ["CNNPanel"]

LOADING = "Loading the handwritten digits…"


class CNNPanel(TrainingPanel):
    """Train :class:`~convviz.model.cnn.TinyCNN` on the bundled digits, one phase, one mini-batch or many
    epochs at a time, and send what it learned to the Filter bank and Filter tabs.

    Keys: next phase N (Right or Page Down from a clicker, except during a lesson), one mini-batch I,
    Train/Pause P (Space), Reset Shift+R.
    """

    key, title, shortcut = "cnn", "Learn from labels", "Ctrl+Alt+L"
    document_fields = ()

    def __init__(self, workspace, parent=None, **kwargs):
        super().__init__(workspace, parent, **kwargs)
        named(self, "cnnPanel", None, "Learn from labels")
        self.driver = CNNDriver(lambda: self.state.speed, self)
        self._message = ""
        self._drawn: tuple | None = None        # (progress, stepping) drawn by the board
        self._stepping = False                  # the last move was Next phase: phase 5 shows the change
        self._drawn_readout: tuple | None = None  # (progress, test index) drawn

        self.controls = c = CNNControls()
        self.phases = PhaseStrip(list(PHASE_TITLES), chip_name="cnnPhaseChip", label_name="cnnPhaseLabel")
        self.status_label = text_label("", "cnnStatusLabel")
        self.status_label.setToolTip("Where the training is, the last mini-batch's loss and the test accuracy now.")
        self.busy_label = text_label("Working…", "cnnBusyLabel", wrap=False, selectable=False)
        self.busy_label.setVisible(False)
        self.message_label = text_label("", "cnnMessageLabel")
        self.message_label.setToolTip("What the last button did, or why it could not.")
        self.board = b = CNNBoard()
        status = QHBoxLayout()
        status.addWidget(self.status_label, 1)
        status.addWidget(self.busy_label)
        layout = page_body(self)      # as high as the page: the board scrolls down, the buttons stay
        layout.addWidget(c)
        layout.addWidget(self.phases)
        layout.addLayout(status)
        layout.addWidget(self.message_label)
        layout.addWidget(b, 1)
        self.message_label.setVisible(False)

        for spin, field, what in ((c.filters_spin, "filters", "Filters"), (c.kernel_spin, "kernel_size", "Filter size"),
                                  (c.seed_spin, "seed", "Seed"), (c.batch_spin, "batch_size", "Batch size"),
                                  (c.rate_spin, "learning_rate", "Learning rate")):
            spin.valueChanged.connect(lambda v, field=field, what=what: self._choose(field, v, f"{what} {v:g}"))
        c.epochs_spin.valueChanged.connect(lambda v: self.edit(f"Train for {v} epochs", epochs=v))
        c.speed_box.currentIndexChanged.connect(
            lambda i: self.edit(f"Speed: {c.speed_box.itemText(i)}", speed=c.speed_box.itemData(i)))
        c.phase_button.clicked.connect(self.next_phase)
        c.batch_button.clicked.connect(self.step_batch)
        c.train_button.toggled.connect(lambda on: self.train() if on else self.pause())
        c.reset_button.clicked.connect(self.reset)
        b.test_spin.valueChanged.connect(lambda v: self.set_test_image(v - 1))
        b.filter_spin.valueChanged.connect(lambda v: self.choose_filter(v - 1))
        for view in (b.filter_view, b.gradient_view, b.feature_view):   # a map is numbered as its filter
            view.tileClicked.connect(self.choose_filter)
        b.bank_button.clicked.connect(self.send_filters_to_bank)
        b.kernel_button.clicked.connect(lambda: self.use_filter_as_kernel())
        self.driver.changed.connect(self._on_driver_changed)
        self.driver.finished.connect(self._commit_run)
        self.driver.failed.connect(self._failed)
        self.driver.runner.busyChanged.connect(self.busy_label.setVisible)
        # QShortcut, not QAbstractButton.setShortcut (that one clicks 100 ms later). Shortcuts of a
        # hidden widget (another tab) do not fire; Right/Page Down/Space only with the focus in this tab,
        # and during a lesson Page Down changes slides instead (yield_to_window).
        self.shortcuts: dict[str, QShortcut] = {}
        for key, slot in (("N", self.next_phase), ("I", self.step_batch), ("P", c.train_button.toggle),
                          ("Shift+R", self.reset)):
            self.shortcuts[key] = shortcut = QShortcut(QKeySequence(key), self)
            shortcut.activated.connect(slot)
        for key, slot in (("Right", self.next_phase), ("PgDown", self.next_phase), ("Space", c.train_button.toggle)):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
            self.shortcuts[key] = yield_to_window(shortcut)
        self.refresh()

    # -- reading -------------------------------------------------------------------------------
    @property
    def progress(self) -> CNNProgress | None:
        """The network drawn (None while the digits load)."""
        return self.driver.progress

    def request(self) -> CNNRequest:
        return CNNRequest.from_state(self.state)

    def shows_state(self) -> bool:
        """True once the drawn network is the one the state asks for (not during a run)."""
        return not self.driver.running and self.driver.shows(self.request())

    # -- actions -------------------------------------------------------------------------------
    def next_phase(self) -> None:
        """One phase of the five (random start → convolve → loss → backpropagate → update)."""
        self._move("phase", "Next phase")

    def step_batch(self) -> None:
        """Finish the current mini-batch, or do a whole one."""
        self._move("batch", "Step one mini-batch")

    def reset(self) -> None:
        """Back to phase 1: the random filters of the seed."""
        self.pause()
        self.edit("Reset the training", iterations=0, phase=1)

    def train(self) -> None:
        """Train in the worker, a chunk per frame, until the chosen number of epochs or :meth:`pause`."""
        if not self.driver.running:
            self._stepping = False
            if not self.driver.start(self.request(), self.state.target_iterations):
                self._say(f"Already trained {self.state.epochs} epochs: raise Epochs to train longer, or Reset.")
        self._draw()

    def set_test_image(self, index: int) -> None:
        """Show test image ``index`` (0-based) through the network."""
        self.edit(f"Test image {index + 1}", test_index=index)

    def choose_filter(self, index: int) -> None:
        """Choose filter ``index`` (0-based) for “Use filter N as the kernel”."""
        self.edit(f"Choose filter {index + 1}", filter_index=index)

    def send_filters_to_bank(self) -> bool:
        """Make the drawn filters the Filter bank tab's bank (layer 1, for a grey or colour image; one undo
        step). False when there is nothing to send yet."""
        p = self.driver.progress
        if p is None:
            return False
        bank = self.workspace.state("bank")
        done = self.editor.edit_state(bank, "Learned filters to the Filter bank", network=filters_as_network(p.net),
                                      layer_index=0, filter_index=0, pixel=None)
        if done:
            self._say(f"Sent {p.net.filters} learned filters to the Filter bank tab (Ctrl+3): there they filter "
                      "your own picture.")
        return done

    def use_filter_as_kernel(self, index: int | None = None) -> bool:
        """Make filter ``index`` (0-based; the chosen one by default) the Filter tab's kernel (one undo step)."""
        p = self.driver.progress
        index = self.state.filter_index if index is None else int(index)
        if p is None or not 0 <= index < p.net.filters:
            return False
        kernel = np.array(p.net.conv_weights[:, :, 0, index])
        done = self.edit_document(f"Learned filter {index + 1}", kernel=kernel, preset=None)
        if done:
            self._say(f"Filter {index + 1} is now the Filter tab's kernel (Ctrl+1): see it act on your photo.")
        return done

    # -- bindings ------------------------------------------------------------------------------
    def _choose(self, field: str, value, text: str) -> None:
        self.pause()
        self.edit(text, **{field: value})

    def _move(self, action: str, text: str) -> None:
        self.pause()
        self._stepping = action == "phase"
        if action == "phase" and self.state.phase == 4:
            text = "Next phase (update)"
        iterations, phase = next_position(self.state.iterations, self.state.phase, action)
        self.edit(text, iterations=iterations, phase=phase)

    def _commit_run(self, start: CNNRequest) -> None:
        p = self.driver.progress
        if p is None or p.request.setup != start.setup or p.request.position == start.position:
            self._draw()
            return
        n = p.request.iterations - start.iterations
        self.edit(f"Train {n} mini-batch{'es' if n != 1 else ''}", iterations=p.request.iterations,
                  phase=p.request.phase)
        self._draw()

    def _failed(self, message: str) -> None:
        self._say(f"The training stopped: {message}")
        self._draw()

    def _say(self, text: str) -> None:
        self._message = text
        self.message_label.setText(text)
        self.message_label.setVisible(bool(text))

    # -- drawing -------------------------------------------------------------------------------
    def refresh(self) -> None:
        self._sync()
        self._draw()

    def _sync(self) -> None:
        """Ask the driver for the network the state describes (a run the state no longer matches stops)."""
        request, d = self.request(), self.driver
        if d.running:
            if request == d.run_start:
                d.until = self.state.target_iterations
                return
            d.stop()
        d.prepare(request)

    def _draw(self) -> None:
        s, d, b = self.state, self.driver, self.board
        p = d.progress
        self.controls.show_state(s, running=d.running, can_train=s.iterations < s.target_iterations)
        for spin, value, top in ((b.test_spin, s.test_index + 1, None), (b.filter_spin, s.filter_index + 1, s.filters)):
            with QSignalBlocker(spin):
                if top is not None:
                    spin.setMaximum(top)
                spin.setValue(value)
        if p is None:
            if self._drawn is None:
                b.clear(LOADING)
                self.status_label.setText(LOADING)
                self.phases.show_phase(0, "")
            return
        stepping = self._stepping and not d.running
        if self._drawn != (p, stepping):
            self._drawn = (p, stepping)
            b.show_progress(p, stepping=stepping, epochs=s.epochs if d.running else 1.0)
            self.phases.show_phase(p.phase_number, phase_sentence(p))
            self.status_label.setText(status_text(p))
        index = min(s.test_index, len(p.data.test_labels) - 1)
        if self._drawn_readout != (p, index):
            self._drawn_readout = (p, index)
            b.show_readout(read_image(p, index), p.data.classes, len(p.data.test_labels))
        b.show_selection(min(s.filter_index, p.net.filters - 1), p.net.filters)

    def _on_state_changed(self, *args) -> None:
        self._say("")
        super()._on_state_changed(*args)

    # -- lifetime ------------------------------------------------------------------------------
    def capped_widgets(self) -> tuple[QWidget, ...]:
        return self.controls, self.status_label, self.busy_label, self.message_label, self.board
