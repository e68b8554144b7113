"""convviz.io.images: every kind of image file a person may open, and every broken one."""

from __future__ import annotations

import os
import struct
import sys
import warnings
import zlib

import numpy as np
import pytest
from PIL import Image

from convviz.io import (
    IMAGE_EXTENSIONS,
    IMAGE_FILE_FILTER,
    MAX_PIXELS,
    ImageFileError,
    OutputFileError,
    load_image,
    save_png,
)

RNG = np.random.default_rng(1234)


def grey_pattern(h=6, w=9):
    return (np.arange(h * w).reshape(h, w) * 4 % 256).astype(np.uint8)


def rgb_pattern(h=6, w=9):
    return RNG.integers(0, 256, size=(h, w, 3), dtype=np.uint8)


# ---------------------------------------------------------------- good files


def test_constants():
    assert MAX_PIXELS == 40_000_000
    assert IMAGE_FILE_FILTER == "Images (*.png *.jpg *.jpeg *.bmp *.tif *.tiff *.webp *.gif)"
    assert all(ext.startswith(".") and ext == ext.lower() for ext in IMAGE_EXTENSIONS)


def test_grey_png_exact(tmp_path):
    a = grey_pattern()
    Image.fromarray(a).save(tmp_path / "g.png")
    out = load_image(tmp_path / "g.png")
    assert out.dtype == np.float64 and out.shape == a.shape
    np.testing.assert_array_equal(out, a)


def test_rgb_png_exact(tmp_path):
    a = rgb_pattern()
    Image.fromarray(a).save(tmp_path / "c.png")
    out = load_image(str(tmp_path / "c.png"))
    assert out.dtype == np.float64 and out.shape == (6, 9, 3)
    np.testing.assert_array_equal(out, a)
    assert out.flags.writeable


def test_rgba_composited_over_white(tmp_path):
    a = np.zeros((2, 3, 4), np.uint8)
    a[..., 0] = 200
    a[..., 1] = 100
    a[..., 2] = 0
    a[..., 3] = [[255, 0, 51], [102, 255, 0]]
    Image.fromarray(a, "RGBA").save(tmp_path / "a.png")
    out = load_image(tmp_path / "a.png")
    assert out.shape == (2, 3, 3)
    alpha = a[..., 3:].astype(float) / 255
    expected = a[..., :3] * alpha + 255 * (1 - alpha)
    np.testing.assert_allclose(out, expected, atol=1e-9)
    np.testing.assert_array_equal(out[0, 0], [200, 100, 0])  # opaque: exact
    np.testing.assert_array_equal(out[0, 1], [255, 255, 255])  # transparent: white


def test_la_is_grey_over_white(tmp_path):
    grey = np.array([[0, 100, 200]], np.uint8)
    alpha = np.array([[255, 0, 51]], np.uint8)
    Image.fromarray(np.dstack([grey, alpha]), "LA").save(tmp_path / "la.png")
    out = load_image(tmp_path / "la.png")
    assert out.shape == (1, 3)
    np.testing.assert_allclose(out, [[0, 255, 200 * 0.2 + 255 * 0.8]], atol=1e-9)


def test_palette_gives_colours_not_indices(tmp_path):
    palette = [255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30]
    idx = np.array([[0, 1], [2, 3]], np.uint8)
    img = Image.fromarray(idx, "P")
    img.putpalette(palette)
    img.save(tmp_path / "p.png")
    assert Image.open(tmp_path / "p.png").mode == "P"
    out = load_image(tmp_path / "p.png")
    assert out.shape == (2, 2, 3)
    np.testing.assert_array_equal(out.reshape(4, 3), np.array(palette).reshape(4, 3))


def test_palette_with_transparency(tmp_path):
    img = Image.fromarray(np.array([[0, 1]], np.uint8), "P")
    img.putpalette([0, 0, 255, 255, 0, 0])
    img.save(tmp_path / "pt.png", transparency=1)  # index 1 fully transparent
    out = load_image(tmp_path / "pt.png")
    np.testing.assert_array_equal(out[0], [[0, 0, 255], [255, 255, 255]])


