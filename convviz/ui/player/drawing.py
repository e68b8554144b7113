"""Drawing the document and the player's state on a :class:`~.view.PlayerView`, redoing only what changed.

The expensive part (the picture, the region, its steps and grids: a :class:`PlayerBuild`) is
made again only when the document or a setting it depends on changed; a step only redraws its
frame; the similarity map and the inspected pixel only when they change. Every number comes
from :mod:`convviz.model.player_frames`.
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker

from convviz.model import ConvDocument
from convviz.model.player_frames import (
    PlayerBuild,
    build_player,
    grid_cells,
    inspect_cell,
    kernel_cells,
    similarity_cells,
    step_frame,
    window_labels,
)
from convviz.model.states.player import PlayerState
from convviz.model.step_texts import source_details, source_text

from .source import SourceProvider
from .view import PlayerView

CANNOT = "Cannot step through these settings:"


class PlayerDrawer:
    """Keeps ``view`` showing ``document`` and ``state``; :attr:`build` is what is stepped through
    (``None`` while there is nothing to step: refused settings, or a photo being prepared)."""

    def __init__(self, view: PlayerView, source: SourceProvider):
        self.view, self.source = view, source
        self.build: PlayerBuild | None = None
        self._build_key: tuple | None = None
        self._shown: dict[str, object] = {}

    def draw(self, document: ConvDocument, state: PlayerState) -> None:
        self.show_settings(document, state)
        self.rebuild(document, state)
        self.show_position(state)

    def position(self, state: PlayerState) -> tuple[int, int]:
        """``(step, revealed)`` as shown; ``(0, 0)`` without a build."""
        b = self.build
        return (0, 0) if b is None else state.position(b.count, b.taps)

    def invalidate(self) -> None:
        """Build again at the next :meth:`draw` (a prepared picture arrived)."""
        self._build_key = None

    def show_settings(self, document: ConvDocument, state: PlayerState) -> None:
        """The checkboxes, speed, region size and channel as the state says."""
        st, v = state, self.view
        colour = document.is_colour and not document.gray
        key = (st.lecture_mode, st.similarity_map, st.loop, st.speed, st.channel, st.region_side, colour)
        if self._shown.get("settings") == key:
            return
        self._shown["settings"] = key
        c = v.controls
        for box, on in ((c.lecture_check, st.lecture_mode), (c.similarity_check, st.similarity_map),
                        (c.loop_check, st.loop)):
            with QSignalBlocker(box):
                box.setChecked(on)
        with QSignalBlocker(c.speed_spin):
            c.speed_spin.setValue(st.speed)
        with QSignalBlocker(v.region_spin):
            v.region_spin.setValue(st.region_side)
        with QSignalBlocker(v.channel_box):
            v.channel_box.setCurrentIndex(v.channel_box.findData(st.channel))
        v.channel_box.setEnabled(colour)

    def rebuild(self, document: ConvDocument, state: PlayerState) -> None:
        """Picture, region and steps for today's document and settings (when they changed)."""
        doc, st = document, state
        key = (id(doc.image), id(doc.kernel), doc.padding, doc.stride, doc.dilation, doc.padding_mode, doc.flip,
               doc.gray, doc.preset, doc.image_name, st.channel, st.region, st.region_side)
        if key == self._build_key:
            return
        self._build_key = key
        self.view.numeric.set_image(doc.image)
        prepared = self.source.get(doc.image, doc.gray, st.channel, st.region_side)
        if prepared is None:
            h, w = doc.image.shape[:2]
            self.show_error(f"preparing the {h}×{w} image in the background…", prefix="Please wait:")
            self._build_key = None  # build again when the worker is done
            return
        crop = st.region if st.region is not None else prepared.crop(st.region_side)
        try:
            build = build_player(doc, prepared.source, crop)
        except ValueError as exc:
            self.show_error(str(exc))
            return
        self.build, self._shown = build, {"settings": self._shown.get("settings")}
        region = build.region
        self.view.source_label.setToolTip(source_details(doc, region))
        self.view.show_grids(source_text(doc, prepared.words, prepared.source.shape, region), *grid_cells(build),
                             build.count, kernel_cells(build), window_labels(build))
        h, w = prepared.source.shape
        partial = not (region.crop[2] == h and region.crop[3] == w)
        picture = doc.image if (doc.is_colour and not doc.gray and st.channel is None) else prepared.source
        self.view.show_overview(picture if partial else None, region.crop, partial)

    def show_position(self, state: PlayerState) -> None:
        """The frame of the shown step, the similarity map and the inspected pixel (what changed)."""
        b, st, v = self.build, state, self.view
        if b is None or b.count == 0:
            return
        index, revealed = self.position(st)
        parts = (
            ("similarity", st.similarity_map, lambda: v.show_similarity(similarity_cells(b) if st.similarity_map
                                                                        else None)),
            ("frame", (index, revealed, st.lecture_mode),
             lambda: v.show_frame(step_frame(b, index, revealed, lecture=st.lecture_mode))),
            ("inspection", st.inspected, lambda: v.show_inspection(inspect_cell(b, st.inspected))))
        for part, key, draw in parts:
            if part not in self._shown or self._shown[part] != key:
                self._shown[part] = key
                draw()

    def show_error(self, message: str, prefix: str = CANNOT) -> None:
        """Nothing to step through; the view says why."""
        self.build, self._shown = None, {"settings": self._shown.get("settings")}
        self.view.show_message(f"{prefix} {message}")
