"""Cost panel: the numbers shown are the lecture's (stated here, worked out by hand); every control works
both ways, through the undo stack, bound to the Qt-free CostsState."""

import math

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication, QScrollArea

import convviz.ui  # noqa: F401  (pyqtgraph configuration)
from convviz.model import ConvDocument
from convviz.model.layer_stack import ConvLayerSpec
from convviz.ui.costs.panel import LECTURE_SHORTCUT, CostPanel

LECTURE = dict(h=32, w=32, c=3, kh=5, kw=5, filters=64, padding="valid", stride=1, dilation=1, bias=False,
               groups=1)


@pytest.fixture
def panel(qtbot):
    doc = ConvDocument()
    p = CostPanel(doc)
    qtbot.addWidget(p)
    p.resize(1300, 800)
    p.show()
    return p


def shown(p, key):
    """The label's text without markup, its lines joined by spaces."""
    text = p.labels[key].text()
    for tag in ("<b>", "</b>", "<nobr>", "</nobr>"):
        text = text.replace(tag, "")
    return text.replace("<br>", " ")


def formula_lines(p, key):
    """The label's lines, each checked to be kept whole (no line break inside it)."""
    lines = p.labels[key].text().split("<br>")
    assert all(line.startswith("<nobr>") and line.endswith("</nobr>") for line in lines)
    return [line[len("<nobr>"):-len("</nobr>")] for line in lines]


def test_formulas_one_step_per_unbroken_line(panel):
    panel.show_lecture_example()
    assert formula_lines(panel, "ConvFormula") == ["C_in·K·K·C_out", "= 3·5·5·64", "= 4,800"]
    assert formula_lines(panel, "DenseFormula") == ["inputs·outputs", "= 3,072·50,176", "= 154,140,672"]
    panel.bias_box.setChecked(True)
    assert formula_lines(panel, "ConvFormula") == ["C_in·K·K·C_out + C_out", "= 3·5·5·64 + 64", "= 4,864"]
    assert formula_lines(panel, "DenseFormula") == ["inputs·outputs + outputs", "= 3,072·50,176 + 50,176",
                                                    "= 154,190,848"]


def test_layer_table_buttons_fit_at_1280_by_800_in_the_window(qtbot):
    from convviz.ui import MainWindow
    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    window.show_panel("costs")
    QApplication.processEvents()
    panel = window.findChild(CostPanel)
    scroll = panel.findChild(QScrollArea)

    def all_on_screen():
        QApplication.processEvents()
        assert scroll.verticalScrollBar().maximum() == 0        # nothing below the fold
        for button in (panel.stack.add_button, panel.stack.remove_button):
            bottom = button.mapTo(scroll.viewport(), button.rect().bottomLeft()).y()
            assert button.isVisible() and bottom <= scroll.viewport().height()

    all_on_screen()
    assert window.classroom.open_lesson("cost_savings")        # the lesson's caption takes height too
    all_on_screen()
    window.close()


def test_fonts_exist(qapp):
    assert QFontDatabase.families()


def test_lecture_example_one_click(panel, qtbot):
    """32×32×3 → 64 filters of 5×5, valid, no bias: 4,800 vs 154,140,672 weights, ≈ 32,113×."""
    qtbot.mouseClick(panel.lecture_button, Qt.LeftButton)
    c = panel.costs
    assert (c.conv_params, c.dense_params, c.output_shape) == (4_800, 154_140_672, (28, 28, 64))
    assert (c.conv_macs, c.dense_macs, c.conv_bytes, c.dense_bytes) == (3_763_200, 154_140_672, 19_200, 616_562_688)
    assert shown(panel, "ConvParams") == "4,800"
    assert shown(panel, "DenseParams") == "154,140,672"
    assert "≈ 32,113×" in panel.ratio_label.text()
    assert shown(panel, "OutputShape") == "28 × 28 × 64  (50,176 numbers)"
    assert shown(panel, "ConvFormula") == "C_in·K·K·C_out = 3·5·5·64 = 4,800"
    assert shown(panel, "DenseFormula") == "inputs·outputs = 3,072·50,176 = 154,140,672"
    assert shown(panel, "ConvMacs") == "3,763,200"
    assert shown(panel, "DenseMacs") == "154,140,672"
    assert shown(panel, "ConvMemory") == "19.2 kB"
    assert shown(panel, "DenseMemory") == "616.6 MB"
    assert panel.labels["ConvMemory"].toolTip().startswith("19,200 bytes")
    assert "64 small kernels (5×5×3)" in panel.explain_label.text() and "3,072 input numbers" in \
        panel.explain_label.text()
    assert panel.settings() == LECTURE


