"""Cost panel: every number shown equals layer_costs / stack_costs; every control works both ways."""

import math

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication, QScrollArea

import convviz.ui  # noqa: F401  (pyqtgraph configuration)
from convviz.model import ConvDocument, layer_costs
from convviz.model.layer_stack import ConvLayerSpec, stack_costs
from convviz.ui.costs_common import bytes_text, count_text, ratio_text, short_count
from convviz.ui.costs_panel import CostPanel


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
    assert scroll.verticalScrollBar().maximum() == 0        # nothing below the fold
    for button in (panel.stack.add_button, panel.stack.remove_button):
        bottom = button.mapTo(scroll.viewport(), button.rect().bottomLeft()).y()
        assert button.isVisible() and bottom <= scroll.viewport().height()
    window.close()


def test_fonts_exist(qapp):
    assert QFontDatabase.families()


def test_formatting():
    assert count_text(154140672) == "154,140,672"
    assert bytes_text(19200) == "19.2 kB" and bytes_text(616562688) == "616.6 MB"
    assert bytes_text(512) == "512 bytes" and bytes_text(3 * 10 ** 9) == "3.0 GB"
    assert ratio_text(154140672 / 4800) == "≈ 32,113×" and ratio_text(2.54) == "≈ 2.5×"
    assert short_count(4800) == "4.8K" and short_count(154140672) == "154M" and short_count(7) == "7"


def test_lecture_example_one_click(panel, qtbot):
    qtbot.mouseClick(panel.lecture_button, Qt.LeftButton)
    c = layer_costs((32, 32, 3), 5, 64, "valid", bias=False)
    assert panel.costs == c
    assert shown(panel, "ConvParams") == "4,800"
    assert shown(panel, "DenseParams") == "154,140,672"
    assert "≈ 32,113×" in panel.ratio_label.text()
    assert shown(panel, "OutputShape").startswith("28 × 28 × 64")
    assert c.conv_formula() in shown(panel, "ConvFormula") and "3·5·5·64 = 4,800" in shown(panel, "ConvFormula")
    assert c.dense_formula() in shown(panel, "DenseFormula")
    assert "3,072·50,176 = 154,140,672" in shown(panel, "DenseFormula")
    assert shown(panel, "ConvMacs") == count_text(c.conv_macs) == "3,763,200"
    assert shown(panel, "DenseMacs") == count_text(c.dense_macs)
    assert shown(panel, "ConvMemory") == bytes_text(c.conv_bytes) == "19.2 kB"
    assert shown(panel, "DenseMemory") == bytes_text(c.dense_bytes) == "616.6 MB"
    assert panel.settings() == dict(h=32, w=32, c=3, kh=5, kw=5, filters=64, padding="valid", stride=1,
                                    dilation=1, bias=False)


def test_chart_heights_are_log10_of_the_numbers(panel):
    panel.show_lecture_example()
    conv_h, dense_h = panel.chart.heights
    c = panel.costs
    assert conv_h == pytest.approx([math.log10(c.conv_params), math.log10(c.conv_macs), math.log10(c.conv_bytes)])
    assert dense_h == pytest.approx([math.log10(c.dense_params), math.log10(c.dense_macs),
                                     math.log10(c.dense_bytes)])
    labels = [t.textItem.toPlainText() for t in panel.chart.value_labels]
    assert "4.8K" in labels and "154M" in labels


@pytest.mark.parametrize("key,value,field", [("H", 20, "h"), ("W", 17, "w"), ("C", 1, "c"), ("KH", 3, "kh"),
                                             ("KW", 7, "kw"), ("Filters", 8, "filters"), ("Stride", 2, "stride"),
                                             ("Dilation", 2, "dilation")])
def test_each_spin_changes_the_numbers(panel, key, value, field):
    panel.show_lecture_example()
    panel.spins[key].setValue(value)
    s = panel.settings()
    assert s[field] == value
    expected = layer_costs((s["h"], s["w"], s["c"]), (s["kh"], s["kw"]), s["filters"], s["padding"],
                           stride=s["stride"], dilation=s["dilation"], bias=s["bias"])
    assert panel.costs == expected
    assert shown(panel, "ConvParams") == count_text(expected.conv_params)
    assert shown(panel, "DenseParams") == count_text(expected.dense_params)
    assert ratio_text(expected.ratio) in panel.ratio_label.text()
    panel.show_lecture_example()
    assert panel.costs == layer_costs((32, 32, 3), 5, 64, "valid", bias=False)


def test_padding_and_bias_both_ways(panel):
    panel.show_lecture_example()
    panel.padding_box.setCurrentIndex(panel.padding_box.findData("same"))
    assert panel.costs.output_shape == (32, 32, 64)
    panel.bias_box.setChecked(True)
    assert panel.costs.conv_params == 4800 + 64
    assert "+ C_out" in shown(panel, "ConvFormula") and "3·5·5·64 + 64 = 4,864" in shown(panel, "ConvFormula")
    panel.bias_box.setChecked(False)
    panel.padding_box.setCurrentIndex(panel.padding_box.findData("valid"))
    assert panel.costs == layer_costs((32, 32, 3), 5, 64, "valid", bias=False)


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
    doc.apply(image=np.zeros((40, 50, 3)), kernel=np.ones((5, 3)), padding=(2, 1), stride=2)
    s = panel.settings()
    assert (s["h"], s["w"], s["c"], s["kh"], s["kw"], s["stride"]) == (40, 50, 3, 5, 3, 2)
    assert s["padding"] == (2, 1)
    assert panel.costs == layer_costs((40, 50, 3), (5, 3), s["filters"], (2, 1), stride=2, bias=s["bias"])
    doc.apply(gray=True)
    assert panel.settings()["c"] == 1
    # the user types a size: following stops, and document changes no longer move the controls
    panel.spins["H"].setValue(10)
    assert not panel.follow_box.isChecked()
    doc.apply(image=np.zeros((20, 20)))
    assert panel.settings()["h"] == 10
    panel.follow_box.setChecked(True)
    assert panel.settings()["h"] == 20


