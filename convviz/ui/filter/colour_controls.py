"""How the output is coloured: colour map, levels, and "clip to 0–255 as an image editor would".

A view of :class:`~convviz.model.states.FilterState`: every change is an undoable state edit
(through ``edit(text, **changes)``), and :meth:`ColourControls.show_state` writes the state
back into the widgets with their signals blocked. The choice of levels and map for an output
is :func:`convviz.model.filter_output.output_display`.
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout, QHBoxLayout, QPushButton, QWidget

from convviz.model import COLORMAP_STOPS
from convviz.model.colour import DIVERGING, SCALE_LABELS, SCALES
from convviz.model.filter_output import output_display

from ..widgets import named

LEVEL_LIMIT = 1e12


class ColourControls(QWidget):
    """Colour map and levels of the output view, bound to ``state`` (a FilterState); ``edit(text, **changes)``
    makes one undoable change of it."""

    def __init__(self, state, edit, parent=None):
        super().__init__(parent)
        self.setObjectName("colourControls")
        self.state, self._edit = state, edit
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)

        self.map_box = QComboBox(self)
        self.map_box.setObjectName("colourMapBox")
        self.map_box.setAccessibleName("Output colour map")
        self.map_box.setToolTip("Colours of a grey output: automatic uses a diverging map centred on 0 "
                                "for signed values and grey otherwise")
        self.map_box.addItem("automatic", None)
        for name in COLORMAP_STOPS:
            self.map_box.addItem(name.replace("_", " ") + (" (diverging)" if name in DIVERGING else ""), name)
        self.map_box.currentIndexChanged.connect(
            lambda i: self._edit("Colour map", colormap=self.map_box.itemData(i), levels=None))
        form.addRow("Colour &map", self.map_box)

        self.scale_box = named(QComboBox(self), "scaleBox",
                               "How the automatic levels are chosen: automatic draws outputs within 0–255 on the "
                               "input's scale (the identity shows the picture unchanged); robust uses the 99.5th "
                               "percentile of |value|, so a few strong edges do not wash out the rest",
                               "Output scale")
        for key in SCALES:
            self.scale_box.addItem(SCALE_LABELS[key], key)
        self.scale_box.currentIndexChanged.connect(
            lambda i: self._edit("Output scale", scale=self.scale_box.itemData(i), levels=None))
        form.addRow("&Scale", self.scale_box)

        self.clip_check = QCheckBox("Clip to 0–255 as an image editor would", self)
        self.clip_check.setObjectName("clipCheck")
        self.clip_check.setAccessibleName("Clip output to 0 to 255")
        self.clip_check.setToolTip("Show values below 0 as black and above 255 as white, "
                                   "as a photo editor saving the result would")
        self.clip_check.toggled.connect(lambda on: self._edit("Clip to 0–255", clip=on, levels=None))
        form.addRow(self.clip_check)

        self.low_spin = self._level_spin("levelLowSpin", "Lowest level: values at or below it get the first colour")
        self.high_spin = self._level_spin("levelHighSpin", "Highest level: values at or above it get the last colour")
        self.auto_button = QPushButton("&Auto", self)
        self.auto_button.setObjectName("autoLevelsButton")
        self.auto_button.setAccessibleName("Automatic levels")
        self.auto_button.setToolTip("Back to automatic levels: symmetric around 0 for signed values, "
                                    "0 to max otherwise")
        self.auto_button.clicked.connect(self.auto_levels)
        row = QHBoxLayout()
        row.addWidget(self.low_spin, 1)
        row.addWidget(self.high_spin, 1)
        row.addWidget(self.auto_button)
        form.addRow("Levels", row)

    def _level_spin(self, name, tip):
        spin = named(QDoubleSpinBox(self), name, tip, tip.split(":")[0])
        spin.setRange(-LEVEL_LIMIT, LEVEL_LIMIT)
        spin.setDecimals(3)
        spin.setKeyboardTracking(False)
        spin.valueChanged.connect(self._spin_changed)
        return spin

    # -- state -----------------------------------------------------------------------------
    @property
    def colormap(self) -> str | None:
        return self.state.colormap

    @property
    def clip(self) -> bool:
        return self.state.clip

    @property
    def manual_levels(self) -> tuple[float, float] | None:
        return self.state.levels

    def show_state(self) -> None:
        """Write the state into the widgets (signals blocked: no echo)."""
        with QSignalBlocker(self.map_box), QSignalBlocker(self.clip_check), QSignalBlocker(self.scale_box):
            self.map_box.setCurrentIndex(max(0, self.map_box.findData(self.state.colormap)))
            self.scale_box.setCurrentIndex(max(0, self.scale_box.findData(self.state.scale)))
            self.clip_check.setChecked(self.state.clip)
        if self.state.levels:
            self.show_levels(self.state.levels)

    def choose(self, values, auto_levels=None) -> tuple[tuple[float, float], str]:
        """Levels and colour-map name for ``values`` with the user's choices; shows the levels."""
        levels, name = output_display(values, auto_levels, colormap=self.state.colormap, clip=self.state.clip,
                                      levels=self.state.levels, scale=self.state.scale)
        self.show_levels(levels)
        return levels, name

    def show_levels(self, levels) -> None:
        for spin, value in zip((self.low_spin, self.high_spin), levels):
            with QSignalBlocker(spin):
                spin.setValue(float(value))

    def set_manual_levels(self, low: float, high: float) -> None:
        """Fix the levels (e.g. dragged on the colour bar) until Auto is pressed."""
        if high > low:
            self._edit("Output levels", levels=(float(low), float(high)))

    def auto_levels(self) -> None:
        self._edit("Automatic levels", levels=None)

    def _spin_changed(self, _value) -> None:
        self.set_manual_levels(self.low_spin.value(), self.high_spin.value())
