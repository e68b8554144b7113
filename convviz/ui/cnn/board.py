"""The views of the Learn from labels tab, laid out; it only draws a
:class:`~convviz.model.cnn_view.CNNProgress` and one test image's readout.

Top row: the first-layer filters (and, while stepping phases 4–5, their gradient or change) with
the buttons that send them to other tabs; the chosen test image and its feature maps; its
probabilities. Bottom row: the loss, the test accuracy and the confusion matrix.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QGroupBox, QHBoxLayout, QPushButton, QSpinBox, QVBoxLayout, QWidget

from convviz.model.cnn_view import (
    CNNProgress,
    ImageReadout,
    accuracy_curve,
    filter_tiles,
    grid_columns,
    loss_curves,
    mosaic_gap,
    mosaic_rgb,
    percent,
    readout_text,
    symmetric_levels,
    tile_origins,
)
from convviz.model.states.cnn import MAX_FILTERS, TEST_IMAGE_COUNT

from ..widgets import named, text_label
from ..widgets.flow_layout import flow_row
from .confusion_view import ConfusionView
from .controls import pair
from .views import CurveView, DigitView, MosaicView, ProbabilityView

FEATURE_TITLE = "Feature maps (ReLU)"
GRADIENT_TITLES = {4: "Gradient ∂loss/∂filter (phase 4)", 5: "Change made by this update (phase 5)"}


def _draw_mosaic(view: MosaicView, tiles: np.ndarray, levels) -> None:
    n, h, w = tiles.shape
    columns, gap = grid_columns(n), mosaic_gap(max(h, w))
    rgb = mosaic_rgb(tiles, columns=columns, levels=levels, gap=gap)
    view.show_tiles(rgb, tile_origins(n, (h, w), columns, gap), (h, w), columns, gap, values=tiles)


class CNNBoard(QWidget):
    """Every view of the tab, and the widgets that sit beside them (the panel connects those)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        # -- the filters, and what to do with them -----------------------------------------------
        self.filter_view = MosaicView("First-layer filters", "cnnFilterView",
                                      "The filters the convolution layer is learning (blue negative, red positive, "
                                      "grey 0; one colour scale for all). Click one to choose it.")
        self.gradient_view = MosaicView(GRADIENT_TITLES[4], "cnnGradientView",
                                        "Phase 4: how the loss changes when each weight grows a little. Phase 5: "
                                        "how much the update moved each weight.")
        self.gradient_view.setVisible(False)
        self.bank_button = named(QPushButton("Send filters to the Filter bank"), "cnnSendBankButton",
                                 "Make these filters the Filter bank tab's bank (one undo step), to see their maps "
                                 "on your own picture.", "Send filters to the Filter bank")
        self.filter_spin = named(QSpinBox(), "cnnFilterSpin", "Which filter “Use as the kernel” sends.",
                                 "Filter number")
        self.filter_spin.setRange(1, MAX_FILTERS)
        self.filter_spin.setKeyboardTracking(False)
        self.kernel_button = named(QPushButton("Use filter 1 as the kernel"), "cnnUseFilterButton",
                                   "Make the chosen filter the Filter tab's kernel (one undo step), so you see a "
                                   "learned filter act on your photo.", "Use the filter as the kernel")
        filters_box = QGroupBox("Filters")
        fl = QVBoxLayout(filters_box)
        mosaics = QHBoxLayout()
        mosaics.addWidget(self.filter_view, 1)
        mosaics.addWidget(self.gradient_view, 1)   # hidden: the filters take the whole row
        fl.addLayout(mosaics, 1)
        fl.addWidget(flow_row(self.bank_button, pair(None, self.filter_spin, self.kernel_button)))

        # -- one test image through the network --------------------------------------------------
        self.image_view = DigitView("Test image")
        named(self.image_view, "cnnTestImageView", "The chosen test image (16×16, 0–255).", "Test image")
        self.image_view.setMinimumSize(110, 110)
        self.test_spin = named(QSpinBox(), "cnnTestImageSpin", f"Which of the {TEST_IMAGE_COUNT} test images to "
                               "look at (the network never trained on them).", "Test image")
        self.test_spin.setRange(1, TEST_IMAGE_COUNT)
        self.test_spin.setPrefix("Test image ")
        self.test_spin.setKeyboardTracking(False)
        self.feature_view = MosaicView(FEATURE_TITLE, "cnnFeatureMapView",
                                       "The test image convolved with each filter, then ReLU: one map per filter, "
                                       "numbered as the filters (white strong, black 0).")
        self.readout_label = text_label("", "cnnReadoutLabel")
        self.readout_label.setToolTip("The chosen test image's true digit and the network's answer.")
        maps_box = QGroupBox("One test image")
        ml = QGridLayout(maps_box)
        ml.addWidget(self.image_view, 0, 0)
        ml.addWidget(self.feature_view, 0, 1)
        ml.addWidget(self.test_spin, 1, 0, 1, 2, Qt.AlignmentFlag.AlignLeft)
        ml.addWidget(self.readout_label, 2, 0, 1, 2)
        ml.setColumnStretch(0, 2)
        ml.setColumnStretch(1, 3)
        ml.setRowStretch(0, 1)
        self.probability_view = ProbabilityView()

        # -- how the training goes --------------------------------------------------------------
        self.loss_view = CurveView("Loss", "cnnLossPlot", "Thin: the loss of every mini-batch. Dots: the training "
                                   "loss on all training images after each epoch.", y_label="cross-entropy")
        self.accuracy_view = CurveView("Test accuracy", "cnnAccuracyPlot", "The share of the 359 test images the "
                                       "network gets right: after each epoch (dots) and now (ring). Dashed: 90 %.",
                                       y_label="%", y_range=(0, 100), guide=90)
        self.confusion_view = ConfusionView()
        self._image_index: int | None = None

        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(filters_box, 0, 0, 1, 2)
        grid.addWidget(maps_box, 0, 2, 1, 2)
        for c, view in enumerate((self.loss_view, self.accuracy_view, self.probability_view, self.confusion_view)):
            grid.addWidget(view, 1, c)
            grid.setColumnStretch(c, 1)
        grid.setRowStretch(0, 1)
        grid.setRowStretch(1, 1)

    # -- drawing -------------------------------------------------------------------------------
    def show_progress(self, p: CNNProgress, *, stepping: bool, epochs: float) -> None:
        """Draw the filters, the curves and the confusion matrix of ``p``. Phase 4 also shows the filters'
        gradient, and phase 5 the change the update made when ``stepping`` (reached by Next phase). The curves'
        epoch axis reaches ``epochs`` (or as far as the training went)."""
        tiles = filter_tiles(p)
        _draw_mosaic(self.filter_view, tiles, symmetric_levels(tiles))
        k, f = p.request.kernel_size, p.request.filters
        self.filter_view.set_title(f"{f} first-layer filters, {k}×{k}")
        phase = p.phase_number
        extra = None
        if phase == 4 and p.last.gradients is not None:
            extra = p.last.gradients["conv_weights"]
        elif stepping and phase == 5 and p.last.changes is not None:
            extra = p.last.changes["conv_weights"]
        if extra is not None:
            extra_tiles = filter_tiles(p, extra)
            _draw_mosaic(self.gradient_view, extra_tiles, symmetric_levels(extra_tiles))
            self.gradient_view.set_title(GRADIENT_TITLES[phase])
        self.gradient_view.setVisible(extra is not None)

        line, epoch_dots = loss_curves(p)
        x_max = max(p.epochs_done, epochs)
        self.loss_view.show_curves(line, epoch_dots, x_max=x_max)
        self.accuracy_view.show_curves(None, accuracy_curve(p), (p.epochs_done, 100 * p.test_accuracy), x_max=x_max)
        correct, n = int(np.trace(p.confusion)), int(p.confusion.sum())
        self.confusion_view.show_counts(p.confusion, p.data.classes,
                                        f"Confusion matrix: {correct} of {n} right ({percent(p.test_accuracy)})")

    def show_readout(self, r: ImageReadout, classes: tuple[str, ...], count: int) -> None:
        """Draw test image ``r``: the digit, its feature maps (one grey scale for all) and its probabilities."""
        if self._image_index != r.index:               # the same test image: nothing to redraw
            self._image_index = r.index
            self.image_view.show_values(r.image, levels=(0.0, 255.0))
            self.image_view.set_title(f"Label: {classes[r.label]}")
        self.feature_view.set_title(FEATURE_TITLE)
        tiles = np.moveaxis(r.feature_maps, -1, 0)
        top = float(tiles.max()) if tiles.size else 0.0
        _draw_mosaic(self.feature_view, tiles, (0.0, top if top > 0 else 1.0))
        self.probability_view.show_probabilities(r.probabilities, r.label, classes)
        self.readout_label.setText(readout_text(r, classes, count))

    def show_selection(self, filter_index: int, filters: int) -> None:
        """Frame the chosen filter and name it on the button."""
        self.filter_view.select(filter_index)
        self.kernel_button.setText(f"Use filter {filter_index + 1} as the kernel")

    def clear(self, text: str) -> None:
        self._image_index = None
        for view in (self.filter_view, self.feature_view):
            view.clear_tiles(text)
        self.gradient_view.setVisible(False)
        self.readout_label.setText("")