def test_not_following_ignores_the_document(panel):
    panel.show_lecture_example()
    panel.document.apply(image=np.zeros((10, 10)))
    assert panel.costs == layer_costs((32, 32, 3), 5, 64, "valid", bias=False)


def test_hidden_panel_follows_when_shown(qtbot):
    doc = ConvDocument()
    p = CostPanel(doc)
    qtbot.addWidget(p)
    p.show()
    p.follow_box.setChecked(True)
    p.hide()
    doc.apply(image=np.zeros((30, 31)))
    assert p.settings()["h"] == 64          # not redrawn while hidden
    p.show()
    assert p.settings()["h"] == 30 and p.settings()["w"] == 31


def test_layer_stack_numbers_match_the_model(panel):
    panel.show_lecture_example()
    stack = panel.stack
    expected = stack_costs((32, 32, 3), stack.specs(), bias=False)
    assert stack.specs() == [ConvLayerSpec(5, 64, 1, "valid"), ConvLayerSpec(3, 128, 2, "same")]
    for r, layer in enumerate(expected.layers):
        c = layer.costs
        assert stack.cell_text(r, "Output") == "×".join(map(str, c.output_shape))
        assert stack.cell_text(r, "Parameters") == count_text(c.conv_params)
        assert stack.cell_text(r, "Multiply-adds") == count_text(c.conv_macs)
        assert stack.cell_text(r, "Memory") == bytes_text(c.conv_bytes)
        assert stack.cell_text(r, "Receptive field") == f"{layer.receptive_field[0]}×{layer.receptive_field[1]}"
    total = stack.total_label.text()
    assert count_text(expected.total_params) in total and count_text(expected.total_macs) in total
    assert bytes_text(expected.total_bytes) in total and "7×7" in total
    # the stack's input is the panel's input
    panel.spins["C"].setValue(1)
    assert stack.result == stack_costs((32, 32, 1), stack.specs(), bias=False)


def test_layer_stack_add_edit_remove(panel, qtbot):
    stack = panel.stack
    stack.table.setCurrentCell(-1, -1)
    qtbot.mouseClick(stack.add_button, Qt.LeftButton)
    assert len(stack.specs()) == 3 and stack.specs()[2] == stack.specs()[1]
    stack.editor(2, "Kernel").setValue(7)
    stack.editor(2, "Filters").setValue(10)
    stack.editor(2, "Stride").setValue(3)
    stack.editor(2, "Padding").setCurrentIndex(0)
    assert stack.specs()[2] == ConvLayerSpec(7, 10, 3, "valid")
    assert stack.result == stack_costs((32, 32, 3), stack.specs(), bias=True)
    assert stack.cell_text(2, "Parameters") == count_text(7 * 7 * 128 * 10 + 10)
    stack.table.setCurrentCell(0, 0)
    qtbot.mouseClick(stack.remove_button, Qt.LeftButton)
    assert stack.specs() == [ConvLayerSpec(3, 128, 2, "same"), ConvLayerSpec(7, 10, 3, "valid")]
    assert stack.result.layers[0].costs.input_shape == (32, 32, 3)
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
    assert stack.cell_text(0, "Parameters") == count_text(5 * 5 * 3 * 64 + 64)
    assert stack.cell_text(1, "Parameters") == "—"
    stack.editor(1, "Kernel").setValue(3)
    assert stack.result is not None and stack.error_label.text() == ""


def test_names_and_tooltips(panel):
    assert panel.objectName() == "costPanel" and panel.accessibleName()
    for spin in panel.spins.values():
        assert spin.toolTip() and spin.accessibleName() and spin.objectName().startswith("cost")
    for w in (panel.padding_box, panel.bias_box, panel.lecture_button, panel.follow_box,
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
    saved = panel.lesson_settings()
    assert panel.panel_key == "costs"
    other = CostPanel(ConvDocument())
    qtbot.addWidget(other)
    other.apply_lesson_settings(saved)
    assert other.settings() == panel.settings() and other.costs == panel.costs
    other.apply_lesson_settings({"padding": [2, 1], "h": 20})
    assert other.settings()["padding"] == (2, 1) and other.costs.output_shape == (20, 30, 64)


def test_deleted_panels_are_no_longer_called(qtbot):
    import shiboken6

    from convviz.ui.equivariance_panel import EquivariancePanel
    from convviz.ui.flip.panel import FlipPanel
    from convviz.ui.matrix_panel import MatrixPanel

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
    from convviz.ui.costs_panel import LECTURE_SHORTCUT

    assert LECTURE_SHORTCUT != "Ctrl+Shift+L"  # the window's Reset layout
    assert panel.lecture_shortcut.key().toString() == LECTURE_SHORTCUT
    assert f"({LECTURE_SHORTCUT})" in panel.lecture_button.toolTip()
    panel.spins["Filters"].setValue(7)
    panel.activateWindow()
    qtbot.waitActive(panel)
    qtbot.keyClick(panel, Qt.Key_X, Qt.ControlModifier | Qt.ShiftModifier)
    assert panel.settings()["filters"] == 64 and panel.settings()["bias"] is False
