"""The classroom's menus and actions: File ▸ sessions, Export, View ▸ presentation and theme, Lessons.

Every action is also added to the window itself, so its shortcut works while presentation
mode hides the menu bar. ``build_classroom_menus(classroom)`` fills ``classroom.actions``.
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu

from convviz.io.lessons import LessonFileError, builtin_lessons, load_lesson

from .presentation import SCALES
from .theme import THEME_CHOICES, THEME_LABELS


def _action(classroom, key: str, text: str, tip: str, slot, shortcuts=(), *, checkable: bool = False) -> QAction:
    action = QAction(text, classroom.window)
    action.setObjectName(f"{key}Action")
    free = [QKeySequence(s) for s in shortcuts if QKeySequence(s).toString() not in classroom._taken]
    if free:
        action.setShortcuts(free)
        classroom._taken.update(s.toString() for s in free)
    keys = ", ".join(s.toString(QKeySequence.SequenceFormat.NativeText) for s in free)
    action.setToolTip(f"{tip} ({keys})" if keys else tip)
    action.setStatusTip(tip)
    action.setCheckable(checkable)
    action.triggered.connect(slot)
    classroom.window.addAction(action)  # shortcuts work while the menu bar is hidden
    classroom.actions[key] = action
    return action


def _menu(classroom, title: str) -> QMenu | None:
    for action in classroom.window.menuBar().actions():
        if action.menu() is not None and action.text().replace("&", "") == title:
            return action.menu()
    return None


def _new_menu(classroom, title: str, name: str, before: str = "Help") -> QMenu:
    menu = QMenu(title, classroom.window)
    menu.setObjectName(name)
    menu.setToolTipsVisible(True)
    anchor = _menu(classroom, before)
    if anchor is not None:
        classroom.window.menuBar().insertMenu(anchor.menuAction(), menu)
    else:
        classroom.window.menuBar().addMenu(menu)
    return menu


def build_classroom_menus(classroom) -> None:
    """Add the classroom's menus and actions to ``classroom.window``."""
    a = lambda *args, **kw: _action(classroom, *args, **kw)  # noqa: E731
    # File ▸ sessions
    file_menu = _menu(classroom, "File") or _new_menu(classroom, "&File", "fileMenu")
    session_actions = [
        a("openSession", "Open &session…", "Open a saved convviz session (.convviz)", classroom.open_session_dialog,
          ["Ctrl+Shift+O"]),
        a("saveSession", "Save s&ession", "Save image, kernel, settings and lesson position as a session",
          classroom.save_session_action, ["Ctrl+Shift+S"]),
        a("saveSessionAs", "Save session &as…", "Save the session under a new name",
          classroom.save_session_dialog, ["Ctrl+Alt+S"]),
    ]
    separators = [x for x in file_menu.actions() if x.isSeparator()]
    before = separators[0] if separators else None
    anchor = file_menu.insertSeparator(before) if before is not None else file_menu.addSeparator()
    for action in session_actions:
        file_menu.insertAction(anchor, action)

    # Export
    export = _new_menu(classroom, "E&xport", "exportMenu", before="View")
    export.addAction(a("exportPanel", "Current &panel as PNG…", "Save the visible panel as a picture, "
                       "at a scale you choose", classroom.export_panel_dialog, ["Ctrl+Alt+P"]))
    export.addSeparator()
    export.addAction(a("exportGif", "Player animation as &GIF…", "Every step of the player as an animated GIF",
                       lambda: classroom.export_animation_dialog("gif"), ["Ctrl+Alt+G"]))
    export.addAction(a("exportPngSequence", "Player animation as PNG &sequence…",
                       "Every step of the player as numbered PNG files in a folder",
                       lambda: classroom.export_animation_dialog("png")))
    export.addAction(a("exportCsv", "Current step as &CSV…", "The current step's pixels, weights and "
                       "products as a spreadsheet file", classroom.export_csv_dialog))
    export.addSeparator()
    export.addAction(a("copyAsCode", "Copy as c&ode…", "Python code that reproduces this output with "
                       "convviz.model or PyTorch", classroom.show_code_dialog, ["Ctrl+Shift+C"]))

    # View ▸ presentation and theme
    view = _menu(classroom, "View") or _new_menu(classroom, "&View", "viewMenu")
    view.addSeparator()
    view.addAction(a("presentation", "&Presentation mode", "Full screen, big fonts, high contrast, editing "
                     "controls hidden (Esc leaves)", classroom.presentation.toggle, ["F11", "F5"], checkable=True))
    a("leavePresentation", "Leave presentation mode", "Back to the normal window", classroom.presentation.leave,
      ["Esc"])
    view.addAction(a("blank", "&Blank screen", "Black out the window until a key is pressed",
                     classroom.presentation.blank, ["B", "."]))
    sizes = view.addMenu("Presentation &font size")
    sizes.setObjectName("presentationScaleMenu")
    group = QActionGroup(classroom)
    for scale in SCALES:
        act = sizes.addAction(f"×{scale:g}")
        act.setObjectName(f"presentationScale{str(scale).replace('.', '_')}Action")
        act.setCheckable(True)
        act.setChecked(abs(scale - classroom.presentation.scale) < 1e-9)
        act.triggered.connect(lambda _=False, s=scale: classroom.presentation.set_scale(s))
        group.addAction(act)
    theme_menu = view.addMenu("&Theme")
    theme_menu.setObjectName("themeMenu")
    themes = QActionGroup(classroom)
    classroom.theme_actions: dict[str, QAction] = {}
    for choice in THEME_CHOICES:
        act = theme_menu.addAction(THEME_LABELS[choice])
        act.setObjectName(f"theme_{choice}_Action")
        act.setCheckable(True)
        act.setChecked(choice == classroom.theme.choice)
        act.triggered.connect(lambda _=False, c=choice: classroom.theme.set_choice(c))
        themes.addAction(act)
        classroom.theme_actions[choice] = act

    # Lessons
    lessons = _new_menu(classroom, "&Lessons", "lessonsMenu")
    for name in builtin_lessons():
        try:
            title = load_lesson(name).title
        except LessonFileError:
            continue
        act = lessons.addAction(f"{name[:2]}  {title}")
        act.setObjectName(f"lesson_{name}")
        act.setToolTip(f"Start the lesson “{title}”")
        act.triggered.connect(lambda _=False, n=name: classroom.open_lesson(n))
    lessons.addSeparator()
    lessons.addAction(a("openLesson", "Open lesson &file…", "Open a lesson written as JSON",
                        classroom.open_lesson_dialog))
    lessons.addSeparator()
    lessons.addAction(a("nextSlide", "&Next slide", "Show the next slide of the lesson", classroom.lessons.next,
                        ["PgDown"]))
    lessons.addAction(a("previousSlide", "&Previous slide", "Show the previous slide of the lesson",
                        classroom.lessons.previous, ["PgUp"]))
    lessons.addAction(a("firstSlide", "&First slide", "Back to the first slide", classroom.lessons.first))
    lessons.addAction(a("closeLesson", "&Close lesson", "Close the lesson bar", classroom.lessons.close))

