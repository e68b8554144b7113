"""Autosave in the window: the recovery prompt and chooser, one autosave per window, failures in the status bar."""

from __future__ import annotations

import os

import numpy as np
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox
from ui_support import make_window

from convviz.io import OutputFileError
from convviz.io.autosave import Autosave
from convviz.io.sessions import session_to_json
from convviz.model import ConvDocument
from convviz.ui.classroom.autosave import DISCARD, AutosaveController, RecoveryChooser


def _state(doc: ConvDocument) -> dict:
    return {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in doc.state().items()}


def _same(a: dict, b: dict) -> bool:
    return all(np.array_equal(a[k], b[k]) if isinstance(a[k], np.ndarray) else a[k] == b[k] for k in a)


def _crashed_autosave(folder, stride: int, mtime: float | None = None) -> Autosave:
    """An autosave left by an instance that is gone (its lock let go, its file kept)."""
    doc = ConvDocument()
    doc.apply(image=np.full((6, 7), float(stride)), kernel=np.ones((2, 2)), stride=stride,
              image_name=f"grid{stride}")
    store = Autosave(folder)
    store.write(session_to_json(doc.state()))
    if mtime is not None:
        os.utime(store.path, (mtime, mtime))
    store.abandon()
    return store


def _message(window) -> str:
    return window.statusBar().currentMessage()


def test_recovery_restores_the_document_and_lesson_and_a_clean_exit_leaves_nothing(qtbot, tmp_path, monkeypatch):
    data_dir = tmp_path / "data"
    monkeypatch.setenv("CONVVIZ_DATA_DIR", str(data_dir))
    first = make_window(qtbot, tmp_path)
    c = first.classroom
    assert c.autosave is not None and c.autosave.timer.isActive()
    c.open_lesson("stride_dilation")
    c.lessons.go(2)
    assert c.autosave.debounce.isActive()                 # a change schedules a save
    assert c.autosave.save_now()
    saved = _state(first.document)
    c.shutdown(clean_exit=False)                          # what a crash leaves: the file, no lock
    first.close()

    # the default prompt asks a yes/no question when there is one autosave
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[1]) or QMessageBox.StandardButton.Yes)
    second = make_window(qtbot, tmp_path)
    second.show()
    qtbot.waitUntil(lambda: bool(asked), timeout=5000)
    assert "Recover" in asked[0]
    assert _same(saved, _state(second.document))
    assert second.classroom.lessons.lesson.name == "04_stride_dilation" and second.classroom.lessons.index == 2
    assert "Recovered" in _message(second)
    second.close()
    assert list(data_dir.iterdir()) == []                 # a clean exit removes this window's files
    third = make_window(qtbot, tmp_path)
    assert third.classroom._recoverable is False
    third.close()


def test_declining_recovery_discards_the_autosave(qtbot, tmp_path, monkeypatch):
    data_dir = tmp_path / "data"
    monkeypatch.setenv("CONVVIZ_DATA_DIR", str(data_dir))
    crashed = _crashed_autosave(data_dir, 3)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    w = make_window(qtbot, tmp_path)
    w.classroom.after_show()
    assert w.document.image.shape != (6, 7)
    assert not crashed.path.exists() and not crashed.lock_path.exists()
    w.close()


def test_not_now_keeps_the_work_for_the_next_start(qtbot, tmp_path, monkeypatch):
    data_dir = tmp_path / "data"
    monkeypatch.setenv("CONVVIZ_DATA_DIR", str(data_dir))
    crashed = _crashed_autosave(data_dir, 2)
    w = make_window(qtbot, tmp_path)
    w.classroom.autosave.prompt = lambda orphans, parent: None
    w.classroom.after_show()
    assert w.document.image.shape != (6, 7)
    w.close()
    assert crashed.path.is_file()                         # offered again at the next start
    again = Autosave(data_dir)
    assert [o.path for o in again.start()] == [crashed.path]
    again.finish()


