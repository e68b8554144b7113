"""Child of test_presentation_fit.py: one screen size (set by QT_QPA_PLATFORM's configfile), every tab
at each presentation scale; prints one JSON line per (scale, tab). Not a test module."""

import json
import sys
import tempfile
from pathlib import Path

import numpy as np
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QScrollArea

app = QApplication(sys.argv[:1])
from convviz.ui import MainWindow  # noqa: E402

scales = [float(s) for s in sys.argv[1].split(",")]
shots = Path(sys.argv[2]) if len(sys.argv) > 2 else None
window = MainWindow(settings=QSettings(tempfile.mktemp(suffix=".ini"), QSettings.Format.IniFormat), autosave=False)
window.show()
presentation = window.classroom.presentation
presentation.enter()
for scale in scales:
    presentation.set_scale(scale)
    for key in ["filter", *window.panel_keys()]:
        window.show_panel(key)
        for _ in range(8):
            app.processEvents()
        panel = window.panel(key)
        area = panel.parentWidget().parentWidget()          # panel → viewport → scroll area
        need, view = panel.minimumSizeHint(), area.viewport().size()
        page = window.tabs.currentWidget()
        sideways = [a.objectName() or type(a.widget()).__name__ for a in page.findChildren(QScrollArea)
                    if a.isVisible() and a.horizontalScrollBar().isVisible() and a.horizontalScrollBar().maximum() > 0]
        picture = window.grab().toImage()
        bits = np.frombuffer(picture.constBits(), np.uint8, picture.sizeInBytes())
        if shots is not None:
            shots.mkdir(exist_ok=True)
            picture.save(str(shots / f"{key}-x{scale}.png"))
        print(json.dumps({"tab": key, "scale": scale, "window": [window.width(), window.height()],
                          "need": [need.width(), need.height()], "view": [view.width(), view.height()],
                          "sideways": sideways,
                          "painted": bool(bits.std() > 5)}), flush=True)
window.close()
