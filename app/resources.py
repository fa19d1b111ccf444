"""Where the shipped resources live (fonts, ICC profile, translations, icons).

The folder sits beside ``app/`` in a checkout and in the packaged application
(the PyInstaller spec copies it); nothing in it is ever written.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "resources"


def path(*parts: str) -> Path:
    """A file under resources/, e.g. ``path("fonts", "NotoSans-Regular.ttf")``."""
    return ROOT.joinpath(*parts)
