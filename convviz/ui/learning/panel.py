"""The "Learned filters" panel: watch gradient descent turn a random kernel into a filter.

State: :class:`~convviz.model.states.learning.LearningState` (the learning problem, the rate,
the pace, and where the learning is). Every number comes from
:class:`convviz.model.training.KernelTrainer`, moved by :class:`.driver.TrainerDriver` (the
project's one worker); this module lays the views out and binds the controls::

    button ─► trainer moved (a copy) ─► self.edit("Next phase", iterations=…, phase=…)   (one undo step)
    combo  ─► self.edit(kernel_size=5) ─► refresh ─► driver.sync(request) ─► drawn
    Run    ─► driver.start() ─► a chunk per frame, drawn ─► Pause ─► one undo step "Run N iterations"
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QVBoxLayout, QWidget

from convviz.io import IMAGE_FILE_FILTER
from convviz.model.training import KernelTrainer
from convviz.model.training_phases import explain, phase_titles, setup_text, status_text
from convviz.model.training_run import FILE_TARGET, LearningSetup, Request, grey_target, moved

from ..widgets import mark_editing_chrome, named, text_label
from .board import LearningBoard
from .controls import LearningControls, lecture_shortcuts, rate_text
from .driver import LoadedTarget, TrainerDriver
from .notes import WarningBox
from .phase_strip import PhaseStrip
from .training_panel import TrainingPanel

__all__ = ["FILE_TARGET", "LearningPanel"]


class LearningPanel(TrainingPanel):
    """Gradient descent on a kernel, in the lecture's five phases, on the document's input image.

    The target is the input filtered by a hidden kernel (a preset) or a target image loaded
    from a file. Step one phase (N; Right or PageDown from a clicker, except during a lesson,
    when PageDown changes slides), one iteration (I), Run/Pause (P; Space), Reset (Shift+R).
    ``targetLoaded(bool)`` follows :meth:`load_target`.
    """

    key, title, shortcut = "learning", "Learned filters", "Ctrl+8"
    document_fields = ("image",)
    targetLoaded = Signal(bool)

    def __init__(self, workspace, parent=None, **kwargs):
        super().__init__(workspace, parent, **kwargs)
        named(self, "learningPanel", None, "Learned filters")
        self.driver = TrainerDriver(lambda: self.state.speed, self)
        self._message = ""                                  # a refusal or a file that cannot be used
        self._drawn = None                                  # the Progress the views show

        self.controls = c = LearningControls()
        for name in ("target_box", "load_button", "size_box", "padding_box", "scale_box", "rate_edit", "auto_rate",
                     "seed_spin", "speed_box", "phase_button", "step_button", "run_button", "reset_button"):
            setattr(self, name, getattr(c, name))
        self.phases = PhaseStrip(phase_titles())
        self.phase_chips, self.phase_label = self.phases.chips, self.phases.label
        self.status_label = text_label("", "learnStatusLabel")
        self.status_label.setToolTip("Iterations so far, the loss and the distance to the target kernel.")
        self.busy_label = text_label("Working…", "learnBusyLabel", wrap=False, selectable=False)
        self.busy_label.setVisible(False)
        self.warning_box = WarningBox()
        self.warning_label, self.suggest_button = self.warning_box.label, self.warning_box.suggest_button
        self.info_label = mark_editing_chrome(text_label("", "learnInfoLabel"))   # details, not for the projector
        self.info_label.setToolTip("What the learner works on and which rates are stable.")
        self.board = LearningBoard()
        for name in ("target_kernel_view", "kernel_view", "gradient_view", "target_view", "prediction_view",
                     "loss_plot"):
            setattr(self, name, getattr(self.board, name))

        status = QHBoxLayout()
        status.addWidget(self.status_label, 1)
        status.addWidget(self.busy_label)
        layout = QVBoxLayout(self)
        layout.addWidget(c)
        layout.addWidget(self.phases)
        layout.addLayout(status)
        layout.addWidget(self.warning_box)
        layout.addWidget(self.board, 1)
        layout.addWidget(self.info_label)

        self._connect()
        self.refresh()

    def _connect(self) -> None:
        c, d = self.controls, self.driver
        for box, field, what in ((c.target_box, "target", "Target"), (c.size_box, "kernel_size", "Kernel size"),
                                 (c.padding_box, "padding", "Padding"), (c.scale_box, "scale", "Pixel values"),
                                 (c.speed_box, "speed", "Speed")):
            box.currentIndexChanged.connect(lambda i, box=box, field=field, what=what:
                                            self._choose(field, box.itemData(i), f"{what}: {box.itemText(i)}"))
        c.seed_spin.valueChanged.connect(lambda v: self._choose("seed", v, f"Seed {v}"))
        c.rate_edit.editingFinished.connect(self._rate_edited)
        c.auto_rate.toggled.connect(self._auto_toggled)
        c.load_button.clicked.connect(self._choose_target_file)
        c.phase_button.clicked.connect(self.next_phase)
        c.step_button.clicked.connect(self.step_iteration)
        c.run_button.toggled.connect(lambda on: self.run() if on else self.pause())
        c.reset_button.clicked.connect(self.reset)
        self.suggest_button.clicked.connect(self.use_suggested_rate)
        d.changed.connect(self._on_driver_changed)
        d.stopped.connect(self._commit_run)
        d.problem.connect(self._show_message)
        d.runner.busyChanged.connect(self.busy_label.setVisible)
        d.targetLoaded.connect(self._target_loaded)
        self.shortcuts = lecture_shortcuts(self, next_phase=self.next_phase, step=self.step_iteration,
                                           run=c.run_button.toggle, reset=self.reset)

    # -- public actions ----------------------------------------------------------------------
    @property
    def trainer(self) -> KernelTrainer | None:
        """The trainer shown, brought up to date with the state and the document first."""
        if not self.driver.running:
            self.driver.sync(self._request(), now=True)
        p = self.driver.progress
        return None if p is None else p.trainer

    def next_phase(self) -> None:
        """One phase of the five (Step, for a lecture)."""
        self._move("phase", "Next phase")

    def step_iteration(self) -> None:
        """Finish the current iteration."""
        self._move("iteration", "Step iteration")

    def reset(self) -> None:
        """Back to step 1: the random kernel of the seed."""
        self._move("reset", "Reset the learning")

    def run(self) -> None:
        """Iterate in the worker, a chunk per frame, until paused, converged or diverged."""
        if not self.driver.running:
            trainer = self.trainer
            if trainer is not None and not trainer.halted:
                self.driver.start()
        self._draw()

    def set_rate(self, rate: float) -> None:
        """Use ``rate`` (turns Auto off); learning continues from the current kernel."""
        self.pause()
        self.edit(f"Learning rate {rate_text(rate)}", rate=float(rate))

    def use_suggested_rate(self) -> None:
        """Take the smaller rate the divergence message suggests (from the start again if the numbers overflowed)."""
        self.pause()
        trainer = self.trainer
        if trainer is None or trainer.suggested_rate is None:
            return
        rate = trainer.suggested_rate
        if trainer.halted:
            self.edit(f"Learning rate {rate_text(rate)}", rate=rate, iterations=0, phase=1)
        else:
            self.edit(f"Learning rate {rate_text(rate)}", rate=rate)

    def set_target_image(self, image, name: str = "target image") -> None:
        """Use ``image`` (the input's size, grey or colour) as the target; ``ValueError`` if it does not fit."""
        grey = grey_target(image, self.document.image.shape)
        self.pause()
        self.edit(f"Target image {name}", target=FILE_TARGET, target_image=grey, target_name=name)

    def load_target(self, path) -> None:
        """Decode a target image file in the background; then it becomes the target, or a message says why
        it cannot (the target stays). ``targetLoaded(ok)`` tells which."""
        self.driver.load(path, self.document.image.shape)

    # -- bindings ----------------------------------------------------------------------------
    def _choose(self, field: str, value, text: str) -> None:
        if value is None:
            return
        if field != "speed":    # a new pace applies to the run going on; anything else starts again
            self.pause()
        self.edit(text, **{field: value})

    def _rate_edited(self) -> None:
        text = self.rate_edit.text().strip()
        shown = self.driver.progress.trainer.rate if self.driver.progress is not None else None
        if shown is not None and text == rate_text(shown):
            return
        try:
            rate = float(text)
            if not (rate > 0 and np.isfinite(rate)):
                raise ValueError
        except ValueError:
            self._draw()
            self._show_message(f"“{text}” is not a positive number: the rate stays {self.rate_edit.text()}.")
            return
        self.set_rate(rate)

    def _auto_toggled(self, on: bool) -> None:
        self.pause()
        if on:
            self.edit("Automatic learning rate", rate="auto")
        elif self.driver.progress is not None:
            self.edit("Manual learning rate", rate=self.driver.progress.trainer.rate)

    def _choose_target_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Load a target image", "", IMAGE_FILE_FILTER)
        if path:
            self.load_target(path)

    def _target_loaded(self, loaded: LoadedTarget) -> None:
        ok = loaded.image is not None
        if ok:
            try:
                self.set_target_image(loaded.image, loaded.name)
            except ValueError as err:     # the input changed while the file was read
                loaded = LoadedTarget(None, loaded.name, str(err))
                ok = False
        if not ok:
            self._show_message(f"That target image cannot be used: {loaded.error}")
        self.targetLoaded.emit(ok)

    # -- the trainer -------------------------------------------------------------------------
    def _request(self) -> Request:
        s = self.state
        setup = LearningSetup(self.document.image, s.target, s.target_image if s.target == FILE_TARGET else None,
                              s.kernel_size, s.padding, s.scale, s.seed)
        return Request(setup, s.rate, s.iterations, s.phase)

    def _move(self, action: str, text: str) -> None:
        self.pause()
        trainer = self.trainer
        if trainer is None or (trainer.halted and action != "reset"):
            return
        progress = moved(self.driver.progress, action)
        self.driver.adopt(progress)
        self.edit(text, iterations=progress.request.iterations, phase=progress.request.phase)

    def _commit_run(self, start: Request) -> None:
        p = self.driver.progress
        if p is None or (p.request.iterations, p.request.phase) == (start.iterations, start.phase):
            self._draw()
            return
        n = p.request.iterations - start.iterations
        self.edit(f"Run {n} iteration{'s' if n != 1 else ''}", iterations=p.request.iterations,
                  phase=p.request.phase)

    # -- drawing -----------------------------------------------------------------------------
    def refresh(self) -> None:
        self.driver.sync(self._request(), now=False)
        self._draw()

    def _on_state_changed(self, *args) -> None:
        self._message = ""
        super()._on_state_changed(*args)

    def _on_document_changed(self, *args) -> None:
        self._message = ""
        super()._on_document_changed(*args)

    def _draw(self) -> None:
        p, d = self.driver.progress, self.driver
        trainer = None if p is None else p.trainer
        self.controls.show_state(self.state, None if trainer is None else trainer.rate, running=d.running,
                                 can_step=trainer is not None and not trainer.halted)
        if p is None:
            if self._drawn is not None or d.refusal:
                self._drawn = None
                self.board.clear("—")
                self.phases.show_phase(0, "")
                self.status_label.setText("")
                self.info_label.setText("")
            self.warning_box.show_warning(self._message or d.refusal)
            return
        s = p.snapshot
        if p is not self._drawn:
            self._drawn = p
            self.phases.show_phase(s.phase_number, explain(s.phase, seed=s.seed, loss=s.loss, rate=s.rate,
                                                           update_text=s.update_text))
            self.board.show_progress(p, self.state.target_name)
            self.status_label.setText(status_text(iteration=s.iteration, phase=s.phase, loss=s.loss,
                                                  kernel_error=s.kernel_error, rate=s.rate, converged=s.converged))
            self.info_label.setText(setup_text(p.copy, trainer, p.request.setup.scale))
        if self._message:
            self.warning_box.show_warning(self._message)
        elif s.diverged:
            suggestion = f"Use rate {rate_text(s.suggested_rate)}" if s.suggested_rate else ""
            self.warning_box.show_warning(s.reason, suggestion)
        else:
            self.warning_box.show_warning("")

    def _show_message(self, text: str) -> None:
        self._message = text
        self.warning_box.show_warning(text)

    # -- lifetime ----------------------------------------------------------------------------
    def capped_widgets(self) -> tuple[QWidget, ...]:
        return self.controls, self.status_label, self.busy_label, self.warning_box, self.board
