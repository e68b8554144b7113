"""Transposed convolution against NumPy loops, PyTorch, the adjoint identity and the zero-insertion view."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from convviz.model import conv_transpose, correlate
from convviz.model.transpose import (
    transpose_output_formula,
    transpose_scatter_steps,
    zero_inserted,
    zero_inserted_sources,
)


def naive_conv_transpose(x, w, s, p, op, d):
    """out[i·S + a·D − P, j·S + b·D − P] += x[i, j] · w[a, b], written with loops (x (H, W, Ci), w (KH, KW, Ci, Co))."""
    h, wd, ci = x.shape
    kh, kw, _, co = w.shape
    (sh, sw), (ph, pw), (oph, opw), (dh, dw) = s, p, op, d
    oh = (h - 1) * sh - 2 * ph + dh * (kh - 1) + oph + 1
    ow = (wd - 1) * sw - 2 * pw + dw * (kw - 1) + opw + 1
    out = np.zeros((oh, ow, co))
    for i in range(h):
        for j in range(wd):
            for a in range(kh):
                for b in range(kw):
                    r, c = i * sh + a * dh - ph, j * sw + b * dw - pw
                    if 0 <= r < oh and 0 <= c < ow:
                        for q in range(ci):
                            out[r, c] += x[i, j, q] * w[a, b, q]
    return out


geometry_cases = st.tuples(
    st.integers(1, 5), st.integers(1, 5),  # H, W
    st.integers(1, 3), st.integers(1, 3),  # KH, KW
    st.integers(1, 3), st.integers(1, 3),  # stride
    st.integers(1, 2), st.integers(1, 2),  # dilation
)


def _settings(data, case):
    h, w, kh, kw, sh, sw, dh, dw = case
    oph = data.draw(st.integers(0, max(sh, dh) - 1))
    opw = data.draw(st.integers(0, max(sw, dw) - 1))
    full_h, full_w = (h - 1) * sh + dh * (kh - 1) + 1, (w - 1) * sw + dw * (kw - 1) + 1
    ph = data.draw(st.integers(0, (full_h + oph - 1) // 2))
    pw = data.draw(st.integers(0, (full_w + opw - 1) // 2))
    return dict(stride=(sh, sw), padding=(ph, pw), output_padding=(oph, opw), dilation=(dh, dw))


@settings(max_examples=60, deadline=None)
@given(case=geometry_cases, channels=st.tuples(st.integers(1, 3), st.integers(1, 3)), data=st.data())
def test_conv_transpose_matches_naive_loops(case, channels, data):
    kw_ = _settings(data, case)
    rng = np.random.default_rng(sum(case))
    x = rng.normal(size=(case[0], case[1], channels[0]))
    w = rng.normal(size=(case[2], case[3]) + channels)
    expected = naive_conv_transpose(x, w, kw_["stride"], kw_["padding"], kw_["output_padding"], kw_["dilation"])
    ours = conv_transpose(x, w, **kw_)
    assert ours.shape == expected.shape
    np.testing.assert_allclose(ours, expected, rtol=0, atol=1e-12)
    flat = conv_transpose(x[:, :, 0], w[:, :, 0, 0], **kw_)
    assert flat.ndim == 2
    np.testing.assert_allclose(flat, naive_conv_transpose(x[:, :, :1], w[:, :, :1, :1], kw_["stride"], kw_["padding"],
                                                          kw_["output_padding"], kw_["dilation"])[:, :, 0],
                               rtol=0, atol=1e-12)


@settings(max_examples=60, deadline=None)
@given(h=st.integers(3, 9), w=st.integers(3, 9), k=st.integers(1, 3), s=st.integers(1, 3), p=st.integers(0, 2),
       d=st.integers(1, 2))
def test_adjoint_of_correlate(h, w, k, s, p, d):
    """⟨correlate(a, w), b⟩ = ⟨a, conv_transpose(b, w)⟩ with output_padding giving back a's size."""
    if d * (k - 1) + 1 > min(h, w) + 2 * p:
        return
    rng = np.random.default_rng(h * w + k)
    a, kernel = rng.normal(size=(h, w)), rng.normal(size=(k, k))
    y = correlate(a, kernel, p, stride=s, dilation=d)
    b = rng.normal(size=y.shape)
    # the correlation forgets up to S−1 trailing rows/columns; output_padding brings them back
    op = tuple(n + 2 * p - d * (k - 1) - 1 - (m - 1) * s for n, m in zip(a.shape, y.shape))
    if max(op) >= max(s, d):
        return
    back = conv_transpose(b, kernel, stride=s, padding=p, output_padding=op, dilation=d)
    assert back.shape == a.shape
    assert np.sum(y * b) == pytest.approx(np.sum(a * back), rel=1e-12, abs=1e-12)


