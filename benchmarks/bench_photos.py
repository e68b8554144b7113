"""Phone photos in the window (issue #13): figures printed, never asserted.

Run ``python benchmarks/bench_photos.py`` (or ``bench_ui.py``, which prints these first). A 12-megapixel
(4000×3000) JPEG is made once in a temporary folder, then:

1. open → GUI thread: the longest event-loop gap while File ▸ Open decodes it (target ≤ 50 ms);
2. open → first output drawn (the exact preview; target ≤ 0.3 s) and → the whole output (≤ 1.0 s);
3. preset pick → preview drawn (≤ 150 ms) and → whole output drawn (≤ 500 ms), colour 12 MP;
4. peak RSS with every tab visited (≤ 500 MB), measured in a fresh process (VmHWM);
5. RSS growth over 200 loads of two 512×512 photos (≤ 50 MB), in a fresh process.

Steps 1–3 are repeated on a 24-megapixel (6000×4000) JPEG (the same targets, for reference).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "ui"))


def make_photo(path: Path, h: int = 3000, w: int = 4000) -> Path:
    import numpy as np
    from PIL import Image

    y, x = np.mgrid[0:h, 0:w]
    img = np.stack([128 + 100 * np.sin(x / 150.0) * np.cos(y / 200.0), x * 255.0 / w, y * 255.0 / h], axis=2)
    img += np.random.default_rng(0).normal(0, 12, (h, w, 3))
    Image.fromarray(np.clip(img, 0, 255).astype(np.uint8)).save(path, quality=90)
    return path


def _rss_mb(field: str = "VmRSS") -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _window(app, tmp):
    from PySide6.QtCore import QSettings

    from convviz.ui import MainWindow
    from convviz.ui.app import release_freed_memory_promptly

    release_freed_memory_promptly()      # as run_app does when the app starts
    window = MainWindow(settings=QSettings(str(Path(tmp) / "s.ini"), QSettings.Format.IniFormat), autosave=False)
    window.resize(1280, 800)
    window.show()
    return window


def _wait(app, done, timeout=120.0) -> float:
    t0 = time.perf_counter()
    while not done() and time.perf_counter() - t0 < timeout:
        app.processEvents()
        time.sleep(0.0005)
    return time.perf_counter() - t0


def open_and_edit(photo: Path, runs: int = 3, label: str = "12 MP") -> None:
    from PySide6.QtWidgets import QApplication
    from ui_support import event_loop_gaps

    app = QApplication.instance() or QApplication(sys.argv[:1])
    blocked, first, whole, pick_preview, pick_whole = [], [], [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        window = _window(app, tmp)
        for run in range(runs):
            window.open_image(ROOT / "resources" / "images" / "landscape.png")
            _wait(app, lambda: not window.loading and not window.computing)
            drawn = []
            window.filter.runner.finished.connect(lambda r, d=drawn: d.append((time.perf_counter(), r.preview)))
            with event_loop_gaps(5) as gaps:
                t0 = time.perf_counter()
                window.open_image(photo)
                _wait(app, lambda: window.document.image_name == photo.name and not window.loading
                      and not window.computing)
            blocked.append(max(gaps) * 1000)
            first.append((drawn[0][0] - t0) if drawn else float("nan"))
            whole.append(next(t for t, p in drawn if not p) - t0)
            for key in ("box_blur", "laplacian") if run % 2 == 0 else ("gaussian_blur", "sharpen"):
                drawn.clear()
                t0 = time.perf_counter()
                box = window.kernel_editor.preset_box      # as a person picks it
                box.setCurrentIndex(box.findData(key))
                box.activated.emit(box.currentIndex())
                _wait(app, lambda: not window.computing)
                if drawn:       # (a preset equal to the current kernel changes nothing)
                    pick_preview.append(drawn[0][0] - t0)
                    pick_whole.append(next(t for t, p in drawn if not p) - t0)
        window.close()

    def fmt(values, unit="s", scale=1.0):
        return f"median {statistics.median(values) * scale:7.3f} {unit} (max {max(values) * scale:.3f})"

    print(f"{label + ' JPEG open: GUI thread blocked':<46} {fmt(blocked, 'ms')}   target ≤ 50 ms")
    print(f"{label + ' open → first output drawn (preview)':<46} {fmt(first)}   target ≤ 0.3 s")
    print(f"{label + ' open → whole output drawn':<46} {fmt(whole)}   target ≤ 1.0 s")
    print(f"{label + ' colour preset pick → preview drawn':<46} {fmt(pick_preview)}   target ≤ 0.15 s")
    print(f"{label + ' colour preset pick → whole output drawn':<46} {fmt(pick_whole)}   target ≤ 0.5 s")


PEAK_CHILD = r"""
import sys, time
sys.path[:0] = sys.argv[3:5]
from bench_photos import _rss_mb, _wait, _window
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
import tempfile
with tempfile.TemporaryDirectory() as tmp:
    w = _window(app, tmp)
    w.open_image(sys.argv[1])
    _wait(app, lambda: w.document.image.shape[0] == 3000 and not w.computing)
    for key in w.panel_keys():
        w.show_panel(key)
        _wait(app, lambda: False, timeout=1.0)
    w.show_panel("filter")
    _wait(app, lambda: False, timeout=1.0)
    print(f"{_rss_mb('VmHWM'):.0f} {_rss_mb():.0f}")
    w.close()
"""

LOADS_CHILD = r"""
import sys
sys.path[:0] = sys.argv[3:5]
from bench_photos import _rss_mb, _wait, _window
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
import tempfile
photos = sys.argv[1:3]
with tempfile.TemporaryDirectory() as tmp:
    w = _window(app, tmp)
    marks = []
    for i in range(200):
        w.open_image(photos[i % 2])
        _wait(app, lambda: not w.loading and not w.computing)
        if i in (19, 199):
            marks.append(_rss_mb())
    print(f"{marks[0]:.0f} {marks[1]:.0f}")
    w.close()
"""


def memory(photo: Path, tmp: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    paths = [str(ROOT / "benchmarks"), str(ROOT / "tests" / "ui")]
    out = subprocess.run([sys.executable, "-c", PEAK_CHILD, str(photo), "-", *paths], capture_output=True,
                         text=True, cwd=ROOT, timeout=600, env=env)
    peak, now = (float(v) for v in out.stdout.split()[-2:])
    print(f"{'12 MP, every tab visited: peak RSS':<46} {peak:7.0f} MB (now {now:.0f} MB)   target ≤ 500 MB")
    small = [make_photo(tmp / f"s{i}.jpg", 512, 512 + i) for i in range(2)]
    out = subprocess.run([sys.executable, "-c", LOADS_CHILD, *map(str, small), *paths], capture_output=True,
                         text=True, cwd=ROOT, timeout=900, env=env)
    at20, at200 = (float(v) for v in out.stdout.split()[-2:])
    print(f"{'200 photo loads: RSS growth (load 20 → 200)':<46} {at200 - at20:7.0f} MB "
          f"({at20:.0f} → {at200:.0f} MB)   target ≤ 50 MB")


def photo_figures() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        photo = make_photo(Path(tmp) / "phone-12mp.jpg")
        open_and_edit(photo)
        open_and_edit(make_photo(Path(tmp) / "phone-24mp.jpg", 4000, 6000), runs=2, label="24 MP")
        memory(photo, Path(tmp))


if __name__ == "__main__":
    print(f"convviz photo benchmark, {os.cpu_count()} CPUs")
    photo_figures()
