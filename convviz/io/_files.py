"""Shared file helpers for :mod:`convviz.io`: input checks and atomic writes."""

from __future__ import annotations

import errno
import os
import secrets
import stat
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


class OutputFileError(ValueError):
    """A file could not be written; ``str()`` is one sentence naming the file.

    ``path`` is the destination as given and ``reason`` what went wrong.
    """

    def __init__(self, path, reason: str):
        self.path = os.fspath(path)
        self.reason = reason
        super().__init__(f"cannot write {self.path!r}: {reason}")

    def __reduce__(self):
        return (type(self), (self.path, self.reason))


def input_problem(path) -> str | None:
    """Why ``path`` cannot be read as a file (missing, a folder, empty, unreadable), or ``None``."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return "no such file"
    except PermissionError:
        return "permission denied"
    except NotADirectoryError:
        return "no such file (a folder in the path is a file)"
    except OSError as exc:
        return _describe_os_error(exc)
    if stat.S_ISDIR(st.st_mode):
        return "it is a folder, not a file"
    if not stat.S_ISREG(st.st_mode):
        return "it is not a regular file"
    if st.st_size == 0:
        return "the file is empty (0 bytes)"
    return None


def _describe_os_error(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied"
    if exc.errno == errno.ENOSPC:
        return "the disk is full"
    if exc.errno == errno.EROFS:
        return "the disk is read-only"
    text = exc.strerror or str(exc) or type(exc).__name__
    return text[:1].lower() + text[1:]


def atomic_write(path, write: Callable[[BinaryIO], None]) -> Path:
    """Write a file through ``write(binary_file)`` so it appears whole or not at all.

    The data go to a hidden temporary file in the destination folder, which then
    replaces ``path`` with :func:`os.replace`. The temporary file is created with
    the usual permissions (``0o666`` minus the umask). Problems with the
    destination raise :class:`OutputFileError`; an exception raised by ``write``
    propagates unchanged. Either way no partial file is left behind.
    """
    dest = Path(os.fspath(path))
    folder = dest.parent
    if dest.name in ("", ".", ".."):
        raise OutputFileError(path, "it is a folder, not a file name")
    if not folder.exists():
        raise OutputFileError(path, f"the folder {os.fspath(folder)!r} does not exist")
    if not folder.is_dir():
        raise OutputFileError(path, f"{os.fspath(folder)!r} is not a folder")
    if dest.is_dir():
        raise OutputFileError(path, "it is a folder")

    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        tmp = folder / f".{dest.name}.{secrets.token_hex(4)}.tmp"
        try:
            fd = os.open(tmp, flags, 0o666)
            break
        except FileExistsError:
            continue
        except OSError as exc:
            raise OutputFileError(path, _describe_os_error(exc)) from None
    else:  # pragma: no cover - 100 collisions of 32 random bits
        raise OutputFileError(path, "could not create a temporary file next to it")

    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, dest)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise OutputFileError(path, _describe_os_error(exc)) from None
        raise
    return dest
