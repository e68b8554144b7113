"""The shared pieces of the Pooling, Transposed conv, Separable and frequency and 1-D tabs (ui/widgets): a section
narrower than its title, columns that wrap, a step bar that wraps, sizes that follow the font, captioned plots and
the background preparation that keeps nothing of a previous picture."""

from __future__ import annotations

import gc
import weakref

import numpy as np
import pytest
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QGroupBox, QLabel, QVBoxLayout, QWidget

from convviz.model.step_view import SYNC_PIXELS
from convviz.ui.widgets import CellGrid, ImagePlot
from convviz.ui.widgets.captioned_plot import CaptionedPlot
from convviz.ui.widgets.font_sized import font_sized
from convviz.ui.widgets.grid_cells import show_title
from convviz.ui.widgets.page_body import Column, columns, page_body
from convviz.ui.widgets.prepared_result import PreparedResult
from convviz.ui.widgets.section_box import SectionBox
from convviz.ui.widgets.step_bar import StepBar

TITLE = "Depthwise-separable layer (MobileNet): cost against a standard layer (“same” padding)"


def big(widget: QWidget, points: float = 30.0) -> QWidget:
    font = QFont(widget.font())
    font.setPointSizeF(points)
    widget.setFont(font)
    return widget


def test_a_section_can_be_narrower_than_its_title(qtbot):
    group = big(QGroupBox(TITLE))
    section = big(SectionBox(TITLE))
    qtbot.addWidget(group)
    qtbot.addWidget(section)
    title_width = QFontMetrics(section.font()).horizontalAdvance(TITLE)
    assert group.minimumSizeHint().width() >= title_width          # what made the tabs scroll sideways
    assert section.minimumSizeHint().width() < title_width / 3     # the title wraps instead
    assert section.title_text() == TITLE and section.accessibleName() == TITLE
    section.set_title("Short")
    assert section.heading.text() == "<b>Short</b>"


def fixed(width: int, height: int) -> QWidget:
    w = QWidget()
    w.setMinimumSize(width, height)
    return w


def test_columns_stand_side_by_side_when_they_fit_and_wrap_when_not(qtbot):
    holder = columns((fixed(300, 200), 1), (fixed(250, 100), 1))
    qtbot.addWidget(holder)
    assert holder.minimumSizeHint().width() <= 300 + 20             # the widest column, not their sum
    flow = holder.layout()
    assert len(flow.rows(700)) == 1 and len(flow.rows(500)) == 2
    assert holder.heightForWidth(500) >= 200 + 100                 # stacked: one under the other
    assert holder.heightForWidth(700) < 200 + 100
    holder.resize(700, 400)
    holder.show()
    qtbot.waitExposed(holder)
    first, second = holder.findChildren(Column)
    assert first.geometry().top() == second.geometry().top() and first.width() + second.width() > 600
    holder.resize(500, 400)
    qtbot.wait(10)
    assert second.geometry().top() >= first.geometry().bottom()


def test_a_page_is_sized_for_its_width_before_its_first_layout(qtbot):
    panel = QWidget()
    qtbot.addWidget(panel)
    layout = page_body(panel)
    label = QLabel("words " * 80)
    label.setWordWrap(True)
    layout.addWidget(label)
    panel.resize(1200, 300)
    body = panel.findChild(QWidget, "panelBody")
    assert body.minimumSizeHint().height() < 120     # measured at the panel's 1200 pixels, not a 100-pixel body


def test_the_step_bar_wraps_its_slider_under_the_buttons(qtbot):
    owner = QWidget()
    qtbot.addWidget(owner)
    bar = StepBar(owner, "test", lambda action: False, lambda index: None)
    QVBoxLayout(owner).addWidget(bar)
    bar.show_position(0, 10)
    one_row = bar.layout().sizeHint().width()
    assert bar.minimumSizeHint().width() < one_row
    assert bar.heightForWidth(bar.minimumSizeHint().width()) > bar.heightForWidth(one_row + 10)
    assert bar.position_label.text() == "step 1 / 10"


