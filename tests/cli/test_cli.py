"""The ``convviz`` command: in-process through main() and end to end through ``python -m convviz``."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import types
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import convviz
from convviz.cli import main
from convviz.io import load_image, save_kernel
from convviz.model import PRESETS, display_rgb, filter_image

ROOT = Path(__file__).resolve().parents[2]
SHAPES = ROOT / "resources" / "images" / "shapes.png"


def run_module(*args, cwd):
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return subprocess.run([sys.executable, "-m", "convviz", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def colour_png(tmp_path):
    rng = np.random.default_rng(7)
    a = rng.integers(0, 256, size=(12, 17, 3), dtype=np.uint8)
    Image.fromarray(a).save(tmp_path / "colour.png")
    return tmp_path / "colour.png"


@pytest.fixture
def grey_png(tmp_path):
    a = (np.arange(10 * 11).reshape(10, 11) * 7 % 256).astype(np.uint8)
    Image.fromarray(a).save(tmp_path / "grey.png")
    return tmp_path / "grey.png"


# ---------------------------------------------------------------- --version, --help


def test_version_in_process(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"convviz {convviz.__version__}" == "convviz 0.1.0"


def test_version_subprocess(tmp_path):
    result = run_module("--version", cwd=tmp_path)
    assert result.returncode == 0 and result.stdout.strip() == "convviz 0.1.0" and result.stderr == ""


@pytest.mark.parametrize("argv", [["--help"], ["render", "--help"], ["costs", "--help"]])
def test_help(capsys, argv):
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: convviz")
    if argv == ["--help"]:
        assert "render" in out and "costs" in out


# ---------------------------------------------------------------- render


@pytest.mark.parametrize("options, kwargs", [
    ([], {}),
    (["--padding", "same"], {"padding": "same"}),
    (["--padding", "2", "--stride", "2"], {"padding": 2, "stride": 2}),
    (["--padding", "1,3", "--dilation", "2", "--padding-mode", "reflect"],
     {"padding": (1, 3), "dilation": 2, "padding_mode": "reflect"}),
    (["--padding", "full", "--padding-mode", "circular", "--convolve"],
     {"padding": "full", "padding_mode": "circular", "flip": True}),
    (["--gray", "--stride", "2,1"], {"gray": True, "stride": (2, 1)}),
])
def test_render_npy_matches_model(tmp_path, capsys, colour_png, options, kwargs):
    out = tmp_path / "out.npy"
    assert main(["render", str(colour_png), "--kernel", "sobel_x", *options, "--out", str(out)]) == 0
    assert "wrote" in capsys.readouterr().out
    got = np.load(out, allow_pickle=False)
    expected = filter_image(load_image(colour_png), PRESETS["sobel_x"].kernel, **kwargs)
    assert got.dtype == np.float64 and got.shape == expected.shape
    np.testing.assert_array_equal(got, expected)
    assert got.ndim == (2 if kwargs.get("gray") else 3)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["colour.png", "out.npy"]  # no temp files


def test_render_grey_image_gives_2d(tmp_path, grey_png):
    assert main(["render", str(grey_png), "--kernel", "laplacian", "--out", str(tmp_path / "o.npy")]) == 0
    got = np.load(tmp_path / "o.npy")
    assert got.shape == (8, 9)
    np.testing.assert_array_equal(got, filter_image(load_image(grey_png), PRESETS["laplacian"].kernel))


def test_render_png_is_the_window_colours(tmp_path, colour_png, grey_png):
    for image in (colour_png, grey_png):
        out = tmp_path / f"{image.stem}-out.png"
        assert main(["render", str(image), "--kernel", "sobel_y", "--padding", "same", "--out", str(out)]) == 0
        expected = display_rgb(filter_image(load_image(image), PRESETS["sobel_y"].kernel, padding="same"))
        with Image.open(out) as img:
            assert img.mode == "RGB"
            np.testing.assert_array_equal(np.asarray(img), expected)


def test_render_with_kernel_files(tmp_path, colour_png):
    k2 = np.array([[1.0, -2.5], [0.0, 3.0]])
    save_kernel(tmp_path / "k.json", k2, name="mine")
    assert main(["render", str(colour_png), "--kernel", str(tmp_path / "k.json"), "--out",
                 str(tmp_path / "a.npy")]) == 0
    np.testing.assert_array_equal(np.load(tmp_path / "a.npy"), filter_image(load_image(colour_png), k2))
    k3 = np.random.default_rng(1).normal(size=(3, 3, 3))  # (KH, KW, C): channels summed
    save_kernel(tmp_path / "k3.npy", k3)
    assert main(["render", str(colour_png), "--kernel", str(tmp_path / "k3.npy"), "--out",
                 str(tmp_path / "b.npy")]) == 0
    got = np.load(tmp_path / "b.npy")
    assert got.shape == (10, 15)
    np.testing.assert_array_equal(got, filter_image(load_image(colour_png), k3))


def test_render_preset_spelling_is_forgiving(tmp_path, grey_png):
    assert main(["render", str(grey_png), "--kernel", "Box-Blur", "--out", str(tmp_path / "o.npy")]) == 0
    np.testing.assert_array_equal(np.load(tmp_path / "o.npy"),
                                  filter_image(load_image(grey_png), PRESETS["box_blur"].kernel))


def test_render_subprocess_npy_and_png(tmp_path):
    result = run_module("render", SHAPES, "--kernel", "sobel_x", "--padding", "same", "--out", "edges.npy",
                        cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    expected = filter_image(load_image(SHAPES), PRESETS["sobel_x"].kernel, padding="same")
    np.testing.assert_array_equal(np.load(tmp_path / "edges.npy", allow_pickle=False), expected)
    result = run_module("render", SHAPES, "--kernel", "sobel_x", "--padding", "same", "--out", "edges.png",
                        cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    with Image.open(tmp_path / "edges.png") as img:
        np.testing.assert_array_equal(np.asarray(img), display_rgb(expected))


# ---------------------------------------------------------------- costs


def test_costs_table(capsys):
    assert main(["costs", "--input", "32x32x3", "--kernel", "5", "--filters", "64", "--no-bias"]) == 0
    out = capsys.readouterr().out
    assert "32×32×3 → 28×28×64" in out
    assert "4,800" in out and "154,140,672" in out and "32,113×" in out
    assert "3,763,200" in out  # conv multiply-adds
    lines = [line for line in out.splitlines() if line.startswith("  ")]
    assert len({len(line) for line in lines}) == 1  # an aligned table


def test_costs_with_bias_and_padding(capsys):
    assert main(["costs", "--input", "32x32x3", "--kernel", "3", "--filters", "16", "--padding", "same",
                 "--stride", "2"]) == 0
    out = capsys.readouterr().out
    assert "32×32×3 → 16×16×16" in out and f"{3 * 3 * 3 * 16 + 16:,}" in out


def test_costs_rectangular_kernel_and_two_dimensional_input(capsys):
    assert main(["costs", "--input", "10 x 12", "--kernel", "3x5", "--filters", "4", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["input_shape"] == [10, 12, 1] and data["output_shape"] == [8, 8, 4]
    assert data["conv_params"] == 3 * 5 * 4 + 4


def test_costs_json_in_process(capsys):
    assert main(["costs", "--input", "32x32x3", "--kernel", "5", "--filters", "64", "--no-bias", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["conv_params"] == 4_800 and data["dense_params"] == 154_140_672
    assert data["output_shape"] == [28, 28, 64]
    assert data["ratio"] == pytest.approx(154_140_672 / 4_800)


def test_costs_subprocess_text_and_json(tmp_path):
    args = ("costs", "--input", "32x32x3", "--kernel", "5", "--filters", "64", "--padding", "valid", "--no-bias")
    text = run_module(*args, cwd=tmp_path)
    assert text.returncode == 0 and "4,800" in text.stdout and "154,140,672" in text.stdout
    result = run_module(*args, "--json", cwd=tmp_path)
    assert result.returncode == 0 and result.stderr == ""
    data = json.loads(result.stdout)
    assert (data["conv_params"], data["dense_params"]) == (4_800, 154_140_672)


# ---------------------------------------------------------------- errors


def _huge_header_png(path: Path) -> Path:
    """A PNG whose header claims 10,000 × 10,000 pixels (CRC fixed): refused before decoding."""
    buf = path.with_suffix(".tmp.png")
    Image.fromarray(np.zeros((4, 4), np.uint8)).save(buf)
    data = bytearray(buf.read_bytes())
    buf.unlink()
    data[16:24] = struct.pack(">II", 10_000, 10_000)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])) & 0xFFFFFFFF)
    path.write_bytes(bytes(data))
    return path


@pytest.fixture
def bad_files(tmp_path):
    """Broken inputs by name, made in tmp_path/in."""
    d = tmp_path / "in"
    d.mkdir()
    (d / "empty.png").write_bytes(b"")
    (d / "notes.png").write_text("not a picture")
    (d / "folder.png").mkdir()
    Image.fromarray(np.random.default_rng(0).integers(0, 256, (64, 64, 3), dtype=np.uint8)).save(d / "whole.png")
    whole = (d / "whole.png").read_bytes()
    (d / "truncated.png").write_bytes(whole[: len(whole) // 2])
    _huge_header_png(d / "huge.png")
    Image.fromarray(np.zeros((2, 2), np.uint8)).save(d / "tiny.png")
    (d / "bad_kernel.json").write_text("[[1, 2], [3]]")
    np.save(d / "evil.npy", np.array([[object()]], dtype=object), allow_pickle=True)
    return d


ERROR_CASES = [
    (["render", "{in}/missing.png", "--kernel", "sobel_x", "--out", "{out}.png"], "no such file"),
    (["render", "{in}/empty.png", "--kernel", "sobel_x", "--out", "{out}.png"], "empty"),
    (["render", "{in}/folder.png", "--kernel", "sobel_x", "--out", "{out}.png"], "folder"),
    (["render", "{in}/notes.png", "--kernel", "sobel_x", "--out", "{out}.npy"], "not an image"),
    (["render", "{in}/truncated.png", "--kernel", "sobel_x", "--out", "{out}.png"], "truncated or damaged"),
    (["render", "{in}/huge.png", "--kernel", "sobel_x", "--out", "{out}.npy"], "10,000 × 10,000 pixels"),
    (["render", "{in}/whole.png", "--kernel", "{in}/bad_kernel.json", "--out", "{out}.npy"], "row 2 has 1"),
    (["render", "{in}/whole.png", "--kernel", "{in}/evil.npy", "--out", "{out}.npy"], "Python objects"),
    (["render", "{in}/whole.png", "--kernel", "no_such_kernel", "--out", "{out}.png"],
     "unknown kernel 'no_such_kernel': not a preset (identity, box_blur, "),
    (["render", "{in}/tiny.png", "--kernel", "sobel_x", "--out", "{out}.npy"], "larger than the padded input"),
    (["render", "{in}/whole.png", "--kernel", "sobel_x", "--out", "{out}.jpg"], "must end in .png or .npy"),
    (["render", "{in}/whole.png", "--kernel", "sobel_x", "--out", "{in}/nofolder/x.png"], "does not exist"),
    (["render", "{in}/whole.png", "--kernel", "sobel_x", "--padding", "wide", "--out", "{out}.png"],
     "is not a padding"),
    (["render", "{in}/whole.png", "--kernel", "sobel_x", "--stride", "0", "--out", "{out}.png"],
     "at least 1"),
    (["render", "{in}/whole.png", "--kernel", "sobel_x", "--padding-mode", "mirror", "--out", "{out}.png"],
     "invalid choice"),
    (["render", "{in}/whole.png", "--kernel", "sobel_x"], "required: --out"),
    (["render", "{in}/whole.png", "--out", "{out}.png"], "required: --kernel"),
    (["render", "{in}/whole.png", "--kernel", "sobel_x", "--out", "{out}.png", "--frobnicate"],
     "unrecognized arguments"),
    (["costs", "--input", "32x32", "--kernel", "5", "--filters", "64", "--stride", "x"], "must be N or N,N"),
    (["costs", "--input", "3x3x3", "--kernel", "5", "--filters", "2"], "larger than the padded input"),
    (["costs", "--input", "32by32", "--kernel", "5", "--filters", "2"], "not an input shape"),
    (["costs", "--input", "0x3x3", "--kernel", "3", "--filters", "2"], "'0x3x3' is not an input shape"),
    (["costs", "--input", "32x32x3x1", "--kernel", "3", "--filters", "2"], "not an input shape"),
    (["costs", "--input", "32x32x3", "--kernel", "0", "--filters", "2"], "'0' is not a kernel size"),
    (["costs", "--input", "32x32x3", "--kernel", "3x3x3", "--filters", "2"], "not a kernel size"),
    (["costs", "--input", "32x32x3", "--kernel", "3", "--filters", "2", "--padding", "2,x"], "is not a padding"),
    (["costs", "--input", "32x32x3", "--kernel", "5", "--filters", "0"], "at least 1"),
    (["costs", "--input", "32x32x3", "--kernel", "5"], "required: --filters"),
    (["{in}/missing.png"], "cannot open"),
    (["{in}/whole.png", "--kernel", "nope"], "unknown kernel 'nope'"),
    (["--padding", "wide"], "invalid choice"),
]


def _fill(argv, d, out):
    return [a.format(**{"in": d, "out": out}) for a in argv]


def _assert_one_error_line(err: str, fragment: str):
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("convviz: error: "), err
    assert fragment in lines[0], err
    assert "Traceback" not in err


@pytest.mark.parametrize("argv, fragment", ERROR_CASES)
def test_errors_in_process(tmp_path, capsys, bad_files, argv, fragment):
    out = tmp_path / "result"
    before = sorted(p.name for p in tmp_path.rglob("*"))
    assert main(_fill(argv, bad_files, out)) == 2
    captured = capsys.readouterr()
    _assert_one_error_line(captured.err, fragment)
    assert captured.out == ""
    assert sorted(p.name for p in tmp_path.rglob("*")) == before  # no output file, no temporary file


@pytest.mark.parametrize("argv, fragment", [ERROR_CASES[i] for i in (0, 3, 4, 5, 8, 9, 15)])
def test_errors_subprocess(tmp_path, bad_files, argv, fragment):
    out = tmp_path / "result"
    result = run_module(*_fill(argv, bad_files, out), cwd=tmp_path)
    assert result.returncode == 2
    _assert_one_error_line(result.stderr, fragment)
    assert result.stdout == ""
    assert not list(tmp_path.glob("result*"))


def test_failed_render_keeps_an_existing_output(tmp_path, capsys, bad_files):
    out = tmp_path / "keep.npy"
    np.save(out, np.arange(3.0))
    assert main(["render", str(bad_files / "truncated.png"), "--kernel", "sobel_x", "--out", str(out)]) == 2
    np.testing.assert_array_equal(np.load(out), np.arange(3.0))


# ---------------------------------------------------------------- the window


@pytest.fixture
def fake_app(monkeypatch):
    """Record what main() hands to convviz.ui.app.run_app, without opening a window."""
    calls = []
    module = types.ModuleType("convviz.ui.app")

    def run_app(args):
        calls.append(args)
        return 0

    module.run_app = run_app
    monkeypatch.setitem(sys.modules, "convviz.ui.app", module)
    return calls


def test_window_gets_the_parsed_arguments(tmp_path, fake_app):
    shot = tmp_path / "shot.png"
    assert main([str(SHAPES), "--kernel", "sobel_x", "--padding", "same", "--lesson", "multiply_add",
                 "--screenshot", str(shot)]) == 0
    (args,) = fake_app
    assert (args.image, args.kernel, args.padding, args.lesson, args.screenshot) == (
        str(SHAPES), "sobel_x", "same", "multiply_add", str(shot))


def test_window_without_arguments(fake_app):
    assert main([]) == 0
    (args,) = fake_app
    assert (args.image, args.kernel, args.padding, args.lesson, args.screenshot) == (None,) * 5


def test_window_not_started_for_a_missing_image(tmp_path, capsys, fake_app):
    assert main([str(tmp_path / "missing.png")]) == 2
    assert fake_app == []
    _assert_one_error_line(capsys.readouterr().err, "no such file")
