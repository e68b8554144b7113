"""The command line with hostile arguments and files: exit status 2, one line on stderr, no traceback,
no output written, the input untouched, and no large allocation before the refusal."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest
from hostile_support import bank_json, bounded_memory, deep, lesson_json, long_int, one_sentence, session_json
from PIL import Image

from convviz.cli import main


@pytest.fixture
def photo(tmp_path):
    path = tmp_path / "ok.png"
    Image.fromarray((np.arange(48 * 64).reshape(48, 64) % 251).astype(np.uint8)).save(path)
    return path


def refused(capsys, argv, *phrases):
    """``main(argv)`` exits 2 with one ``convviz: error:`` line, allocating little on the way."""
    with bounded_memory():
        status = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert status == 2, (out, err)
    assert err.startswith("convviz: error: ") and err.count("\n") == 1, err
    one_sentence(err)
    for phrase in phrases:
        assert phrase in err, err
    return err


HUGE = "99999999999999999999"


@pytest.mark.parametrize(("extra", "phrase"), [
    (["--padding", HUGE], "far too large"),
    (["--padding", long_int(5000)], "(5000 characters) is far too large"),
    (["--padding", "10000"], "10000 pixels; at most 64 per side"),
    (["--padding", "65"], "at most 64"),
    (["--padding", f"1,{HUGE}"], "far too large"),
    (["--padding", "-1"], "not a padding"),
    (["--padding", "1e3"], "not a padding"),
    (["--stride", "17"], "at most 16"),
    (["--stride", HUGE], "far too large"),
    (["--stride", "0"], "at least 1"),
    (["--dilation", "9"], "at most 8"),
    (["--dilation", "1,9"], "at most 8"),
    (["--dilation", "nan"], "whole numbers"),
])
def test_render_refuses_settings_above_the_limits_before_reading_the_image(capsys, tmp_path, photo, extra, phrase):
    out = tmp_path / "out.npy"
    refused(capsys, ["render", photo, "--kernel", "sobel_x", *extra, "--out", out], phrase)
    assert not out.exists()


def test_render_accepts_the_limits_themselves(capsys, tmp_path, photo):
    out = tmp_path / "out.npy"
    assert main(["render", str(photo), "--kernel", "sobel_x", "--padding", "64", "--stride", "16",
                 "--dilation", "8", "--out", str(out)]) == 0
    assert np.load(out).shape == ((48 + 128 - 16 - 1) // 16 + 1, (64 + 128 - 16 - 1) // 16 + 1)  # grey photo


def test_render_never_writes_onto_its_input(capsys, tmp_path, monkeypatch, photo):
    before = photo.read_bytes()
    (tmp_path / "sub").mkdir()
    os.symlink(photo, tmp_path / "link.png")
    os.link(photo, tmp_path / "hard.png")
    names = [photo, tmp_path / "sub" / ".." / "ok.png", tmp_path / "link.png", tmp_path / "hard.png"]
    for out in names:
        refused(capsys, ["render", photo, "--kernel", "box_blur", "--out", out], "is the input image")
    monkeypatch.chdir(tmp_path)
    refused(capsys, ["render", "ok.png", "--kernel", "box_blur", "--out", "./ok.png"], "is the input image")
    refused(capsys, ["render", "link.png", "--kernel", "box_blur", "--out", "ok.png"], "is the input image")
    np.save(tmp_path / "k.npy", np.ones((3, 3)))
    refused(capsys, ["render", "ok.png", "--kernel", "k.npy", "--out", "k.npy"], "is the kernel file")
    assert photo.read_bytes() == before
    np.testing.assert_array_equal(np.load(tmp_path / "k.npy"), np.ones((3, 3)))


@pytest.mark.parametrize(("content", "phrase"), [
    (deep(100_000), "nested 100,000 deep"),
    ("[[" + long_int(5000) + "]]", "5,000 characters"),
    ("[[NaN]]", "NaN"),
    ("[[1e400]]", "too large to be a finite number"),
    (json.dumps([[1] * 16] * 16), "at most 15×15"),
])
def test_render_with_a_hostile_kernel_file(capsys, tmp_path, photo, content, phrase):
    kernel = tmp_path / "k.json"
    kernel.write_text(content)
    refused(capsys, ["render", photo, "--kernel", kernel, "--out", tmp_path / "o.png"], phrase)
    assert not (tmp_path / "o.png").exists()


@pytest.mark.parametrize(("extra", "phrase"), [
    (["--input", f"{'9' * 80}x3x3"], "far too large"),
    (["--input", f"3x3x{'9' * 5000}"], "far too large"),
    (["--input", "32x32x3", "--filters", "9" * 80], "far too large"),
    (["--input", "32x32x3", "--kernel", "9" * 30], "far too large"),
    (["--input", "32x32x3", "--stride", "9" * 30], "far too large"),
    (["--input", "32x32x3", "--padding", "9" * 30], "far too large"),
])
def test_costs_with_huge_sizes(capsys, extra, phrase):
    argv = ["costs", "--kernel", "3", "--filters", "4", *extra]
    refused(capsys, argv, phrase)


def test_costs_prints_enormous_layers_readably(capsys):
    big = str(2 ** 31 - 1)
    assert main(["costs", "--input", f"{big}x{big}x{big}", "--kernel", "3", "--filters", big]) == 0
    out = capsys.readouterr().out
    assert "× 10⁵⁶ bytes" in out and "166.0 EB" in out and "2.4 × 10³⁶× the parameters" in out
    assert main(["costs", "--input", "32x32x3", "--kernel", "5", "--filters", "64", "--no-bias"]) == 0
    out = capsys.readouterr().out
    assert "19.2 kB" in out and "616.6 MB" in out and "KB" not in out


@pytest.mark.parametrize(("data", "phrase"), [
    (deep(100_000), "nested 100,000 deep"),
    (json.dumps(lesson_json({"padding": [20000, 20000]})), "at most 64 per side"),
    (json.dumps(lesson_json({"kernel": [[1e300, "x"]]})), "finite number"),
    ("{" + '"a": 1, ' * 10 + "}", "not valid JSON"),
])
def test_lesson_argument_is_refused_before_any_window(capsys, tmp_path, monkeypatch, data, phrase):
    monkeypatch.setitem(sys.modules, "convviz.ui.app", None)   # importing the window would fail the test
    path = tmp_path / "lesson.json"
    path.write_text(data)
    refused(capsys, ["--lesson", path], phrase)


# -- the real command: exit status and stderr of a separate process ------------------------------------
def run(*argv, cwd=None):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-m", "convviz", *map(str, argv)], capture_output=True, text=True,
                          timeout=120, cwd=cwd, env=env)


def assert_one_line_exit_2(result, phrase):
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.startswith("convviz: ") and phrase in result.stderr, result.stderr


def test_the_command_exits_2_with_one_line(tmp_path, photo):
    (tmp_path / "deep.json").write_text(deep(100_000))
    assert_one_line_exit_2(run("--lesson", tmp_path / "deep.json"), "nested 100,000 deep")
    assert_one_line_exit_2(run("render", photo, "--kernel", "sobel_x", "--padding", HUGE, "--out", "o.png",
                               cwd=tmp_path), "far too large")
    assert_one_line_exit_2(run("render", "ok.png", "--kernel", "sobel_x", "--out", "ok.png", cwd=tmp_path),
                           "is the input image")
    assert_one_line_exit_2(run("costs", "--input", f"{'9' * 80}x3x3", "--kernel", "3", "--filters", "4"),
                           "far too large")


def test_a_hostile_session_given_to_the_window_exits_2(tmp_path):
    (tmp_path / "deep.convviz").write_text(deep(100_000))
    assert_one_line_exit_2(run(tmp_path / "deep.convviz"), "nested 100,000 deep")
    (tmp_path / "wide.convviz").write_text(json.dumps(session_json({"padding": [10 ** 19, 1]})))
    assert_one_line_exit_2(run(tmp_path / "wide.convviz", "--screenshot", tmp_path / "s.png"), "at most 64")
    (tmp_path / "bank.convviz").write_text(json.dumps(session_json(bank=bank_json(dilation=100))))
    assert_one_line_exit_2(run(tmp_path / "bank.convviz", "--screenshot", tmp_path / "s.png"), "at most 8")
    assert not (tmp_path / "s.png").exists()
