"""The wrapping layouts of ui/widgets/flow_layout.py: FlowLayout (rows that wrap, stretch, equal tiles, the last
row growing) and PairColumns (a table, title-above pairs, or one column, row by row or by column)."""

import pytest
from PySide6.QtCore import QRect, QSize
from PySide6.QtWidgets import QApplication, QLabel, QSizePolicy, QWidget

from convviz.ui.widgets.flow_layout import FlowLayout, PairColumns, line_label


class Box(QWidget):
    """A widget that would like ``hint`` and needs at least ``least``."""

    def __init__(self, hint, least=(10, 10)):
        super().__init__()
        self._hint, self._least = QSize(*hint), QSize(*least)
        self.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Preferred)

    def sizeHint(self):  # noqa: N802
        return self._hint

    def minimumSizeHint(self):  # noqa: N802
        return self._least


def holding(layout):
    """A widget for ``layout`` (its widgets become its children; keep it while they are used)."""
    holder = QWidget()
    holder.setLayout(layout)
    return holder


def laid_out(layout, width, height=None):
    """Lay ``layout`` out ``width`` wide (as tall as it needs, or ``height``)."""
    height = layout.heightForWidth(width) if height is None else height
    layout.setGeometry(QRect(0, 0, width, height))
    return layout.parentWidget()


def rects(widgets):
    return [w.geometry().getRect() for w in widgets]


def test_flow_wraps_when_the_row_is_full(qapp):
    boxes = [Box((100, 30)) for _ in range(3)]
    flow = FlowLayout(spacing=10)
    keep = holding(flow)  # noqa: F841
    for b in boxes:
        flow.addWidget(b)
    assert flow.heightForWidth(320) == 30 and flow.heightForWidth(319) == 70   # 3·100 + 2·10 = 320
    laid_out(flow, 250)
    assert rects(boxes) == [(0, 0, 100, 30), (110, 0, 100, 30), (0, 40, 100, 30)]
    assert flow.minimumSize() == QSize(10, 10)


def test_centred_items_sit_in_the_middle_of_their_row_at_their_own_height(qapp):
    label, spin, button = Box((40, 20)), Box((60, 26)), Box((80, 30))
    flow = FlowLayout(spacing=10, centred=True).add(label, spin, button)
    keep = holding(flow)  # noqa: F841
    laid_out(flow, 300)
    assert rects([label, spin, button]) == [(0, 5, 40, 20), (50, 2, 60, 26), (120, 0, 80, 30)]
    laid_out(flow, 120)                                # the button wraps: the first row is as tall as the spin
    assert rects([label, spin, button]) == [(0, 3, 40, 20), (50, 0, 60, 26), (0, 36, 80, 30)]
    plain = FlowLayout(spacing=10).add(Box((40, 20)), Box((60, 26)))
    keep_plain = holding(plain)  # noqa: F841
    laid_out(plain, 300)
    assert plain.itemAt(0).geometry().y() == 0          # not centred: at the top of the row


def test_an_item_wider_than_the_row_is_narrowed_down_to_its_minimum(qapp):
    wide = Box((500, 30), least=(200, 30))
    flow = FlowLayout()
    keep = holding(flow)  # noqa: F841
    flow.addWidget(wide)
    laid_out(flow, 300)
    assert wide.width() == 300
    laid_out(flow, 150)
    assert wide.width() == 200                         # never below its minimum


def test_stretch_shares_the_spare_width_by_factor_and_fills_the_row_height(qapp):
    a, b = Box((100, 30)), Box((100, 60))
    flow = FlowLayout(spacing=0, stretch=True)
    keep = holding(flow)  # noqa: F841
    flow.addWidget(a, 1)
    flow.addWidget(b, 3)
    laid_out(flow, 600)
    assert (a.width(), b.width()) == (200, 400) and a.height() == b.height() == 60


def test_uniform_tiles_keep_the_last_row_as_large_as_the_others(qapp):
    tiles = [Box((w, 50)) for w in (60, 100, 80, 70, 90)]
    flow = FlowLayout(spacing=0, stretch=True, uniform=True)
    keep = holding(flow)  # noqa: F841
    for t in tiles:
        flow.addWidget(t)
    laid_out(flow, 330)                                # 3 tiles of the widest (100) fit: 3 + 2
    assert {t.width() for t in tiles} == {110} and [t.y() for t in tiles] == [0, 0, 0, 50, 50]


def test_grow_last_row_takes_the_height_left(qapp):
    a, b = Box((100, 30)), Box((100, 30))
    flow = FlowLayout(spacing=0, stretch=True, grow_last_row=True)
    keep = holding(flow)  # noqa: F841
    flow.addWidget(a)
    flow.addWidget(b)
    laid_out(flow, 100, height=200)
    assert (a.height(), b.y(), b.height()) == (30, 30, 170)


@pytest.fixture
def pairs(qapp):
    layout = PairColumns(spacing=0, column_gap=20, by_column=True)
    holder = holding(layout)
    cells = {k: Box((100, 20)) for k in ("a", "b", "c", "d")}
    titles = {k: Box((60, 20)) for k in ("t1", "t1r", "t2", "t2r")}
    layout.add_pair(cells["a"], cells["b"], titles["t1"], titles["t1r"])
    layout.add_pair(cells["c"], cells["d"], titles["t2"], titles["t2r"])
    sentence = QLabel("a sentence")
    layout.add_span(sentence)
    yield layout, cells, titles, sentence
    holder.deleteLater()


def test_pair_columns_table_pairs_and_stacked_by_column(pairs):
    layout, cells, titles, sentence = pairs
    assert layout.mode(60 + 100 + 100 + 40) == "table" and layout.mode(299) == "pairs"
    holder = laid_out(layout, 300)
    assert cells["a"].y() == cells["b"].y() == titles["t1"].y() and cells["a"].x() == 80
    assert titles["t1r"].size() == QSize(0, 0)         # a right cell's own title only when stacked by column
    assert sentence.width() == 300
    indent = holder.fontMetrics().height()
    assert layout.mode(220 + indent) == "pairs" and layout.mode(219 + indent) == "stacked"
    laid_out(layout, 230 + indent)
    assert titles["t1"].y() < cells["a"].y() == cells["b"].y() and cells["a"].x() == indent
    laid_out(layout, 150)
    order = [titles["t1"], cells["a"], titles["t2"], cells["c"], titles["t1r"], cells["b"], titles["t2r"],
             cells["d"], sentence]
    assert [w.y() for w in order] == sorted(w.y() for w in order)    # the left column, then the right one
    assert titles["t1r"].height() > 0


def test_line_label_prefers_one_line(qapp):
    label = line_label("<b>True convolution:</b> A * W = W * A, the same numbers", "x")
    assert label.wordWrap() and label.objectName() == "x"
    assert label.sizeHint().height() == pytest.approx(label.heightForWidth(10_000), abs=1)
    assert label.sizeHint().width() > label.minimumSizeHint().width()
    QApplication.processEvents()