def test_colour_key_transparency(tmp_path):
    rgb = np.array([[[1, 2, 3], [40, 50, 60]]], np.uint8)
    Image.fromarray(rgb).save(tmp_path / "key.png", transparency=(1, 2, 3))
    np.testing.assert_array_equal(load_image(tmp_path / "key.png"), [[[255, 255, 255], [40, 50, 60]]])
    grey = np.array([[7, 90]], np.uint8)
    Image.fromarray(grey).save(tmp_path / "keyg.png", transparency=7)
    np.testing.assert_array_equal(load_image(tmp_path / "keyg.png"), [[255, 90]])


def test_gif_with_transparency(tmp_path):
    img = Image.fromarray(np.array([[0, 1, 0]], np.uint8), "P")
    img.putpalette([10, 20, 30, 0, 0, 0])
    img.save(tmp_path / "t.gif", transparency=1)
    out = load_image(tmp_path / "t.gif")
    np.testing.assert_array_equal(out[0], [[10, 20, 30], [255, 255, 255], [10, 20, 30]])


def test_cmyk_jpeg_converted_to_rgb(tmp_path):
    cmyk = np.zeros((16, 16, 4), np.uint8)
    cmyk[:, :8, 1] = 255
    cmyk[:, :8, 2] = 255  # magenta + yellow = red
    cmyk[:, 8:, 0] = 255  # cyan
    Image.fromarray(cmyk, "CMYK").save(tmp_path / "c.jpg", quality=95)
    assert Image.open(tmp_path / "c.jpg").mode == "CMYK"
    out = load_image(tmp_path / "c.jpg")
    assert out.shape == (16, 16, 3)
    np.testing.assert_allclose(out[8, 2], [255, 0, 0], atol=12)
    np.testing.assert_allclose(out[8, 13], [0, 255, 255], atol=12)


def test_16bit_grey_scaled(tmp_path):
    a = np.array([[0, 257, 65535], [32896, 1000, 514]], np.uint16)
    Image.fromarray(a).save(tmp_path / "g16.png")
    assert Image.open(tmp_path / "g16.png").mode.startswith("I")
    out = load_image(tmp_path / "g16.png")
    assert out.shape == (2, 3)
    assert out[0, 2] == 255.0 and out[0, 1] == 1.0 and out[0, 0] == 0.0 and out[1, 2] == 2.0
    np.testing.assert_allclose(out, a.astype(float) * 255 / 65535, rtol=1e-15)


def test_16bit_big_endian_tiff(tmp_path):
    a = np.array([[0, 257, 65535]], np.uint16)
    Image.frombytes("I;16B", (3, 1), a.astype(">u2").tobytes()).save(tmp_path / "g16.tif")
    assert Image.open(tmp_path / "g16.tif").mode == "I;16B"
    out = load_image(tmp_path / "g16.tif")
    np.testing.assert_allclose(out, [[0, 1, 255]], rtol=1e-15)


def test_mode_i_values_and_float_tiff(tmp_path):
    Image.fromarray(np.array([[0, 257, 65535, 70000, -5]], np.int32), "I").save(tmp_path / "i.tif")
    np.testing.assert_allclose(load_image(tmp_path / "i.tif"), [[0, 1, 255, 255, 0]], rtol=1e-15)
    Image.fromarray(np.array([[-3.0, 12.5, 300.0]], np.float32), "F").save(tmp_path / "f.tif")
    np.testing.assert_array_equal(load_image(tmp_path / "f.tif"), [[0.0, 12.5, 255.0]])


def test_float_tiff_with_nan_refused(tmp_path):
    Image.fromarray(np.array([[np.nan, 1.0]], np.float32), "F").save(tmp_path / "nan.tif")
    with pytest.raises(ImageFileError, match="not numbers"):
        load_image(tmp_path / "nan.tif")


def test_bilevel_is_0_or_255(tmp_path):
    a = np.array([[True, False, True], [False, False, True]])
    Image.fromarray(a).convert("1").save(tmp_path / "b.png")
    out = load_image(tmp_path / "b.png")
    assert out.shape == (2, 3)
    np.testing.assert_array_equal(out, a * 255.0)


