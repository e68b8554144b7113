"""The desktop window (PySide6 + pyqtgraph). Owns no mathematics: everything it shows
comes from :mod:`convviz.model`.

pyqtgraph is configured here, once, before any item is made: arrays are row-major
``(rows, cols)`` like everywhere else in convviz.
"""

import pyqtgraph as pg

pg.setConfigOptions(imageAxisOrder="row-major", antialias=True)


def __getattr__(name):
    if name == "MainWindow":
        from .main_window import MainWindow

        return MainWindow
    raise AttributeError(name)


__all__ = ["MainWindow"]
