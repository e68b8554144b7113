"""How fast the Filter bank panel shows 64 maps of 5×5 filters on a 512×512 colour image after an edit.

Run:  QT_QPA_PLATFORM=offscreen python benchmarks/bench_bank.py [--repeat N]

Prints median milliseconds for
  * the model: every map from scratch (conv_layer, float32), one filter's weights edited
    (only that filter is convolved again), one bias edited (no convolution);
  * the worker job after a one-filter edit (maps + ranges + 64 coloured thumbnails);
  * the panel, offscreen: a weight typed into the slice grid → the new maps drawn in the grid,
    stack and enlarged view (the goal is 100 ms).
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
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from convviz.model.bank import BankLayer, LayerSettings, MapCalculator, Network, random_filter  # noqa: E402

H = W = 512
FILTERS = 64
K = 5


def bank(rng) -> Network:
    return Network((BankLayer(tuple(random_filter(rng, (K, K), 3, name=f"f{i}") for i in range(FILTERS)), "relu",
                              LayerSettings()),))


def median_ms(times) -> float:
    return statistics.median(times) * 1000


def bench_model(image, net, repeat: int) -> None:
    first = LayerSettings("same")
    full, one, bias = [], [], []
    for n in range(repeat):
        calc = MapCalculator()
        t = time.perf_counter()
        calc.compute(net, image, first=first)
        full.append(time.perf_counter() - t)
        layer = net[0]
        edited, _ = net.with_layer(0, layer.with_filter(n % FILTERS, layer.filters[n % FILTERS].with_weight(
            0, 2, 2, 0.5 + n)))
        t = time.perf_counter()
        res = calc.compute(edited, image, first=first)
        one.append(time.perf_counter() - t)
        assert res[0].recomputed == [n % FILTERS]
        biased, _ = edited.with_layer(0, edited[0].with_filter(3, edited[0].filters[3].with_bias(n + 1.0)))
        t = time.perf_counter()
        res = calc.compute(biased, image, first=first)
        bias.append(time.perf_counter() - t)
        assert res[0].recomputed == []
    print(f"model, all {FILTERS} maps from scratch (float32):  {median_ms(full):7.1f} ms")
    print(f"model, one filter's weights edited:            {median_ms(one):7.1f} ms")
    print(f"model, one bias edited (no convolution):       {median_ms(bias):7.1f} ms")


def bench_job(image, net, repeat: int) -> None:
    from convviz.model.bank.display import MapJob, MapRequest
    job = MapJob()
    first = LayerSettings("same")
    job(MapRequest(net, image, False, first, 0, 0))
    times = []
    for n in range(repeat):
        layer = net[0]
        net, _ = net.with_layer(0, layer.with_filter(n % FILTERS, layer.filters[n % FILTERS].with_weight(
            1, 1, 1, 0.25 + n)))
        t = time.perf_counter()
        job(MapRequest(net, image, False, first, 0, n % FILTERS))
        times.append(time.perf_counter() - t)
    print(f"worker job after a one-filter edit:            {median_ms(times):7.1f} ms "
          "(maps, ranges, thumbnails, channel partial maps)")


def bench_panel(image, net, repeat: int) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from convviz.model import ConvDocument
    from convviz.ui.bank.panel import BankPanel

    app = QApplication.instance() or QApplication(sys.argv)
    doc = ConvDocument(image=image, padding="same")
    panel = BankPanel(doc)
    panel.resize(1400, 900)
    panel.show()
    panel.wait_for_maps()
    panel.set_network(net)
    panel.wait_for_maps()
    app.processEvents()
    times, seen = [], []
    for n in range(repeat):
        grid = panel.filter_editor.grids()[n % 3]
        panel.filter_editor.same_box.setChecked(False)
        t = time.perf_counter()
        grid.item(2, 2).setData(Qt.ItemDataRole.EditRole, float(n + 3))
        panel.wait_for_maps()
        app.processEvents()
        times.append(time.perf_counter() - t)
        seen.append(panel.result.elapsed)
    print(f"panel: weight typed → {FILTERS} maps shown:         {median_ms(times):7.1f} ms "
          f"(of which the worker {median_ms(seen):.1f} ms; goal 100 ms)")
    panel.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    image = rng.uniform(0, 255, (H, W, 3))
    image.flags.writeable = False
    net = bank(rng)
    print(f"{FILTERS} filters of {K}×{K} on a {H}×{W}×3 image, padding same, ReLU; {os.cpu_count()} CPU(s)")
    bench_model(image, net, args.repeat)
    bench_job(image, net, args.repeat)
    bench_panel(image, net, args.repeat)


if __name__ == "__main__":
    main()