def test_exif_orientation_applied(tmp_path):
    a = np.zeros((16, 32, 3), np.uint8)  # stored 16 rows × 32 columns
    a[:8, :8] = [255, 0, 0]  # red block at the stored top-left
    img = Image.fromarray(a)
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display"
    img.save(tmp_path / "rot.jpg", exif=exif, quality=95)
    out = load_image(tmp_path / "rot.jpg")
    assert out.shape == (32, 16, 3)  # width and height swapped
    # rotating 90° clockwise puts the stored top-left corner at the top-right
    np.testing.assert_allclose(out[3, 12], [255, 0, 0], atol=20)
    np.testing.assert_allclose(out[3, 3], [0, 0, 0], atol=20)
    np.testing.assert_allclose(out[28, 12], [0, 0, 0], atol=20)


def test_animated_gif_first_frame(tmp_path):
    frames = [Image.fromarray(np.full((4, 5), v, np.uint8)).convert("P") for v in (10, 200, 90)]
    frames[0].save(tmp_path / "anim.gif", save_all=True, append_images=frames[1:], duration=100, loop=0)
    assert Image.open(tmp_path / "anim.gif").n_frames == 3
    out = load_image(tmp_path / "anim.gif")
    assert out.shape[:2] == (4, 5)
    np.testing.assert_allclose(out, 10, atol=1)


def test_animated_webp_first_frame(tmp_path):
    frames = [Image.fromarray(np.full((4, 5, 3), v, np.uint8)) for v in (30, 220)]
    frames[0].save(tmp_path / "anim.webp", save_all=True, append_images=frames[1:], lossless=True)
    np.testing.assert_array_equal(load_image(tmp_path / "anim.webp"), np.full((4, 5, 3), 30.0))


@pytest.mark.parametrize("name, kwargs", [
    ("x.bmp", {}), ("x.tif", {}), ("x.tiff", {"compression": "tiff_lzw"}), ("x.webp", {"lossless": True}),
])
def test_lossless_formats_exact(tmp_path, name, kwargs):
    a = rgb_pattern(7, 5)
    Image.fromarray(a).save(tmp_path / name, **kwargs)
    np.testing.assert_array_equal(load_image(tmp_path / name), a)


def test_grey_jpeg_close(tmp_path):
    a = np.full((8, 8), 120, np.uint8)
    Image.fromarray(a).save(tmp_path / "g.jpeg", quality=95)
    out = load_image(tmp_path / "g.jpeg")
    assert out.shape == (8, 8)
    np.testing.assert_allclose(out, 120, atol=2)


def test_content_decides_not_extension(tmp_path):
    a = grey_pattern()
    Image.fromarray(a).save(tmp_path / "really_png.jpg", format="PNG")
    np.testing.assert_array_equal(load_image(tmp_path / "really_png.jpg"), a)


# ---------------------------------------------------------------- broken files


def assert_refused(path, fragment, **kwargs):
    with pytest.raises(ImageFileError) as info:
        load_image(path, **kwargs)
    err = info.value
    message = str(err)
    assert isinstance(err, ValueError)
    assert message.startswith(f"cannot open {os.fspath(path)!r}: "), message
    assert fragment in message, message
    assert "\n" not in message
    assert err.path == os.fspath(path)
    return message


def test_missing(tmp_path):
    assert_refused(tmp_path / "nope.png", "no such file")


def test_empty(tmp_path):
    (tmp_path / "empty.png").write_bytes(b"")
    assert_refused(tmp_path / "empty.png", "empty")


def test_directory(tmp_path):
    (tmp_path / "dir.png").mkdir()
    assert_refused(tmp_path / "dir.png", "folder")


def test_text_named_png(tmp_path):
    (tmp_path / "notes.png").write_text("hello, I am not a picture\n")
    assert_refused(tmp_path / "notes.png", "not an image")


def test_unsupported_format_not_decoded(tmp_path):
    Image.fromarray(grey_pattern()).save(tmp_path / "x.ppm")
    assert_refused(tmp_path / "x.ppm", "PNG, JPEG, BMP, TIFF, WebP or GIF")


