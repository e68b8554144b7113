"""The main window: a shell of tabs, menus and a status bar around the panels.

The window owns the :class:`~convviz.model.workspace.Workspace` (the document and every
tab's state), the undo stack and the file actions; each tab is a
:class:`~convviz.ui.panel.Panel` (the Filter tab first, the others built when first shown).
See ``docs/ARCHITECTURE.md`` for the data path.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np
from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtWidgets import QMainWindow, QMessageBox, QWidget

import convviz
from convviz.model import PRESETS
from convviz.model.workspace import Workspace

from .app import configure_pyqtgraph
from .file_actions import FileActions
from .filter.panel import FilterPanel
from .menus import build_menus
from .panels import panel_classes
from .tabs import PanelTabs
from .undo import DocumentEditor

log = logging.getLogger(__name__)

DEFAULT_SIZE = (1280, 800)


class MainWindow(QMainWindow):
    """convviz's window. ``MainWindow()`` opens on the bundled sample image with a default kernel."""

    outputShown = Signal()  # after each newest output is drawn

    def __init__(self, image_path=None, *, settings: QSettings | None = None, autosave: bool = True, parent=None):
        configure_pyqtgraph()
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
        self.last_error = ""

        self.tabs = PanelTabs(self.workspace, self.editor, self)
        self.setCentralWidget(self.tabs)
        self.filter = FilterPanel(self.workspace, editor=self.editor)
        self.filter_page = self.tabs.add_built(self.filter, "Filter an image: input, output, kernel and settings "
                                                          "(Ctrl+1)")
        self.panel_classes = panel_classes()
        for cls in self.panel_classes:
            self.tabs.add_panel(cls)
        f = self.filter  # the Filter tab's parts, by the names tests, lessons and exports use
        self.input_view, self.output_view, self.kernel_editor = f.input_view, f.output_view, f.kernel_editor
        self.settings_panel, self.colour_controls, self.filter_splitter = f.settings_panel, f.colour_controls, \
            self.filter_page
        self.runner, self.input_readout, self.output_readout = f.runner, f.input_readout, f.output_readout
        self.output_info = f.output_info
        self.files = FileActions(self)

        bar = self.statusBar()
        bar.setObjectName("statusBar")
        for widget in (f.input_readout, f.output_readout):
            bar.addWidget(widget)
        bar.addPermanentWidget(f.busy_indicator)
        bar.addPermanentWidget(f.output_info)
        self.files.loader.busyChanged.connect(lambda busy: f.busy_indicator.setVisible(busy or f.runner.busy))
        build_menus(self)
        f.outputShown.connect(self.outputShown)
        f.message.connect(self.show_message)
        self.editor.refused.connect(self.show_message)
        self.document.events.image_name.connect(self._update_title)

        self._open_initial_image(image_path)
        self._restore_kernel()
        self._restore_geometry()
        self._update_title()
        f.start()

        from .classroom.install import install_classroom  # lessons, presentation, export, sessions, autosave

        self.classroom = install_classroom(self, autosave_enabled=autosave)
        self.classroom.presentation.toggled.connect(self.filter.presentation_changed)

    # -- tabs ---------------------------------------------------------------------------
    @property
    def panels(self) -> dict[str, QWidget]:
        """The panels built so far, by key (the Filter tab is :attr:`filter`)."""
        return self.tabs.panels

    @property
    def panel_pages(self) -> dict[str, QWidget]:
        return self.tabs.panel_pages

    def panel_keys(self) -> list[str]:
        """Keys of every registered panel that has a tab (built or not), in tab order."""
        return self.tabs.panel_keys()

    def panel(self, key: str, create: bool = True) -> QWidget | None:
        """The panel for ``key`` (``"filter"`` too); built now if it was not yet and ``create``."""
        return self.filter if key == "filter" else self.tabs.panel(key, create)

    def show_panel(self, key: str) -> bool:
        """Make ``key``'s tab (``"filter"`` for the Filter tab) the current one, building its panel."""
        page = self.filter_page if key == "filter" else self.tabs.panel_pages.get(key)
        if page is None:
            return False
        self.tabs.setCurrentWidget(page)
        return True

    def current_panel_key(self) -> str:
        """``"filter"`` or the key of the panel whose tab is current."""
        return self.tabs.key_of(self.tabs.currentWidget())

    # -- the Filter tab's output -------------------------------------------------------------
    @property
    def output(self):
        return self.filter.output

    @property
    def output_levels(self) -> tuple[float, float]:
        return self.filter.output_levels

    @property
    def output_colormap(self) -> str:
        return self.filter.output_colormap

    @property
    def computing(self) -> bool:
        """True while a document change has not yet been drawn as output."""
        return self.filter.computing

    def recompute(self) -> None:
        self.filter.recompute()

    def displayed_output_rgb(self) -> np.ndarray:
        return self.filter.displayed_output_rgb()

    # -- files (see FileActions) -------------------------------------------------------------
    def load_image(self, path, *, remember: bool = True, decoded: np.ndarray | None = None) -> bool:
        """Open an image file as File ▸ Open and drag-and-drop do, and wait for it (True if it was used).

        A file that cannot be used (unreadable, not an image, too large, or too small for today's
        kernel and padding) shows a message and the current image stays. The menus and drops use
        :meth:`open_image`, which decodes in a worker so a big file never freezes the window.
        """
        return self.files.load_image(path, remember=remember, decoded=decoded)

    def open_image(self, path, *, remember: bool = True) -> None:
        """Decode ``path`` in a worker, then use it as :meth:`load_image` does (newest request wins)."""
        self.files.open_image(path, remember=remember)

    @property
    def loading(self) -> bool:
        """True while :meth:`open_image` is decoding a file."""
        return self.files.loader.pending

    @property
    def image_path(self) -> Path | None:
        """The file the current image came from (None: made in the app)."""
        return self.files.image_path

    def recent_files(self) -> list[str]:
        return self.files.recent_files()

    def apply_kernel_argument(self, value: str) -> None:
        self.files.apply_kernel_argument(value)

    def load_kernel_from(self, path) -> bool:
        return self.files.load_kernel_from(path)

    def save_kernel_to(self, path) -> bool:
        return self.files.save_kernel_to(path)

    def export_output(self, path) -> bool:
        return self.files.export_output(path)

    def _open_initial_image(self, image_path) -> None:
        """The command line's IMAGE is decoded in the worker (the window shows at once); without one,
        or when it is refused, the bundled sample (small: decoded here)."""
        if image_path is not None and self.files.open_initial_image(image_path):
            return
        from convviz.io.samples import DEFAULT_SAMPLE, sample_path

        if not self.load_image(sample_path(DEFAULT_SAMPLE), remember=False):
            log.warning("convviz: the bundled sample %s could not be opened; showing a synthetic image",
                        DEFAULT_SAMPLE)

    def dragEnterEvent(self, event):
        if self.files.dropped_file(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event):
        self.dragEnterEvent(event)

    def dropEvent(self, event):
        path = self.files.dropped_file(event.mimeData())
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.open_image(path)

    # -- messages, title, about ---------------------------------------------------------------
    def show_message(self, text: str, timeout_ms: int = 8000) -> None:
        self.statusBar().showMessage(text, timeout_ms)

    def show_error(self, title: str, text: str) -> None:
        """A refusal: in the status bar and, when the window is visible, a message box that does not
        block (``open()``, not ``exec()``), so nothing waits on it."""
        self.last_error = text
        self.show_message(text, 15000)
        if self.isVisible():
            box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, self)
            box.setObjectName("errorBox")
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()

    def _update_title(self, *_args) -> None:
        self.setWindowTitle(f"{self.document.image_name} — convviz")

    def show_about(self) -> None:
        QMessageBox.about(self, "About convviz", (
            f"<h3>convviz {convviz.__version__}</h3>"
            "<p>See and teach image convolution: edit a kernel and watch the output change, "
            "step through the arithmetic, compare costs.</p>"
            "<p>PySide6 + pyqtgraph on an exact NumPy model. MIT licence.</p>"))

    # -- settings and layout ----------------------------------------------------------------
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

    def _restore_geometry(self) -> None:
        geometry = self.settings.value("geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(*DEFAULT_SIZE)
        self.filter.default_splits(max(self.width(), DEFAULT_SIZE[0]))
        state = self.settings.value("filterSplitter")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.filter.filter_splitter.restoreState(state)

    def reset_layout(self) -> None:
        """Default window size, the Filter tab, default splits and the whole image in view."""
        screen = self.screen().availableGeometry() if self.screen() else None
        w, h = DEFAULT_SIZE
        if screen is not None:
            w, h = min(w, screen.width()), min(h, screen.height())
        self.resize(w, h)
        self.show_panel("filter")
        self.filter.default_splits(max(self.width(), DEFAULT_SIZE[0]))
        self.input_view.fit()
        for key in ("geometry", "filterSplitter"):
            self.settings.remove(key)

    def shutdown(self) -> None:
        """Stop the workers, remember settings and close the panels (also on closeEvent)."""
        if getattr(self, "_shut_down", False):
            return
        self._shut_down = True
        self.filter.shutdown()
        self.files.loader.shutdown()
        self.statusBar().clearMessage()
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.setValue("filterSplitter", self.filter.filter_splitter.saveState())
        kernel = np.asarray(self.document.kernel).tolist()
        self.settings.setValue("lastKernel", json.dumps({"kernel": kernel, "preset": self.document.preset}))
        self.settings.sync()
        for widget in self.panels.values():
            widget.close()

    def closeEvent(self, event):
        self.shutdown()
        super().closeEvent(event)
