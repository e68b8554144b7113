"""Autosave: the app's state kept in the user data folder, so a crash never loses a setup (no Qt).

The folder is ``$CONVVIZ_DATA_DIR`` when set, else the platform's user-data folder
(``$XDG_DATA_HOME/convviz`` or ``~/.local/share/convviz`` on Linux,
``~/Library/Application Support/convviz`` on macOS, ``%APPDATA%\\convviz`` on Windows).
It holds two files:

* ``autosave.convviz`` — a normal session file (see :mod:`convviz.io.sessions`), rewritten
  atomically on every autosave;
* ``run.json`` — ``{"clean_exit": false, "pid": 1234}`` while the app runs, set to
  ``{"clean_exit": true}`` when it closes normally.

So on start, :meth:`Autosave.start` can tell that the previous run crashed (its marker still
says ``clean_exit: false`` and that process is gone) and an autosave is there to recover.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from ._files import atomic_write
from .sessions import Session, load_session, save_session

__all__ = ["AUTOSAVE_NAME", "Autosave", "RUN_MARKER_NAME", "data_dir"]

AUTOSAVE_NAME = "autosave.convviz"
RUN_MARKER_NAME = "run.json"
ENV_VAR = "CONVVIZ_DATA_DIR"


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


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name != "posix" or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, owned by someone else
        return True
    except OSError:
        return False
    return True


class Autosave:
    """The autosave file and the run marker in one folder (``data_dir()`` by default)."""

    def __init__(self, folder=None):
        self.folder = Path(os.fspath(folder)) if folder is not None else data_dir()

    @property
    def path(self) -> Path:
        return self.folder / AUTOSAVE_NAME

    @property
    def marker(self) -> Path:
        return self.folder / RUN_MARKER_NAME

    # -- the run marker ------------------------------------------------------------
    def _read_marker(self) -> dict | None:
        try:
            data = json.loads(self.marker.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def _write_marker(self, data: dict) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        text = json.dumps(data).encode("utf-8")
        atomic_write(self.marker, lambda fh: fh.write(text))

    def previous_run_crashed(self) -> bool:
        """True when the last run did not mark a clean exit and its process has gone."""
        data = self._read_marker()
        if data is None or data.get("clean_exit", True) is not False:
            return False
        pid = data.get("pid")
        if isinstance(pid, bool) or not isinstance(pid, int):
            return True
        return not _process_alive(pid)  # our own pid counts as alive: this run owns the marker

    def start(self) -> bool:
        """Mark this run as running; returns True when a crashed run left an autosave to recover.

        Call it once at start-up, before the first :meth:`write`.
        """
        recoverable = self.previous_run_crashed() and self.path.is_file()
        self._write_marker({"clean_exit": False, "pid": os.getpid()})
        return recoverable

    def finish(self) -> None:
        """Mark a clean exit and remove the autosave (nothing is left to recover)."""
        self.clear()
        try:
            self._write_marker({"clean_exit": True})
        except (OSError, ValueError):
            pass

    # -- the autosave file -----------------------------------------------------------
    def write(self, data: dict) -> Path:
        """Save ``data`` (from :func:`convviz.io.sessions.session_to_json`) atomically."""
        self.folder.mkdir(parents=True, exist_ok=True)
        return save_session(self.path, data)

    def read(self) -> Session:
        """The autosaved session; :class:`~convviz.io.sessions.SessionFileError` if it cannot be used."""
        return load_session(self.path)

    def exists(self) -> bool:
        return self.path.is_file()

    def clear(self) -> None:
        try:
            self.path.unlink()
        except FileNotFoundError:
            pass

