"""Test set-up: Qt runs offscreen (no display needed), and no test touches the user's data.

Every test gets its own ``CONVVIZ_DATA_DIR`` (autosave, run markers) and ``XDG_CONFIG_HOME``
(QSettings), so a window built by a test never reads or writes the user's files and never
finds another run's autosave to offer.
"""

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


# CI runs the same examples every time (a failure there is reproducible); locally hypothesis explores.
from hypothesis import settings as _hypothesis_settings  # noqa: E402

_hypothesis_settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
if os.environ.get("CI"):
    _hypothesis_settings.load_profile("ci")


@pytest.fixture(autouse=True)
def _isolated_user_data(tmp_path_factory, monkeypatch):
    """Point the app's data and settings folders at fresh temporary folders for this test."""
    root = tmp_path_factory.mktemp("user-data")
    monkeypatch.setenv("CONVVIZ_DATA_DIR", str(root / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(root / "config"))
