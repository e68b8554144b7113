"""The labelled images the small CNN learns from: handwritten digits shipped inside convviz.

The file is ``resources/datasets/digits.csv.gz``: the 1,797 8×8 images of the
UCI "Optical Recognition of Handwritten Digits" set (Alpaydin & Kaynak, 1998,
CC BY 4.0), as bundled with scikit-learn; ``resources/datasets/LICENSE-digits.txt``
says where it came from. Nothing is downloaded at run time.
"""

from __future__ import annotations

import functools
import gzip
from dataclasses import dataclass

import numpy as np

from ...paths import resource_path

__all__ = ["DIGIT_CLASSES", "DIGITS_ATTRIBUTION", "DigitsDataset", "load_dataset", "read_digits", "upsample"]

DIGIT_CLASSES = tuple(str(d) for d in range(10))
DIGITS_ATTRIBUTION = ("Handwritten digits: E. Alpaydin and C. Kaynak (1998), Optical Recognition of Handwritten "
                      "Digits, UCI Machine Learning Repository, https://doi.org/10.24432/C50P49 (CC BY 4.0), "
                      "via scikit-learn's copy.")
#: the source pixels are counts 0–16; they are scaled to the 0–255 of 8-bit images
SOURCE_MAX = 16
UPSAMPLE_METHODS = ("bilinear", "nearest")


@functools.lru_cache(maxsize=1)
def read_digits() -> tuple[np.ndarray, np.ndarray]:
    """The raw file: ``images (1797, 8, 8)`` int64 values 0–16 and ``labels (1797,)`` int64 0–9 (read-only)."""
    path = resource_path("datasets", "digits.csv.gz")
    with gzip.open(path, "rt", encoding="ascii") as fh:
        table = np.loadtxt(fh, delimiter=",", dtype=np.int64)
    if table.ndim != 2 or table.shape[1] != 65:
        raise ValueError(f"{path} is not the digits table (64 pixels and a label per row); reinstall convviz.")
    images = table[:, :64].reshape(-1, 8, 8)
    labels = np.ascontiguousarray(table[:, 64])
    images.flags.writeable = False
    labels.flags.writeable = False
    return images, labels


