"""Opening the vault window on a vault prepared through the services, straight to a section."""

from functools import partial

from gui_support import WAIT_MS
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from support import PASSPHRASE, invoice

from app.services import access, invoicing
from app.vault.kdf import FLOOR


def prepare(data_dir, fill=None) -> None:
    """A vault at the Argon2id floor, ``fill(session)`` run on it, then locked."""
    session, _recovery = access.create_vault(data_dir, "owner", PASSPHRASE, kdf=FLOOR)
    try:
        if fill is not None:
            fill(session)
    finally:
        access.lock(session)


def issue(session, **changes) -> int:
    document_id = invoicing.create_draft(session, invoice(**changes))
    invoicing.issue(session, document_id)
    return document_id


def open_section(qtbot, new_window, module: str):
    """Unlock through the window and show the section defined in ``ui.sections.<module>``."""
    window = new_window()
    page = window.unlock_page
    qtbot.waitUntil(page.passphrase.isEnabled, timeout=WAIT_MS)
    qtbot.keyClicks(page.passphrase, PASSPHRASE)
    qtbot.mouseClick(page.default_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.workspace, timeout=WAIT_MS)
    section: QWidget = next(
        s for s in window.workspace.sections if type(s).__module__ == f"ui.sections.{module}"
    )
    window.workspace.show_section(section)
    qtbot.waitUntil(lambda: not window.worker.busy, timeout=WAIT_MS)
    return window, section


def call(window, fn, *args, **kwargs):
    """A service call with the window's open session, on its worker thread (for assertions)."""
    future = window.worker.run(window.ops.call, partial(fn, **kwargs), *args)
    return future.result(timeout=WAIT_MS / 1000)
