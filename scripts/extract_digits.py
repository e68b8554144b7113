"""Copy scikit-learn's bundled handwritten digits into resources/datasets/ (how digits.csv.gz was made).

The file is scikit-learn's ``sklearn/datasets/data/digits.csv.gz``, copied byte
for byte: 1,797 rows, each 64 pixel values 0–16 (an 8×8 image, row-major)
followed by the digit 0–9. It is the test part of the UCI "Optical Recognition
of Handwritten Digits" set (Alpaydin & Kaynak, 1998); see
``resources/datasets/LICENSE-digits.txt`` for where it came from and its licence.

scikit-learn is NOT a dependency of convviz. Install it into a throwaway
virtual environment and run this script with that environment's Python::

    python -m venv /tmp/sk && /tmp/sk/bin/pip install scikit-learn
    /tmp/sk/bin/python scripts/extract_digits.py          # writes resources/datasets/digits.csv.gz
    /tmp/sk/bin/python scripts/extract_digits.py --check  # only compares with the shipped file

The script checks the shape, value ranges and class counts before writing, and
prints the file's SHA-256 (recorded in the licence file).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import sys
from importlib import resources
from pathlib import Path

import numpy as np

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "resources" / "datasets" / "digits.csv.gz"
EXPECTED_ROWS = 1797


def scikit_learn_digits() -> tuple[bytes, str]:
    """The bytes of scikit-learn's ``digits.csv.gz`` and the scikit-learn version they came from."""
    try:
        import sklearn
    except ImportError:
        sys.exit("scikit-learn is not installed in this Python; see this script's docstring")
    data = resources.files("sklearn.datasets").joinpath("data", "digits.csv.gz").read_bytes()
    return data, sklearn.__version__


def check(data: bytes) -> np.ndarray:
    """Parse the gzip'd CSV and check it is the digits set; return the (1797, 65) integer table."""
    with gzip.open(io.BytesIO(data), "rt", encoding="ascii") as fh:
        table = np.loadtxt(fh, delimiter=",")
    if table.shape != (EXPECTED_ROWS, 65):
        sys.exit(f"unexpected shape {table.shape}; expected ({EXPECTED_ROWS}, 65)")
    if not np.array_equal(table, np.round(table)):
        sys.exit("the table holds non-integer values")
    pixels, labels = table[:, :64], table[:, 64]
    if pixels.min() < 0 or pixels.max() > 16 or set(np.unique(labels)) != set(range(10)):
        sys.exit("pixel values must be 0–16 and labels 0–9")
    return table.astype(np.int64)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"destination (default: {DEFAULT_OUT})")
    parser.add_argument("--check", action="store_true", help="compare with the file at --out, write nothing")
    args = parser.parse_args(argv)
    data, version = scikit_learn_digits()
    table = check(data)
    digest = hashlib.sha256(data).hexdigest()
    counts = np.bincount(table[:, 64], minlength=10)
    print(f"scikit-learn {version}: digits.csv.gz, {len(data):,} bytes, sha256 {digest}")
    print(f"{table.shape[0]} images; per digit 0–9: {', '.join(str(c) for c in counts)}")
    if args.check:
        same = args.out.is_file() and args.out.read_bytes() == data
        print(f"{args.out}: {'identical' if same else 'DIFFERENT'}")
        return 0 if same else 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(data)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
