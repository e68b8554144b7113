"""convviz: see and teach image convolution.

The mathematics lives in :mod:`convviz.model` (pure NumPy), files in
:mod:`convviz.io`, and the desktop window in :mod:`convviz.ui` (PySide6).
"""

__version__ = "0.1.0"