def test_chart_heights_are_log10_of_the_numbers(panel):
    """Conv, depthwise + pointwise (5·5·3 + 3·64 = 267 weights, 28·28·267 = 209,328 multiply-adds, 1,068 bytes)
    and dense bars."""
    panel.show_lecture_example()
    conv_h, separable_h, dense_h = panel.chart.heights
    assert panel.chart.names == ["conv layer", "depthwise + pointwise", "dense layer"]
    assert conv_h == pytest.approx([math.log10(4_800), math.log10(3_763_200), math.log10(19_200)])
    assert separable_h == pytest.approx([math.log10(267), math.log10(209_328), math.log10(1_068)])
    assert dense_h == pytest.approx([math.log10(154_140_672), math.log10(154_140_672), math.log10(616_562_688)])
    labels = [t.textItem.toPlainText() for t in panel.chart.value_labels]
    assert labels == ["4.8K", "3.76M", "19.2K", "267", "209K", "1.07K", "154M", "154M", "617M"]


@pytest.mark.parametrize("size", [(1280, 760), (1024, 700), (1920, 1000)])
def test_chart_legend_covers_no_label(qtbot, size):
    """Issue #12: the legend sat inside the plot and covered a bar's label at 1280 px. Now it is the title
    line: no value label meets it, and every label lies inside the plot."""
    p = CostPanel(ConvDocument())
    qtbot.addWidget(p)
    p.resize(*size)
    p.show()
    for settings in (LECTURE, dict(LECTURE, h=224, w=224), dict(LECTURE, filters=1, c=1, kh=1, kw=1),
                     dict(LECTURE, h=224, w=224, c=32, groups="depthwise")):
        p.apply_lesson_settings(settings)
        for _ in range(4):          # the top row re-lays out when the texts change: the chart's size settles
            QApplication.processEvents()
        chart = p.chart
        view = chart.getPlotItem().getViewBox().sceneBoundingRect()
        legend = chart.legend.sceneBoundingRect()
        assert chart.names[-2:] == ["depthwise + pointwise", "dense layer"] and len(chart.names) in (3, 4)
        assert all(name.replace(" ", "&nbsp;") in chart.legend.text for name in chart.names)
        assert legend.bottom() <= view.top() + 1
        for label in chart.value_labels:
            rect = label.mapRectToScene(label.boundingRect())
            assert not rect.intersects(legend), label.textItem.toPlainText()
            assert view.adjusted(-1, -1, 1, 1).contains(rect), label.textItem.toPlainText()


# (spin, value, field, output shape, conv weights, dense weights, shown ratio), worked out by hand from
# H' = ⌊(H − D(K−1) − 1)/S⌋ + 1, conv = C·KH·KW·F, dense = H·W·C · H'·W'·F (lecture example, no bias)
SPIN_CASES = [
    ("H", 20, "h", (16, 28, 64), "4,800", "55,050,240", "≈ 11,469×"),
    ("W", 17, "w", (28, 13, 64), "4,800", "38,019,072", "≈ 7,921×"),
    ("C", 1, "c", (28, 28, 64), "1,600", "51,380,224", "≈ 32,113×"),
    ("KH", 3, "kh", (30, 28, 64), "2,880", "165,150,720", "≈ 57,344×"),
    ("KW", 7, "kw", (28, 26, 64), "6,720", "143,130,624", "≈ 21,299×"),
    ("Filters", 8, "filters", (28, 28, 8), "600", "19,267,584", "≈ 32,113×"),
    ("Stride", 2, "stride", (14, 14, 64), "4,800", "38,535,168", "≈ 8,028×"),
    ("Dilation", 2, "dilation", (24, 24, 64), "4,800", "113,246,208", "≈ 23,593×"),
]


@pytest.mark.parametrize("key,value,field,out,conv,dense,ratio", SPIN_CASES)
def test_each_spin_changes_the_numbers(panel, key, value, field, out, conv, dense, ratio):
    panel.show_lecture_example()
    panel.spins[key].setValue(value)
    assert panel.settings()[field] == value and getattr(panel.state, field) == value
    assert panel.costs.output_shape == out
    assert shown(panel, "ConvParams") == conv
    assert shown(panel, "DenseParams") == dense
    assert ratio in panel.ratio_label.text()
    panel.show_lecture_example()
    assert panel.costs.conv_params == 4_800 and panel.costs.dense_params == 154_140_672


