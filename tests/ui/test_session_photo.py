"""A session showing a phone photo is read in the background: the window stays live, then shows it."""

import numpy as np
from PIL import Image

from convviz.io.sessions import session_photo_pixels


def test_a_session_with_a_photo_is_opened_in_the_background(window, qtbot, tmp_path):
    rng = np.random.default_rng(12)
    pixels = rng.integers(0, 256, (1100, 1000, 3), dtype=np.uint8)
    Image.fromarray(pixels).save(tmp_path / "phone.png")
    assert window.load_image(tmp_path / "phone.png")
    window.document.apply(kernel=np.full((3, 3), 1 / 9), preset=None)
    path = tmp_path / "s.convviz"
    assert window.classroom.save_session_to(path)
    assert session_photo_pixels(path) == 1100 * 1000
    window.document.apply(image=np.zeros((10, 10)), kernel=np.eye(3), preset=None)
    c = window.classroom
    assert c.open_session_from(path, background=True)              # under way: nothing changed yet
    assert c.opening_session and window.document.image.shape == (10, 10)
    qtbot.waitUntil(lambda: not c.opening_session, timeout=30000)
    assert window.document.image.dtype == np.uint8 and np.array_equal(window.document.image, pixels)
    np.testing.assert_array_equal(window.document.kernel, np.full((3, 3), 1 / 9))
    assert c.session_path == path


def test_a_session_whose_photo_went_bad_is_refused_and_changes_nothing(window, qtbot, tmp_path, monkeypatch):
    rng = np.random.default_rng(13)
    Image.fromarray(rng.integers(0, 256, (1100, 1000), dtype=np.uint8)).save(tmp_path / "phone.jpg")
    assert window.load_image(tmp_path / "phone.jpg")
    path = tmp_path / "s.convviz"
    assert window.classroom.save_session_to(path)
    data = (tmp_path / "phone.jpg").read_bytes()
    (tmp_path / "phone.jpg").write_bytes(data[: len(data) // 3])    # the header still reads, the pixels do not
    window.document.apply(image=np.zeros((10, 10)))
    errors = []
    monkeypatch.setattr(window, "show_error", lambda title, text: errors.append((title, text)))
    assert window.classroom.open_session_from(path, background=True)
    qtbot.waitUntil(lambda: not window.classroom.opening_session, timeout=30000)
    assert errors and errors[0][0] == "Cannot open session" and "truncated or damaged" in errors[0][1]
    assert window.document.image.shape == (10, 10)
