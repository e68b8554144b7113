"""CostsState's groups without Qt: the request (an int or "depthwise") is checked, kept in sessions and
lessons, and resolved against C_in and the filters to the groups the tab costs."""

import numpy as np
import pytest

from convviz.model import ConvDocument
from convviz.model.states.costs import (
    DEPTHWISE,
    LECTURE,
    CostsState,
    costed_layer,
    divisors,
    resolve_groups,
    take_over,
)
from convviz.model.workspace import Workspace


def test_divisors():
    assert divisors(1) == [1] and divisors(12) == [1, 2, 3, 4, 6, 12] and divisors(49) == [1, 7, 49]
    assert divisors(4096) == [2 ** k for k in range(13)]
    assert all(divisors(n) == [d for d in range(1, n + 1) if n % d == 0] for n in range(1, 200))


def test_resolve_groups_takes_the_largest_common_divisor_not_above_the_request():
    assert resolve_groups(1, 3, 64) == 1
    assert resolve_groups(DEPTHWISE, 32, 64) == 32          # two filters per channel
    assert resolve_groups(DEPTHWISE, 3, 64) == 1            # 64 is not a multiple of 3
    assert resolve_groups(DEPTHWISE, 6, 64) == 2            # gcd(6, 64) = 2
    assert resolve_groups(4, 6, 64) == 2
    assert resolve_groups(32, 16, 64) == 16                 # C_in went down: depthwise still
    assert resolve_groups(6, 12, 8) == 4                    # divisors of gcd 4: 1, 2, 4
    assert resolve_groups(4096, 1, 1) == 1


def test_groups_checks():
    s = CostsState()
    assert s.groups == 1 and LECTURE["groups"] == 1
    assert s.checked(groups="depthwise") == {"groups": DEPTHWISE}
    assert s.checked(groups=" Depthwise ") == {"groups": DEPTHWISE}
    assert s.checked(groups=8) == {"groups": 8} and s.checked(groups=8.0) == {"groups": 8}
    for bad in (0, -2, 2.5, True, "standard", "4", None, 5000):
        with pytest.raises(ValueError):
            s.checked(groups=bad)
    with pytest.raises(ValueError, match="depthwise"):
        s.checked(groups="pointwise")


def test_costed_layer_resolves_groups():
    s = CostsState()
    s.apply(c=32, filters=64, groups=DEPTHWISE)
    assert s.layer()["groups"] == DEPTHWISE and costed_layer(s)["groups"] == 32
    s.apply(c=3)                                             # a slide that changes C_in need not repeat groups
    assert s.groups == DEPTHWISE and costed_layer(s)["groups"] == 1
    s.apply(c=16, groups=4)
    assert costed_layer(s)["groups"] == 4
    s.apply(filters=6)                                       # gcd(16, 6) = 2
    assert costed_layer(s)["groups"] == 2 and s.groups == 4


def test_following_the_document_resolves_against_its_channels():
    doc = ConvDocument(image=np.zeros((20, 30, 3)))
    s = CostsState()
    s.apply(follow=True, filters=6, groups=DEPTHWISE)
    assert costed_layer(s, doc)["c"] == 3 and costed_layer(s, doc)["groups"] == 3
    doc.apply(gray=True)
    assert costed_layer(s, doc)["c"] == 1 and costed_layer(s, doc)["groups"] == 1
    # groups is never followed: changing it does not stop following
    assert take_over(s, doc, groups=1) == {"groups": 1}
    assert take_over(s, doc, groups=1, h=5)["follow"] is False


def test_groups_in_sessions_and_lessons():
    w = Workspace()
    w.states["costs"].apply(c=32, groups=DEPTHWISE)
    saved = w.settings()
    assert saved["costs"]["groups"] == "depthwise"
    other = Workspace()
    other.states["costs"].apply(**other.states["costs"].changes_from(saved["costs"]))
    assert other.states["costs"].groups == DEPTHWISE and other.states["costs"].c == 32
    # an older file without "groups" leaves it alone; a lesson may give a number
    state = other.states["costs"]
    state.apply(**state.changes_from({"h": 224, "w": 224}))
    assert state.groups == DEPTHWISE
    state.apply(**state.changes_from({"c": 8, "filters": 16, "groups": 4}))
    assert costed_layer(state)["groups"] == 4
    with pytest.raises(ValueError):
        state.changes_from({"groups": "half"})
