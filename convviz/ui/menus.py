"""The window's File, Edit, View and Help menus (the classroom adds Lessons, Export and more)."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence


def make_action(parent, text: str, shortcut, tip: str, slot, name: str) -> QAction:
    """A named action whose tooltip shows its shortcut."""
    action = QAction(text, parent)
    action.setObjectName(name)
    if shortcut:
        action.setShortcuts(shortcut if isinstance(shortcut, list) else [QKeySequence(shortcut)])
    keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    action.setToolTip(f"{tip} ({keys})" if keys else tip)
    action.setStatusTip(tip)
    action.triggered.connect(slot)
    return action


def build_menus(window) -> None:
    """Fill ``window.menuBar()``; the actions become attributes of the window (tests and lessons use them)."""
    w, files = window, window.files
    menus = w.menuBar()
    file_menu = menus.addMenu("&File")
    w.open_action = make_action(w, "&Open image…", "Ctrl+O", "Open a PNG, JPEG, BMP, TIFF, WebP or GIF image",
                                files.open_dialog, "openAction")
    file_menu.addAction(w.open_action)
    w.recent_menu = file_menu.addMenu("Open &recent")
    w.recent_menu.setObjectName("recentMenu")
    w.recent_menu.aboutToShow.connect(lambda: files.fill_recent_menu(w.recent_menu))
    w.samples_menu = file_menu.addMenu("&Samples")
    w.samples_menu.setObjectName("samplesMenu")
    files.fill_samples_menu(w.samples_menu)
    file_menu.addSeparator()
    w.load_kernel_action = make_action(w, "&Load kernel…", "Ctrl+L", "Load a kernel from a JSON or .npy file",
                                       files.load_kernel_dialog, "loadKernelAction")
    w.save_kernel_action = make_action(w, "&Save kernel…", "Ctrl+S", "Save the kernel as JSON or .npy",
                                       files.save_kernel_dialog, "saveKernelAction")
    w.export_png_action = make_action(w, "&Export output as PNG…", "Ctrl+E",
                                      "Save the output as a PNG, coloured as displayed",
                                      lambda: files.export_dialog("png"), "exportPngAction")
    w.export_npy_action = make_action(w, "Export output as .&npy…", "Ctrl+Shift+E",
                                      "Save the output's raw values as a NumPy .npy file",
                                      lambda: files.export_dialog("npy"), "exportNpyAction")
    for action in (w.load_kernel_action, w.save_kernel_action, w.export_png_action, w.export_npy_action):
        file_menu.addAction(action)
    file_menu.addSeparator()
    file_menu.addAction(make_action(w, "&Quit", "Ctrl+Q", "Close convviz", w.close, "quitAction"))

    edit_menu = menus.addMenu("&Edit")
    w.undo_action = w.undo_stack.createUndoAction(w, "&Undo")
    w.undo_action.setObjectName("undoAction")
    w.undo_action.setShortcut(QKeySequence("Ctrl+Z"))
    w.undo_action.setToolTip("Undo the last change (Ctrl+Z)")
    w.redo_action = w.undo_stack.createRedoAction(w, "&Redo")
    w.redo_action.setObjectName("redoAction")
    w.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
    w.redo_action.setToolTip("Redo the change undone last (Ctrl+Shift+Z)")
    edit_menu.addAction(w.undo_action)
    edit_menu.addAction(w.redo_action)
    edit_menu.addSeparator()
    kernel_menu = edit_menu.addMenu("&Kernel")
    for action in w.kernel_editor.actions_by_name.values():
        kernel_menu.addAction(action)
        w.addAction(action)  # shortcuts work wherever the focus is
    w.gaussian_action = make_action(w, "&Gaussian", "Ctrl+Shift+G", "Make a Gaussian kernel of the chosen size and σ",
                                    w.kernel_editor.apply_gaussian, "gaussianAction")
    kernel_menu.addAction(w.gaussian_action)

    view_menu = menus.addMenu("&View")
    w.view_actions = {"filter": make_action(w, "&Filter", "Ctrl+1", "Show the Filter tab",
                                            lambda: w.show_panel("filter"), "showFilterAction")}
    view_menu.addAction(w.view_actions["filter"])
    for cls in w.panel_classes:
        action = make_action(w, cls.title, cls.shortcut or None, f"Show the {cls.title} tab",
                             lambda _=False, k=cls.key: w.show_panel(k), f"show_{cls.key}_action")
        w.view_actions[cls.key] = action
        view_menu.addAction(action)
    view_menu.addSeparator()
    w.fit_action = make_action(w, "Fit &images", "Ctrl+0", "Zoom so the whole padded image is visible",
                               w.input_view.fit, "fitAction")
    w.reset_layout_action = make_action(w, "&Reset layout", "Ctrl+Shift+L", "Default window size, split and zoom",
                                        w.reset_layout, "resetLayoutAction")
    view_menu.addAction(w.fit_action)
    view_menu.addAction(w.reset_layout_action)

    help_menu = menus.addMenu("&Help")
    w.about_action = make_action(w, "&About convviz", "F1", "Version and what convviz is", w.show_about,
                                 "aboutAction")
    help_menu.addAction(w.about_action)
