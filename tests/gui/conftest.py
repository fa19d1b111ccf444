"""GUI fixtures: a vault window on a fresh temporary data folder.

Windows use the Argon2id floor (fast, never below it) and no QSettings, so a
test neither waits for calibration nor touches the developer's configuration.
"""

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app.vault.kdf import FLOOR
from ui.vault_window import VaultWindow


@pytest.fixture
def new_window(qtbot, data_dir: Path) -> Iterator[Callable[[], VaultWindow]]:
    """Open a vault window on ``data_dir``; each call is a new start of the application."""

    windows: list[VaultWindow] = []  # qtbot keeps weak references only

    def make() -> VaultWindow:
        window = VaultWindow(data_dir, "owner", FLOOR)
        windows.append(window)
        qtbot.addWidget(window)  # closed (so locked, worker stopped) at the end of the test
        window.show()
        qtbot.waitExposed(window)
        return window

    yield make
