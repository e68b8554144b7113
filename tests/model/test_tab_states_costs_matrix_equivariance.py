"""The Costs, As a matrix and Equivariance tabs' states, without Qt: defaults, checks, JSON form, following."""

import json

import numpy as np
import pytest

from convviz.model import ConvDocument
from convviz.model.layer_stack import ConvLayerSpec
from convviz.model.states import PANEL_STATES
from convviz.model.states.costs import DEFAULT_LAYERS, LECTURE, CostsState, costed_layer, take_over
from convviz.model.states.equivariance import MAX_SHIFT, EquivarianceState
from convviz.model.states.matrix import MatrixState
from convviz.model.workspace import Workspace


def test_registered():
    assert PANEL_STATES["costs"] is CostsState and PANEL_STATES["matrix"] is MatrixState
    assert PANEL_STATES["equivariance"] is EquivarianceState


def test_costs_json_form_round_trips_through_a_workspace():
    w = Workspace()
    w.states["costs"].apply(padding=(2, 1), layers=[{"kernel": 7, "filters": 8, "stride": 2, "padding": "full"}])
    saved = json.loads(json.dumps(w.settings()))
    assert saved["costs"]["padding"] == [2, 1]
    assert saved["costs"]["layers"] == [{"kernel": 7, "filters": 8, "stride": 2, "padding": "full"}]
    other = Workspace()
    other.apply_settings(saved)
    assert other.states["costs"].padding == (2, 1)
    assert other.states["costs"].layers == (ConvLayerSpec(7, 8, 2, "full"),)
    assert other.states["costs"].settings() == saved["costs"]


def test_costs_checks():
    s = CostsState()
    assert s.layers == DEFAULT_LAYERS and s.bias is True and s.follow is False
    assert s.checked(padding=3) == {"padding": (3, 3)}
    assert s.checked(layers=[[3, 16, 1, "same"]]) == {"layers": (ConvLayerSpec(3, 16, 1, "same"),)}
    for bad in ({"h": 0}, {"c": 5000}, {"kh": 64}, {"padding": "middle"}, {"padding": [1, -1]}, {"bias": "no"},
                {"follow": 2}, {"stride": 1.5}, {"layers": [{"kernel": 32}]}, {"layers": [[1, 2, 3]]},
                {"layers": [[3, 16, 1, "same"]] * 13}, {"layers": "3x3"}, {"colour": 1}):
        with pytest.raises(ValueError):
            s.checked(**bad)
    with pytest.raises(ValueError, match="Layer 2: The kernel side"):
        s.checked(layers=[[3, 16, 1, "same"], [40, 16, 1, "same"]])


def test_following_the_document():
    doc = ConvDocument(image=np.zeros((40, 50, 3)), kernel=np.ones((5, 3)), padding=(2, 1), stride=2)
    s = CostsState()
    s.apply(**LECTURE)
    assert costed_layer(s, doc) == LECTURE
    s.apply(follow=True)
    assert costed_layer(s, doc) == dict(h=40, w=50, c=3, kh=5, kw=3, filters=64, padding=(2, 1), stride=2,
                                        dilation=1, bias=False, groups=1)
    doc.apply(gray=True)
    assert costed_layer(s, doc)["c"] == 1
    # filters and bias are never followed: they do not stop following
    assert take_over(s, doc, filters=8) == {"filters": 8}
    change = take_over(s, doc, h=10)
    assert change == dict(h=10, w=50, c=1, kh=5, kw=3, padding=(2, 1), stride=2, dilation=1, follow=False)
    s.apply(**change)
    assert costed_layer(s, doc)["w"] == 50 and not s.follow
    assert take_over(s, doc, h=12) == {"h": 12}                 # not following: only the edit


def test_matrix_checks():
    s = MatrixState()
    assert s.settings() == {"mode": "image", "crop": 8, "a": "1, 2, 3, 4", "w": "1, 2"}
    assert s.checked(a="  3, 1/2 ") == {"a": "3, 1/2"}
    for bad in ({"mode": "3d"}, {"crop": 0}, {"crop": 65}, {"a": "1, x"}, {"w": ""}, {"w": 3}, {"a": "1," * 17}):
        with pytest.raises(ValueError):
            s.checked(**bad)


def test_equivariance_checks_and_nudges():
    s = EquivarianceState()
    assert s.settings() == {"dy": 15, "dx": 25, "crop": 256, "seed": 0}
    for bad in ({"dy": MAX_SHIFT + 1}, {"dx": -MAX_SHIFT - 1}, {"crop": 7}, {"crop": 257}, {"seed": 10_000},
                {"dy": True}):
        with pytest.raises(ValueError):
            s.checked(**bad)
    assert s.nudged(1, 0) == {"dy": 16} and s.nudged(0, -1) == {"dx": 24}
    s.apply(dy=MAX_SHIFT, dx=-MAX_SHIFT)
    assert s.nudged(1, 0) == {} and s.nudged(0, -1) == {} and s.nudged(-1, 1) == {"dy": 63, "dx": -63}