def _upsample_matrix(n: int, factor: int, method: str) -> np.ndarray:
    """``(n·factor, n)`` matrix ``U`` with ``U @ column`` the enlarged column (see :func:`upsample`)."""
    out = n * factor
    u = np.zeros((out, n))
    if method == "nearest":
        u[np.arange(out), np.arange(out) // factor] = 1.0
        return u
    # bilinear with pixel centres aligned (half-pixel convention); outside the image the edge value repeats
    centre = (np.arange(out) + 0.5) / factor - 0.5
    left = np.floor(centre).astype(np.int64)
    frac = centre - left
    rows = np.arange(out)
    np.add.at(u, (rows, np.clip(left, 0, n - 1)), 1.0 - frac)
    np.add.at(u, (rows, np.clip(left + 1, 0, n - 1)), frac)
    return u


def upsample(images, factor: int = 2, *, method: str = "bilinear") -> np.ndarray:
    """Enlarge images ``(..., H, W)`` to ``(..., H·factor, W·factor)``.

    ``"bilinear"`` places pixel centres as image editors do (output pixel ``i``
    samples the input at ``(i + 0.5)/factor − 0.5``; beyond the border the edge
    value repeats): the same as Pillow's and PyTorch's bilinear resize
    (``align_corners=False``). ``"nearest"`` repeats each pixel ``factor × factor``
    times. Both are linear and keep values within the input's range.
    """
    if method not in UPSAMPLE_METHODS:
        raise ValueError(f"Unknown upsampling method {method!r}: use 'bilinear' or 'nearest'.")
    if isinstance(factor, bool) or not isinstance(factor, (int, np.integer)) or factor < 1:
        raise ValueError(f"The upsampling factor must be a whole number of at least 1, not {factor!r}.")
    arr = np.asarray(images, dtype=np.float64)
    if arr.ndim < 2:
        raise ValueError(f"upsample needs images (..., H, W), not shape {arr.shape}.")
    uh = _upsample_matrix(arr.shape[-2], int(factor), method)
    uw = _upsample_matrix(arr.shape[-1], int(factor), method)
    return np.matmul(np.matmul(uh, arr), uw.T)


@dataclass(frozen=True)
class DigitsDataset:
    """Training and test images with their labels.

    Attributes
    ----------
    train_images, test_images : ndarray, shape (N, H, W), float64, values 0–255
    train_labels, test_labels : ndarray, shape (N,), int64, values ``0 … len(classes) − 1``
    classes : tuple of str — ``classes[label]`` is the name of a label (``"0"`` … ``"9"``)
    attribution : str — where the images come from (show it next to them)
    """

    train_images: np.ndarray
    train_labels: np.ndarray
    test_images: np.ndarray
    test_labels: np.ndarray
    classes: tuple[str, ...]
    attribution: str = DIGITS_ATTRIBUTION

    @property
    def image_shape(self) -> tuple[int, int]:
        """``(H, W)`` of every image."""
        return self.train_images.shape[1], self.train_images.shape[2]


def stratified_split(labels: np.ndarray, test_fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Indices ``(train, test)``: of each class, ``round(test_fraction · count)`` random images are test images.

    Deterministic for ``seed`` (NumPy's PCG64 generator); both index arrays are sorted.
    """
    rng = np.random.default_rng(seed)
    test_parts = []
    for c in np.unique(labels):
        members = np.flatnonzero(labels == c)
        n_test = int(round(test_fraction * members.size))
        test_parts.append(rng.permutation(members)[:n_test])
    test = np.sort(np.concatenate(test_parts))
    train = np.setdiff1d(np.arange(labels.size), test)
    return train, test


def load_dataset(*, size: int = 16, test_fraction: float = 0.2, seed: int = 0,
                 method: str = "bilinear") -> DigitsDataset:
    """The bundled handwritten digits, split into training and test images.

    Parameters
    ----------
    size : 8 or 16 (default) — the side of the images returned. The source images are 8×8;
        with 16 they are enlarged 2× by :func:`upsample` (``method``, bilinear by default), so a 5×5
        filter covers a stroke and its surroundings rather than a third of the digit, and its
        feature map (12×12 after a valid convolution) is large enough to see.
    test_fraction : float in (0, 1) — the part of each digit's images held out for testing (20 %:
        1,438 training and 359 test images). The split is stratified (every digit in the same
        proportion) and fixed by ``seed``.
    method : ``"bilinear"`` or ``"nearest"`` — how 8×8 becomes 16×16.

    Returns
    -------
    DigitsDataset — images ``(N, size, size)`` float64 with values 0–255 (the source's 0–16
    scaled by 255/16), labels ``(N,)`` int64 0–9, ``classes`` ``("0", …, "9")``.
    """
    if size not in (8, 16):
        raise ValueError(f"The digits come as 8×8 or enlarged to 16×16; size {size!r} is neither.")
    if not 0.0 < float(test_fraction) < 1.0:
        raise ValueError(f"test_fraction must be between 0 and 1 (e.g. 0.2), not {test_fraction!r}.")
    if method not in UPSAMPLE_METHODS:
        raise ValueError(f"Unknown upsampling method {method!r}: use 'bilinear' or 'nearest'.")
    raw_images, labels = read_digits()
    images = raw_images.astype(np.float64) * (255.0 / SOURCE_MAX)
    if size == 16:
        images = upsample(images, 2, method=method)
    train, test = stratified_split(labels, float(test_fraction), int(seed))
    return DigitsDataset(
        train_images=np.ascontiguousarray(images[train]), train_labels=labels[train].copy(),
        test_images=np.ascontiguousarray(images[test]), test_labels=labels[test].copy(),
        classes=DIGIT_CLASSES,
    )
