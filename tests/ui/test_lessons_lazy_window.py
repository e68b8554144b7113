"""In the window: a 20-slide lesson of one photo decodes it once, when the first slide is shown."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image
from ui_support import make_window

from convviz.io import images
from convviz.io.slide_images import IMAGE_CACHE


@pytest.fixture
def decodes(monkeypatch):
    calls = []
    real = images.load_image
    monkeypatch.setattr(images, "load_image", lambda path, **kw: calls.append(str(path)) or real(path, **kw))
    IMAGE_CACHE.clear()
    yield calls
    IMAGE_CACHE.clear()


def test_presenting_twenty_slides_of_one_photo_decodes_it_once(qtbot, tmp_path, decodes):
    rng = np.random.default_rng(3)
    Image.fromarray(rng.integers(0, 256, (90, 120, 3), dtype=np.uint8)).save(tmp_path / "big.jpg")
    slides = [{"caption": f"Slide {i + 1}", "document": {"image": {"path": "big.jpg"}, "stride": 1 + i % 2}}
              for i in range(20)]
    slides[0]["document"]["kernel"] = "sharpen"
    lesson = tmp_path / "photo.json"
    lesson.write_text(json.dumps({"format": "convviz-lesson", "version": 1, "title": "One photo", "slides": slides}))

    window = make_window(qtbot, tmp_path)
    assert decodes == []                     # the Lessons menu reads every built-in lesson, and no picture
    c = window.classroom
    assert c.open_lesson(str(lesson))
    first = window.document.image
    while c.lessons.next():
        assert window.document.image is first
    assert c.lessons.index == 19 and window.document.stride == (2, 2)
    assert len(decodes) == 1
    assert first.shape == (90, 120, 3)
    window.close()


def test_a_slides_photo_is_decoded_in_the_background_then_shown(qtbot, tmp_path, decodes):
    """A lesson pointing at a phone photo: the slide change returns at once (the window stays live) and
    the slide is shown when the worker has decoded it, as uint8 (not a float64 copy)."""
    from convviz.ui.classroom.lessons import DECODE_IN_WORKER_PIXELS

    rng = np.random.default_rng(4)
    Image.fromarray(rng.integers(0, 256, (1100, 1000, 3), dtype=np.uint8)).save(tmp_path / "phone.jpg")
    assert 1100 * 1000 > DECODE_IN_WORKER_PIXELS
    slides = [{"caption": "Sharpen", "document": {"image": {"sample": "checkerboard.png"}, "kernel": "sharpen"}},
              {"caption": "A photo", "document": {"image": {"path": "phone.jpg"}}}]
    lesson = tmp_path / "phone.json"
    lesson.write_text(json.dumps({"format": "convviz-lesson", "version": 1, "title": "Photo", "slides": slides}))
    window = make_window(qtbot, tmp_path)
    c = window.classroom
    assert c.open_lesson(str(lesson))
    before = window.document.image
    assert c.lessons.next()                      # returns before the photo is decoded
    assert c.lessons.decoding and window.document.image is before and c.lessons.index == 0
    qtbot.waitUntil(lambda: window.document.image.shape == (1100, 1000, 3), timeout=30000)
    assert not c.lessons.decoding and c.lessons.index == 1
    assert window.document.image.dtype == np.uint8
    assert [d for d in decodes if d.endswith("phone.jpg")] == [str(tmp_path.resolve() / "phone.jpg")]
    assert c.lessons.previous() and window.document.image is before       # a small sample: at once
    assert c.lessons.next() and window.document.image.shape == (1100, 1000, 3)   # decoded already: at once
    window.close()
