"""The Filter bank tab's files: open an image, load and save banks, export the shown maps.

A mixin of :class:`~convviz.ui.bank.panel.BankPanel` (it uses the panel's ``document``,
``network``, ``edit``/``edit_document`` and ``say``). Loading a bank or an image is one undo step;
a file that cannot be used is refused with a message and nothing changes.
"""

from __future__ import annotations

import os

import numpy as np
from PySide6.QtWidgets import QFileDialog

from ...io.banks import BANK_FILE_FILTER, BankFileError, export_maps_npy, export_maps_png, load_bank, save_bank
from ...io.images import IMAGE_FILE_FILTER, load_image
from ...model.bank import LayerSettings


def _name(path) -> str:
    return os.path.basename(os.fspath(path))


class BankFiles:
    """File actions of the bank panel (see the module)."""

    def open_image(self, path) -> bool:
        """Load an image file into the document (every tab follows); a bad file leaves everything as it is."""
        try:
            image = load_image(path)
        except ValueError as exc:
            self.say(str(exc))
            return False
        if not self.edit_document("Open image", image=image, image_name=_name(path)):
            return False
        self.say(f"Opened {_name(path)} ({'×'.join(map(str, image.shape))}).")
        return True

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
        maps = np.stack(shown[0], axis=-1)
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