def test_several_orphans_are_offered_in_a_chooser_newest_first(qtbot, tmp_path, monkeypatch):
    data_dir = tmp_path / "data"
    monkeypatch.setenv("CONVVIZ_DATA_DIR", str(data_dir))
    old = _crashed_autosave(data_dir, 1, mtime=1_000_000)
    new = _crashed_autosave(data_dir, 2, mtime=2_000_000)
    seen = []

    def pick_the_older(chooser):
        seen.append([chooser.list.item(i).text() for i in range(chooser.list.count())])
        assert chooser.list.currentRow() == 0             # the newest is preselected
        chooser.list.setCurrentRow(1)
        chooser.restore_button.click()
        return chooser.result()

    monkeypatch.setattr(RecoveryChooser, "exec", pick_the_older)
    w = make_window(qtbot, tmp_path)
    w.classroom.after_show()
    assert "grid2" in seen[0][0] and "grid1" in seen[0][1]
    assert w.document.stride == (1, 1) and w.document.image.shape == (6, 7) and w.document.image[0, 0] == 1.0
    assert not old.path.exists() and new.path.is_file()  # the one not chosen is kept for next time
    w.close()
    assert [p.name for p in data_dir.glob("*.convviz")] == [new.path.name]


def test_the_chooser_can_discard_all_or_wait(qtbot, tmp_path):
    store = Autosave(tmp_path)
    for stride in (1, 2):
        _crashed_autosave(tmp_path, stride)
    orphans = store.start()
    chooser = RecoveryChooser(orphans)
    qtbot.addWidget(chooser)
    assert chooser.list.count() == 2 and chooser.windowTitle() == "Recover your work?"
    chooser.discard_button.click()
    assert chooser.answer == DISCARD
    later = RecoveryChooser(orphans)
    qtbot.addWidget(later)
    later.later_button.click()
    assert later.answer is None
    store.finish()


def test_an_injected_prompt_decides_without_a_dialog(qtbot, tmp_path, monkeypatch):
    data_dir = tmp_path / "data"
    monkeypatch.setenv("CONVVIZ_DATA_DIR", str(data_dir))
    crashed = _crashed_autosave(data_dir, 4)
    w = make_window(qtbot, tmp_path)
    c = w.classroom
    c.autosave.prompt = lambda orphans, parent: DISCARD
    c.after_show()
    assert not crashed.path.exists() and "Discarded" in _message(w)
    w.close()


def test_a_damaged_autosave_is_reported_and_kept(qtbot, tmp_path, monkeypatch):
    data_dir = tmp_path / "data"
    monkeypatch.setenv("CONVVIZ_DATA_DIR", str(data_dir))
    crashed = _crashed_autosave(data_dir, 5)
    crashed.path.write_text("{damaged")
    w = make_window(qtbot, tmp_path)
    w.classroom.autosave.prompt = lambda orphans, parent: orphans[0]
    assert w.classroom.autosave.offer_recovery(w) is False
    assert "could not be restored" in _message(w) and "not valid JSON" in _message(w)
    assert crashed.path.is_file()                         # nothing is deleted that the user did not discard
    w.close()


def test_two_windows_keep_their_own_autosaves(qtbot, tmp_path, monkeypatch):
    data_dir = tmp_path / "data"
    monkeypatch.setenv("CONVVIZ_DATA_DIR", str(data_dir))
    a, b = make_window(qtbot, tmp_path), make_window(qtbot, tmp_path)
    assert b.classroom._recoverable is False               # a running window is not a crash
    a.document.apply(stride=2)
    b.document.apply(stride=3)
    assert a.classroom.autosave.save_now() and b.classroom.autosave.save_now()
    a_path, b_path = a.classroom.autosave.store.path, b.classroom.autosave.store.path
    assert a_path != b_path
    a.close()
    assert not a_path.exists() and b_path.is_file()
    b.classroom.shutdown(clean_exit=False)
    offered = []
    monkeypatch.setattr(AutosaveController, "ask", lambda self, orphans, parent=None: offered.append(orphans) or None)
    c = make_window(qtbot, tmp_path)
    c.classroom.after_show()
    assert [o.path for o in offered[0]] == [b_path]
    b.close()
    c.close()


def test_an_unusable_data_folder_is_said_in_the_status_bar(qtbot, tmp_path, monkeypatch):
    blocker = tmp_path / "data"
    blocker.write_text("a file where the data folder should be")
    monkeypatch.setenv("CONVVIZ_DATA_DIR", str(blocker))
    w = make_window(qtbot, tmp_path)
    auto = w.classroom.autosave
    assert "Autosave failed" in _message(w) and "not a folder" in _message(w)
    assert auto.last_error and "not a folder" in auto.last_error
    w.statusBar().clearMessage()
    w.document.apply(stride=2)
    failures = []
    auto.failed.connect(failures.append)
    assert auto.save_now() is False
    assert failures and "Autosave failed" in _message(w)
    # once the folder can be used again, autosave resumes and says so
    blocker.unlink()
    assert auto.save_now() is True
    assert auto.last_error is None and "works again" in _message(w)
    assert auto.store.path.is_file()
    w.close()
    assert list(blocker.iterdir()) == []


