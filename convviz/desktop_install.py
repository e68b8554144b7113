"""``convviz install-desktop``: a menu entry, an icon and the ``.convviz`` file type on a Linux desktop.

::

    convviz install-desktop [--prefix DIR] [--uninstall]

Copies the files of ``resources/desktop/`` into DIR (default ``$XDG_DATA_HOME``, else
``~/.local/share``; ``/usr/local/share`` for everyone, as root), following the freedesktop.org
specifications:

=====================================================  ==============================================
``applications/convviz.desktop``                        the menu entry; its ``Exec`` runs this convviz
                                                        (``<this Python> -m convviz %f``)
``mime/packages/convviz-session.xml``                   the type ``application/x-convviz-session``
                                                        for ``*.convviz``
``icons/hicolor/scalable/apps/convviz.svg``             the icon, and the same picture as
``icons/hicolor/scalable/mimetypes/…-session.svg``      the session files' icon
=====================================================  ==============================================

then runs ``update-desktop-database`` and ``update-mime-database`` when they are installed, so a
double-clicked session opens in convviz. A folder that cannot be written ends the command with
exit status 2 and one line; a helper program that fails is reported as a warning.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

from convviz.cli_args import PROG, _Parser

__all__ = ["MIME_TYPE", "install_desktop", "run_install_desktop", "uninstall_desktop"]

MIME_TYPE = "application/x-convviz-session"
DESKTOP_FILE = "convviz.desktop"
MIME_FILE = "convviz-session.xml"
ICON_FILE = "convviz.svg"
_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")   # characters that make an Exec argument need quotes


def default_prefix(env=None) -> Path:
    """``$XDG_DATA_HOME`` or ``~/.local/share``."""
    env = os.environ if env is None else env
    return Path(env["XDG_DATA_HOME"]) if env.get("XDG_DATA_HOME") else Path.home() / ".local" / "share"


def targets(prefix) -> dict[str, Path]:
    """Where each file goes under ``prefix``."""
    prefix = Path(prefix)
    icons = prefix / "icons" / "hicolor" / "scalable"
    return {
        DESKTOP_FILE: prefix / "applications" / DESKTOP_FILE,
        MIME_FILE: prefix / "mime" / "packages" / MIME_FILE,
        ICON_FILE: icons / "apps" / ICON_FILE,
        "mime icon": icons / "mimetypes" / (MIME_TYPE.replace("/", "-") + ".svg"),
    }


def exec_argument(text: str) -> str:
    """One argument of a desktop entry's ``Exec`` key, quoted when needed (Desktop Entry spec, "Exec key")."""
    if text and not (set(text) & _RESERVED):
        return text.replace("%", "%%")
    quoted = "".join("\\" + c if c in '"`$\\' else c for c in text).replace("%", "%%")
    return f'"{quoted}"'


def desktop_entry(template: str, command: list[str]) -> str:
    """``template`` with ``Exec`` running ``command`` on the opened file (``%f``)."""
    words = " ".join(exec_argument(word) for word in command) + " %f"
    value = words.replace("\\", "\\\\")   # the string-value escape of the .desktop file, over the Exec quoting
    lines = [f"Exec={value}" if line.startswith("Exec=") else line for line in template.splitlines()]
    return "\n".join(lines) + "\n"


def _write(path: Path, data: bytes) -> None:
    from convviz.io._files import OutputFileError, _describe_os_error, atomic_write

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputFileError(path, "a folder on its way is a file") from None
    except OSError as exc:
        raise OutputFileError(path, _describe_os_error(exc)) from None
    atomic_write(path, lambda fh: fh.write(data))


def _refresh(prefix: Path) -> list[str]:
    """Run the desktop's cache updaters that are installed; lines saying what happened."""
    notes = []
    for tool, folder in (("update-desktop-database", prefix / "applications"),
                         ("update-mime-database", prefix / "mime")):
        exe = shutil.which(tool)
        if exe is None:
            notes.append(f"{tool} is not installed: skipped (the desktop picks the files up at the next login)")
            continue
        try:
            done = subprocess.run([exe, str(folder)], capture_output=True, text=True, timeout=120)
        except (OSError, subprocess.TimeoutExpired) as exc:
            notes.append(f"warning: {tool} could not run ({exc})")
            continue
        if done.returncode != 0:
            detail = " ".join((done.stderr or done.stdout).split())[:200]
            notes.append(f"warning: {tool} failed (exit {done.returncode}): {detail}")
        else:
            notes.append(f"ran {tool} {folder}")
    return notes


def install_desktop(prefix=None, command: list[str] | None = None) -> list[str]:
    """Install the desktop files under ``prefix``; returns lines to print. :class:`OutputFileError` if refused."""
    from convviz.paths import resource_path

    prefix = Path(prefix).expanduser() if prefix is not None else default_prefix()
    command = command if command is not None else [sys.executable, "-m", "convviz"]
    source = resource_path("desktop")
    where = targets(prefix)
    template = (source / DESKTOP_FILE).read_text(encoding="utf-8")
    _write(where[DESKTOP_FILE], desktop_entry(template, command).encode("utf-8"))
    _write(where[MIME_FILE], (source / MIME_FILE).read_bytes())
    icon = (source / ICON_FILE).read_bytes()
    _write(where[ICON_FILE], icon)
    _write(where["mime icon"], icon)
    lines = [f"installed {path}" for path in where.values()]
    return lines + _refresh(prefix)


def uninstall_desktop(prefix=None) -> list[str]:
    """Remove what :func:`install_desktop` installed under ``prefix``; returns lines to print."""
    prefix = Path(prefix).expanduser() if prefix is not None else default_prefix()
    lines = []
    for path in targets(prefix).values():
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        except OSError as exc:
            lines.append(f"warning: cannot remove {path}: {exc.strerror or exc}")
            continue
        lines.append(f"removed {path}")
    return lines + _refresh(prefix) if lines else ["nothing to remove"]


def install_parser() -> _Parser:
    parser = _Parser(
        prog=f"{PROG} install-desktop",
        description="Add convviz to the desktop's application menu and register .convviz session files "
                    "(application/x-convviz-session), so double-clicking a session opens it in convviz. "
                    "Linux desktops (freedesktop.org).",
    )
    parser.add_argument("--prefix", metavar="DIR",
                        help="data folder to install into (default: $XDG_DATA_HOME or ~/.local/share; "
                             "/usr/local/share for every user)")
    parser.add_argument("--uninstall", action="store_true", help="remove the files installed before")
    return parser


def run_install_desktop(argv: list[str]) -> int:
    """The ``install-desktop`` command; exit status 0 (problems raise, and ``convviz.cli.main`` reports them)."""
    args: argparse.Namespace = install_parser().parse_args(argv)
    lines = uninstall_desktop(args.prefix) if args.uninstall else install_desktop(args.prefix)
    for line in lines:
        print(line, file=sys.stderr if line.startswith("warning:") else sys.stdout)
    return 0
