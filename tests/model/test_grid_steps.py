"""GridSteps: the three lazy step sequences index the same way (negative indices, slices, range checks, index_of)."""

from __future__ import annotations

import numpy as np
import pytest

from convviz.model import steps
from convviz.model.pooling import pool_steps
from convviz.model.transpose import transpose_scatter_steps

IMAGE = np.arange(20, dtype=np.float64).reshape(4, 5)


@pytest.mark.parametrize("make, hw, name", [
    (lambda: steps(IMAGE, np.ones((2, 2))), (3, 4), "output"),
    (lambda: pool_steps(IMAGE, 2, stride=1), (3, 4), "output"),
    (lambda: transpose_scatter_steps(IMAGE, np.ones((2, 2))), (4, 5), "input"),
])
def test_row_major_indexing(make, hw, name):
    seq = make()
    rows, cols = hw
    assert len(seq) == rows * cols
    assert seq[-1].index == rows * cols - 1 and seq[-len(seq)].index == 0
    assert [s.index for s in seq[1:7:2]] == [1, 3, 5]
    assert seq.index_of(rows - 1, 1) == (rows - 1) * cols + 1
    for bad in (len(seq), -len(seq) - 1):
        with pytest.raises(IndexError, match="out of range"):
            seq[bad]
    with pytest.raises(IndexError, match=f"{name} position"):
        seq.index_of(rows, 0)
