"""Starting the window from the command line: ``run_app(args)``.

``args`` is the ``argparse.Namespace`` of ``convviz [IMAGE|SESSION.convviz] [--kernel PRESET|FILE]
[--padding valid|same|full] [--lesson …] [--screenshot PNG]``. With ``--screenshot``
the window is laid out offscreen, the first output is drawn, the window is saved
as a PNG and the function returns 0 without waiting for a user.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ORGANISATION = "convviz"
APPLICATION = "convviz"
SCREENSHOT_TIMEOUT_S = 60.0


def _error(message: str) -> int:
    print(f"convviz: {message}", file=sys.stderr)
    return 2


def configure_pyqtgraph() -> None:
    """pyqtgraph's options for convviz, set once when the app (or a test session) starts, before any
    item is made: arrays are row-major ``(rows, cols)`` like everywhere else in convviz."""
    import pyqtgraph as pg

    pg.setConfigOptions(imageAxisOrder="row-major", antialias=True)


#: arrays up to a megapixel of float32 come from (and go back to) the heap: a kernel edit of a 1 MP photo
#: allocates its output afresh, and freshly mapped pages cost it ~2,000 page faults (3–4 ms) every time
MMAP_THRESHOLD = 4_718_592          # 4.5 MiB
#: freed memory at the top of a heap is kept up to this much (glibc's 128 KiB gave it back and took it
#: again at every edit)
TRIM_THRESHOLD = 8 << 20


def release_freed_memory_promptly() -> bool:
    """Ask glibc to give every image-sized block (over :data:`MMAP_THRESHOLD`) back to the system when it
    is freed, and to keep at most :data:`TRIM_THRESHOLD` free at the top of a heap.

    glibc raises its mmap threshold as big arrays come and go, after which freed image-sized scratch
    arrays stay in the worker thread's heap: the window kept hundreds of MB it no longer used after a
    few photos. Fixed thresholds keep RSS close to what is really held (within ~40 MB) while the arrays
    of a 1 MP edit are reused without page faults. Linux/glibc only; elsewhere nothing happens. True when set."""
    import ctypes
    import ctypes.util

    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        # M_MMAP_THRESHOLD (also turns off the dynamic thresholds), M_TRIM_THRESHOLD; mallopt returns 1 on success
        return bool(libc.mallopt(-3, MMAP_THRESHOLD)) and bool(libc.mallopt(-1, TRIM_THRESHOLD))
    except (OSError, AttributeError):   # not glibc (e.g. musl has no mallopt)
        return False


def run_app(args) -> int:
    """Show the main window for ``args``; returns the process exit status."""
    screenshot = getattr(args, "screenshot", None)
    if screenshot:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from convviz.io.sessions import SESSION_SUFFIX, SessionFileError, read_session_json

    image = getattr(args, "image", None)
    session = None
    if image and Path(image).suffix.lower() == SESSION_SUFFIX:   # a session, e.g. double-clicked in a file manager
        try:
            read_session_json(image)   # format and version: a wrong file ends here, before any window
        except SessionFileError as exc:
            return _error(str(exc))
        image, session = None, image

    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    release_freed_memory_promptly()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    QCoreApplication.setOrganizationName(ORGANISATION)
    QCoreApplication.setApplicationName(APPLICATION)
    import convviz

    QCoreApplication.setApplicationVersion(convviz.__version__)
    configure_pyqtgraph()

    from PySide6.QtCore import QSettings

    from .main_window import MainWindow

    # A screenshot must not depend on (or change) the user's remembered window and kernel.
    settings = QSettings(str(Path(os.devnull)), QSettings.Format.IniFormat) if screenshot else None
    # IMAGE's header is checked now and its pixels decoded in the worker (instead of the bundled sample,
    # not after it); a screenshot's window must not write into the user's autosave folder either
    window = MainWindow(image or None, settings=settings, autosave=not screenshot)
    if image and not window.loading and window.image_path != Path(image).resolve():
        window.shutdown()
        return _error(getattr(window, "last_error", f"cannot open {image!r}"))
    # as File ▸ Open session does (a screenshot waits for it)
    if session and not window.classroom.open_session_from(session, background=not screenshot):
        window.close()
        return _error(getattr(window, "last_error", f"cannot open session {session!r}"))
    try:
        if getattr(args, "kernel", None):
            window.apply_kernel_argument(args.kernel)
        if getattr(args, "padding", None):
            window.document.apply(padding=args.padding)
    except ValueError as exc:
        window.shutdown()
        return _error(str(exc))
    if getattr(args, "lesson", None) and not window.classroom.open_lesson(args.lesson):
        window.shutdown()
        return _error(getattr(window, "last_error", f"cannot open lesson {args.lesson!r}"))
    window.show()

    if screenshot:
        return _save_screenshot(app, window, Path(screenshot))
    window.raise_()
    return app.exec()


def _save_screenshot(app, window, path: Path) -> int:
    """Wait for the newest output to be drawn, then save ``window.grab()`` to ``path``."""
    deadline = time.monotonic() + SCREENSHOT_TIMEOUT_S
    while window.loading and time.monotonic() < deadline:     # the command line's IMAGE, decoded in the worker
        app.processEvents()
        time.sleep(0.005)
    window.recompute()
    while window.runner.pending and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.005)
    if not window.isFullScreen():     # the whole window at its usual size, whatever screen Qt assumes offscreen
        window.resize(max(window.width(), 1280), max(window.height(), 800))
    for _ in range(5):
        app.processEvents()
    ok = window.grab().save(str(path))
    window.close()
    if not ok:
        return _error(f"cannot write the screenshot to {str(path)!r}")
    return 0
