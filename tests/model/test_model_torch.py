"""The model against PyTorch's conv2d (skipped where PyTorch is not installed)."""

from __future__ import annotations

import numpy as np
import pytest

from convviz.model import conv_layer, correlate

torch = pytest.importorskip("torch")
F = torch.nn.functional

TORCH_MODE = {"reflect": "reflect", "replicate": "replicate", "circular": "circular"}


def _torch_layer(x, w, b, padding, stride, dilation, padding_mode):
    """x (H, W, C_in), w (KH, KW, C_in, C_out) → (H', W', C_out) with torch.nn.functional.conv2d."""
    xt = torch.from_numpy(np.ascontiguousarray(x.transpose(2, 0, 1)))[None]
    wt = torch.from_numpy(np.ascontiguousarray(w.transpose(3, 2, 0, 1)))
    bt = None if b is None else torch.from_numpy(b)
    if padding_mode != "zeros" and padding not in ("valid", 0):
        kh, kw = w.shape[:2]
        if padding == "same":
            th, tw = dilation * (kh - 1), dilation * (kw - 1)
            pads = (tw // 2, tw - tw // 2, th // 2, th - th // 2)
        else:
            pads = (padding, padding, padding, padding)
        xt = F.pad(xt, pads, mode=TORCH_MODE[padding_mode])
        padding = 0
    out = F.conv2d(xt, wt, bt, stride=stride, padding=padding, dilation=dilation)
    return out[0].numpy().transpose(1, 2, 0)


@pytest.mark.parametrize("padding", ["valid", "same", 2])
@pytest.mark.parametrize("stride,dilation", [(1, 1), (2, 1), (1, 2)])
@pytest.mark.parametrize("padding_mode", ["zeros", "reflect", "replicate", "circular"])
def test_conv_layer_matches_torch(padding, stride, dilation, padding_mode):
    if padding == "same" and stride != 1:
        pytest.skip("PyTorch refuses padding='same' with stride > 1")
    rng = np.random.default_rng(0)
    x, w, b = rng.normal(size=(13, 16, 3)), rng.normal(size=(4, 3, 3, 5)), rng.normal(size=5)
    ours = conv_layer(x, w, b, padding=padding, stride=stride, dilation=dilation, padding_mode=padding_mode)
    theirs = _torch_layer(x, w, b, padding, stride, dilation, padding_mode)
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-9)


def test_correlate_float32_matches_torch_float32():
    rng = np.random.default_rng(1)
    x, k = rng.uniform(0, 255, size=(64, 80)).astype(np.float32), rng.normal(size=(5, 5)).astype(np.float32)
    ours = correlate(x, k, "same")
    theirs = F.conv2d(torch.from_numpy(x)[None, None], torch.from_numpy(k)[None, None], padding="same")[0, 0].numpy()
    assert ours.dtype == np.float32
    np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-3)
