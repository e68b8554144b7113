"""What a tab derives from the whole picture (a map, crops), computed once per request: at once for small
pictures, in the one background mechanism (:class:`~convviz.ui.worker.LatestResultRunner`) for large ones.

A request is ``(objects, values)``: the arrays it reads (compared by identity — the document's arrays are
replaced, never edited) and the settings (compared by value). :meth:`get` returns the result for the newest
request, or ``None`` while the worker computes it (``ready`` is emitted when it arrives; the panel then
refreshes). A ``ValueError`` becomes :attr:`error`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QElapsedTimer, QObject, Signal

from convviz.model.step_view import SYNC_PIXELS

from ..worker import LatestResultRunner


class Prepared(QObject):
    """``fn(*args, **kwargs)`` for the newest request (see the module docstring)."""

    ready = Signal()

    def __init__(self, fn: Callable[..., Any], parent: QObject | None = None):
        super().__init__(parent)
        self._fn = fn
        self.runner = LatestResultRunner(self)
        self.runner.finished.connect(self._on_finished)
        self.runner.failed.connect(self._on_failed)
        self._done: tuple | None = None      # (objects, values) of the result
        self._pending: tuple | None = None
        self.result: Any = None
        self.error = ""

    def get(self, objects: tuple, values: tuple, pixels: int, *args, **kwargs) -> Any:
        """The result for this request; computed now when ``pixels`` ≤ :data:`SYNC_PIXELS`, else ``None``
        until the worker delivers it."""
        request = (objects, values)
        if _same(request, self._done):
            return self.result
        if pixels <= SYNC_PIXELS:
            self._done, self._pending = request, None
            self.runner.cancel()
            self._run_now(args, kwargs)
            return self.result
        if not _same(request, self._pending):
            self._pending = request
            try:
                self.runner.submit(_job, self._fn, request, args, kwargs)
            except RuntimeError:   # shut down
                return None
        return None

    def _run_now(self, args, kwargs) -> None:
        try:
            self.result, self.error = self._fn(*args, **kwargs), ""
        except ValueError as exc:
            self.result, self.error = None, str(exc)

    def _on_finished(self, outcome) -> None:
        request, result = outcome
        self._done, self._pending = request, None
        self.result, self.error = result, ""
        self.ready.emit()

    def _on_failed(self, message: str) -> None:
        self._done, self._pending = self._pending, None
        self.result, self.error = None, message
        self.ready.emit()

    @property
    def busy(self) -> bool:
        return self.runner.pending

    def wait(self, timeout_s: float = 10.0) -> None:
        """Tests and exports: run the event loop until the newest result was delivered."""
        timer = QElapsedTimer()
        timer.start()
        while self.runner.pending and timer.elapsed() < timeout_s * 1000:
            self.runner.wait(0.05)
            QCoreApplication.processEvents()

    def shutdown(self) -> None:
        self._done = self._pending = None
        self.result = None
        self.runner.shutdown()


def _same(a: tuple | None, b: tuple | None) -> bool:
    if a is None or b is None:
        return False
    (objects_a, values_a), (objects_b, values_b) = a, b
    return (len(objects_a) == len(objects_b) and all(x is y for x, y in zip(objects_a, objects_b))
            and values_a == values_b)


def _job(fn: Callable[..., Any], request: tuple, args: tuple, kwargs: dict) -> tuple:
    """In the worker: the request it answers, and the result."""
    return request, fn(*args, **kwargs)
