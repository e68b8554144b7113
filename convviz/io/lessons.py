"""Lessons: ordered slides that each set up part of the app, with a caption.

A lesson file (``resources/lessons/<name>.json`` for the built-in ones) is::

    {
      "format": "convviz-lesson",
      "version": 1,
      "title": "Multiply and add",
      "description": "One sentence on what the lesson shows.",
      "slides": [
        {
          "title": "The 4×4 example",
          "caption": "The kernel sits on the top-left 2×2 patch …",      (required, ≤ 600 characters)
          "document": { ...partial document state, see convviz.io.state... },
          "panel": "filter" | "player" | "bank" | "costs" | "matrix" | "equivariance" | "flip" | "learning",
          "settings": { ...panel-specific simple values, e.g. {"step": 0, "lecture_mode": true} }
        },
        ...
      ]
    }

Every slide's document part is checked when the lesson is loaded (image files from their
header), so a lesson that loads can be presented from start to end; image files are decoded
only when their slide is shown, once for all slides that show the same file
(see :mod:`convviz.io.slide_images`). Errors name the slide. The file
is read by the shared safe JSON reader: at most 16 MiB, nesting and numbers limited, and each
slide's padding, stride, dilation and kernel within the limits of :mod:`convviz.model.limits`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..model.states import PANEL_STATES
from ._files import JSONFileProblem, read_json_file
from .images import ImageFileError
from .slide_images import SlideImage, check_image_header, resolve_images
from .state import StateError, check_document_state, parse_document_state, simple_value

LESSON_FORMAT = "convviz-lesson"
LESSON_VERSION = 1
#: the tabs a slide may name: every tab with an evented state (a new tab registers itself there)
PANEL_KEYS = tuple(PANEL_STATES)
MAX_CAPTION = 600


class LessonFileError(ValueError):
    """A lesson cannot be used; ``str()`` names the file (and slide) and says why."""


@dataclass(frozen=True)
class Slide:
    """One slide. ``changes`` are keyword arguments for ``ConvDocument.apply``, except that an image
    file is a :class:`~convviz.io.slide_images.SlideImage` (decoded when needed, see :attr:`document`)."""

    title: str
    caption: str
    changes: dict = field(default_factory=dict)
    panel: str | None = None
    settings: dict = field(default_factory=dict)

    @property
    def document(self) -> dict:
        """``changes`` with the image decoded (shared with every slide showing the same file)."""
        return resolve_images(self.changes)


@dataclass(frozen=True)
class Lesson:
    name: str
    title: str
    description: str
    slides: tuple[Slide, ...]
    source: str   # path of the file it came from


def lessons_dir() -> Path:
    from convviz.paths import resource_path

    return resource_path("lessons")


def builtin_lessons() -> list[str]:
    """Names of the built-in lessons, in teaching order (files are numbered ``NN_name.json``)."""
    folder = lessons_dir()
    if not folder.is_dir():
        return []
    return [p.stem for p in sorted(folder.glob("*.json"))]


def resolve_lesson(name_or_path) -> Path:
    """A lesson file from a built-in name (``"01_multiply_add"`` or ``"multiply_add"``) or a path."""
    path = Path(os.fspath(name_or_path)).expanduser()
    try:
        if path.suffix == ".json" or path.exists():
            return path
    except (OSError, ValueError) as exc:  # a NUL character, a name too long for the file system
        raise LessonFileError(f"cannot open lesson {str(name_or_path)[:80]!r}: it is not a usable file name "
                              f"({exc})") from None
    folder = lessons_dir()
    for candidate in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        stem = candidate.stem
        if stem == str(name_or_path) or stem.split("_", 1)[-1] == str(name_or_path):
            return candidate
    names = ", ".join(n.split("_", 1)[-1] for n in builtin_lessons()) or "none installed"
    raise LessonFileError(f"unknown lesson {str(name_or_path)!r}: not a file and not a built-in lesson ({names})")


def load_lesson(name_or_path) -> Lesson:
    """Load and check a lesson; :class:`LessonFileError` says what is wrong and where."""
    path = resolve_lesson(name_or_path)
    shown = os.fspath(path)

    def fail(reason: str):
        raise LessonFileError(f"cannot open lesson {shown!r}: {reason}")

    try:  # size, nesting, numbers and NaN checked by the shared reader (limits in convviz.model.limits)
        data = read_json_file(path, "lesson")
    except JSONFileProblem as exc:
        fail(str(exc))
    if not isinstance(data, dict) or data.get("format") != LESSON_FORMAT:
        fail("it is not a convviz lesson (no \"format\": \"convviz-lesson\")")
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        fail("its \"version\" is missing or not a positive integer")
    if version > LESSON_VERSION:
        fail(f"it was written for a newer convviz (lesson version {version}); this convviz reads "
             f"version {LESSON_VERSION}")
    for key in ("title", "description"):
        if not isinstance(data.get(key, ""), str):
            fail(f"\"{key}\" must be text")
    if not isinstance(data.get("title"), str) or not data["title"].strip():
        fail("it needs a \"title\"")
    raw_slides = data.get("slides")
    if not isinstance(raw_slides, list) or not raw_slides:
        fail("it needs a non-empty list of \"slides\"")
    slides = []
    for number, raw in enumerate(raw_slides, start=1):
        where = f"slide {number}"
        if not isinstance(raw, dict):
            fail(f"{where} must be an object")
        unknown = sorted(set(raw) - {"title", "caption", "document", "panel", "settings"})
        if unknown:
            fail(f"{where} has unknown field(s) {', '.join(map(repr, unknown))}")
        title, caption = raw.get("title", ""), raw.get("caption")
        if not isinstance(title, str):
            fail(f"{where}: \"title\" must be text")
        if not isinstance(caption, str) or not caption.strip():
            fail(f"{where} needs a \"caption\"")
        if len(caption) > MAX_CAPTION:
            fail(f"{where}: the caption is {len(caption)} characters; keep it under {MAX_CAPTION}")
        panel = raw.get("panel")
        if panel is not None and panel not in PANEL_KEYS:
            fail(f"{where}: unknown panel {panel!r}; use one of {', '.join(PANEL_KEYS)}")
        settings = raw.get("settings", {})
        if not isinstance(settings, dict) or not all(isinstance(k, str) and simple_value(v)
                                                     for k, v in settings.items()):
            fail(f"{where}: \"settings\" must be an object of simple values (text, true/false, numbers within "
                 f"±2,147,483,647, lists of these)")
        try:
            changes = _slide_changes(raw.get("document", {}), f"{where} document", path.parent)
        except StateError as exc:
            fail(str(exc))
        slides.append(Slide(title=title, caption=caption, changes=changes, panel=panel, settings=settings))
    return Lesson(name=path.stem, title=data["title"], description=data.get("description", ""),
                  slides=tuple(slides), source=shown)


def _slide_changes(obj, where: str, base_dir: Path) -> dict:
    """A slide's checked document changes; an image file becomes a :class:`SlideImage` (its header read)."""
    changes = check_document_state(obj, where=where, partial=True)
    entry = obj.get("image") if isinstance(obj, dict) else None
    if entry is None:
        return changes
    (kind, arg), = entry.items()
    if kind not in ("sample", "path"):   # numbers written in the lesson: small, parsed now
        return {**parse_document_state({"image": entry}, where=where, partial=True), **changes}
    if kind == "sample":
        from convviz.paths import resource_path

        file = resource_path("images", arg)
    else:
        file = Path(arg).expanduser()
        file = file if file.is_absolute() else base_dir / file
    try:
        check_image_header(file)
    except ImageFileError as exc:
        raise StateError(f"{where}.image: {exc}") from None
    name = Path(arg).name
    return {**changes, "image": SlideImage(path=file.resolve(), name=name),
            "image_name": changes.get("image_name", name)}
