"""convviz.model.limits: every limit has a checker that passes at the limit and refuses above it."""

import numpy as np
import pytest

from convviz.model import ConvDocument, gaussian, limits


@pytest.mark.parametrize(("check", "at", "above"), [
    (lambda v: limits.check_kernel_size(v, 3), limits.MAX_KERNEL_SIDE, limits.MAX_KERNEL_SIDE + 1),
    (lambda v: limits.check_padding((1, v)), limits.MAX_PADDING, limits.MAX_PADDING + 1),
    (lambda v: limits.check_stride(v), limits.MAX_STRIDE, limits.MAX_STRIDE + 1),
    (lambda v: limits.check_dilation((v, 1)), limits.MAX_DILATION, limits.MAX_DILATION + 1),
    (limits.check_bank_layers, limits.MAX_BANK_LAYERS, limits.MAX_BANK_LAYERS + 1),
    (limits.check_bank_filters, limits.MAX_BANK_FILTERS, limits.MAX_BANK_FILTERS + 1),
    (limits.check_bank_weights, limits.MAX_BANK_WEIGHTS, limits.MAX_BANK_WEIGHTS + 1),
    (lambda v: limits.check_image_pixels(v, 1), limits.MAX_IMAGE_PIXELS, limits.MAX_IMAGE_PIXELS + 1),
    (lambda v: limits.check_file_size(v, "session"), limits.MAX_FILE_BYTES["session"],
     limits.MAX_FILE_BYTES["session"] + 1),
    (limits.check_json_depth, limits.MAX_JSON_DEPTH, limits.MAX_JSON_DEPTH + 1),
    (lambda v: limits.check_json_number("1" * v), limits.MAX_JSON_NUMBER_CHARS, limits.MAX_JSON_NUMBER_CHARS + 1),
    (lambda v: limits.check_conv_matrix(v, 1), limits.MAX_CONV_MATRIX_ENTRIES, limits.MAX_CONV_MATRIX_ENTRIES + 1),
    (lambda v: limits.check_argument(v, "stride"), limits.MAX_ARGUMENT, limits.MAX_ARGUMENT + 1),
    (lambda v: limits.check_work_pixels(v, 1, what="x"), limits.MAX_WORK_PIXELS, limits.MAX_WORK_PIXELS + 1),
])
def test_each_limit_passes_at_and_refuses_above(check, at, above):
    check(at)
    with pytest.raises(ValueError) as info:
        check(above)
    message = str(info.value)
    assert "\n" not in message and len(message) < 300
    assert "at most" in message  # says the limit


def test_messages_name_the_value_the_limit_and_what_to_do():
    with pytest.raises(ValueError, match=r"--padding is 10000 pixels; at most 64 per side .*use a smaller"):
        limits.check_padding(10000, what="--padding")
    with pytest.raises(ValueError, match=r"1,000,001 weights; at most 1,000,000 .*use fewer"):
        limits.check_bank_weights(1_000_001)
    huge = 10 ** 400
    with pytest.raises(ValueError) as info:
        limits.check_stride(huge)
    assert len(str(info.value)) < 200  # a 401-digit number is shortened in the message


def test_bank_and_session_file_limits_hold_the_largest_legal_bank():
    # every weight can take WORST_JSON_BYTES_PER_WEIGHT bytes; names and settings fit in the rest
    names = limits.MAX_BANK_LAYERS * limits.MAX_BANK_FILTERS * 1500
    worst_bank = limits.MAX_BANK_WEIGHTS * limits.WORST_JSON_BYTES_PER_WEIGHT + names
    assert worst_bank < limits.MAX_FILE_BYTES["bank"]
    assert limits.MAX_FILE_BYTES["bank"] + 8 * 2 ** 20 <= limits.MAX_FILE_BYTES["session"]


def test_window_limits_are_the_documented_numbers():
    assert (limits.MAX_KERNEL_SIDE, limits.MAX_PADDING, limits.MAX_STRIDE, limits.MAX_DILATION) == (15, 64, 16, 8)
    assert limits.MAX_IMAGE_PIXELS == 40_000_000
    from convviz.io import MAX_KERNEL_SIDE, MAX_PIXELS
    from convviz.model import bank, document
    assert MAX_PIXELS == limits.MAX_IMAGE_PIXELS
    assert MAX_KERNEL_SIDE == bank.MAX_KERNEL_SIDE == document.MAX_KERNEL_SIDE == limits.MAX_KERNEL_SIDE
    assert (bank.MAX_FILTERS, bank.MAX_LAYERS) == (limits.MAX_BANK_FILTERS, limits.MAX_BANK_LAYERS)


# -- the document refuses above the limits and changes nothing ------------------------------------
@pytest.mark.parametrize("change", [
    {"padding": (65, 0)}, {"padding": 10 ** 19}, {"padding": (10 ** 19, 1)}, {"stride": 17}, {"dilation": (1, 9)},
    {"kernel": np.ones((16, 3))}, {"stride": 2 ** 63}, {"padding": 1e19}, {"kernel": [["a"]]},
    {"image_name": 5}, {"image": np.zeros((2, 0))},
    {"image": np.lib.stride_tricks.as_strided(np.zeros(1), (8000, 5001), (0, 0))},
])
def test_document_refuses_above_the_limits_and_changes_nothing(change):
    doc = ConvDocument()
    before = doc.state()
    emitted = []
    doc.events.connect(emitted.append)
    with pytest.raises(ValueError) as info:
        doc.apply(**change, kernel=np.ones((3, 3))) if "kernel" not in change else doc.apply(**change, stride=2)
    assert "\n" not in str(info.value)
    after = doc.state()
    assert emitted == []
    for name, value in before.items():
        assert after[name] is value


