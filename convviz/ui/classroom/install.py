"""``install_classroom(window)``: lessons, presentation mode, export, sessions, autosave and theme
added to the main window — menus, the lesson bar, shortcuts — without the window knowing the details.

Menus: File ▸ Open/Save session; Export ▸ panel PNG, player GIF / PNG sequence, step CSV, copy as
code; View ▸ Presentation mode (F11), Blank screen (B or .), presentation font size, Theme;
Lessons ▸ the built-in lessons, Open lesson file…, next/previous slide (Page Down / Page Up).
Every action is also added to the window itself, so its shortcut works while presentation mode
hides the menu bar (a presenter clicker sends Page Up/Down, B or ., F5 and Esc).
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QApplication, QDockWidget, QFileDialog, QMainWindow, QMenu, QMessageBox

from convviz.io.autosave import Autosave
from convviz.io.lessons import LessonFileError, builtin_lessons, load_lesson
from convviz.io.sessions import SESSION_SUFFIX, SessionFileError, load_session, save_session
from convviz.io.state import StateError

from .autosave import AutosaveController
from .export import AnimationExporter, CodeDialog, PlayerFrames, ScaleDialog, save_widget_png
from .host import WindowHost
from .lessons import LessonController, LessonNavigator
from .presentation import SCALES, PresentationMode, mark_editing_chrome
from .sessions import restore_session, session_json
from .step_csv import step_csv
from .theme import THEME_CHOICES, THEME_LABELS, ThemeController

SESSION_FILTER = f"convviz session (*{SESSION_SUFFIX})"


def _offscreen() -> bool:
    return os.environ.get("QT_QPA_PLATFORM") == "offscreen"


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
        self.actions: dict[str, QAction] = {}
        self._taken = {a.shortcut().toString() for a in window.findChildren(QAction) if not a.shortcut().isEmpty()}

        self._build_dock()
        self._build_menus()
        self.lessons.lesson_changed.connect(self._lesson_changed)
        # the lesson bar takes the focus on each slide, so a panel's own Page Down (e.g. the learning
        # panel's next phase) never makes the clicker's key ambiguous
        self.navigator.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.lessons.slide_changed.connect(lambda _i: self.navigator.setFocus(Qt.FocusReason.OtherFocusReason))
        self.presentation.toggled.connect(self._presentation_toggled)
        self._update_enabled()
        self.theme.apply()

        if autosave is None and _offscreen() and not os.environ.get("CONVVIZ_DATA_DIR"):
            autosave_enabled = False  # tests and --screenshot never touch the user's data folder
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

    def _action(self, key: str, text: str, tip: str, slot, shortcuts=(), *, checkable: bool = False) -> QAction:
        action = QAction(text, self.window)
        action.setObjectName(f"{key}Action")
        free = [QKeySequence(s) for s in shortcuts if QKeySequence(s).toString() not in self._taken]
        if free:
            action.setShortcuts(free)
            self._taken.update(s.toString() for s in free)
        keys = ", ".join(s.toString(QKeySequence.SequenceFormat.NativeText) for s in free)
        action.setToolTip(f"{tip} ({keys})" if keys else tip)
        action.setStatusTip(tip)
        action.setCheckable(checkable)
        action.triggered.connect(slot)
        self.window.addAction(action)  # shortcuts work while the menu bar is hidden
        self.actions[key] = action
        return action

    def _menu(self, title: str) -> QMenu | None:
        for action in self.window.menuBar().actions():
            if action.menu() is not None and action.text().replace("&", "") == title:
                return action.menu()
        return None

    def _new_menu(self, title: str, name: str, before: str = "Help") -> QMenu:
        menu = QMenu(title, self.window)
        menu.setObjectName(name)
        menu.setToolTipsVisible(True)
        anchor = self._menu(before)
        if anchor is not None:
            self.window.menuBar().insertMenu(anchor.menuAction(), menu)
        else:
            self.window.menuBar().addMenu(menu)
        return menu

    def _build_menus(self) -> None:
        a = self._action
        # File ▸ sessions
        file_menu = self._menu("File") or self._new_menu("&File", "fileMenu")
        session_actions = [
            a("openSession", "Open &session…", "Open a saved convviz session (.convviz)", self.open_session_dialog,
              ["Ctrl+Shift+O"]),
            a("saveSession", "Save s&ession", "Save image, kernel, settings and lesson position as a session",
              self.save_session_action, ["Ctrl+Shift+S"]),
            a("saveSessionAs", "Save session &as…", "Save the session under a new name",
              self.save_session_dialog, ["Ctrl+Alt+S"]),
        ]
        separators = [x for x in file_menu.actions() if x.isSeparator()]
        before = separators[0] if separators else None
        anchor = file_menu.insertSeparator(before) if before is not None else file_menu.addSeparator()
        for action in session_actions:
            file_menu.insertAction(anchor, action)

        # Export
        export = self._new_menu("E&xport", "exportMenu", before="View")
        export.addAction(a("exportPanel", "Current &panel as PNG…", "Save the visible panel as a picture, "
                           "at a scale you choose", self.export_panel_dialog, ["Ctrl+Alt+P"]))
        export.addSeparator()
        export.addAction(a("exportGif", "Player animation as &GIF…", "Every step of the player as an animated GIF",
                           lambda: self.export_animation_dialog("gif"), ["Ctrl+Alt+G"]))
        export.addAction(a("exportPngSequence", "Player animation as PNG &sequence…",
                           "Every step of the player as numbered PNG files in a folder",
                           lambda: self.export_animation_dialog("png")))
        export.addAction(a("exportCsv", "Current step as &CSV…", "The current step's pixels, weights and "
                           "products as a spreadsheet file", self.export_csv_dialog))
        export.addSeparator()
        export.addAction(a("copyAsCode", "Copy as c&ode…", "Python code that reproduces this output with "
                           "convviz.model or PyTorch", self.show_code_dialog, ["Ctrl+Shift+C"]))

        # View ▸ presentation and theme
        view = self._menu("View") or self._new_menu("&View", "viewMenu")
        view.addSeparator()
        view.addAction(a("presentation", "&Presentation mode", "Full screen, big fonts, high contrast, editing "
                         "controls hidden (Esc leaves)", self.presentation.toggle, ["F11", "F5"], checkable=True))
        a("leavePresentation", "Leave presentation mode", "Back to the normal window", self.presentation.leave,
          ["Esc"])
        view.addAction(a("blank", "&Blank screen", "Black out the window until a key is pressed",
                         self.presentation.blank, ["B", "."]))
        sizes = view.addMenu("Presentation &font size")
        sizes.setObjectName("presentationScaleMenu")
        group = QActionGroup(self)
        for scale in SCALES:
            act = sizes.addAction(f"×{scale:g}")
            act.setObjectName(f"presentationScale{str(scale).replace('.', '_')}Action")
            act.setCheckable(True)
            act.setChecked(abs(scale - self.presentation.scale) < 1e-9)
            act.triggered.connect(lambda _=False, s=scale: self.presentation.set_scale(s))
            group.addAction(act)
        theme_menu = view.addMenu("&Theme")
        theme_menu.setObjectName("themeMenu")
        themes = QActionGroup(self)
        self.theme_actions: dict[str, QAction] = {}
        for choice in THEME_CHOICES:
            act = theme_menu.addAction(THEME_LABELS[choice])
            act.setObjectName(f"theme_{choice}_Action")
            act.setCheckable(True)
            act.setChecked(choice == self.theme.choice)
            act.triggered.connect(lambda _=False, c=choice: self.theme.set_choice(c))
            themes.addAction(act)
            self.theme_actions[choice] = act

        # Lessons
        lessons = self._new_menu("&Lessons", "lessonsMenu")
        for name in builtin_lessons():
            try:
                title = load_lesson(name).title
            except LessonFileError:
                continue
            act = lessons.addAction(f"{name[:2]}  {title}")
            act.setObjectName(f"lesson_{name}")
            act.setToolTip(f"Start the lesson “{title}”")
            act.triggered.connect(lambda _=False, n=name: self.open_lesson(n))
        lessons.addSeparator()
        lessons.addAction(a("openLesson", "Open lesson &file…", "Open a lesson written as JSON",
                            self.open_lesson_dialog))
        lessons.addSeparator()
        lessons.addAction(a("nextSlide", "&Next slide", "Show the next slide of the lesson", self.lessons.next,
                            ["PgDown"]))
        lessons.addAction(a("previousSlide", "&Previous slide", "Show the previous slide of the lesson",
                            self.lessons.previous, ["PgUp"]))
        lessons.addAction(a("firstSlide", "&First slide", "Back to the first slide", self.lessons.first))
        lessons.addAction(a("closeLesson", "&Close lesson", "Close the lesson bar", self.lessons.close))

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
        show = getattr(self.window, "show_message", None)
        if show is not None:
            show(text)
        else:
            self.window.statusBar().showMessage(text, 8000)

    def _error(self, title: str, text: str) -> None:
        show = getattr(self.window, "show_error", None)
        if show is not None:
            show(title, text)
        else:
            self._status(text)
            if not _offscreen():
                QMessageBox.warning(self.window, title, text)

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

    def open_session_from(self, path) -> bool:
        """Open a session file; a malformed or newer file is refused with a message and nothing changes."""
        try:
            session = load_session(path)
            notes = restore_session(self.host, session, self.lessons, session.image_source)
        except (SessionFileError, ValueError) as exc:
            self._error("Cannot open session", str(exc))
            return False
        self.session_path = Path(path)
        self._status(f"Opened the session {Path(path).name}" + (f" ({'; '.join(notes)})" if notes else ""))
        return True

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
            self.open_session_from(path)

    # ------------------------------------------------------------------ export
    def current_panel_widget(self):
        tabs = self.host.tabs()
        return tabs.currentWidget() if tabs is not None else self.window.centralWidget()

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
