"""How the output is coloured: colour map, levels, and "clip to 0–255 as an image editor would".

The choice itself is :func:`convviz.model.display_levels` (symmetric levels for
signed values, ``0…max`` otherwise, ``0…255`` when clipping) and the model's
default maps (diverging for signed values, grey otherwise); this panel only lets
the user override them.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout, QHBoxLayout, QPushButton, QWidget

from convviz.model import COLORMAP_STOPS, display_levels
from convviz.model.colour import DEFAULT_DIVERGING, DEFAULT_SEQUENTIAL, DIVERGING

LEVEL_LIMIT = 1e12


class ColourControls(QWidget):
    """Colour map and levels of the output view. ``changed`` fires on any user change."""

    changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("colourControls")
        self.manual_levels: tuple[float, float] | None = None
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
        self.map_box.activated.connect(lambda _i: self.changed.emit())
        form.addRow("Colour &map", self.map_box)

        self.clip_check = QCheckBox("Clip to 0–255 as an image editor would", self)
        self.clip_check.setObjectName("clipCheck")
        self.clip_check.setAccessibleName("Clip output to 0 to 255")
        self.clip_check.setToolTip("Show values below 0 as black and above 255 as white, "
                                   "as a photo editor saving the result would")
        self.clip_check.toggled.connect(self._clip_toggled)
        form.addRow(self.clip_check)

        self.low_spin = self._level_spin("levelLowSpin", "Lowest level: values at or below it get the first colour")
        self.high_spin = self._level_spin("levelHighSpin", "Highest level: values at or above it get the last colour")
        self.auto_button = QPushButton("&Auto", self)
        self.auto_button.setObjectName("autoLevelsButton")
        self.auto_button.setAccessibleName("Automatic levels")
        self.auto_button.setToolTip("Back to automatic levels: symmetric around 0 for signed values, 0 to max otherwise")
        self.auto_button.clicked.connect(self.auto_levels)
        row = QHBoxLayout()
        row.addWidget(self.low_spin, 1)
        row.addWidget(self.high_spin, 1)
        row.addWidget(self.auto_button)
        form.addRow("Levels", row)

    def _level_spin(self, name, tip):
        spin = QDoubleSpinBox(self)
        spin.setObjectName(name)
        spin.setAccessibleName(tip.split(":")[0])
        spin.setToolTip(tip)
        spin.setRange(-LEVEL_LIMIT, LEVEL_LIMIT)
        spin.setDecimals(3)
        spin.setKeyboardTracking(False)
        spin.valueChanged.connect(self._spin_changed)
        return spin

    # -- state -----------------------------------------------------------------------------
    @property
    def colormap(self) -> str | None:
        return self.map_box.currentData()

    @property
    def clip(self) -> bool:
        return self.clip_check.isChecked()

    def choose(self, values, auto_levels=None) -> tuple[tuple[float, float], str]:
        """Levels and colour-map name for ``values`` with the user's choices; shows the levels.

        ``auto_levels`` is ``display_levels(values)`` when the caller already has it (computed in a worker).
        """
        if self.manual_levels:
            levels = self.manual_levels
        elif self.clip or auto_levels is None:
            levels = display_levels(values, clip_to_image_range=self.clip)
        else:
            levels = tuple(auto_levels)
        name = self.colormap or (DEFAULT_DIVERGING if levels[0] < 0 else DEFAULT_SEQUENTIAL)
        self.show_levels(levels)
        return levels, name

    def show_levels(self, levels) -> None:
        for spin, value in zip((self.low_spin, self.high_spin), levels):
            spin.blockSignals(True)
            spin.setValue(float(value))
            spin.blockSignals(False)

    def set_manual_levels(self, low: float, high: float) -> None:
        """Fix the levels (e.g. dragged on the colour bar) until Auto is pressed."""
        if high <= low:
            return
        self.manual_levels = (float(low), float(high))
        self.show_levels(self.manual_levels)
        self.changed.emit()

    def auto_levels(self) -> None:
        self.manual_levels = None
        self.changed.emit()

    def _clip_toggled(self, _on: bool) -> None:
        self.manual_levels = None
        self.changed.emit()

    def _spin_changed(self, _value) -> None:
        self.set_manual_levels(self.low_spin.value(), self.high_spin.value())
