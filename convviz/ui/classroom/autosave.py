"""Autosave in the window: every 30 s and shortly after each change, and recovery after a crash.

Each window keeps its own autosave (see :mod:`convviz.io.autosave`). On start the autosaves of
instances that are gone (orphans) are offered: one with a yes/no question, several in a small
chooser, newest first. Whatever the user does not recover or discard stays for the next start.
A failed autosave is said in the window's status bar until one succeeds again.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from convviz.io.autosave import Autosave, Orphan
from convviz.io.sessions import SessionFileError, load_session, session_photo_pixels
from convviz.io.state import StateError

from ..worker import LatestResultRunner
from .host import WindowHost
from .lessons import DECODE_IN_WORKER_PIXELS, LessonController
from .sessions import restore_session, session_json

INTERVAL_MS = 30_000
DEBOUNCE_MS = 2_000
DISCARD = "discard"
"""A prompt's answer that deletes every offered autosave (an :class:`Orphan` restores it; None keeps them)."""

Prompt = Callable[[list[Orphan], QWidget | None], Orphan | str | None]


def describe(orphan: Orphan, now: float | None = None) -> str:
    """``"today 14:32 — cat.jpg, lesson 01_multiply_add, slide 3"``."""
    now = time.time() if now is None else now
    when = time.localtime(orphan.saved_at)
    day = "today" if time.localtime(now)[:3] == when[:3] else time.strftime("%d %b %Y", when)
    return f"{day} {time.strftime('%H:%M', when)} — {orphan.summary()}"


class RecoveryChooser(QDialog):
    """Several autosaves to choose from: restore the selected one, discard them all, or decide later."""

    def __init__(self, orphans: list[Orphan], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("recoveryChooser")
        self.setWindowTitle("Recover your work?")
        self.orphans = list(orphans)
        self.answer: Orphan | str | None = None
        text = QLabel(f"{len(self.orphans)} convviz windows did not close properly. Choose the work to restore; "
                      "the others are kept and offered again next time.")
        text.setWordWrap(True)
        self.list = QListWidget()
        self.list.setObjectName("recoveryList")
        self.list.setAccessibleName("Autosaved work, newest first")
        for orphan in self.orphans:
            QListWidgetItem(describe(orphan), self.list)
        self.list.setCurrentRow(0)
        self.restore_button = QPushButton("&Restore selected")
        self.discard_button = QPushButton("&Discard all")
        self.later_button = QPushButton("&Not now")
        self.restore_button.setDefault(True)
        self.restore_button.clicked.connect(self._restore)
        self.discard_button.clicked.connect(self._discard)
        self.later_button.clicked.connect(self.reject)
        self.list.itemDoubleClicked.connect(self._restore)
        buttons = QHBoxLayout()
        buttons.addWidget(self.discard_button)
        buttons.addStretch(1)
        buttons.addWidget(self.later_button)
        buttons.addWidget(self.restore_button)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.list)
        layout.addLayout(buttons)

    def _restore(self, *_):
        row = self.list.currentRow()
        if 0 <= row < len(self.orphans):
            self.answer = self.orphans[row]
            self.accept()

    def _discard(self):
        self.answer = DISCARD
        self.accept()


