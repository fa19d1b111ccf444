"""Creating, unlocking and locking a vault; passphrases, key rotation and the OS keyring.

Each function is one user action: permission, the change, one audit record.
Events that happen while the vault is locked (failed unlocks, a keyring entry
forgotten without unlocking) wait in unlock-state.json and enter the audit log
at the next unlock, marked ``recorded_while_locked``.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.errors import UnknownUser
from app.services.permissions import Action, Role, require
from app.services.session import Session
from app.store import audit, users
from app.store.connection import Connection, transaction
from app.vault import os_keyring
from app.vault.kdf import KdfParams
from app.vault.vault import UnlockedVault, Vault

KNOWN_LOCKED_EVENTS = frozenset(
    {
        "unlock.failed",
        "unlock.state_damaged",
        "keyring.forgotten",
        "key.rotation_completed_after_interruption",
        "key.rotation_abandoned_after_interruption",
        "backup.restored",
    }
)


def create_vault(
    data_dir: Path, owner: str, passphrase: str, *, kdf: KdfParams | None = None
) -> tuple[Session, str]:
    """A new vault with ``owner`` as its owner; returns the session and the recovery key."""

    def initialize(conn: Connection) -> None:
        with transaction(conn):
            users.add(conn, owner, Role.OWNER)
            audit.append(conn, owner, "vault.created", {"owner": owner})

    unlocked, recovery_key = Vault(data_dir).create(
        owner, passphrase, kdf=kdf, initialize=initialize
    )
    return _session(unlocked), recovery_key


def unlock(data_dir: Path, user: str, passphrase: str) -> Session:
    return _session(Vault(data_dir).unlock(user, passphrase))


def unlock_with_keyring(data_dir: Path, user: str) -> Session:
    """No prompt; raises :class:`KeyringUnavailable` with the reason to fall back."""
    return _session(Vault(data_dir).unlock_from_keyring(user))


def reset_passphrase(
    data_dir: Path,
    recovery_key: str,
    user: str,
    new_passphrase: str,
    *,
    kdf: KdfParams | None = None,
) -> Session:
    """Forgotten passphrase: the recovery key sets a new one and unlocks."""
    unlocked = Vault(data_dir).reset_passphrase(recovery_key, user, new_passphrase, kdf=kdf)
    session = _session(unlocked)
    _audit(session, "passphrase.reset_with_recovery_key", {"user": user})
    return session


def lock(session: Session) -> None:
    session.vault.lock()


def change_passphrase(
    session: Session, current: str, new: str, *, kdf: KdfParams | None = None
) -> bool:
    """Returns whether 'remember on this laptop' stayed on."""
    require(session.user.role, Action.CHANGE_OWN_PASSPHRASE)
    remembered = session.vault.change_passphrase(current, new, kdf=kdf)
    _audit(session, "passphrase.changed", {"user": session.user.name, "remembered": remembered})
    return remembered


def confirm_passphrase(session: Session, passphrase: str) -> None:
    """Re-ask the passphrase before a sensitive change (bank details); raises WrongPassphrase.

    Not audited by itself: the change it guards is (``profile.changed`` says
    ``iban_changed``), and a wrong passphrase is recorded like a failed unlock.
    """
    session.vault.confirm_passphrase(passphrase)


def rotate_database_key(session: Session, passphrase: str) -> None:
    require(session.user.role, Action.ROTATE_DATABASE_KEY)
    session.vault.rotate_key(passphrase)
    _audit(session, "key.rotated", {})


def remember_on_this_laptop(session: Session, days: int = 14) -> str:
    """Store the user's KEK in the OS keyring; returns the expiry (UTC)."""
    require(session.user.role, Action.REMEMBER_ON_LAPTOP)
    until = session.vault.remember(days)
    _audit(
        session,
        "keyring.remembered",
        {"user": session.user.name, "until": until, "backend": os_keyring.backend_name()},
    )
    return until


def forget_on_this_laptop(session: Session) -> bool:
    forgotten = session.vault.forget()
    _audit(session, "keyring.forgotten", {"user": session.user.name, "was_on": forgotten})
    return forgotten


def forget_while_locked(data_dir: Path, user: str) -> bool:
    """Forgetting needs no passphrase (it only removes access); audited at the next unlock."""
    vault = Vault(data_dir)
    forgotten = vault.forget(user)
    vault.throttle.record_event("keyring.forgotten", {"user": user, "was_on": forgotten})
    return forgotten


@dataclass(frozen=True)
class KeyringStatus:
    user: str
    remembered_until: str | None
    backend: str


def keyring_status(data_dir: Path, user: str) -> KeyringStatus:
    return KeyringStatus(user, Vault(data_dir).remembered_until(user), os_keyring.backend_name())


def _audit(session: Session, action: str, details: dict[str, Any]) -> None:
    with transaction(session.conn) as conn:
        audit.append(conn, session.user.name, action, details)


def _session(unlocked: UnlockedVault) -> Session:
    """Resolve the user's role and move the events recorded while locked into the audit log."""
    conn = unlocked.connection()
    user = users.get(conn, unlocked.user)
    if user is None:
        unlocked.lock()
        raise UnknownUser(f"{unlocked.user!r} has a keyslot but is not a user of this vault")
    throttle = unlocked.vault.throttle
    pending = throttle.pending()
    with transaction(conn):
        for event in pending:
            action, details = event.get("action"), event.get("details")
            if action not in KNOWN_LOCKED_EVENTS or not isinstance(details, dict):
                action, details = "unlock.unrecognised_event", {}
            audit.append(
                conn,
                str(details.get("user", "-"))[:64],
                action,
                {**details, "recorded_while_locked": True},
                at=str(event.get("at", audit.now_utc()))[:20],
            )
    throttle.reset()
    return Session(unlocked, user)
