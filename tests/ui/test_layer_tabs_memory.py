"""Issue #13: the Pooling, Transposed conv and Separable and frequency tabs hold only what they show (the crop, the
part of the map around it, display-size pictures) and nothing of a previous picture: weak references to the
document's old image die as soon as a new one replaces it, shown or hidden."""

from __future__ import annotations

import gc
import weakref

import numpy as np
import pytest

from convviz.model import ConvDocument
from convviz.model.step_view import SYNC_PIXELS
from convviz.ui.pooling.panel import PoolingPanel
from convviz.ui.spectral.panel import SpectralPanel
from convviz.ui.transpose.panel import TransposePanel


def photo(seed: int, shape=(640, 520, 3)) -> np.ndarray:
    """A colour picture larger than SYNC_PIXELS (so it is prepared in the worker)."""
    img = np.random.default_rng(seed).integers(0, 256, shape).astype(np.uint8)
    img.flags.writeable = False
    return img


def wait(panel) -> None:
    prepared = getattr(panel, "prepared", None)
    if prepared is not None:
        prepared.wait(30)
    panel.refresh_now()


@pytest.mark.parametrize("cls", [PoolingPanel, TransposePanel, SpectralPanel])
def test_a_new_picture_leaves_nothing_of_the_old_one(qtbot, show_panel, cls):
    assert 640 * 520 > SYNC_PIXELS
    panel = show_panel(cls(ConvDocument(image=photo(0))))
    if cls is PoolingPanel:
        panel.source_box.setCurrentIndex(panel.source_box.findData("feature_map"))
    if cls is TransposePanel:
        panel.input_box.setCurrentIndex(panel.input_box.findData("image"))
    wait(panel)
    old = [weakref.ref(panel.document.image)]
    panel.hide()                                      # a new picture arrives while the tab is hidden
    panel.document.apply(image=photo(1))
    old.append(weakref.ref(panel.document.image))
    qtbot.wait(5)
    gc.collect()
    assert old[0]() is None, "the first picture is still alive"
    panel.show()
    wait(panel)
    panel.document.apply(image=photo(2))               # and one while it is shown
    wait(panel)
    gc.collect()
    assert old[1]() is None, "the second picture is still alive"


def test_the_pooling_tab_keeps_a_small_part_of_a_large_map(show_panel):
    panel = show_panel(PoolingPanel(ConvDocument(image=photo(3, (1400, 1100, 3)))))
    assert panel.wait_for_source(30)
    source = panel.source
    assert source.map_shape == (1400, 1100) and source.area.shape == (512, 512)
    kept = [source.area, *(stage.picture for stage in source.chain)]
    assert all(a.base is None and max(a.shape) <= 512 for a in kept)   # copies, none a view of a whole map
    assert panel.frame is not None and panel.frame.output.shape == (6, 6)


def test_the_transpose_tab_keeps_only_its_crops(show_panel):
    panel = show_panel(TransposePanel(ConvDocument(image=photo(4, (900, 700, 3)))))
    assert panel.wait_for_image(30)
    assert panel.crops.checker.shape == (48, 48) and panel.crops.scatter.shape == (4, 4)
    assert panel.crops.checker.base is None and panel.crops.scatter.base is None