def test_a_full_disk_is_said_in_the_status_bar(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("CONVVIZ_DATA_DIR", str(tmp_path / "data"))
    w = make_window(qtbot, tmp_path)
    auto = w.classroom.autosave
    store = auto.store

    def full(data):
        raise OutputFileError(store.path, "the disk is full")

    monkeypatch.setattr(store, "write", full)
    w.document.apply(stride=2)
    qtbot.waitUntil(lambda: "the disk is full" in _message(w), timeout=5000)   # the debounced save
    assert "Autosave failed" in _message(w)
    w.close()


def test_closing_stops_the_classroom_timers(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("CONVVIZ_DATA_DIR", str(tmp_path / "d"))
    w = make_window(qtbot, tmp_path)
    w.document.apply(stride=2)
    assert w.classroom.autosave.debounce.isActive()
    w.close()
    assert [t.objectName() for t in w.findChildren(QTimer) if t.isActive()] == []


def _crashed_photo_autosave(folder, name: str):
    """An autosave left by an instance that is gone, showing a 1.1 MP photo file ``folder / name`` with a
    3×3 box kernel: ``(pixels, store)``."""
    from PIL import Image

    pixels = np.random.default_rng(14).integers(0, 256, (1100, 1000), dtype=np.uint8)
    Image.fromarray(pixels).save(folder / name)
    doc = ConvDocument()
    doc.apply(image=pixels, kernel=np.full((3, 3), 1 / 9), image_name=name)
    store = Autosave(folder / "data")
    store.write(session_to_json(doc.state(), image_source={"path": str(folder / name)}))
    store.abandon()
    return pixels, store


def test_an_autosave_showing_a_photo_is_read_in_the_background(qtbot, tmp_path, monkeypatch):
    import threading

    import convviz.ui.classroom.autosave as autosave_module

    monkeypatch.setenv("CONVVIZ_DATA_DIR", str(tmp_path / "data"))
    pixels, crashed = _crashed_photo_autosave(tmp_path, "phone.png")
    read_in = []
    real_load = autosave_module.load_session
    monkeypatch.setattr(autosave_module, "load_session",
                        lambda path: read_in.append(threading.current_thread()) or real_load(path))
    w = make_window(qtbot, tmp_path)
    c = w.classroom
    before = w.document.image
    c.autosave.prompt = lambda orphans, parent: orphans[0]
    assert c.autosave.offer_recovery(w) is True                   # under way: nothing changed yet
    assert c.autosave.recovering and w.document.image is before and "Recovering" in _message(w)
    qtbot.waitUntil(lambda: not c.autosave.recovering, timeout=30000)
    assert read_in and read_in[0] is not threading.main_thread()
    assert np.array_equal(w.document.image, pixels)
    np.testing.assert_array_equal(w.document.kernel, np.full((3, 3), 1 / 9))
    assert "Recovered" in _message(w) and not crashed.path.exists()   # adopted: moved to this window's autosave
    w.close()


def test_an_autosave_whose_photo_went_bad_is_reported_in_the_background_and_kept(qtbot, tmp_path, monkeypatch):

    monkeypatch.setenv("CONVVIZ_DATA_DIR", str(tmp_path / "data"))
    _pixels, crashed = _crashed_photo_autosave(tmp_path, "phone.jpg")
    data = (tmp_path / "phone.jpg").read_bytes()
    (tmp_path / "phone.jpg").write_bytes(data[: len(data) // 3])    # the header still reads, the pixels do not
    w = make_window(qtbot, tmp_path)
    errors = []
    monkeypatch.setattr(w, "show_error", lambda title, text: errors.append((title, text)))
    before = w.document.image
    w.classroom.autosave.prompt = lambda orphans, parent: orphans[0]
    assert w.classroom.autosave.offer_recovery(w) is True
    qtbot.waitUntil(lambda: not w.classroom.autosave.recovering, timeout=30000)
    assert errors and errors[0][0] == "Could not recover" and "truncated or damaged" in errors[0][1]
    assert w.document.image is before and crashed.path.is_file()   # nothing lost, offered again next time
    w.close()
