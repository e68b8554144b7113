"""The handwritten digits shipped for the small CNN: shapes, labels, split, upsampling, licence."""

import gzip
import hashlib

import numpy as np
import pytest

from convviz.model.cnn.data import (
    DIGIT_CLASSES,
    load_dataset,
    read_digits,
    stratified_split,
    upsample,
)
from convviz.paths import resource_path

SHA256 = "09f66e6debdee2cd2b5ae59e0d6abbb73fc2b0e0185d2e1957e9ebb51e23aa22"


def test_the_shipped_file_is_the_recorded_copy_and_its_licence_says_where_it_came_from():
    data = resource_path("datasets", "digits.csv.gz").read_bytes()
    assert hashlib.sha256(data).hexdigest() == SHA256
    licence = resource_path("datasets", "LICENSE-digits.txt").read_text(encoding="utf-8")
    for needed in ("Alpaydin", "Kaynak", "1998", "CC BY 4.0", "10.24432/C50P49", "scikit-learn", "BSD 3-Clause",
                   SHA256, "archive.ics.uci.edu/dataset/80"):
        assert needed in licence
    with gzip.open(resource_path("datasets", "digits.csv.gz"), "rt") as fh:
        assert len(fh.read().splitlines()) == 1797


def test_raw_digits_are_1797_8x8_images_with_values_0_to_16_and_labels_0_to_9():
    images, labels = read_digits()
    assert images.shape == (1797, 8, 8) and labels.shape == (1797,)
    assert images.min() == 0 and images.max() == 16
    assert np.bincount(labels).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    # the first row of the file is a zero: a ring of ink around an empty middle
    assert labels[0] == 0 and images[0, 3, 3] == 0 and images[0, 1, 2] == 13
    with pytest.raises(ValueError):
        images[0, 0, 0] = 1  # the cached arrays are read-only


def test_load_dataset_shapes_ranges_and_classes():
    data = load_dataset()
    assert data.train_images.shape == (1438, 16, 16) and data.test_images.shape == (359, 16, 16)
    assert data.train_labels.shape == (1438,) and data.test_labels.shape == (359,)
    assert data.train_images.dtype == np.float64 and data.train_labels.dtype == np.int64
    assert data.classes == DIGIT_CLASSES == tuple("0123456789")
    assert data.image_shape == (16, 16)
    for images in (data.train_images, data.test_images):
        assert images.min() == 0.0 and images.max() == 255.0
    assert "Alpaydin" in data.attribution


def test_the_split_is_stratified_disjoint_complete_and_fixed_by_the_seed():
    _, labels = read_digits()
    train, test = stratified_split(labels, 0.2, 0)
    assert np.intersect1d(train, test).size == 0
    assert np.array_equal(np.sort(np.concatenate([train, test])), np.arange(1797))
    counts = np.bincount(labels)
    assert np.array_equal(np.bincount(labels[test], minlength=10), np.round(0.2 * counts).astype(int))
    again = stratified_split(labels, 0.2, 0)
    other = stratified_split(labels, 0.2, 1)
    assert np.array_equal(again[1], test) and not np.array_equal(other[1], test)
    a, b = load_dataset(seed=3), load_dataset(seed=3)
    assert np.array_equal(a.test_images, b.test_images) and np.array_equal(a.train_labels, b.train_labels)


def test_size_8_gives_the_source_images_scaled_to_0_255():
    raw, labels = read_digits()
    data = load_dataset(size=8)
    _, test = stratified_split(labels, 0.2, 0)
    assert np.array_equal(data.test_images, raw[test] * (255 / 16))
    assert np.array_equal(data.test_labels, labels[test])


def test_bilinear_upsampling_equals_an_independent_half_pixel_interpolation():
    rng = np.random.default_rng(1)
    img = rng.uniform(0, 255, (5, 7))
    got = upsample(img, 2)
    expected = np.empty((10, 14))
    for i in range(10):
        for j in range(14):
            y = min(max((i + 0.5) / 2 - 0.5, 0), 4)
            x = min(max((j + 0.5) / 2 - 0.5, 0), 6)
            y0, x0 = int(np.floor(y)), int(np.floor(x))
            y1, x1 = min(y0 + 1, 4), min(x0 + 1, 6)
            fy, fx = y - y0, x - x0
            expected[i, j] = ((1 - fy) * ((1 - fx) * img[y0, x0] + fx * img[y0, x1])
                              + fy * ((1 - fx) * img[y1, x0] + fx * img[y1, x1]))
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12)


def test_bilinear_upsampling_matches_pytorch_where_installed():
    torch = pytest.importorskip("torch")
    img = np.random.default_rng(2).uniform(0, 255, (3, 8, 8))
    ours = upsample(img, 2)
    theirs = torch.nn.functional.interpolate(torch.from_numpy(img)[:, None], scale_factor=2, mode="bilinear",
                                             align_corners=False)[:, 0].numpy()
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-9)


def test_nearest_upsampling_repeats_pixels_and_bad_arguments_are_refused():
    img = np.arange(6.0).reshape(2, 3)
    assert np.array_equal(upsample(img, 2, method="nearest"), np.kron(img, np.ones((2, 2))))
    assert np.array_equal(upsample(img, 1), img)
    with pytest.raises(ValueError, match="method"):
        upsample(img, 2, method="cubic")
    with pytest.raises(ValueError, match="factor"):
        upsample(img, 0)
    with pytest.raises(ValueError, match="8×8 or"):
        load_dataset(size=32)
    with pytest.raises(ValueError, match="test_fraction"):
        load_dataset(test_fraction=1.0)
    with pytest.raises(ValueError, match="method"):
        load_dataset(method="area")
