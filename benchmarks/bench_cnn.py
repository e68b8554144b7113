"""Speed of the small CNN on the bundled digits: time to 90 % test accuracy, and time per epoch.

Run:  python benchmarks/bench_cnn.py [--seeds 5] [--filters 8] [--epochs 10] [--target 0.9]

For each seed a fresh ``TinyCNN`` (5×5 filters) trains with ``TrainingRun``'s defaults
(mini-batches of 32, learning rate 0.05, momentum 0.9), measuring test accuracy after
every epoch. Prints, over the seeds, the median wall time until the test accuracy first
reaches the target (training plus the per-epoch measuring, the way ``convviz train`` and
the window see it; goal: under 60 s on 2 vCPUs), the median training time per epoch, and
the accuracy after the last epoch.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from convviz.model.cnn import TinyCNN, TrainingRun, load_dataset  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5, help="number of seeds (0, 1, …)")
    parser.add_argument("--filters", type=int, default=8)
    parser.add_argument("--epochs", type=int, default=10, help="epochs per seed")
    parser.add_argument("--target", type=float, default=0.9, help="test accuracy to reach")
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    data = load_dataset()
    print(f"load_dataset: {time.perf_counter() - t0:.3f} s ({len(data.train_labels)} training, "
          f"{len(data.test_labels)} test images of {data.image_shape[0]}×{data.image_shape[1]})")

    to_target: list[float] = []
    epochs_to_target: list[int] = []
    epoch_seconds: list[float] = []
    finals: list[float] = []
    for seed in range(args.seeds):
        net = TinyCNN(filters=args.filters, kernel_size=5, seed=seed)
        run = TrainingRun(net, data, seed=seed)
        start = time.perf_counter()
        reached = None
        for _ in range(args.epochs):
            result = run.run_epoch()
            epoch_seconds.append(result.seconds)
            if reached is None and result.test_accuracy >= args.target:
                reached = time.perf_counter() - start
                epochs_to_target.append(result.epoch)
        finals.append(run.history[-1].test_accuracy)
        accuracies = " ".join(f"{100 * e.test_accuracy:.1f}" for e in run.history)
        when = f"{reached:.3f} s (epoch {epochs_to_target[-1]})" if reached is not None else "not reached"
        print(f"seed {seed}: {args.target:.0%} after {when}; test accuracy per epoch (%): {accuracies}")
        if reached is not None:
            to_target.append(reached)

    print(f"\n{len(to_target)}/{args.seeds} seeds reached {args.target:.0%} test accuracy within {args.epochs} epochs")
    if to_target:
        print(f"median time to {args.target:.0%}: {statistics.median(to_target):.3f} s "
              f"(max {max(to_target):.3f} s; median epochs {statistics.median(epochs_to_target):g}; goal < 60 s)")
    print(f"median training time per epoch: {statistics.median(epoch_seconds):.3f} s "
          f"({len(data.train_labels)} images, {args.filters} filters)")
    print(f"median test accuracy after {args.epochs} epochs: {100 * statistics.median(finals):.1f} %")
    return 0 if len(to_target) == args.seeds else 1


if __name__ == "__main__":
    sys.exit(main())
