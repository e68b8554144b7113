"""model.flipping: swapping A and W, judged beyond round-off only."""

import numpy as np

from convviz.model.flipping import LECTURE_A, commutativity


def test_a_decimal_kernel_still_commutes_under_true_convolution():
    w = np.array([[0.1, 0.2, 0.3], [0.7, 0.11, 0.13], [0.17, 0.19, 0.23]])
    c = commutativity(LECTURE_A, w)
    assert c.conv_equal and c.corr_is_rotation
    assert not c.corr_equal and c.corr_differences.sum() > 0


def test_a_real_difference_is_still_a_difference():
    c = commutativity(np.array([[1.0, 2.0]]), np.array([[1.0, 3.0]]))
    assert not c.corr_equal and c.corr_differences.tolist() == [[True, False, True]]
