"""What the "Equivariance" tab writes, without Qt: each sentence says what the check's numbers show."""

import numpy as np

from convviz.model.equivariance import dense_check, equivariance_check
from convviz.model.equivariance_view import (
    border_sentence,
    conv_sentence,
    dense_sentence,
    dense_shift,
    notes,
    pooling_sentence,
)


def patch(size=40, top=15, left=15, side=10):
    img = np.zeros((size, size))
    img[top:top + side, left:left + side] = 200.0
    return img


def test_conv_sentence_exact_and_with_stride():
    c = equivariance_check(patch(), np.ones((3, 3)), 2, 3, "same")
    assert conv_sentence(c) == ("<b>Away from the border, conv(shift(x)) = shift(conv(x)): largest difference 0.</b> "
                                "Shifting then filtering gives the same picture as filtering then shifting.")
    c = equivariance_check(patch(), np.ones((3, 3)), 4, 6, "same", stride=2)
    assert conv_sentence(c).endswith("With stride 2×2 the output moves by 2, 3: the shift divided by the stride.")
    c = equivariance_check(patch(), np.array([[1.0, -1.0]]), 0, 3, "same", stride=2)
    text = conv_sentence(c)
    assert text.startswith("<b>Stride 2×2 breaks it: largest difference ") and "by 0, 1.5 pixels" in text
    assert "nearest move 0, 2" in text


def test_border_sentence_says_one_true_thing():
    """Issue #12: it said 'largest difference 0' and 'the kernel sees different numbers near the edge' together."""
    quiet = equivariance_check(patch(), np.ones((3, 3)), 0, 4, "same")      # the patch stays far from the edges
    assert quiet.border.any() and quiet.max_difference_border == 0
    text = border_sentence(quiet)
    assert text.startswith("Border (shaded in the difference): largest difference 0 here too.")
    assert "different numbers" not in text and f"{int(quiet.border.sum()):,} of 1,600 output pixels" in text
    busy = equivariance_check(patch(left=28), np.ones((3, 3)), 0, 4, "same")  # pushed across the right edge
    assert busy.max_difference_border > 0
    text = border_sentence(busy)
    # the last column sees two columns of 200s instead of three: 1,200 against 1,800
    assert "largest difference 600." in text
    assert "so the kernel sees different numbers near the edge" in text
    still = equivariance_check(patch(), np.ones((3, 3)), 0, 0, "same")
    assert border_sentence(still).startswith("No border")


def test_pooling_sentence():
    c = equivariance_check(patch(), np.ones((3, 3)), 5, -4)
    # 3×3 ones on the 200s: 9·200 = 1800, wherever the patch is
    assert "is 1800 before the shift and 1800 after it — the same number although the pattern moved." in \
        pooling_sentence(c)
    edge = equivariance_check(patch(left=30), np.ones((3, 3)), 0, 8)
    assert "pushed the strongest response off the edge" in pooling_sentence(edge)


def test_dense_sentence_and_shift():
    assert dense_shift(15, -25, 6) == (6, -6) and dense_shift(2, 3, 6) == (2, 3)
    img = patch(24, 8, 8, 8)
    d = dense_check(img, 6, 6, seed=0)
    text = dense_sentence(d, img.size, (15, 25), 6)
    assert text.startswith("Here the small picture is moved by 6, 6 (at most 6 pixels, a quarter of its side). ")
    assert "Each of the 576 outputs has its own weight for each of the 576 input pixels (331,776 weights)." in text
    assert f"they differ by <b>{100 * d.relative_mismatch:.0f} %</b>" in text
    assert "moved by" not in dense_sentence(d, img.size, (6, 6), 6)
    still = dense_sentence(dense_check(img, 0, 0), img.size, (0, 0), 6)
    assert "With no shift" in still and "differ by" not in still
    gone = dense_sentence(dense_check(img, 24, 0), img.size, (24, 0), 30)
    assert "nothing to compare" in gone


def test_notes():
    assert notes("zeros", (64, 64), (64, 64)) == ""
    assert notes("reflect", (300, 400), (256, 256)) == ("Shown with zero padding (the image uses 'reflect'). "
                                                        "Working on the centre 256×256 pixels of the image.")
