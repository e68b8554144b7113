"""The public model API with hostile arguments: every call returns or raises the documented ValueError
(never IndexError, TypeError, ZeroDivisionError, OverflowError or MemoryError), with bounded memory."""

import warnings

import numpy as np
import pytest
from hostile_support import bounded_memory, one_sentence

from convviz import model as m

#: values thrown at every integer-like argument
HOSTILE = [0, -1, 2 ** 31, 2 ** 63, 10 ** 400, True, 2.5, float("nan"), float("inf"), "3", None, (3,), (3, 3, 3),
           (1, 2 ** 63), np.int64(2 ** 62), [], (2, -1), {"a": 1}, b"3"]
PADDINGS = ["same", "full", "bogus"]
IMAGE = np.arange(25.0).reshape(5, 5)
KERNEL = np.ones((3, 3))


def first_step(*args, **kwargs):
    return m.steps(*args, **kwargs)[0]


#: name → call taking the hostile value
CALLS = {
    "output_shape(stride)": lambda v, p: m.output_shape((5, 5), (3, 3), p, stride=v),
    "output_shape(dilation)": lambda v, p: m.output_shape((5, 5), (3, 3), p, dilation=v),
    "output_shape(padding)": lambda v, p: m.output_shape((5, 5), (3, 3), v),
    "output_shape(input)": lambda v, p: m.output_shape(v, (3, 3), p),
    "output_shape(input rows)": lambda v, p: m.output_shape((v, 5), (3, 3), p),
    "output_shape(kernel)": lambda v, p: m.output_shape((5, 5), v, p),
    "padding_amounts(kernel)": lambda v, p: m.padding_amounts(v, p),
    "padding_amounts(dilation)": lambda v, p: m.padding_amounts((3, 3), p, dilation=v),
    "output_size_formula(n)": lambda v, p: m.output_size_formula(v, 3, 0),
    "output_size_formula(k)": lambda v, p: m.output_size_formula(5, v, 0),
    "output_size_formula(pad)": lambda v, p: m.output_size_formula(5, 3, v),
    "output_size_formula(stride)": lambda v, p: m.output_size_formula(5, 3, 0, v),
    "output_size_formula(dilation)": lambda v, p: m.output_size_formula(5, 3, 0, 1, v),
    "correlate(stride)": lambda v, p: m.correlate(IMAGE, KERNEL, p, stride=v),
    "correlate(dilation)": lambda v, p: m.correlate(IMAGE, KERNEL, p, dilation=v),
    "correlate(padding)": lambda v, p: m.correlate(IMAGE, KERNEL, v),
    "convolve(stride)": lambda v, p: m.convolve(IMAGE, KERNEL, p, stride=v),
    "steps(stride)": lambda v, p: first_step(IMAGE, KERNEL, p, stride=v),
    "steps(dilation)": lambda v, p: first_step(IMAGE, KERNEL, p, dilation=v),
    "conv_matrix(stride)": lambda v, p: m.conv_matrix(KERNEL, (5, 5), p, stride=v),
    "conv_matrix(padding)": lambda v, p: m.conv_matrix(KERNEL, (5, 5), v),
    "conv_matrix(input)": lambda v, p: m.conv_matrix(KERNEL, v, p),
    "conv_matrix(input rows)": lambda v, p: m.conv_matrix(KERNEL, (v, 5), p),
    "gaussian(size)": lambda v, p: m.gaussian(v),
    "gaussian(sigma)": lambda v, p: m.gaussian(5, v),
    "layer_costs(input)": lambda v, p: m.layer_costs((v, 5, 3), 3, 4, p),
    "layer_costs(kernel)": lambda v, p: m.layer_costs((5, 5, 3), v, 4, p),
    "layer_costs(filters)": lambda v, p: m.layer_costs((5, 5, 3), 3, v, p),
    "layer_costs(stride)": lambda v, p: m.layer_costs((5, 5, 3), 3, 4, p, stride=v),
    "conv_layer(padding)": lambda v, p: m.conv_layer(np.ones((5, 5, 2)), np.ones((3, 3, 2, 2)), padding=v),
    "conv_layer(stride)": lambda v, p: m.conv_layer(np.ones((5, 5, 2)), np.ones((3, 3, 2, 2)), padding=p, stride=v),
    "mse_loss_grad(padding)": lambda v, p: m.mse_loss_grad(IMAGE, np.ones((3, 3)), KERNEL, v),
    "pool(kernel)": lambda v, p: m.pool(IMAGE, v),
    "pool(stride)": lambda v, p: m.pool(IMAGE, 2, stride=v),
    "pool(padding)": lambda v, p: m.pool(IMAGE, 2, padding=v),
    "conv_transpose(stride)": lambda v, p: m.conv_transpose(IMAGE, KERNEL, stride=v),
    "conv_transpose(padding)": lambda v, p: m.conv_transpose(IMAGE, KERNEL, padding=v),
    "conv_transpose(dilation)": lambda v, p: m.conv_transpose(IMAGE, KERNEL, dilation=v),
    "frequency_response(shape)": lambda v, p: m.frequency_response(KERNEL, v),
    "separate(tol)": lambda v, p: m.separate(KERNEL, v),
}


@pytest.mark.parametrize("name", CALLS)
def test_hostile_arguments_give_the_documented_value_error(name):
    call = CALLS[name]
    refusals = 0
    with bounded_memory(), warnings.catch_warnings():
        warnings.simplefilter("ignore")   # e.g. NumPy's casting warnings; the result is what is checked
        for value in HOSTILE:
            for padding in PADDINGS:
                try:
                    call(value, padding)
                except ValueError as exc:
                    one_sentence(str(exc))
                    refusals += 1
    assert refusals >= len(HOSTILE)   # most of these values are refused for every padding


@pytest.mark.parametrize(("call", "phrase"), [
    (lambda: m.output_shape((5, 5), (3,)), "kernel size must be (KH, KW) or an int K"),
    (lambda: m.padding_amounts(3, "same"), None),   # an int kernel size means square
    (lambda: m.output_size_formula(5, 3, 0, 0), "stride must be at least 1"),
    (lambda: m.output_shape((5, 5), (3, 3), stride=2 ** 63), "at most 2,147,483,647"),
    (lambda: m.correlate(IMAGE, KERNEL, padding=10 ** 6), "at most 400,000,000"),
    (lambda: m.conv_matrix(KERNEL, (200, 200)), "12.5 GB"),
    (lambda: m.gaussian(100_000), "use a smaller size"),
])
def test_the_issue_examples(call, phrase):
    with bounded_memory():
        if phrase is None:
            assert m.padding_amounts(3, "same") == (1, 1, 1, 1)
            return
        with pytest.raises(ValueError, match=phrase.replace("(", r"\(").replace(")", r"\)")):
            call()


def test_gaussian_never_returns_nan():
    for size in (1, 2, 5, 15):
        for sigma in (5e-324, 1e-300, 1e-10, 1e10, 1e300):
            k = m.gaussian(size, sigma)
            assert np.isfinite(k).all() and abs(k.sum() - 1) < 1e-12