@pytest.mark.parametrize("name, fmt", [("t.png", "PNG"), ("t.jpg", "JPEG")])
def test_truncated(tmp_path, name, fmt):
    Image.fromarray(rgb_pattern(64, 64)).save(tmp_path / "whole", format=fmt)
    data = (tmp_path / "whole").read_bytes()
    (tmp_path / name).write_bytes(data[: len(data) // 2])
    assert_refused(tmp_path / name, "truncated or damaged")


def test_corrupted_png_data(tmp_path):
    Image.fromarray(rgb_pattern(32, 32)).save(tmp_path / "x.png")
    data = bytearray((tmp_path / "x.png").read_bytes())
    idat = data.index(b"IDAT")
    data[idat + 10: idat + 60] = b"\xff" * 50
    (tmp_path / "x.png").write_bytes(bytes(data))
    assert_refused(tmp_path / "x.png", "truncated or damaged")


def test_too_large_by_max_pixels(tmp_path):
    Image.fromarray(grey_pattern(20, 30)).save(tmp_path / "big.png")
    message = assert_refused(tmp_path / "big.png", "30 × 20 pixels", max_pixels=599)
    assert "scale it down" in message
    assert load_image(tmp_path / "big.png", max_pixels=600).shape == (20, 30)


def patched_png(tmp_path, width, height):
    """A small valid PNG whose IHDR claims width × height (CRC fixed), so only the header is big."""
    Image.fromarray(grey_pattern(4, 4)).save(tmp_path / "small.png")
    data = bytearray((tmp_path / "small.png").read_bytes())
    assert data[12:16] == b"IHDR"
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])) & 0xFFFFFFFF)
    path = tmp_path / "huge.png"
    path.write_bytes(bytes(data))
    return path


