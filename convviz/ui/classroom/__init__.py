"""Classroom: lessons and their navigator, presentation mode, export, sessions, autosave and theme.

``install_classroom(window)`` (in :mod:`.install`) adds all of it to the main window.
"""
