"""Soak test (issue #14): hundreds of image loads, tab switches and lesson pages keep memory flat.

Every background job's arguments and results are released (tests/ui/test_ui_worker.py proves it for
the worker alone); here the whole window is driven the way a class would use it for an hour. RSS is
read from /proc after a warm-up (the first rounds build every tab and fill caches) and at the end.
"""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from ui_support import wait_output

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/statm")


def _rss_mb() -> float:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * 4096 / 1e6


def _photos(tmp_path, n=2):
    rng = np.random.default_rng(0)
    out = []
    for i in range(n):
        path = tmp_path / f"photo{i}.png"
        Image.fromarray(rng.integers(0, 256, (512, 512 + 16 * i, 3), dtype=np.uint8)).save(path)
        out.append(path)
    return out


def test_loads_tab_switches_and_lesson_pages_keep_memory_flat(window, qtbot, tmp_path):
    photos = _photos(tmp_path)
    keys = ["filter", *window.panel_keys()]

    def round_of_use(i):
        window.open_image(photos[i % 2])
        qtbot.waitUntil(lambda: not window.loading, timeout=30000)
        wait_output(qtbot, window, timeout=30000)
        window.show_panel(keys[i % len(keys)])
        qtbot.wait(5)

    for i in range(2 * len(keys)):          # warm-up: every tab built, caches filled
        round_of_use(i)
    window.classroom.open_lesson("01_multiply_add")
    for _ in range(10):
        window.classroom.lessons.next()
    window.classroom.lessons.close()
    gc.collect()
    before = _rss_mb()
    for i in range(160):
        round_of_use(i)
        if i % 20 == 0:
            window.classroom.open_lesson("03_output_size_padding")
            window.classroom.lessons.next()
            window.classroom.lessons.close()
    gc.collect()
    qtbot.wait(50)
    growth = _rss_mb() - before
    assert growth < 50, f"RSS grew by {growth:.0f} MB over 160 loads, tab switches and lesson pages"
