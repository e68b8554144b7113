"""The panels the main window shows as tabs beside the Filter view, in order.

Each entry names a QWidget class by import path; the window constructs it as
``cls(document, parent)`` where ``document`` is the window's
:class:`convviz.model.ConvDocument`. Adding a panel is one line here.
"""

from __future__ import annotations

from typing import NamedTuple


class PanelSpec(NamedTuple):
    key: str        # stable id, used for objectName of the tab, QSettings and lessons
    title: str      # tab text
    target: str     # "module:Class"
    shortcut: str   # View-menu shortcut, e.g. "Ctrl+2"


PANELS: list[PanelSpec] = [
    PanelSpec("player", "Step through", "convviz.ui.player.panel:PlayerPanel", "Ctrl+2"),
    PanelSpec("bank", "Filter bank", "convviz.ui.bank.panel:BankPanel", "Ctrl+3"),
    PanelSpec("costs", "Costs", "convviz.ui.costs_panel:CostPanel", "Ctrl+4"),
    PanelSpec("matrix", "As a matrix", "convviz.ui.matrix_panel:MatrixPanel", "Ctrl+5"),
    PanelSpec("equivariance", "Equivariance", "convviz.ui.equivariance_panel:EquivariancePanel", "Ctrl+6"),
    PanelSpec("flip", "Correlation vs convolution", "convviz.ui.flip.panel:FlipPanel", "Ctrl+7"),
    PanelSpec("learning", "Learned filters", "convviz.ui.learning.panel:LearningPanel", "Ctrl+8"),
]


def panel_class(spec: PanelSpec) -> type:
    """Import ``spec.target`` (``"package.module:Class"``) and return the class.

    Raises ``ImportError`` (or whatever the module raises while importing) when it
    cannot be loaded; the window logs that and leaves the panel out.
    """
    import importlib

    module_name, _, class_name = spec.target.partition(":")
    if not module_name or not class_name:
        raise ImportError(f"Panel {spec.key!r}: target {spec.target!r} is not 'module:Class'.")
    module = importlib.import_module(module_name)
    try:
        return getattr(module, class_name)
    except AttributeError:
        raise ImportError(f"Panel {spec.key!r}: {module_name} has no {class_name}.") from None