def test_padding_and_bias_both_ways(panel):
    panel.show_lecture_example()
    panel.padding_box.setCurrentIndex(panel.padding_box.findData("same"))
    assert panel.costs.output_shape == (32, 32, 64)
    panel.bias_box.setChecked(True)
    assert panel.costs.conv_params == 4800 + 64
    assert "+ C_out" in shown(panel, "ConvFormula") and "3·5·5·64 + 64 = 4,864" in shown(panel, "ConvFormula")
    panel.bias_box.setChecked(False)
    panel.padding_box.setCurrentIndex(panel.padding_box.findData("valid"))
    assert panel.costs.output_shape == (28, 28, 64) and panel.costs.conv_params == 4_800


def test_kernel_too_large_says_so_and_recovers(panel):
    panel.show_lecture_example()
    panel.spins["H"].setValue(3)
    assert panel.costs is None and "larger than the padded input" in panel.error_label.text()
    assert shown(panel, "ConvParams") == "—"
    panel.spins["H"].setValue(32)
    assert panel.error_label.text() == "" and panel.costs.conv_params == 4800


def test_follow_the_document(panel):
    doc = panel.document
    panel.follow_box.setChecked(True)
    s = panel.settings()
    assert (s["h"], s["w"], s["c"], s["kh"], s["kw"]) == (64, 64, 1, 3, 3)
    assert s["padding"] == "same"
    assert panel.spins["H"].value() == 64 and panel.padding_box.currentData() == "same"
    doc.apply(image=np.zeros((40, 50, 3)), kernel=np.ones((5, 3)), padding=(2, 1), stride=2)
    s = panel.settings()
    assert (s["h"], s["w"], s["c"], s["kh"], s["kw"], s["stride"]) == (40, 50, 3, 5, 3, 2)
    assert s["padding"] == (2, 1) and panel.padding_box.currentText() == "2, 1 pixels"
    # 40+4 rows, 50+2 columns, kernel 5×3, stride 2: 20×25×64; 3·5·3·64 + 64 and 6,000·32,000 + 32,000 weights
    assert panel.costs.output_shape == (20, 25, 64)
    assert (panel.costs.conv_params, panel.costs.dense_params) == (2_944, 192_032_000)
    doc.apply(gray=True)
    assert panel.settings()["c"] == 1
    # the user types a size: following stops, and document changes no longer move the controls
    panel.spins["H"].setValue(10)
    assert not panel.follow_box.isChecked() and not panel.state.follow
    assert panel.settings() == dict(h=10, w=50, c=1, kh=5, kw=3, filters=64, padding=(2, 1), stride=2, dilation=1,
                                    bias=True, groups=1)
    doc.apply(image=np.zeros((20, 20)))
    assert panel.settings()["h"] == 10
    panel.follow_box.setChecked(True)
    assert panel.settings()["h"] == 20


def test_filters_and_bias_do_not_stop_following(panel):
    panel.follow_box.setChecked(True)
    panel.spins["Filters"].setValue(8)
    panel.bias_box.setChecked(False)
    assert panel.state.follow and panel.settings()["filters"] == 8 and panel.settings()["bias"] is False
    panel.follow_box.setChecked(False)            # stopping keeps the numbers on screen
    assert panel.settings()["h"] == 64 and panel.state.h == 64 and panel.state.padding == "same"


def test_not_following_ignores_the_document(panel):
    panel.show_lecture_example()
    panel.document.apply(image=np.zeros((10, 10)))
    assert panel.costs.conv_params == 4_800 and panel.costs.output_shape == (28, 28, 64)


def test_hidden_panel_follows_when_shown(qtbot):
    doc = ConvDocument()
    p = CostPanel(doc)
    qtbot.addWidget(p)
    p.show()
    p.follow_box.setChecked(True)
    p.hide()
    doc.apply(image=np.zeros((30, 31)))
    assert p.spins["H"].value() == 64 and p.costs.output_shape == (64, 64, 64)   # not redrawn while hidden
    assert p.stale
    p.show()
    assert p.spins["H"].value() == 30 and p.spins["W"].value() == 31
    assert p.costs.output_shape == (30, 31, 64)


