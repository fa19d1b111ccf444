"""Typed errors whose message is written for the person using the application.

The GUI shows ``str(error)`` as it is and the CLI prints it as its one line on
stderr, so every message must make sense without a traceback or a developer.
Anything that is not an :class:`InvoiceVaultError` is a bug: it is logged and
shown as a generic error with a copyable report.
"""


class InvoiceVaultError(Exception):
    """Base of every error a user may see; ``str()`` is the user-facing message."""


class VaultNotFound(InvoiceVaultError):
    """There is no vault in the data folder."""


class VaultExists(InvoiceVaultError):
    """A vault already exists where a new one was to be created."""


class VaultFormatError(InvoiceVaultError):
    """vault.json (or another of our files) is damaged, tampered with or of an unknown version."""


class WrongPassphrase(InvoiceVaultError):
    """The passphrase (or recovery key) does not open any keyslot of this user."""


class WrongDatabaseKey(InvoiceVaultError):
    """SQLCipher refused the key: the database does not belong to this vault.json or is damaged."""


class UnknownUser(InvoiceVaultError):
    """No keyslot for the named user."""


class UnlockThrottled(InvoiceVaultError):
    """Too many failed unlocks: the next attempt must wait."""

    def __init__(self, seconds_left: int) -> None:
        self.seconds_left = seconds_left
        super().__init__(
            f"Too many wrong passphrases. Please wait {seconds_left} s before trying again."
        )


class WeakPassphrase(InvoiceVaultError):
    """A new passphrase was refused by the strength check."""


class KeyringUnavailable(InvoiceVaultError):
    """The OS keyring could not be used; the message says why in one line."""


class SchemaTooNew(InvoiceVaultError):
    """The database was written by a newer version of the application."""


class VaultLocked(InvoiceVaultError):
    """An action needed an unlocked vault."""


class PermissionDenied(InvoiceVaultError):
    """The acting user's role does not allow this action."""


class ValidationError(InvoiceVaultError):
    """Input was refused; the message names the field."""


class NotFound(InvoiceVaultError):
    """The document, client or payment named does not exist."""


class NeedsConfirmation(InvoiceVaultError):
    """Input that looks wrong but may be right (a VAT ID or IBAN checksum): ask, then retry.

    The caller shows the warnings and repeats the action with ``accept_warnings=True``.
    """

    def __init__(self, warnings: list[str]) -> None:
        self.warnings = warnings
        super().__init__(" ".join(warnings) + " Confirm to keep it as it is.")
