"""Autosave: every running convviz keeps its own autosave in the user data folder (no Qt).

The folder is ``$CONVVIZ_DATA_DIR`` when set, else the platform's user-data folder
(``$XDG_DATA_HOME/convviz`` or ``~/.local/share/convviz`` on Linux,
``~/Library/Application Support/convviz`` on macOS, ``%APPDATA%\\convviz`` on Windows).
Each running instance (one :class:`Autosave`, i.e. one window) owns two files there; ``<id>``
is random, never a process id:

* ``autosave-<id>.convviz`` — a normal session file (see :mod:`convviz.io.sessions`),
  rewritten atomically on every autosave;
* ``autosave-<id>.lock`` — locked by the OS (``flock``) for as long as the instance lives.

A clean exit deletes that instance's two files and nothing else. An autosave whose lock nobody
holds was left by an instance that crashed, was killed or lost its power: an *orphan*. The OS
drops the lock with the process, so a reboot or a reused process id never hides one, and a
second window never mistakes a running first one for a crash.

:meth:`Autosave.start` takes this instance's lock, removes leftovers (hidden
``.name.xxxxxxxx.tmp`` files of interrupted atomic writes whose writer is gone, free lock files
without an autosave) and returns the orphans, newest first. Each orphan stays *claimed* (its
lock held by this instance) until it is recovered (:meth:`~Autosave.adopt`), discarded or
released, so an instance starting at the same time never offers the same work.
"""

from __future__ import annotations

import os
import re
import secrets
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from ._files import OutputFileError, _describe_os_error
from .sessions import Session, SessionFileError, load_session, read_session_json, save_session

__all__ = ["AUTOSAVE_PREFIX", "Autosave", "LEFTOVER_AGE_S", "Orphan", "data_dir"]

AUTOSAVE_PREFIX = "autosave"
AUTOSAVE_SUFFIX = ".convviz"
LOCK_SUFFIX = ".lock"
LEGACY_MARKER = "run.json"   # written by convviz 0.1 next to a single autosave.convviz
ENV_VAR = "CONVVIZ_DATA_DIR"
LEFTOVER_AGE_S = 30.0
"""A temporary or lock file no live instance can be shown to own is removed once it is this old (seconds)."""

_TMP_NAME = re.compile(r"^\.(?P<target>.+)\.[0-9a-f]{8}\.tmp$")   # what _files.atomic_write leaves on a kill


def data_dir(env=None, platform: str | None = None, home: Path | None = None) -> Path:
    """The folder convviz keeps its autosave in (not created here)."""
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    home = Path.home() if home is None else home
    if env.get(ENV_VAR):
        return Path(env[ENV_VAR]).expanduser()
    if platform.startswith("win"):
        base = Path(env["APPDATA"]) if env.get("APPDATA") else home / "AppData" / "Roaming"
        return base / "convviz"
    if platform == "darwin":
        return home / "Library" / "Application Support" / "convviz"
    base = Path(env["XDG_DATA_HOME"]) if env.get("XDG_DATA_HOME") else home / ".local" / "share"
    return base / "convviz"


# -- OS locks: held by an open file, dropped by the OS when the process ends ----------------
if sys.platform == "win32":
    import msvcrt

    def _lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
else:
    import fcntl

    def _lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:   # BlockingIOError: someone holds it
            return False
        return True


