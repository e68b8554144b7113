"""The mathematics of convviz, in pure NumPy (no Qt): usable from scripts and notebooks.

>>> import numpy as np
>>> from convviz.model import correlate
>>> correlate(np.array([[0, 10, 10, 0], [20, 30, 30, 20], [10, 20, 20, 10], [0, 5, 5, 0]]),
...           np.array([[1, 0], [0, 2]]))[0].tolist()
[60.0, 70.0, 50.0]
"""

from .colour import COLORMAP_STOPS, display_levels, display_rgb, lookup_table
from .costs import LayerCosts, layer_costs
from .document import ConvDocument
from .engine import convolve, correlate
from .filtering import filter_image, to_gray
from .frequency import frequency_response
from .layer import ACTIVATIONS, apply_activation, conv_layer
from .learning import mse_loss_grad
from .matrix import conv_matrix
from .pooling import pool
from .presets import PRESETS, Preset, gaussian
from .separable import separate
from .shapes import output_shape, output_size_formula, padding_amounts
from .similarity import cosine_similarity, dot, norm, pearson
from .stepping import Step, StepSequence, format_number, steps
from .transpose import conv_transpose

__all__ = [
    "ACTIVATIONS", "COLORMAP_STOPS", "ConvDocument", "LayerCosts", "PRESETS", "Preset", "Step",
    "StepSequence", "apply_activation", "conv_layer", "conv_matrix", "conv_transpose", "convolve", "correlate",
    "cosine_similarity", "display_levels", "display_rgb", "dot", "filter_image", "format_number", "frequency_response",
    "gaussian", "layer_costs", "lookup_table", "mse_loss_grad", "norm", "output_shape",
    "output_size_formula", "padding_amounts", "pearson", "pool", "separate", "steps", "to_gray",
]
