"""The main window: the Filter tab (input and output views, kernel, settings, colours) and the panels.

Data flows one way: a control edits the document through the
:class:`~convviz.ui.undo.DocumentEditor` (one undo step per action) → the
document emits → the output is recomputed in a :class:`LatestResultRunner`
(newest edit wins) → the views redraw. The window owns no mathematics.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

import convviz
from convviz.model import (
    PRESETS,
    display_levels,
    display_rgb,
    filter_image,
    format_number,
    padding_amounts,
)
from convviz.model.view_geometry import Rect, output_rect, padded_rect
from convviz.model.workspace import Workspace

from .colour_controls import ColourControls
from .image_views import InputView, OutputView, make_colormap
from .kernel_editor import KernelEditor
from .panel import Panel
from .panels import PANELS, panel_class
from .settings_panel import SettingsPanel
from .undo import DocumentEditor
from .worker import LatestResultRunner

log = logging.getLogger(__name__)

DEFAULT_SIZE = (1280, 800)
MAX_RECENT = 8
LARGE_INPUT_PIXELS = 1_000_000  # larger inputs and outputs are prepared for drawing in a worker
COMPUTED_FIELDS = ("image", "kernel", "padding", "stride", "dilation", "padding_mode", "flip", "gray")


@dataclass(frozen=True)
class ComputedOutput:
    """An output and the settings it was computed with (so it is placed as it was computed)."""

    values: np.ndarray
    image_hw: tuple[int, int]
    kernel_hw: tuple[int, int]
    padding: object
    stride: tuple[int, int]
    dilation: tuple[int, int]
    auto_levels: tuple[float, float]
    display: np.ndarray | None = None  # large outputs: uint8 of ``values`` at ``auto_levels``, to draw as is


def compute_output(image: np.ndarray, kernel: np.ndarray, kwargs: dict) -> ComputedOutput:
    """Worker function: :func:`convviz.model.filter_image` with a snapshot of the document,
    and the automatic display levels (a full pass over the output, so also off the GUI thread);
    for a large output also its bytes at those levels, so the view need not rescale it."""
    from convviz.model.colour import scale_to_bytes

    values = filter_image(image, kernel, **kwargs)
    values.flags.writeable = False
    levels = display_levels(values)
    large = values.shape[0] * values.shape[1] > LARGE_INPUT_PIXELS
    return ComputedOutput(values, image.shape[:2], kernel.shape, kwargs["padding"], kwargs["stride"],
                          kwargs["dilation"], levels, scale_to_bytes(values, levels) if large else None)


def decode_image(path) -> np.ndarray:
    """Worker function: decode ``path`` and make it read-only as the document stores it (no copy
    is left for the GUI thread; a 3000×3000 colour image is 216 MB)."""
    from convviz.io import load_image
    from convviz.model.document import document_image

    return document_image(load_image(path), take=True)




@dataclass(frozen=True)
class PreparedInput:
    """The input as the view shows it: its values and, for large images, their bytes to draw."""

    image: np.ndarray              # the document's image it was made from (compared by identity)
    gray: bool
    values: np.ndarray             # (H, W) or (H, W, 3), 0–255
    display: np.ndarray | None     # uint8 of ``values`` (drawn without rescaling), or None


def prepare_input(image: np.ndarray, gray: bool, *, display: bool = True) -> PreparedInput:
    """Worker function: the shown input (luminance when ``gray``) and, if ``display``, its bytes."""
    from convviz.model import to_gray
    from convviz.model.colour import scale_to_bytes

    values = to_gray(image) if (gray and image.ndim == 3) else image
    return PreparedInput(image, gray, values, scale_to_bytes(values, (0.0, 255.0)) if display else None)


def _same_state(a: tuple, b: tuple) -> bool:
    """Equal compute states: arrays by identity (the document replaces, never edits, them), the rest by value."""
    return all((x is y) if isinstance(x, np.ndarray) else (x == y) for x, y in zip(a, b))


def _check_panel_target(spec) -> None:
    """``ImportError`` when ``spec``'s module cannot be found, or is loaded and lacks the class
    (cheap: a module not loaded yet is only located, not imported)."""
    import importlib.util
    import sys

    module_name, _, class_name = spec.target.partition(":")
    if not module_name or not class_name:
        raise ImportError(f"Panel {spec.key!r}: target {spec.target!r} is not 'module:Class'.")
    module = sys.modules.get(module_name)
    if module is not None:
        if not hasattr(module, class_name):
            raise ImportError(f"Panel {spec.key!r}: {module_name} has no {class_name}.")
    elif importlib.util.find_spec(module_name) is None:
        raise ImportError(f"Panel {spec.key!r}: no module named {module_name!r}.")


def _describe_values(values, index) -> str:
    v = values[index]
    if np.ndim(v) == 0:
        return format_number(float(v))
    return "(" + ", ".join(format_number(float(c)) for c in v) + ")"


class MainWindow(QMainWindow):
    """convviz's window. ``MainWindow()`` opens on the bundled sample image with a default kernel."""

    outputShown = Signal()  # after each newest output is drawn

    def __init__(self, image_path=None, *, settings: QSettings | None = None, parent=None):
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setAccessibleName("convviz main window")
        self.setWindowTitle("convviz")
        self.setAcceptDrops(True)
        self.settings = settings if settings is not None else QSettings()
        self.workspace = Workspace()
        self.document = self.workspace.document
        self.editor = DocumentEditor(self.document, parent=self)
        self.undo_stack = self.editor.stack
        self.runner = LatestResultRunner(self)
        self.runner.finished.connect(self._show_output)
        self.runner.failed.connect(self._compute_failed)
        self.loader = LatestResultRunner(self)      # decodes image files off the GUI thread
        self.loader.finished.connect(self._image_loaded)
        self.loader.failed.connect(lambda message: self.show_error("Cannot open image", message))
        self.loader.busyChanged.connect(self._loading_changed)
        self.input_runner = LatestResultRunner(self)  # prepares large input images for drawing
        self.input_runner.finished.connect(self._draw_input)
        self.input_runner.failed.connect(self.show_message)
        self.output: ComputedOutput | None = None
        self.output_levels: tuple[float, float] = (0.0, 1.0)
        self.output_colormap = "grey"
        self.panels: dict[str, QWidget] = {}        # panels built so far (see panel())
        self.panel_pages: dict[str, QWidget] = {}   # the tab page of every registered panel
        self._panel_classes: dict[str, object] = {}  # key → PanelSpec of panels not built yet
        self._compute_timer = QTimer(self)
        self._compute_timer.setSingleShot(True)
        self._compute_timer.setInterval(0)
        self._compute_timer.timeout.connect(self.recompute)
        self._submitted_state: tuple | None = None  # the document state of the newest submission
        self._fit_pending = True
        self.image_path: Path | None = None  # the file the current image came from (None: made in the app)
        self._incoming_path: Path | None = None

        self._build_central()
        self._build_status_bar()
        self._build_menus()
        self.editor.refused.connect(self.show_message)
        self.kernel_editor.message.connect(self.show_message)
        for name in COMPUTED_FIELDS:
            getattr(self.document.events, name).connect(self._schedule_compute)
        for name in ("image", "gray"):
            getattr(self.document.events, name).connect(self._show_input)
        for name in ("image", "kernel", "padding", "dilation", "padding_mode"):
            getattr(self.document.events, name).connect(self._show_padding)
        self.document.events.image_name.connect(self._update_title)
        self.document.events.image_name.connect(self._image_renamed)
        self.document.events.image.connect(self._image_replaced)

        self._open_initial_image(image_path)
        self._restore_kernel()
        self._restore_geometry()
        self._show_input()
        self._show_padding()
        self._update_title()
        self.recompute()

        from .classroom.install import install_classroom  # lessons, presentation, export, sessions, autosave

        self.classroom = install_classroom(self)

    # ------------------------------------------------------------------ building
    def _build_central(self) -> None:
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("panelTabs")
        self.tabs.setAccessibleName("Panels")
        self.setCentralWidget(self.tabs)

        self.input_view = InputView()
        self.output_view = OutputView()
        self.output_view.setXLink(self.input_view)
        self.output_view.setYLink(self.input_view)
        self.input_view.setToolTip("The input image; the dashed, tinted border is the padding. "
                                   "Scroll to zoom, drag to pan (the output follows)")
        self.output_view.setToolTip("The output, each pixel drawn over the centre of its kernel window. "
                                    "Scroll to zoom, drag to pan (the input follows)")
        self.input_view.hovered.connect(self._hovered)
        self.output_view.hovered.connect(self._hovered)
        self.output_view.levelsDragged.connect(lambda lo, hi: self.colour_controls.set_manual_levels(lo, hi))

        self.view_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.view_splitter.setObjectName("viewSplitter")
        self.view_splitter.addWidget(self.input_view)
        self.view_splitter.addWidget(self.output_view)
        self.view_splitter.setChildrenCollapsible(False)

        self.kernel_editor = KernelEditor(self.editor)
        self.settings_panel = SettingsPanel(self.editor)
        self.colour_controls = ColourControls()
        self.colour_controls.changed.connect(self._recolour_output)

        controls = QWidget()
        controls.setObjectName("controlsColumn")
        column = QVBoxLayout(controls)
        column.setContentsMargins(6, 6, 6, 6)
        for title, widget, name in (("Kernel", self.kernel_editor, "kernelGroup"),
                                    ("Convolution", self.settings_panel, "settingsGroup"),
                                    ("Output colours", self.colour_controls, "colourGroup")):
            group = QGroupBox(title, controls)
            group.setObjectName(name)
            box = QVBoxLayout(group)
            box.setContentsMargins(6, 6, 6, 6)
            box.addWidget(widget)
            column.addWidget(group)
        column.addStretch(1)
        self.controls_scroll = QScrollArea()
        self.controls_scroll.setObjectName("controlsScroll")
        self.controls_scroll.setWidget(controls)
        self.controls_scroll.setWidgetResizable(True)
        self.controls_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.controls_scroll.setMinimumWidth(controls.minimumSizeHint().width() + 20)

        self.filter_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.filter_splitter.setObjectName("filterTab")
        self.filter_splitter.setAccessibleName("Filter")
        self.filter_splitter.addWidget(self.view_splitter)
        self.filter_splitter.addWidget(self.controls_scroll)
        self.filter_splitter.setStretchFactor(0, 1)
        self.filter_splitter.setStretchFactor(1, 0)
        self.filter_splitter.setChildrenCollapsible(False)
        self.tabs.addTab(self.filter_splitter, "Filter")
        self.tabs.setTabToolTip(0, "Filter an image: input, output, kernel and settings (Ctrl+1)")

        for spec in PANELS:
            self._add_panel(spec)
        self.tabs.currentChanged.connect(self._tab_changed)

    def _add_panel(self, spec) -> None:
        """A tab for ``spec`` whose page receives the panel when the tab is first shown (see :meth:`panel`).

        A panel whose module cannot be found (or, when its module is loaded already, whose class is
        missing) gets no tab; other panel modules are imported when the panel is first built.
        """
        try:
            _check_panel_target(spec)
        except Exception:  # a broken panel must not take the window down
            log.exception("convviz: the %r panel (%s) could not be loaded; it is left out", spec.key, spec.target)
            return
        page = QWidget()
        page.setObjectName(f"{spec.key}Page")
        page.setAccessibleName(spec.title)
        page.setProperty("panelKey", spec.key)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        self.panel_pages[spec.key] = page
        self._panel_classes[spec.key] = spec
        index = self.tabs.addTab(page, spec.title)
        self.tabs.setTabToolTip(index, f"{spec.title} ({spec.shortcut})" if spec.shortcut else spec.title)

    # ------------------------------------------------------------------ panels, built on demand
    def panel_keys(self) -> list[str]:
        """Keys of every registered panel that has a tab (built or not), in tab order."""
        return list(self.panel_pages)

    def panel(self, key: str, create: bool = True) -> QWidget | None:
        """The panel for ``key``; built now if it was not yet and ``create`` (None if unknown or broken).

        Panels are built when their tab is first shown (startup builds none of them);
        :attr:`panels` holds those built so far.
        """
        widget = self.panels.get(key)
        if widget is None and create and key in self._panel_classes:
            widget = self._build_panel(key)
        return widget

    def show_panel(self, key: str) -> bool:
        """Make ``key``'s tab (``"filter"`` for the Filter tab) the current one, building its panel."""
        page = self.filter_splitter if key == "filter" else self.panel_pages.get(key)
        if page is None:
            return False
        self.tabs.setCurrentWidget(page)
        return True

    def current_panel_key(self) -> str:
        """``"filter"`` or the key of the panel whose tab is current."""
        page = self.tabs.currentWidget()
        return next((k for k, p in self.panel_pages.items() if p is page), "filter")

    def _build_panel(self, key: str) -> QWidget | None:
        spec = self._panel_classes.pop(key)
        page = self.panel_pages[key]
        try:
            cls = panel_class(spec)
            widget = (cls(self.workspace, page, editor=self.editor) if issubclass(cls, Panel)
                      else cls(self.document, page))
        except Exception:  # a broken panel must not take the window down
            log.exception("convviz: the %r panel (%s) could not be built", spec.key, spec.target)
            note = QLabel(f"The {spec.title} panel could not be built; the log says why.", page)
            note.setObjectName(f"{key}PanelError")
            note.setAlignment(Qt.AlignmentFlag.AlignCenter)
            page.layout().addWidget(note)
            if page.isVisible():
                note.show()
            return None
        if not widget.objectName():
            widget.setObjectName(spec.key)
        if not widget.accessibleName():
            widget.setAccessibleName(spec.title)
        page.layout().addWidget(widget)
        if page.isVisible():
            widget.show()
        self.panels[key] = widget
        return widget

    def _tab_changed(self, index: int) -> None:
        key = self.tabs.widget(index).property("panelKey") if index >= 0 else None
        if key:
            self.panel(str(key))

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        bar.setObjectName("statusBar")
        self.input_readout = self._status_label("inputReadout", "Input value under the cursor")
        self.output_readout = self._status_label("outputReadout", "Output value under the cursor")
        self.output_info = self._status_label("outputInfo", "Output size and how long it took to compute")
        self.busy_indicator = QProgressBar(self)
        self.busy_indicator.setObjectName("busyIndicator")
        self.busy_indicator.setAccessibleName("Computing")
        self.busy_indicator.setToolTip("Computing the output…")
        self.busy_indicator.setRange(0, 0)
        self.busy_indicator.setMaximumWidth(90)
        self.busy_indicator.setMaximumHeight(14)
        self.busy_indicator.hide()
        self.runner.busyChanged.connect(self._busy_changed)
        for widget in (self.input_readout, self.output_readout):
            bar.addWidget(widget)
        bar.addPermanentWidget(self.busy_indicator)
        bar.addPermanentWidget(self.output_info)

    def _status_label(self, name: str, accessible: str) -> QLabel:
        label = QLabel(self)
        label.setObjectName(name)
        label.setAccessibleName(accessible)
        label.setToolTip(accessible)
        return label

    def _action(self, text: str, shortcut, tip: str, slot, name: str) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if shortcut:
            action.setShortcuts(shortcut if isinstance(shortcut, list) else [QKeySequence(shortcut)])
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{tip} ({keys})" if keys else tip)
        action.setStatusTip(tip)
        action.triggered.connect(slot)
        return action

    def _build_menus(self) -> None:
        menus = self.menuBar()
        file_menu = menus.addMenu("&File")
        self.open_action = self._action("&Open image…", "Ctrl+O",
                                        "Open a PNG, JPEG, BMP, TIFF, WebP or GIF image", self.open_dialog,
                                        "openAction")
        file_menu.addAction(self.open_action)
        self.recent_menu = file_menu.addMenu("Open &recent")
        self.recent_menu.setObjectName("recentMenu")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self.samples_menu = file_menu.addMenu("&Samples")
        self.samples_menu.setObjectName("samplesMenu")
        self._fill_samples_menu()
        file_menu.addSeparator()
        self.load_kernel_action = self._action("&Load kernel…", "Ctrl+L", "Load a kernel from a JSON or .npy file",
                                               self.load_kernel_dialog, "loadKernelAction")
        self.save_kernel_action = self._action("&Save kernel…", "Ctrl+S",
                                               "Save the kernel as JSON or .npy", self.save_kernel_dialog,
                                               "saveKernelAction")
        self.export_png_action = self._action("&Export output as PNG…", "Ctrl+E",
                                              "Save the output as a PNG, coloured as displayed",
                                              lambda: self.export_dialog("png"), "exportPngAction")
        self.export_npy_action = self._action("Export output as .&npy…", "Ctrl+Shift+E",
                                              "Save the output's raw values as a NumPy .npy file",
                                              lambda: self.export_dialog("npy"), "exportNpyAction")
        for action in (self.load_kernel_action, self.save_kernel_action, self.export_png_action,
                       self.export_npy_action):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(self._action("&Quit", "Ctrl+Q", "Close convviz", self.close,
                                         "quitAction"))

        edit_menu = menus.addMenu("&Edit")
        self.undo_action = self.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setObjectName("undoAction")
        self.undo_action.setShortcut(QKeySequence("Ctrl+Z"))
        self.undo_action.setToolTip("Undo the last kernel or settings change (Ctrl+Z)")
        self.redo_action = self.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setObjectName("redoAction")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.redo_action.setToolTip("Redo the change undone last (Ctrl+Shift+Z)")
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        kernel_menu = edit_menu.addMenu("&Kernel")
        for action in self.kernel_editor.actions_by_name.values():
            kernel_menu.addAction(action)
            self.addAction(action)  # shortcuts work wherever the focus is
        self.gaussian_action = self._action("&Gaussian", "Ctrl+Shift+G", "Make a Gaussian kernel of the chosen "
                                            "size and σ", self.kernel_editor.apply_gaussian, "gaussianAction")
        kernel_menu.addAction(self.gaussian_action)

        view_menu = menus.addMenu("&View")
        self.view_actions: dict[str, QAction] = {}
        self.view_actions["filter"] = self._action("&Filter", "Ctrl+1", "Show the Filter tab",
                                                   lambda: self.tabs.setCurrentWidget(self.filter_splitter),
                                                   "showFilterAction")
        view_menu.addAction(self.view_actions["filter"])
        for spec in PANELS:
            if spec.key not in self.panel_pages:
                continue
            action = self._action(spec.title, spec.shortcut or None, f"Show the {spec.title} tab",
                                  lambda _=False, k=spec.key: self.show_panel(k), f"show_{spec.key}_action")
            self.view_actions[spec.key] = action
            view_menu.addAction(action)
        view_menu.addSeparator()
        self.fit_action = self._action("Fit &images", "Ctrl+0", "Zoom so the whole padded image is visible",
                                       self.input_view.fit, "fitAction")
        self.reset_layout_action = self._action("&Reset layout", "Ctrl+Shift+L", "Default window size, split and zoom",
                                                self.reset_layout, "resetLayoutAction")
        view_menu.addAction(self.fit_action)
        view_menu.addAction(self.reset_layout_action)

        help_menu = menus.addMenu("&Help")
        self.about_action = self._action("&About convviz", "F1",
                                         "Version and what convviz is", self.show_about, "aboutAction")
        help_menu.addAction(self.about_action)

    # ------------------------------------------------------------------ images
    def _open_initial_image(self, image_path) -> None:
        if image_path is not None and self.load_image(image_path, remember=True):
            return
        from convviz.io.samples import DEFAULT_SAMPLE, sample_path

        if not self.load_image(sample_path(DEFAULT_SAMPLE), remember=False):
            log.warning("convviz: the bundled sample %s could not be opened; showing a synthetic image",
                        DEFAULT_SAMPLE)

    def load_image(self, path, *, remember: bool = True, decoded: np.ndarray | None = None) -> bool:
        """Open an image file as File ▸ Open and drag-and-drop do, and wait for it (True if it was used).

        A file that cannot be used (unreadable, not an image, larger than
        :data:`convviz.io.MAX_PIXELS`, or too small for today's kernel and padding)
        shows a message and the current image stays. The menus and drops use
        :meth:`open_image`, which decodes in a worker so a big file never freezes the window;
        its result comes back here as ``decoded`` (the file's pixels), so every image the
        window uses goes through this one method.
        """
        from convviz.io import ImageFileError, load_image

        path = Path(path)
        if decoded is None:
            try:
                decoded = load_image(path)
            except ImageFileError as exc:
                self.show_error("Cannot open image", str(exc))
                return False
        return self._use_image(path, decoded, remember)

    def open_image(self, path, *, remember: bool = True) -> None:
        """Decode ``path`` in a worker, then use it as :meth:`load_image` does (newest request wins)."""
        path = Path(path)
        self._loading = (path, remember)
        self.show_message(f"Opening {path.name}…", 0)
        self.loader.submit(decode_image, path)

    @property
    def loading(self) -> bool:
        """True while :meth:`open_image` is decoding a file."""
        return self.loader.pending

    def _image_loaded(self, image) -> None:
        path, remember = self._loading
        self.load_image(path, remember=remember, decoded=image)

    def _loading_changed(self, busy: bool) -> None:
        self.busy_indicator.setVisible(busy or self.runner.busy)

    def _use_image(self, path: Path, image, remember: bool) -> bool:
        self._incoming_path = path.resolve()
        try:
            self.document.apply(image=image, image_name=path.name)
        except ValueError as exc:
            self.show_error("Cannot use image", f"{path.name}: {exc}")
            return False
        finally:
            self._incoming_path = None
        self.image_path = path.resolve()
        self._fit_pending = True
        if remember:
            self._remember_file(path)
        kind = "colour" if image.ndim == 3 else "grey"
        self.show_message(f"Opened {path.name}: {image.shape[1]}×{image.shape[0]} {kind}")
        return True

    def _remember_file(self, path: Path) -> None:
        path = path.resolve()
        recent = [p for p in self.recent_files() if p != str(path)]
        self.settings.setValue("recentFiles", [str(path), *recent][:MAX_RECENT])
        self.settings.setValue("lastFolder", str(path.parent))

    def recent_files(self) -> list[str]:
        value = self.settings.value("recentFiles", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or [])]

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        files = self.recent_files()
        for i, name in enumerate(files):
            action = self.recent_menu.addAction(f"&{i + 1} {Path(name).name}")
            action.setToolTip(name)
            action.setStatusTip(name)
            action.triggered.connect(lambda _=False, n=name: self.open_image(n))
        if not files:
            self.recent_menu.addAction("(no recent files)").setEnabled(False)

    def _fill_samples_menu(self) -> None:
        from convviz.io.samples import SAMPLES, sample_path

        self.samples_menu.setToolTipsVisible(True)
        for file_name, title, description in SAMPLES:
            action = self.samples_menu.addAction(title)
            action.setToolTip(description)
            action.setStatusTip(description)
            action.setObjectName(f"sample_{Path(file_name).stem}")
            action.triggered.connect(lambda _=False, f=file_name: self.open_image(sample_path(f), remember=False))

    def _last_folder(self) -> str:
        return str(self.settings.value("lastFolder", "") or Path.home())

    def open_dialog(self) -> None:
        from convviz.io import IMAGE_FILE_FILTER

        path, _ = QFileDialog.getOpenFileName(self, "Open image", self._last_folder(),
                                              f"{IMAGE_FILE_FILTER};;All files (*)")
        if path:
            self.open_image(path)

    # drag and drop ------------------------------------------------------------------
    @staticmethod
    def _dropped_file(mime) -> str | None:
        for url in mime.urls() if mime.hasUrls() else []:
            if url.isLocalFile():
                return url.toLocalFile()
        return None

    def dragEnterEvent(self, event):
        if self._dropped_file(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event):
        self.dragEnterEvent(event)

    def dropEvent(self, event):
        path = self._dropped_file(event.mimeData())
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.open_image(path)

    # ------------------------------------------------------------------ kernels and exports
    def apply_kernel_argument(self, value: str) -> None:
        """``--kernel``: a preset key or a kernel file. ``ValueError`` with a sentence if neither."""
        if value in PRESETS:
            self.document.apply(kernel=PRESETS[value].kernel, preset=value)
            return
        if not Path(value).exists():
            raise ValueError(f"--kernel {value!r} is neither a preset ({', '.join(PRESETS)}) nor an existing file.")
        from convviz.io import load_kernel

        self.document.apply(kernel=load_kernel(value), preset=None)

    def load_kernel_from(self, path) -> bool:
        """Load a kernel file (JSON or .npy) as one undo step; a message and no change if it cannot be used."""
        from convviz.io import KernelFileError, load_kernel

        try:
            kernel = load_kernel(path)
        except KernelFileError as exc:
            self.show_error("Cannot load kernel", str(exc))
            return False
        return self.editor.edit(f"Load kernel {Path(path).name}", kernel=kernel, preset=None)

    def save_kernel_to(self, path) -> bool:
        from convviz.io import OutputFileError, save_kernel

        path = Path(path)
        try:
            name = PRESETS[self.document.preset].name if self.document.preset else None
            save_kernel(path, self.document.kernel, name=name)  # .json or .npy, by the extension
        except (OSError, OutputFileError, ValueError) as exc:
            self.show_error("Cannot save kernel", str(exc))
            return False
        self.show_message(f"Saved the kernel to {path.name}")
        return True

    def displayed_output_rgb(self) -> np.ndarray:
        """The output as the view colours it: ``(H', W', 3)`` uint8."""
        if self.output is None:
            raise ValueError("There is no output yet.")
        return display_rgb(self.output.values, colormap=self.output_colormap, levels=self.output_levels)

    def export_output(self, path) -> bool:
        """Save the output: ``.npy`` raw values, anything else a PNG coloured as displayed."""
        from convviz.io import OutputFileError, save_png
        from convviz.io._files import atomic_write

        path = Path(path)
        try:
            if path.suffix.lower() == ".npy":
                if self.output is None:
                    raise ValueError("There is no output yet.")
                values = self.output.values
                atomic_write(path, lambda fh: np.save(fh, values, allow_pickle=False))
            else:
                save_png(path, self.displayed_output_rgb())
        except (OSError, OutputFileError, ValueError) as exc:
            self.show_error("Cannot export output", str(exc))
            return False
        self.show_message(f"Exported the output to {path.name}")
        return True

    def load_kernel_dialog(self) -> None:
        from convviz.io import KERNEL_FILE_FILTER

        path, _ = QFileDialog.getOpenFileName(self, "Load kernel", self._last_folder(),
                                              f"{KERNEL_FILE_FILTER};;All files (*)")
        if path:
            self.settings.setValue("lastFolder", str(Path(path).parent))
            self.load_kernel_from(path)

    def save_kernel_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save kernel", str(Path(self._last_folder()) / "kernel.json"),
                                              "JSON kernel (*.json);;NumPy array (*.npy)")
        if path:
            self.settings.setValue("lastFolder", str(Path(path).parent))
            self.save_kernel_to(path)

    def export_dialog(self, kind: str) -> None:
        stem = Path(self.document.image_name).stem or "output"
        suggested = Path(self._last_folder()) / f"{stem}-filtered.{kind}"
        file_filter = "PNG image (*.png)" if kind == "png" else "NumPy array (*.npy)"
        path, _ = QFileDialog.getSaveFileName(self, "Export output", str(suggested), file_filter)
        if path:
            self.settings.setValue("lastFolder", str(Path(path).parent))
            self.export_output(path)

    # ------------------------------------------------------------------ computing and drawing
    def _schedule_compute(self, *_args) -> None:
        """A computed field changed: submit at once, so the worker runs while the GUI repaints the
        editors. ``ConvDocument.apply`` sets every field before it emits, so the first signal of a
        change already sees the whole new state; the later signals of the same change find it
        submitted and do nothing."""
        if self._submitted_state is not None and _same_state(self._submitted_state, self._compute_state()):
            return
        self.recompute()

    def _compute_state(self) -> tuple:
        doc = self.document
        return (doc.image, doc.kernel, doc.padding, doc.stride, doc.dilation, doc.padding_mode, doc.flip, doc.gray)

    @property
    def computing(self) -> bool:
        """True while a document change has not yet been drawn as output."""
        return self._compute_timer.isActive() or self.runner.pending

    def recompute(self) -> None:
        """Submit the output computation for the document as it is now (newest wins)."""
        self._compute_timer.stop()
        doc = self.document
        self._submitted_state = self._compute_state()  # holds the arrays, so identity comparison is safe
        self.runner.submit(compute_output, doc.image, doc.kernel, doc.conv_kwargs())

    def _show_output(self, result: ComputedOutput) -> None:
        self.output = result
        rect = output_rect(result.image_hw, result.kernel_hw, result.padding, stride=result.stride,
                           dilation=result.dilation)
        self.output_levels, self.output_colormap = self.colour_controls.choose(result.values, result.auto_levels)
        display = (result.display if result.display is not None
                   and tuple(self.output_levels) == tuple(result.auto_levels) else None)
        self.output_view.show_output(result.values, rect, levels=self.output_levels,
                                     colormap_name=self.output_colormap, display=display)
        h, w = result.values.shape[:2]
        kind = " × 3 channels" if result.values.ndim == 3 else ""
        self.output_view.set_title(f"Output {w}×{h}{kind}")
        ms = self.runner.last_elapsed * 1000
        self.output_info.setText(f"Output {w}×{h}{kind} · {ms:.1f} ms")
        if self._fit_pending:
            self._fit_pending = False
            self.input_view.fit()
        self.outputShown.emit()

    def _recolour_output(self) -> None:
        if self.output is None:
            return
        self.output_levels, self.output_colormap = self.colour_controls.choose(self.output.values,
                                                                             self.output.auto_levels)
        self.output_view.set_output_levels(self.output_levels, self.output_colormap)

    def _compute_failed(self, message: str) -> None:
        self.output_info.setText("Output could not be computed")
        self.show_message(f"The output could not be computed: {message}")

    def _busy_changed(self, busy: bool) -> None:
        self.busy_indicator.setVisible(busy or self.loader.busy)
        if busy:
            self.output_info.setText("Computing…")

    def _show_input(self, *_args) -> None:
        doc = self.document
        h, w = doc.image.shape[:2]
        if h * w <= LARGE_INPUT_PIXELS:
            self._draw_input(prepare_input(doc.image, doc.gray, display=False))
        else:  # luminance and bytes of a photo take a while: in the worker, then drawn
            self.input_runner.submit(prepare_input, doc.image, doc.gray)

    def _draw_input(self, prepared: PreparedInput) -> None:
        doc = self.document
        if prepared.image is not doc.image or prepared.gray != doc.gray:
            return  # the document moved on; its own input is on its way
        shown = prepared.values
        h, w = shown.shape[:2]
        self.input_view.show_values(shown, Rect(0, 0, w, h), levels=(0.0, 255.0),
                                    colormap=make_colormap("grey") if shown.ndim == 2 else None,
                                    display=prepared.display)
        kind = "colour" if shown.ndim == 3 else ("grey (luminance of a colour image)" if doc.is_colour else "grey")
        self.input_view.set_title(f"Input {w}×{h} {kind}")

    def _show_padding(self, *_args) -> None:
        doc = self.document
        hw = doc.image.shape[:2]
        top, bottom, left, right = padding_amounts(doc.kernel.shape, doc.padding, dilation=doc.dilation)
        padded = padded_rect(hw, doc.kernel.shape, doc.padding, dilation=doc.dilation)
        if (top, bottom, left, right) == (0, 0, 0, 0):
            label = ""
        elif len({top, bottom, left, right}) == 1:
            label = f"padding {top} px, {doc.padding_mode}"
        else:
            label = f"padding ↑{top} ↓{bottom} ←{left} →{right} px, {doc.padding_mode}"
        self.input_view.set_padding(padded, hw, label)

    def _hovered(self, point) -> None:
        if point is None:
            self.input_readout.setText("")
            self.output_readout.setText("")
            return
        x, y = point
        for view, label, name in ((self.input_view, self.input_readout, "Input"),
                                  (self.output_view, self.output_readout, "Output")):
            index = view.pixel_at(x, y)
            if index is None or view.values is None:
                label.setText(f"{name}: –")
            else:
                label.setText(f"{name} (row {index[0]}, col {index[1]}) = {_describe_values(view.values, index)}")

    # ------------------------------------------------------------------ messages, title, about
    def show_message(self, text: str, timeout_ms: int = 8000) -> None:
        self.statusBar().showMessage(text, timeout_ms)

    def show_error(self, title: str, text: str) -> None:
        """A refusal: in the status bar and, when the window is visible, a message box."""
        self.last_error = text
        self.show_message(text, 15000)
        if self.isVisible() and os.environ.get("QT_QPA_PLATFORM") != "offscreen":
            QMessageBox.warning(self, title, text)

    def _image_replaced(self, *_args) -> None:
        """The image changed: it came from :attr:`image_path` only if it is the file being opened."""
        self.image_path = self._incoming_path

    def _image_renamed(self, *_args) -> None:
        """Another image (e.g. the player's lecture example): the status bar says so, not "Opened …"."""
        if self._incoming_path is None:
            image = self.document.image
            kind = "colour" if image.ndim == 3 else "grey"
            self.show_message(f"Image: {self.document.image_name} ({image.shape[1]}×{image.shape[0]} {kind})")

    def _update_title(self, *_args) -> None:
        self.setWindowTitle(f"{self.document.image_name} — convviz")

    def show_about(self) -> None:
        QMessageBox.about(self, "About convviz", (
            f"<h3>convviz {convviz.__version__}</h3>"
            "<p>See and teach image convolution: edit a kernel and watch the output change, "
            "step through the arithmetic, compare costs.</p>"
            "<p>PySide6 + pyqtgraph on an exact NumPy model. MIT licence.</p>"))

    # ------------------------------------------------------------------ settings and layout
    def _restore_kernel(self) -> None:
        text = self.settings.value("lastKernel", "")
        if not text:
            return
        try:
            saved = json.loads(str(text))
            preset = saved.get("preset")
            self.document.apply(kernel=np.array(saved["kernel"], dtype=np.float64),
                                preset=preset if preset in PRESETS else None)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            log.warning("convviz: ignoring the remembered kernel: %s", exc)

    def _save_kernel_setting(self) -> None:
        kernel = np.asarray(self.document.kernel).tolist()
        self.settings.setValue("lastKernel", json.dumps({"kernel": kernel, "preset": self.document.preset}))

    def _restore_geometry(self) -> None:
        geometry = self.settings.value("geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(*DEFAULT_SIZE)
        self._default_splits()
        state = self.settings.value("filterSplitter")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.filter_splitter.restoreState(state)

    def _default_splits(self) -> None:
        width = max(self.width(), DEFAULT_SIZE[0])
        side = max(self.controls_scroll.minimumWidth(), 400)
        self.filter_splitter.setSizes([width - side, side])
        half = (width - side) // 2
        self.view_splitter.setSizes([half, half])

    def reset_layout(self) -> None:
        """Default window size, the Filter tab, default splits and the whole image in view."""
        screen = self.screen().availableGeometry() if self.screen() else None
        w, h = DEFAULT_SIZE
        if screen is not None:
            w, h = min(w, screen.width()), min(h, screen.height())
        self.resize(w, h)
        self.tabs.setCurrentWidget(self.filter_splitter)
        self._default_splits()
        self.input_view.fit()
        for key in ("geometry", "filterSplitter"):
            self.settings.remove(key)

    def shutdown(self) -> None:
        """Stop timers and the worker, remember settings and close the panels (also on closeEvent)."""
        if getattr(self, "_shut_down", False):
            return
        self._shut_down = True
        self._compute_timer.stop()
        self.runner.shutdown()
        self.loader.shutdown()
        self.input_runner.shutdown()
        self.kernel_editor.shutdown()
        self.statusBar().clearMessage()
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.setValue("filterSplitter", self.filter_splitter.saveState())
        self._save_kernel_setting()
        self.settings.sync()
        for widget in self.panels.values():
            widget.close()

    def closeEvent(self, event):
        self.shutdown()
        super().closeEvent(event)
