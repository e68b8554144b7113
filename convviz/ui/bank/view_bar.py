"""The Filter bank tab's bar above the maps: which layer is shown (add, remove), and how the maps are
coloured (scale, one scale for all). It wraps instead of widening the tab; adding and removing
layers is editing chrome (hidden in presentation mode)."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QPushButton, QWidget

from ...model.bank import Network
from ...model.bank.texts import layer_choice
from ...model.colour import SCALE_LABELS, SCALES
from ..widgets import mark_editing_chrome, named
from ..widgets.flow_layout import FlowLayout


class ViewBar(QWidget):
    """Draws the shown layer and colour settings; asks with ``layerChosen(index)``, ``addLayer()``,
    ``removeLayer()``, ``scaleChosen(name)`` (a name of :data:`~convviz.model.colour.SCALES`) and
    ``sharedToggled(on)``."""

    layerChosen = Signal(int)
    addLayer = Signal()
    removeLayer = Signal()
    scaleChosen = Signal(str)
    sharedToggled = Signal(bool)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.layer_box = named(QComboBox(), "bankLayerBox", "Which layer the editor and the maps show", "Layer")
        self.layer_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)  # never cut short
        self.layer_box.currentIndexChanged.connect(lambda i: self.layerChosen.emit(i) if i >= 0 else None)
        self.add_layer_button = named(QPushButton("Add layer"), "bankAddLayer", "Add a conv layer on top: its "
                                      "input is the last layer's maps (C_in = previous C_out)", "Add layer")
        self.add_layer_button.clicked.connect(lambda _=False: self.addLayer.emit())
        self.remove_layer_button = named(QPushButton("Remove layer"), "bankRemoveLayer", "Remove the shown layer "
                                         "(layer 1 stays)", "Remove layer")
        self.remove_layer_button.clicked.connect(lambda _=False: self.removeLayer.emit())
        for b in (self.add_layer_button, self.remove_layer_button):
            mark_editing_chrome(b)
        self.scale_box = named(QComboBox(), "bankColourScale", "How the colours of a map are chosen: automatic "
                               "(maps within 0–255 drawn as the input, others over their range), as the input "
                               "(0–255), the full range, or robust (99.5 % of |values|, so a few strong values do "
                               "not wash the rest out)", "Colour scale")
        self.scale_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for key in SCALES:
            self.scale_box.addItem(SCALE_LABELS[key], key)
        self.scale_box.currentIndexChanged.connect(lambda i: self.scaleChosen.emit(self.scale_box.itemData(i)))
        self.shared_box = named(QCheckBox("One scale for all maps"), "bankSharedScale",
                                "On: every map uses the same colours for the same value, so maps can be compared. "
                                "Off: each map is scaled on its own (a blur is not drawn black beside strong edges).",
                                "Shared colour scale")
        self.shared_box.toggled.connect(self.sharedToggled)
        FlowLayout(self, centred=True).add(QLabel("Show"), self.layer_box, self.add_layer_button,
                                           self.remove_layer_button, QLabel("  Colours"), self.scale_box,
                                           self.shared_box)
        self._shown: tuple | None = None

    def show_state(self, network: Network, index: int, scale: str, shared: bool) -> None:
        """Show layer ``index`` of ``network`` chosen, and the colour settings (emits nothing)."""
        if self._shown is None or self._shown[0] is not network or self._shown[1] != index:
            self._shown = (network, index)
            with QSignalBlocker(self.layer_box):
                if self.layer_box.count() != len(network):
                    self.layer_box.clear()
                    self.layer_box.addItems([""] * len(network))
                for i, layer in enumerate(network.layers):
                    self.layer_box.setItemText(i, layer_choice(i, layer))
                self.layer_box.setCurrentIndex(index)
            self.remove_layer_button.setEnabled(index > 0)
        with QSignalBlocker(self.scale_box), QSignalBlocker(self.shared_box):
            self.scale_box.setCurrentIndex(SCALES.index(scale))
            self.shared_box.setChecked(shared)
