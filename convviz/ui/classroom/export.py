"""Export: a panel as PNG at a chosen scale, the player's animation as GIF or PNG sequence
(progress bar, cancel), the current step as CSV, and "copy as code"."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, QSize, Qt, Signal
from PySide6.QtGui import QGuiApplication, QImage, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressDialog,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from convviz.io.animation import MAX_FRAMES, AnimationCancelled, write_gif, write_png_sequence
from convviz.io.images import save_png
from convviz.model.codegen import convviz_snippet, pytorch_snippet

MAX_EXPORT_SIDE = 16384


def render_widget(widget: QWidget, scale: float = 1.0, size: QSize | None = None) -> QImage:
    """The widget drawn offscreen at ``scale`` × its size (text and plots redrawn sharp, not stretched).

    ``size`` (in widget pixels) fixes the picture's size, e.g. for the frames of an animation.
    """
    if not 0.25 <= scale <= 8:
        raise ValueError("The export scale must be between 0.25 and 8.")
    size = widget.size() if size is None else size
    w, h = max(1, round(size.width() * scale)), max(1, round(size.height() * scale))
    if max(w, h) > MAX_EXPORT_SIDE:
        raise ValueError(f"The picture would be {w}×{h} pixels; choose a smaller scale.")
    pixmap = QPixmap(QSize(w, h))
    pixmap.setDevicePixelRatio(scale)
    pixmap.fill(widget.palette().window().color())
    widget.render(pixmap)
    return pixmap.toImage()


def qimage_to_rgb(image: QImage) -> np.ndarray:
    """``(H, W, 3)`` uint8 copy of a QImage."""
    img = image.convertToFormat(QImage.Format.Format_RGB888)
    w, h, stride = img.width(), img.height(), img.bytesPerLine()
    buf = np.frombuffer(img.constBits(), dtype=np.uint8, count=stride * h).reshape(h, stride)
    return buf[:, : w * 3].reshape(h, w, 3).copy()


def save_widget_png(widget: QWidget, path, scale: float = 1.0) -> Path:
    """Write the widget as a PNG at ``scale`` (atomically); returns the path."""
    save_png(path, qimage_to_rgb(render_widget(widget, scale)))
    return Path(os.fspath(path))


class PlayerFrames:
    """The player panel's steps as frames: ``count()``, ``show(i)`` and the widget to draw.

    Talks to the panel through ``step_count``, ``lesson_settings()`` and
    ``apply_lesson_settings({"step": i})``; the exporter puts its step back afterwards.
    The picture is the panel's grids and arithmetic (its ``animation_widget()`` when it has one,
    else its first vertical splitter), without the controls.
    """

    def __init__(self, panel: QWidget):
        self.panel = panel

    def count(self) -> int:
        n = self.panel.step_count
        return int(n() if callable(n) else n)

    def current(self) -> int:
        return int(self.panel.lesson_settings().get("step", 0))

    def show(self, index: int) -> None:
        self.panel.apply_lesson_settings({"step": int(index)})

    def widget(self) -> QWidget:
        view = getattr(self.panel, "animation_widget", None)
        if callable(view):
            return view()
        for splitter in self.panel.findChildren(QSplitter):
            if splitter.orientation() == Qt.Orientation.Vertical and splitter.isVisible():
                return splitter
        return self.panel


class AnimationExporter(QObject):
    """Renders every step of a frame source and writes a GIF or a PNG sequence, with a progress dialog."""

    frame_rendered = Signal(int)   # frames done so far

    def __init__(self, frames: PlayerFrames, parent: QWidget | None = None):
        super().__init__(parent)
        self.frames = frames
        self.dialog: QProgressDialog | None = None
        self._parent = parent

    def _iter_frames(self, scale: float):
        widget = self.frames.widget()
        size = widget.size()
        minimum, maximum = widget.minimumSize(), widget.maximumSize()
        widget.setFixedSize(size)  # text that changes length must not change the frame's layout
        try:
            for i in range(self.frames.count()):
                self.frames.show(i)
                yield qimage_to_rgb(render_widget(widget, scale, size))
        finally:
            widget.setMinimumSize(minimum)
            widget.setMaximumSize(maximum)

    def export(self, path, *, kind: str = "gif", frame_ms: int = 400, scale: float = 1.0) -> bool:
        """Write the animation; False when cancelled. Too many steps or bad files raise ``ValueError``."""
        total = self.frames.count()
        if total > MAX_FRAMES:
            raise ValueError(f"The player has {total:,} steps; an animation holds at most {MAX_FRAMES}. "
                             "Choose a smaller region, a larger stride, or a smaller image.")
        if total < 1:
            raise ValueError("The player has no steps to animate.")
        start = self.frames.current()
        dialog = QProgressDialog("Rendering the animation…", "Cancel", 0, total, self._parent)
        dialog.setObjectName("exportProgress")
        dialog.setAccessibleName("Export progress")
        dialog.setWindowTitle("Export animation")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        self.dialog = dialog

        def progress(done: int, _total: int) -> bool:
            dialog.setValue(done)
            dialog.setLabelText(f"Rendering step {done} of {total}…")
            self.frame_rendered.emit(done)
            QApplication.processEvents()
            return not dialog.wasCanceled()

        try:
            if kind == "gif":
                write_gif(path, self._iter_frames(scale), frame_ms=frame_ms, total=total, progress=progress)
            elif kind == "png":
                write_png_sequence(path, self._iter_frames(scale), prefix="step", total=total, progress=progress)
            else:
                raise ValueError(f"Unknown animation kind {kind!r}: use gif or png.")
            return True
        except AnimationCancelled:
            return False
        finally:
            dialog.close()
            dialog.deleteLater()
            self.dialog = None
            self.frames.show(start)


class ScaleDialog(QDialog):
    """Asks for the export scale of a panel picture (×0.5 … ×4)."""

    def __init__(self, widget: QWidget, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("exportScaleDialog")
        self.setWindowTitle("Export as PNG")
        self.scale = QDoubleSpinBox()
        self.scale.setObjectName("exportScaleSpin")
        self.scale.setAccessibleName("Export scale")
        self.scale.setToolTip("Size of the picture relative to the panel on screen; 2× suits slides")
        self.scale.setRange(0.5, 4.0)
        self.scale.setSingleStep(0.5)
        self.scale.setValue(2.0)
        self.scale.setSuffix(" ×")
        self.size_label = QLabel()
        self.size_label.setObjectName("exportSizeLabel")
        self._base = widget.size()
        self.scale.valueChanged.connect(self._update)
        form = QFormLayout(self)
        form.addRow("Scale:", self.scale)
        form.addRow("Picture size:", self.size_label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self._update()

    def _update(self, *_):
        s = self.scale.value()
        self.size_label.setText(f"{round(self._base.width() * s)} × {round(self._base.height() * s)} pixels")


class CodeDialog(QDialog):
    """"Copy as code": the convviz and the PyTorch snippet for the current settings, each with a Copy button."""

    def __init__(self, state: dict, image_source: dict | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("copyAsCodeDialog")
        self.setAccessibleName("Copy as code")
        self.setWindowTitle("Copy as code")
        self.resize(760, 520)
        tabs = QTabWidget()
        tabs.setObjectName("codeTabs")
        self.editors: dict[str, QPlainTextEdit] = {}
        for key, title, make in (("convviz", "convviz.model", convviz_snippet),
                                 ("pytorch", "PyTorch", pytorch_snippet)):
            page = QWidget()
            editor = QPlainTextEdit()
            editor.setObjectName(f"{key}Code")
            editor.setAccessibleName(f"{title} code")
            editor.setReadOnly(True)
            font = QGuiApplication.font()
            font.setFamily("monospace")
            font.setStyleHint(font.StyleHint.Monospace)
            editor.setFont(font)
            try:
                editor.setPlainText(make(state, image_source))
            except ValueError as exc:
                editor.setPlainText(f"# {exc}")
            copy = QPushButton(f"Copy {title} code")
            copy.setObjectName(f"copy{key.capitalize()}Button")
            copy.setToolTip("Put this code on the clipboard")
            copy.clicked.connect(lambda _=False, e=editor: QGuiApplication.clipboard().setText(e.toPlainText()))
            lay = QVBoxLayout(page)
            lay.addWidget(editor)
            row = QHBoxLayout()
            row.addStretch(1)
            row.addWidget(copy)
            lay.addLayout(row)
            tabs.addTab(page, title)
            self.editors[key] = editor
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(tabs)
        lay.addWidget(close)
