"""The model/view boundary: convviz.model and convviz.io never load Qt or pyqtgraph."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GUI_MODULES = ("PySide6", "shiboken6", "pyqtgraph", "superqt", "PyQt5", "PyQt6", "PySide2")


def test_model_and_io_import_no_gui_toolkit():
    code = (
        "import sys, pkgutil, importlib\n"
        "import convviz.model, convviz.io\n"
        "for pkg in (convviz.model, convviz.io):\n"
        "    for info in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        importlib.import_module(info.name)\n"
        f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {GUI_MODULES!r})\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "", f"GUI modules imported by the model: {result.stdout}"


def test_model_sources_do_not_mention_qt():
    for folder in ("model", "io"):
        for path in (ROOT / "convviz" / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            for name in GUI_MODULES:
                assert f"import {name}" not in text and f"from {name}" not in text, f"{path} imports {name}"
