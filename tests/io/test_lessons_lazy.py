"""Lessons keep image *sources*: a file is decoded when its slide is shown, once for every slide sharing it."""

from __future__ import annotations

import json
import os
import tracemalloc

import numpy as np
import pytest
from PIL import Image

from convviz.io import images, load_image
from convviz.io.lesson_state import document_at
from convviz.io.lessons import LessonFileError, load_lesson
from convviz.io.slide_images import IMAGE_CACHE, ImageCache, SlideImage
from convviz.model import ConvDocument


@pytest.fixture
def decodes(monkeypatch):
    """Every decode of an image file, counted (the real decoder still runs)."""
    calls = []
    real = images.load_image
    monkeypatch.setattr(images, "load_image", lambda path, **kw: calls.append(str(path)) or real(path, **kw))
    IMAGE_CACHE.clear()
    yield calls
    IMAGE_CACHE.clear()


def _photo(folder, size=(60, 80), seed=0, name="big.jpg"):
    rng = np.random.default_rng(seed)
    path = folder / name
    Image.fromarray(rng.integers(0, 256, (*size, 3), dtype=np.uint8)).save(path, quality=90)
    return path


def _lesson(folder, slides, name="lesson.json"):
    path = folder / name
    path.write_text(json.dumps({"format": "convviz-lesson", "version": 1, "title": "Big photo",
                                "slides": slides}))
    return path


def _twenty_slides_one_photo(tmp_path):
    photo = _photo(tmp_path)
    # the same file written four ways: relative, ./relative, absolute, through a symlink
    link = tmp_path / "link.jpg"
    link.symlink_to(photo)
    refs = ["big.jpg", "./big.jpg", str(photo), "link.jpg"]
    slides = [{"caption": f"slide {i + 1}", "document": {"image": {"path": refs[i % 4]}, "stride": 1 + i % 3}}
              for i in range(20)]
    slides[0]["document"]["kernel"] = "sobel_x"
    return photo, _lesson(tmp_path, slides)


def test_loading_a_lesson_decodes_no_image(tmp_path, decodes):
    photo, path = _twenty_slides_one_photo(tmp_path)
    lesson = load_lesson(path)
    assert decodes == []
    assert len(lesson.slides) == 20
    first = lesson.slides[0].changes["image"]
    assert isinstance(first, SlideImage) and first.path == photo.resolve()
    assert lesson.slides[3].changes["image_name"] == "link.jpg"


def test_twenty_slides_of_one_file_decode_it_once_and_share_one_array(tmp_path, decodes):
    photo, path = _twenty_slides_one_photo(tmp_path)
    lesson = load_lesson(path)
    shown = [document_at(lesson, i)["image"] for i in range(20)]
    shown += [slide.document["image"] for slide in lesson.slides]
    assert len(decodes) == 1
    assert all(a is shown[0] for a in shown)
    np.testing.assert_array_equal(shown[0], load_image(photo))
    assert not shown[0].flags.writeable
    doc = ConvDocument()
    doc.apply(**document_at(lesson, 7))
    assert doc.image is shown[0]                       # the document holds the shared array, no copy
    assert doc.stride == (2, 2) and doc.preset == "sobel_x"


def test_a_changed_file_is_decoded_again(tmp_path, decodes):
    photo, path = _twenty_slides_one_photo(tmp_path)
    lesson = load_lesson(path)
    before = document_at(lesson, 0)["image"]
    _photo(tmp_path, seed=1)                           # same name, new pixels
    st = photo.stat()
    os.utime(photo, ns=(st.st_atime_ns, st.st_mtime_ns + 10_000_000))
    after = document_at(lesson, 1)["image"]
    assert len(decodes) == 2 and after is not before
    np.testing.assert_array_equal(after, load_image(photo))


def test_jumping_decodes_only_the_image_in_force(tmp_path, decodes):
    a, b, c = (_photo(tmp_path, seed=i, name=f"{n}.png") for i, n in enumerate("abc"))
    slides = [{"caption": "a", "document": {"image": {"path": "a.png"}, "kernel": "identity"}},
              {"caption": "b", "document": {"image": {"path": "b.png"}}},
              {"caption": "c", "document": {"image": {"path": "c.png"}}}]
    lesson = load_lesson(_lesson(tmp_path, slides))
    document_at(lesson, 2)
    assert decodes == [str(c.resolve())]


def test_problems_with_image_files_are_found_when_the_lesson_loads(tmp_path, decodes, monkeypatch):
    (tmp_path / "notes.png").write_text("not a picture")
    _photo(tmp_path, size=(50, 40), name="wide.png")
    cases = [("missing.jpg", "no such file"), ("notes.png", "not an image"), ("wide.png", "megapixels")]
    monkeypatch.setattr(images, "MAX_PIXELS", 1000)
    for name, phrase in cases:
        path = _lesson(tmp_path, [{"caption": "ok", "document": {"image": {"path": name}}}])
        with pytest.raises(LessonFileError, match=phrase) as err:
            load_lesson(path)
        assert "slide 1" in str(err.value)
    assert decodes == []


def test_a_file_removed_after_loading_is_a_value_error_when_shown(tmp_path, decodes):
    photo, path = _twenty_slides_one_photo(tmp_path)
    lesson = load_lesson(path)
    photo.unlink()
    with pytest.raises(ValueError, match="no such file"):
        document_at(lesson, 0)


def test_grids_and_samples_still_work(tmp_path, decodes):
    slides = [{"caption": "grid", "document": {"image": {"grid": [[1, 2], [3, 4]]}, "kernel": [[1]]}},
              {"caption": "sample", "document": {"image": {"sample": "shapes.png"}}},
              {"caption": "named", "document": {"image": {"sample": "shapes.png"}, "image_name": "Shapes!"}}]
    lesson = load_lesson(_lesson(tmp_path, slides))
    assert decodes == []
    assert lesson.slides[0].changes["image"].shape == (2, 2)          # numbers in the file: parsed at once
    assert document_at(lesson, 1)["image_name"] == "shapes.png"
    assert document_at(lesson, 2)["image_name"] == "Shapes!"
    assert len(decodes) == 1


def test_the_cache_keeps_only_what_someone_holds(tmp_path):
    cache = ImageCache(loader=load_image)
    first, second = _photo(tmp_path, seed=0, name="one.png"), _photo(tmp_path, seed=1, name="two.png")
    a = cache.load(first)
    assert cache.load(first) is a and cache.decoded == 1
    cache.load(second)                                 # the newest is kept; the first only while held
    del a
    cache.load(first)
    assert cache.decoded == 3


def test_twenty_slides_of_a_big_photo_cost_one_image_of_memory(tmp_path):
    _photo(tmp_path, size=(1200, 1500))        # 1.8 megapixels: 43 MB as float64 colour
    one_image = 1200 * 1500 * 3 * 8
    slides = [{"caption": f"{i}", "document": {"image": {"path": "big.jpg"}}} for i in range(20)]
    slides[0]["document"]["kernel"] = "box_blur"
    path = _lesson(tmp_path, slides)
    IMAGE_CACHE.clear()
    tracemalloc.start()
    try:
        lesson = load_lesson(path)
        doc = ConvDocument()
        for i in range(20):
            doc.apply(**document_at(lesson, i))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        IMAGE_CACHE.clear()
    assert peak < 2.5 * one_image, f"peak {peak / 1e6:.0f} MB for a {one_image / 1e6:.0f} MB image"

