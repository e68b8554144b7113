"""Editing one layer's filters: list (add, remove, duplicate, reorder, rename), slices, bias, activation.

The editor draws the layer it is given (:meth:`FilterEditor.set_layer`) and asks for every change
with ``layerEdited(new_layer, selected, undo_text, message)``; the panel makes it one undo step and
draws the result back. The new layer comes from :mod:`convviz.model.bank.edits`.
"""

from __future__ import annotations

import html

import numpy as np
from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...model import PRESETS, limits
from ...model.bank import (
    ACTIVATION_CHOICES,
    ACTIVATION_LABELS,
    MAX_KERNEL_SIDE,
    BankLayer,
    channel_names,
    colour_difference_filter,
    filter_from_preset,
    random_filter,
)
from ...model.bank.edits import (
    added_after,
    blank_filter,
    colour_differences,
    with_first_slice_everywhere,
    with_preset_slice,
    with_weight,
)
from ...model.bank.texts import display_name
from ..widgets import add_shortcut, named
from .slice_grid import MAX_SIDE_BY_SIDE, SliceGrid, SliceGrids

#: the filter list shows up to this many names before it scrolls
MAX_LIST_ROWS = 8


class FilterEditor(QWidget):
    """Shows one :class:`BankLayer`; every edit emits ``layerEdited(new_layer, selected, undo_text, message)``,
    a click in the list ``filterSelected(index)``."""

    layerEdited = Signal(object, int, str, str)
    filterSelected = Signal(int)
    message = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._layer: BankLayer | None = None
        self._index = 0
        self._channel = 0
        self._rng = np.random.default_rng()
        self._menu_channels = 0
        #: weights of the bank's other layers (set by whoever shows the layer): a kernel size that would
        #: take the bank over the limit is refused before the filters are made
        self.other_weights = 0

        self.list = named(QListWidget(), "bankFilterList",
                           "The filters of this layer, one feature map each. Double-click a name to rename it.",
                           "Filters")
        self.list.currentRowChanged.connect(self._row_changed)
        self.list.itemChanged.connect(self._renamed)

        self.add_button = named(QToolButton(), "bankAddFilter", "Add a filter: blank, random, a preset or a colour "
                                 "difference (Insert adds a random one)", "Add filter")
        self.add_button.setText("Add ▾")
        self.add_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.add_button.setMenu(self._add_menu())
        self.remove_button = self._button("bankRemoveFilter", "Remove", "Remove the selected filter (Delete)",
                                          self._remove, "Del")
        self.duplicate_button = self._button("bankDuplicateFilter", "Duplicate", "Duplicate the selected filter "
                                             "(Ctrl+D)", self._duplicate, "Ctrl+D")
        self.up_button = self._button("bankMoveUp", "↑", "Move the selected filter up (Alt+Up)",
                                      lambda: self._move(-1), "Alt+Up")
        self.down_button = self._button("bankMoveDown", "↓", "Move the selected filter down (Alt+Down)",
                                        lambda: self._move(1), "Alt+Down")
        buttons = QHBoxLayout()
        for b in (self.add_button, self.remove_button, self.duplicate_button, self.up_button, self.down_button):
            buttons.addWidget(b)
        buttons.addStretch(1)

        self.kernel_spin = named(QSpinBox(), "bankKernelSize", "Kernel size K of every filter in this layer "
                                  "(slices are cropped or zero-padded around the centre)", "Kernel size")
        self.kernel_spin.setRange(1, MAX_KERNEL_SIDE)
        self.kernel_spin.valueChanged.connect(self._kernel_size)
        self.activation_box = named(QComboBox(), "bankActivation",
                                     "The layer's activation σ, applied to W * x + b of every filter", "Activation")
        for a in ACTIVATION_CHOICES:
            self.activation_box.addItem(ACTIVATION_LABELS[a], a)
        self.activation_box.currentIndexChanged.connect(self._activation)
        self.bias_spin = named(QDoubleSpinBox(), "bankBias", "The selected filter's bias b, added to its whole map "
                                "before the activation", "Bias")
        self.bias_spin.setRange(-100000.0, 100000.0)
        self.bias_spin.setDecimals(3)
        self.bias_spin.setKeyboardTracking(False)
        self.bias_spin.valueChanged.connect(self._bias)
        form = QFormLayout()
        form.addRow("Kernel size K:", self.kernel_spin)
        form.addRow("Activation σ:", self.activation_box)
        form.addRow("Bias b (this filter):", self.bias_spin)

        self.same_box = named(QCheckBox("Same slice for every channel"), "bankSameSlice",
                               "When on, an edit to one channel's slice is made on every channel "
                               "(turning it on copies the first channel's slice to all)",
                              "Same slice for every channel")
        self.same_box.toggled.connect(self._same_toggled)
        self.preset_box = named(QComboBox(), "bankSlicePreset", "Replace the shown slice (or every slice when "
                                 "'same slice' is on) by a preset kernel", "Slice preset")
        self.preset_box.addItem("Set slice from preset…", None)
        for key, p in PRESETS.items():
            self.preset_box.addItem(p.name, key)
        self.preset_box.activated.connect(self._preset_chosen)
        self.channel_spin = named(QSpinBox(), "bankChannelSpin", "Which input channel's slice the grid shows",
                                   "Channel")
        self.channel_spin.valueChanged.connect(self._channel_changed)
        self.channel_label = QLabel("Channel:")
        row = QHBoxLayout()
        row.addWidget(self.preset_box, 1)
        row.addWidget(self.channel_label)
        row.addWidget(self.channel_spin)

        self.slice_grids = SliceGrids()
        self.slice_grids.weightEdited.connect(self._weight_edited)
        self.slice_grids.refused.connect(self.message)
        grid_scroll = QScrollArea()
        grid_scroll.setWidgetResizable(True)
        grid_scroll.setWidget(self.slice_grids)
        grid_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.slices_title = QLabel()
        self.slices_title.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("<b>Filters</b> (one feature map each)"))
        layout.addWidget(self.list)
        layout.addLayout(buttons)
        layout.addLayout(form)
        layout.addWidget(self.slices_title)
        layout.addWidget(self.same_box)
        layout.addLayout(row)
        layout.addWidget(grid_scroll, 1)

    def _button(self, name, text, tip, slot, shortcut):
        b = named(QPushButton(text), name, tip, tip.split(" (")[0])
        b.clicked.connect(slot)
        add_shortcut(self, shortcut, slot)
        return b

    def _add_menu(self) -> QMenu:
        menu = QMenu(self)
        menu.setObjectName("bankAddMenu")
        menu.addAction("Blank (all zeros)", self._add_blank)
        random_action = menu.addAction("Random", self._add_random)
        random_action.setShortcut(QKeySequence("Ins"))  # shown in the menu; the editor's own action fires it
        random_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)  # else "Ins" is ambiguous
        self.random_action = random_action
        add_shortcut(self, "Ins", self._add_random)
        self.colour_menu = menu.addMenu("Colour difference")
        presets = menu.addMenu("Preset (same slice on every channel)")
        presets.setObjectName("bankAddPresetMenu")
        for key, p in PRESETS.items():
            presets.addAction(p.name, lambda k=key: self.add_preset(k))
        return menu

    # -- showing ------------------------------------------------------------------
    @property
    def layer(self) -> BankLayer | None:
        return self._layer

    @property
    def current(self) -> int:
        return self._index

    def set_layer(self, layer: BankLayer, index: int | None = None, *, force: bool = False) -> None:
        """Show ``layer`` with filter ``index`` selected (emits nothing); nothing to do when both are
        already shown, unless ``force`` (after a refused edit, to take back what was typed)."""
        old = self._layer
        index = self._index if index is None else index
        index = max(0, min(index, layer.out_channels - 1))
        if layer is old and index == self._index and not force:
            return
        filter_changed = old is None or index != self._index or old.in_channels != layer.in_channels
        self._layer, self._index = layer, index
        with QSignalBlocker(self.list):
            if self.list.count() != layer.out_channels:
                self.list.clear()
                for _ in layer.filters:
                    item = QListWidgetItem()
                    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
                    self.list.addItem(item)
            for i, f in enumerate(layer.filters):
                item = self.list.item(i)
                item.setText(display_name(f.name))
                item.setToolTip(f"Stored as {f.name!r} (lessons and bank files use this name)")
            self.list.setCurrentRow(index)
        # as tall as its names (3 to 8 rows), so the slice grids below get the rest
        rows = max(3, min(layer.out_channels, MAX_LIST_ROWS))
        self.list.setFixedHeight(rows * self.list.sizeHintForRow(0) + 2 * self.list.frameWidth() + 4)
        with QSignalBlocker(self.kernel_spin):
            self.kernel_spin.setValue(layer.kernel_hw[0])
        with QSignalBlocker(self.activation_box):
            self.activation_box.setCurrentIndex(ACTIVATION_CHOICES.index(layer.activation))
        f = layer.filters[index]
        with QSignalBlocker(self.bias_spin):
            self.bias_spin.setValue(f.bias)
        if filter_changed:
            with QSignalBlocker(self.same_box):
                self.same_box.setChecked(f.in_channels > 1 and f.same_on_every_channel)
        self.same_box.setEnabled(f.in_channels > 1)
        self.remove_button.setEnabled(layer.out_channels > 1)
        self.up_button.setEnabled(index > 0)
        self.down_button.setEnabled(index < layer.out_channels - 1)
        self._rebuild_colour_menu(layer.in_channels)
        self._show_slices()

    def _rebuild_colour_menu(self, c_in: int) -> None:
        if c_in == self._menu_channels:
            return
        self._menu_channels = c_in
        self.colour_menu.clear()
        choices = colour_differences(c_in)
        self.colour_menu.setEnabled(bool(choices))
        for a, b, label in choices:
            self.colour_menu.addAction(label, lambda a=a, b=b: self._add_colour(a, b))

    def _show_slices(self) -> None:
        f = self._layer.filters[self._index]
        c_in = f.in_channels
        side_by_side = c_in <= MAX_SIDE_BY_SIDE
        self.channel_spin.setVisible(not side_by_side)
        self.channel_label.setVisible(not side_by_side)
        with QSignalBlocker(self.channel_spin):
            self.channel_spin.setRange(1, c_in)
            self._channel = min(self._channel, c_in - 1)
            self.channel_spin.setValue(self._channel + 1)
        self.slice_grids.show_filter(f, None if side_by_side else self._channel)
        kh, kw = f.kernel_hw
        self.slices_title.setText(f"<b>{html.escape(display_name(f.name))}</b>: {c_in} slice(s) of {kh}×{kw}, one "
                                  f"per input channel (weights {kh}×{kw}×{c_in}: H, W, C_in)")

    def grids(self) -> list[SliceGrid]:
        return self.slice_grids.grids()

    # -- editing: each asks the panel for one undo step ------------------------------------
    def _emit(self, layer: BankLayer, text: str, message: str = "", index: int | None = None) -> None:
        self.layerEdited.emit(layer, self._index if index is None else index, text, message)

    def _filter(self):
        return self._layer.filters[self._index]

    def _row_changed(self, row: int) -> None:
        if self._layer is not None and row >= 0 and row != self._index:
            self.filterSelected.emit(row)

    def _renamed(self, item: QListWidgetItem) -> None:
        row = self.list.row(item)
        name = item.text().strip()
        f = self._layer.filters[row]
        if not name or name in (f.name, display_name(f.name)):   # left as shown: not a new name
            with QSignalBlocker(self.list):
                item.setText(display_name(f.name))
            return
        self._emit(self._layer.with_filter(row, f.renamed(name)), "Rename filter", index=row)

    def _weight_edited(self, grid_index: int, r: int, c: int, value: float) -> None:
        f = self._filter()
        channel = grid_index if f.in_channels <= MAX_SIDE_BY_SIDE else self._channel
        new = with_weight(f, channel, r, c, value, every_channel=self.same_box.isChecked())
        self._emit(self._layer.with_filter(self._index, new), "Edit weight")

    def _same_toggled(self, on: bool) -> None:
        f = self._filter()
        if on and not f.same_on_every_channel:
            first = channel_names(f.in_channels)[0]
            self._emit(self._layer.with_filter(self._index, with_first_slice_everywhere(f)), "Same slice everywhere",
                       f"Copied the {first} slice of {f.name!r} to every channel.")

    def _preset_chosen(self, row: int) -> None:
        key = self.preset_box.itemData(row)
        with QSignalBlocker(self.preset_box):
            self.preset_box.setCurrentIndex(0)
        if key is None:
            return
        f = self._filter()
        if self.same_box.isChecked() or f.in_channels == 1:
            channel = None
        else:
            channel = self._channel if f.in_channels > MAX_SIDE_BY_SIDE else self._selected_grid()
        self._emit(self._layer.with_filter(self._index, with_preset_slice(f, key, channel)), "Slice from preset")

    def _selected_grid(self) -> int:
        """The side-by-side grid last clicked or edited (the first one otherwise)."""
        return self.slice_grids.last_grid()

    def _channel_changed(self, value: int) -> None:
        self._channel = value - 1
        self._show_slices()

    def _kernel_size(self, k: int) -> None:
        layer = self._layer
        try:
            limits.check_bank_weights(self.other_weights + k * k * layer.in_channels * layer.out_channels,
                                      what=f"With {k}×{k} filters the bank")
        except ValueError as exc:
            kh, kw = layer.kernel_hw
            with QSignalBlocker(self.kernel_spin):
                self.kernel_spin.setValue(kh)
            self.message.emit(f"{exc} The filters stay {kh}×{kw}.")
            return
        self._emit(layer.resized((k, k)), "Kernel size", f"Every filter of the layer is now {k}×{k}.")

    def _activation(self, row: int) -> None:
        self._emit(self._layer.with_activation(self.activation_box.itemData(row)), "Activation")

    def _bias(self, value: float) -> None:
        self._emit(self._layer.with_filter(self._index, self._filter().with_bias(value)), "Bias")

    def _add(self, f) -> None:
        try:
            layer, at, name = added_after(self._layer, f, self._index)
        except ValueError as exc:
            self.message.emit(str(exc))
            return
        self._emit(layer, "Add filter", f"Added {name!r}.", at)

    def _add_blank(self) -> None:
        self._add(blank_filter(self._layer))

    def _add_random(self) -> None:
        self._add(random_filter(self._rng, self._layer.kernel_hw, self._layer.in_channels))

    def add_preset(self, key: str) -> None:
        self._add(filter_from_preset(key, self._layer.in_channels, self._layer.kernel_hw))

    def _add_colour(self, a: int, b: int) -> None:
        self._add(colour_difference_filter(self._layer.in_channels, a, b, self._layer.kernel_hw))

    def _remove(self) -> None:
        if self._layer.out_channels <= 1:
            self.message.emit("A layer needs at least one filter.")
            return
        name = self._filter().name
        self._emit(self._layer.removed(self._index), "Remove filter", f"Removed {name!r}.", max(0, self._index - 1))

    def _duplicate(self) -> None:
        self._emit(self._layer.duplicated(self._index), "Duplicate filter", "", self._index + 1)

    def _move(self, step: int) -> None:
        to = self._index + step
        if 0 <= to < self._layer.out_channels:
            self._emit(self._layer.moved(self._index, to), "Move filter", "", to)
