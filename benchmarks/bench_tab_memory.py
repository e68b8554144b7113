"""Memory per tab on a 12-megapixel photo (issue #13): figures printed, never asserted.

Run ``python benchmarks/bench_tab_memory.py [TAB ...]``. A 4000×3000 colour JPEG
(:func:`bench_photos.make_photo`) is opened in a window made as ``bench_photos`` makes it, in a fresh
process (``release_freed_memory_promptly()``, a temporary QSettings). When it is loaded and the Filter
tab's output is computed, every tab is shown in turn (``w.panel_keys()``; or only the TABs named, in
that order), the events processed for about a second, and the process's RSS (VmRSS) and peak (VmHWM)
printed after each, with how much the tab added to RSS. Each TAB named alone (``--alone``) is measured
in its own fresh process after the Filter tab, so one tab's share is not hidden by another's freed pages.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_photos import make_photo  # noqa: E402

CHILD = r"""
import sys
sys.path[:0] = sys.argv[2:4]
from bench_photos import _rss_mb, _wait, _window
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
import tempfile
with tempfile.TemporaryDirectory() as tmp:
    print(f"start {_rss_mb():.0f} {_rss_mb('VmHWM'):.0f}", flush=True)
    w = _window(app, tmp)
    _wait(app, lambda: False, timeout=0.5)
    print(f"window {_rss_mb():.0f} {_rss_mb('VmHWM'):.0f}", flush=True)
    w.open_image(sys.argv[1])
    _wait(app, lambda: w.document.image.shape[0] == 3000 and not w.loading and not w.computing)
    _wait(app, lambda: False, timeout=1.0)
    print(f"opened {_rss_mb():.0f} {_rss_mb('VmHWM'):.0f}", flush=True)
    keys = sys.argv[4].split(",") if len(sys.argv) > 4 and sys.argv[4] else list(w.panel_keys())
    for key in keys:
        w.show_panel(key)
        panel = w.panel(key) if hasattr(w, "panel") else None
        _wait(app, lambda: False, timeout=1.0)
        waiter = getattr(panel, "wait_for_maps", None)
        if waiter is not None:
            waiter(120_000)
            _wait(app, lambda: False, timeout=0.3)
        print(f"{key} {_rss_mb():.0f} {_rss_mb('VmHWM'):.0f}", flush=True)
    w.close()
"""


def run_child(photo: Path, keys: list[str]) -> list[tuple[str, float, float]]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    paths = [str(ROOT / "benchmarks"), str(ROOT / "tests" / "ui")]
    out = subprocess.run([sys.executable, "-c", CHILD, str(photo), *paths, ",".join(keys)], capture_output=True,
                         text=True, cwd=ROOT, timeout=1800, env=env)
    rows = []
    for line in out.stdout.splitlines():
        parts = line.split()
        if len(parts) == 3:
            rows.append((parts[0], float(parts[1]), float(parts[2])))
    if out.returncode != 0:
        print(out.stderr[-3000:], file=sys.stderr)
    return rows


def print_rows(rows: list[tuple[str, float, float]]) -> None:
    print(f"{'after':<16} {'RSS MB':>8} {'peak MB':>8} {'RSS added':>10}")
    previous = None
    for name, rss, peak in rows:
        added = "" if previous is None else f"{rss - previous:+10.0f}"
        print(f"{name:<16} {rss:8.0f} {peak:8.0f} {added}")
        previous = rss


def main(argv: list[str]) -> None:
    alone = "--alone" in argv
    keys = [a for a in argv if not a.startswith("--")]
    print(f"convviz memory per tab, 12 MP colour JPEG, {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory() as tmp:
        photo = make_photo(Path(tmp) / "phone-12mp.jpg")
        if alone and keys:
            for key in keys:
                print(f"-- {key} alone (fresh process, after the Filter tab)")
                print_rows(run_child(photo, ["filter", key] if key != "filter" else ["filter"]))
        else:
            print_rows(run_child(photo, keys))


if __name__ == "__main__":
    main(sys.argv[1:])
