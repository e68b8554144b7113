"""TinyCNN against PyTorch autograd in float64: probabilities, loss, every gradient and SGD with momentum, to 1e-9."""

import numpy as np
import pytest

from convviz.model.cnn import PARAMETER_NAMES, TinyCNN, TrainingRun, load_dataset

torch = pytest.importorskip("torch")
F = torch.nn.functional


def _torch_parameters(net):
    """The network's parameters as float64 leaf tensors in PyTorch's layouts."""
    return {
        # HWIO (K, K, 1, F) → OIHW (F, 1, K, K)
        "conv_weights": torch.tensor(net.conv_weights.transpose(3, 2, 0, 1).copy(), requires_grad=True),
        "conv_bias": torch.tensor(net.conv_bias, requires_grad=True),
        "dense_weights": torch.tensor(net.dense_weights, requires_grad=True),
        "dense_bias": torch.tensor(net.dense_bias, requires_grad=True),
    }


def _torch_logits(params, images, scale):
    x = torch.tensor(images * scale)[:, None]                         # (N, 1, H, W)
    z = F.conv2d(x, params["conv_weights"], params["conv_bias"])     # (N, F, H', W')
    pooled = F.max_pool2d(F.relu(z), 2)                               # (N, F, P, P)
    features = pooled.permute(0, 2, 3, 1).reshape(len(images), -1)    # (row, column, filter) order, as TinyCNN
    return features @ params["dense_weights"] + params["dense_bias"]


def _as_hwio(name, grad):
    g = grad.detach().numpy()
    return g.transpose(2, 3, 1, 0) if name == "conv_weights" else g


@pytest.fixture(scope="module")
def data():
    return load_dataset()


@pytest.mark.parametrize("trained", [False, True])
def test_probabilities_loss_and_gradients_equal_pytorch_autograd(data, trained):
    net = TinyCNN(seed=7)
    if trained:  # also after learning, when many maps are zero (ReLU) and biases are non-zero
        TrainingRun(net, data).run_epoch()
    x, y = data.train_images[:96], data.train_labels[:96]
    params = _torch_parameters(net)
    logits = _torch_logits(params, x, net.input_scale)
    loss = F.cross_entropy(logits, torch.tensor(y))
    loss.backward()
    np.testing.assert_allclose(net.forward(x), F.softmax(logits, dim=1).detach().numpy(), rtol=0, atol=1e-12)
    assert net.loss(x, y) == pytest.approx(loss.item(), abs=1e-12)
    ours = net.gradients(x, y)
    for name in PARAMETER_NAMES:
        theirs = _as_hwio(name, params[name].grad)
        assert ours[name].shape == theirs.shape
        np.testing.assert_allclose(ours[name], theirs, rtol=0, atol=1e-9)
    assert np.abs(ours["conv_weights"]).max() > 1e-3


def test_other_sizes_equal_pytorch_too():
    net = TinyCNN(filters=3, kernel_size=4, seed=2, image_size=11, classes=3)  # 8×8 maps; odd sizes elsewhere
    rng = np.random.default_rng(0)
    x, y = rng.uniform(0, 255, (7, 11, 11)), rng.integers(0, 3, 7)
    net.set_parameters({"conv_bias": rng.normal(0, 0.2, 3)})
    params = _torch_parameters(net)
    F.cross_entropy(_torch_logits(params, x, net.input_scale), torch.tensor(y)).backward()
    ours = net.gradients(x, y)
    for name in PARAMETER_NAMES:
        np.testing.assert_allclose(ours[name], _as_hwio(name, params[name].grad), rtol=0, atol=1e-9)


def test_sgd_with_momentum_follows_torch_optim_sgd(data):
    net = TinyCNN(seed=3)
    params = _torch_parameters(net)
    optimiser = torch.optim.SGD(list(params.values()), lr=0.05, momentum=0.9)
    for i in range(6):
        x, y = data.train_images[32 * i:32 * (i + 1)], data.train_labels[32 * i:32 * (i + 1)]
        optimiser.zero_grad()
        loss = F.cross_entropy(_torch_logits(params, x, net.input_scale), torch.tensor(y))
        loss.backward()
        optimiser.step()
        assert net.step(x, y, 0.05, momentum=0.9) == pytest.approx(loss.item(), abs=1e-10)
    for name in PARAMETER_NAMES:
        np.testing.assert_allclose(net.parameters[name], _as_hwio(name, params[name]), rtol=0, atol=1e-9)
