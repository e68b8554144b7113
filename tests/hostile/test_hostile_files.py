"""Hostile kernel, bank, session and lesson files: each is refused with the reader's own ValueError
subclass, one sentence naming the file, and without a large allocation (files generated here)."""

import io
import json
import os

import numpy as np
import pytest
from hostile_support import (
    NON_FINITE,
    bank_json,
    bounded_memory,
    deep,
    garbage_bytes,
    lesson_json,
    long_int,
    one_sentence,
    replace_number,
    session_json,
)

from convviz.io import KernelFileError, load_kernel
from convviz.io.banks import BankFileError, load_bank
from convviz.io.lessons import LessonFileError, load_lesson
from convviz.io.sessions import SessionFileError, load_session
from convviz.model import limits

#: surface → (loader, error class, file name, a valid file with the number 424242 in a weight)
SURFACES = {
    "kernel": (load_kernel, KernelFileError, "k.json", {"kernel": [[424242, 0], [0, 1]]}),
    "bank": (load_bank, BankFileError, "b.json", bank_json(value=424242)),
    "session": (load_session, SessionFileError, "s.convviz", session_json({"kernel": [[424242]]})),
    "lesson": (load_lesson, LessonFileError, "l.json", lesson_json({"kernel": [[424242]]})),
}


def refused(surface, tmp_path, content, *phrases):
    """Write ``content`` as the surface's file and check it is refused properly; returns the message."""
    load, error, name, _ = SURFACES[surface]
    path = tmp_path / name
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    with bounded_memory(), pytest.raises(error) as info:
        load(path)
    assert isinstance(info.value, ValueError)
    message = str(info.value)
    one_sentence(message)
    assert repr(os.fspath(path)) in message or os.fspath(path) in message
    for phrase in phrases:
        assert phrase in message, message
    return message


def valid_text(surface: str) -> str:
    return json.dumps(SURFACES[surface][3])


@pytest.mark.parametrize("surface", SURFACES)
def test_the_generated_valid_file_loads(surface, tmp_path):
    load, _, name, data = SURFACES[surface]
    (tmp_path / name).write_text(json.dumps(data))
    load(tmp_path / name)


@pytest.mark.parametrize("surface", SURFACES)
@pytest.mark.parametrize(("content", "phrase"), [
    (deep(100_000), "nested 100,000 deep"),
    (deep(5_000, "object"), "nested 5,000 deep"),
    (deep(limits.MAX_JSON_DEPTH + 1), f"at most {limits.MAX_JSON_DEPTH} deep"),
    ("[" * 1_000_000, "nested 1,000,000 deep"),                  # unterminated as well
    ('["' + "[" * 1000 + '", ' + deep(40) + "]", "nested 41 deep"),  # brackets in strings do not count
])
def test_deeply_nested_json(surface, tmp_path, content, phrase):
    refused(surface, tmp_path, content, phrase)


@pytest.mark.parametrize("surface", SURFACES)
@pytest.mark.parametrize("digits", [101, 4_301, 100_000])
def test_numbers_with_too_many_digits(surface, tmp_path, digits):
    refused(surface, tmp_path, replace_number(SURFACES[surface][3], long_int(digits)),
            f"written with {digits:,} characters")


@pytest.mark.parametrize("surface", SURFACES)
@pytest.mark.parametrize("literal", NON_FINITE)
def test_numbers_that_are_not_finite(surface, tmp_path, literal):
    message = refused(surface, tmp_path, replace_number(SURFACES[surface][3], literal))
    assert "finite" in message or "characters" in message


