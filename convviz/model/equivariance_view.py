"""What the "Equivariance" tab writes, Qt-free: each sentence states what the numbers of
:func:`~convviz.model.equivariance.equivariance_check` and :func:`~convviz.model.equivariance.dense_check` show.
``<b>`` marks what the tab shows in bold.
"""

from __future__ import annotations

import numpy as np

from .equivariance import DenseCheck, EquivarianceCheck
from .stepping import format_number


def dense_shift(dy: int, dx: int, limit: int) -> tuple[int, int]:
    """The dense row's shift: ``(dy, dx)`` kept within ``±limit`` (its picture is small)."""
    return int(np.clip(dy, -limit, limit)), int(np.clip(dx, -limit, limit))


def conv_sentence(c: EquivarianceCheck) -> str:
    """Does ``conv(shift(x)) = shift(conv(x))`` hold away from the border, and why (not)?"""
    inside = format_number(c.max_difference_inside)
    (sy, sx), (oy, ox) = c.stride, c.output_shift
    if c.exact:
        moved = "" if c.stride == (1, 1) else (
            f" With stride {sy}×{sx} the output moves by {oy}, {ox}: the shift divided by the stride.")
        return (f"<b>Away from the border, conv(shift(x)) = shift(conv(x)): largest difference {inside}.</b> "
                f"Shifting then filtering gives the same picture as filtering then shifting.{moved}")
    return (f"<b>Stride {sy}×{sx} breaks it: largest difference {inside} away from the border.</b> "
            f"The output would have to move by {format_number(c.shift[0] / sy)}, "
            f"{format_number(c.shift[1] / sx)} pixels, but it can only move by whole pixels; compared here "
            f"with the nearest move {oy}, {ox}. Equivariance holds only for shifts that are multiples of the stride.")


def border_sentence(c: EquivarianceCheck) -> str:
    """What happens at the border (shaded in the difference): only claims the kernel sees different
    numbers there when the two pictures do differ there."""
    n, total = int(c.border.sum()), int(c.border.size)
    if n == 0:
        return "No border: with this shift no pixel leaves the frame, so the two pictures agree everywhere."
    count = f"{n:,} of {total:,} output pixels are in the border."
    largest = format_number(c.max_difference_border)
    if c.max_difference_border == 0:
        return (f"Border (shaded in the difference): largest difference {largest} here too. The shift pushed "
                "pixels off the edge and brought in zeros, but with this picture and kernel that changes no "
                f"sum, so the border agrees as well; on another picture it need not. {count}")
    return (f"Border (shaded in the difference): largest difference {largest}. There the shift pushed pixels "
            f"off the edge and brought in zeros, so the kernel sees different numbers near the edge. {count}")


def notes(padding_mode: str, image_hw, crop_hw) -> str:
    """Where the tab differs from the Filter view: zero padding, and a centre crop of a larger image."""
    out = []
    if padding_mode != "zeros":
        out.append(f"Shown with zero padding (the image uses '{padding_mode}').")
    if image_hw[0] > crop_hw[0] or image_hw[1] > crop_hw[1]:
        out.append(f"Working on the centre {crop_hw[0]}×{crop_hw[1]} pixels of the image.")
    return " ".join(out)


def pooling_sentence(c: EquivarianceCheck) -> str:
    """Pooling the whole map: the same largest value before and after the shift, or why not."""
    if c.pooled_input == c.pooled_shifted:
        why = " — the same number although the pattern moved."
    elif not c.exact:
        why = " (different here: with this stride the kernel lands on other pixels)."
    else:
        why = " (different here because the shift pushed the strongest response off the edge)."
    return ("<b>From equivariance to invariance.</b> Pooling sums a region up in one number, for example its "
            f"largest value. The largest value of the whole map is {format_number(c.pooled_input)} before the "
            f"shift and {format_number(c.pooled_shifted)} after it{why} Convolution makes the maps move with the "
            "input (equivariance); pooling then makes the result stop caring where the pattern was (invariance).")


def dense_sentence(d: DenseCheck, n_pixels: int, shift: tuple[int, int], limit: int) -> str:
    """The dense layer's weight count and how far ``dense(shift(x))`` is from ``shift(dense(x))``;
    says so when the dense row's shift was cut to ``±limit`` (``shift`` is the tab's own)."""
    moved = ""
    if tuple(d.shift) != tuple(shift):
        moved = (f"Here the small picture is moved by {d.shift[0]}, {d.shift[1]} "
                 f"(at most {limit} pixels, a quarter of its side). ")
    weights = (f"Each of the {n_pixels:,} outputs has its own weight for each of the {n_pixels:,} input "
               f"pixels ({n_pixels * n_pixels:,} weights). ")
    if tuple(d.shift) == (0, 0):
        return (moved + weights + "With no shift, dense(shift(x)) is dense(x): move the input to see that a "
                "dense layer's output does not move with it.")
    if np.isnan(d.relative_mismatch):
        differ = "the shift moves the whole picture out of the frame, so there is nothing to compare"
    else:
        differ = f"they differ by <b>{100 * d.relative_mismatch:.0f} %</b> of the output's largest value"
    return (moved + weights + f"dense(shift(x)) is not shift(dense(x)): {differ}. Moving the input gives a "
            "different pattern, not a moved copy, so a dense layer must learn a pattern separately at every "
            "position.")
