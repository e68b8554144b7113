"""What a tab derives from the whole picture (a map, crops), computed once per request: at once for small
pictures, in the one background mechanism (:class:`~convviz.ui.worker.LatestResultRunner`) for large ones.

A request is ``(objects, values)``: the arrays it reads (compared by identity — the document's arrays are
replaced, never edited — and held only weakly, so a request keeps nothing of a previous picture alive) and the
settings (compared by value). :meth:`PreparedResult.get` returns the result for the newest request, or ``None``
while the worker computes it (``ready`` is emitted when it arrives; the panel then refreshes). A ``ValueError``
becomes :attr:`PreparedResult.error`.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QElapsedTimer, QObject, Signal

from convviz.model.step_view import SYNC_PIXELS

from ..worker import LatestResultRunner


class PreparedResult(QObject):
    """``fn(*args, **kwargs)`` for the newest request (see the module docstring)."""

    ready = Signal()

    def __init__(self, fn: Callable[..., Any], parent: QObject | None = None):
        super().__init__(parent)
        self._fn = fn
        self.runner = LatestResultRunner(self)
        self.runner.finished.connect(self._on_finished)
        self.runner.failed.connect(self._on_failed)
        self._done: tuple | None = None      # (object references, values) of the result
        self._pending: tuple | None = None
        self.result: Any = None
        self.error = ""

    def get(self, objects: tuple, values: tuple, pixels: int, *args, **kwargs) -> Any:
        """The result for this request; computed now when ``pixels`` ≤ :data:`SYNC_PIXELS`, else ``None``
        until the worker delivers it."""
        if _same(objects, values, self._done):
            return self.result
        request = (tuple(_reference(o) for o in objects), values)
        if pixels <= SYNC_PIXELS:
            self._done, self._pending = request, None
            self.runner.cancel()
            self._run_now(args, kwargs)
            return self.result
        if not _same(objects, values, self._pending):
            self._pending = request
            try:
                self.runner.submit(_job, self._fn, request, args, kwargs)
            except RuntimeError:   # shut down
                return None
        return None

    def forget(self) -> None:
        """Drop the result (the picture it came from changed while nobody looked); the next :meth:`get`
        computes again (a job still running for it is dropped)."""
        self._done = self._pending = None
        self.result, self.error = None, ""
        self.runner.cancel()

    def _run_now(self, args, kwargs) -> None:
        self.result = None        # the old result is not kept while the new one is computed
        try:
            self.result, self.error = self._fn(*args, **kwargs), ""
        except ValueError as exc:
            self.result, self.error = None, str(exc)

    def _on_finished(self, outcome) -> None:
        request, result = outcome
        if request is not self._pending:   # answers a request that was dropped since
            return
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


def _reference(obj: Any) -> Callable[[], Any]:
    """A weak reference to ``obj`` when it can have one (arrays), else a callable returning it."""
    try:
        return weakref.ref(obj)
    except TypeError:
        return lambda: obj


def _same(objects: tuple, values: tuple, request: tuple | None) -> bool:
    """True when ``request`` is for these very objects (alive) and equal values."""
    if request is None:
        return False
    refs, request_values = request
    return (len(refs) == len(objects) and all(ref() is obj for ref, obj in zip(refs, objects))
            and request_values == values)


def _job(fn: Callable[..., Any], request: tuple, args: tuple, kwargs: dict) -> tuple:
    """In the worker: the request it answers, and the result."""
    return request, fn(*args, **kwargs)
