"""convviz.io.kernels: JSON and .npy kernel files, round trips and every malformed case."""

from __future__ import annotations

import json
import os
import pickle

import numpy as np
import pytest

from convviz.io import (
    MAX_KERNEL_SIDE,
    KernelFileError,
    OutputFileError,
    load_kernel,
    read_kernel_file,
    save_kernel,
)

SOBEL = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], dtype=np.float64)


def write(tmp_path, name, text):
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def refused(path, fragment, **kwargs):
    with pytest.raises(KernelFileError) as info:
        load_kernel(path, **kwargs)
    message = str(info.value)
    assert isinstance(info.value, ValueError)
    assert message.startswith(f"cannot use kernel file {os.fspath(path)!r}: "), message
    assert fragment in message, message
    assert "\n" not in message
    return message


# ---------------------------------------------------------------- round trips


def test_json_round_trip_exact(tmp_path):
    k = np.array([[0.1, -1 / 3, 2.0], [1e-300, -0.0, 123456789.125]])
    save_kernel(tmp_path / "k.json", k, name="Thirds")
    out = read_kernel_file(tmp_path / "k.json")
    assert out.name == "Thirds"
    assert out.kernel.dtype == np.float64 and out.kernel.shape == (2, 3)
    np.testing.assert_array_equal(out.kernel, k)
    assert np.signbit(out.kernel[1, 1])


def test_json_layout_is_readable(tmp_path):
    save_kernel(tmp_path / "sobel.json", SOBEL, name="Sobel x")
    text = (tmp_path / "sobel.json").read_text(encoding="utf-8")
    assert "[-1, 0, 1]" in text and "[-2, 0, 2]" in text  # whole numbers written as integers
    doc = json.loads(text)
    assert doc == {"format": "convviz-kernel", "version": 1, "name": "Sobel x",
                   "kernel": SOBEL.astype(int).tolist()}


def test_json_without_name(tmp_path):
    save_kernel(tmp_path / "k.json", np.eye(2))
    assert "name" not in json.loads((tmp_path / "k.json").read_text())
    assert read_kernel_file(tmp_path / "k.json").name is None


def test_npy_round_trip(tmp_path):
    k = np.arange(15, dtype=np.float64).reshape(3, 5) / 7
    save_kernel(tmp_path / "k.npy", k, name="ignored")
    out = load_kernel(tmp_path / "k.npy")
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out, k)
    assert read_kernel_file(tmp_path / "k.npy").name is None


@pytest.mark.parametrize("dtype", [np.int8, np.uint16, np.int64, np.float16, np.float32])
def test_npy_numeric_dtypes_become_float64(tmp_path, dtype):
    np.save(tmp_path / "k.npy", np.array([[1, 2], [3, 4]], dtype=dtype))
    out = load_kernel(tmp_path / "k.npy")
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out, [[1, 2], [3, 4]])


def test_npy_fortran_order(tmp_path):
    k = np.asfortranarray(np.arange(6.0).reshape(2, 3))
    np.save(tmp_path / "k.npy", k)
    np.testing.assert_array_equal(load_kernel(tmp_path / "k.npy"), k)


def test_bare_list(tmp_path):
    path = write(tmp_path, "bare.json", "[[1, 0], [0, 2]]")
    np.testing.assert_array_equal(load_kernel(path), [[1, 0], [0, 2]])


def test_hand_written_object_without_format(tmp_path):
    path = write(tmp_path, "k.json", '{"kernel": [[1.5]], "comment": "extra keys are ignored"}')
    np.testing.assert_array_equal(load_kernel(path), [[1.5]])


def test_contents_decide_not_extension(tmp_path):
    path = write(tmp_path, "k.txt", "\ufeff[[1, 2, 3]]")  # with a byte-order mark, as some editors write
    np.testing.assert_array_equal(load_kernel(path), [[1, 2, 3]])
    np.save(tmp_path / "a.npy", np.eye(3))
    os.replace(tmp_path / "a.npy", tmp_path / "renamed.json")
    np.testing.assert_array_equal(load_kernel(tmp_path / "renamed.json"), np.eye(3))


def test_largest_kernel_allowed(tmp_path):
    k = np.ones((MAX_KERNEL_SIDE, MAX_KERNEL_SIDE))
    save_kernel(tmp_path / "big.json", k)
    np.testing.assert_array_equal(load_kernel(tmp_path / "big.json"), k)
    np.testing.assert_array_equal(load_kernel(write(tmp_path, "row.json", "[[1, 2, 3, 4, 5]]")), [[1, 2, 3, 4, 5]])


