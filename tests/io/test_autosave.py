"""Autosave folder, the clean-exit marker, and recovery after a crash (no Qt)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from convviz.io.autosave import Autosave, data_dir
from convviz.io.sessions import SessionFileError, session_to_json
from convviz.model import ConvDocument


def test_data_dir_follows_env_and_platform(tmp_path):
    home = Path("/home/ann")
    assert data_dir({"CONVVIZ_DATA_DIR": str(tmp_path)}, "linux", home) == tmp_path
    assert data_dir({}, "linux", home) == home / ".local/share/convviz"
    assert data_dir({"XDG_DATA_HOME": "/x"}, "linux", home) == Path("/x/convviz")
    assert data_dir({}, "darwin", home) == home / "Library/Application Support/convviz"
    assert data_dir({"APPDATA": "C:/Users/ann/AppData/Roaming"}, "win32", home) == \
        Path("C:/Users/ann/AppData/Roaming/convviz")


def test_data_dir_reads_the_real_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("CONVVIZ_DATA_DIR", str(tmp_path / "d"))
    assert data_dir() == tmp_path / "d"
    assert Autosave().folder == tmp_path / "d"


def _session():
    doc = ConvDocument()
    doc.apply(image=np.arange(20.0).reshape(4, 5), kernel=np.array([[1, -1]]), padding="full", stride=2)
    return doc, session_to_json(doc.state(), lesson={"source": "01_multiply_add", "slide": 3})


def test_first_run_and_clean_exit_offer_nothing(tmp_path):
    a = Autosave(tmp_path / "data")
    assert a.start() is False              # first run: no marker, folder made
    a.write(_session()[1])
    assert a.exists()
    a.finish()
    assert not a.exists()
    b = Autosave(tmp_path / "data")
    assert b.previous_run_crashed() is False and b.start() is False


def test_crash_is_detected_and_the_autosave_recovers(tmp_path):
    folder = tmp_path / "data"
    doc, data = _session()
    # a separate process starts, autosaves and dies without finishing
    code = ("import sys, json; from convviz.io.autosave import Autosave; a = Autosave(sys.argv[1]); "
            "a.start(); a.write(json.loads(sys.argv[2])); import os; os._exit(1)")
    subprocess.run([sys.executable, "-c", code, str(folder), json.dumps(data)], check=False)
    after = Autosave(folder)
    assert after.previous_run_crashed() is True
    assert after.start() is True
    session = after.read()
    other = ConvDocument()
    other.apply(**session.document)
    np.testing.assert_array_equal(other.image, doc.image)
    assert other.stride == (2, 2) and other.padding == "full"
    assert session.lesson == {"source": "01_multiply_add", "slide": 3}
    # once started, this run owns the marker: a second look sees a running app, not a crash
    assert after.previous_run_crashed() is False


def test_crash_without_autosave_offers_nothing(tmp_path):
    (tmp_path / "run.json").write_text(json.dumps({"clean_exit": False, "pid": 999_999_999}))
    a = Autosave(tmp_path)
    assert a.previous_run_crashed() is True
    assert a.start() is False


def test_a_running_other_instance_is_not_a_crash(tmp_path):
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        (tmp_path / "run.json").write_text(json.dumps({"clean_exit": False, "pid": proc.pid}))
        assert Autosave(tmp_path).previous_run_crashed() is False
    finally:
        proc.kill()
        proc.wait()
    assert Autosave(tmp_path).previous_run_crashed() is True


@pytest.mark.parametrize("marker", ["not json", "[1]", '{"clean_exit": true}'])
def test_odd_markers_are_not_crashes(tmp_path, marker):
    (tmp_path / "run.json").write_text(marker)
    assert Autosave(tmp_path).previous_run_crashed() is False


def test_damaged_autosave_raises_a_clear_error(tmp_path):
    a = Autosave(tmp_path)
    a.path.write_text("{broken")
    with pytest.raises(SessionFileError, match="not valid JSON"):
        a.read()
    a.clear()
    a.clear()  # clearing twice is fine
    assert not a.exists()
