"""Every key does one thing: no two shortcuts that could fire at the same time share a key.

Collects every QAction and QShortcut key sequence (and the menu bar's Alt mnemonics) in the
real window with every panel built, and checks, tab by tab and with and without a lesson or
presentation mode: window-wide shortcuts against each other, and each panel's against the
window-wide ones. Also checks the presenter-clicker rule: during a lesson Page Down/Up change
slides; otherwise they work in the panel that has the focus.
"""

from __future__ import annotations

from collections import defaultdict

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QMenu, QMenuBar, QWidget
from ui_support import make_window

from convviz.ui.panels import PANELS

PORTABLE = QKeySequence.SequenceFormat.PortableText


@pytest.fixture
def window(qtbot, tmp_path):
    w = make_window(qtbot, tmp_path)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    for spec in PANELS:  # every panel built
        assert w.panel(spec.key) is not None, spec.key
    yield w
    w.close()


def _pages(window) -> dict[str, QWidget]:
    return {"filter": window.filter_splitter, **window.panel_pages}


def _page_of(widget: QWidget, pages: dict[str, QWidget]) -> str | None:
    while widget is not None:
        for key, page in pages.items():
            if widget is page:
                return key
        widget = widget.parentWidget()
    return None


def _in_menu_bar(menu: QMenu) -> bool:
    for owner in menu.menuAction().associatedObjects():
        if isinstance(owner, QMenuBar) or (isinstance(owner, QMenu) and _in_menu_bar(owner)):
            return True
    return False


def _action_scopes(action: QAction, window, pages) -> set[str]:
    scopes = set()
    for owner in action.associatedObjects():
        if owner is window or (isinstance(owner, QMenu) and _in_menu_bar(owner)):
            scopes.add("window")
        elif isinstance(owner, QMenu):  # a pop-up menu of a button: belongs to that button's tab
            scopes.add(_page_of(owner.parentWidget(), pages) or "window")
        elif isinstance(owner, QWidget):
            scopes.add(_page_of(owner, pages) or "window")
    return scopes


def live_shortcuts(window) -> dict[str, list[tuple[str, str, int]]]:
    """``scope → [(key, who, id)]`` for every enabled shortcut; scope ``"window"`` or a tab key.

    One action shown in a menu and on a button of a tab is one shortcut (same id), not a clash."""
    pages = _pages(window)
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for action in window.findChildren(QAction):
        if not shiboken6.isValid(action) or not action.isEnabled():  # menus refill themselves
            continue
        for scope in _action_scopes(action, window, pages):
            for seq in action.shortcuts():
                out[scope].append((seq.toString(PORTABLE), action.objectName() or action.text(), id(action)))
    for shortcut in window.findChildren(QShortcut):
        if not shortcut.isEnabled() or shortcut.key().isEmpty():
            continue
        parent = shortcut.parent()
        scope = "window" if parent is window else (_page_of(parent, pages) or "window")
        out[scope].append((shortcut.key().toString(PORTABLE), f"{parent.objectName()} QShortcut", id(shortcut)))
    for menu_action in window.menuBar().actions():
        mnemonic = QKeySequence.mnemonic(menu_action.text())
        if not mnemonic.isEmpty():
            out["window"].append((mnemonic.toString(PORTABLE), f"menu {menu_action.text()}", id(menu_action)))
    return out


def clashes(window, tab: str) -> list[str]:
    """Keys bound twice among the window-wide shortcuts, or by ``tab`` and the window."""
    live = live_shortcuts(window)
    found = []
    owners = defaultdict(dict)  # key → {id: who} among the window-wide shortcuts
    for key, who, ident in live.get("window", []):
        owners[key][ident] = who
    for key, whos in owners.items():
        if len(whos) > 1:
            found.append(f"window-wide {key}: {sorted(whos.values())}")
    for key, who, ident in live.get(tab, []):
        others = {i: w for i, w in owners.get(key, {}).items() if i != ident}
        if others:
            found.append(f"{tab} {key} ({who}) vs window-wide {sorted(others.values())}")
    return found


def _each_tab(window):
    for key in _pages(window):
        window.show_panel(key)
        yield key


def test_no_clash_in_any_tab(window):
    problems = [p for tab in _each_tab(window) for p in clashes(window, tab)]
    assert problems == []


def test_no_clash_during_a_lesson(window):
    window.classroom.open_lesson("01_multiply_add")
    assert window.classroom.actions["nextSlide"].isEnabled()
    problems = [p for tab in _each_tab(window) for p in clashes(window, tab)]
    assert problems == []


def test_no_clash_in_presentation_mode(window):
    window.classroom.presentation.enter()
    try:
        assert window.classroom.actions["leavePresentation"].isEnabled()
        problems = [p for tab in _each_tab(window) for p in clashes(window, tab)]
        assert problems == []
    finally:
        window.classroom.presentation.leave()


def test_the_check_finds_a_clash(window):
    """The collector sees a panel shortcut that repeats a window-wide key (so the tests above can fail)."""
    costs = window.panel("costs")
    extra = QShortcut(QKeySequence("Ctrl+Shift+L"), costs)
    window.show_panel("costs")
    assert any("Ctrl+Shift+L" in p for p in clashes(window, "costs"))
    extra.setEnabled(False)
    assert clashes(window, "costs") == []


# ------------------------------------------------------------------ the presenter clicker
def _press(qtbot, widget, key):
    widget.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.keyClick(widget, key)


def test_page_down_in_the_player_steps_without_a_lesson_and_changes_slides_in_one(window, qtbot):
    window.activateWindow()
    qtbot.waitActive(window)
    player = window.panel("player")
    window.show_panel("player")
    player.set_step(0)
    grid = player.findChild(QWidget, "playerInputGrid")
    _press(qtbot, grid, Qt.Key_PageDown)
    assert player.step_index == 1
    _press(qtbot, grid, Qt.Key_PageUp)
    assert player.step_index == 0

    lessons = window.classroom.lessons
    window.classroom.open_lesson("01_multiply_add")       # every slide on the player
    assert not any(sc.isEnabled() for sc in player.findChildren(QShortcut)
                   if sc.key().toString() in ("PgDown", "PgUp"))
    slide = lessons.index
    _press(qtbot, grid, Qt.Key_PageDown)
    assert lessons.index == slide + 1
    _press(qtbot, grid, Qt.Key_PageUp)
    assert lessons.index == slide

    lessons.close()
    window.show_panel("player")
    player.set_step(0)
    _press(qtbot, grid, Qt.Key_PageDown)
    assert player.step_index == 1


def test_page_down_in_the_learning_panel_is_next_phase_only_without_a_lesson(window, qtbot):
    window.activateWindow()
    qtbot.waitActive(window)
    panel = window.panel("learning")
    window.show_panel("learning")
    button = panel.phase_button
    _press(qtbot, button, Qt.Key_PageDown)
    assert panel.trainer.phase == "predict"
    assert "during a lesson Page Down shows the next slide" in button.toolTip()

    lessons = window.classroom.lessons
    window.classroom.open_lesson("12_learned_filters")    # every slide on the learning panel
    assert not panel.shortcuts["PgDown"].isEnabled() and panel.shortcuts["Right"].isEnabled()
    slide = lessons.index
    _press(qtbot, button, Qt.Key_PageDown)
    assert lessons.index == slide + 1
    lessons.close()
    assert panel.shortcuts["PgDown"].isEnabled()
