"""Speed of convviz.model against SciPy, OpenCV and PyTorch, measured in the same run.

Run:  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/bench_model.py [--quick]

Prints median milliseconds per call and ratios (peer time / convviz time: > 1 means
convviz is faster). Single filters use "same" output with zero padding in every library
(scipy.ndimage.correlate mode="constant", cv2.filter2D BORDER_CONSTANT, torch padding="same").
The filter bank is a 512×512 RGB input with 64 filters of 5×5 ("valid").
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from convviz.model import conv_layer, correlate  # noqa: E402


def _optional(name):
    try:
        return __import__(name)
    except ImportError:
        return None


ndi = _optional("scipy.ndimage") and __import__("scipy.ndimage", fromlist=["ndimage"])
cv2 = _optional("cv2")
torch = _optional("torch")


def median_ms(fn, *, repeat: int, min_time: float = 0.2) -> float:
    fn()  # warm up
    times = []
    t_end = time.perf_counter() + min_time
    while len(times) < repeat or time.perf_counter() < t_end:
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
        if len(times) >= 10 * repeat:
            break
    return statistics.median(times) * 1e3


def single_filter_rows(sizes, kernels, repeat):
    rng = np.random.default_rng(0)
    rows = []
    for n in sizes:
        for k in kernels:
            for dtype in (np.float32, np.float64):
                x = rng.uniform(0, 255, size=(n, n)).astype(dtype)
                w = rng.normal(size=(k, k)).astype(dtype)
                row = {"workload": f"{n}² K={k}", "dtype": np.dtype(dtype).name}
                row["convviz"] = median_ms(lambda x=x, w=w: correlate(x, w, "same"), repeat=repeat)
                if ndi is not None:
                    row["scipy.ndimage"] = median_ms(lambda x=x, w=w: ndi.correlate(x, w, mode="constant"),
                                                     repeat=repeat)
                if cv2 is not None:
                    row["opencv"] = median_ms(
                        lambda x=x, w=w: cv2.filter2D(x, -1, w, borderType=cv2.BORDER_CONSTANT), repeat=repeat)
                if torch is not None and (dtype == np.float32 or n <= 512):
                    xt = torch.from_numpy(x)[None, None]
                    wt = torch.from_numpy(w)[None, None]
                    with torch.no_grad():
                        row["pytorch"] = median_ms(
                            lambda xt=xt, wt=wt: torch.nn.functional.conv2d(xt, wt, padding="same"),
                                                   repeat=max(3, repeat // 3))
                rows.append(row)
    return rows


def bank_rows(repeat):
    rng = np.random.default_rng(1)
    rows = []
    for dtype in (np.float32, np.float64):
        x = rng.uniform(0, 255, size=(512, 512, 3)).astype(dtype)
        w = rng.normal(size=(5, 5, 3, 64)).astype(dtype)
        row = {"workload": "RGB 512² → 64×5×5", "dtype": np.dtype(dtype).name}
        row["convviz"] = median_ms(lambda x=x, w=w: conv_layer(x, w), repeat=repeat)
        if torch is not None:
            xt = torch.from_numpy(np.ascontiguousarray(x.transpose(2, 0, 1)))[None]
            wt = torch.from_numpy(np.ascontiguousarray(w.transpose(3, 2, 0, 1)))
            with torch.no_grad():
                row["pytorch"] = median_ms(lambda xt=xt, wt=wt: torch.nn.functional.conv2d(xt, wt), repeat=repeat)
        rows.append(row)
    return rows


def print_table(rows):
    peers = ["scipy.ndimage", "opencv", "pytorch"]
    head = f"{'workload':<20}{'dtype':<9}{'convviz ms':>11}" + "".join(f"{p + ' ms':>17}{'×':>8}" for p in peers)
    print(head)
    print("-" * len(head))
    for r in rows:
        line = f"{r['workload']:<20}{r['dtype']:<9}{r['convviz']:>11.3f}"
        for p in peers:
            if p in r:
                line += f"{r[p]:>17.3f}{r[p] / r['convviz']:>7.2f}×"
            else:
                line += f"{'—':>17}{'':>8}"
        print(line)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats, 512² only")
    args = parser.parse_args(argv)
    repeat = 5 if args.quick else 15
    print(f"numpy {np.__version__}", end="")
    for mod in (ndi and sys.modules.get("scipy"), cv2, torch):
        if mod is not None:
            print(f", {mod.__name__} {mod.__version__}", end="")
    if torch is not None:
        print(f" ({torch.get_num_threads()} threads)", end="")
    print()
    for var in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        if var in os.environ:
            print(f"warning: {var}={os.environ[var]} is set; it slows NumPy's matrix products (PERFORMANCE.md)")
    try:
        from threadpoolctl import threadpool_info
        for info in threadpool_info():
            print(f"BLAS: {info.get('internal_api')} {info.get('version')} kernel={info.get('architecture')} "
                  f"threads={info.get('num_threads')}")
    except ImportError:
        pass
    sizes = [512] if args.quick else [512, 2048]
    rows = single_filter_rows(sizes, [3, 15], repeat) + bank_rows(repeat)
    print()
    print("median milliseconds per call; × = peer time / convviz time (above 1: convviz is faster)")
    print_table(rows)


if __name__ == "__main__":
    main()
