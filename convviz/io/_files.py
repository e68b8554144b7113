"""Shared file helpers for :mod:`convviz.io`: input checks, the one safe JSON reader, and atomic writes."""

from __future__ import annotations

import errno
import json
import os
import re
import secrets
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from ..model.limits import (
    MAX_FILE_BYTES,
    MAX_JSON_DEPTH,
    MAX_JSON_NUMBER_CHARS,
    check_file_size,
    check_json_depth,
    check_json_number,
)


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
    except ValueError:  # a NUL character in the name
        return "it is not a usable file name (it holds a NUL character)"
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


def atomic_write(path, write: Callable[[BinaryIO], object]) -> Path:
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


# -- writing JSON people can read, fast ----------------------------------------------------------------
def readable_json(data, *, compact: tuple[str, ...] = ()) -> bytes:
    """``data`` as UTF-8 JSON with one key per line (``indent=1``), except that the value of every
    key in ``compact`` (e.g. a bank's ``"slices"``) is a list written one item per line (a K×K slice
    on one line), or one line when it is not a list.

    Python's JSON encoder falls back to pure Python with ``indent``, so the bulky numbers go through the
    C encoder instead: a 1,000,000-weight bank is encoded in 3.6 s instead of 8.3 s (measured on a busy
    2-CPU machine), and the file is about a quarter smaller.
    NaN and infinity raise ``ValueError``.
    """
    bulky: dict[str, object] = {}
    nonce = secrets.token_hex(8)   # placeholders no string in ``data`` can equal by chance

    def swap(value):
        if isinstance(value, dict):
            out = {}
            for key, item in value.items():
                if key in compact:
                    token = f"{nonce}:{len(bulky)}"
                    bulky[token] = item
                    out[key] = f"\x00{token}\x00"
                else:
                    out[key] = swap(item)
            return out
        if isinstance(value, list):
            return [swap(item) for item in value]
        return value

    def one(item) -> str:
        return json.dumps(item, ensure_ascii=False, allow_nan=False)

    def expand(match: re.Match) -> str:
        indent, before, item = match.group(1), match.group(2), bulky[match.group(3)]
        if not isinstance(item, list) or not item:
            return indent + before + one(item)
        inner = ",\n".join(f"{indent} {one(x)}" for x in item)
        return f"{indent}{before}[\n{inner}\n{indent}]"

    text = json.dumps(swap(data), indent=1, ensure_ascii=False, allow_nan=False)
    if bulky:
        text = re.sub(rf'^( *)(.*)"\\u0000({nonce}:\d+)\\u0000"', expand, text, flags=re.MULTILINE)
    return text.encode("utf-8")


# -- the one JSON reader every convviz file goes through ---------------------------------------------
class JSONFileProblem(ValueError):
    """Why a JSON file cannot be used, as a reason without the file name (``"it is not valid JSON …"``).

    Each reader wraps it in its own error (``SessionFileError``, ``BankFileError``, …) that names the file.
    ``syntax`` is True when the text is not JSON at all.
    """

    def __init__(self, reason: str, *, syntax: bool = False):
        super().__init__(reason)
        self.syntax = syntax


def read_json_file(path, kind: str) -> Any:
    """Read a ``kind`` file (``"session"``, ``"lesson"``, ``"bank"``, ``"kernel"``) as JSON, safely.

    Refused with :class:`JSONFileProblem`, before the parser runs: a missing, empty or unreadable file,
    one larger than ``MAX_FILE_BYTES[kind]`` (checked before reading, and again while reading), text that
    is not UTF-8, lists and objects nested more than ``MAX_JSON_DEPTH`` deep. While parsing: numbers of
    more than ``MAX_JSON_NUMBER_CHARS`` characters, numbers too large for a float (``1e400``) and
    ``NaN``/``Infinity``. See :mod:`convviz.model.limits`.
    """
    problem = input_problem(path)
    if problem is not None:
        raise JSONFileProblem(problem)
    try:
        size = os.path.getsize(path)
        _check_size(size, kind)
        with open(path, "rb") as fh:
            data = fh.read(size + 1)  # read(n) reserves n bytes: never more than the file had
            if len(data) > size:  # it grew after the first look: read on, never past the limit
                data += fh.read(MAX_FILE_BYTES[kind] + 1 - len(data))
    except OSError as exc:
        raise JSONFileProblem(_describe_os_error(exc)) from None
    _check_size(len(data), kind)
    return parse_json_bytes(data)


def _check_size(size: int, kind: str) -> None:
    try:
        check_file_size(size, kind)
    except ValueError as exc:
        raise JSONFileProblem(str(exc)) from None


