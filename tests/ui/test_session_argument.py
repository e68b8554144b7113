"""``convviz FILE.convviz`` opens the session as File ▸ Open session does; a bad one exits 2 with one line."""

from __future__ import annotations

import json

import numpy as np
import pytest

from convviz.cli import main
from convviz.io.sessions import save_session, session_to_json
from convviz.model import ConvDocument
from convviz.ui import MainWindow

KERNEL = [[0.0, 1.0, 0.0], [1.0, -4.0, 1.0], [0.0, 1.0, 0.5]]


@pytest.fixture
def shown(monkeypatch):
    """The windows ``main`` lays out (recorded when ``--screenshot`` closes them)."""
    windows = []
    real_close = MainWindow.close
    monkeypatch.setattr(MainWindow, "close", lambda self: windows.append(self) or real_close(self))
    return windows


def _session_file(tmp_path, name="lecture.convviz", **document):
    doc = ConvDocument()
    doc.apply(image=np.arange(42.0).reshape(6, 7), kernel=np.array(KERNEL), stride=2, image_name="grid",
              **document)
    return save_session(tmp_path / name, session_to_json(doc.state()))


def test_a_session_given_on_the_command_line_is_opened(qtbot, tmp_path, shown):
    path = _session_file(tmp_path)
    assert main([str(path), "--screenshot", str(tmp_path / "shot.png")]) == 0
    (window,) = shown
    np.testing.assert_array_equal(window.document.kernel, KERNEL)
    np.testing.assert_array_equal(window.document.image, np.arange(42.0).reshape(6, 7))
    assert window.document.stride == (2, 2)
    assert window.classroom.session_path == path          # File ▸ Save session writes back to it
    assert (tmp_path / "shot.png").stat().st_size > 0


def test_options_apply_on_top_of_the_session(qtbot, tmp_path, shown):
    path = _session_file(tmp_path)
    assert main([str(path), "--padding", "same", "--screenshot", str(tmp_path / "shot.png")]) == 0
    assert shown[0].document.padding == "same" and shown[0].document.stride == (2, 2)


@pytest.mark.parametrize("content, phrase", [
    ("{not json", "not valid JSON"),
    (json.dumps({"format": "convviz-session", "version": 99}), "newer convviz"),
    (json.dumps({"format": "something-else"}), "not a convviz session"),
    (json.dumps({"format": "convviz-session", "version": 1,
                 "document": {"image": {"path": "gone.png"}, "kernel": [[1]]}}), "gone.png"),
])
def test_a_bad_session_exits_2_with_one_line(qtbot, tmp_path, shown, capsys, content, phrase):
    path = tmp_path / "bad.convviz"
    path.write_text(content)
    assert main([str(path), "--screenshot", str(tmp_path / "shot.png")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("convviz: ") and phrase in err, err
    assert "Traceback" not in err
    assert not (tmp_path / "shot.png").exists()


def test_a_missing_session_file_is_one_line(tmp_path, capsys):
    assert main([str(tmp_path / "nowhere.convviz")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no such file" in err
