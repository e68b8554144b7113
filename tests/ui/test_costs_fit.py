"""Costs tab in presentation mode (issue #12): its boxes wrap onto more rows, the results become title-above
pairs and then one column (the conv layer's cells above the dense layer's), the layer tables go one under the
other and shrink their font rather than scroll sideways; at 1280 px with the usual font it stays one table."""

import pytest
from PySide6.QtWidgets import QApplication, QScrollArea
from ui_support import in_editing_chrome, settle, top_in

import convviz.ui  # noqa: F401
from convviz.model import ConvDocument
from convviz.ui.costs.panel import CostPanel
from convviz.ui.widgets.font_fit import FLOOR_POINTS

BIG = dict(h=224, w=224, c=64, kh=3, kw=3, filters=128, padding="same", bias=True, follow=False, groups=1)


@pytest.fixture
def panel(show_panel):
    return show_panel(CostPanel(ConvDocument()))


def columns_hold_their_contents(table):
    return all(table.columnWidth(c) >= table.sizeHintForColumn(c) for c in range(table.columnCount()))


def test_the_usual_font_keeps_one_table_and_the_results_as_a_table(panel):
    settle()
    rows = panel.results.layout().itemAt(0).layout()
    assert rows.mode(panel.results.contentsRect().width()) == "table"
    stack = panel.stack
    assert top_in(panel, stack.table) == top_in(panel, stack.cost_table)           # costs beside the layers
    assert stack.table.font().pointSizeF() == QApplication.font().pointSizeF()
    assert columns_hold_their_contents(stack.table) and columns_hold_their_contents(stack.cost_table)
    assert panel.findChild(QScrollArea).horizontalScrollBar().maximum() == 0


def test_big_fonts_wrap_the_boxes_and_never_scroll_sideways(panel, big_font, qtbot):
    panel.resize(1000, 700)
    settle()
    scroll = panel.findChild(QScrollArea)
    assert scroll.horizontalScrollBar().maximum() == 0
    boxes = [panel.spins["H"].parentWidget(), panel.results, panel.chart]
    assert len({top_in(panel, b) for b in boxes}) == 3                           # one box to a row
    stack = panel.stack
    assert top_in(panel, stack.cost_table) > top_in(panel, stack.table)              # the costs under the layers
    for table in (stack.table, stack.cost_table):
        assert FLOOR_POINTS <= table.font().pointSizeF() <= 27.0
        assert table.content_width() <= table.width() and columns_hold_their_contents(table)
    assert stack.table.font().pointSizeF() == 27.0                              # the layers' spins: full size
    legend = panel.chart.legend.item.boundingRect().width()
    assert legend <= panel.chart.width()
    for widget in (panel.results, panel.separable_box, panel.channels_box, panel.chart):
        right = widget.mapTo(scroll.widget(), widget.rect().topRight()).x()
        assert right <= scroll.viewport().width(), widget.objectName()


def test_a_large_layer_stacks_the_results_by_column(panel, big_font):
    panel.apply_lesson_settings(BIG)
    panel.resize(1000, 700)
    settle()
    rows = panel.results.layout().itemAt(0)
    assert rows.mode(panel.results.contentsRect().width()) == "stacked"
    labels = panel.labels
    assert top_in(panel, labels["ConvMemory"]) < top_in(panel, labels["DenseParams"])   # the conv layer first
    assert labels["DenseParams"].text() == "<b>20,624,439,377,920</b>"
    assert panel.findChild(QScrollArea).horizontalScrollBar().maximum() == 0


def test_editing_only_controls_are_marked(panel):
    def marked(widget):
        return in_editing_chrome(widget, panel)

    assert marked(panel.lecture_button) and marked(panel.follow_box)
    assert not any(marked(spin) for spin in panel.spins.values()) and not marked(panel.bias_box)
    assert not marked(panel.labels["ConvParams"]) and not marked(panel.stack.add_button)
