"""Pooling against NumPy loops and PyTorch; its step-through and the shift (invariance) check."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from convviz.model import pool
from convviz.model.pooling import pool_steps, pooled_shift_difference


def naive_pool(x, k, s, p, mode, count_include_pad=True):
    """Loops over every output position and every tap, in float64."""
    x = np.asarray(x, dtype=np.float64)
    x3 = x[:, :, None] if x.ndim == 2 else x
    h, w, c = x3.shape
    (kh, kw), (sh, sw), (ph, pw) = k, s, p
    oh, ow = (h + 2 * ph - kh) // sh + 1, (w + 2 * pw - kw) // sw + 1
    out = np.zeros((oh, ow, c))
    for ch in range(c):
        for i in range(oh):
            for j in range(ow):
                values, real = [], 0
                for a in range(kh):
                    for b in range(kw):
                        r, q = i * sh - ph + a, j * sw - pw + b
                        if 0 <= r < h and 0 <= q < w:
                            values.append(x3[r, q, ch])
                            real += 1
                        elif mode == "avg":
                            values.append(0.0)
                if mode == "max":
                    out[i, j, ch] = max(values)
                else:
                    out[i, j, ch] = sum(values) / (kh * kw if count_include_pad else real)
    return out[:, :, 0] if x.ndim == 2 else out


def test_max_pool_of_the_classic_example():
    x = np.array([[1, 1, 2, 4], [5, 6, 7, 8], [3, 2, 1, 0], [1, 2, 3, 4]])
    assert pool(x, 2).tolist() == [[6, 8], [3, 4]]
    assert pool(x, 2, mode="avg").tolist() == [[3.25, 5.25], [2, 2]]


@settings(max_examples=60, deadline=None)
@given(
    h=st.integers(1, 9), w=st.integers(1, 9), c=st.sampled_from([0, 1, 3]),
    kh=st.integers(1, 4), kw=st.integers(1, 4), sh=st.integers(1, 3), sw=st.integers(1, 3),
    data=st.data(), mode=st.sampled_from(["max", "avg"]), include=st.booleans(),
)
def test_pool_matches_naive_loops(h, w, c, kh, kw, sh, sw, data, mode, include):
    ph, pw = data.draw(st.integers(0, kh // 2)), data.draw(st.integers(0, kw // 2))
    if kh > h + 2 * ph or kw > w + 2 * pw:
        with pytest.raises(ValueError, match="larger than the padded input"):
            pool(np.zeros((h, w)), (kh, kw), padding=(ph, pw))
        return
    shape = (h, w) if c == 0 else (h, w, c)
    x = np.random.default_rng(h * 100 + w).normal(size=shape)
    ours = pool(x, (kh, kw), stride=(sh, sw), padding=(ph, pw), mode=mode, count_include_pad=include)
    expected = naive_pool(x, (kh, kw), (sh, sw), (ph, pw), mode, include)
    assert ours.shape == expected.shape
    np.testing.assert_allclose(ours, expected, rtol=0, atol=1e-12)


def test_float32_stays_float32_and_ints_become_float64():
    x = np.arange(36, dtype=np.float32).reshape(6, 6)
    assert pool(x, 2).dtype == np.float32
    assert pool(x, 3, mode="avg", padding=1).dtype == np.float32
    assert pool(np.arange(36).reshape(6, 6), 2).dtype == np.float64


def test_stride_defaults_to_the_window_and_floor_mode_drops_the_rest():
    x = np.arange(49.0).reshape(7, 7)
    assert pool(x, 2).shape == (3, 3)
    assert pool(x, 3, stride=2).shape == (3, 3)
    assert pool(x, 3, stride=1).shape == (5, 5)
    assert pool(x, 2, stride=(1, 3)).shape == (6, 2)


def test_max_padding_never_wins_and_avg_padding_counts_as_zero():
    x = -np.ones((2, 2))
    assert pool(x, 2, stride=1, padding=1).tolist() == [[-1.0] * 3] * 3
    avg = pool(np.ones((2, 2)), 2, stride=1, padding=1, mode="avg")
    assert avg[0, 0] == 0.25 and avg[1, 1] == 1.0
    uncounted = pool(np.ones((2, 2)), 2, stride=1, padding=1, mode="avg", count_include_pad=False)
    assert uncounted.tolist() == [[1.0] * 3] * 3


def test_nan_spreads_through_max_pooling():
    x = np.zeros((4, 4))
    x[0, 0] = np.nan
    out = pool(x, 2)
    assert np.isnan(out[0, 0]) and not np.isnan(out[1, 1])


@pytest.mark.parametrize("kwargs,message", [
    (dict(kernel_size=3, padding=2), "more than half"),
    (dict(kernel_size=(2, 4), padding=(1, 3)), "more than half"),
    (dict(kernel_size=7), "larger than the padded input"),
    (dict(kernel_size=2, stride=0), "stride must be at least 1"),
    (dict(kernel_size=0), "kernel_size must be at least 1"),
    (dict(kernel_size=2, padding=-1), "padding must be at least 0"),
    (dict(kernel_size=2, mode="min"), "Unknown pooling mode"),
    (dict(kernel_size=2.5), "kernel_size must be an integer"),
])
def test_bad_sizes_raise_value_error(kwargs, message):
    with pytest.raises(ValueError, match=message):
        pool(np.zeros((5, 5)), **kwargs)


def test_rank_must_be_two_or_three():
    with pytest.raises(ValueError, match="2-D"):
        pool(np.zeros(5), 2)


# ---------------------------------------------------------------- steps


@pytest.mark.parametrize("mode", ["max", "avg"])
@pytest.mark.parametrize("include", [True, False])
@pytest.mark.parametrize("kernel_size,stride,padding", [(2, None, 0), (3, 2, 1), ((3, 2), (1, 2), (1, 1))])
def test_every_step_value_equals_pool(mode, include, kernel_size, stride, padding):
    x = np.random.default_rng(3).integers(-9, 10, size=(7, 8)).astype(float)
    expected = pool(x, kernel_size, stride=stride, padding=padding, mode=mode, count_include_pad=include)
    seq = pool_steps(x, kernel_size, stride=stride, padding=padding, mode=mode, count_include_pad=include)
    assert len(seq) == expected.size and seq.output_hw == expected.shape
    for step in seq:
        assert step.value == pytest.approx(expected[step.out_index], abs=1e-12)
        if mode == "max":
            assert x[step.winner] == step.value
            assert step.winner in step.covers
        else:
            assert step.winner is None
    assert seq[-1].index == len(seq) - 1 and seq.index_of(*seq[5].out_index) == 5


def test_max_step_window_winner_and_expression():
    x = np.array([[3, 7, 0, 1], [1, 0, 2, 2]])
    step = pool_steps(x, 2)[0]
    assert step.window.tolist() == [[3, 7], [1, 0]]
    assert step.winner == (0, 1)
    assert step.expression == "max(3, 7, 1, 0) = 7"
    assert step.rows.tolist() == [0, 1] and step.cols.tolist() == [0, 1]


def test_avg_step_expression_and_padding_cells():
    x = np.array([[3, 7], [1, 0]])
    assert pool_steps(x, 2, mode="avg")[0].expression == "(3 + 7 + 1 + 0) / 4 = 2.75"
    padded = pool_steps(x, 2, stride=1, padding=1, mode="avg")[0]
    assert padded.window.tolist() == [[0, 0], [0, 3]] and padded.in_image.tolist() == [[False, False], [False, True]]
    assert padded.expression == "(0 + 0 + 0 + 3) / 4 = 0.75"
    assert padded.rows.tolist() == [-1, 0] and padded.covers == [(0, 0)]
    uncounted = pool_steps(x, 2, stride=1, padding=1, mode="avg", count_include_pad=False)[0]
    assert uncounted.expression == "(3) / 1 = 3" and uncounted.divisor == 1
    maxed = pool_steps(x, 2, stride=1, padding=1)[0]
    assert np.isneginf(maxed.window[0, 0]) and maxed.expression == "max(3) = 3"


def test_steps_are_lazy_and_indexable_backwards():
    seq = pool_steps(np.zeros((2000, 2000)), 2)
    assert len(seq) == 1000 * 1000
    assert seq[-1].out_index == (999, 999)
    assert [s.index for s in seq[2:5]] == [2, 3, 4]
    with pytest.raises(IndexError):
        seq[len(seq)]


def test_steps_refuse_a_colour_map():
    with pytest.raises(ValueError, match="pass one channel"):
        pool_steps(np.zeros((4, 4, 3)), 2)


# ---------------------------------------------------------------- invariance


def test_shift_changes_the_pooled_map_less_than_the_map():
    yy, xx = np.mgrid[0:64, 0:64]
    x = np.zeros((64, 64))
    x[(yy % 8 == 3) & (xx % 8 == 5)] = 1.0  # sparse features, as a ReLU map
    d = pooled_shift_difference(x, (1, 0), 4)
    assert d.shift == (1, 0)
    assert d.unpooled_change == pytest.approx(2.0)  # every feature moved: all of it counted twice
    assert d.pooled_change < d.unpooled_change / 2
    assert d.pooled_changed_fraction < d.unpooled_changed_fraction


def test_shift_difference_by_hand():
    x = np.arange(36.0).reshape(6, 6)
    d = pooled_shift_difference(x, 1, 2, mode="avg")
    before, after = x[1:5, 1:5], x[0:4, 0:4]
    assert d.unpooled_change == pytest.approx(np.mean(np.abs(after - before)) / np.mean(np.abs(before)))
    pb, pa = pool(before, 2, mode="avg"), pool(after, 2, mode="avg")
    assert d.pooled_change == pytest.approx(np.mean(np.abs(pa - pb)) / np.mean(np.abs(pb)))
    assert isinstance(d.pooled_change, float)


def test_shift_difference_zero_shift_and_bad_shift():
    x = np.random.default_rng(0).normal(size=(10, 10, 2))
    d = pooled_shift_difference(x, (0, 0), 2)
    assert d.unpooled_change == 0 and d.pooled_change == 0
    assert np.isnan(pooled_shift_difference(np.zeros((6, 6)), 1, 2).pooled_change)
    with pytest.raises(ValueError, match="smaller shift"):
        pooled_shift_difference(x, 5, 2)


# ---------------------------------------------------------------- PyTorch


@pytest.mark.parametrize("mode", ["max", "avg"])
@pytest.mark.parametrize("include", [True, False])
@pytest.mark.parametrize("kernel_size,stride,padding", [
    (2, None, 0), (3, 2, 1), (3, 1, 1), ((3, 2), (2, 1), (1, 0)), (5, 3, 2), (4, None, 2),
])
def test_pool_matches_torch(mode, include, kernel_size, stride, padding):
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    x = np.random.default_rng(7).normal(size=(13, 11, 3))
    xt = torch.from_numpy(x.transpose(2, 0, 1).copy())[None]
    if mode == "max":
        theirs = F.max_pool2d(xt, kernel_size, stride=stride, padding=padding)
    else:
        theirs = F.avg_pool2d(xt, kernel_size, stride=stride, padding=padding, count_include_pad=include)
    expected = theirs[0].numpy().transpose(1, 2, 0)
    ours = pool(x, kernel_size, stride=stride, padding=padding, mode=mode, count_include_pad=include)
    assert ours.shape == expected.shape
    np.testing.assert_allclose(ours, expected, rtol=0, atol=1e-9)
