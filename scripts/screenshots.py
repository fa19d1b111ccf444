"""Pictures of every section of the open vault, for the README (run by `make screenshots`).

Creates a demo vault in a temporary folder (Argon2id floor, about 500 invoices),
opens the application window at 1280x800, unlocks it as a user would and saves
``docs/screenshots/app-<section>.png`` for each section of the side bar. Run it
on an X screen (``xvfb-run``): the offscreen platform draws no window frame and
no native style.
"""

import re
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import QApplication

from app.services import access, demo
from app.vault.kdf import FLOOR
from ui.vault_window import VaultWindow

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
PASSPHRASE = "glacier mango sprocket velvet"  # noqa: S105 - the throwaway demo vault
INVOICES = 500
SIZE = (1280, 800)
TIMEOUT_S = 60.0


def wait_until(condition: Callable[[], bool], what: str) -> None:
    """Let Qt work until ``condition`` holds (results come back from the worker thread)."""
    end = time.monotonic() + TIMEOUT_S
    while not condition():
        if time.monotonic() > end:
            raise SystemExit(f"screenshots: timed out waiting for {what}")
        QCoreApplication.processEvents()
        time.sleep(0.01)


def settle(window: VaultWindow) -> None:
    """Until the worker has answered every read the section asked for, then paint."""
    for _ in range(3):
        wait_until(lambda: not window.worker.busy, "the section to load")
        end = time.monotonic() + 0.3
        while time.monotonic() < end:
            QCoreApplication.processEvents()
            time.sleep(0.01)


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def main() -> int:
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
    app = QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "vault"
        session, _recovery = access.create_vault(data_dir, "owner", PASSPHRASE, kdf=FLOOR)
        try:
            demo.fill(session, INVOICES)
        finally:
            access.lock(session)
        window = VaultWindow(data_dir, "owner", FLOOR)
        window.resize(*SIZE)
        window.show()
        page = window.unlock_page
        wait_until(page.passphrase.isEnabled, "the unlock page")
        page.passphrase.setText(PASSPHRASE)
        page.default_button.click()
        wait_until(lambda: window.stack.currentWidget() is window.workspace, "the unlock")
        OUT.mkdir(parents=True, exist_ok=True)
        workspace = window.workspace
        for row, section in enumerate(workspace.sections):
            workspace.show_section(section)
            settle(window)
            name = workspace.sidebar.item(row).text()
            path = OUT / f"app-{row + 1:02d}-{slug(name)}.png"
            window.grab().save(str(path))
            print(f"screenshots: {path.relative_to(ROOT)}")
        window.close()
        app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
