"""Every tab's evented state (Qt-free), by panel key. Adding a tab: add its state class here.

Each class is an ``@evented @dataclass`` mixing in :class:`~convviz.model.panel_state.PanelState`.
"""

from __future__ import annotations

from ..panel_state import PanelState
from .bank import BankState
from .cnn import CNNState
from .conv1d import Conv1dState
from .costs import CostsState
from .equivariance import EquivarianceState
from .filter import FilterState
from .flip import FlipState
from .learning import LearningState
from .matrix import MatrixState
from .player import PlayerState
from .pooling import PoolingState
from .spectral import SpectralState
from .transpose import TransposeState

PANEL_STATES: dict[str, type[PanelState]] = {
    "bank": BankState,
    "filter": FilterState,
    "flip": FlipState,
    "costs": CostsState,
    "matrix": MatrixState,
    "equivariance": EquivarianceState,
    "player": PlayerState,
    "pooling": PoolingState,
    "transpose": TransposeState,
    "spectral": SpectralState,
    "conv1d": Conv1dState,
    "learning": LearningState,
    "cnn": CNNState,
}

__all__ = ["PANEL_STATES", "FilterState", "FlipState", "PanelState"]
