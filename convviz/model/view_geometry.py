"""Where things sit on screen, in input-pixel coordinates (pure arithmetic, no Qt).

The input image covers ``[0, W) × [0, H)``; input pixel ``(r, c)`` is the unit
square whose top-left corner is ``(x, y) = (c, r)``. The output is drawn in the
same coordinates, each output pixel centred on the centre of the kernel window
that produced it, so input and output views can be linked and stay aligned.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from ._args import as_pair
from .shapes import output_shape, padding_amounts


class Rect(NamedTuple):
    """An axis-aligned rectangle: top-left ``(x, y)``, ``width`` and ``height``."""

    x: float
    y: float
    width: float
    height: float


def padded_rect(input_hw, kernel_hw, padding="valid", *, dilation=1) -> Rect:
    """The input plus its padding: ``(−left, −top, W + left + right, H + top + bottom)``."""
    top, bottom, left, right = padding_amounts(kernel_hw, padding, dilation=dilation)
    h, w = (int(v) for v in tuple(input_hw)[:2])
    return Rect(-left, -top, w + left + right, h + top + bottom)


def output_rect(input_hw, kernel_hw, padding="valid", *, stride=1, dilation=1) -> Rect:
    """Where the output image lies over the input so each output pixel sits on its window's centre.

    Output pixel ``(i, j)`` is a ``S_h × S_w`` square centred on the centre of the kernel window
    whose top-left tap is input pixel ``(i·S_h − top, j·S_w − left)``.
    """
    kh, kw = (int(v) for v in tuple(kernel_hw)[:2])
    sh, sw = as_pair(stride, "stride", minimum=1)
    dh, dw = as_pair(dilation, "dilation", minimum=1)
    top, _bottom, left, _right = padding_amounts((kh, kw), padding, dilation=(dh, dw))
    oh, ow = output_shape(input_hw, (kh, kw), padding, stride=(sh, sw), dilation=(dh, dw))
    x0 = -left + dw * (kw - 1) / 2 + 0.5 - sw / 2
    y0 = -top + dh * (kh - 1) / 2 + 0.5 - sh / 2
    return Rect(x0, y0, ow * sw, oh * sh)


def pixel_at(x: float, y: float, rect: Rect, shape_hw) -> tuple[int, int] | None:
    """Index ``(row, col)`` of the pixel of an image of ``shape_hw`` drawn in ``rect`` under point
    ``(x, y)``, or ``None`` outside it."""
    rows, cols = (int(v) for v in tuple(shape_hw)[:2])
    if rect.width <= 0 or rect.height <= 0:
        return None
    col = math.floor((x - rect.x) * cols / rect.width)
    row = math.floor((y - rect.y) * rows / rect.height)
    if 0 <= row < rows and 0 <= col < cols:
        return row, col
    return None
