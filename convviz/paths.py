"""Where the bundled resources (sample images, lessons) live.

In a source checkout they are the top-level ``resources/`` folder; in an
installed wheel the same folder is shipped as ``convviz/resources/``.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def resources_dir() -> Path:
    """Return the folder that holds ``images/`` and ``lessons/``."""
    for candidate in (_PACKAGE_DIR / "resources", _PACKAGE_DIR.parent / "resources"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("convviz's bundled resources folder is missing; reinstall convviz")


def resource_path(*parts: str) -> Path:
    """Path of a bundled resource, e.g. ``resource_path("images", "checker.png")``."""
    return resources_dir().joinpath(*parts)