def test_upsampling_by_two_with_a_three_by_three_kernel():
    x = np.ones((4, 4))
    out = conv_transpose(x, np.ones((3, 3)), stride=2, padding=1, output_padding=1)
    assert out.shape == (8, 8)
    # overlaps: 1 where one copy lands, 2 on the seams, 4 where four copies meet — the checkerboard
    assert out[:4, :4].tolist() == [[1, 2, 1, 2], [2, 4, 2, 4], [1, 2, 1, 2], [2, 4, 2, 4]]


def test_dtypes():
    x, w = np.ones((3, 3), dtype=np.float32), np.ones((2, 2), dtype=np.float32)
    assert conv_transpose(x, w, stride=2).dtype == np.float32
    assert conv_transpose(np.ones((3, 3), dtype=int), np.ones((2, 2))).dtype == np.float64


def test_two_d_input_with_a_filter_bank_is_one_channel():
    x, w = np.arange(6.0).reshape(2, 3), np.arange(8.0).reshape(2, 2, 1, 2)
    out = conv_transpose(x, w)
    assert out.shape == (3, 4, 2)
    np.testing.assert_array_equal(out[:, :, 1], conv_transpose(x, w[:, :, 0, 1]))


@pytest.mark.parametrize("kwargs,message", [
    (dict(stride=2, output_padding=2), "output_padding 2 must be smaller"),
    (dict(stride=1, output_padding=1), "output_padding 1 must be smaller"),
    (dict(padding=3), "cuts away more than"),
    (dict(padding="same"), "integer or a pair"),
    (dict(stride=0), "stride must be at least 1"),
    (dict(dilation=0), "dilation must be at least 1"),
    (dict(padding=-1), "padding must be at least 0"),
])
def test_bad_settings_raise_value_error(kwargs, message):
    with pytest.raises(ValueError, match=message):
        conv_transpose(np.ones((2, 2)), np.ones((3, 3)), **kwargs)


def test_output_padding_below_dilation_is_allowed():
    assert conv_transpose(np.ones((2, 2)), np.ones((2, 2)), dilation=2, output_padding=1).shape == (5, 5)


@pytest.mark.parametrize("x_shape,w_shape,message", [
    ((3, 3, 2), (2, 2), "2-D input with 2-D weights"),
    ((3, 3, 2), (2, 2, 3, 1), "Channel mismatch"),
    ((3, 3), (2, 2, 2), "2-D input with 2-D weights"),
])
def test_bad_ranks_raise_value_error(x_shape, w_shape, message):
    with pytest.raises(ValueError, match=message):
        conv_transpose(np.ones(x_shape), np.ones(w_shape))


def test_output_formula_matches_the_shape():
    assert transpose_output_formula(4, 3, 2, 1, 1) == "(4−1)·2 − 2·1 + 1·(3−1) + 1 + 1 = 8"
    for n, k, s, p, op, d in [(5, 3, 2, 0, 1, 1), (7, 4, 3, 2, 0, 2), (1, 1, 1, 0, 0, 1)]:
        text = transpose_output_formula(n, k, s, p, op, d)
        shape = conv_transpose(np.ones((n, n)), np.ones((k, k)), stride=s, padding=p, output_padding=op, dilation=d)
        assert text.endswith(f"= {shape.shape[0]}")


# ---------------------------------------------------------------- zero insertion


@settings(max_examples=60, deadline=None)
@given(case=geometry_cases, data=st.data())
def test_zero_inserted_correlated_with_the_flipped_kernel_equals_conv_transpose(case, data):
    kw_ = _settings(data, case)
    rng = np.random.default_rng(sum(case) + 1)
    x, w = rng.normal(size=case[:2]), rng.normal(size=case[2:4])
    z = zero_inserted(x, kw_["stride"], kw_["padding"], w.shape, kw_["dilation"], kw_["output_padding"])
    expected = conv_transpose(x, w, **kw_)
    np.testing.assert_allclose(correlate(z, w[::-1, ::-1], dilation=kw_["dilation"]), expected, rtol=0, atol=1e-12)
    rows, cols = zero_inserted_sources(x.shape, kw_["stride"], kw_["padding"], w.shape, kw_["dilation"],
                                       kw_["output_padding"])
    assert (rows.size, cols.size) == z.shape
    held = (rows >= 0)[:, None] & (cols >= 0)[None, :]
    assert np.all(z[~held] == 0)
    np.testing.assert_array_equal(z[held], x[np.ix_(rows[rows >= 0], cols[cols >= 0])].ravel())


