"""Presentation mode fits the projector (issue #12): at 1024×768, 1280×800 and 1920×1080, at every
presentation font scale, the window is no larger than the screen and every tab's panel fits its
view without scrolling sideways (no scroll area in the tab shows a horizontal scroll bar).

Qt's offscreen platform takes a screen size from a JSON file given before the QApplication exists,
so each screen size runs in its own interpreter (``fit_child.py``), which prints one JSON line per
tab and scale.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

CHILD = Path(__file__).with_name("fit_child.py")
#: tabs checked for sideways scrolling; a tab joins when its layout has been made to fit (issue #12)
FITTED = {"filter", "matrix", "player", "learning", "bank", "pooling", "transpose", "spectral", "conv1d", "cnn",
          "costs", "equivariance", "flip"}
SCREENS = [((1024, 768), (1.5, 2.0, 2.5, 3.0)), ((1280, 800), (1.5, 2.0, 3.0)), ((1920, 1080), (2.0, 3.0))]


def _measure(tmp_path, width, height, scales):
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [{"name": "S", "x": 0, "y": 0, "width": width, "height": height,
                                               "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}",
           "PYTHONPATH": os.pathsep.join([str(Path(__file__).resolve().parents[2]), os.environ.get("PYTHONPATH", "")])}
    out = subprocess.run([sys.executable, str(CHILD), ",".join(map(str, scales)), str(tmp_path / "shots")],
                         capture_output=True, text=True, env=env, timeout=900)
    assert out.returncode == 0, out.stderr[-3000:]
    return [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]


@pytest.mark.parametrize("screen, scales", SCREENS, ids=[f"{w}x{h}" for (w, h), _ in SCREENS])
def test_every_tab_fits_the_screen_in_presentation_mode(tmp_path, screen, scales):
    rows = _measure(tmp_path, *screen, scales)
    assert {r["tab"] for r in rows} >= {"filter", "player", "bank", "costs", "flip"}
    too_big = [r for r in rows if r["window"][0] > screen[0] or r["window"][1] > screen[1]]
    assert not too_big, f"window larger than the {screen} screen: {too_big}"
    sideways = [f"{r['tab']} ×{r['scale']}: needs {r['need'][0]} px, has {r['view'][0]}; scrolls {r['sideways']}"
                for r in rows if r["tab"] in FITTED and (r["need"][0] > r["view"][0] or r["sideways"])]
    assert not sideways, "tabs that scroll sideways: " + "; ".join(sideways)
    assert all(r["painted"] for r in rows), "a tab drew nothing"
