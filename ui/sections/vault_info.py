"""The "Vault" section: the page of who is in, the keyring, the audit check and lock."""

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from ui.context import AppContext

if TYPE_CHECKING:
    from ui.vault_window import VaultWindow

ORDER = 90


def make(_context: AppContext, window: "VaultWindow") -> list[tuple[QWidget, str]]:
    return [(window.unlocked_page, window.tr("Vault and security"))]
