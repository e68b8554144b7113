"""Light and dark themes that follow the system, with an override remembered in QSettings,
and the high-contrast palette of presentation mode."""

from __future__ import annotations

from PySide6.QtCore import QObject, QSettings, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

THEME_CHOICES = ("system", "light", "dark")
THEME_LABELS = {"system": "Follow the system", "light": "Light", "dark": "Dark"}
SETTINGS_KEY = "classroom/theme"

_R = QPalette.ColorRole

_LIGHT = {
    _R.Window: "#f2f2f2", _R.WindowText: "#1a1a1a", _R.Base: "#ffffff", _R.AlternateBase: "#f0f0f5",
    _R.ToolTipBase: "#ffffe8", _R.ToolTipText: "#1a1a1a", _R.Text: "#1a1a1a", _R.Button: "#e8e8e8",
    _R.ButtonText: "#1a1a1a", _R.BrightText: "#d00000", _R.Highlight: "#2f6fd0", _R.HighlightedText: "#ffffff",
    _R.Link: "#1a56b8", _R.PlaceholderText: "#707070", _R.Mid: "#b8b8b8", _R.Dark: "#9a9a9a",
    _R.Light: "#ffffff", _R.Midlight: "#f5f5f5", _R.Shadow: "#606060",
}
_DARK = {
    _R.Window: "#26282b", _R.WindowText: "#e8e8e8", _R.Base: "#1c1d1f", _R.AlternateBase: "#2c2e32",
    _R.ToolTipBase: "#33363b", _R.ToolTipText: "#f0f0f0", _R.Text: "#e8e8e8", _R.Button: "#33363b",
    _R.ButtonText: "#e8e8e8", _R.BrightText: "#ff6060", _R.Highlight: "#4a8fe8", _R.HighlightedText: "#ffffff",
    _R.Link: "#7fb2ff", _R.PlaceholderText: "#9a9a9a", _R.Mid: "#44474c", _R.Dark: "#18191b",
    _R.Light: "#4a4d52", _R.Midlight: "#3a3c40", _R.Shadow: "#0c0c0d",
}
#: black and white with yellow selection: readable from the back row of a lecture hall
_CONTRAST = {
    # Base and Button are not pure black: Fusion draws outlines a shade darker than the window, which is
    # invisible on black, so boxes, buttons and sliders are told apart by their fill instead
    _R.Window: "#000000", _R.WindowText: "#ffffff", _R.Base: "#262626", _R.AlternateBase: "#333333",
    _R.ToolTipBase: "#000000", _R.ToolTipText: "#ffffff", _R.Text: "#ffffff", _R.Button: "#3a3a3a",
    _R.ButtonText: "#ffffff", _R.BrightText: "#ffff00", _R.Highlight: "#ffd800", _R.HighlightedText: "#000000",
    _R.Link: "#00e5ff", _R.PlaceholderText: "#c0c0c0", _R.Mid: "#808080", _R.Dark: "#404040",
    _R.Light: "#ffffff", _R.Midlight: "#c0c0c0", _R.Shadow: "#808080",
}
PALETTES = {"light": _LIGHT, "dark": _DARK, "contrast": _CONTRAST}


def make_palette(kind: str) -> QPalette:
    """The palette ``"light"``, ``"dark"`` or ``"contrast"`` (high contrast)."""
    palette = QPalette()
    for role, colour in PALETTES[kind].items():
        palette.setColor(role, QColor(colour))
    disabled = QColor(PALETTES[kind][_R.PlaceholderText])
    for role in (_R.WindowText, _R.Text, _R.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return palette


def system_scheme() -> str:
    """``"dark"`` when the system asks for a dark colour scheme, else ``"light"``."""
    app = QGuiApplication.instance()
    if app is None:
        return "light"
    return "dark" if app.styleHints().colorScheme() == Qt.ColorScheme.Dark else "light"


class ThemeController(QObject):
    """Applies the chosen theme to the application and follows the system while the choice is ``system``.

    ``high_contrast`` (set by presentation mode) wins over the theme while it is on.
    """

    changed = Signal(str)  # the palette in force: "light", "dark" or "contrast"

    def __init__(self, settings: QSettings | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self._settings = settings if settings is not None else QSettings()
        stored = self._settings.value(SETTINGS_KEY, "system")
        self._choice = stored if stored in THEME_CHOICES else "system"
        self._high_contrast = False
        self._in_force = ""
        QApplication.instance().styleHints().colorSchemeChanged.connect(self._system_changed)

    @property
    def choice(self) -> str:
        return self._choice

    def set_choice(self, choice: str) -> None:
        if choice not in THEME_CHOICES:
            raise ValueError(f"Unknown theme {choice!r}; use one of {', '.join(THEME_CHOICES)}.")
        self._choice = choice
        self._settings.setValue(SETTINGS_KEY, choice)
        self.apply()

    @property
    def high_contrast(self) -> bool:
        return self._high_contrast

    def set_high_contrast(self, on: bool) -> None:
        self._high_contrast = bool(on)
        self.apply()

    def palette_kind(self) -> str:
        if self._high_contrast:
            return "contrast"
        return system_scheme() if self._choice == "system" else self._choice

    def apply(self) -> None:
        """Set the application palette: the platform's own when it already matches, else ours."""
        kind = self.palette_kind()
        if kind != "contrast" and kind == system_scheme():
            QApplication.instance().setPalette(QPalette())  # back to the platform's palette
        else:
            QApplication.instance().setPalette(make_palette(kind))
        if kind != self._in_force:
            self._in_force = kind
            self.changed.emit(kind)

    def _system_changed(self, *_):
        if self._choice == "system":
            self.apply()
