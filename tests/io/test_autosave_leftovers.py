"""What a kill -9 leaves in the data folder (hidden .name.xxxxxxxx.tmp files, locks) is cleaned on the next start."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from convviz.io.autosave import LEFTOVER_AGE_S, Autosave

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

# A process that takes its autosave lock and is killed in the middle of writing its autosave.
_KILLED_MID_WRITE = """
import sys, time
from convviz.io._files import atomic_write
from convviz.io.autosave import Autosave
a = Autosave(sys.argv[1]); a.start()
def write(fh):
    fh.write(b'{"format": "convviz-sess')
    fh.flush()
    print(a.path, flush=True)
    time.sleep(120)
atomic_write(a.path, write)
"""


def _writer(folder):
    proc = subprocess.Popen([sys.executable, "-c", _KILLED_MID_WRITE, str(folder)], stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline().strip()
    assert line, "the writer did not start"
    return proc, line


def _tmp_files(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def _old(path, seconds=3600):
    t = time.time() - seconds
    os.utime(path, (t, t))


def test_a_kill_during_an_atomic_write_leaves_a_tmp_file_the_next_start_removes(tmp_path):
    folder = tmp_path / "data"
    proc, target = _writer(folder)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    (left,) = _tmp_files(folder)
    assert left.startswith(f".{os.path.basename(target)}.")
    after = Autosave(folder)
    assert after.start() == []                 # nothing was ever autosaved completely: nothing to offer
    assert _tmp_files(folder) == []            # its writer is gone (its lock is free): removed at once
    after.finish()
    # the dead instance's lock file, without an autosave, goes once it is old enough
    later = Autosave(folder)
    assert later.clean_leftovers(now=time.time() + LEFTOVER_AGE_S + 1) == [folder / (os.path.basename(target)[:-8]
                                                                                       + ".lock")]
    assert list(folder.iterdir()) == []


def test_a_live_writers_tmp_file_is_kept_however_old(tmp_path):
    folder = tmp_path / "data"
    proc, _ = _writer(folder)
    try:
        (left,) = _tmp_files(folder)
        _old(folder / left)
        look = Autosave(folder)
        look.start()
        assert _tmp_files(folder) == [left]    # its writer still holds its lock
        look.finish()
    finally:
        proc.kill()
        proc.wait()


def test_other_leftovers_go_only_when_old_and_other_files_stay(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    old_tmp = folder / ".notes.json.0123abcd.tmp"
    young_tmp = folder / ".notes.json.89abcdef.tmp"
    keep = [".foo.tmp", ".x.ABCDEF12.tmp", ".autosave-1.convviz.123.tmp", "photo.png", "x.0123abcd.tmp",
            ".y.0123abcd.tmp.bak"]
    for name in [old_tmp.name, young_tmp.name, *keep]:
        (folder / name).write_bytes(b"x")
    (folder / ".dir.0123abcd.tmp").mkdir()     # a folder with a matching name is not ours to delete
    _old(old_tmp)
    _old(folder / ".dir.0123abcd.tmp")
    for name in keep:
        _old(folder / name)
    a = Autosave(folder)
    a.start()
    names = sorted(p.name for p in folder.iterdir())
    assert old_tmp.name not in names
    assert young_tmp.name in names and ".dir.0123abcd.tmp" in names
    assert all(name in names for name in keep)
    a.finish()


def test_lock_files_are_removed_only_when_free_old_and_without_an_autosave(tmp_path):
    folder = tmp_path / "data"
    live = Autosave(folder)
    live.start()
    _old(live.lock_path)                        # held: kept however old
    stale = folder / "autosave-0badc0ffee00.lock"
    stale.write_bytes(b"")
    young = folder / "autosave-0badc0ffee01.lock"
    young.write_bytes(b"")
    orphan = folder / "autosave-0badc0ffee02.convviz"
    orphan.write_text(json.dumps({"format": "convviz-session"}))
    orphan_lock = orphan.with_suffix(".lock")
    orphan_lock.write_bytes(b"")
    for path in (stale, orphan_lock):
        _old(path)
    look = Autosave(folder)
    orphans = look.start()
    assert not stale.exists()
    assert young.exists() and live.lock_path.exists() and orphan_lock.exists()
    assert [o.path for o in orphans] == [orphan]
    look.finish()
    live.finish()
