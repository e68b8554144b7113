"""Costs tab, groups and depthwise-separable (issue #15): the Groups list, the conv layer's costs with groups,
standard vs depthwise + pointwise with MobileNet's saving, and which channels each filter sees.

Numbers worked out by hand (32×32×3 → 64 filters of 3×3, valid: 30×30×64, 900 positions):
    standard   3·3·3·64 = 1,728 weights (+ 64 = 1,792 with biases), 900 · 1,728 = 1,555,200 multiply-adds
    depthwise  3·3·3    =    27          (+  3 =    30),             900 ·    27 =    24,300
    pointwise  3·64     =   192          (+ 64 =   256),             900 ·   192 =   172,800
    together   219 (286), 197,100; 197,100 / 1,555,200 = 1/64 + 1/9 = 0.1267, ≈ 7.9× fewer.
"""

import numpy as np
import pytest
from PySide6.QtCore import Qt

import convviz.ui  # noqa: F401  (pyqtgraph configuration)
from convviz.model import ConvDocument
from convviz.ui.costs.panel import CostPanel

SMALL = dict(h=32, w=32, c=3, kh=3, kw=3, filters=64, padding="valid", stride=1, dilation=1, bias=False, groups=1)


@pytest.fixture
def panel(show_panel):
    return show_panel(CostPanel(ConvDocument()))


def text(label) -> str:
    return label.text().replace("<b>", "").replace("</b>", "").replace("<br>", " ")


def table(p) -> dict[str, list[str]]:
    rows = ("Standard", "Depthwise", "Pointwise", "Separable", "Saving", "MobileNet")
    return {row: [text(p.separable_box.labels[f"{row}{col}"]) for col in ("Title", "Weights", "Params", "Macs")]
            for row in rows}


def choose_groups(p, value):
    index = p.groups_box.findData(value)
    assert index >= 0, value
    p.groups_box.setCurrentIndex(index)


def test_standard_vs_depthwise_separable_by_hand(panel):
    panel.apply_lesson_settings(SMALL)
    assert table(panel) == {
        "Standard": ["standard 3×3 conv", "3·3·3·64", "1,728", "1,555,200"],
        "Depthwise": ["depthwise 3×3", "3·3·3", "27", "24,300"],
        "Pointwise": ["pointwise 1×1", "3·64", "192", "172,800"],
        "Separable": ["depthwise + pointwise", "", "219", "197,100"],
        "Saving": ["separable / standard", "", "0.1267 ≈ 7.9× fewer", "0.1267 ≈ 7.9× fewer"],
        "MobileNet": ["MobileNet 1/C_out + 1/K²", "1/64 + 1/3²", "0.1267", "0.1267"],
    }
    assert "the parameters' share too (no biases)" in panel.separable_box.labels["MobileNetTitle"].toolTip()
    panel.bias_box.setChecked(True)
    rows = table(panel)
    assert rows["Standard"][1:3] == ["3·3·3·64 + 64", "1,792"]
    assert rows["Depthwise"][1:3] == ["3·3·3 + 3", "30"] and rows["Pointwise"][1:3] == ["3·64 + 64", "256"]
    assert rows["Separable"][2:] == ["286", "197,100"]
    # 286 / 1,792 = 0.1596: the biases move the parameters' share; the multiply-adds' share stays 1/64 + 1/9
    assert rows["Saving"][2:] == ["0.1596 ≈ 6.3× fewer", "0.1267 ≈ 7.9× fewer"]
    assert rows["MobileNet"][2:] == ["", "0.1267"]
    assert "because the biases count too" in panel.separable_box.labels["MobileNetMacs"].toolTip()


def test_the_saving_is_on_the_chart(panel):
    panel.apply_lesson_settings(SMALL)
    assert panel.chart.names == ["conv layer", "depthwise + pointwise", "dense layer"]
    conv_h, separable_h, _ = panel.chart.heights
    assert conv_h[:2] == pytest.approx([np.log10(1_728), np.log10(1_555_200)])
    assert separable_h == pytest.approx([np.log10(219), np.log10(197_100), np.log10(4 * 219)])


def test_groups_list_holds_the_divisors_of_c_in(panel):
    panel.apply_lesson_settings(dict(SMALL, c=12, filters=8))
    box = panel.groups_box
    assert [box.itemText(i) for i in range(box.count())] == ["1 (standard)", "2", "3", "4", "6", "12 (depthwise)"]
    enabled = [box.model().item(i).isEnabled() for i in range(box.count())]
    assert enabled == [True, True, False, True, False, False]          # 8 filters: 3, 6, 12 do not divide them
    assert "8 filters cannot be split into 3 equal groups" in box.model().item(2).toolTip()
    panel.spins["C"].setValue(1)
    assert [box.itemText(i) for i in range(box.count())] == ["1 (standard = depthwise)"]


