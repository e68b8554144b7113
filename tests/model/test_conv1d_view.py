"""What the 1-D tab shows, without Qt: the padded signal, the kernel under the window, the products, the output
and M @ a — against NumPy's own 1-D correlation and convolution."""

from __future__ import annotations

import numpy as np
import pytest

from convviz.model.conv1d_view import (
    conv1d_frame,
    matrix_sentence,
    numbers_text,
    operation_sentence,
    padding_sentence,
    parse_numbers,
    slid_kernel,
    step_sentence,
)
from convviz.model.states.conv1d import LECTURE_KERNEL, LECTURE_SIGNAL, Conv1dState


def numpy_reference(a, w, padding, flip):
    """np.correlate / np.convolve with PyTorch's and TensorFlow's 'same' (the odd zero at the end)."""
    a, w = np.asarray(a, float), np.asarray(w, float)
    k = len(w)
    if padding == "valid":
        padded = a
    elif padding == "full":
        padded = np.pad(a, (k - 1, k - 1))
    else:
        padded = np.pad(a, ((k - 1) // 2, k - 1 - (k - 1) // 2))
    return np.convolve(padded, w, "valid") if flip else np.correlate(padded, w, "valid")


@pytest.mark.parametrize("padding", ["valid", "same", "full"])
@pytest.mark.parametrize("flip", [False, True])
@pytest.mark.parametrize("a, w", [(LECTURE_SIGNAL, LECTURE_KERNEL), ((3, -1, 4, 1, 5, 9, 2, 6), (1, 0, -2)),
                                  ((2, 7, 1, 8), (0.5, 0.25, 0.125, 1)), ((5,), (2,))])
def test_every_step_against_numpy(padding, flip, a, w):
    if padding == "valid" and len(w) > len(a):
        pytest.skip("valid padding needs a kernel no longer than the signal")
    expected = numpy_reference(a, w, padding, flip)
    first = conv1d_frame(a, w, padding, 0, flip=flip)
    np.testing.assert_allclose(first.output, expected, rtol=0, atol=1e-12)
    np.testing.assert_allclose(first.matrix_output, expected, rtol=0, atol=1e-12)
    assert first.count == len(expected) and first.max_difference < 1e-12
    assert first.signal.shape[1] == first.left + len(a) + first.right
    for i in range(first.count):
        f = conv1d_frame(a, w, padding, i, flip=flip)
        window = f.signal[0, f.window]
        slid = slid_kernel(w, flip)
        np.testing.assert_array_equal(f.under[0, f.window], slid)
        np.testing.assert_array_equal(f.products[0, f.window], window * slid)
        assert f.step.value == pytest.approx(expected[i], abs=1e-12)
        assert list(f.window) == list(range(i, i + len(w)))
        assert np.isnan(np.delete(f.under[0], f.window)).all()
        assert [t for t in f.row_texts[1][0] if t] == [t for t in f.row_texts[1][0][i:i + len(w)]]
        assert step_sentence(f) == f"Output {i}: {f.step.expression}"
        # row i of M: weight j of the slid kernel at sample i + j − left (taps on padding fall away)
        row = np.zeros(len(a))
        for j in range(len(w)):
            if 0 <= i + j - f.left < len(a):
                row[i + j - f.left] = slid[j]
        np.testing.assert_array_equal(f.matrix[i], row)


def test_the_lecture_example():
    f = conv1d_frame(LECTURE_SIGNAL, LECTURE_KERNEL, "full", 0)
    assert f.output.tolist() == [2, 5, 8, 11, 4] and f.step.expression == "(0×1) + (1×2) = 2"
    g = conv1d_frame(LECTURE_SIGNAL, LECTURE_KERNEL, "full", 0, flip=True)
    assert g.output.tolist() == [1, 4, 7, 10, 8]          # as on the Correlation vs convolution tab
    assert f.padding[0].tolist() == [True, False, False, False, False, True]
    assert f.row_texts[0] == [["0", "1", "2", "3", "4", "0"]]
    assert f.matrix.tolist() == [[2, 0, 0, 0], [1, 2, 0, 0], [0, 1, 2, 0], [0, 0, 1, 2], [0, 0, 0, 1]]
    assert "5 rows of the 5×4 matrix" in matrix_sentence(f) and "difference from the sliding window is 0" in \
        matrix_sentence(f)


def test_sentences():
    assert padding_sentence(4, 2, "valid", 0, 0) == "Valid: no padding, N − K + 1 = 4 − 2 + 1 = 3 outputs."
    assert padding_sentence(4, 2, "same", 0, 1) == "Same: K − 1 = 1 zero added (1 at the end), so N = 4 outputs."
    assert padding_sentence(5, 4, "same", 1, 2) == ("Same: K − 1 = 3 zeros added (1 at the start and 2 at the end), "
                                                    "so N = 5 outputs.")
    assert padding_sentence(4, 3, "full", 2, 2) == ("Full: K − 1 = 2 zeros on each side, "
                                                    "N + K − 1 = 4 + 3 − 1 = 6 outputs.")
    assert "[2, 1]" in operation_sentence((1, 2), True) and "[1, 2]" in operation_sentence((1, 2), False)


def test_parse_and_write_numbers():
    assert parse_numbers("1, 2, 3, 4") == (1, 2, 3, 4)
    assert parse_numbers(" [0.5; -2  3e1] ") == (0.5, -2, 30)
    assert parse_numbers("−1 2") == (-1, 2)
    assert numbers_text((1.0, 0.5, -2.0)) == "1, 0.5, -2"
    assert parse_numbers(numbers_text((1.25, -3.0))) == (1.25, -3.0)
    with pytest.raises(ValueError, match="'x' in the kernel w is not a number"):
        parse_numbers("1, x", "kernel w")
    with pytest.raises(ValueError, match="Type the signal"):
        parse_numbers("  ", "signal")
    with pytest.raises(ValueError, match="finite"):
        parse_numbers("1, inf")


def test_state_checks():
    st = Conv1dState()
    assert st.settings() == {"signal": [1, 2, 3, 4], "kernel": [1, 2], "padding": "valid", "flip": False, "step": 0}
    with pytest.raises(ValueError, match="cannot be longer"):
        st.apply(kernel=(1, 2, 3, 4, 5))
    st.apply(kernel=(1, 2, 3, 4, 5), padding="full")
    with pytest.raises(ValueError, match="1 to 16 numbers"):
        st.apply(signal=tuple(range(17)))
    with pytest.raises(ValueError, match="list of numbers"):
        st.apply(signal="1, 2")
    with pytest.raises(ValueError):
        st.apply(kernel=(1, float("nan")))
    assert st.kernel == (1, 2, 3, 4, 5)