@pytest.mark.parametrize("surface", SURFACES)
def test_truncated_garbage_empty_and_utf16(surface, tmp_path):
    text = valid_text(surface)
    refused(surface, tmp_path, text[: len(text) // 2])
    refused(surface, tmp_path, garbage_bytes())
    refused(surface, tmp_path, b"\x00" * 1000)
    refused(surface, tmp_path, b"", "empty")
    refused(surface, tmp_path, text.encode("utf-16"))


@pytest.mark.parametrize("surface", ["bank", "session", "lesson"])
def test_files_over_the_size_limit_are_refused_before_reading(surface, tmp_path):
    load, error, name, _ = SURFACES[surface]
    path = tmp_path / name
    with open(path, "wb") as fh:  # a sparse file: no disk space, and nothing of it may be read
        fh.truncate(limits.MAX_FILE_BYTES[surface] + 1)
    with bounded_memory(4 * 1024 * 1024), pytest.raises(error, match=f"{surface} files are at most"):
        load(path)


def test_kernel_file_over_the_size_limit(tmp_path):
    path = tmp_path / "k.json"
    with open(path, "wb") as fh:
        fh.truncate(limits.MAX_FILE_BYTES["kernel"] + 1)
    with bounded_memory(4 * 1024 * 1024), pytest.raises(KernelFileError, match="far too large"):
        load_kernel(path)


@pytest.mark.parametrize(("surface", "data", "phrase"), [
    ("kernel", [[1] * 16] * 3, "at most 15×15"),
    ("kernel", {"kernel": "sobel_x"}, "must be a list of rows"),
    ("kernel", {"kernel": [[1, [2]]]}, "not a number"),
    ("bank", bank_json(padding=[65, 0]), "at most 64 per side"),
    ("bank", bank_json(padding=[10 ** 30, 1]), "2,147,483,647"),
    ("bank", bank_json(stride=17), "at most 16"),
    ("bank", bank_json(dilation=[1, 9]), "at most 8"),
    ("bank", bank_json(filters=257), "at most 256"),
    ("bank", bank_json(layers=9), "9 layers; at most 8"),
    ("bank", bank_json(filters=256, side=4, c_in=256), "1,048,576 weights; at most 1,000,000"),
    ("bank", bank_json(side=16), "1 to 15"),
    ("bank", {"layers": [{"filters": [{"slices": "x"}]}]}, "slices"),
    ("bank", {"layers": "all of them"}, "non-empty list"),
    ("bank", bank_json(activation=["relu"] * 1000), "activation"),
    ("session", session_json({"padding": [10 ** 19, 1]}), "at most 64 per side"),
    ("session", session_json({"padding": [1e19, 1]}), "integer"),
    ("session", session_json({"padding": 20000}), "20000 pixels; at most 64"),
    ("session", session_json({"stride": 2 ** 63}), "at most 16"),
    ("session", session_json({"dilation": [9, 1]}), "at most 8"),
    ("session", session_json({"kernel": [[1] * 16] * 16}), "at most 15×15"),
    ("session", session_json({"image": {"grid": [[1] * 65] * 2}}), "at most 64×64"),
    ("session", session_json({"image": {"grid": [[10 ** 99, "x"]]}}), "finite number"),
    ("session", session_json({"image": {"path": "x\x00.png"}}), "NUL"),
    ("session", session_json({"image": {"sample": ["shapes.png"]}}), "non-empty string"),
    ("session", session_json({"padding_mode": ["zeros"]}), "padding_mode"),
    ("session", session_json({"preset": {"x": 1}}), "unknown preset"),
    ("session", session_json(view={"player.step": {"a": 1}}), "view"),
    ("session", session_json(view={"player.step": 2 ** 40}), "within ±2,147,483,647"),
    ("session", session_json(view={"player.step": [1, [-(2 ** 31) - 1]]}), "view"),
    ("session", session_json(lesson={"source": "multiply_add", "slide": -1}), "lesson"),
    ("session", session_json(bank=bank_json(stride=100)), "filter bank cannot be used"),
    ("session", {"format": "convviz-session", "version": 10 ** 50}, "newer convviz"),
    ("session", ["convviz-session"], "not a convviz session"),
    ("lesson", lesson_json({"padding": [20000, 20000]}), "slide 1 document.padding"),
    ("lesson", lesson_json({"stride": [1, 17]}), "at most 16"),
    ("lesson", lesson_json(settings={"step": [[[[1]]]] * 3, "x": {"y": 1}}), "settings"),
    ("lesson", lesson_json(settings={"step": 10 ** 30}), "within ±2,147,483,647"),
    ("lesson", lesson_json(caption="c" * 601), "caption"),
    ("lesson", {"format": "convviz-lesson", "version": 1, "title": "t", "slides": {"a": 1}}, "slides"),
])
def test_wrong_values_and_types(surface, tmp_path, data, phrase):
    refused(surface, tmp_path, json.dumps(data), phrase)


# -- .npy kernels: huge dimensions in the header are refused before NumPy allocates ------------------
def npy_bytes(shape, dtype="<f8", version=(1, 0), data=b"") -> bytes:
    """A .npy file written by hand (the documented layout), so its header can claim any shape."""
    header = repr({"descr": dtype, "fortran_order": False, "shape": tuple(shape)}).encode("latin1")
    size_bytes = 2 if version == (1, 0) else 4
    total = 6 + 2 + size_bytes + len(header) + 1
    header += b" " * (-total % 64) + b"\n"
    length = len(header).to_bytes(size_bytes, "little")
    return b"\x93NUMPY" + bytes(version) + length + header + data


@pytest.mark.parametrize("version", [(1, 0), (2, 0), (3, 0)])
def test_hand_written_npy_files_are_what_numpy_reads(version):
    raw = npy_bytes((2, 3), version=version, data=np.arange(6.0).tobytes())
    np.testing.assert_array_equal(np.load(io.BytesIO(raw)), np.arange(6.0).reshape(2, 3))


@pytest.mark.parametrize("version", [(1, 0), (2, 0), (3, 0)])
@pytest.mark.parametrize(("shape", "phrase"), [
    ((10 ** 9, 10 ** 9), "at most 15×15"),
    ((3, 3, 10 ** 12), "channels"),
    ((2 ** 62,), "1-D"),
    ((3, 3, 3, 3), "4-D"),
])
def test_npy_headers_with_huge_dimensions(tmp_path, version, shape, phrase):
    path = tmp_path / "k.npy"
    path.write_bytes(npy_bytes(shape, version=version))
    with bounded_memory(4 * 1024 * 1024), pytest.raises(KernelFileError, match=phrase):
        load_kernel(path, allow_channels=True)


@pytest.mark.parametrize(("raw", "phrase"), [
    (npy_bytes((3, 3), data=b"\x00" * 10), "truncated"),
    (npy_bytes((3, 3), dtype="|O"), "Python objects"),
    (npy_bytes((3, 3), version=(9, 9)), "format version 9.9, which this convviz does not read"),
    (b"\x93NUMPY" + garbage_bytes(200), "convviz does not read"),
    (b"\x93NUMPY\x01\x00" + garbage_bytes(200), "header is damaged"),
])
def test_damaged_npy_files(tmp_path, raw, phrase):
    path = tmp_path / "k.npy"
    path.write_bytes(raw)
    with pytest.raises(KernelFileError, match=phrase) as info:
        load_kernel(path)
    one_sentence(str(info.value))
