"""Panel shortcuts that give way to the window's: one key, one clear meaning.

A presenter clicker sends Page Down / Page Up. During a lesson those keys change slides
(window-wide actions of the classroom); a panel that also binds them (the player steps, the
learning panel moves to the next phase) would make Qt call the key ambiguous and do nothing.
:func:`yield_to_window` keeps such a panel shortcut switched off while the window holds an
enabled action on the same key, so the rule is simple: **during a lesson Page Down/Up change
slides; otherwise they work in the panel**.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction, QKeySequence, QShortcut

_PORTABLE = QKeySequence.SequenceFormat.PortableText


def _keys(sequences) -> set[str]:
    return {s.toString(_PORTABLE) for s in sequences if not s.isEmpty()}


class _Yielder(QObject):
    """Watches the panel's window actions and switches the shortcut off while one on its key is enabled."""

    def __init__(self, shortcut: QShortcut):
        super().__init__(shortcut)
        self.shortcut = shortcut
        self._watched: set[int] = set()
        shortcut.parent().installEventFilter(self)
        self.sync()

    def competing_actions(self) -> list[QAction]:
        """The window-wide actions with the shortcut's key (the classroom adds them to the window)."""
        panel = self.shortcut.parent()
        window = panel.window()
        if window is panel:
            return []
        key = _keys([self.shortcut.key()])
        return [a for a in window.actions() if _keys(a.shortcuts()) & key]

    def sync(self) -> None:
        actions = self.competing_actions()
        for action in actions:
            if id(action) not in self._watched:
                self._watched.add(id(action))
                action.changed.connect(self.sync)  # enabled/disabled as lessons open and close
        self.shortcut.setEnabled(not any(a.isEnabled() for a in actions))

    def eventFilter(self, obj, event) -> bool:
        if event.type() in (QEvent.Type.Show, QEvent.Type.ParentChange):
            self.sync()
        return False


def yield_to_window(shortcut: QShortcut) -> QShortcut:
    """Switch ``shortcut`` off whenever its window has an enabled action on the same key; returns it."""
    shortcut._convviz_yielder = _Yielder(shortcut)
    return shortcut


def yields_to_window(shortcut: QShortcut) -> bool:
    """True for shortcuts set up with :func:`yield_to_window`."""
    return getattr(shortcut, "_convviz_yielder", None) is not None