def test_channel_kernels_only_when_allowed(tmp_path):
    k = np.arange(12.0).reshape(2, 2, 3)
    save_kernel(tmp_path / "c.json", k)
    save_kernel(tmp_path / "c.npy", k)
    for name in ("c.json", "c.npy"):
        np.testing.assert_array_equal(load_kernel(tmp_path / name, allow_channels=True), k)
    refused(tmp_path / "c.json", "must be 2-D")
    refused(tmp_path / "c.npy", "must be 2-D (KH, KW)")
    ragged = write(tmp_path, "r.json", "[[[1, 2, 3], [1, 2]]]")
    refused(ragged, "row 1, column 2 has 2 channel values", allow_channels=True)
    mixed = write(tmp_path, "m.json", "[[[1, 2, 3], 4]]")
    refused(mixed, "row 1, column 2 is 4", allow_channels=True)
    many = write(tmp_path, "many.json", "[[[1, 2, 3, 4, 5]]]")
    refused(many, "5 channels", allow_channels=True)


# ---------------------------------------------------------------- malformed JSON


@pytest.mark.parametrize("text, fragment", [
    ("[[1, 2], [3, 4]", "not valid JSON"),
    ("{\"kernel\": [[1, 2]],}", "not valid JSON"),
    ("[[1, 2], [3]]", "row 2 has 1 values but row 1 has 2"),
    ("[[1, 2], 3]", "row 2 is 3, not a list of numbers"),
    ("[1, 2, 3]", "must be 2-D"),
    ("[]", "the kernel is empty"),
    ("[[], []]", "rows are empty"),
    ("[[1, \"2\"]]", "row 1, column 2 is \"2\", not a number"),
    ("[[1, true]]", "row 1, column 2 is true, not a number"),
    ("[[null]]", "row 1, column 1 is null, not a number"),
    ("[[{}]]", "is an object, not a number"),
    ("[[NaN]]", "contains NaN"),
    ("[[1, Infinity]]", "contains Infinity"),
    ("[[-Infinity]]", "contains -Infinity"),
    ("[[1e400]]", "too large to be a finite number"),
    ("[[1" + "0" * 400 + "]]", "number written with 401 characters"),
    ("42", "must hold a list of rows"),
    ("\"[[1]]\"", "must hold a list of rows"),
    ("{\"name\": \"x\"}", "no \"kernel\" entry"),
    ("{\"kernel\": \"box\"}", "\"kernel\" must be a list of rows"),
    ("{\"format\": \"convviz-session\", \"kernel\": [[1]]}", "\"format\" is 'convviz-session'"),
    ("{\"format\": \"convviz-kernel\", \"version\": 2, \"kernel\": [[1]]}", "format version 2"),
    ("{\"version\": \"1\", \"kernel\": [[1]]}", "\"version\" must be the number 1"),
    ("{\"version\": true, \"kernel\": [[1]]}", "\"version\" must be the number 1"),
    ("{\"name\": 5, \"kernel\": [[1]]}", "\"name\" must be text"),
    ("[" * 100_000 + "]" * 100_000, "nested 100,000 deep; convviz files are at most 32 deep"),
])
def test_malformed_json(tmp_path, text, fragment):
    refused(write(tmp_path, "bad.json", text), fragment)


def test_too_big_json(tmp_path):
    path = write(tmp_path, "big.json", json.dumps(np.ones((16, 3)).tolist()))
    refused(path, "16×3, and kernels are at most 15×15")
    path = write(tmp_path, "wide.json", json.dumps(np.ones((2, 40)).tolist()))
    refused(path, "2×40")


def test_huge_file_refused_without_reading(tmp_path):
    path = tmp_path / "huge.json"
    with open(path, "wb") as fh:
        fh.truncate(5_000_000)
    refused(path, "far too large for a kernel")


NOT_A_KERNEL_FILE = "neither a JSON kernel file (a list of rows such as [[0, 1], [1, 0]]) nor a NumPy .npy file"


