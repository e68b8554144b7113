"""What a lesson sets at a given slide (no Qt): slides only say what changes, so this adds them up.

Going to slide ``i`` — forwards, backwards or by jumping — applies the document changes of
slides ``0..i`` together and the panel settings of the last slide that set them for that
panel, so a slide looks the same however the presenter reached it.
"""

from __future__ import annotations

from .lessons import Lesson
from .slide_images import resolve_images

#: document fields the first slide of a built-in lesson sets, so lessons never depend on what came before
COMPLETE_FIELDS = ("image", "kernel", "padding", "stride", "dilation", "padding_mode", "flip", "gray")


def document_at(lesson: Lesson, index: int) -> dict:
    """Keyword arguments for ``ConvDocument.apply`` that show slide ``index`` (0-based).

    Only the image in force at that slide is decoded (``ImageFileError`` if its file went away).
    """
    return resolve_images(changes_at(lesson, index))


def changes_at(lesson: Lesson, index: int) -> dict:
    """:func:`document_at` before its image is decoded (a :class:`~convviz.io.slide_images.SlideImage`)."""
    if not 0 <= index < len(lesson.slides):
        raise IndexError(f"slide {index + 1} is outside 1–{len(lesson.slides)}")
    merged: dict = {}
    for slide in lesson.slides[:index + 1]:
        merged.update(slide.changes)
    return merged


def panel_at(lesson: Lesson, index: int) -> str | None:
    """The panel shown at slide ``index``: its own, or the last one named before it."""
    for slide in reversed(lesson.slides[:index + 1]):
        if slide.panel:
            return slide.panel
    return None


def settings_at(lesson: Lesson, index: int, panel: str) -> dict:
    """The panel settings in force at slide ``index`` for ``panel`` (later slides override earlier ones)."""
    merged: dict = {}
    for slide in lesson.slides[:index + 1]:
        if slide.panel == panel:
            merged.update(slide.settings)
    return merged
