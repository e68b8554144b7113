"""Separable and frequency panel: the kernel's rank, column and row, the two passes, the frequency response, the
convolution theorem and the depthwise-separable costs shown equal the model's; it follows the document; its
settings go through the undo stack to the SpectralState."""

from __future__ import annotations

import numpy as np
import pytest

import convviz.ui  # noqa: F401
from convviz.model import PRESETS, ConvDocument, correlate, format_number, frequency_response
from convviz.model.costs import separable_costs
from convviz.model.equivariance import centre_crop
from convviz.model.frequency import convolution_theorem
from convviz.model.units import ratio_text
from convviz.ui.spectral.panel import SpectralPanel


@pytest.fixture
def doc():
    return ConvDocument(image=np.random.default_rng(4).uniform(0, 255, (150, 170, 3)))


@pytest.fixture
def panel(show_panel, doc):
    return show_panel(SpectralPanel(doc))


def test_names(panel):
    assert panel.objectName() == "spectralPanel" and panel.key == "spectral" and panel.shortcut == "Ctrl+Alt+2"
    for name in ("spectralKernelGrid", "spectralColumnGrid", "spectralRowGrid", "spectralRank", "spectralCost",
                 "spectralColumnPassView", "spectralTwoPassView", "spectralDirectView", "spectralDifference",
                 "spectralResponseSizeBox", "spectralResponseView", "spectralFrequency", "spectralCropSpin",
                 "spectralImageSpectrumView", "spectralKernelSpectrumView", "spectralOutputSpectrumView",
                 "spectralTheorem", "spectralLayerHSpin", "spectralLayerKSpin", "spectralLayerFiltersSpin",
                 "spectralLayerMultiplierSpin", "spectralLayerBiasBox", "spectralLayerTable", "spectralDepthwise"):
        widget = panel.findChild(object, name)
        assert widget is not None and widget.accessibleName(), name


def test_sobel_is_separable_and_the_passes_agree(panel, doc):
    assert panel.column_grid.texts() == [["1"], ["2"], ["1"]] and panel.row_grid.texts() == [["-1", "0", "1"]]
    assert panel.equals_label.text() == "="
    assert "Rank 1" in panel.rank_label.text() and "3 + 3 = 6" in panel.cost_label.text()
    crop = centre_crop(doc.image, 128)
    direct = correlate(crop, doc.kernel, "same")
    np.testing.assert_array_equal(panel.pass_plots["direct"].values, direct)
    d = float(np.max(np.abs(panel.pass_plots["two_pass"].values - direct)))
    assert d < 1e-9 and f"is {format_number(d)}" in panel.difference_label.text()


def test_laplacian_says_why_not(panel, doc):
    doc.apply(kernel=PRESETS["laplacian"].kernel)
    assert panel.equals_label.text() == "≈" and "Rank 2" in panel.rank_label.text()
    assert "[0, 1, 0] and [1, -4, 1] are not multiples" in panel.rank_label.text()
    assert "edge or detail filter" in panel.frequency_label.text()


def test_true_convolution_uses_the_flipped_kernel(panel, doc):
    k = np.array([[1.0, 2.0], [0.0, 0.0]])
    doc.apply(kernel=k, flip=True)
    assert panel.kernel_grid.texts() == [["0", "0"], ["2", "1"]]
    assert panel.column_grid.texts() == [["0"], ["1"]] and panel.row_grid.texts() == [["2", "1"]]
    assert "convolution with wrap-around" in panel.theorem_label.text()


def test_frequency_response_and_size(panel, doc):
    np.testing.assert_array_equal(panel.response_plot.values, np.abs(frequency_response(doc.kernel, (64, 64))))
    panel.size_box.setCurrentIndex(panel.size_box.findData(16))
    assert panel.state.response_size == 16 and panel.response_plot.values.shape == (16, 16)
    doc.apply(kernel=PRESETS["gaussian_blur"].kernel)
    text = panel.frequency_label.text()
    assert "a blur (low-pass)" in text and "gain 1 in the middle" in text


def test_convolution_theorem_pictures_and_check(panel, doc):
    panel.crop_spin.setValue(48)
    crop = centre_crop(doc.image, 48)
    t = convolution_theorem(crop, doc.kernel)
    np.testing.assert_array_equal(panel.theorem_plots["image"].values, np.log1p(np.abs(t.image_spectrum)))
    np.testing.assert_array_equal(panel.theorem_plots["kernel"].values, np.log1p(np.abs(t.kernel_spectrum)))
    np.testing.assert_array_equal(panel.theorem_plots["output"].values, np.log1p(np.abs(t.output_spectrum)))
    check = float(np.max(np.abs(t.image_spectrum * t.kernel_spectrum - t.output_spectrum)))
    assert f"the largest |X·G − Y| is {format_number(check, 3)}" in panel.theorem_label.text()
    assert "48×48" in panel.theorem_label.text()


def test_depthwise_costs_follow_the_spins(panel):
    assert "18,432" in panel.cost_table.text() and "2,336" in panel.cost_table.text()
    panel.layer_spins["k"].setValue(5)
    panel.layer_spins["filters"].setValue(128)
    s = separable_costs((112, 112, 32), 5, 128, "same", bias=False)
    assert f"{s.standard.conv_params:,}" in panel.cost_table.text()
    assert f"{s.separable_macs:,}" in panel.cost_table.text()
    assert f"{ratio_text(s.params_ratio)} fewer parameters" in panel.depthwise_label.text()
    panel.bias_box.setChecked(True)
    b = separable_costs((112, 112, 32), 5, 128, "same", bias=True)
    assert f"{b.separable_params:,}" in panel.cost_table.text()


def test_settings_are_undoable_and_round_trip(panel):
    stack = panel.editor.stack
    panel.layer_spins["c"].setValue(64)
    panel.crop_spin.setValue(64)
    assert stack.count() == 2
    stack.undo()
    stack.undo()
    assert panel.state.c == 32 and panel.layer_spins["c"].value() == 32 and panel.crop_spin.value() == 128
    settings = {"response_size": 32, "crop": 96, "h": 56, "w": 56, "c": 128, "k": 3, "filters": 128,
                "multiplier": 2, "bias": True}
    panel.apply_lesson_settings(settings)
    assert panel.lesson_settings() == settings and panel.layer_spins["multiplier"].value() == 2
    with pytest.raises(ValueError):
        panel.apply_lesson_settings({"response_size": 50})
    assert panel.lesson_settings() == settings


def test_a_kernel_larger_than_the_crop_is_reported_and_the_rest_still_shown(panel, doc):
    doc.apply(padding="valid", kernel=np.ones((15, 15)))
    panel.crop_spin.setValue(16)
    assert panel.check.direct.shape == (2, 2) and panel.error_label.text() == ""
    doc.apply(dilation=(2, 2))          # a 29×29 span on a 16×16 crop
    assert panel.check is None and "larger" in panel.error_label.text()
    assert panel.frequency.magnitude.shape == (64, 64) and panel.costs is not None
