"""Helpers for the GUI tests: in-memory keyrings and user-like input."""

import keyring.errors
from keyring.backend import KeyringBackend
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractButton, QCheckBox, QLineEdit
from support import PASSPHRASE

WAIT_MS = 20_000  # generous for a loaded CI machine; waits end as soon as the condition holds


class MemoryKeyring(KeyringBackend):
    """A keyring that works, kept in a dict (the real Secret Service is tested elsewhere)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.entries.get((service, username))

    def set_password(self, service, username, password):
        self.entries[(service, username)] = password

    def delete_password(self, service, username):
        if self.entries.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError("not found")


class LockedKeyring(MemoryKeyring):
    """Holds the entry, but refuses to hand it out (a keyring the user did not unlock)."""

    def get_password(self, service, username):
        raise keyring.errors.KeyringLocked("the collection is locked")


def click(qtbot, button: QAbstractButton) -> None:
    """Click where a person would: on a check box's box, on a push button's middle."""
    if isinstance(button, QCheckBox):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(8, button.height() // 2))
    else:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def retype(qtbot, field: QLineEdit, text: str) -> None:
    """Replace what is in a field the way a person does: select all, type over it."""
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field, text)


def wait_for_page(qtbot, window, page) -> None:
    """Until the window shows ``page`` (work runs on the worker thread, results come later).

    The unlocked page is a section of the open vault: wait for the vault to open,
    then go to that section as a user would.
    """
    if page is window.unlocked_page:
        qtbot.waitUntil(lambda: window.stack.currentWidget() is window.workspace, timeout=WAIT_MS)
        window.workspace.show_section(page)
        return
    qtbot.waitUntil(lambda: window.stack.currentWidget() is page, timeout=WAIT_MS)


def unlock_window(qtbot, window) -> None:
    """Type the passphrase on the unlock page and press Return; wait for the open vault."""
    page = window.unlock_page
    wait_for_page(qtbot, window, page)
    qtbot.waitUntil(page.passphrase.isEnabled, timeout=WAIT_MS)
    qtbot.keyClicks(page.passphrase, PASSPHRASE)
    qtbot.keyClick(page.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.workspace, timeout=WAIT_MS)