def _claim(path: Path) -> int | None:
    """An open descriptor holding the lock on ``path`` (created if missing), or None when it is held."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError:
        return None
    if _lock(fd):
        return fd
    os.close(fd)
    return None


def _lock_is_free(path: Path) -> bool:
    """True when no process holds the lock on ``path`` (a missing lock file is free)."""
    try:
        fd = os.open(path, os.O_RDWR)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    try:
        return _lock(fd)
    finally:
        os.close(fd)   # closing drops the lock we may just have taken


def _unlink(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


def _age(path: Path, now: float) -> float:
    try:
        return now - path.stat().st_mtime
    except OSError:
        return 0.0


@dataclass(frozen=True)
class Orphan:
    """An autosave left by an instance that is no longer running."""

    path: Path         # the session file
    lock_path: Path
    saved_at: float    # when it was last written (seconds since the epoch)

    def summary(self) -> str:
        """What it holds, in a few words: the image name and lesson position, or why it cannot be read."""
        try:
            data = read_session_json(self.path)
        except SessionFileError as exc:
            return f"cannot be read ({exc})"
        document = data.get("document")
        name = document.get("image_name") if isinstance(document, dict) else None
        parts = [name if isinstance(name, str) and name else "an image"]
        lesson = data.get("lesson")
        if isinstance(lesson, dict) and isinstance(lesson.get("source"), str):
            parts.append(f"lesson {Path(lesson['source']).stem}, slide {lesson.get('slide', 1)}")
        return ", ".join(parts)


class Autosave:
    """This instance's autosave and lock in ``folder`` (``data_dir()`` by default)."""

    def __init__(self, folder=None):
        self.folder = Path(os.fspath(folder)) if folder is not None else data_dir()
        self.id = secrets.token_hex(6)
        self._lock_fd: int | None = None
        self._claims: dict[Path, int] = {}   # orphan path → descriptor holding its lock

    @property
    def path(self) -> Path:
        return self.folder / f"{AUTOSAVE_PREFIX}-{self.id}{AUTOSAVE_SUFFIX}"

    @property
    def lock_path(self) -> Path:
        return self.folder / f"{AUTOSAVE_PREFIX}-{self.id}{LOCK_SUFFIX}"

    @property
    def running(self) -> bool:
        """True while this instance holds its lock (between :meth:`start` or :meth:`write` and the end)."""
        return self._lock_fd is not None

    # -- this instance's lock --------------------------------------------------------------
    def _acquire(self) -> None:
        """Make the folder and take this instance's lock; :class:`OutputFileError` when that is impossible."""
        if self._lock_fd is not None:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except FileExistsError:
            raise OutputFileError(self.folder, "it is a file, not a folder") from None
        except OSError as exc:
            raise OutputFileError(self.folder, _describe_os_error(exc)) from None
        for _ in range(20):
            try:
                fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o666)
            except FileExistsError:
                self.id = secrets.token_hex(6)
                continue
            except OSError as exc:
                raise OutputFileError(self.lock_path, _describe_os_error(exc)) from None
            # a cleaner in another instance may have removed the new file before it was locked
            if _lock(fd) and _same_file(fd, self.lock_path):
                self._lock_fd = fd
                return
            os.close(fd)
            self.id = secrets.token_hex(6)
        raise OutputFileError(self.lock_path, "no autosave lock could be taken in this folder")

    def start(self) -> list[Orphan]:
        """Take this instance's lock, clean leftovers and return the orphans (newest first, claimed).

        Call it once at start-up, before the first :meth:`write`; :class:`OutputFileError`
        when the folder cannot be used (then autosaving is impossible, nothing is offered).
        """
        self._acquire()
        self.clean_leftovers()
        return self.find_orphans()

    def find_orphans(self) -> list[Orphan]:
        """Autosaves whose lock nobody else holds, newest first; they stay claimed by this instance."""
        found = []
        for path in sorted(self.folder.glob(f"{AUTOSAVE_PREFIX}*{AUTOSAVE_SUFFIX}")):
            if path == self.path or not path.is_file():
                continue
            lock = path.with_suffix(LOCK_SUFFIX)
            if path not in self._claims:
                fd = _claim(lock)
                if fd is None:
                    continue                      # its instance is running, or another one claimed it
                if not path.is_file():            # its instance exited cleanly meanwhile
                    _unlink(lock)
                    os.close(fd)
                    continue
                self._claims[path] = fd
            try:
                saved_at = path.stat().st_mtime
            except OSError:
                saved_at = 0.0
            found.append(Orphan(path=path, lock_path=lock, saved_at=saved_at))
        return sorted(found, key=lambda o: o.saved_at, reverse=True)

    def clean_leftovers(self, now: float | None = None) -> list[Path]:
        """Remove what killed instances left (see the module docstring); returns the removed paths."""
        now = time.time() if now is None else now
        removed: list[Path] = []
        try:
            names = sorted(os.listdir(self.folder))
        except OSError:
            return removed
        autosaves = {n for n in names if n.startswith(AUTOSAVE_PREFIX) and n.endswith(AUTOSAVE_SUFFIX)}
        own = {self.path.name, self.lock_path.name}
        claimed = {p.with_suffix(LOCK_SUFFIX).name for p in self._claims}
        for name in names:
            path = self.folder / name
            match = _TMP_NAME.match(name)
            if match:
                target = match["target"]
                if target in own:
                    continue
                if target.startswith(AUTOSAVE_PREFIX) and target.endswith(AUTOSAVE_SUFFIX):
                    # an autosave's writer is gone exactly when its lock is free
                    stale = _lock_is_free(self.folder / (target[: -len(AUTOSAVE_SUFFIX)] + LOCK_SUFFIX))
                else:
                    stale = _age(path, now) >= LEFTOVER_AGE_S
            elif name.startswith(AUTOSAVE_PREFIX) and name.endswith(LOCK_SUFFIX):
                stale = (name not in own and name not in claimed
                         and name[: -len(LOCK_SUFFIX)] + AUTOSAVE_SUFFIX not in autosaves
                         and _age(path, now) >= LEFTOVER_AGE_S and _lock_is_free(path))
            else:
                stale = name == LEGACY_MARKER
            if stale and path.is_file():
                _unlink(path)
                removed.append(path)
        return removed

    # -- orphans -----------------------------------------------------------------------------
    def read(self, orphan: Orphan | None = None) -> Session:
        """An orphan's session (this instance's own autosave without one); :class:`SessionFileError` if unusable."""
        return load_session(orphan.path if orphan is not None else self.path)

    def adopt(self, orphan: Orphan) -> bool:
        """Make a recovered orphan this instance's autosave (its file is moved, never copied); False if it stays."""
        try:
            self._acquire()
            os.replace(orphan.path, self.path)
        except (OSError, ValueError):
            self.release(orphan)
            return False
        self._drop(orphan, delete=False)
        return True

    def discard(self, orphan: Orphan) -> None:
        """Delete an orphan (the user chose not to recover it)."""
        self._drop(orphan, delete=True)

    def release(self, orphan: Orphan | None = None) -> None:
        """Let go of an orphan's claim (all claims without one), keeping its files for a later start."""
        for path in [orphan.path] if orphan is not None else list(self._claims):
            fd = self._claims.pop(path, None)
            if fd is not None:
                os.close(fd)

    def _drop(self, orphan: Orphan, *, delete: bool) -> None:
        if delete:
            _unlink(orphan.path)
        fd = self._claims.pop(orphan.path, None)
        _unlink(orphan.lock_path)   # while still held, so no one else can see it free meanwhile
        if fd is not None:
            os.close(fd)

    # -- this instance's autosave ----------------------------------------------------------
    def write(self, data: dict) -> Path:
        """Save ``data`` (from :func:`convviz.io.sessions.session_to_json`) atomically."""
        self._acquire()
        return save_session(self.path, data)

    def exists(self) -> bool:
        return self.path.is_file()

    def clear(self) -> None:
        """Delete this instance's autosave (its lock stays)."""
        _unlink(self.path)

    def finish(self) -> None:
        """A clean exit: delete this instance's autosave and lock, keep every other file."""
        self.clear()   # the autosave first: while it exists, the lock must stay held
        self.release()
        if self._lock_fd is not None:
            _unlink(self.lock_path)
            os.close(self._lock_fd)
            self._lock_fd = None
            _unlink(self.lock_path)   # where an open file cannot be deleted (Windows), now it can

    def abandon(self) -> None:
        """Let go of every lock and keep every file, as a crash does (the autosave becomes an orphan)."""
        self.release()
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None


def _same_file(fd: int, path: Path) -> bool:
    try:
        a, b = os.fstat(fd), os.stat(path)
    except OSError:
        return False
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)
