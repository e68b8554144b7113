"""`convviz render` draws a PNG with the window's display rules (issue #12): results within 0–255 on the
input's 0–255 scale, signed ones on a diverging map centred on 0, and --scale auto|input|full|robust."""

import numpy as np
import pytest
from PIL import Image

from convviz.cli import main
from convviz.io import load_image, save_kernel
from convviz.io.samples import sample_path
from convviz.model import PRESETS, display_levels, display_rgb, filter_image, gaussian

PHOTO = sample_path("landscape.png")


def render(tmp_path, *args, image=PHOTO, name="out.png"):
    out = tmp_path / name
    assert main(["render", str(image), *map(str, args), "--out", str(out)]) == 0
    with Image.open(out) as img:
        return np.asarray(img.convert("RGB")).astype(int)


def test_a_gaussian_blur_of_a_photo_keeps_its_dark_pixels(tmp_path):
    kernel = tmp_path / "gauss.npy"
    save_kernel(kernel, gaussian(7, 1.5))
    png = render(tmp_path, "--kernel", kernel, "--padding", "same")
    photo = load_image(PHOTO)
    blurred = filter_image(photo, gaussian(7, 1.5), padding="same")
    assert blurred.min() >= 0                                     # never negative: not drawn as signed
    assert png.min() == round(blurred.min()) and png.min() < photo.min() + 5 and png.min() != 127
    np.testing.assert_array_equal(png, display_rgb(blurred, levels=(0.0, 255.0)))   # the input's 0–255
    assert abs(png.mean() - photo.mean()) < 1.0                   # a blur does not brighten the picture


@pytest.mark.parametrize("image", [PHOTO, sample_path("shapes.png")])
def test_the_identity_kernel_writes_the_picture_unchanged(tmp_path, image):
    png = render(tmp_path, "--kernel", "identity", "--padding", "same", image=image)
    with Image.open(image) as original:
        np.testing.assert_array_equal(png, np.asarray(original.convert("RGB")).astype(int))


def test_signed_results_are_centred_on_0_and_every_scale_is_the_windows(tmp_path):
    photo = load_image(PHOTO)
    edges = filter_image(photo, PRESETS["laplacian"].kernel, padding="same", gray=True)
    for scale in ("auto", "input", "full", "robust"):
        png = render(tmp_path, "--kernel", "laplacian", "--padding", "same", "--gray", "--scale", scale,
                     name=f"{scale}.png")
        levels = display_levels(edges, scale=scale)
        assert levels[0] == -levels[1]                           # centred on 0
        np.testing.assert_array_equal(png, display_rgb(edges, colormap="coolwarm", levels=levels))
    m = float(np.abs(edges).max())
    assert display_levels(edges, scale="auto") == (-m, m)
    assert display_levels(edges, scale="robust")[1] < m           # robust shows the weaker edges too
    blur = render(tmp_path, "--kernel", "box_blur", "--scale", "full", name="full-blur.png")
    box = filter_image(photo, PRESETS["box_blur"].kernel)
    np.testing.assert_array_equal(blur, display_rgb(box, levels=(0.0, float(box.max()))))


def test_an_unknown_scale_is_refused(tmp_path, capsys):
    assert main(["render", str(PHOTO), "--kernel", "identity", "--scale", "brightest",
                 "--out", str(tmp_path / "x.png")]) == 2
    assert "invalid choice: 'brightest'" in capsys.readouterr().err
    assert not (tmp_path / "x.png").exists()
