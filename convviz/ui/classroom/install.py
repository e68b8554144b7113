"""``install_classroom(window)``: lessons, presentation mode, export, sessions, autosave and theme
added to the main window — menus, the lesson bar, shortcuts — without the window knowing the details.

Menus: File ▸ Open/Save session; Export ▸ panel PNG, player GIF / PNG sequence, step CSV, copy as
code; View ▸ Presentation mode (F11), Blank screen (B or .), presentation font size, Theme;
Lessons ▸ the built-in lessons, Open lesson file…, next/previous slide (Page Down / Page Up).
Every action is also added to the window itself, so its shortcut works while presentation mode
hides the menu bar (a presenter clicker sends Page Up/Down, B or ., F5 and Esc).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QDockWidget, QFileDialog, QMainWindow

from convviz.io.autosave import Autosave
from convviz.io.lessons import LessonFileError
from convviz.io.sessions import SESSION_SUFFIX, SessionFileError, load_session, save_session, session_photo_pixels
from convviz.io.state import StateError
from convviz.io.step_csv import step_csv

from ..widgets.chrome import mark_editing_chrome
from ..worker import LatestResultRunner
from .autosave import AutosaveController
from .export import AnimationExporter, CodeDialog, PlayerFrames, ScaleDialog, save_widget_png
from .host import WindowHost
from .lessons import DECODE_IN_WORKER_PIXELS, LessonController, LessonNavigator
from .menus import build_classroom_menus
from .presentation import PresentationMode
from .sessions import restore_session, session_json
from .theme import ThemeController

SESSION_FILTER = f"convviz session (*{SESSION_SUFFIX})"


class Classroom(QObject):
    """Everything the classroom adds to one main window; ``window.classroom`` after installing."""

    def __init__(self, window: QMainWindow, *, settings: QSettings | None = None, autosave: Autosave | None = None,
                 autosave_enabled: bool = True):
        super().__init__(window)
        self.setObjectName("classroom")
        self.window = window
        self.settings = settings if settings is not None else getattr(window, "settings", None) or QSettings()
        self.host = WindowHost(window)
        self.lessons = LessonController(self.host, self)
        self.lessons.problem.connect(lambda text: self._error("Lesson slide", text))
        self.theme = ThemeController(self.settings, self)
        self.presentation = PresentationMode(window, self.theme, self.settings, self)
        self.session_path: Path | None = None
        self._opening_session: Path | None = None       # a session read in the background
        self.session_loader = LatestResultRunner(self)
        self.session_loader.finished.connect(self._session_loaded)
        self.session_loader.failed.connect(self._session_failed)
        self.actions: dict[str, QAction] = {}
        self._taken = {a.shortcut().toString() for a in window.findChildren(QAction) if not a.shortcut().isEmpty()}

        self._build_dock()
        build_classroom_menus(self)
        self.lessons.lesson_changed.connect(self._lesson_changed)
        # the lesson bar takes the focus on each slide, so a panel's own Page Down (e.g. the learning
        # panel's next phase) never makes the clicker's key ambiguous
        self.navigator.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.lessons.slide_changed.connect(lambda _i: self.navigator.setFocus(Qt.FocusReason.OtherFocusReason))
        self.presentation.toggled.connect(self._presentation_toggled)
        self._update_enabled()
        self.theme.apply()

        self.autosave = AutosaveController(self.host, self.lessons, autosave, self) if autosave_enabled else None
        self._recoverable = self.autosave.start() if self.autosave is not None else False
        window.installEventFilter(self)
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)

    # ------------------------------------------------------------------ building
    def _build_dock(self) -> None:
        self.navigator = LessonNavigator(self.lessons)
        self.dock = QDockWidget("Lesson", self.window)
        self.dock.setObjectName("lessonDock")
        self.dock.setAccessibleName("Lesson")
        self.dock.setWidget(self.navigator)
        self.dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable)
        mark_editing_chrome(self.dock, False)
        self.window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.dock)
        self.dock.hide()

    # ------------------------------------------------------------------ state of the actions
    def _update_enabled(self) -> None:
        has_lesson = self.lessons.lesson is not None
        for key in ("nextSlide", "previousSlide", "firstSlide", "closeLesson"):
            self.actions[key].setEnabled(has_lesson)
        self.actions["blank"].setEnabled(has_lesson or self.presentation.active)
        self.actions["leavePresentation"].setEnabled(self.presentation.active)
        has_player = self.host.has_panel("player")
        for key in ("exportGif", "exportPngSequence", "exportCsv"):
            self.actions[key].setEnabled(has_player)

    def _lesson_changed(self, lesson) -> None:
        self.dock.setVisible(lesson is not None)
        self._update_enabled()

    def _presentation_toggled(self, on: bool) -> None:
        action = self.actions["presentation"]
        if action.isChecked() != on:
            action.setChecked(on)
        self._update_enabled()

    def _status(self, text: str) -> None:
        self.window.show_message(text)

    def _error(self, title: str, text: str) -> None:
        self.window.show_error(title, text)

    # ------------------------------------------------------------------ lessons
    def open_lesson(self, name_or_path, slide: int = 0) -> bool:
        """Open a built-in lesson (name) or a lesson file; a message and no change if it cannot be used."""
        try:
            lesson = self.lessons.open(name_or_path, slide)
        except LessonFileError as exc:
            self._error("Cannot open lesson", str(exc))
            return False
        self._status(f"Lesson: {lesson.title} — Page Down for the next slide")
        return True

    def open_lesson_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.window, "Open lesson", "", "convviz lesson (*.json);;All files (*)")
        if path:
            self.open_lesson(path)

    # ------------------------------------------------------------------ sessions
    def save_session_to(self, path) -> bool:
        path = Path(path)
        if not path.suffix:
            path = path.with_suffix(SESSION_SUFFIX)
        try:
            save_session(path, session_json(self.host, self.lessons))
        except (StateError, OSError, ValueError) as exc:
            self._error("Cannot save session", str(exc))
            return False
        self.session_path = path
        self._status(f"Saved the session to {path.name}")
        return True

    def open_session_from(self, path, *, background: bool = False) -> bool:
        """Open a session file; a malformed or newer file is refused with a message and nothing changes.

        ``background=True`` (File ▸ Open session, the command line): a session whose picture is a photo
        file over 1 MP is read in the worker and shown when ready, so the window never freezes; True
        then means "under way" (a refusal still comes as a message).
        """
        if background and session_photo_pixels(path) > DECODE_IN_WORKER_PIXELS:
            self._opening_session = Path(path)
            self.session_loader.submit(load_session, path)
            self._status(f"Opening the session {Path(path).name}…")
            return True
        try:
            session = load_session(path)
        except (SessionFileError, ValueError) as exc:
            self._error("Cannot open session", str(exc))
            return False
        return self._show_session(path, session)

    def _show_session(self, path, session) -> bool:
        try:
            notes = restore_session(self.host, session, self.lessons, session.image_source)
        except (SessionFileError, ValueError) as exc:
            self._error("Cannot open session", str(exc))
            return False
        self.session_path = Path(path)
        self._status(f"Opened the session {Path(path).name}" + (f" ({'; '.join(notes)})" if notes else ""))
        return True

    def _session_loaded(self, session) -> None:
        if self._opening_session is not None:
            path, self._opening_session = self._opening_session, None
            self._show_session(path, session)

    def _session_failed(self, message: str) -> None:
        if self._opening_session is not None:
            self._opening_session = None
            self._error("Cannot open session", message)

    @property
    def opening_session(self) -> bool:
        """True while a session's photo is being read in the background."""
        return self._opening_session is not None

    def save_session_action(self) -> None:
        if self.session_path is None:
            self.save_session_dialog()
        else:
            self.save_session_to(self.session_path)

    def save_session_dialog(self) -> None:
        suggested = str(self.session_path or Path.home() / f"lesson{SESSION_SUFFIX}")
        path, _ = QFileDialog.getSaveFileName(self.window, "Save session", suggested, SESSION_FILTER)
        if path:
            self.save_session_to(path)

    def open_session_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.window, "Open session", "", f"{SESSION_FILTER};;All files (*)")
        if path:
            self.open_session_from(path, background=True)

    # ------------------------------------------------------------------ export
    def current_panel_widget(self):
        """The panel of the current tab (the whole panel, also where its tab scrolls)."""
        return self.window.panel(self.window.current_panel_key())

    def export_panel_to(self, path, scale: float = 2.0) -> bool:
        try:
            save_widget_png(self.current_panel_widget(), path, scale)
        except (OSError, ValueError) as exc:
            self._error("Cannot export picture", str(exc))
            return False
        self._status(f"Saved the panel as {Path(path).name}")
        return True

    def export_panel_dialog(self) -> None:
        dialog = ScaleDialog(self.current_panel_widget(), self.window)
        if dialog.exec() != ScaleDialog.DialogCode.Accepted:
            return
        path, _ = QFileDialog.getSaveFileName(self.window, "Export panel", str(Path.home() / "panel.png"),
                                              "PNG image (*.png)")
        if path:
            self.export_panel_to(path, dialog.scale.value())

    def export_animation_to(self, path, kind: str = "gif", *, frame_ms: int = 400, scale: float = 1.0) -> bool:
        """Render every step of the player to ``path``; False when cancelled or refused."""
        player = self.host.panel("player")
        if player is None:
            self._error("Cannot export animation", "There is no step-through player in this window.")
            return False
        self.host.show_panel("player")
        self.exporter = AnimationExporter(PlayerFrames(player), self.window)
        try:
            done = self.exporter.export(path, kind=kind, frame_ms=frame_ms, scale=scale)
        except (OSError, ValueError) as exc:
            self._error("Cannot export animation", str(exc))
            return False
        self._status(f"Saved the animation to {Path(path).name}" if done else "Export cancelled")
        return done

    def export_animation_dialog(self, kind: str) -> None:
        if kind == "gif":
            path, _ = QFileDialog.getSaveFileName(self.window, "Export animation", str(Path.home() / "steps.gif"),
                                                  "Animated GIF (*.gif)")
        else:
            path = QFileDialog.getExistingDirectory(self.window, "Folder for the PNG files", str(Path.home()))
        if path:
            self.export_animation_to(path, kind)

    def export_csv_to(self, path) -> bool:
        player = self.host.panel("player")
        step = getattr(player, "current_step", None) if player is not None else None
        if step is None:
            self._error("Cannot export step", "The player has no step to export.")
            return False
        text = step_csv(step, total_steps=player.step_count)
        from convviz.io._files import OutputFileError, atomic_write

        try:
            atomic_write(path, lambda fh: fh.write(text.encode("utf-8")))
        except OutputFileError as exc:
            self._error("Cannot export step", str(exc))
            return False
        self._status(f"Saved step {step.index + 1} as {Path(path).name}")
        return True

    def export_csv_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self.window, "Export step", str(Path.home() / "step.csv"),
                                              "CSV (*.csv)")
        if path:
            self.export_csv_to(path)

    def code_dialog(self) -> CodeDialog:
        return CodeDialog(self.host.document.state(), self.host.image_source(), self.window)

    def show_code_dialog(self) -> None:
        self.code_dialog().exec()

    # ------------------------------------------------------------------ start and close
    def after_show(self) -> None:
        """Offer to recover a crashed run's autosave (call once the window is on screen)."""
        if self._recoverable and self.autosave is not None:
            self._recoverable = False
            self.autosave.offer_recovery(self.window)

    def shutdown(self, *, clean_exit: bool = True) -> None:
        if getattr(self, "_shut_down", False):
            return
        self._shut_down = True
        self.presentation.leave(restore_window=False)
        if self.autosave is not None:
            self.autosave.stop(clean_exit=clean_exit)

    def eventFilter(self, obj, event) -> bool:
        if obj is self.window:
            if event.type() == QEvent.Type.Close:
                self.shutdown()
            elif event.type() == QEvent.Type.Show and self._recoverable:
                QTimer.singleShot(0, self.after_show)
        return False


def install_classroom(window: QMainWindow, **kwargs) -> Classroom:
    """Add the classroom features to ``window``; returns the :class:`Classroom` (also ``window.classroom``)."""
    classroom = Classroom(window, **kwargs)
    window.classroom = classroom
    return classroom
