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
    PanelSpec("costs", "Costs", "convviz.ui.costs.panel:CostPanel", "Ctrl+4"),
    PanelSpec("matrix", "As a matrix", "convviz.ui.matrix.panel:MatrixPanel", "Ctrl+5"),
    PanelSpec("equivariance", "Equivariance", "convviz.ui.equivariance.panel:EquivariancePanel", "Ctrl+6"),
    PanelSpec("flip", "Correlation vs convolution", "convviz.ui.flip.panel:FlipPanel", "Ctrl+7"),
    PanelSpec("learning", "Learned filters", "convviz.ui.learning.panel:LearningPanel", "Ctrl+8"),
    PanelSpec("cnn", "Learn from labels", "convviz.ui.cnn.panel:CNNPanel", "Ctrl+Alt+L"),
    PanelSpec("pooling", "Pooling", "convviz.ui.pooling.panel:PoolingPanel", "Ctrl+9"),
    PanelSpec("transpose", "Transposed conv", "convviz.ui.transpose.panel:TransposePanel", "Ctrl+Alt+1"),
    PanelSpec("spectral", "Separable and frequency", "convviz.ui.spectral.panel:SpectralPanel", "Ctrl+Alt+2"),
    PanelSpec("conv1d", "1-D", "convviz.ui.conv1d.panel:Conv1dPanel", "Ctrl+Alt+3"),
]


def panel_class(spec: PanelSpec) -> type:
    """Import ``spec.target`` (``"package.module:Class"``) and return the class, with ``key``, ``title``
    and ``shortcut`` set from ``spec``. Transitional: a class that is not yet a
    :class:`~convviz.ui.panel.Panel` (built as ``cls(document, parent)``) is wrapped so the window
    builds every tab the same way, ``cls(workspace, parent, editor=editor)``."""
    import importlib

    from .panel import Panel

    module_name, _, class_name = spec.target.partition(":")
    if not module_name or not class_name:
        raise ImportError(f"Panel {spec.key!r}: target {spec.target!r} is not 'module:Class'.")
    module = importlib.import_module(module_name)
    try:
        cls = getattr(module, class_name)
    except AttributeError:
        raise ImportError(f"Panel {spec.key!r}: {module_name} has no {class_name}.") from None
    if isinstance(cls, type) and issubclass(cls, Panel):
        return cls
    original = cls

    def __init__(self, workspace, parent=None, editor=None):
        original.__init__(self, workspace.document, parent)

    return type(cls.__name__, (cls,), {"__init__": __init__, "key": spec.key, "title": spec.title,
                                       "shortcut": spec.shortcut})


def panel_classes() -> list[type]:
    """The tab classes in order; a panel whose module cannot be imported is logged and left out."""
    import logging

    out = []
    for spec in PANELS:
        try:
            out.append(panel_class(spec))
        except Exception:  # a broken panel must not take the window down
            logging.getLogger(__name__).exception("convviz: the %r panel (%s) could not be loaded; it is left out",
                                                  spec.key, spec.target)
    return out
