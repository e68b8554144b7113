"""The six views of the Learned filters tab: target kernel, learned kernel, gradient; target map,
prediction and loss curve. It only draws a :class:`~convviz.model.training_run.Progress`."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QGridLayout, QWidget

from convviz.model import display_levels
from convviz.model.training_run import Progress

from .feature_map import FeatureMapView
from .heatmap import KernelHeatmap
from .loss_curve import LossCurveView

PREDICTION_TITLE = "Prediction (learned kernel)"
PREDICTION_WAITING = "Prediction: appears at step 2"
PREDICTION_OVERFLOW = "Prediction: none (overflow)"
GRADIENT_WAITING = "Appears at step 4 (backpropagate)."


class LearningBoard(QWidget):
    """Kernels in the top row (target, learned, gradient), maps and the loss below."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.target_kernel_view = KernelHeatmap("Target kernel (hidden)", "learnTargetKernel",
                                                tooltip="The kernel that made the target, which the learner must find.")
        self.kernel_view = KernelHeatmap("Learned kernel", "learnKernel", tooltip="The kernel being learned.")
        self.gradient_view = KernelHeatmap("Gradient ∂loss/∂weight", "learnGradient",
                                           tooltip="How the loss changes when each weight grows a little.")
        self.target_view = FeatureMapView("Target feature map", "learnTargetView",
                                          "What the learned kernel should produce from the input.")
        self.prediction_view = FeatureMapView(PREDICTION_WAITING, "learnPredictionView",
                                              "What the learned kernel, as shown above, produces from the input.")
        self.loss_plot = LossCurveView()
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        for i, view in enumerate((self.target_kernel_view, self.kernel_view, self.gradient_view,
                                  self.target_view, self.prediction_view, self.loss_plot)):
            grid.addWidget(view, i // 3, i % 3)
        for c in range(3):
            grid.setColumnStretch(c, 1)
        grid.setRowStretch(0, 1)     # the kernels' cells large enough to read their numbers from the back
        grid.setRowStretch(1, 1)
        self._target: np.ndarray | None = None
        self._map_levels: tuple[float, float] | None = None

    def sizeHint(self) -> QSize:
        """Modest, so a tab that fits its page takes the page's height rather than scrolling (a
        scroll area asks a word-wrapping panel for its preferred height); the board then stretches."""
        return QSize(720, 400)

    def show_progress(self, progress: Progress, target_name: str = "") -> None:
        """Draw ``progress``: the target (when it changed) and the snapshot."""
        trainer, s = progress.trainer, progress.snapshot
        hidden = progress.request.setup.hidden_kernel
        if trainer.target is not self._target:
            self._target = trainer.target
            self._map_levels = display_levels(trainer.target)
            self.target_view.show_map(trainer.target, self._map_levels)
            if hidden is None:
                self.target_kernel_view.set_placeholder(f"Unknown: the target is the image “{target_name}”.")
        finite = bool(np.all(np.isfinite(s.kernel)))
        levels = None
        if finite:
            levels = display_levels(s.kernel if hidden is None else np.concatenate([s.kernel.ravel(), hidden.ravel()]))
        if hidden is not None:
            self.target_kernel_view.set_values(hidden, levels)
        self.kernel_view.set_values(s.kernel, levels)
        if s.gradient is None or s.phase in ("predict", "loss"):
            self.gradient_view.set_placeholder(GRADIENT_WAITING)
        else:
            self.gradient_view.set_values(s.gradient)
        self.prediction_view.show_map(s.prediction, self._map_levels)
        if s.prediction is not None:
            self.prediction_view.set_title(PREDICTION_TITLE)
        else:
            self.prediction_view.set_title(PREDICTION_OVERFLOW if s.halted or not finite else PREDICTION_WAITING)
        self.loss_plot.show_history(s.history)

    def clear(self, text: str) -> None:
        """Nothing to learn (the settings cannot be used): every view empty, ``text`` in the kernels'."""
        self._target = None
        for view in (self.target_kernel_view, self.kernel_view, self.gradient_view):
            view.set_placeholder(text)
        self.target_view.show_map(None)
        self.prediction_view.show_map(None)
        self.prediction_view.set_title(PREDICTION_WAITING)
        self.loss_plot.show_history([])