def parse_json_bytes(data: bytes) -> Any:
    """:func:`parse_json_text` of UTF-8 ``data`` (a byte-order mark is allowed)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise JSONFileProblem("it is not a UTF-8 text file", syntax=True) from None
    return parse_json_text(text)


def parse_json_text(text: str) -> Any:
    """Parse JSON text with the limits of :func:`read_json_file`; :class:`JSONFileProblem` otherwise.

    The nesting depth and the numbers are checked on the text outside strings before ``json.loads``
    runs, so the parser never recurses deeply, never meets a 5,000-digit integer and never makes ``inf``.
    """
    try:
        _check_shape(_STRING.sub("", text))
        return json.loads(text, parse_constant=_refuse_constant)
    except JSONFileProblem:
        raise
    except json.JSONDecodeError as exc:
        raise JSONFileProblem(f"it is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})",
                              syntax=True) from None
    except RecursionError:  # not expected after the depth check; kept as the last line of defence
        raise JSONFileProblem(f"its lists and objects are nested more than {MAX_JSON_DEPTH} deep") from None
    except MemoryError:
        raise JSONFileProblem("there is not enough memory to read it") from None
    except ValueError as exc:  # a limit of convviz.model.limits, or Python's own limit on integer digits
        raise JSONFileProblem(str(exc).rstrip(".")) from None


#: a JSON string, escapes included (unrolled so that long strings cost no backtracking)
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
#: the exponent of a number that may be too large for a float (three or more digits, as in 1e400)
_BIG_EXPONENT = re.compile(r"[eE]\+?0*[1-9][0-9]{2,}")
_NUMBER_CHARS = np.zeros(256, dtype=bool)
_NUMBER_CHARS[np.frombuffer(b"0123456789.eE+-", dtype=np.uint8)] = True
_NESTING = np.zeros(256, dtype=np.int8)
_NESTING[np.frombuffer(b"[{", dtype=np.uint8)] = 1
_NESTING[np.frombuffer(b"]}", dtype=np.uint8)] = -1
_CHUNK = 1 << 20


class _Shape:
    """What :func:`_scan` finds in JSON text outside its strings."""

    def __init__(self):
        self.depth = 0
        self.deepest = 0
        self.run = 0           # length of the run of number characters reaching the end of the last chunk
        self.longest = (0, 0)  # (length, start) of the longest run of number characters


def _scan(outside: bytes) -> _Shape:
    """Nesting depth and the longest number of JSON text without its strings, counted in chunks of 1 MiB
    (no recursion, no parsing: a file of a million ``[`` costs a few MB). A multi-byte UTF-8 character
    never contains a bracket or a digit byte."""
    data = np.frombuffer(outside, dtype=np.uint8)
    shape = _Shape()
    for start in range(0, data.size, _CHUNK):
        chunk = data[start:start + _CHUNK]
        steps = _NESTING[chunk]
        if steps.any():
            running = np.cumsum(steps, dtype=np.int64) + shape.depth
            shape.deepest = max(shape.deepest, int(running.max()))
            shape.depth = int(running[-1])
        breaks = np.flatnonzero(~_NUMBER_CHARS[chunk])
        if breaks.size == 0:
            shape.run += chunk.size
            continue
        runs = [(shape.run + int(breaks[0]), start - shape.run)]
        if breaks.size > 1:
            gaps = np.diff(breaks) - 1
            i = int(gaps.argmax())
            runs.append((int(gaps[i]), start + int(breaks[i]) + 1))
        shape.longest = max([shape.longest, *runs])
        shape.run = chunk.size - 1 - int(breaks[-1])
    shape.longest = max(shape.longest, (shape.run, data.size - shape.run))
    return shape


def json_depth(text: str) -> int:
    """How deep lists and objects nest in JSON ``text`` (brackets inside strings do not count)."""
    return _scan(_STRING.sub("", text).encode("utf-8", "replace")).deepest


def _check_shape(outside: str) -> None:
    raw = outside.encode("utf-8", "replace")
    shape = _scan(raw)
    check_json_depth(shape.deepest)
    length, at = shape.longest
    if length > MAX_JSON_NUMBER_CHARS:
        check_json_number(raw[at:at + length].decode("ascii"))
    for match in _BIG_EXPONENT.finditer(outside):
        begin = match.start()
        while begin > 0 and outside[begin - 1] in "0123456789.-":
            begin -= 1
        token = outside[begin:match.end()]
        try:
            value = float(token)
        except ValueError:
            continue  # not a number after all: the parser says what is wrong
        if value in (float("inf"), float("-inf")):
            raise JSONFileProblem(f"it holds the number {token[:24]}, which is too large to be a finite number")


def _refuse_constant(name: str):
    raise JSONFileProblem(f"it contains {name}, but convviz files hold only finite numbers")