def test_zero_inserted_by_hand():
    z = zero_inserted(np.array([[1, 2], [3, 4]]), 2, 0, (2, 2))
    assert z.tolist() == [[0, 0, 0, 0, 0], [0, 1, 0, 2, 0], [0, 0, 0, 0, 0], [0, 3, 0, 4, 0], [0, 0, 0, 0, 0]]
    rows, cols = zero_inserted_sources((2, 2), 2, 0, (2, 2))
    assert rows.tolist() == [-1, 0, -1, 1, -1] and cols.tolist() == rows.tolist()


# ---------------------------------------------------------------- scatter steps


@pytest.mark.parametrize("kwargs", [
    dict(), dict(stride=2), dict(stride=2, padding=1, output_padding=1),
    dict(stride=(1, 3), dilation=2, padding=(0, 2)),
])
def test_scatter_steps_build_the_output(kwargs):
    rng = np.random.default_rng(5)
    x, w = rng.integers(-3, 4, size=(3, 4)).astype(float), rng.integers(-2, 3, size=(3, 2)).astype(float)
    seq = transpose_scatter_steps(x, w, **kwargs)
    expected = conv_transpose(x, w, **kwargs)
    assert len(seq) == x.size and seq.output_hw == expected.shape
    np.testing.assert_allclose(seq[-1].running_output, expected, rtol=0, atol=1e-12)
    previous, from_outputs = np.zeros(seq.canvas_hw), np.zeros(expected.shape)
    for step in seq:
        assert step.value == x[step.in_index]
        np.testing.assert_array_equal(step.contribution, step.value * w)
        added = np.zeros(seq.canvas_hw)
        added[np.ix_(step.rows, step.cols)] += step.contribution
        np.testing.assert_allclose(step.running_canvas, previous + added, rtol=0, atol=1e-12)
        previous = step.running_canvas
        rr, cc = np.meshgrid(step.output_rows, step.output_cols, indexing="ij")
        kept = step.in_output
        np.add.at(from_outputs, (rr[kept], cc[kept]), step.contribution[kept])
    # the contributions kept in output coordinates add up to the output: nothing kept was cropped, nothing lost
    np.testing.assert_allclose(from_outputs, expected, rtol=0, atol=1e-12)


def test_scatter_step_fields_by_hand():
    seq = transpose_scatter_steps(np.array([[1, 2], [3, 4]]), np.ones((3, 3)), stride=2, padding=1)
    step = seq[1]
    assert step.in_index == (0, 1) and step.value == 2
    assert step.rows.tolist() == [0, 1, 2] and step.cols.tolist() == [2, 3, 4]
    assert step.output_rows.tolist() == [-1, 0, 1] and step.output_cols.tolist() == [1, 2, 3]
    assert step.in_output.tolist() == [[False, False, False], [True, True, False], [True, True, False]]
    assert step.expression == "x[0, 1] = 2 adds 2 × kernel to canvas rows 0–2, columns 2–4"
    assert seq[-1].index == 3 and len(seq[1:3]) == 2
    with pytest.raises(IndexError):
        seq[4]
    with pytest.raises(ValueError, match="one channel"):
        transpose_scatter_steps(np.ones((2, 2, 2)), np.ones((2, 2)))


# ---------------------------------------------------------------- PyTorch


@pytest.mark.parametrize("stride,padding,output_padding,dilation", [
    (1, 0, 0, 1), (2, 0, 0, 1), (2, 1, 1, 1), (3, 2, 2, 1), ((2, 3), (1, 0), (1, 2), 1), (1, 1, 1, 2),
    (2, 2, 1, 2), ((1, 2), (2, 1), (0, 1), (3, 1)),
])
def test_conv_transpose_matches_torch(stride, padding, output_padding, dilation):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(11)
    x, w = rng.normal(size=(6, 7, 3)), rng.normal(size=(3, 4, 3, 5))
    xt = torch.from_numpy(x.transpose(2, 0, 1).copy())[None]
    wt = torch.from_numpy(w.transpose(2, 3, 0, 1).copy())
    theirs = torch.nn.functional.conv_transpose2d(xt, wt, stride=stride, padding=padding,
                                                  output_padding=output_padding, dilation=dilation)
    expected = theirs[0].numpy().transpose(1, 2, 0)
    ours = conv_transpose(x, w, stride=stride, padding=padding, output_padding=output_padding, dilation=dilation)
    assert ours.shape == expected.shape
    np.testing.assert_allclose(ours, expected, rtol=0, atol=1e-9)
