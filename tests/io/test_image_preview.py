"""Reading an image's size from its header and a quick reduced decode of large JPEGs (issue #13)."""

import numpy as np
import pytest
from PIL import Image

from convviz.io import ImageFileError
from convviz.io.images import image_size, load_image, load_image_preview


def _jpeg(path, h, w, orientation=None):
    pixels = np.random.default_rng(0).integers(0, 256, (h, w, 3), dtype=np.uint8)
    img = Image.fromarray(pixels)
    if orientation:
        exif = img.getexif()
        exif[0x0112] = orientation
        img.save(path, quality=90, exif=exif)
    else:
        img.save(path, quality=90)
    return path


def test_size_comes_from_the_header_with_exif_orientation(tmp_path):
    assert image_size(_jpeg(tmp_path / "a.jpg", 30, 50)) == (30, 50)
    turned = _jpeg(tmp_path / "b.jpg", 30, 50, orientation=6)
    assert image_size(turned) == (50, 30) == load_image(turned).shape[:2]


def test_size_refuses_what_load_image_refuses(tmp_path):
    (tmp_path / "t.png").write_text("not an image")
    with pytest.raises(ImageFileError, match="not an image"):
        image_size(tmp_path / "t.png")
    with pytest.raises(ImageFileError, match="megapixels"):
        image_size(_jpeg(tmp_path / "c.jpg", 40, 40), max_pixels=100)


def test_preview_is_a_reduced_upright_decode_of_large_jpegs_only(tmp_path):
    big = _jpeg(tmp_path / "big.jpg", 1200, 2400, orientation=6)
    preview = load_image_preview(big, max_side=1024)
    assert preview.dtype == np.uint8 and preview.ndim == 3
    h, w = preview.shape[:2]
    assert h > w and 512 <= h <= 1200                           # upright (turned) and reduced
    assert load_image_preview(_jpeg(tmp_path / "small.jpg", 100, 100)) is None
    Image.fromarray(np.zeros((3000, 3000), np.uint8)).save(tmp_path / "big.png")
    assert load_image_preview(tmp_path / "big.png") is None     # no cheap reduced decode: None
    (tmp_path / "bad.jpg").write_bytes(b"\xff\xd8 not really")
    assert load_image_preview(tmp_path / "bad.jpg") is None


def test_as_uint8_keeps_8bit_files_exact_and_composites_the_rest(tmp_path):
    rgb = np.random.default_rng(1).integers(0, 256, (6, 7, 3), dtype=np.uint8)
    Image.fromarray(rgb).save(tmp_path / "rgb.png")
    got = load_image(tmp_path / "rgb.png", as_uint8=True)
    assert got.dtype == np.uint8 and np.array_equal(got, rgb)
    np.testing.assert_array_equal(got, load_image(tmp_path / "rgb.png"))
    rgba = np.dstack([rgb, np.full((6, 7), 128, np.uint8)])
    Image.fromarray(rgba).save(tmp_path / "rgba.png")
    assert load_image(tmp_path / "rgba.png", as_uint8=True).dtype == np.float64   # composited over white
