"""ui/widgets/font_fit.py: the largest size that fits (down to the floor) and following the parent's font
(a ScaledLabel moved to a parent with another font, then that parent's font changing)."""

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QWidget

from convviz.ui.widgets.font_fit import FLOOR_POINTS, largest_fitting_points
from convviz.ui.widgets.scaled_label import ScaledLabel


def test_the_largest_size_that_fits_counts_down_to_the_floor():
    tried = []

    def fits_below_11(points):
        tried.append(points)
        return points < 11

    assert largest_fitting_points(12.0, fits_below_11, step=0.5) == 10.5
    assert tried == [12.0, 11.5, 11.0, 10.5]                       # the last call is the size returned
    tried.clear()
    assert largest_fitting_points(10.0, lambda p: tried.append(p) or False, step=1.5) == FLOOR_POINTS
    assert tried == [10.0, 8.5, FLOOR_POINTS]                       # the floor is tried (and kept) even if it fails
    assert largest_fitting_points(6.0, lambda p: False, step=1.0) == 6.0   # below the floor already: as it is


def _font(points):
    font = QFont()
    font.setPointSizeF(points)
    return font


def test_a_scaled_label_follows_each_parent_it_is_given(qtbot):
    first, second = QWidget(), QWidget()
    for w in (first, second):
        qtbot.addWidget(w)
    first.setFont(_font(10.0))
    second.setFont(_font(20.0))
    label = ScaledLabel("testScaled", 1.5, "x", first)
    assert label.font().pointSizeF() == 15.0
    label.setParent(second)
    assert label.font().pointSizeF() == 30.0                        # the new parent's font, scaled
    first.setFont(_font(12.0))
    assert label.font().pointSizeF() == 30.0                        # the old parent no longer counts
    second.setFont(_font(16.0))
    assert label.font().pointSizeF() == 24.0