def test_depthwise_changes_the_conv_layer_one_undo_step(panel):
    panel.apply_lesson_settings(dict(SMALL, h=112, w=112, c=32, padding="same"))
    stack = panel.editor.stack
    steps = stack.count()
    choose_groups(panel, "depthwise")
    assert panel.state.groups == "depthwise" and panel.settings()["groups"] == 32 and stack.count() == steps + 1
    # 64 filters, each 3×3×1: (32/32)·3·3·64 = 576 weights; 112·112·64·9 = 7,225,344 multiply-adds
    assert (panel.costs.groups, panel.costs.conv_params, panel.costs.conv_macs) == (32, 576, 7_225_344)
    assert panel.labels["ConvFormula"].text().split("<br>") == [
        "<nobr>(C_in/G)·K·K·C_out</nobr>", "<nobr>= (32/32)·3·3·64</nobr>", "<nobr>= 576</nobr>"]
    assert panel.chart.names == ["standard conv", "depthwise conv", "depthwise + pointwise", "dense layer"]
    assert panel.channels_box.sentence.text() == ("groups = 32 (depthwise): each filter sees one input channel, "
                                                  "2 filters per channel: filter 3 sees channel 2.")
    # the comparison does not change with the groups: it is always the standard layer against the separable pair
    assert table(panel)["Standard"][2] == "18,432" and table(panel)["Separable"][2] == "2,336"
    choose_groups(panel, 4)                  # 4 groups of 8 channels: 8·3·3·64 = 4,608 weights
    assert panel.costs.conv_params == 4_608 and panel.chart.names[1] == "conv, 4 groups"
    stack.undo()
    assert panel.state.groups == "depthwise" and panel.groups_box.currentText() == "32 (depthwise)"
    stack.undo()
    assert panel.state.groups == 1 and panel.groups_box.currentText() == "1 (standard)"
    assert panel.costs.conv_params == 18_432


def test_which_channels_each_filter_sees(panel):
    panel.apply_lesson_settings(dict(SMALL, c=4, filters=8, groups=2))
    seen = panel.channels_box.grid_view.seen
    # filters 1–4 read channels 1–2 (group 1), filters 5–8 read channels 3–4 (group 2)
    assert seen.tolist() == [[1, 1, 1, 1, 0, 0, 0, 0], [1, 1, 1, 1, 0, 0, 0, 0],
                             [0, 0, 0, 0, 2, 2, 2, 2], [0, 0, 0, 0, 2, 2, 2, 2]]
    assert panel.channels_box.sentence.text() == ("groups = 2: 2 groups of 2 input channels and 4 filter(s); "
                                                  "filters 1–4 see channels 1–2, filters 5–8 see channels 3–4.")
    assert panel.channels_box.caption.text() == "8 filter(s) across, 4 input channel(s) down"
    assert panel.channels_box.grid_view.cell_side() > 0
    picture = panel.channels_box.grid_view.grab().toImage()
    assert picture.width() > 0 and not picture.isNull()


def test_a_request_that_does_not_fit_says_so(panel):
    """A slide that changes C_in need not repeat groups: the request stays, the tab costs what fits and says so."""
    panel.apply_lesson_settings(dict(SMALL, c=8, filters=64, groups=4))
    assert panel.channels_box.note.isHidden() and panel.settings()["groups"] == 4
    panel.apply_lesson_settings({"c": 6})
    assert panel.state.groups == 4 and panel.settings()["groups"] == 2
    assert panel.groups_box.currentText() == "2" and panel.costs.conv_params == 3 * 9 * 64
    assert not panel.channels_box.note.isHidden()
    assert panel.channels_box.note.text() == ("groups = 4 must divide both C_in = 6 and the 64 filters: this uses "
                                              "2, the largest that does.")
    panel.apply_lesson_settings({"c": 3, "groups": "depthwise"})     # 64 is not a multiple of 3
    assert panel.settings()["groups"] == 1 and "Depthwise needs the filters" in panel.channels_box.note.text()


def test_groups_do_not_stop_following(panel):
    panel.follow_box.setChecked(True)
    panel.document.apply(image=np.zeros((20, 30, 3)))
    panel.spins["Filters"].setValue(6)
    choose_groups(panel, "depthwise")
    assert panel.state.follow and panel.settings()["groups"] == 3 and panel.costs.conv_params == 9 * 6 + 6
    panel.document.apply(gray=True)                  # one channel: depthwise is standard
    assert panel.settings()["groups"] == 1 and panel.groups_box.currentText() == "1 (standard = depthwise)"


def test_sessions_and_lessons_keep_groups(panel, qtbot):
    panel.apply_lesson_settings(dict(SMALL, c=32, groups="depthwise"))
    saved = panel.lesson_settings()
    assert saved["groups"] == "depthwise"
    other = CostPanel(ConvDocument())
    qtbot.addWidget(other)
    other.apply_lesson_settings(saved)
    other.refresh_now()
    assert other.costs == panel.costs and other.separable == panel.separable
    before = other.lesson_settings()
    for bad in ({"groups": 0}, {"groups": "half"}, {"groups": 2.5}):
        with pytest.raises(ValueError):
            other.apply_lesson_settings(bad)
        assert other.lesson_settings() == before
    panel.show_lecture_example()                     # the lecture example is standard convolution
    assert panel.state.groups == 1 and panel.costs.conv_params == 4_800


def test_a_layer_that_does_not_fit_shows_dashes(panel):
    panel.apply_lesson_settings(dict(SMALL, h=2))
    assert panel.costs is None and panel.separable is None
    assert table(panel)["Standard"][2] == "—" and table(panel)["MobileNet"][3] == "—"
    assert panel.channels_box.grid_view.seen.size == 0
    panel.apply_lesson_settings({"h": 32})
    assert table(panel)["Standard"][2] == "1,728"


def test_names(panel):
    for w in (panel.groups_box, panel.separable_box, panel.channels_box, panel.channels_box.grid_view):
        assert w.objectName().startswith("cost") and w.toolTip() and w.accessibleName()
    assert panel.separable_box.labels["StandardParams"].objectName() == "costSeparableStandardParams"
    panel.groups_box.setFocus()
    assert panel.groups_box.focusPolicy() & Qt.TabFocus
