"""State of the "Transposed conv" tab: which input and kernel scatter, the settings, the step and the
checkerboard demonstration's kernel.

The step position (``step``) moves directly (stepping is not an undoable edit, as in the player);
every other field is a setting changed through the undo stack.
"""

from __future__ import annotations

from dataclasses import dataclass

from psygnal import evented

from ..panel_state import PanelState, choice, whole_number

#: the input that is scattered: a small integer example, or a small crop of the image's luminance
TRANSPOSE_INPUTS = {"example": "2×2 example", "image": "4×4 crop of the image"}
#: the kernel: a small integer example, or the document's kernel
TRANSPOSE_KERNELS = {"example": "3×3 example", "document": "the Filter tab's kernel"}
#: the checkerboard demonstration's 3×3 kernel: all ones (uneven overlaps) or bilinear (they even out)
CHECKER_KERNELS = {"ones": "3×3 of ones (uneven overlaps)", "bilinear": "3×3 bilinear (overlaps even out)"}
MAX_T_STRIDE = 4
MAX_T_PADDING = 4
MAX_T_DILATION = 3
_BIG = 2 ** 31 - 1


@evented
@dataclass
class TransposeState(PanelState):
    """``input``/``kernel``: keys of :data:`TRANSPOSE_INPUTS` / :data:`TRANSPOSE_KERNELS`; ``stride``,
    ``padding``, ``output_padding``, ``dilation``: as :func:`~convviz.model.conv_transpose` (output padding
    smaller than the stride or the dilation); ``step``: the input pixel scattering (row-major, clamped when
    shown); ``checker``: a key of :data:`CHECKER_KERNELS`."""

    input: str = "example"
    kernel: str = "example"
    stride: int = 2
    padding: int = 0
    output_padding: int = 0
    dilation: int = 1
    step: int = 0
    checker: str = "ones"

    def _check_input(self, value):
        return choice(value, tuple(TRANSPOSE_INPUTS), "input")

    def _check_kernel(self, value):
        return choice(value, tuple(TRANSPOSE_KERNELS), "kernel")

    def _check_stride(self, value):
        return whole_number(value, "stride", 1, MAX_T_STRIDE)

    def _check_padding(self, value):
        return whole_number(value, "padding", 0, MAX_T_PADDING)

    def _check_output_padding(self, value):
        return whole_number(value, "output padding", 0, MAX_T_STRIDE - 1)

    def _check_dilation(self, value):
        return whole_number(value, "dilation", 1, MAX_T_DILATION)

    def _check_step(self, value):
        return whole_number(value, "step", 0, _BIG)

    def _check_checker(self, value):
        return choice(value, tuple(CHECKER_KERNELS), "checkerboard kernel")

    def _check_all(self, new: dict) -> None:
        op, s, d = new["output_padding"], new["stride"], new["dilation"]
        if op >= s and op >= d:
            raise ValueError(f"Output padding {op} must be smaller than the stride ({s}) or the dilation ({d}).")

    def transpose_kwargs(self) -> dict:
        """Keyword arguments for :func:`~convviz.model.conv_transpose`."""
        return dict(stride=self.stride, padding=self.padding, output_padding=self.output_padding,
                    dilation=self.dilation)
