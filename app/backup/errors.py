"""Errors of backup create, verify and restore; each message is one line for the user."""

from app.errors import InvoiceVaultError


class BackupError(InvoiceVaultError):
    """A backup could not be written, or a backup file is damaged, hostile or inconsistent."""


class BackupCancelled(BackupError):
    """The user cancelled; nothing was changed (the GUI stays silent about it)."""

    def __init__(self, message: str = "Cancelled; nothing was changed.") -> None:
        super().__init__(message)
