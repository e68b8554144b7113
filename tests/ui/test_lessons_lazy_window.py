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
