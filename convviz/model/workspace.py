"""Everything a window shows, Qt-free: the document and every tab's evented state.

A :class:`Workspace` holds one :class:`~convviz.model.ConvDocument` and one state object
per tab (see :mod:`convviz.model.states`), made whether or not the tab's widgets were
ever built. Sessions and lessons read and write it without Qt; panels bind to it.
"""

from __future__ import annotations

from typing import Any

from .document import ConvDocument
from .panel_state import PanelState
from .states import PANEL_STATES


class Workspace:
    """The document plus ``states[key]`` for every key of :data:`~convviz.model.states.PANEL_STATES`."""

    def __init__(self, document: ConvDocument | None = None):
        self.document = document if document is not None else ConvDocument()
        self.states: dict[str, PanelState] = {key: cls() for key, cls in PANEL_STATES.items()}
        for state in self.states.values():  # states that check settings against the image (the bank's)
            if hasattr(state, "bind_document"):
                state.bind_document(self.document)

    def state(self, key: str) -> PanelState:
        try:
            return self.states[key]
        except KeyError:
            raise ValueError(f"There is no panel called {key!r}.") from None

    def settings(self) -> dict[str, dict[str, Any]]:
        """``{key: state.settings()}`` for every panel, built or not (what a session saves)."""
        return {key: state.settings() for key, state in self.states.items()}

    def apply_settings(self, settings: dict[str, dict]) -> None:
        """Set several panels' states from JSON; every panel is checked before any changes
        (``ValueError`` changes nothing). Unknown panel keys are ignored."""
        if not isinstance(settings, dict):
            raise ValueError("The panel settings must be a JSON object of {panel: settings}.")
        changes = {key: self.states[key].changes_from(value)
                   for key, value in settings.items() if key in self.states}
        for key, change in changes.items():
            self.states[key].apply(**change)
