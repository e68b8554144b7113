"""Presentation mode: full screen, big fonts, high contrast, editing chrome hidden, and a blank screen.

Widgets that only matter while editing (tool bars, the kernel editor's dock, …) are marked with
:func:`mark_editing_chrome`; presentation mode hides them and shows them again on leaving.
Tool bars are editing chrome unless marked otherwise. The blank screen is a black overlay
over the whole window; any key or click removes it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QApplication, QDockWidget, QMainWindow, QToolBar, QWidget

from ..plot_fonts import install_plot_fonts
from ..widgets.chrome import CHROME_PROPERTY, is_editing_chrome
from .theme import ThemeController

SCALE_KEY = "classroom/presentationScale"
SCALES = (1.5, 2.0, 2.5, 3.0)
DEFAULT_SCALE = 2.0


class BlankOverlay(QWidget):
    """A black cover over the window; any key or click takes it away."""

    dismissed = Signal()

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.setObjectName("blankScreen")
        self.setAccessibleName("Blank screen (press any key)")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.hide()
        parent.installEventFilter(self)

    def cover(self):
        self.setGeometry(self.parentWidget().rect())
        self.show()
        self.raise_()
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        self.grabKeyboard()

    def uncover(self):
        if self.isVisible():
            self.releaseKeyboard()
            self.hide()
            self.dismissed.emit()

    def eventFilter(self, obj, event):
        if obj is self.parentWidget() and event.type() == QEvent.Type.Resize and self.isVisible():
            self.setGeometry(self.parentWidget().rect())
        return False

    def paintEvent(self, event):
        QPainter(self).fillRect(self.rect(), QColor("black"))

    def event(self, event):
        if event.type() == QEvent.Type.ShortcutOverride:  # every key lifts the blank, none runs a shortcut
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event):
        self.uncover()

    def mousePressEvent(self, event):
        self.uncover()


class PresentationMode(QObject):
    """Enters and leaves presentation mode on a main window."""

    toggled = Signal(bool)

    def __init__(self, window: QMainWindow, theme: ThemeController, settings: QSettings | None = None,
                 parent: QObject | None = None):
        super().__init__(parent or window)
        self.window = window
        self.theme = theme
        self._settings = settings if settings is not None else QSettings()
        stored = self._settings.value(SCALE_KEY, DEFAULT_SCALE)
        try:
            self._scale = min(max(float(stored), SCALES[0]), SCALES[-1])
        except (TypeError, ValueError):
            self._scale = DEFAULT_SCALE
        self._active = False
        self._hidden: list[QWidget] = []
        self._font: QFont | None = None
        self._was_full_screen = False
        self._was_maximized = False
        self.overlay = BlankOverlay(window)
        tabs = getattr(window, "tabs", None)
        if tabs is not None:
            tabs.currentChanged.connect(self._hide_chrome)
        install_plot_fonts(window)  # plot titles and axes follow the scaled font

    @property
    def active(self) -> bool:
        return self._active

    @property
    def scale(self) -> float:
        return self._scale

    def set_scale(self, scale: float) -> None:
        """Font scale ×1.5 … ×3 (remembered); applied at once when presenting."""
        scale = float(scale)
        if not SCALES[0] <= scale <= SCALES[-1]:
            raise ValueError(f"The presentation font scale must be between {SCALES[0]} and {SCALES[-1]}.")
        self._scale = scale
        self._settings.setValue(SCALE_KEY, scale)
        if self._active:
            self._apply_font()

    def toggle(self) -> None:
        self.leave() if self._active else self.enter()

    def enter(self) -> None:
        if self._active:
            return
        w = self.window
        self._active = True
        self._was_full_screen, self._was_maximized = w.isFullScreen(), w.isMaximized()
        self._font = QFont(QApplication.font())
        self._apply_font()
        self.theme.set_high_contrast(True)
        self._hidden = []
        self._hide_chrome()
        if isinstance(w, QMainWindow):  # the menu bar and status bar go too (the actions keep their keys)
            for bar in (w.menuBar(), w.statusBar()):
                if bar.isVisible() and bar not in self._hidden:
                    bar.hide()
                    self._hidden.append(bar)
        w.showFullScreen()
        self.toggled.emit(True)

    def leave(self, *, restore_window: bool = True) -> None:
        """Back to the normal window (``restore_window=False`` while it is closing: fonts and palette only)."""
        if not self._active:
            return
        w = self.window
        self._active = False
        self.overlay.uncover()
        for c in self._hidden:
            c.show()
        self._hidden = []
        if self._font is not None:
            QApplication.setFont(self._font)
        self.theme.set_high_contrast(False)
        if not restore_window:
            pass
        elif self._was_full_screen:
            w.showFullScreen()
        elif self._was_maximized:
            w.showMaximized()
        else:
            w.showNormal()
        self.toggled.emit(False)

    def blank(self) -> None:
        """Cover the window in black until a key or click (B or . on a presenter clicker)."""
        if self.overlay.isVisible():
            self.overlay.uncover()
        else:
            self.overlay.cover()

    def _hide_chrome(self, *_args) -> None:
        """Hide the editing chrome not hidden yet — on every tab, and on tabs built while presenting
        (called again when the current tab changes)."""
        if not self._active:
            return
        for c in self._chrome():
            if not c.isHidden() and c not in self._hidden:   # isHidden: explicitly hidden, not just off-tab
                c.hide()
                self._hidden.append(c)

    def _chrome(self) -> list[QWidget]:
        kinds = self.window.findChildren(QToolBar) + self.window.findChildren(QDockWidget)
        marked = [w for w in self.window.findChildren(QWidget) if w.property(CHROME_PROPERTY)]
        seen, out = set(), []
        for w in kinds + marked:
            if id(w) not in seen and is_editing_chrome(w):
                seen.add(id(w))
                out.append(w)
        return out

    def _apply_font(self) -> None:
        base = QFont(self._font)
        size = base.pointSizeF()
        if size > 0:
            base.setPointSizeF(size * self._scale)
        else:
            base.setPixelSize(round(base.pixelSize() * self._scale))
        QApplication.setFont(base)