def test_layer_stack_numbers(panel):
    """Lecture input: 5×5 valid (28×28×64) then 3×3 same stride 2 (14×14×128), no bias."""
    panel.show_lecture_example()
    stack = panel.stack
    assert stack.specs() == [ConvLayerSpec(5, 64, 1, "valid"), ConvLayerSpec(3, 128, 2, "same")]
    rows = [["28×28×64", "4,800", "3,763,200", "19.2 kB", "5×5"],
            ["14×14×128", "73,728", "14,450,688", "294.9 kB", "7×7"]]
    for r, row in enumerate(rows):
        assert [stack.cell_text(r, c) for c in ("Output", "Parameters", "Multiply-adds", "Memory",
                                                  "Receptive field")] == row
    assert stack.total_label.text() == (
        "<b>Total for 2 layer(s)</b> on 32×32×3: <b>78,528</b> parameters, 18,213,888 multiply-adds, "
        "314.1 kB of weights; one output pixel of the last layer sees 7×7 input pixels.")
    # the stack's input is the panel's input: one channel, 1·5·5·64 weights in layer 1
    panel.spins["C"].setValue(1)
    assert stack.cell_text(0, "Parameters") == "1,600" and stack.result.total_params == 1_600 + 73_728


def test_layer_stack_add_edit_remove(panel, qtbot):
    stack = panel.stack
    stack.table.setCurrentCell(-1, -1)
    qtbot.mouseClick(stack.add_button, Qt.LeftButton)
    assert len(stack.specs()) == 3 and stack.specs()[2] == stack.specs()[1]
    stack.editor(2, "Kernel").setValue(7)
    stack.editor(2, "Filters").setValue(10)
    stack.editor(2, "Stride").setValue(3)
    stack.editor(2, "Padding").setCurrentIndex(0)
    assert stack.specs()[2] == ConvLayerSpec(7, 10, 3, "valid") == panel.state.layers[2]
    # 14×14×128 → 7×7 valid stride 3: 3×3×10, 7·7·128·10 + 10 weights; all three with bias: 141,450
    assert stack.cell_text(2, "Output") == "3×3×10"
    assert stack.cell_text(2, "Parameters") == "62,730"
    assert stack.result.total_params == 4_864 + 73_856 + 62_730 == 141_450
    stack.table.setCurrentCell(0, 0)
    qtbot.mouseClick(stack.remove_button, Qt.LeftButton)
    assert stack.specs() == [ConvLayerSpec(3, 128, 2, "same"), ConvLayerSpec(7, 10, 3, "valid")]
    assert stack.result.layers[0].costs.input_shape == (32, 32, 3)
    assert stack.cell_text(0, "Parameters") == "3,584"            # 3·3·3·128 + 128
    for _ in range(3):
        qtbot.mouseClick(stack.remove_button, Qt.LeftButton)
    assert stack.specs() == [] and not stack.remove_button.isEnabled()
    assert "0</b> parameters" in stack.total_label.text()
    qtbot.mouseClick(stack.add_button, Qt.LeftButton)
    assert stack.specs() == [ConvLayerSpec(3, 16, 1, "same")]


def test_layer_that_does_not_fit_is_reported(panel):
    stack = panel.stack
    stack.editor(1, "Kernel").setValue(31)
    stack.editor(1, "Padding").setCurrentIndex(0)     # valid: 31 > 28
    assert stack.result is None and "Layer 2" in stack.error_label.text()
    assert stack.cell_text(0, "Parameters") == "4,864"           # 5·5·3·64 + 64
    assert stack.cell_text(1, "Parameters") == "—"
    stack.editor(1, "Kernel").setValue(3)
    assert stack.result is not None and stack.error_label.text() == ""


def test_names_and_tooltips(panel):
    assert panel.objectName() == "costPanel" and panel.accessibleName()
    for spin in panel.spins.values():
        assert spin.toolTip() and spin.accessibleName() and spin.objectName().startswith("cost")
    for w in (panel.padding_box, panel.bias_box, panel.lecture_button, panel.follow_box, panel.groups_box,
              panel.separable_box, panel.channels_box, panel.channels_box.grid_view,
              panel.stack.add_button, panel.stack.remove_button):
        assert w.toolTip() and w.objectName()


def test_screenshot(panel, tmp_path):
    panel.show_lecture_example()
    path = tmp_path / "cost.png"
    assert panel.grab().save(str(path))
    assert path.stat().st_size > 10_000


