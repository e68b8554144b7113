"""Session files and lesson files: round trips, and every malformed file refused with a clear message."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image

from convviz.io.lessons import LessonFileError, load_lesson
from convviz.io.sessions import SESSION_VERSION, SessionFileError, load_session, save_session, session_to_json
from convviz.io.state import StateError, parse_document_state
from convviz.model import ConvDocument


def _doc_with_file(tmp_path):
    img = (np.arange(48, dtype=np.uint8).reshape(6, 8) * 5)
    Image.fromarray(img).save(tmp_path / "pic.png")
    doc = ConvDocument()
    doc.apply(image=img.astype(float), image_name="pic.png", kernel=np.array([[1, 0], [0, 2.5]]), preset=None,
              padding=(1, 2), stride=(2, 1), dilation=(1, 2), padding_mode="reflect", flip=True, gray=False)
    return doc


def _same_state(a: dict, b: dict):
    for key in a:
        if isinstance(a[key], np.ndarray):
            np.testing.assert_array_equal(a[key], b[key])
        else:
            assert a[key] == b[key], key


def test_session_round_trip_with_image_file(tmp_path):
    doc = _doc_with_file(tmp_path)
    data = session_to_json(doc.state(), image_source={"path": str(tmp_path / "pic.png")},
                           view={"panel": "player", "player_step": 4}, lesson={"source": "x", "slide": 2})
    path = save_session(tmp_path / "s.convviz", data)
    session = load_session(path)
    other = ConvDocument()
    other.apply(**session.document)
    _same_state(doc.state(), other.state())
    assert session.view == {"panel": "player", "player_step": 4}
    assert session.image_source == {"path": str(tmp_path / "pic.png")}
    assert session.lesson == {"source": "x", "slide": 2}


def test_small_grid_is_stored_inline(tmp_path):
    doc = ConvDocument()
    doc.apply(image=np.array([[0, 10], [20, 30.5]]), kernel=np.ones((1, 1)), padding="valid")
    path = save_session(tmp_path / "g.convviz", session_to_json(doc.state()))
    assert json.loads(path.read_text())["document"]["image"] == {"grid": [[0, 10], [20, 30.5]]}
    np.testing.assert_array_equal(load_session(path).document["image"], doc.image)
    assert load_session(path).image_source is None  # typed numbers have no file


def test_relative_image_path_is_made_absolute(tmp_path):
    doc = _doc_with_file(tmp_path)
    data = session_to_json(doc.state(), image_source={"path": "pic.png"})
    session = load_session(save_session(tmp_path / "rel.convviz", data))
    assert session.image_source == {"path": str(tmp_path.resolve() / "pic.png")}
    np.testing.assert_array_equal(session.document["image"], doc.image)


def test_large_image_without_a_file_is_refused():
    doc = ConvDocument()
    doc.apply(image=np.zeros((100, 100)))
    with pytest.raises(StateError, match="too large to store inline"):
        session_to_json(doc.state())


@pytest.mark.parametrize("content,phrase", [
    ("", "empty"),
    ("not json", "not valid JSON"),
    ("[1, 2]", "not a convviz session"),
    ('{"format": "convviz-session"}', "version"),
    ('{"format": "convviz-session", "version": 99, "document": {}}', "newer convviz"),
    ('{"format": "convviz-session", "version": 1}', "document must be a JSON object"),
    ('{"format": "convviz-session", "version": 1, "document": {"kernel": [[1]]}}', "lacks image"),
    ('{"format": "convviz-session", "version": 1, "document": {"image": {"grid": [[1, 2], [3]]}, "kernel": [[1]]}}',
     "same number of values"),
    ('{"format": "convviz-session", "version": 1, "document": {"image": {"grid": [[1]]}, "kernel": [["a"]]}}',
     "finite number"),
    ('{"format": "convviz-session", "version": 1, "document": {"image": {"path": "nope.png"}, "kernel": [[1]]}}',
     "nope.png"),
    ('{"format": "convviz-session", "version": 1, "document": {"image": {"grid": [[1]]}, "kernel": [[1]], '
     '"stride": 0}}', "stride must be at least 1"),
    ('{"format": "convviz-session", "version": 1, "document": {"image": {"grid": [[1]]}, "kernel": [[1]], '
     '"colour": 1}}', "unknown field"),
    ('{"format": "convviz-session", "version": 1, "document": {"image": {"grid": [[1]]}, "kernel": "nope"}}',
     "unknown preset"),
])
def test_bad_session_files_are_refused(tmp_path, content, phrase):
    path = tmp_path / "bad.convviz"
    path.write_text(content)
    with pytest.raises(SessionFileError, match=phrase):
        load_session(path)


def test_failed_save_keeps_the_old_file(tmp_path):
    path = tmp_path / "s.convviz"
    doc = ConvDocument()
    doc.apply(image=np.ones((4, 4)), kernel=np.ones((2, 2)))
    save_session(path, session_to_json(doc.state()))
    before = path.read_bytes()
    with pytest.raises(ValueError):
        save_session(path, {"format": "convviz-session", "version": SESSION_VERSION, "x": float("nan")})
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["s.convviz"]


def test_directory_and_binary_are_refused(tmp_path):
    with pytest.raises(SessionFileError, match="folder"):
        load_session(tmp_path)
    (tmp_path / "b.convviz").write_bytes(b"\xff\xfe\x00\x81" * 10)
    with pytest.raises(SessionFileError):
        load_session(tmp_path / "b.convviz")


def _lesson(tmp_path, slides, **top):
    data = {"format": "convviz-lesson", "version": 1, "title": "T", "description": "d", "slides": slides}
    data.update(top)
    path = tmp_path / "l.json"
    path.write_text(json.dumps(data))
    return path


def test_lesson_loads_and_checks_every_slide(tmp_path):
    path = _lesson(tmp_path, [
        {"title": "a", "caption": "c", "document": {"image": {"preset_grid": "lecture_4x4"}, "kernel": [[1, 0], [0, 2]],
                                                    "padding": "valid"}, "panel": "player",
         "settings": {"step": 0, "lecture_mode": True}},
        {"caption": "second", "document": {"kernel": "sobel_x"}},
    ])
    lesson = load_lesson(path)
    assert len(lesson.slides) == 2 and lesson.title == "T"
    assert lesson.slides[0].document["image"].shape == (4, 4)
    assert lesson.slides[1].document["preset"] == "sobel_x"
    assert lesson.slides[0].settings == {"step": 0, "lecture_mode": True}


@pytest.mark.parametrize("slides,top,phrase", [
    ([], {}, "non-empty list"),
    ([{"title": "x"}], {}, "slide 1 needs a \"caption\""),
    ([{"caption": "ok"}, {"caption": "c", "panel": "nowhere"}], {}, "slide 2: unknown panel"),
    ([{"caption": "c", "document": {"padding": "middle"}}], {}, "slide 1 document.padding"),
    ([{"caption": "c", "document": {"image": {"path": "missing.png"}}}], {}, "missing.png"),
    ([{"caption": "c", "extra": 1}], {}, "unknown field"),
    ([{"caption": "c"}], {"version": 5}, "newer convviz"),
    ([{"caption": "c"}], {"title": ""}, "title"),
])
def test_bad_lessons_name_the_slide(tmp_path, slides, top, phrase):
    with pytest.raises(LessonFileError, match=phrase.replace("(", r"\(")):
        load_lesson(_lesson(tmp_path, slides, **top))


def test_unknown_lesson_name():
    with pytest.raises(LessonFileError, match="unknown lesson"):
        load_lesson("no_such_lesson_anywhere")


def test_parse_state_partial_and_preset_grid():
    out = parse_document_state({"image": {"preset_grid": "lecture_4x4"}, "stride": [2, 1]}, partial=True)
    assert out["image"][1, 1] == 30 and out["stride"] == (2, 1)
    with pytest.raises(StateError, match="unknown preset grid"):
        parse_document_state({"image": {"preset_grid": "x"}}, partial=True)
    with pytest.raises(StateError, match="not a sample image name"):
        parse_document_state({"image": {"sample": "../etc/passwd"}}, partial=True)


def test_session_photo_pixels_reads_the_image_header_the_session_names(tmp_path):
    from convviz.io.sessions import session_photo_pixels

    (tmp_path / "pics").mkdir()
    Image.fromarray(np.zeros((30, 70), dtype=np.uint8)).save(tmp_path / "pics" / "wide.png")

    def session(image) -> object:
        path = tmp_path / f"s{len(list(tmp_path.iterdir()))}.convviz"
        path.write_text(json.dumps({"format": "convviz-session", "version": 1, "document": {"image": image}}))
        return path

    assert session_photo_pixels(session({"path": "pics/wide.png"})) == 70 * 30        # relative to the session
    assert session_photo_pixels(session({"path": str(tmp_path / "pics" / "wide.png")})) == 70 * 30
    assert session_photo_pixels(session({"sample": "text.png"})) == 384 * 160          # a bundled sample
    assert session_photo_pixels(session({"grid": [[1, 2], [3, 4]]})) == 0               # typed numbers
    assert session_photo_pixels(session({"path": "pics/missing.png"})) == 0
    assert session_photo_pixels(session({"sample": "nope.png"})) == 0
    assert session_photo_pixels(session({"path": 5})) == 0
    (tmp_path / "bad.convviz").write_text("{not json")
    assert session_photo_pixels(tmp_path / "bad.convviz") == 0
