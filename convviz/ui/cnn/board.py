"""The views of the Learn from labels tab, laid out; it only draws a
:class:`~convviz.model.cnn_view.CNNProgress` and one test image's readout.

The pictures first: the first-layer filters (and, while stepping phases 4–5, their gradient or
change) and the chosen test image with its feature maps and probabilities. Then the curves: the
loss, the test accuracy and the confusion matrix. On a tall view both share it; on a short one (a
projector at presentation fonts) the pictures fill the view and the curves follow below, side by side
where the width allows (:func:`~convviz.model.cnn_layout.plan_board`): the board scrolls down, never
sideways.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from convviz.model.cnn_layout import BoardPlan, plan_board
from convviz.model.cnn_view import (
    CNNProgress,
    ImageReadout,
    accuracy_curve,
    filter_tiles,
    loss_curves,
    percent,
    readout_text,
    symmetric_levels,
)
from convviz.model.states.cnn import MAX_FILTERS, TEST_IMAGE_COUNT

from ..widgets import mark_editing_chrome, named, text_label
from ..widgets.flow_layout import flow_row
from ..widgets.labelled_controls import labelled
from ..widgets.page_body import Body
from .confusion_view import ConfusionView
from .mosaic_view import PictureView
from .views import CurveView, ProbabilityView

FEATURE_TITLE = "Feature maps (ReLU)"
GRADIENT_TITLES = {4: "Gradient ∂loss/∂filter (phase 4)", 5: "Change made by this update (phase 5)"}
SPACING = 6


class MosaicPair(QWidget):
    """The filters and their gradient (or change): side by side in a wide box, one over the other in a tall one."""

    def __init__(self, first: QWidget, second: QWidget, parent=None):
        super().__init__(parent)
        self.box = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self.box.setContentsMargins(0, 0, 0, 0)
        self.box.addWidget(first, 1)
        self.box.addWidget(second, 1)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        tall = event.size().height() > event.size().width()
        direction = QBoxLayout.Direction.TopToBottom if tall else QBoxLayout.Direction.LeftToRight
        if self.box.direction() != direction:
            self.box.setDirection(direction)


class CNNBoard(QScrollArea):
    """Every view of the tab, and the widgets that sit beside them (the panel connects those); scrolls down
    (never sideways) when the view is too short for the pictures and the curves together."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("cnnBoard")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # -- the filters, and what to do with them -----------------------------------------------
        self.filter_view = PictureView("First-layer filters", "cnnFilterView",
                                       "The filters the convolution layer is learning (blue negative, red positive, "
                                       "grey 0; one colour scale for all). Click one to choose it.")
        self.gradient_view = PictureView(GRADIENT_TITLES[4], "cnnGradientView",
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
        fl.addWidget(MosaicPair(self.filter_view, self.gradient_view), 1)   # the gradient hidden: filters take all
        # sending the filters to other tabs is editing, not the lecture: hidden while presenting
        self.send_row = mark_editing_chrome(flow_row(self.bank_button, labelled(None, self.filter_spin,
                                                                            self.kernel_button)))
        fl.addWidget(self.send_row)

        # -- one test image through the network --------------------------------------------------
        self.image_view = PictureView("Test image", "cnnTestImageView", "The chosen test image (16×16, 0–255).",
                                      numbered=False)
        self.image_view.setMinimumSize(90, 90)
        self.test_spin = named(QSpinBox(), "cnnTestImageSpin", f"Which of the {TEST_IMAGE_COUNT} test images to "
                               "look at (the network never trained on them).", "Test image")
        self.test_spin.setRange(1, TEST_IMAGE_COUNT)
        self.test_spin.setPrefix("Test image ")
        self.test_spin.setKeyboardTracking(False)
        self.feature_view = PictureView(FEATURE_TITLE, "cnnFeatureMapView",
                                        "The test image convolved with each filter, then ReLU: one map per filter, "
                                        "numbered as the filters (white strong, black 0). Click one to choose "
                                        "its filter.")
        self.readout_label = text_label("", "cnnReadoutLabel")
        self.readout_label.setToolTip("The chosen test image's true digit and the network's answer.")
        self.probability_view = ProbabilityView()
        maps_box = QGroupBox("One test image")
        ml = QGridLayout(maps_box)
        for c, (view, stretch) in enumerate(((self.image_view, 2), (self.feature_view, 4),
                                             (self.probability_view, 3))):
            ml.addWidget(view, 0, c)
            ml.setColumnStretch(c, stretch)
        readout = QHBoxLayout()
        readout.addWidget(self.test_spin, 0, Qt.AlignmentFlag.AlignTop)
        readout.addWidget(self.readout_label, 1)
        ml.addLayout(readout, 1, 0, 1, 3)
        ml.setRowStretch(0, 1)

        # -- how the training goes --------------------------------------------------------------
        self.loss_view = CurveView("Loss", "cnnLossPlot", "Thin: the loss of every mini-batch. Dots: the training "
                                   "loss on all training images after each epoch.", y_label="cross-entropy")
        self.accuracy_view = CurveView("Test accuracy", "cnnAccuracyPlot", "The share of the 359 test images the "
                                       "network gets right: after each epoch (dots) and now (ring). Dashed: 90 %.",
                                       y_label="%", y_range=(0, 100), guide=90)
        self.confusion_view = ConfusionView()
        self._image_index: int | None = None

        self.pictures = QWidget()
        top = QHBoxLayout(self.pictures)
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(filters_box, 2)
        top.addWidget(maps_box, 5)
        self.curves = QWidget()
        self._curve_grid = QGridLayout(self.curves)
        self._curve_grid.setContentsMargins(0, 0, 0, 0)
        body = Body()            # as high as the view (down to its minimum), not as its parts would like
        page = QVBoxLayout(body)
        page.setContentsMargins(0, 0, 0, 0)
        page.setSpacing(SPACING)
        page.addWidget(self.pictures, 1)
        page.addWidget(self.curves, 1)
        host = QWidget()         # a scroll area asks its widget's layout (not the Body) for height-for-width
        QVBoxLayout(host).addWidget(body)
        host.layout().setContentsMargins(0, 0, 0, 0)
        self.setWidget(host)
        self.plan: BoardPlan | None = None
        self._arrange()

    # -- layout --------------------------------------------------------------------------------
    def _arrange(self) -> None:
        """Lay the parts out for the view's size and the font (:func:`plan_board`)."""
        size = self.viewport().size()
        line = QFontMetrics(self.font()).height()
        plan = plan_board(max(1, size.width()), max(1, size.height()), max(1, line), spacing=SPACING)
        if plan == self.plan:
            return
        old, self.plan = self.plan, plan
        if old is None or old.curves != plan.curves:
            self._place_curves(plan.curves)
        self.pictures.setFixedHeight(plan.top_height)
        self.curves.setFixedHeight(plan.bottom_height)

    def _place_curves(self, arrangement: str) -> None:
        """Loss, accuracy and confusion matrix in a ``"row"``, the matrix ``"beside"`` the two curves, or
        ``"stacked"``."""
        grid = self._curve_grid
        views = (self.loss_view, self.accuracy_view, self.confusion_view)
        for view in views:
            grid.removeWidget(view)
        places = {"row": ((0, 0, 1, 1), (0, 1, 1, 1), (0, 2, 1, 1)),
                  "beside": ((0, 0, 1, 1), (1, 0, 1, 1), (0, 1, 2, 1)),
                  "stacked": ((0, 0, 1, 1), (1, 0, 1, 1), (2, 0, 1, 1))}[arrangement]
        for view, place in zip(views, places):
            grid.addWidget(view, *place)
        rows = 1 + max(r + h - 1 for r, _, h, _ in places)
        columns = 1 + max(c + w - 1 for _, c, _, w in places)
        for i in range(3):
            grid.setRowStretch(i, 1 if i < rows else 0)
            grid.setColumnStretch(i, 1 if i < columns else 0)

    def viewportEvent(self, event) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Resize:    # also when the scroll bar comes or goes
            self._arrange()
        return super().viewportEvent(event)

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange and hasattr(self, "plan"):
            self._arrange()

    # -- drawing -------------------------------------------------------------------------------
    def show_progress(self, p: CNNProgress, *, stepping: bool, epochs: float) -> None:
        """Draw the filters, the curves and the confusion matrix of ``p``. Phase 4 also shows the filters'
        gradient, and phase 5 the change the update made when ``stepping`` (reached by Next phase). The curves'
        epoch axis reaches ``epochs`` (or as far as the training went)."""
        tiles = filter_tiles(p)
        self.filter_view.show_tiles(tiles, symmetric_levels(tiles))
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
            self.gradient_view.show_tiles(extra_tiles, symmetric_levels(extra_tiles))
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
        self.feature_view.show_tiles(tiles, (0.0, top if top > 0 else 1.0))
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
