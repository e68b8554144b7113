"""steps, similarity, conv_matrix, layer_costs, conv_layer, mse_loss_grad, presets, colour, document."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from convviz.model import (
    PRESETS,
    ConvDocument,
    Preset,
    conv_layer,
    conv_matrix,
    convolve,
    correlate,
    cosine_similarity,
    display_levels,
    display_rgb,
    dot,
    filter_image,
    gaussian,
    layer_costs,
    mse_loss_grad,
    output_shape,
    output_size_formula,
    pearson,
    steps,
    to_gray,
)

SEED_IMAGE = np.array([[0, 10, 10, 0], [20, 30, 30, 20], [10, 20, 20, 10], [0, 5, 5, 0]], dtype=float)
SEED_KERNEL = np.array([[1, 0], [0, 2]], dtype=float)


# -- steps -----------------------------------------------------------------------
def test_seed_steps():
    seq = steps(SEED_IMAGE, SEED_KERNEL)
    assert len(seq) == 9
    first = seq[0]
    assert first.out_index == (0, 0)
    assert first.expression == "(0×1) + (10×0) + (20×0) + (30×2) = 60"
    assert first.patch.tolist() == [[0, 10], [20, 30]]
    assert first.products.tolist() == [[0, 0], [0, 60]]
    assert first.value == 60 and first.dot == 60
    assert first.covers == [(0, 0), (0, 1), (1, 0), (1, 1)]
    assert seq[-1].out_index == (2, 2) and seq[-1].value == 20
    assert [s.value for s in seq[2:4]] == [50, 60]


@settings(max_examples=60, deadline=None)
@given(h=st.integers(1, 8), w=st.integers(1, 8), k=st.integers(1, 4), s=st.integers(1, 3),
       d=st.integers(1, 2), padding=st.sampled_from(["valid", "same", "full", 1]),
       mode=st.sampled_from(["zeros", "replicate", "circular"]), channels=st.sampled_from([0, 3]),
       seed=st.integers(0, 999))
def test_every_step_equals_correlate(h, w, k, s, d, padding, mode, channels, seed):
    rng = np.random.default_rng(seed)
    x = rng.integers(-9, 10, size=(h, w) if not channels else (h, w, channels)).astype(float)
    ker = rng.integers(-3, 4, size=(k, k) if not channels else (k, k, channels)).astype(float)
    try:
        out = correlate(x, ker, padding, stride=s, dilation=d, padding_mode=mode)
    except ValueError:
        with pytest.raises(ValueError):
            steps(x, ker, padding, stride=s, dilation=d, padding_mode=mode)
        return
    seq = steps(x, ker, padding, stride=s, dilation=d, padding_mode=mode)
    assert len(seq) == out.size
    for i in range(len(seq)):
        st_ = seq[i]
        assert st_.value == out[st_.out_index]
        assert np.array_equal(st_.products, st_.patch * ker)
    assert seq[-1].index == len(seq) - 1


def test_steps_padding_taps_and_contributions():
    seq = steps(SEED_IMAGE, SEED_KERNEL, "full")
    s0 = seq[0]
    assert s0.in_image.tolist() == [[False, False], [False, True]]
    assert s0.rows.tolist() == [-1, 0] and s0.cols.tolist() == [-1, 0]
    assert s0.covers == [(0, 0)]
    assert seq.contributions(0, 0) == [(0, 0), (0, 1), (1, 0), (1, 1)]
    for r, c in seq.contributions(2, 1):
        assert (2, 1) in seq[seq.index_of(r, c)].covers


def test_steps_scrub_backwards_and_lazy():
    big = np.zeros((2000, 2000))
    seq = steps(big, np.ones((3, 3)))
    assert len(seq) == 1998 * 1998
    assert seq[-1].out_index == (1997, 1997)
    with pytest.raises(IndexError):
        seq[len(seq)]


def test_condensed_expression():
    seq = steps(np.arange(100.0).reshape(10, 10), PRESETS["gaussian_blur_5x5"].kernel)
    s = seq[0]
    text = s.condensed_expression(9)
    assert "more" in text and text.endswith(f"= {s.expression.split('= ')[-1]}")
    sobel = steps(np.arange(100.0).reshape(10, 10), PRESETS["sobel_x"].kernel)[0]
    assert "zero-weight" in sobel.condensed_expression(6)


# -- similarity --------------------------------------------------------------------
def test_similarity_values():
    a, b = np.array([1.0, 2, 3]), np.array([2.0, 4, 6])
    assert dot(a, b) == 28
    assert cosine_similarity(a, b) == pytest.approx(1.0)
    assert pearson(a, -b) == pytest.approx(-1.0)
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=20), rng.normal(size=20)
    assert pearson(x, y) == pytest.approx(np.corrcoef(x, y)[0, 1], abs=1e-12)


def test_similarity_degenerate_gives_nan_without_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert math.isnan(cosine_similarity(np.zeros(4), np.ones(4)))
        assert math.isnan(pearson(np.full(4, 0.1), np.arange(4.0)))
        assert math.isnan(pearson([1.0], [2.0]))
        assert dot(np.zeros(3), np.zeros(3)) == 0


# -- conv_matrix --------------------------------------------------------------------
@settings(max_examples=60, deadline=None)
@given(h=st.integers(1, 7), w=st.integers(1, 7), kh=st.integers(1, 3), kw=st.integers(1, 3),
       padding=st.sampled_from(["valid", "same", "full", (1, 0)]), s=st.integers(1, 2), d=st.integers(1, 2),
       seed=st.integers(0, 999))
def test_conv_matrix_times_x_is_correlate(h, w, kh, kw, padding, s, d, seed):
    rng = np.random.default_rng(seed)
    x, k = rng.normal(size=(h, w)), rng.normal(size=(kh, kw))
    try:
        expected = correlate(x, k, padding, stride=s, dilation=d)
    except ValueError:
        return
    m = conv_matrix(k, (h, w), padding, stride=s, dilation=d)
    assert m.shape == (expected.size, h * w)
    np.testing.assert_allclose(m @ x.ravel(), expected.ravel(), atol=1e-9)


def test_conv_matrix_lecture_1d():
    m = conv_matrix(np.array([[1.0, 2.0]]), (1, 4))
    assert m.tolist() == [[1, 2, 0, 0], [0, 1, 2, 0], [0, 0, 1, 2]]


# -- costs --------------------------------------------------------------------------
def test_layer_costs_lecture_example():
    c = layer_costs((32, 32, 3), 5, 64, "valid", bias=False)
    assert c.output_shape == (28, 28, 64)
    assert c.conv_params == 4800
    assert c.dense_params == 3072 * 50176 == 154_140_672
    assert round(c.ratio) == 32113
    assert c.conv_macs == 28 * 28 * 64 * 75
    assert c.dense_macs == 154_140_672
    assert c.conv_bytes == 4800 * 4 and c.dense_bytes == 154_140_672 * 4
    assert c.conv_formula() == "3·5·5·64 = 4,800"


def test_layer_costs_bias_and_stride():
    c = layer_costs((32, 32, 3), (3, 3), 16, "same", stride=2)
    assert c.output_shape == (16, 16, 16)
    assert c.conv_params == 3 * 9 * 16 + 16
    assert c.dense_params == 3072 * 4096 + 4096
    with pytest.raises(ValueError):
        layer_costs((32, 32), 3, 4)
    with pytest.raises(ValueError):
        layer_costs((32, 32, 3), 3, 0)


def test_output_shape_and_formula():
    assert output_shape((256, 256), (3, 3), 1) == (256, 256)
    assert output_size_formula(256, 3, 2, 1, 1) == "⌊(256 + 2 − 1·(3−1) − 1)/1⌋ + 1 = 256"
    assert output_shape((10, 9), 3, "full", stride=2) == (6, 6)
    with pytest.raises(ValueError):
        output_shape((2, 2), (3, 3))


# -- conv_layer ------------------------------------------------------------------------
@pytest.mark.parametrize("activation,fn", [(None, lambda v: v), ("relu", lambda v: np.maximum(v, 0)),
                                           ("tanh", np.tanh), ("sigmoid", lambda v: 1 / (1 + np.exp(-v)))])
def test_conv_layer_equals_per_filter_correlate(activation, fn):
    rng = np.random.default_rng(0)
    x, w, b = rng.normal(size=(17, 19, 3)), rng.normal(size=(3, 3, 3, 5)), rng.normal(size=5)
    out = conv_layer(x, w, b, padding="same", stride=2, activation=activation)
    expected = np.stack([fn(correlate(x, w[..., o], "same", stride=2) + b[o]) for o in range(5)], axis=2)
    assert out.shape == (9, 10, 5)
    np.testing.assert_allclose(out, expected, atol=1e-9)


def test_conv_layer_sigmoid_does_not_overflow_and_checks_args():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = conv_layer(np.full((3, 3, 1), 1e4), np.ones((1, 1, 1, 2)) * np.array([1, -1]), activation="sigmoid")
    np.testing.assert_allclose(out[..., 0], 1.0)
    np.testing.assert_allclose(out[..., 1], 0.0)
    with pytest.raises(ValueError, match="Channel mismatch"):
        conv_layer(np.ones((5, 5, 3)), np.ones((3, 3, 2, 4)))
    with pytest.raises(ValueError, match="bias"):
        conv_layer(np.ones((5, 5, 3)), np.ones((3, 3, 3, 4)), np.ones(3))
    with pytest.raises(ValueError, match="activation"):
        conv_layer(np.ones((5, 5, 3)), np.ones((3, 3, 3, 4)), activation="gelu")


def test_conv_layer_large_input_uses_strips(monkeypatch):
    from convviz.model import layer
    monkeypatch.setattr(layer, "PATCH_STRIP_BYTES", 4096)
    rng = np.random.default_rng(1)
    x, w = rng.normal(size=(40, 33, 2)), rng.normal(size=(3, 3, 2, 3))
    out = conv_layer(x, w, padding=1, stride=(2, 1), dilation=2)
    expected = np.stack([correlate(x, w[..., o], 1, stride=(2, 1), dilation=2) for o in range(3)], axis=2)
    np.testing.assert_allclose(out, expected, atol=1e-9)


# -- mse_loss_grad ------------------------------------------------------------------------
@pytest.mark.parametrize("padding,stride,dilation", [("valid", 1, 1), ("same", 2, 1), ("full", 1, 2)])
def test_gradient_matches_finite_differences(padding, stride, dilation):
    rng = np.random.default_rng(2)
    x, k = rng.normal(size=(12, 11)), rng.normal(size=(3, 3))
    target = correlate(x, rng.normal(size=(3, 3)), padding, stride=stride, dilation=dilation)
    loss, grad = mse_loss_grad(x, target, k, padding, stride=stride, dilation=dilation)
    assert loss == pytest.approx(np.mean((correlate(x, k, padding, stride=stride, dilation=dilation) - target) ** 2))
    eps = 1e-6
    numeric = np.zeros_like(k)
    for idx in np.ndindex(k.shape):
        kp, km = k.copy(), k.copy()
        kp[idx] += eps
        km[idx] -= eps
        numeric[idx] = (mse_loss_grad(x, target, kp, padding, stride=stride, dilation=dilation)[0]
                        - mse_loss_grad(x, target, km, padding, stride=stride, dilation=dilation)[0]) / (2 * eps)
    np.testing.assert_allclose(grad, numeric, rtol=1e-6, atol=1e-8)


def test_gradient_descent_recovers_sobel_x():
    rng = np.random.default_rng(3)
    x = rng.uniform(0, 1, size=(32, 32))
    target = correlate(x, PRESETS["sobel_x"].kernel)
    k = rng.normal(size=(3, 3))
    for _ in range(3000):
        _, g = mse_loss_grad(x, target, k)
        k -= 0.2 * g
    np.testing.assert_allclose(k, PRESETS["sobel_x"].kernel, atol=1e-3)


def test_loss_grad_checks_target_shape():
    with pytest.raises(ValueError, match="target"):
        mse_loss_grad(np.ones((5, 5)), np.ones((5, 5)), np.ones((3, 3)))


# -- presets -------------------------------------------------------------------------------
REQUIRED = ["identity", "box_blur", "gaussian_blur", "sharpen", "unsharp_mask", "laplacian", "sobel_x", "sobel_y",
            "prewitt_x", "prewitt_y", "scharr_x", "scharr_y", "emboss", "outline", "motion_blur"]


def test_presets():
    for key in REQUIRED:
        p = PRESETS[key]
        assert isinstance(p, Preset) and p.key == key and p.kernel.dtype == np.float64
        assert p.description.endswith(".") and len(p.description.split()) >= 5
        assert not p.kernel.flags.writeable
    assert PRESETS["prewitt_x"].kernel.tolist() == [[-1, 0, 1]] * 3
    assert PRESETS["prewitt_y"].kernel.tolist() == [[1, 1, 1], [0, 0, 0], [-1, -1, -1]]
    for key in ["identity", "box_blur", "gaussian_blur", "sharpen", "unsharp_mask", "motion_blur"]:
        assert PRESETS[key].kernel.sum() == pytest.approx(1.0)
    x = np.random.default_rng(0).normal(size=(9, 9))
    np.testing.assert_array_equal(correlate(x, PRESETS["identity"].kernel, "same"), x)


def test_gaussian_helper():
    g = gaussian(7, 1.5)
    assert g.shape == (7, 7) and g.sum() == pytest.approx(1.0)
    np.testing.assert_allclose(g, g.T)
    assert g[3, 3] == g.max()
    with pytest.raises(ValueError):
        gaussian(0, 1)
    with pytest.raises(ValueError):
        gaussian(3, -1)


# -- filtering & colour -------------------------------------------------------------------
def test_filter_image_per_channel_and_gray():
    rng = np.random.default_rng(4)
    rgb = rng.uniform(0, 255, size=(10, 12, 3))
    k = PRESETS["sobel_x"].kernel
    out = filter_image(rgb, k, "same")
    assert out.shape == (10, 12, 3)
    for c in range(3):
        np.testing.assert_allclose(out[:, :, c], correlate(rgb[:, :, c], k, "same"))
    gray = filter_image(rgb, k, "same", gray=True)
    lum = 0.299 * rgb[..., 0] + 0.587 * rgb[..., 1] + 0.114 * rgb[..., 2]
    np.testing.assert_allclose(gray, correlate(lum, k, "same"))
    np.testing.assert_allclose(to_gray(rgb), lum)
    np.testing.assert_allclose(filter_image(rgb[..., 0], k, flip=True), convolve(rgb[..., 0], k))


def test_display_mapping():
    signed = np.array([[-2.0, 0.0], [1.0, 2.0]])
    assert display_levels(signed) == (-2.0, 2.0)
    assert display_levels(np.array([[0.0, 5.0]])) == (0.0, 5.0)
    assert display_levels(signed, clip_to_image_range=True) == (0.0, 255.0)
    rgb = display_rgb(signed)
    assert rgb.shape == (2, 2, 3) and rgb.dtype == np.uint8
    assert np.abs(rgb[0, 1].astype(int) - 221).max() <= 2  # 0 sits on the middle of the diverging map
    grey = display_rgb(np.array([[0.0, 255.0]]))
    assert grey[0, 0].tolist() == [0, 0, 0] and grey[0, 1].tolist() == [255, 255, 255]
    colour = display_rgb(np.full((2, 2, 3), 100.0), levels=(0, 255))
    assert colour.shape == (2, 2, 3) and colour[0, 0, 0] == 100


# -- document --------------------------------------------------------------------------------
def test_document_apply_emits_and_refuses_atomically():
    doc = ConvDocument()
    seen = []
    doc.events.kernel.connect(lambda k: seen.append(k.shape))
    doc.events.padding.connect(lambda p: seen.append(p))
    doc.apply(kernel=np.ones((5, 5)), padding="valid")
    assert seen == [(5, 5), "valid"]
    before = doc.state()
    with pytest.raises(ValueError, match="larger than the padded input"):
        doc.apply(image=np.ones((3, 3)), kernel=np.ones((5, 5)))
    after = doc.state()
    assert all(np.array_equal(before[k], after[k]) if isinstance(before[k], np.ndarray) else before[k] == after[k]
               for k in before)
    with pytest.raises(ValueError):
        doc.apply(kernel=np.array([[np.nan]]))
    with pytest.raises(ValueError):
        doc.apply(stride=0)
    assert not doc.kernel.flags.writeable
    np.testing.assert_array_equal(doc.compute(), correlate(doc.image, doc.kernel, "valid"))


def test_document_observers_see_the_whole_change():
    doc = ConvDocument()
    seen = []
    doc.events.image.connect(lambda img: seen.append((img.shape, doc.kernel.shape, doc.padding)))
    doc.apply(image=np.ones((20, 20)), kernel=np.ones((5, 5)), padding="full")
    assert seen == [((20, 20), (5, 5), "full")]
    doc.apply(image=np.ones((20, 20)))  # equal value: no signal
    assert len(seen) == 1


def test_scale_to_bytes_edges():
    from convviz.model.colour import scale_to_bytes
    v = np.array([[-np.inf, np.nan, 0.0, 127.5, 300.0, np.inf, -5.0]])
    assert scale_to_bytes(v, (0, 255)).tolist() == [[0, 0, 0, 128, 255, 255, 0]]
    assert scale_to_bytes(np.array([[-2.0, 0.0, 2.0]]), (-2, 2)).tolist() == [[0, 128, 255]]
    assert scale_to_bytes(np.zeros((0, 3)), (0, 1)).shape == (0, 3)


@pytest.mark.parametrize("flip", [False, True])
def test_matrix_check_proves_m_times_x(flip):
    from convviz.model.matrix import matrix_check
    x = SEED_IMAGE
    check = matrix_check(x, SEED_KERNEL, "full", flip=flip)
    expected = (convolve if flip else correlate)(x, SEED_KERNEL, "full").ravel()
    np.testing.assert_array_equal(check.expected, expected)
    np.testing.assert_array_equal(check.product, expected)  # integer data: exactly equal
    assert check.max_difference == 0
    assert check.matrix.shape == (25, 16)
    assert check.nonzero == 2 * 16 and check.zeros == 25 * 16 - 32  # two non-zero weights, each input seen twice
    np.testing.assert_array_equal(check.applied, SEED_KERNEL[::-1, ::-1] if flip else SEED_KERNEL)
