"""The Filter tab's spin boxes: maxima from convviz.model.limits, and "Pad by" shows the padding in use."""

import numpy as np
import pytest

from convviz.model import ConvDocument, padding_amounts
from convviz.model.limits import MAX_DILATION, MAX_KERNEL_SIDE, MAX_PADDING, MAX_STRIDE
from convviz.ui.filter.kernel_editor import KernelEditor
from convviz.ui.filter.settings_panel import SettingsPanel
from convviz.ui.undo import DocumentEditor


@pytest.fixture
def editor():
    return DocumentEditor(ConvDocument(image=np.zeros((300, 300))))


def test_every_spin_box_maximum_is_the_model_limit(qtbot, editor):
    settings, kernel = SettingsPanel(editor), KernelEditor(editor)
    qtbot.addWidget(settings)
    qtbot.addWidget(kernel)
    assert settings.stride_spin.maximum() == MAX_STRIDE and settings.dilation_spin.maximum() == MAX_DILATION
    editor.document.apply(padding=(3, 4))
    assert settings.pad_rows.maximum() == settings.pad_cols.maximum() == MAX_PADDING
    for spin in (kernel.rows_spin, kernel.cols_spin, kernel.gaussian_size):
        assert spin.maximum() == MAX_KERNEL_SIDE
    kernel.shutdown()


def test_pad_by_shows_the_padding_full_and_same_use(qtbot, editor):
    sp = SettingsPanel(editor)
    qtbot.addWidget(sp)
    doc = editor.document
    doc.apply(kernel=np.ones((MAX_KERNEL_SIDE, MAX_KERNEL_SIDE)), dilation=MAX_DILATION, padding="full")
    used = MAX_DILATION * (MAX_KERNEL_SIDE - 1)
    assert used == 112 > MAX_PADDING
    assert padding_amounts(doc.kernel.shape, "full", dilation=doc.dilation) == (used,) * 4
    assert sp.pad_rows.value() == sp.pad_cols.value() == used and sp.pad_rows.text() == "112"
    assert not sp.pad_rows.isEnabled() and "112 rows above and below" in sp.pad_rows.toolTip()
    assert "⌊(300 + 224 − 8·(15−1) − 1)/1⌋ + 1 = 412" in sp.size_label.text()

    doc.apply(kernel=np.ones((4, 3)), dilation=1, padding="same")       # the odd row goes below
    assert sp.pad_rows.value() == 1 and sp.pad_rows.text() == "1 / 2" and sp.pad_cols.text() == "1"
    assert "1 row above and 2 below" in sp.pad_rows.toolTip()

    doc.apply(kernel=np.ones((15, 15)), dilation=8, padding="full")
    explicit = sp.padding_box.findData("explicit")
    sp.padding_box.setCurrentIndex(explicit)
    sp.padding_box.activated.emit(explicit)                            # explicit starts from the most it allows
    assert doc.padding == (MAX_PADDING, MAX_PADDING)
    assert sp.pad_rows.isEnabled() and sp.pad_rows.maximum() == MAX_PADDING and sp.pad_rows.text() == "64"
