"""Autosave store: one autosave per instance, OS locks, orphans after a crash (no Qt)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from convviz.io import OutputFileError
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


def _session(stride=2, name="photo.png"):
    doc = ConvDocument()
    doc.apply(image=np.arange(20.0).reshape(4, 5), kernel=np.array([[1, -1]]), padding="full", stride=stride,
              image_name=name)
    return doc, session_to_json(doc.state(), lesson={"source": "01_multiply_add", "slide": 3})


# A separate process: start an autosave, write SESSION, say READY, then wait (to be killed) or die at once.
_CHILD = """
import json, os, sys, time
from convviz.io.autosave import Autosave
a = Autosave(sys.argv[1]); a.start(); a.write(json.loads(sys.argv[2]))
print(a.path, flush=True)
if sys.argv[3] == "die":
    os._exit(1)
time.sleep(120)
"""


def _child(folder, data, mode="die"):
    return subprocess.Popen([sys.executable, "-c", _CHILD, str(folder), json.dumps(data), mode],
                            stdout=subprocess.PIPE, text=True)


def test_first_run_and_clean_exit_offer_nothing_and_leave_nothing(tmp_path):
    folder = tmp_path / "data"
    a = Autosave(folder)
    assert a.start() == []                  # first run: folder made, nothing to offer
    assert a.running and a.lock_path.is_file()
    a.write(_session()[1])
    assert a.exists()
    a.finish()
    assert list(folder.iterdir()) == []
    b = Autosave(folder)
    assert b.start() == []
    b.finish()


def test_a_killed_process_leaves_an_orphan_that_recovers(tmp_path):
    folder = tmp_path / "data"
    doc, data = _session()
    child = _child(folder, data, "die")
    child_path = Path(child.stdout.readline().strip())
    child.wait()
    after = Autosave(folder)
    orphans = after.start()
    assert [o.path for o in orphans] == [child_path]
    session = after.read(orphans[0])
    other = ConvDocument()
    other.apply(**session.document)
    np.testing.assert_array_equal(other.image, doc.image)
    assert other.stride == (2, 2) and other.padding == "full"
    assert session.lesson == {"source": "01_multiply_add", "slide": 3}
    assert "photo.png" in orphans[0].summary() and "slide 3" in orphans[0].summary()
    # while this instance holds the claim, an instance starting now is not offered the same work
    rival = Autosave(folder)
    assert rival.start() == []
    # recovering moves the orphan into this instance's own autosave (never two copies)
    assert after.adopt(orphans[0])
    assert not child_path.exists() and after.exists()
    assert after.read().document["stride"] == (2, 2)
    rival.finish()
    after.finish()
    assert list(folder.iterdir()) == []


def test_a_running_instance_is_never_an_orphan_and_sigkill_makes_it_one(tmp_path):
    folder = tmp_path / "data"
    child = _child(folder, _session()[1], "wait")
    try:
        child_path = Path(child.stdout.readline().strip())
        look = Autosave(folder)
        assert look.start() == []           # its lock is held: it is running
        look.finish()
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert child.returncode == -signal.SIGKILL
    after = Autosave(folder)
    assert [o.path for o in after.start()] == [child_path]
    after.finish()


def test_two_instances_in_one_process_keep_separate_autosaves(tmp_path):
    folder = tmp_path / "data"
    a, b = Autosave(folder), Autosave(folder)
    assert a.start() == [] and b.start() == []
    assert a.path != b.path
    a.write(_session(stride=1)[1])
    b.write(_session(stride=3)[1])
    a.finish()                              # A's clean exit deletes only A's files
    assert not a.path.exists() and b.path.is_file() and b.lock_path.is_file()
    b.abandon()                             # B "crashes"
    c = Autosave(folder)
    orphans = c.start()
    assert [o.path for o in orphans] == [b.path]
    assert c.read(orphans[0]).document["stride"] == (3, 3)
    c.finish()


def test_orphans_come_newest_first_and_release_keeps_them(tmp_path):
    folder = tmp_path / "data"
    paths = []
    for i, stride in enumerate((1, 2, 3)):
        a = Autosave(folder)
        a.start()
        a.write(_session(stride=stride)[1])
        os.utime(a.path, (1_000_000 + i, 1_000_000 + i))
        paths.append(a.path)
        a.abandon()
    b = Autosave(folder)
    orphans = b.start()
    assert [o.path for o in orphans] == paths[::-1]
    b.release()                             # "not now": all kept for the next start
    c = Autosave(folder)
    again = c.start()
    assert [o.path for o in again] == paths[::-1]
    c.discard(again[0])                     # discarding deletes only that one, with its lock
    assert not again[0].path.exists() and not again[0].lock_path.exists()
    c.finish()
    assert sorted(p.name for p in folder.iterdir() if p.suffix == ".convviz") == sorted(p.name for p in paths[:2])


def test_no_process_ids_are_involved(tmp_path):
    """A crash whose process id is in use again (after a reboot) still gets recovery: locks, not PIDs, decide."""
    folder = tmp_path / "data"
    folder.mkdir()
    legacy = folder / "autosave.convviz"          # convviz 0.1's single autosave and its run marker
    legacy.write_text(json.dumps(_session(stride=4)[1]))
    (folder / "run.json").write_text(json.dumps({"clean_exit": False, "pid": os.getpid()}))  # a "live" pid
    a = Autosave(folder)
    orphans = a.start()
    assert [o.path for o in orphans] == [legacy]
    assert not (folder / "run.json").exists()
    assert a.read(orphans[0]).document["stride"] == (4, 4)
    a.discard(orphans[0])
    a.finish()
    assert list(folder.iterdir()) == []


def test_damaged_autosave_raises_a_clear_error(tmp_path):
    folder = tmp_path / "data"
    a = Autosave(folder)
    a.start()
    a.path.write_text("{broken")
    a.abandon()
    b = Autosave(folder)
    (orphan,) = b.start()
    with pytest.raises(SessionFileError, match="not valid JSON"):
        b.read(orphan)
    assert "cannot be read" in orphan.summary()
    b.clear()
    b.clear()  # clearing twice is fine
    b.finish()


def test_a_data_folder_that_is_a_file_is_refused_in_one_sentence(tmp_path):
    blocker = tmp_path / "data"
    blocker.write_text("not a folder")
    a = Autosave(blocker)
    with pytest.raises(OutputFileError, match="is a file, not a folder"):
        a.start()
    with pytest.raises(OutputFileError):
        a.write(_session()[1])
    assert not a.running
    a.finish()   # nothing to clean up; no error
