"""Sessions in the window: building the session JSON from what is showing, and restoring it.

A session restores the document, the visible panel, each panel's ``lesson_settings()`` (stored
in ``view`` as ``"player.step": 12`` and so on) and the lesson position. A file that cannot be
used is refused before anything changes.
"""

from __future__ import annotations

from convviz.io.banks import bank_to_json, network_from_json
from convviz.io.lessons import LessonFileError, load_lesson
from convviz.io.sessions import Session, session_to_json

from .host import WindowHost
from .lessons import LessonController


def _simple(value) -> bool:
    return value is None or isinstance(value, (str, int, float, bool)) or (
        isinstance(value, list) and all(_simple(v) for v in value))


def session_json(host: WindowHost, lessons: LessonController | None = None) -> dict:
    """The session of what the window shows now; ``StateError`` when the image cannot be stored."""
    view: dict = {}
    panel = host.current_panel()
    if panel:
        view["panel"] = panel
    for key, settings in host.panel_settings().items():
        for name, value in settings.items():
            if isinstance(value, tuple):
                value = list(value)
            if _simple(value):
                view[f"{key}.{name}"] = value
    bank_state = host.workspace.states.get("bank")  # the bank as shown on the image, tab built or not
    bank = bank_to_json(bank_state.network_for()[0]) if bank_state is not None else None
    return session_to_json(host.document.state(), image_source=host.image_source(), view=view, bank=bank,
                           lesson=lessons.position() if lessons is not None else None)


def panel_settings_from_view(view: dict) -> dict[str, dict]:
    """``{"player.step": 3, "panel": "player"}`` → ``{"player": {"step": 3}}``."""
    out: dict[str, dict] = {}
    for name, value in view.items():
        if "." in name:
            key, setting = name.split(".", 1)
            out.setdefault(key, {})[setting] = value
    return out


def restore_session(host: WindowHost, session: Session, lessons: LessonController | None = None,
                    image_source: dict | None = None) -> list[str]:
    """Show ``session`` in the window; returns notes on parts that could not be restored.

    The document goes first (``ValueError`` if it is refused: then nothing has changed).
    ``image_source`` (``Session.image_source``) is remembered as where the image came from.
    """
    host.apply_document(session.document, "Open session")
    host.set_image_source(image_source)
    notes: list[str] = []
    panel_settings = panel_settings_from_view(session.view)
    bank_state = host.workspace.states.get("bank")
    if session.bank is not None and bank_state is not None:
        try:  # the bank first, with its tab's settings: the layer, filter and pixel they name are the bank's
            bank = network_from_json(session.bank)
            bank_state.apply(**bank_state.changes_from(panel_settings.pop("bank", {}), bank=bank))
        except ValueError as exc:
            notes.append(f"the filter bank was not restored ({exc})")
    for key, settings in panel_settings.items():
        try:
            host.apply_panel_settings(key, settings)
        except (ValueError, TypeError, KeyError) as exc:
            notes.append(f"the {key} panel's settings were not restored ({exc})")
    panel = session.view.get("panel")
    if isinstance(panel, str):
        host.show_panel(panel)
    if lessons is not None:
        if session.lesson:
            try:
                lesson = load_lesson(session.lesson["source"])
                lessons.attach(lesson, int(session.lesson.get("slide", 1)) - 1)
            except LessonFileError as exc:
                notes.append(str(exc))
        else:
            lessons.close()
    return notes
