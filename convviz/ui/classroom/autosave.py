"""Autosave in the window: every 30 s and shortly after each change, and recovery after a crash."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from convviz.io.autosave import Autosave
from convviz.io.sessions import SessionFileError
from convviz.io.state import StateError

from .host import WindowHost
from .lessons import LessonController
from .sessions import restore_session, session_json

INTERVAL_MS = 30_000
DEBOUNCE_MS = 2_000


class AutosaveController(QObject):
    """Keeps ``store`` (an :class:`~convviz.io.autosave.Autosave`) up to date while the window is open."""

    saved = Signal()
    failed = Signal(str)

    def __init__(self, host: WindowHost, lessons: LessonController, store: Autosave | None = None,
                 parent: QObject | None = None, *, interval_ms: int = INTERVAL_MS, debounce_ms: int = DEBOUNCE_MS):
        super().__init__(parent)
        self.host = host
        self.lessons = lessons
        self.store = store if store is not None else Autosave()
        self.last_error: str | None = None
        self._dirty = False
        self.timer = QTimer(self)
        self.timer.setObjectName("autosaveTimer")
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._tick)
        self.debounce = QTimer(self)
        self.debounce.setObjectName("autosaveDebounce")
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(debounce_ms)
        self.debounce.timeout.connect(self.save_now)
        self._doc = None

    def start(self) -> bool:
        """Begin autosaving; True when a crashed run left an autosave that can be recovered."""
        try:
            recoverable = self.store.start()
        except (OSError, ValueError) as exc:   # an unwritable data folder: carry on without autosave
            self.last_error = str(exc)
            self.failed.emit(self.last_error)
            return False
        self._doc = self.host.document
        self._doc.events.connect(self.mark_changed)
        self.lessons.slide_changed.connect(self.mark_changed)
        self.timer.start()
        return recoverable

    def mark_changed(self, *_) -> None:
        self._dirty = True
        self.debounce.start()

    def _tick(self) -> None:
        if self._dirty:
            self.save_now()

    def save_now(self) -> bool:
        """Write the autosave now; False (and ``failed``) when it cannot be written."""
        self.debounce.stop()
        try:
            self.store.write(session_json(self.host, self.lessons))
        except (StateError, OSError, ValueError) as exc:
            self.last_error = str(exc)
            self.failed.emit(self.last_error)
            return False
        self._dirty = False
        self.last_error = None
        self.saved.emit()
        return True

    def recover(self) -> list[str]:
        """Restore the autosaved session; :class:`SessionFileError` or ``ValueError`` if it cannot be used."""
        session = self.store.read()
        return restore_session(self.host, session, self.lessons)

    def offer_recovery(self, parent: QWidget | None = None) -> bool:
        """Ask whether to restore the autosave of a crashed run; True when it was restored."""
        answer = QMessageBox.question(
            parent, "Recover your work?",
            "convviz did not close properly last time.\n\nRestore the image, kernel, settings and lesson "
            "position it saved automatically?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes)
        if answer != QMessageBox.StandardButton.Yes:
            self.store.clear()
            return False
        try:
            self.recover()
        except (SessionFileError, ValueError) as exc:
            QMessageBox.warning(parent, "Could not recover", f"The autosaved work could not be restored: {exc}")
            return False
        return True

    def stop(self, *, clean_exit: bool = True) -> None:
        """Stop the timers; on a clean exit remove the autosave and mark the exit clean."""
        self.timer.stop()
        self.debounce.stop()
        if self._doc is not None:
            self._doc.events.disconnect(self.mark_changed)
            self._doc = None
            try:
                self.lessons.slide_changed.disconnect(self.mark_changed)
            except (RuntimeError, TypeError):
                pass
        if clean_exit:
            try:
                self.store.finish()
            except OSError:
                pass