def test_binary_garbage(tmp_path):
    refused(write(tmp_path, "x.json", b"\xff\xfe\x00garbage\x80"), NOT_A_KERNEL_FILE)
    refused(write(tmp_path, "x.png", b"\x89PNG\r\n\x1a\n" + bytes(40)), NOT_A_KERNEL_FILE)
    csv = "\n".join([",".join(["1"] * 16)] * 3)
    refused(write(tmp_path, "k.csv", csv.encode()), NOT_A_KERNEL_FILE)
    refused(write(tmp_path, "k.txt", b"1 2 3\n4 5 6\n"), NOT_A_KERNEL_FILE)


# ---------------------------------------------------------------- malformed .npy


def test_object_npy_refused_without_unpickling(tmp_path):
    class Boom:
        def __reduce__(self):  # unpickling this would call pytest.fail
            return (pytest.fail, ("the kernel file was unpickled",))

    np.save(tmp_path / "evil.npy", np.array([[Boom(), 1]], dtype=object), allow_pickle=True)
    refused(tmp_path / "evil.npy", "Python objects")


@pytest.mark.parametrize("array, fragment", [
    (np.array([[True, False]]), "true/false"),
    (np.array([[1 + 2j]]), "complex numbers"),
    (np.array([["a", "b"]]), "values of type <U1"),
    (np.zeros((2, 2), dtype=[("x", "f8")]), "values of type"),
    (np.array([[1.0, np.nan]]), "NaN or infinite"),
    (np.array([[np.inf]]), "NaN or infinite"),
    (np.arange(3.0), "1-D array (3)"),
    (np.float64(3.0), "0-D array (a single number)"),
    (np.zeros((2, 2, 2, 2)), "4-D array"),
    (np.zeros((0, 3)), "empty"),
    (np.zeros((16, 16)), "16×16"),
    (np.zeros((3, 3, 3)), "3-D array"),
])
def test_malformed_npy(tmp_path, array, fragment):
    np.save(tmp_path / "bad.npy", array)
    refused(tmp_path / "bad.npy", fragment)


def test_truncated_npy(tmp_path):
    np.save(tmp_path / "k.npy", np.ones((5, 5)))
    data = (tmp_path / "k.npy").read_bytes()
    refused(write(tmp_path, "cut.npy", data[:-30]), "truncated or damaged")
    refused(write(tmp_path, "head.npy", data[:20]), "header is damaged")


def test_npz_is_not_a_kernel_file(tmp_path):
    np.savez(tmp_path / "k.npz", k=np.eye(3))
    refused(tmp_path / "k.npz", NOT_A_KERNEL_FILE)


# ---------------------------------------------------------------- unusable paths


def test_missing_empty_directory(tmp_path):
    refused(tmp_path / "nope.json", "no such file")
    refused(write(tmp_path, "empty.json", ""), "empty (0 bytes)")
    (tmp_path / "dir.json").mkdir()
    refused(tmp_path / "dir.json", "folder")


def test_error_pickles():
    err = pickle.loads(pickle.dumps(KernelFileError("k.json", "the kernel is empty")))
    assert str(err) == "cannot use kernel file 'k.json': the kernel is empty"


# ---------------------------------------------------------------- save_kernel


def test_save_refuses_bad_kernels(tmp_path):
    for bad in (np.array([[np.nan]]), np.ones((16, 2)), np.ones(3), np.array([["a"]]), np.ones((2, 2, 9))):
        with pytest.raises(ValueError):
            save_kernel(tmp_path / "k.json", bad)
    with pytest.raises(TypeError):
        save_kernel(tmp_path / "k.json", np.eye(2), name=3)
    assert list(tmp_path.iterdir()) == []


def test_save_bad_destinations(tmp_path):
    with pytest.raises(OutputFileError, match="must end in .json or .npy"):
        save_kernel(tmp_path / "k.txt", np.eye(2))
    with pytest.raises(OutputFileError, match="does not exist"):
        save_kernel(tmp_path / "no" / "k.json", np.eye(2))
    assert list(tmp_path.iterdir()) == []


def test_save_replaces_atomically(tmp_path):
    save_kernel(tmp_path / "k.json", np.eye(2), name="first")
    save_kernel(tmp_path / "k.json", np.ones((3, 3)), name="second")
    out = read_kernel_file(tmp_path / "k.json")
    assert out.name == "second" and out.kernel.shape == (3, 3)
    assert [p.name for p in tmp_path.iterdir()] == ["k.json"]


def test_unicode_name(tmp_path):
    save_kernel(tmp_path / "k.json", np.eye(2), name="Kantenfilter – Größe 2 ✓")
    assert read_kernel_file(tmp_path / "k.json").name == "Kantenfilter – Größe 2 ✓"