def test_lesson_settings_round_trip(panel, qtbot):
    panel.show_lecture_example()
    panel.padding_box.setCurrentIndex(panel.padding_box.findData("same"))
    panel.stack.editor(0, "Filters").setValue(32)
    saved = panel.lesson_settings()
    assert panel.panel_key == panel.key == "costs"
    assert saved == dict(LECTURE, padding="same", follow=False, layers=[
        {"kernel": 5, "filters": 32, "stride": 1, "padding": "valid"},
        {"kernel": 3, "filters": 128, "stride": 2, "padding": "same"}])
    other = CostPanel(ConvDocument())
    qtbot.addWidget(other)
    other.apply_lesson_settings(saved)
    other.refresh_now()                           # hidden panels draw when shown; this one is never shown
    assert other.settings() == panel.settings() and other.costs == panel.costs
    assert other.stack.specs()[0] == ConvLayerSpec(5, 32, 1, "valid")
    other.apply_lesson_settings({"padding": [2, 1], "h": 20})
    other.refresh_now()
    assert other.settings()["padding"] == (2, 1) and other.costs.output_shape == (20, 30, 64)
    assert other.lesson_settings()["padding"] == [2, 1]


def test_lesson_11_settings_and_bad_values(panel):
    """The cost_savings lesson's keys (no "layers": older files) still work; bad values change nothing."""
    panel.apply_lesson_settings({"follow": False, "h": 32, "w": 32, "c": 3, "kh": 5, "kw": 5, "filters": 64,
                                 "padding": "valid", "stride": 1, "dilation": 1, "bias": False})
    panel.apply_lesson_settings({"h": 224, "w": 224})
    assert panel.costs.output_shape == (220, 220, 64) and panel.costs.conv_params == 4_800
    before = panel.lesson_settings()
    for bad in ({"h": 0}, {"padding": "middle"}, {"bias": "yes"}, {"filters": 2.5},
                {"layers": [{"kernel": 99}]}, {"layers": "3x3"}, {"h": 30, "stride": 0}):
        with pytest.raises(ValueError):
            panel.apply_lesson_settings(bad)
        assert panel.lesson_settings() == before, bad


def test_every_edit_is_one_undo_step(panel):
    stack = panel.editor.stack
    panel.show_lecture_example()
    panel.spins["H"].setValue(20)
    panel.follow_box.setChecked(True)
    panel.spins["W"].setValue(40)                # takes the followed layer over: still one step
    panel.stack.editor(1, "Stride").setValue(1)
    assert stack.count() == 5
    assert panel.state.layers[1].stride == 1 and panel.settings()["w"] == 40 and not panel.state.follow
    stack.undo()
    assert panel.state.layers[1].stride == 2 and panel.stack.editor(1, "Stride").value() == 2
    stack.undo()
    assert panel.state.follow and panel.follow_box.isChecked() and panel.spins["W"].value() == 64
    stack.undo()
    assert not panel.follow_box.isChecked() and panel.spins["H"].value() == 20
    stack.undo()
    assert panel.settings() == LECTURE
    stack.undo()
    assert panel.settings()["bias"] is True


def test_state_drives_the_widgets(panel):
    """A session or lesson sets the Qt-free state; the panel follows."""
    panel.state.apply(h=64, w=48, filters=16, bias=False)
    assert panel.spins["H"].value() == 64 and panel.spins["Filters"].value() == 16
    assert not panel.bias_box.isChecked() and panel.costs.output_shape == (60, 44, 16)


def test_deleted_panels_are_no_longer_called(qtbot):
    import shiboken6

    from convviz.ui.equivariance.panel import EquivariancePanel
    from convviz.ui.flip.panel import FlipPanel
    from convviz.ui.matrix.panel import MatrixPanel

    doc = ConvDocument()
    panels = [cls(doc) for cls in (CostPanel, MatrixPanel, EquivariancePanel, FlipPanel)]
    for p in panels:
        p.show()
    panels[0].follow_box.setChecked(True)
    for p in panels:
        shiboken6.delete(p)
    assert all(len(getattr(doc.events, name)) == 0 for name in ("image", "kernel", "flip", "padding"))
    doc.apply(image=np.zeros((12, 12)), kernel=np.ones((3, 3)), flip=True)     # no callback into deleted widgets


def test_lecture_example_shortcut_is_its_own(panel, qtbot):
    assert LECTURE_SHORTCUT != "Ctrl+Shift+L"  # the window's Reset layout
    assert panel.lecture_shortcut.key().toString() == LECTURE_SHORTCUT
    assert f"({LECTURE_SHORTCUT})" in panel.lecture_button.toolTip()
    panel.spins["Filters"].setValue(7)
    panel.activateWindow()
    qtbot.waitActive(panel)
    qtbot.keyClick(panel, Qt.Key_X, Qt.ControlModifier | Qt.ShiftModifier)
    assert panel.settings()["filters"] == 64 and panel.settings()["bias"] is False
