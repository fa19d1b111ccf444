"""The OS keyring (Secret Service, macOS Keychain, Windows Credential Locker) via ``keyring``.

It holds the KEK of a user who chose "remember on this laptop". Whatever goes
wrong in there (no keyring, a locked one, a backend that refuses or crashes) is
turned into :class:`KeyringUnavailable` with one line a person understands, so
the caller falls back to the passphrase prompt and nothing is lost.
"""

import base64
import binascii

import keyring
import keyring.errors

from app.errors import KeyringUnavailable
from app.vault.secret import SecretBuffer

SERVICE = "InvoiceVault"


def _account(vault_id: str, user: str) -> str:
    return f"vault {vault_id} user {user}"


def backend_name() -> str:
    try:
        backend = keyring.get_keyring()
    except Exception:
        return "none"
    return f"{type(backend).__module__.removeprefix('keyring.backends.')}.{type(backend).__name__}"


def _reason(exc: BaseException) -> str:
    if isinstance(exc, keyring.errors.NoKeyringError):
        return "no OS keyring is available on this computer"
    if isinstance(exc, keyring.errors.KeyringLocked):
        return "the OS keyring is locked"
    if isinstance(exc, keyring.errors.PasswordSetError):
        return "the OS keyring refused to store the key"
    if isinstance(exc, keyring.errors.InitError):
        return "the OS keyring could not be started"
    # Only the type: a backend's message could quote what it was asked to store.
    return f"the OS keyring failed ({type(exc).__name__})"


def store(vault_id: str, user: str, kek: SecretBuffer) -> None:
    try:
        keyring.set_password(
            SERVICE, _account(vault_id, user), base64.b64encode(kek.reveal()).decode()
        )
    except Exception as exc:
        raise KeyringUnavailable(_reason(exc)) from None


def load(vault_id: str, user: str) -> SecretBuffer:
    try:
        value = keyring.get_password(SERVICE, _account(vault_id, user))
    except Exception as exc:
        raise KeyringUnavailable(_reason(exc)) from None
    if value is None:
        raise KeyringUnavailable("the OS keyring holds no key for this vault on this laptop")
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != 32:
        raise KeyringUnavailable("the key remembered in the OS keyring is damaged")
    return SecretBuffer(raw)


def delete(vault_id: str, user: str) -> bool:
    """Remove the entry; True if there was one. Failures to reach the keyring raise."""
    try:
        keyring.delete_password(SERVICE, _account(vault_id, user))
    except keyring.errors.PasswordDeleteError:
        return False
    except Exception as exc:
        raise KeyringUnavailable(_reason(exc)) from None
    return True
