"""Speed of learning a kernel: 1,000 gradient-descent iterations on a 128×128 image, 3×3 kernel.

Run:  python benchmarks/bench_learning.py [--iterations N] [--size N] [--kernel K]

Prints the wall time of the iterations (target: under 2 s for the defaults) and how
close the learned kernel came to the hidden Sobel x; then what the Learned filters tab
does with it: a replay to a lesson's position (prepare), and a run as fast as possible in
frames of ≤ 1/30 s (run_chunk, each with a copy of the trainer and a snapshot to draw).
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
from convviz.model.training_run import FRAME_SECONDS, LearningSetup, Request, prepare, run_chunk  # noqa: E402


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

    image.setflags(write=False)
    setup = LearningSetup(image, "sobel_x", None, args.kernel, "valid", "0-255", 0)
    t0 = time.perf_counter()
    progress = prepare(Request(setup, "auto", 500, 5))
    replay = time.perf_counter() - t0
    print(f"prepare (working copy, rate, replay to iteration 500): {1000 * replay:.0f} ms")
    frames, t0 = 0, time.perf_counter()
    progress = prepare(Request(setup, "auto", 0, 1), progress)
    while time.perf_counter() - t0 < 1.0 and not progress.trainer.converged:
        progress = run_chunk(progress, seconds=0.8 * FRAME_SECONDS)
        frames += 1
    elapsed = time.perf_counter() - t0
    print(f"run as fast as possible: {progress.trainer.iteration} iterations in {frames} frames, {elapsed:.2f} s "
          f"({progress.trainer.iteration / elapsed:.0f} iterations/s with a copy and a snapshot per frame)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