class AutosaveController(QObject):
    """Keeps ``store`` (an :class:`~convviz.io.autosave.Autosave`) up to date while the window is open.

    ``prompt(orphans, parent)`` decides what to recover: an :class:`Orphan` restores it,
    :data:`DISCARD` deletes them all, ``None`` keeps them for later. By default it asks with
    a dialog (:meth:`ask`); tests and scripts pass their own.
    """

    saved = Signal()
    failed = Signal(str)

    def __init__(self, host: WindowHost, lessons: LessonController, store: Autosave | None = None,
                 parent: QObject | None = None, *, interval_ms: int = INTERVAL_MS, debounce_ms: int = DEBOUNCE_MS,
                 prompt: Prompt | None = None):
        super().__init__(parent)
        self.host = host
        self.lessons = lessons
        self.store = store if store is not None else Autosave()
        self.prompt: Prompt = prompt if prompt is not None else self.ask
        self.orphans: list[Orphan] = []
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
        self.failed.connect(self._say_failure)
        self._doc = None
        self.reader = LatestResultRunner(self)     # an autosave showing a photo is read in the background
        self.reader.finished.connect(self._read_in_background)
        self.reader.failed.connect(lambda message: self._not_recovered(self._recovering, message))
        self._recovering: Orphan | None = None

    def start(self) -> bool:
        """Begin autosaving; True when instances that are gone left autosaves to recover (:attr:`orphans`).

        An unusable data folder is said in the status bar; every later autosave tries again.
        """
        self._doc = self.host.document
        self._doc.events.connect(self.mark_changed)
        self.lessons.slide_changed.connect(self.mark_changed)
        self.timer.start()
        try:
            self.orphans = self.store.start()
        except (OSError, ValueError) as exc:
            self._fail(exc)
            return False
        return bool(self.orphans)

    def mark_changed(self, *_) -> None:
        self._dirty = True
        self.debounce.start()

    def _tick(self) -> None:
        if self._dirty:
            self.save_now()

    def _fail(self, exc: Exception) -> None:
        self.last_error = str(exc)
        self.failed.emit(self.last_error)

    def save_now(self) -> bool:
        """Write the autosave now; False (``failed``, and a status-bar message) when it cannot be written."""
        self.debounce.stop()
        try:
            self.store.write(session_json(self.host, self.lessons))
        except (StateError, OSError, ValueError) as exc:
            self._fail(exc)
            return False
        self._dirty = False
        if self.last_error is not None:
            self.last_error = None
            self._say("Autosave works again.")
        self.saved.emit()
        return True

    # -- messages ------------------------------------------------------------------------
    def _say(self, text: str, timeout_ms: int = 8000) -> None:
        show = getattr(self.host.window, "show_message", None)
        if show is not None:
            show(text, timeout_ms)

    def _say_failure(self, text: str) -> None:
        # stays in the status bar until another message (or "Autosave works again") replaces it
        self._say(f"Autosave failed: {text}. Save your work with File ▸ Save session.", 0)

    def _warn(self, title: str, text: str) -> None:
        show = getattr(self.host.window, "show_error", None)   # the window's non-blocking message box
        if show is not None:
            show(title, text)
        else:
            self._say(text, 0)

    # -- recovery ------------------------------------------------------------------------
    def ask(self, orphans: list[Orphan], parent: QWidget | None = None) -> Orphan | str | None:
        """The default prompt: a question for one autosave, a chooser for several."""
        if len(orphans) == 1:
            answer = QMessageBox.question(
                parent, "Recover your work?",
                "convviz did not close properly last time.\n\nRestore the image, kernel, settings and lesson "
                f"position it saved automatically ({describe(orphans[0])})?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes)
            return orphans[0] if answer == QMessageBox.StandardButton.Yes else DISCARD
        chooser = RecoveryChooser(orphans, parent)
        chooser.exec()
        return chooser.answer

    def recover(self, orphan: Orphan | None = None) -> list[str]:
        """Restore an orphan (the newest without one) with its image source, and adopt it as this window's
        autosave; returns notes on parts not restored. :class:`SessionFileError` or ``ValueError`` if unusable."""
        if orphan is None:
            if not self.orphans:
                raise ValueError("there is no autosaved work to recover")
            orphan = self.orphans[0]
        return self._restore(orphan, self.store.read(orphan))

    def _restore(self, orphan: Orphan, session) -> list[str]:
        notes = restore_session(self.host, session, self.lessons, session.image_source)
        self.store.adopt(orphan)
        self.orphans = [o for o in self.orphans if o != orphan]
        return notes

    @property
    def recovering(self) -> bool:
        """True while the chosen autosave (it shows a photo) is being read in the background."""
        return self._recovering is not None

    def offer_recovery(self, parent: QWidget | None = None) -> bool:
        """Offer the orphans to the user (:attr:`prompt`); True when one was restored, or is being read in
        the background (an autosave whose picture is a photo file over 1 MP: the window stays live)."""
        orphans = [o for o in self.orphans if o.path.is_file()]
        if not orphans:
            return False
        answer = self.prompt(orphans, parent)
        restored = False
        if answer == DISCARD:
            for orphan in orphans:
                self.store.discard(orphan)
            self._say(f"Discarded the autosaved work of {len(orphans)} window(s).")
        elif isinstance(answer, Orphan) and session_photo_pixels(answer.path) > DECODE_IN_WORKER_PIXELS:
            for orphan in self.orphans:        # the rest is kept and offered again at the next start
                if orphan != answer:
                    self.store.release(orphan)
            self.orphans = [answer]
            self._recovering = answer
            self.reader.submit(load_session, answer.path)
            self._say(f"Recovering the work saved {describe(answer)}…", 0)
            return True
        elif isinstance(answer, Orphan):
            try:
                notes = self.recover(answer)
            except (SessionFileError, ValueError) as exc:
                self._not_recovered(None, str(exc))
            else:
                restored = True
                self._recovered(answer, notes)
        self.store.release()   # the rest is kept and offered again at the next start
        self.orphans = []
        return restored

    def _read_in_background(self, session) -> None:
        orphan, self._recovering = self._recovering, None
        if orphan is None:
            return
        try:
            notes = self._restore(orphan, session)
        except (SessionFileError, ValueError) as exc:
            self._not_recovered(orphan, str(exc))
            return
        self.orphans = []
        self._recovered(orphan, notes)

    def _recovered(self, orphan: Orphan, notes: list[str]) -> None:
        self._say(f"Recovered the work saved {describe(orphan)}" + (f" ({'; '.join(notes)})" if notes else ""))

    def _not_recovered(self, orphan: Orphan | None, message: str) -> None:
        """Say why; the autosave stays on disk (offered again at the next start)."""
        self._warn("Could not recover", f"The autosaved work could not be restored: {message}")
        if orphan is not None:
            self._recovering = None
            self.store.release(orphan)
            self.orphans = []

    def stop(self, *, clean_exit: bool = True) -> None:
        """Stop the timers; a clean exit deletes this window's autosave, otherwise it is left to recover."""
        self.timer.stop()
        self.debounce.stop()
        self.reader.shutdown()
        self._recovering = None
        if self._doc is not None:
            self._doc.events.disconnect(self.mark_changed)
            self._doc = None
            try:
                self.lessons.slide_changed.disconnect(self.mark_changed)
            except (RuntimeError, TypeError):
                pass
        try:
            self.store.finish() if clean_exit else self.store.abandon()
        except OSError:
            pass