def test_document_accepts_values_at_the_limits():
    doc = ConvDocument()
    doc.apply(image=np.zeros((200, 200)), kernel=np.ones((15, 15)), padding=(64, 64), stride=(16, 16), dilation=8)
    assert doc.output_shape() == ((200 + 128 - 8 * 14 - 1) // 16 + 1,) * 2


# -- model API: every bad argument is a ValueError with a sentence -------------------------------
def _refuses(call, *args, **kwargs):
    from convviz import model

    with pytest.raises(ValueError) as info:
        getattr(model, call)(*args, **kwargs)
    message = str(info.value)
    assert message.endswith(".") and "\n" not in message and len(message) < 300
    return message


@pytest.mark.parametrize(("call", "args", "kwargs"), [
    ("output_shape", ((5, 5), (3,)), {}),
    ("output_shape", (5, (3, 3)), {}),
    ("output_shape", ((5.5, 5), (3, 3)), {}),
    ("output_shape", ((5, 5), "ab"), {}),
    ("output_shape", ((5, 5), (3, 3)), {"stride": 2 ** 63}),
    ("output_shape", ((2 ** 63, 5), (3, 3)), {}),
    ("output_shape", ((5, 5), (3, 3)), {"padding": 2 ** 64}),
    ("output_shape", ((5, 5), (3, 3)), {"dilation": (1, 2 ** 70)}),
    ("output_shape", ((5, 5), (3, 3)), {"padding": "sideways"}),
    ("padding_amounts", ("3", "same"), {}),
    ("padding_amounts", ((3, 3), "same"), {"dilation": 2 ** 63}),
    ("output_size_formula", (5, 3, 0, 0), {}),
    ("output_size_formula", (5, 3, -1, 1), {}),
    ("output_size_formula", (5, 3, 0, 1, 2 ** 63), {}),
    ("output_size_formula", (None, 3, 0), {}),
    ("correlate", (np.ones((5, 5)), np.ones((3, 3))), {"padding": 2 ** 63}),
    ("correlate", (np.ones((5, 5)), np.ones((3, 3))), {"padding": 10 ** 6}),
    ("correlate", (np.ones((5, 5)), np.ones((3, 3))), {"stride": 2 ** 63}),
    ("correlate", (np.ones((5, 5)), np.ones((3, 3))), {"dilation": 2 ** 63}),
    ("correlate", (np.ones((5, 5)), np.ones((3, 3))), {"padding": "full", "dilation": 2 ** 30}),
    ("steps", (np.ones((5, 5)), np.ones((3, 3))), {"stride": 2 ** 63}),
    ("layer_costs", ((2 ** 63, 5, 3), 3, 4), {}),
    ("conv_matrix", (np.ones((3, 3)), (200, 200)), {}),
    ("conv_matrix", (np.ones((3, 3)), (2 ** 40, 5)), {}),
    ("conv_matrix", (np.ones((3, 3)), 5), {}),
    ("gaussian", (0,), {}),
    ("gaussian", (2 ** 63,), {}),
    ("gaussian", (10 ** 5,), {}),
    ("gaussian", (5.5,), {}),
    ("gaussian", (5, 0.0), {}),
    ("gaussian", (5, float("nan")), {}),
    ("gaussian", (5, 10 ** 400), {}),
    ("gaussian", (5, "1"), {}),
])
def test_model_api_refuses_with_a_sentence(call, args, kwargs):
    _refuses(call, *args, **kwargs)


def test_output_shape_accepts_an_int_kernel_and_whole_floats():
    from convviz.model import output_shape, padding_amounts

    assert output_shape((5, 5), 3) == (3, 3)
    assert output_shape((5.0, 5, 3), (3, 3)) == (3, 3)
    assert padding_amounts(3, "same") == (1, 1, 1, 1)
    assert padding_amounts((3, 4), "same", dilation=2) == (2, 2, 3, 3)


def test_conv_matrix_refuses_before_allocating():
    import tracemalloc

    from convviz.model import conv_matrix

    tracemalloc.start()
    try:
        with pytest.raises(ValueError, match="12.5 GB"):
            conv_matrix(np.ones((3, 3)), (200, 200))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000
    assert conv_matrix(np.ones((3, 3)), (64, 64)).shape == (62 * 62, 64 * 64)


@pytest.mark.parametrize("sigma", [1e-300, 5e-324, 1e-20])
@pytest.mark.parametrize("size", [1, 4, 5])
def test_gaussian_with_a_tiny_sigma_is_its_limit_not_nan(size, sigma):
    k = gaussian(size, sigma)
    assert np.isfinite(k).all() and k.sum() == pytest.approx(1.0)
    centre = np.zeros((size, size))
    lo, hi = (size - 1) // 2, size // 2 + 1
    centre[lo:hi, lo:hi] = 1 / (hi - lo) ** 2
    np.testing.assert_array_equal(k, centre)


def test_gaussian_with_a_huge_sigma_is_a_box_and_matches_the_formula():
    np.testing.assert_allclose(gaussian(3, 1e300), np.full((3, 3), 1 / 9), rtol=1e-15)
    for size, sigma in [(5, 1.0), (4, 0.7), (7, None)]:
        s = size / 6 if sigma is None else sigma
        x = np.arange(size) - (size - 1) / 2
        g = np.exp(-x ** 2 / (2 * s * s))
        np.testing.assert_allclose(gaussian(size, sigma), np.outer(g, g) / np.outer(g, g).sum(), rtol=1e-12)
