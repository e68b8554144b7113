"""``convviz install-desktop``: desktop entry, MIME type and icon written into a prefix, cache updaters run."""

from __future__ import annotations

import configparser
import json
import os
import shlex
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from convviz.cli import main
from convviz.desktop_install import MIME_TYPE, desktop_entry, exec_argument, targets
from convviz.io.sessions import save_session, session_to_json
from convviz.model import ConvDocument
from convviz.paths import resource_path

MIME_NS = "{http://www.freedesktop.org/standards/shared-mime-info}"


def _entry(path) -> dict:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str
    parser.read(path, encoding="utf-8")
    return dict(parser["Desktop Entry"])


def _exec_words(value: str) -> list[str]:
    """The Exec value as argv: undo the string escape, then the quoting (shlex agrees with the spec's subset)."""
    return shlex.split(value.replace("\\\\", "\\"))


@pytest.fixture
def no_tools(tmp_path, monkeypatch):
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))


def test_the_shipped_files_are_well_formed():
    entry = _entry(resource_path("desktop", "convviz.desktop"))
    assert entry["Type"] == "Application" and entry["Icon"] == "convviz" and entry["Exec"].endswith("%f")
    assert MIME_TYPE in entry["MimeType"].split(";")
    root = ET.parse(resource_path("desktop", "convviz-session.xml")).getroot()
    (mime,) = root.findall(f"{MIME_NS}mime-type")
    assert mime.get("type") == MIME_TYPE
    assert [g.get("pattern") for g in mime.findall(f"{MIME_NS}glob")] == ["*.convviz"]
    # the magic string is what a saved session really starts with
    match = mime.find(f"{MIME_NS}magic/{MIME_NS}match")
    doc = ConvDocument()
    text = json.dumps(session_to_json(doc.state(), image_source={"sample": "shapes.png"}), indent=1)
    assert match.get("value") in text[:64]
    svg = ET.parse(resource_path("desktop", "convviz.svg")).getroot()
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"


def test_install_into_a_prefix_without_the_update_tools(tmp_path, no_tools, capsys):
    prefix = tmp_path / "share"
    assert main(["install-desktop", "--prefix", str(prefix)]) == 0
    out = capsys.readouterr().out
    where = targets(prefix)
    for path in where.values():
        assert path.is_file() and str(path) in out
    assert where["convviz.desktop"] == prefix / "applications" / "convviz.desktop"
    assert where["convviz-session.xml"] == prefix / "mime" / "packages" / "convviz-session.xml"
    assert "update-mime-database is not installed: skipped" in out
    entry = _entry(where["convviz.desktop"])
    assert _exec_words(entry["Exec"]) == [sys.executable, "-m", "convviz", "%f"]
    assert entry["MimeType"] == f"{MIME_TYPE};"
    assert where["convviz-session.xml"].read_bytes() == resource_path("desktop", "convviz-session.xml").read_bytes()
    assert where["mime icon"].name == "application-x-convviz-session.svg"

    assert main(["install-desktop", "--prefix", str(prefix), "--uninstall"]) == 0
    assert not any(p.exists() for p in where.values())


def test_the_update_tools_run_on_the_prefix(tmp_path, monkeypatch, capsys):
    bin_dir, log = tmp_path / "bin", tmp_path / "calls.txt"
    bin_dir.mkdir()
    for tool in ("update-desktop-database", "update-mime-database"):
        script = bin_dir / tool
        script.write_text(f"#!/bin/sh\necho \"{tool} $@\" >> '{log}'\n")
        script.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    prefix = tmp_path / "share"
    assert main(["install-desktop", "--prefix", str(prefix)]) == 0
    assert log.read_text().splitlines() == [f"update-desktop-database {prefix / 'applications'}",
                                            f"update-mime-database {prefix / 'mime'}"]
    (bin_dir / "update-mime-database").write_text("#!/bin/sh\necho broken >&2\nexit 3\n")
    assert main(["install-desktop", "--prefix", str(prefix)]) == 0     # files are in place: a warning only
    err = capsys.readouterr().err
    assert "warning: update-mime-database failed (exit 3): broken" in err


@pytest.mark.skipif(shutil.which("update-mime-database") is None, reason="shared-mime-info is not installed")
def test_the_real_mime_database_knows_convviz_sessions(tmp_path):
    prefix = tmp_path / "share"
    assert main(["install-desktop", "--prefix", str(prefix)]) == 0
    globs = (prefix / "mime" / "globs2").read_text()
    assert f"{MIME_TYPE}:*.convviz" in globs


def test_an_unwritable_prefix_is_one_line_and_exit_2(tmp_path, no_tools, capsys):
    blocker = tmp_path / "share"
    blocker.write_text("a file, not a folder")
    assert main(["install-desktop", "--prefix", str(blocker)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("convviz: error: ") and "Traceback" not in err


@pytest.mark.parametrize("text, quoted", [
    ("/usr/bin/python3", "/usr/bin/python3"),
    ("/opt/my python/bin/python3", '"/opt/my python/bin/python3"'),
    ("/home/a$b/py", '"/home/a\\$b/py"'),
    ('/x/"q"/py', '"/x/\\"q\\"/py"'),
    ("/x/100%/py", "/x/100%%/py"),
])
def test_exec_arguments_are_quoted_as_the_spec_says(text, quoted):
    assert exec_argument(text) == quoted


def test_a_backslash_is_escaped_twice_in_the_file():
    line = desktop_entry("[Desktop Entry]\nExec=convviz %f\n", ["C:\\py thon\\python.exe"]).splitlines()[1]
    assert line == 'Exec="C:\\\\\\\\py thon\\\\\\\\python.exe" %f'


def test_the_installed_command_opens_a_session(tmp_path, no_tools):
    """What a double-click runs: the entry's Exec with the session file for %f (offscreen, as a screenshot)."""
    prefix = tmp_path / "share"
    assert main(["install-desktop", "--prefix", str(prefix)]) == 0
    doc = ConvDocument()
    doc.apply(image=np.arange(30.0).reshape(5, 6), kernel=np.array([[1.0, -1.0]]))
    session = save_session(tmp_path / "class.convviz", session_to_json(doc.state()))
    words = _exec_words(_entry(targets(prefix)["convviz.desktop"])["Exec"])
    argv = [str(session) if w == "%f" else w for w in words] + ["--screenshot", str(tmp_path / "shot.png")]
    done = subprocess.run(argv, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"), capture_output=True, text=True,
                          timeout=180)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "shot.png").stat().st_size > 0