def test_huge_header_refused_before_decoding(tmp_path, monkeypatch):
    path = patched_png(tmp_path, 10_000, 10_000)  # 100 Mpx: above Pillow's warning, below its error
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        with Image.open(path) as img:
            assert img.size == (10_000, 10_000)
    # Decoding must never start: make load() fail the test if it is called.
    from PIL import ImageFile, PngImagePlugin

    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda self: pytest.fail("decoded a huge image"))
    monkeypatch.setattr(PngImagePlugin.PngImageFile, "load", lambda self: pytest.fail("decoded"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # Pillow's DecompressionBombWarning does not leak out either
        assert_refused(path, "10,000 × 10,000 pixels (100 megapixels)")


def test_decompression_bomb_mapped(tmp_path):
    path = patched_png(tmp_path, 20_000, 20_000)  # 400 Mpx > Pillow's 179 Mpx bomb limit
    assert_refused(path, "far too large (over 179 megapixels) and convviz opens images up to 40 megapixels")
    assert_refused(path, "far too large", max_pixels=None)


def test_just_over_default_limit(tmp_path):
    path = patched_png(tmp_path, 8000, 5001)
    assert_refused(path, "up to 40 megapixels")


def test_bad_max_pixels_argument(tmp_path):
    with pytest.raises(ValueError, match="max_pixels"):
        load_image(tmp_path / "x.png", max_pixels=0)


def deny_reading(monkeypatch, path):
    """Make ``path`` unreadable: chmod 0 and, where that does not stop the user (root, Windows), make
    opening it raise the PermissionError the operating system would raise."""
    import builtins

    os.chmod(path, 0)
    real_open = builtins.open
    target = os.path.realpath(path)

    def guarded_open(file, *args, **kwargs):
        if isinstance(file, (str, bytes, os.PathLike)) and os.path.realpath(file) == target:
            raise PermissionError(13, "Permission denied", os.fspath(file))
        return real_open(file, *args, **kwargs)

    if sys.platform == "win32" or os.geteuid() == 0:
        monkeypatch.setattr(builtins, "open", guarded_open)


def test_unreadable(tmp_path, monkeypatch):
    Image.fromarray(grey_pattern()).save(tmp_path / "secret.png")
    deny_reading(monkeypatch, tmp_path / "secret.png")
    assert_refused(tmp_path / "secret.png", "permission denied")


def test_error_pickles():
    import pickle

    err = pickle.loads(pickle.dumps(ImageFileError("a.png", "the file is empty (0 bytes)")))
    assert str(err) == "cannot open 'a.png': the file is empty (0 bytes)" and err.reason.startswith("the")


# ---------------------------------------------------------------- save_png


def test_save_png_round_trip(tmp_path):
    for a in (grey_pattern(), rgb_pattern()):
        save_png(tmp_path / "out.png", a)
        np.testing.assert_array_equal(load_image(tmp_path / "out.png"), a)
    assert [p.name for p in tmp_path.iterdir()] == ["out.png"]  # no temporary files left


def test_save_png_permissions_follow_umask(tmp_path):
    save_png(tmp_path / "o.png", grey_pattern())
    old = os.umask(0o022)
    os.umask(old)
    assert (tmp_path / "o.png").stat().st_mode & 0o777 == 0o666 & ~old


def test_save_png_bad_destinations(tmp_path):
    with pytest.raises(OutputFileError, match="does not exist"):
        save_png(tmp_path / "no" / "o.png", grey_pattern())
    (tmp_path / "d.png").mkdir()
    with pytest.raises(OutputFileError, match="folder"):
        save_png(tmp_path / "d.png", grey_pattern())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.png"]


def test_save_png_failure_keeps_old_file(tmp_path, monkeypatch):
    save_png(tmp_path / "o.png", grey_pattern())
    before = (tmp_path / "o.png").read_bytes()

    def boom(self, fp, *args, **kwargs):
        fp.write(b"partial")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Image.Image, "save", boom)
    with pytest.raises(OutputFileError, match="disk is full"):
        save_png(tmp_path / "o.png", rgb_pattern())
    assert (tmp_path / "o.png").read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["o.png"]


def test_save_png_bad_arrays(tmp_path):
    with pytest.raises(ValueError, match="uint8"):
        save_png(tmp_path / "o.png", np.zeros((2, 2)))
    with pytest.raises(ValueError, match="shape"):
        save_png(tmp_path / "o.png", np.zeros((2, 2, 2), np.uint8))
    assert not (tmp_path / "o.png").exists()


# ---------------------------------------------------------------- bundled samples


def test_samples_exist_load_and_are_small():
    from convviz.io import DEFAULT_SAMPLE, SAMPLES, sample_path

    names = [name for name, _, _ in SAMPLES]
    assert len(names) >= 5 and len(set(names)) == len(names) and DEFAULT_SAMPLE in names
    licences = sample_path(DEFAULT_SAMPLE).with_name("LICENSES.md").read_text(encoding="utf-8")
    total = 0
    for name, title, description in SAMPLES:
        assert title and description.endswith(".")
        path = sample_path(name)
        total += path.stat().st_size
        image = load_image(path)
        assert max(image.shape[:2]) <= 512 and image.min() >= 0 and image.max() <= 255
        assert f"`{name}`" in licences
    assert total < 1_500_000
    assert load_image(sample_path("shapes.png")).shape == (256, 256)
    assert load_image(sample_path("colour_blocks.png")).shape == (256, 256, 3)
    assert load_image(sample_path("landscape.png")).shape == (256, 384, 3)
    with pytest.raises(ValueError, match="not a bundled sample"):
        sample_path("../secret.png")


def test_make_samples_is_deterministic(tmp_path):
    import importlib.util
    from pathlib import Path

    from convviz.io import sample_path

    script = Path(__file__).resolve().parents[2] / "scripts" / "make_samples.py"
    spec = importlib.util.spec_from_file_location("make_samples", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for run in ("a", "b"):
        assert module.main(["--out", str(tmp_path / run)]) == 0
    for name in module.SAMPLES:
        np.testing.assert_array_equal(load_image(tmp_path / "a" / name), load_image(tmp_path / "b" / name))
    # the purely numerical ones match the committed files exactly, whatever the Pillow version
    for name in ("checkerboard.png", "gradient_rings.png"):
        np.testing.assert_array_equal(load_image(tmp_path / "a" / name), load_image(sample_path(name)))