def test_sizes_follow_the_font_and_titles_keep_whole_words(qtbot):
    grid = CellGrid("Zero-inserted, padded input")
    qtbot.addWidget(grid)
    font_sized(grid, 4, 60, most=8, title=grid.title)
    line = QFontMetrics(grid.font()).height()
    assert grid.minimumHeight() == max(60, round(4 * line)) and grid.maximumHeight() == max(60, round(8 * line))
    big(grid, 30)
    bold = QFont(grid.font())
    bold.setBold(True)
    assert grid.minimumHeight() == round(4 * QFontMetrics(grid.font()).height())
    assert grid.minimumWidth() >= QFontMetrics(bold).horizontalAdvance("Zero-inserted,")
    show_title(grid, "Incomprehensibilities")
    assert grid.title() == "Incomprehensibilities"
    assert grid.minimumWidth() >= QFontMetrics(bold).horizontalAdvance("Incomprehensibilities")


def test_a_captioned_plot_has_no_title_row_and_a_wrapping_caption(qtbot):
    plot = ImagePlot()
    plot.setObjectName("somePlot")
    view = CaptionedPlot(plot, "then the row pass", high=3, least=50)
    qtbot.addWidget(view)
    assert view.caption.objectName() == "somePlotCaption" and view.caption_text() == "then the row pass"
    assert not plot.plot.titleLabel.isVisible()
    assert not view.hasHeightForWidth()                     # the plot's preferred height is no one's minimum
    view.set_caption("upsampled ×2")
    assert view.caption.text() == "upsampled ×2"


def halves(image: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A job's result that is small and a copy (as the tabs' are)."""
    return np.array(image[:2, :2]), np.array(image[-2:, -2:])


def test_prepared_results_hold_nothing_of_a_previous_picture(qtbot):
    owner = QWidget()
    qtbot.addWidget(owner)
    prepared = PreparedResult(halves, owner)
    small = np.arange(16.0).reshape(4, 4)
    first = prepared.get((small,), ("a",), small.size, small)
    assert first[0].tolist() == [[0, 1], [4, 5]]
    assert prepared.get((small,), ("a",), small.size, small) is first          # the same request: kept
    big_picture = np.ones((700, 600))
    assert big_picture.size > SYNC_PIXELS
    assert prepared.get((big_picture,), ("a",), big_picture.size, big_picture) is None     # in the worker
    prepared.wait(10)
    assert prepared.get((big_picture,), ("a",), big_picture.size, big_picture)[0].tolist() == [[1, 1], [1, 1]]
    gone = weakref.ref(big_picture)
    del big_picture
    gc.collect()
    assert gone() is None                 # the request held it weakly and the result is a copy
    prepared.forget()
    assert prepared.result is None
    prepared.shutdown()


def test_a_refused_preparation_is_a_sentence(qtbot):
    def refuse(image):
        raise ValueError("That picture cannot be pooled: use a larger one.")

    owner = QWidget()
    qtbot.addWidget(owner)
    prepared = PreparedResult(refuse, owner)
    image = np.zeros((3, 3))
    assert prepared.get((image,), (), image.size, image) is None
    assert prepared.error == "That picture cannot be pooled: use a larger one."
    prepared.shutdown()


@pytest.mark.parametrize("scale", [1.0, 3.0])
def test_sections_columns_and_bars_fit_a_narrow_page_at_large_fonts(qtbot, scale):
    page = QWidget()
    qtbot.addWidget(page)
    big(page, 10 * scale)
    layout = page_body(page)
    left, right = SectionBox(TITLE), SectionBox("The same output: an ordinary convolution")
    left.content.addWidget(StepBar(page, "fit", lambda action: False, lambda index: None))
    right.content.addWidget(font_sized(CellGrid("Flipped kernel"), 4, 60, title=lambda: "Flipped kernel"))
    layout.addWidget(columns((left, 1), (right, 1)), 1)
    assert page.minimumSizeHint().width() <= 1000        # a 1024-pixel projector, ×3 fonts
