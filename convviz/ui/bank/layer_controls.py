"""The left side of the Filter bank tab: which layer is shown (add, remove), how it slides, and its
filters (:class:`~.filter_editor.FilterEditor`)."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QLabel, QPushButton, QSpinBox, QVBoxLayout, QWidget

from ...model.bank import LayerSettings, Network
from ...model.bank.texts import follow_text, layer_choice
from ..widgets import named
from .filter_editor import FilterEditor

PADDINGS = ("valid", "same", "full")
MAX_LAYER_STRIDE = 8


class LayerControls(QWidget):
    """Draws a network's shown layer; asks with ``layerChosen(index)``, ``addLayer()``, ``removeLayer()``
    and ``settingsEdited(padding, stride)`` (layers after the first; layer 1 follows the Filter view)."""

    layerChosen = Signal(int)
    addLayer = Signal()
    removeLayer = Signal()
    settingsEdited = Signal(str, int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.layer_box = named(QComboBox(), "bankLayerBox", "Which layer the editor and the maps show", "Layer")
        self.layer_box.currentIndexChanged.connect(lambda i: self.layerChosen.emit(i) if i >= 0 else None)
        self.add_layer_button = named(QPushButton("Add layer"), "bankAddLayer", "Add a conv layer on top: its "
                                      "input is the last layer's maps (C_in = previous C_out)", "Add layer")
        self.add_layer_button.clicked.connect(lambda _=False: self.addLayer.emit())
        self.remove_layer_button = named(QPushButton("Remove layer"), "bankRemoveLayer", "Remove the shown layer "
                                         "(layer 1 stays)", "Remove layer")
        self.remove_layer_button.clicked.connect(lambda _=False: self.removeLayer.emit())
        layer_row = QHBoxLayout()              # the box gets the whole width: its entries say what each layer reads
        layer_row.addWidget(self.add_layer_button)
        layer_row.addWidget(self.remove_layer_button)
        layer_row.addStretch(1)
        self.follow_label = QLabel()
        self.follow_label.setWordWrap(True)
        self.layer_padding = named(QComboBox(), "bankLayerPadding", "Padding of this layer (layer 1 follows the "
                                   "Filter view)", "Layer padding")
        for p in PADDINGS:
            self.layer_padding.addItem(p, p)
        self.layer_padding.currentIndexChanged.connect(self._settings_edited)
        self.layer_stride = named(QSpinBox(), "bankLayerStride", "Stride of this layer", "Layer stride")
        self.layer_stride.setRange(1, MAX_LAYER_STRIDE)
        self.layer_stride.valueChanged.connect(self._settings_edited)
        self.settings_form = QWidget()
        form = QFormLayout(self.settings_form)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Padding:", self.layer_padding)
        form.addRow("Stride:", self.layer_stride)
        self.filter_editor = FilterEditor()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 4, 0)
        layout.addWidget(self.layer_box)
        layout.addLayout(layer_row)
        layout.addWidget(self.follow_label)
        layout.addWidget(self.settings_form)
        layout.addWidget(self.filter_editor, 1)
        self._shown: tuple | None = None

    def show_layer(self, network: Network, index: int, selected: int, first: LayerSettings) -> None:
        """Show layer ``index`` of ``network`` with filter ``selected``; layer 1 slides as ``first`` says."""
        if self._shown is None or self._shown[0] is not network or self._shown[1:] != (index, first):
            self._shown = (network, index, first)
            with QSignalBlocker(self.layer_box):
                if self.layer_box.count() != len(network):
                    self.layer_box.clear()
                    self.layer_box.addItems([""] * len(network))
                for i, layer in enumerate(network.layers):
                    self.layer_box.setItemText(i, layer_choice(i, layer))
                self.layer_box.setCurrentIndex(index)
            self.remove_layer_button.setEnabled(index > 0)
            self.follow_label.setText(follow_text(index, network, first))
            self.settings_form.setVisible(index > 0)
            if index > 0:
                s = network[index].settings
                with QSignalBlocker(self.layer_padding), QSignalBlocker(self.layer_stride):
                    self.layer_padding.setCurrentIndex(PADDINGS.index(s.padding) if s.padding in PADDINGS else 0)
                    self.layer_stride.setValue(s.stride[0])
        self.filter_editor.other_weights = network.weight_count - network[index].weight_count
        self.filter_editor.set_layer(network[index], selected)

    def _settings_edited(self, *_) -> None:
        self.settingsEdited.emit(self.layer_padding.currentData(), self.layer_stride.value())
