"""File actions of the window: open images (decoded in the worker), recent files, samples,
drag and drop, load and save kernels, export the output.

Every image the window uses goes through :meth:`FileActions.load_image`; refusals are a
message and the current image stays.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog

from convviz.model import PRESETS
from convviz.model.filter_output import LARGE_PIXELS, decode_image, exact_values, output_rgb

from .worker import LatestResultRunner

MAX_RECENT = 8


def _preview(path: Path):
    """Worker: ``(path, reduced pixels, full (H, W))`` of a large JPEG, or None."""
    from convviz.io.images import image_size, load_image_preview

    pixels = load_image_preview(path)
    return None if pixels is None else (path, pixels, image_size(path))


def write_output_file(path: Path, out, colormap: str, levels) -> Path:
    """Write ``out`` (a :class:`~convviz.model.filter_output.ComputedOutput`) to ``path``: ``.npy`` its exact
    float64 values, anything else a PNG in ``colormap`` at ``levels``. No Qt: runs in a worker. Raises
    ValueError (a sentence naming the file) when it cannot be written."""
    from convviz.io import save_png
    from convviz.io._files import atomic_write

    try:
        if path.suffix.lower() == ".npy":
            values = exact_values(out)
            atomic_write(path, lambda fh: np.save(fh, values, allow_pickle=False))
        else:
            save_png(path, output_rgb(out, colormap, levels))
    except OSError as exc:
        raise ValueError(f"{path.name} could not be written: {exc.strerror or exc}") from None
    return path


class FileActions(QObject):
    """Files in and out for ``window`` (its document, editor, settings, filter panel and messages)."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.document = window.document
        self.settings = window.settings
        self.loader = LatestResultRunner(self)      # decodes image files off the GUI thread
        self.loader.finished.connect(self._image_loaded)
        self.previewer = LatestResultRunner(self)   # a quick reduced decode to show while the loader works
        self.previewer.finished.connect(self._preview_loaded)
        self.loader.failed.connect(lambda message: window.show_error("Cannot open image", message))
        self.exporter = LatestResultRunner(self)    # writes a large output's file off the GUI thread
        self.exporter.finished.connect(self._exported)
        self.exporter.failed.connect(lambda message: window.show_error("Cannot export output", message))
        self.image_path: Path | None = None  # the file the current image came from (None: made in the app)
        self._incoming_path: Path | None = None
        self._loading: tuple[Path, bool] | None = None
        self.document.events.image.connect(self._image_replaced)
        self.document.events.image_name.connect(self._image_renamed)

    # -- images ----------------------------------------------------------------------
    def load_image(self, path, *, remember: bool = True, decoded: np.ndarray | None = None) -> bool:
        """Open an image file and wait for it (True if it was used); see ``MainWindow.load_image``."""
        from convviz.io import ImageFileError, load_image

        path = Path(path)
        if decoded is None:
            try:
                decoded = load_image(path, as_uint8=True)
            except ImageFileError as exc:
                self.window.show_error("Cannot open image", str(exc))
                return False
        return self._use_image(path, decoded, remember)

    def open_image(self, path, *, remember: bool = True) -> None:
        """Decode ``path`` in the worker, then use it as :meth:`load_image` does (newest request wins).
        A large JPEG is first shown reduced in the input view (numbers are read only once it is whole)."""
        path = Path(path)
        self._loading = (path, remember)
        self.window.show_message(f"Opening {path.name}…", 0)
        self.previewer.submit(_preview, path)
        self.loader.submit(decode_image, path)

    def open_initial_image(self, path) -> bool:
        """The command line's IMAGE: its header is checked here (a file that cannot be used is refused at
        once, with :attr:`window.last_error`), its pixels are decoded in the worker. True if accepted."""
        from convviz.io import ImageFileError
        from convviz.io.images import image_size

        try:
            image_size(path)
        except ImageFileError as exc:
            self.window.show_error("Cannot open image", str(exc))
            return False
        self.open_image(path)
        return True

    def _preview_loaded(self, preview) -> None:
        if preview is not None and self._loading is not None and self._loading[0] == preview[0]:
            self.window.filter.show_input_preview(preview[1], preview[2], preview[0].name)

    def _image_loaded(self, image) -> None:
        if self._loading is not None:
            path, remember = self._loading
            self._loading = None
            self.window.load_image(path, remember=remember, decoded=image)  # the window's entry point

    def _use_image(self, path: Path, image, remember: bool) -> bool:
        self._incoming_path = path.resolve()
        try:
            self.document.apply(image=image, image_name=path.name)
        except ValueError as exc:
            self.window.show_error("Cannot use image", f"{path.name}: {exc}")
            return False
        finally:
            self._incoming_path = None
        self.image_path = path.resolve()
        if remember:
            self._remember_file(path)
        kind = "colour" if image.ndim == 3 else "grey"
        self.window.show_message(f"Opened {path.name}: {image.shape[1]}×{image.shape[0]} {kind}")
        return True

    def _image_replaced(self, *_args) -> None:
        """The image changed: it came from :attr:`image_path` only if it is the file being opened."""
        self.image_path = self._incoming_path

    def _image_renamed(self, *_args) -> None:
        """Another image (e.g. the player's lecture example): the status bar says so, not "Opened …"."""
        if self._incoming_path is None:
            image = self.document.image
            kind = "colour" if image.ndim == 3 else "grey"
            self.window.show_message(f"Image: {self.document.image_name} ({image.shape[1]}×{image.shape[0]} {kind})")

    # -- recent files and samples ------------------------------------------------------
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

    def fill_recent_menu(self, menu) -> None:
        menu.clear()
        files = self.recent_files()
        for i, name in enumerate(files):
            action = menu.addAction(f"&{i + 1} {Path(name).name}")
            action.setToolTip(name)
            action.setStatusTip(name)
            action.triggered.connect(lambda _=False, n=name: self.open_image(n))
        if not files:
            menu.addAction("(no recent files)").setEnabled(False)

    def fill_samples_menu(self, menu) -> None:
        from convviz.io.samples import SAMPLES, sample_path

        menu.setToolTipsVisible(True)
        for file_name, title, description in SAMPLES:
            action = menu.addAction(title)
            action.setToolTip(description)
            action.setStatusTip(description)
            action.setObjectName(f"sample_{Path(file_name).stem}")
            action.triggered.connect(lambda _=False, f=file_name: self.open_image(sample_path(f), remember=False))

    def last_folder(self) -> str:
        return str(self.settings.value("lastFolder", "") or Path.home())

    def open_dialog(self) -> None:
        from convviz.io import IMAGE_FILE_FILTER

        path, _ = QFileDialog.getOpenFileName(self.window, "Open image", self.last_folder(),
                                              f"{IMAGE_FILE_FILTER};;All files (*)")
        if path:
            self.open_image(path)

    @staticmethod
    def dropped_file(mime) -> str | None:
        """The first local file in a drag's ``mime`` data, or None."""
        for url in mime.urls() if mime.hasUrls() else []:
            if url.isLocalFile():
                return url.toLocalFile()
        return None

    # -- kernels and exports -------------------------------------------------------------
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
            self.window.show_error("Cannot load kernel", str(exc))
            return False
        return self.window.editor.edit(f"Load kernel {Path(path).name}", kernel=kernel, preset=None)

    def save_kernel_to(self, path) -> bool:
        from convviz.io import OutputFileError, save_kernel

        path = Path(path)
        try:
            name = PRESETS[self.document.preset].name if self.document.preset else None
            save_kernel(path, self.document.kernel, name=name)  # .json or .npy, by the extension
        except (OSError, OutputFileError, ValueError) as exc:
            self.window.show_error("Cannot save kernel", str(exc))
            return False
        self.window.show_message(f"Saved the kernel to {path.name}")
        return True

    def export_output(self, path, *, background: bool = False) -> bool:
        """Save the output: ``.npy`` the exact float64 values, anything else a PNG coloured as displayed.

        ``background=True`` (Export ▸ …): an output over a megapixel is written by a worker (its exact
        values or colours can take seconds on a photo), so the window stays live; True then means
        "under way" and the status bar says when it is written (a failure comes as a message).
        """
        path = Path(path)
        panel = self.window.filter
        out = panel.output
        if out is None or out.preview:
            self.window.show_error("Cannot export output", "The output is still being computed; try again in a "
                                                          "moment.")
            return False
        job = (path, out, panel.output_colormap, tuple(panel.output_levels))
        h, w = out.values_hw
        if background and h * w > LARGE_PIXELS:
            self.exporter.submit(write_output_file, *job)
            self.window.show_message(f"Exporting the output to {path.name}…")
            return True
        try:
            write_output_file(*job)
        except ValueError as exc:
            self.window.show_error("Cannot export output", str(exc))
            return False
        self._exported(path)
        return True

    def _exported(self, path: Path) -> None:
        self.window.show_message(f"Exported the output to {path.name}")

    def load_kernel_dialog(self) -> None:
        from convviz.io import KERNEL_FILE_FILTER

        path, _ = QFileDialog.getOpenFileName(self.window, "Load kernel", self.last_folder(),
                                              f"{KERNEL_FILE_FILTER};;All files (*)")
        if path:
            self.settings.setValue("lastFolder", str(Path(path).parent))
            self.load_kernel_from(path)

    def save_kernel_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self.window, "Save kernel",
                                              str(Path(self.last_folder()) / "kernel.json"),
                                              "JSON kernel (*.json);;NumPy array (*.npy)")
        if path:
            self.settings.setValue("lastFolder", str(Path(path).parent))
            self.save_kernel_to(path)

    def export_dialog(self, kind: str) -> None:
        stem = Path(self.document.image_name).stem or "output"
        suggested = Path(self.last_folder()) / f"{stem}-filtered.{kind}"
        file_filter = "PNG image (*.png)" if kind == "png" else "NumPy array (*.npy)"
        path, _ = QFileDialog.getSaveFileName(self.window, "Export output", str(suggested), file_filter)
        if path:
            self.settings.setValue("lastFolder", str(Path(path).parent))
            self.export_output(path, background=True)
