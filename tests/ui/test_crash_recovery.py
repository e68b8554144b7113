"""Crash recovery with real processes: the app runs offscreen in a subprocess and is killed with SIGKILL."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from ui_support import make_window

from convviz.io import load_image
from convviz.io.sessions import load_session
from convviz.ui.classroom.autosave import AutosaveController

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

DRIVER = Path(__file__).with_name("autosave_driver.py")
KERNEL_1 = [[1.0, 2.0, 1.0], [0.0, 0.0, 0.0], [-1.0, -2.0, -1.0]]
KERNEL_2 = [[0.0, -1.0, 0.0], [-1.0, 5.0, -1.0], [0.0, -1.0, 0.0]]
KERNEL_3 = [[0.5, 0.25], [0.125, 0.0625]]


def _photo(tmp_path) -> Path:
    rng = np.random.default_rng(7)
    path = tmp_path / "photos" / "holiday.png"
    path.parent.mkdir(exist_ok=True)
    Image.fromarray(rng.integers(0, 256, (36, 48, 3), dtype=np.uint8)).save(path)
    return path


class App:
    """The driver process; ``saved()`` waits for its ``SAVED <path>`` line."""

    def __init__(self, tmp_path, data_dir, image, kernel, name, *extra):
        self.quit_file = tmp_path / f"quit-{name}"
        env = dict(os.environ, CONVVIZ_DATA_DIR=str(data_dir), QT_QPA_PLATFORM="offscreen")
        self.proc = subprocess.Popen(
            [sys.executable, str(DRIVER), str(image), json.dumps(kernel), str(self.quit_file), *extra],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=str(tmp_path))
        self.lines: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.put(line.strip())
        self.lines.put(None)

    def saved(self, timeout=90.0) -> Path:
        while True:
            try:
                line = self.lines.get(timeout=timeout)
            except queue.Empty:
                self.kill()
                pytest.fail("the app did not autosave in time")
            if line is None:
                pytest.fail(f"the app ended before autosaving: {self.proc.stderr.read()[-2000:]}")
            if line.startswith("FAILED"):
                self.kill()
                pytest.fail(line)
            if line.startswith("SAVED "):
                return Path(line.split(" ", 1)[1])

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)

    def quit(self):
        self.quit_file.touch()
        return self.proc.wait(timeout=60)


def _accept_newest(monkeypatch):
    offered = []
    monkeypatch.setattr(AutosaveController, "ask", lambda self, orphans, parent=None: offered.append(
        [o.path for o in orphans]) or orphans[0])
    return offered


def _recover_in_process(qtbot, tmp_path, monkeypatch):
    offered = _accept_newest(monkeypatch)
    window = make_window(qtbot, tmp_path)
    assert window.classroom._recoverable
    window.show()
    qtbot.waitUntil(lambda: bool(offered), timeout=10000)
    return window, offered


def test_work_after_recovery_keeps_being_saved(qtbot, tmp_path, monkeypatch):
    data_dir = tmp_path / "data"
    photo = _photo(tmp_path)
    app = App(tmp_path, data_dir, photo, KERNEL_1, "first")
    crashed = app.saved()
    app.kill()
    assert app.proc.returncode == -signal.SIGKILL and crashed.is_file()

    monkeypatch.setenv("CONVVIZ_DATA_DIR", str(data_dir))
    window, offered = _recover_in_process(qtbot, tmp_path, monkeypatch)
    assert offered == [[crashed]]
    np.testing.assert_array_equal(window.document.kernel, KERNEL_1)
    np.testing.assert_array_equal(window.document.image, load_image(photo))
    c = window.classroom
    assert c.host.image_source() == {"path": str(photo.resolve())}   # the source came back too
    assert not crashed.exists()                                       # adopted as this window's autosave

    window.document.apply(kernel=np.array(KERNEL_2), preset=None)
    assert c.autosave.save_now(), c.autosave.last_error
    assert load_session(c.autosave.store.path).image_source == {"path": str(photo.resolve())}
    session_file = tmp_path / "after.convviz"
    assert c.save_session_to(session_file)
    np.testing.assert_array_equal(load_session(session_file).document["kernel"], KERNEL_2)

    # a second crash still recovers the latest work
    c.shutdown(clean_exit=False)
    window.close()
    again, offered = _recover_in_process(qtbot, tmp_path, monkeypatch)
    np.testing.assert_array_equal(again.document.kernel, KERNEL_2)
    np.testing.assert_array_equal(again.document.image, load_image(photo))
    again.close()
    assert sorted(p.name for p in data_dir.iterdir()) == []   # clean exit: nothing left behind


def test_a_recovered_app_that_is_killed_again_loses_nothing(qtbot, tmp_path, monkeypatch):
    data_dir = tmp_path / "data"
    photo = _photo(tmp_path)
    first = App(tmp_path, data_dir, photo, KERNEL_1, "first")
    first.saved()
    first.kill()
    second = App(tmp_path, data_dir, photo, KERNEL_2, "second", "--recover")   # recovers, edits, autosaves
    second_path = second.saved()
    second.kill()
    assert sorted(p.name for p in data_dir.glob("*.convviz")) == [second_path.name]

    monkeypatch.setenv("CONVVIZ_DATA_DIR", str(data_dir))
    window, offered = _recover_in_process(qtbot, tmp_path, monkeypatch)
    assert offered == [[second_path]]
    np.testing.assert_array_equal(window.document.kernel, KERNEL_2)
    assert window.classroom.host.image_source() == {"path": str(photo.resolve())}
    window.close()


def test_two_processes_a_exits_cleanly_b_is_killed_b_is_offered(qtbot, tmp_path, monkeypatch):
    data_dir = tmp_path / "data"
    photo = _photo(tmp_path)
    a = App(tmp_path, data_dir, photo, KERNEL_1, "a")
    b = App(tmp_path, data_dir, photo, KERNEL_3, "b")
    a_path, b_path = a.saved(), b.saved()
    assert a_path != b_path
    assert a.quit() == 0                      # A's clean exit deletes only A's files
    assert not a_path.exists() and b_path.is_file()
    b.kill()

    monkeypatch.setenv("CONVVIZ_DATA_DIR", str(data_dir))
    window, offered = _recover_in_process(qtbot, tmp_path, monkeypatch)
    assert offered == [[b_path]]
    np.testing.assert_array_equal(window.document.kernel, KERNEL_3)
    window.close()
