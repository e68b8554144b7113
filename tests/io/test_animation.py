"""Animated GIF and PNG-sequence export: frame counts, pixels, progress, cancel, atomicity."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageSequence

from convviz.io import OutputFileError
from convviz.io.animation import MAX_FRAMES, AnimationCancelled, write_gif, write_png_sequence


def _frames(n: int, h: int = 12, w: int = 16):
    """n distinct frames: a red square walking across a grey field, as the player's window does."""
    for i in range(n):
        f = np.full((h, w, 3), 90, np.uint8)
        r, c = divmod(i, w - 2)
        f[r % (h - 2):r % (h - 2) + 2, c:c + 2] = (220, 30, 30)
        yield f


def test_gif_has_one_frame_per_step_and_the_right_pixels(tmp_path):
    frames = list(_frames(23))
    calls = []
    path = write_gif(tmp_path / "a.gif", frames, frame_ms=150, progress=lambda d, t: calls.append((d, t)))
    with Image.open(path) as im:
        assert im.n_frames == 23
        assert im.info["loop"] == 0
        decoded = [np.asarray(f.convert("RGB")) for f in ImageSequence.Iterator(im)]
        assert im.info["duration"] == 150
    for got, want in zip(decoded, frames):
        np.testing.assert_array_equal(got, want)
    assert calls == [(i, 23) for i in range(1, 24)]


def test_gif_from_an_iterator_with_total(tmp_path):
    seen = []
    write_gif(tmp_path / "i.gif", _frames(5), total=5, progress=lambda d, t: seen.append(t))
    assert seen == [5] * 5
    with Image.open(tmp_path / "i.gif") as im:
        assert im.n_frames == 5


def test_cancel_leaves_the_old_file_and_no_temporary(tmp_path):
    path = tmp_path / "keep.gif"
    path.write_bytes(b"old contents")
    with pytest.raises(AnimationCancelled):
        write_gif(path, _frames(10), progress=lambda done, total: done < 4)
    assert path.read_bytes() == b"old contents"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.gif"]


def test_bad_frames_are_refused_and_nothing_written(tmp_path):
    with pytest.raises(ValueError, match="same size"):
        write_gif(tmp_path / "x.gif", [np.zeros((4, 4, 3), np.uint8), np.zeros((5, 4, 3), np.uint8)])
    with pytest.raises(ValueError, match="uint8"):
        write_gif(tmp_path / "x.gif", [np.zeros((4, 4, 3), np.float64)])
    with pytest.raises(ValueError, match="no frames"):
        write_gif(tmp_path / "x.gif", [])
    with pytest.raises(ValueError, match=f"at most {MAX_FRAMES}"):
        write_gif(tmp_path / "x.gif", (np.zeros((2, 2), np.uint8) for _ in range(MAX_FRAMES + 1)))
    with pytest.raises(ValueError, match="frame_ms"):
        write_gif(tmp_path / "x.gif", [np.zeros((2, 2), np.uint8)], frame_ms=5)
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(OutputFileError, match="does not exist"):
        write_gif(tmp_path / "no" / "x.gif", [np.zeros((2, 2), np.uint8)])


def test_png_sequence_is_numbered_and_exact(tmp_path):
    frames = list(_frames(12))
    paths = write_png_sequence(tmp_path / "seq", frames, prefix="step")
    assert [p.name for p in paths] == [f"step_{i:04d}.png" for i in range(1, 13)]
    for p, f in zip(paths, frames):
        np.testing.assert_array_equal(np.asarray(Image.open(p)), f)


def test_png_sequence_cancel_removes_what_it_wrote(tmp_path):
    folder = tmp_path / "seq"
    with pytest.raises(AnimationCancelled):
        write_png_sequence(folder, _frames(8), progress=lambda done, total: done < 3)
    assert not folder.exists()
    folder.mkdir()
    (folder / "mine.txt").write_text("x")
    with pytest.raises(AnimationCancelled):
        write_png_sequence(folder, _frames(8), progress=lambda done, total: done < 3)
    assert [p.name for p in folder.iterdir()] == ["mine.txt"]
    with pytest.raises(OutputFileError, match="not a folder"):
        write_png_sequence(folder / "mine.txt", _frames(2))
    with pytest.raises(ValueError, match="prefix"):
        write_png_sequence(folder, _frames(2), prefix="../x")
