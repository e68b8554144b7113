"""The left column of the Filter bank tab: how the shown layer slides and its filters
(:class:`~.filter_editor.FilterEditor`). All of it is editing chrome: presentation mode hides the
column so the maps get the width (the layer is chosen in :class:`~.view_bar.ViewBar`)."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from ...model.bank import LayerSettings, Network
from ...model.bank.filters import channel_names
from ...model.bank.groups import group_choices, groups_lines, groups_note
from ...model.bank.texts import display_names, follow_text
from ..widgets import mark_editing_chrome, named
from .filter_editor import FilterEditor

PADDINGS = ("valid", "same", "full")
MAX_LAYER_STRIDE = 8


class LayerControls(QWidget):
    """Draws a network's shown layer; asks with ``settingsEdited(padding, stride)`` (layers after the
    first; layer 1 follows the Filter view) and, through :attr:`filter_editor`, for filter edits."""

    settingsEdited = Signal(str, int)
    groupsEdited = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        mark_editing_chrome(self)
        self.setObjectName("bankEditorColumn")
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
        self.layer_groups = named(QComboBox(), "bankGroups", "Convolution groups of this layer, from 1 (standard: "
                                  "every filter sees every input channel) to C_in (depthwise: one channel each). Only "
                                  "numbers dividing both C_in and C_out are offered: the channels are split into equal "
                                  "blocks and each block needs the same number of filters.", "Groups")
        self.layer_groups.currentIndexChanged.connect(self._groups_edited)
        self.groups_label = named(QLabel(), "bankGroupsSeen", "Which input channels each filter sees; its weights "
                                  "are sliced to those channels (conv_layer groups)", "Channels each filter sees")
        self.groups_label.setWordWrap(True)
        self.settings_form = QWidget()
        form = QFormLayout(self.settings_form)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Padding:", self.layer_padding)
        form.addRow("Stride:", self.layer_stride)
        self.filter_editor = FilterEditor()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 4, 0)
        layout.addWidget(self.follow_label)
        layout.addWidget(self.settings_form)
        groups_row = QFormLayout()
        groups_row.setContentsMargins(0, 0, 0, 0)
        groups_row.addRow("Groups:", self.layer_groups)
        layout.addLayout(groups_row)
        layout.addWidget(self.groups_label)
        layout.addWidget(self.filter_editor, 1)
        self._shown: tuple | None = None

    def show_layer(self, network: Network, index: int, selected: int, first: LayerSettings, groups: int = 1
                   ) -> None:
        """Show layer ``index`` of ``network`` with filter ``selected`` and ``groups``; layer 1 slides as
        ``first`` says."""
        self._show_groups(network, index, groups)
        if self._shown is None or self._shown[0] is not network or self._shown[1:] != (index, first):
            self._shown = (network, index, first)
            self.follow_label.setText(follow_text(index, network, first))
            self.settings_form.setVisible(index > 0)
            if index > 0:
                s = network[index].settings
                with QSignalBlocker(self.layer_padding), QSignalBlocker(self.layer_stride):
                    self.layer_padding.setCurrentIndex(PADDINGS.index(s.padding) if s.padding in PADDINGS else 0)
                    self.layer_stride.setValue(s.stride[0])
        self.filter_editor.other_weights = network.weight_count - network[index].weight_count
        self.filter_editor.set_layer(network[index], selected)

    def _show_groups(self, network: Network, index: int, groups: int) -> None:
        layer = network[index]
        choices = group_choices(layer.in_channels, layer.out_channels)
        with QSignalBlocker(self.layer_groups):
            if [self.layer_groups.itemData(i) for i in range(self.layer_groups.count())] != choices:
                self.layer_groups.clear()
                for g in choices:
                    label = "1 (standard)" if g == 1 else f"{g} (depthwise)" if g == layer.in_channels else str(g)
                    self.layer_groups.addItem(label, g)
            self.layer_groups.setCurrentIndex(choices.index(groups) if groups in choices else 0)
        names = channel_names(layer.in_channels) if index == 0 else \
            tuple(f"{i + 1}. {n}" for i, n in enumerate(display_names(network[index - 1].names)))
        text = groups_note(layer, groups)
        if groups > 1:
            text += " Sees: " + "; ".join(groups_lines(layer, groups, names))
        self.groups_label.setText(text)

    def _groups_edited(self, *_) -> None:
        g = self.layer_groups.currentData()
        if g is not None:
            self.groupsEdited.emit(int(g))

    def _settings_edited(self, *_) -> None:
        self.settingsEdited.emit(self.layer_padding.currentData(), self.layer_stride.value())
