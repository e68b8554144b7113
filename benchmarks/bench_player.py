"""Per-step update time of the step-through player at 32×32 with a 5×5 kernel.

One "update" is what a timer tick costs the GUI thread: move to the next step (numbers from
the model, products grid, readout, highlights) and let Qt repaint what changed. At 60 steps per
second a step has 16.7 ms; the p95 has to stay well below that for no frame to be dropped.

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_player.py [--steps 400]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout too

import numpy as np  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

FRAME_MS = 1000.0 / 60.0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=400, help="steps to time (default 400)")
    parser.add_argument("--size", type=int, default=32, help="side of the input region (default 32)")
    parser.add_argument("--kernel", type=int, default=5, help="side of the kernel (default 5)")
    args = parser.parse_args(argv)

    app = QApplication.instance() or QApplication(sys.argv)
    from convviz.model import ConvDocument
    from convviz.ui.player import PlayerPanel

    rng = np.random.default_rng(0)
    image = rng.integers(0, 256, size=(args.size, args.size)).astype(float)
    kernel = rng.normal(size=(args.kernel, args.kernel)).round(2)
    doc = ConvDocument(image=image, kernel=kernel, preset=None, padding="same")
    panel = PlayerPanel(doc)
    panel.resize(1400, 900)
    panel.show()
    app.processEvents()
    panel.set_step(0)
    app.processEvents()

    for label, lecture in (("whole steps", False), ("lecture mode (one product per tick)", True)):
        panel.set_lecture_mode(lecture)
        panel.set_step(0, 0 if lecture else None)
        app.processEvents()
        wall, cpu = [], []
        for _ in range(min(args.steps, panel.step_count * (kernel.size + 1 if lecture else 1) - 1)):
            t0, c0 = time.perf_counter(), time.process_time()
            panel.step_forward()
            app.processEvents()  # the frame: Qt repaints what the step changed
            wall.append((time.perf_counter() - t0) * 1000.0)
            cpu.append((time.process_time() - c0) * 1000.0)
        print(f"{args.size}×{args.size} region, {args.kernel}×{args.kernel} kernel, {label}, {len(wall)} steps:")
        for name, times in (("wall", wall), ("CPU", cpu)):
            times.sort()
            p95 = times[int(0.95 * (len(times) - 1))]
            print(f"  per-step update ({name} time): median {statistics.median(times):.2f} ms, p95 {p95:.2f} ms, "
                  f"max {times[-1]:.2f} ms; {sum(t > FRAME_MS for t in times)} over a 60 steps/s frame "
                  f"({FRAME_MS:.1f} ms)")
    print(f"load average while measuring: {', '.join(f'{v:.2f}' for v in os.getloadavg())} "
          f"on {os.cpu_count()} CPUs (wall time suffers when other work shares the CPUs)")
    panel.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
