"""Session files (``.convviz``): everything needed to reopen the app as it was, as JSON.

Format (version 1)::

    {
      "format": "convviz-session",
      "version": 1,
      "saved_by": "convviz 0.1.0",
      "document": { ...document state, see convviz.io.state... },
      "view":     {"panel": "player", "player_step": 12, ...}   optional: panel positions (JSON scalars)
      "bank":     { ...filter bank, as convviz.io.banks writes it... }   optional
      "lesson":   {"source": "multiply_add", "slide": 3}          optional
    }

Writes go to a temporary file that is renamed into place, so a failed save never
destroys the previous file. Files from a newer convviz (higher ``version``) and
malformed files are refused with :class:`SessionFileError`; nothing is changed.
Every part is checked (limits of :mod:`convviz.model.limits` included) before any image is
loaded, and a session too large to be reopened is never written.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..model.limits import MAX_FILE_BYTES, file_size_text
from ._files import JSONFileProblem, atomic_write, read_json_file, readable_json
from .banks import network_from_json
from .samples import sample_path
from .state import StateError, check_document_state, document_state_to_json, parse_document_state, simple_value

SESSION_FORMAT = "convviz-session"
SESSION_VERSION = 1
SESSION_SUFFIX = ".convviz"
MAX_SESSION_BYTES = MAX_FILE_BYTES["session"]


class SessionFileError(ValueError):
    """A session file cannot be used; ``str()`` names the file and says why."""


@dataclass
class Session:
    """A parsed session: ``document`` holds keyword arguments for ``ConvDocument.apply``."""

    document: dict
    view: dict = field(default_factory=dict)
    bank: dict | None = None
    lesson: dict | None = None
    image_source: dict | None = None  # {"path": absolute} or {"sample": name} when the image is a file


def session_to_json(document_state: dict, *, image_source: dict | None = None, view: dict | None = None,
                    bank: dict | None = None, lesson: dict | None = None) -> dict:
    """The JSON object of a session (see the module docstring)."""
    from convviz import __version__

    data = {
        "format": SESSION_FORMAT,
        "version": SESSION_VERSION,
        "saved_by": f"convviz {__version__}",
        "document": document_state_to_json(document_state, image_source),
    }
    if view:
        data["view"] = dict(view)
    if bank is not None:
        data["bank"] = bank
    if lesson is not None:
        data["lesson"] = dict(lesson)
    return data


def save_session(path, data: dict) -> Path:
    """Write ``data`` (from :func:`session_to_json`) to ``path`` atomically; returns the path.

    ``ValueError`` (and the old file stays) when the session would be larger than a session file may be.
    """
    payload = readable_json(data, compact=("slices",))   # a bank's slices one per line, written fast
    if len(payload) > MAX_SESSION_BYTES:
        raise ValueError(f"The session would be {len(payload):,} bytes; session files are at most "
                         f"{file_size_text(MAX_SESSION_BYTES)}: use a smaller filter bank.")
    return atomic_write(path, lambda fh: fh.write(payload))


def _fail(path, reason: str):
    raise SessionFileError(f"cannot open session {os.fspath(path)!r}: {reason}")


def read_session_json(path) -> dict:
    """The checked top level of a session file (format, version), without loading images."""
    try:
        data = read_json_file(path, "session")
    except JSONFileProblem as exc:
        _fail(path, str(exc))
    if not isinstance(data, dict) or data.get("format") != SESSION_FORMAT:
        _fail(path, "it is not a convviz session (no \"format\": \"convviz-session\")")
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        _fail(path, "its \"version\" is missing or not a positive integer")
    if version > SESSION_VERSION:
        _fail(path, f"it was saved by a newer convviz (session version {version}); "
                    f"this convviz reads version {SESSION_VERSION} — please update convviz")
    return data


def load_session(path) -> Session:
    """Read, check and load a session file (images included); :class:`SessionFileError` on any problem.

    Everything is checked first (the document's settings and limits, the view, the bank, the lesson);
    the image is loaded last, so a refused file costs no image decode.
    """
    data = read_session_json(path)
    base = Path(path).resolve().parent
    document_json = data.get("document")
    try:
        check_document_state(document_json, where="document")
    except StateError as exc:
        _fail(path, str(exc))
    assert isinstance(document_json, dict)
    view = data.get("view", {})
    if not isinstance(view, dict) or not all(isinstance(k, str) and simple_value(v) for k, v in view.items()):
        _fail(path, "\"view\" must be an object of simple values (text, true/false, numbers within "
                    "±2,147,483,647, lists of these)")
    bank = data.get("bank")
    if bank is not None and not isinstance(bank, dict):
        _fail(path, "\"bank\" must be an object")
    if bank is not None:
        try:
            network_from_json(bank)   # checked here, so a bad bank changes nothing in the window
        except ValueError as exc:
            _fail(path, f"its filter bank cannot be used: {exc}")
    lesson = data.get("lesson")
    if lesson is not None and not (isinstance(lesson, dict) and isinstance(lesson.get("source"), str)
                                   and _whole(lesson.get("slide", 0))):
        _fail(path, "\"lesson\" must be {\"source\": name, \"slide\": number}")
    try:
        document = parse_document_state(document_json, where="document", base_dir=base)
    except StateError as exc:
        _fail(path, str(exc))
    return Session(document=document, view=view, bank=bank, lesson=lesson,
                   image_source=_image_source(document_json["image"], base))


def session_photo_pixels(path) -> int:
    """How many pixels the image file a session shows has (from its header; 0 for typed numbers, a
    grid or any file that cannot be read now — :func:`load_session` then says why)."""
    from .slide_images import check_image_header  # noqa: PLC0415 - Pillow only when asked

    try:
        data = read_session_json(path)
        source = _image_source(data["document"]["image"], Path(path).resolve().parent)
        if source is None:
            return 0
        width, height = check_image_header(sample_path(source["sample"]) if "sample" in source else source["path"])
    except (ValueError, KeyError, TypeError, OSError):
        return 0
    return width * height


def _whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _image_source(image: dict, base: Path) -> dict | None:
    """Where a (checked) document image entry comes from, with a relative path made absolute."""
    if "sample" in image:
        return {"sample": image["sample"]}
    if "path" in image:
        path = Path(image["path"]).expanduser()
        return {"path": str(path if path.is_absolute() else base / path)}
    return None
