"""The tabs beside the Filter tab, in order. Adding a tab is one line here.

Each entry is a :class:`~convviz.ui.panel.Panel` subclass; its ``key`` (objectName of the tab,
QSettings, lessons and sessions), ``title`` (tab text) and ``shortcut`` (View menu) are class
attributes. The window builds a panel when its tab is first shown, as
``cls(workspace, page, editor=editor)``.
"""

from __future__ import annotations

from .bank.panel import BankPanel
from .cnn.panel import CNNPanel
from .conv1d.panel import Conv1dPanel
from .costs.panel import CostPanel
from .equivariance.panel import EquivariancePanel
from .flip.panel import FlipPanel
from .learning.panel import LearningPanel
from .matrix.panel import MatrixPanel
from .panel import Panel
from .player.panel import PlayerPanel
from .pooling.panel import PoolingPanel
from .spectral.panel import SpectralPanel
from .transpose.panel import TransposePanel

PANELS: list[type[Panel]] = [
    PlayerPanel,        # Step through, Ctrl+2
    BankPanel,          # Filter bank, Ctrl+3
    CostPanel,          # Costs, Ctrl+4
    MatrixPanel,        # As a matrix, Ctrl+5
    EquivariancePanel,  # Equivariance, Ctrl+6
    FlipPanel,          # Correlation vs convolution, Ctrl+7
    LearningPanel,      # Learned filters, Ctrl+8
    CNNPanel,           # Learn from labels, Ctrl+Alt+L
    PoolingPanel,       # Pooling, Ctrl+9
    TransposePanel,     # Transposed conv, Ctrl+Alt+1
    SpectralPanel,      # Separable and frequency, Ctrl+Alt+2
    Conv1dPanel,        # 1-D, Ctrl+Alt+3
]


def panel_classes() -> list[type[Panel]]:
    """The tab classes in order (the window reads this when it is built; tests may replace it)."""
    return list(PANELS)
