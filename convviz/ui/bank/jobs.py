"""The Filter bank tab's background work: :class:`~convviz.model.bank.display.MapJob` on the project's
one :class:`~convviz.ui.worker.LatestResultRunner`, asked again only when the request changes."""

from __future__ import annotations

import time

from PySide6.QtCore import QCoreApplication, QObject, Signal

from ...model.bank.display import MapJob, MapRequest
from ..worker import LatestResultRunner
from .memory import give_back_free_memory


class MapRunner(QObject):
    """Computes the newest :class:`MapRequest`; ``finished(MapResult)`` / ``failed(message)`` in the GUI thread.

    A request equal to the last one (:meth:`MapRequest.key`) is not computed again, so a panel may
    ask on every refresh. The last request is kept, so the objects its key names stay alive.
    """

    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.runner = LatestResultRunner(self)
        self.runner.finished.connect(self._delivered)
        self.runner.failed.connect(self.failed)
        self.job = MapJob()
        self.last: MapRequest | None = None

    def request(self, req: MapRequest) -> bool:
        """Compute ``req`` unless it is the request already asked for; True when submitted."""
        if self.last is not None and self.last.key() == req.key():
            return False
        self.last = req
        self.runner.submit(_run, self.job, req)
        return True

    def _delivered(self, result) -> None:
        if result is not None:  # None: a release finished
            self.finished.emit(result)

    def release(self) -> None:
        """Drop the newest request and let the worker forget everything it keeps (the image, every map):
        for a hidden panel whose image changed. The next request is computed afresh."""
        self.last = None
        self.runner.submit(_release, self.job)   # after the running job, instead of a waiting one

    def forget(self) -> None:
        """Drop the newest request (nothing can be computed now); the next one is computed whatever it is."""
        self.last = None
        self.runner.cancel()

    @property
    def pending(self) -> bool:
        return self.runner.pending

    def wait(self, timeout_ms: int = 20_000) -> bool:
        """Run the event loop until the newest result was delivered (tests and scripts); True if it was."""
        return wait_delivered(self.runner, timeout_ms)

    def shutdown(self) -> None:
        """Stop the worker; what the job kept is dropped with it."""
        self.last = None
        self.runner.shutdown()
        self.job = MapJob()


def wait_delivered(runner: LatestResultRunner, timeout_ms: int = 20_000) -> bool:
    """Run the event loop until ``runner``'s newest job has reported back (its result delivered or its
    failure said), at most ``timeout_ms``; True if it has."""
    end = time.monotonic() + timeout_ms / 1000
    while runner.pending and time.monotonic() < end:
        time.sleep(0.005)
        QCoreApplication.processEvents()
    return not runner.pending


def _run(job: MapJob, req: MapRequest):
    """The worker's side of a request: the maps; when they are another image's, the memory freed on the
    way (the previous image's maps, the temporaries) goes back to the system (see :mod:`.memory`)."""
    images = job.images
    result = job(req)
    if job.images != images:
        give_back_free_memory()
    return result


def _release(job: MapJob) -> None:
    job.release()
    give_back_free_memory()
