"""The real window in a separate process, for the crash tests (``python autosave_driver.py IMAGE KERNEL QUIT``).

Runs offscreen with the autosave in ``$CONVVIZ_DATA_DIR``: opens IMAGE (waits for it), sets the kernel KERNEL
(JSON rows), and prints ``SAVED <autosave path>`` once the autosave timer has written it. Then it
waits: to be killed (a crash), or for the file QUIT to appear (then it closes the window: a clean
exit). With ``--recover`` it first restores the newest autosave a crashed run left.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"


def main(argv: list[str]) -> int:
    import numpy as np
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from convviz.ui import MainWindow
    from convviz.ui.classroom.autosave import AutosaveController

    image, kernel, quit_file = argv[1], np.array(json.loads(argv[2]), dtype=float), Path(argv[3])
    if "--recover" in argv:
        AutosaveController.ask = lambda self, orphans, parent=None: orphans[0]
    app = QApplication(argv[:1])
    settings = QSettings(str(quit_file.with_suffix(".ini")), QSettings.Format.IniFormat)
    window = MainWindow(image, settings=settings)
    auto = window.classroom.autosave
    auto.saved.connect(lambda: print("SAVED", auto.store.path, flush=True))
    auto.failed.connect(lambda text: print("FAILED", text, flush=True))
    window.show()
    deadline = time.monotonic() + 60
    while window.loading and time.monotonic() < deadline:   # IMAGE is decoded in the window's worker
        app.processEvents()
        time.sleep(0.005)
    if window.image_path != Path(image).resolve():
        print("FAILED the image did not open", flush=True)
        return 1
    window.classroom.after_show()
    window.document.apply(kernel=kernel, preset=None)

    def poll():
        if quit_file.exists():
            window.close()
            app.quit()

    timer = QTimer()
    timer.timeout.connect(poll)
    timer.start(50)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
