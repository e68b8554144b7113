"""State of the "Separable and frequency" tab: the spectra's size and crop, and the depthwise-separable layer
whose cost is compared with a standard one."""

from __future__ import annotations

from dataclasses import dataclass

from psygnal import evented

from ..panel_state import PanelState, choice, whole_number

#: side of the grid the kernel's frequency response is drawn on
RESPONSE_SIZES = (16, 32, 64, 128)
#: side of the centre crop of the image whose spectra are shown (the convolution theorem)
MIN_SPECTRUM_CROP, MAX_SPECTRUM_CROP, DEFAULT_SPECTRUM_CROP = 16, 512, 128
MAX_SIDE = 100_000
MAX_CHANNELS = 4096
MAX_LAYER_KERNEL = 15
MAX_MULTIPLIER = 16
#: MobileNet's example: a 112×112×32 input, 64 filters of 3×3, "same" padding, no bias
MOBILENET = dict(h=112, w=112, c=32, k=3, filters=64, multiplier=1, bias=False)


@evented
@dataclass
class SpectralState(PanelState):
    """``response_size``: one of :data:`RESPONSE_SIZES`; ``crop``: side of the image crop whose spectra are
    shown; ``h``, ``w``, ``c``: the layer's input; ``k``: its square kernel; ``filters``: its outputs;
    ``multiplier``: depthwise filters per input channel; ``bias``: every layer has biases. The layer uses
    "same" padding and stride 1."""

    response_size: int = 64
    crop: int = DEFAULT_SPECTRUM_CROP
    h: int = MOBILENET["h"]
    w: int = MOBILENET["w"]
    c: int = MOBILENET["c"]
    k: int = MOBILENET["k"]
    filters: int = MOBILENET["filters"]
    multiplier: int = MOBILENET["multiplier"]
    bias: bool = False

    def _check_response_size(self, value):
        return choice(whole_number(value, "response size", 1, max(RESPONSE_SIZES)), RESPONSE_SIZES,
                      "response size")

    def _check_crop(self, value):
        return whole_number(value, "spectrum crop", MIN_SPECTRUM_CROP, MAX_SPECTRUM_CROP)

    def _check_h(self, value):
        return whole_number(value, "input height", 1, MAX_SIDE)

    def _check_w(self, value):
        return whole_number(value, "input width", 1, MAX_SIDE)

    def _check_c(self, value):
        return whole_number(value, "number of input channels", 1, MAX_CHANNELS)

    def _check_k(self, value):
        return whole_number(value, "kernel size", 1, MAX_LAYER_KERNEL)

    def _check_filters(self, value):
        return whole_number(value, "number of filters", 1, MAX_CHANNELS)

    def _check_multiplier(self, value):
        return whole_number(value, "depth multiplier", 1, MAX_MULTIPLIER)

    def _check_bias(self, value):
        return bool(value)

    def layer(self) -> tuple[tuple[int, int, int], int, int]:
        """``(input_shape, kernel_size, filters)`` for :func:`~convviz.model.costs.separable_costs`."""
        return (self.h, self.w, self.c), self.k, self.filters
