"""The desktop window (PySide6 + pyqtgraph). Owns no mathematics: everything it shows
comes from :mod:`convviz.model`. pyqtgraph is configured when the app starts
(:func:`convviz.ui.app.configure_pyqtgraph`, called by ``run_app`` and ``MainWindow``).
"""


def __getattr__(name):
    if name == "MainWindow":
        from .main_window import MainWindow

        return MainWindow
    raise AttributeError(name)


__all__ = ["MainWindow"]
