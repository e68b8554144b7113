"""Speed of learning a kernel: 1,000 gradient-descent iterations on a 128×128 image, 3×3 kernel.

Run:  python benchmarks/bench_learning.py [--iterations N] [--size N] [--kernel K]

Prints the wall time of the iterations (target: under 2 s for the defaults) and how
close the learned kernel came to the hidden Sobel x.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from convviz.model import PRESETS  # noqa: E402
from convviz.model.training import KernelTrainer, hidden_kernel_target  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=1000)
    parser.add_argument("--size", type=int, default=128)
    parser.add_argument("--kernel", type=int, default=3)
    args = parser.parse_args(argv)
    rng = np.random.default_rng(0)
    image = rng.uniform(0, 255, (args.size, args.size))
    hidden = PRESETS["sobel_x"].kernel
    target = hidden_kernel_target(image, hidden, args.kernel)
    t0 = time.perf_counter()
    trainer = KernelTrainer(image, target, args.kernel, seed=0)
    setup = time.perf_counter() - t0
    t0 = time.perf_counter()
    done = trainer.run(args.iterations)
    elapsed = time.perf_counter() - t0
    print(f"{done} iterations, {args.size}×{args.size} image, {args.kernel}×{args.kernel} kernel: "
          f"{elapsed:.3f} s ({1000 * elapsed / max(done, 1):.3f} ms per iteration; target < 2 s for 1,000)")
    print(f"set-up (automatic rate from the Hessian): {1000 * setup:.1f} ms, rate {trainer.rate:.3g}")
    print(f"loss {trainer.history[0]:.4g} → {trainer.history[-1]:.4g}; "
          f"largest |learned − sobel_x| = {trainer.kernel_error(hidden):.2e}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
