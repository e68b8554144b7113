"""The Filter bank tab on a large photo (issue #13): the grid draws maps sampled at display resolution and
says so, the enlarged view gets the whole map, clicks explain exact float64 values, exports write the
whole maps."""

from __future__ import annotations

import numpy as np
import pytest
from bank_support import shown_bank_panel

from convviz.model import ConvDocument, conv_layer
from convviz.model.bank.display import explain_pixel

PHOTO = np.random.default_rng(4).integers(0, 256, (1040, 1200, 3), dtype=np.uint8)   # 1.25 MP
PHOTO.flags.writeable = False


def whole_maps(panel) -> np.ndarray:
    layer = panel.network[0]
    return conv_layer(PHOTO.astype(np.float64), layer.weights(), layer.biases(), padding="same",
                      activation=layer.conv_activation)


@pytest.fixture
def panel(qtbot):
    p = shown_bank_panel(qtbot, ConvDocument(image=PHOTO, padding="same"), (1100, 750))
    assert p.wait_for_maps(60_000)
    yield p
    p.close()


def test_the_grid_shows_sampled_maps_and_says_so(panel, tmp_path):
    result = panel.result
    s = result.step
    assert s > 1 and result.map_hw == (1040, 1200)
    whole = whole_maps(panel)
    for i, m in enumerate(result.shown.maps):
        np.testing.assert_allclose(m, whole[::s, ::s, i], rtol=0, atol=1e-9)
    tile = panel.grid.tiles[0]
    assert f"every {s}th px" in tile._caption and "shown reduced" in tile.toolTip()
    assert "computed at every" in panel.compute_label.text()
    assert (panel.row_spin.maximum(), panel.col_spin.maximum()) == (1039, 1199)    # pixels of the whole map
    panel.select_pixel(517, 601)                  # not a sampled pixel: explained from its own window
    assert panel.state.pixel == (517, 601)
    e = explain_pixel(panel.result, (517, 601))
    assert e.map_dtype == "float64" and e.map_value == pytest.approx(whole[517, 601, 0], abs=1e-9)
    npy = tmp_path / "maps.npy"
    assert panel.export_npy(npy)
    written = np.load(npy, allow_pickle=False)
    assert written.shape == whole.shape and written.dtype == np.float64
    np.testing.assert_allclose(written, whole, rtol=0, atol=1e-9)


def test_the_enlarged_view_gets_the_whole_map_and_clicks_read_exact_values(panel, qtbot):
    panel._edit("Enlarge map", filter_index=1, view="enlarged")
    assert panel.wait_for_maps(60_000)
    result = panel.result
    whole = whole_maps(panel)
    assert result.enlarged is not None and result.enlarged.shape == (1040, 1200)
    np.testing.assert_allclose(result.enlarged, whole[:, :, 1], rtol=1e-6, atol=1e-3)
    assert panel.enlarged.image.image.shape == (1040, 1200)      # drawn whole, pixel for pixel
    np.testing.assert_array_equal(panel.enlarged.image.image, result.enlarged)
    assert "every" not in panel.enlarged.title.text()
    panel.select_pixel(333, 777)
    assert panel.wait_for_maps()
    e = explain_pixel(panel.result, (333, 777))
    assert e.map_dtype == "float64" and e.map_value == pytest.approx(whole[333, 777, 1], abs=1e-9)
    panel._edit("Show maps", view="maps")
    assert panel.wait_for_maps(60_000)
    assert panel.result.enlarged is None          # the whole map is not kept once the enlarged view is left
