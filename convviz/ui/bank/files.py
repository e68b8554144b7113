"""The Filter bank tab's files: open an image, load and save banks, export the shown maps.

A mixin of :class:`~convviz.ui.bank.panel.BankPanel` (it uses the panel's ``document``,
``network``, ``edit``/``edit_document`` and ``say``). Loading a bank or an image is one undo step;
a file that cannot be used is refused with a message and nothing changes. An image is decoded in a
worker (:func:`~convviz.model.filter_output.decode_image` on a
:class:`~convviz.ui.worker.LatestResultRunner`, the newest file wins): :meth:`BankFiles.open_image`
returns at once and the document changes when the decode arrives.
"""

from __future__ import annotations

import os

import numpy as np
from PySide6.QtWidgets import QFileDialog

from ...io.banks import BANK_FILE_FILTER, BankFileError, export_maps_npy, export_maps_png, load_bank, save_bank
from ...io.images import IMAGE_FILE_FILTER
from ...model.bank import LayerSettings
from ...model.filter_output import decode_image
from ..worker import LatestResultRunner
from .jobs import wait_delivered


def _name(path) -> str:
    return os.path.basename(os.fspath(path))


class BankFiles:
    """File actions of the bank panel (see the module)."""

    def open_image(self, path) -> None:
        """Decode an image file in the worker, then make it the document's image (every tab follows; one
        undo step). Returns at once; a bad file is refused with a message and everything stays."""
        self._decoding = os.fspath(path)
        self.say(f"Opening {_name(path)}…")
        self.image_loader.submit(decode_image, self._decoding)

    @property
    def image_loader(self) -> LatestResultRunner:
        """The worker that decodes opened images (made on first use)."""
        loader = getattr(self, "_image_loader", None)
        if loader is None:
            loader = self._image_loader = LatestResultRunner(self)
            loader.finished.connect(self._image_decoded)
            loader.failed.connect(self._image_failed)
        return loader

    def wait_for_image(self, timeout_ms: int = 20_000) -> bool:
        """Run the event loop until the opened image was decoded and used or refused (tests); True if so."""
        return wait_delivered(self.image_loader, timeout_ms)

    def _image_decoded(self, image) -> None:
        path, self._decoding = getattr(self, "_decoding", None), None
        if path is None or getattr(self, "_closed", False):
            return
        if self.edit_document("Open image", image=image, image_name=_name(path)):
            self.say(f"Opened {_name(path)} ({'×'.join(map(str, image.shape))}).")

    def _image_failed(self, message: str) -> None:
        path, self._decoding = getattr(self, "_decoding", None), None
        self.say(f"Cannot open {_name(path)}: {message}" if path else message)

    def save_bank(self, path) -> bool:
        try:
            save_bank(path, self.network)
        except ValueError as exc:
            self.say(str(exc))
            return False
        self.say(f"Saved the bank ({len(self.network)} layer(s)) to {os.fspath(path)}.")
        return True

    def load_bank(self, path) -> bool:
        """Load a bank file; a malformed one is refused with a message and the current bank stays."""
        try:
            network = load_bank(path)
        except BankFileError as exc:
            self.say(f"{exc}. The current bank stays.")
            return False
        note = "" if network[0].settings == LayerSettings.of_document(self.document) else \
            " Layer 1 slides as the Filter view says (the file's layer-1 padding/stride are not applied)."
        if not self.edit("Load bank", network=network, layer_index=0, filter_index=0, pixel=None):
            return False
        self.say(f"Loaded {_name(path)}: {len(network)} layer(s).{note}")
        return True

    def export_pngs(self, folder) -> bool:
        shown = self.shown_maps()
        if shown is None:
            return False
        maps, names, levels = shown
        try:
            paths = export_maps_png(folder, maps, names, levels=list(levels))
        except ValueError as exc:
            self.say(str(exc))
            return False
        self.say(f"Wrote {len(paths)} PNGs to {os.fspath(folder)}.")
        return True

    def export_npy(self, path) -> bool:
        shown = self.shown_maps()
        if shown is None:
            return False
        maps = np.empty((*np.shape(shown[0][0]), len(shown[0])), dtype=shown[0][0].dtype)
        for i, m in enumerate(shown[0]):     # one map at a time (a large image's maps are made when read)
            maps[:, :, i] = np.asarray(m)
        try:
            export_maps_npy(path, maps)
        except ValueError as exc:
            self.say(str(exc))
            return False
        self.say(f"Wrote {os.fspath(path)}: shape {maps.shape}, {maps.dtype}.")
        return True

    # -- dialogs -------------------------------------------------------------------------
    def _open_image_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open image", "", IMAGE_FILE_FILTER)
        if path:
            self.open_image(path)

    def _load_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Load filter bank", "", BANK_FILE_FILTER)
        if path:
            self.load_bank(path)

    def _save_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save filter bank", "bank.json", BANK_FILE_FILTER)
        if path:
            self.save_bank(path)

    def _export_png_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Folder for the map PNGs")
        if folder:
            self.export_pngs(folder)

    def _export_npy_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export maps", "maps.npy", "NumPy arrays (*.npy)")
        if path:
            self.export_npy(path)
