"""The vault actions of the window, each one a function that runs on the :class:`DbWorker`.

:class:`VaultOps` holds the open :class:`~app.services.session.Session`. Only
the worker thread calls its methods, so the SQLCipher connection is created,
used and closed on that one thread; the GUI receives plain results
(:class:`VaultInfo`, a recovery key, a chain report) and never the connection.
"""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from app.errors import InvoiceVaultError, KeyringUnavailable, VaultLocked
from app.services import access, audit_log, backup
from app.services.backup import BackupCreated
from app.services.session import Session
from app.store.audit import ChainReport
from app.vault.kdf import KdfParams

T = TypeVar("T")


@dataclass(frozen=True)
class VaultInfo:
    """What the unlocked page shows about the open vault."""

    vault_id: str
    user: str
    role: str
    remembered_until: str | None  # UTC, ISO 8601; None when the passphrase is always asked
    backup_message: str = ""  # "The last backup was made 9 days ago: make a new one."
    backup_due: bool = False


@dataclass(frozen=True)
class Status:
    """The open vault, and why the OS keyring did not do what was asked (the vault stays open)."""

    info: VaultInfo
    keyring_problem: str = ""


@dataclass(frozen=True)
class Created:
    info: VaultInfo
    recovery_key: str


class VaultOps:
    """Create, unlock, verify, forget and lock; every method runs on the worker thread."""

    def __init__(self, data_dir: Path, user: str, kdf: KdfParams | None = None) -> None:
        self.data_dir = data_dir
        self.user = user
        self.kdf = kdf  # None: calibrate Argon2id to about a second on this machine
        self.session: Session | None = None

    def create(self, passphrase: str) -> Created:
        self.lock()
        self.session, recovery_key = access.create_vault(
            self.data_dir, self.user, passphrase, kdf=self.kdf
        )
        return Created(self._info(), recovery_key)

    def unlock(self, passphrase: str, remember: bool) -> Status:
        """Unlock; with ``remember``, also keep the key in the OS keyring if it lets us."""
        self.lock()
        self.session = access.unlock(self.data_dir, self.user, passphrase)
        problem = ""
        if remember:
            try:
                access.remember_on_this_laptop(self.session)
            except InvoiceVaultError as error:
                problem = str(error)
        return Status(self._info(), problem)

    def unlock_remembered(self) -> Status | None:
        """The no-prompt start: None when this laptop remembers nothing for the user.

        Raises :class:`KeyringUnavailable` with the reason when it should have worked.
        """
        if access.keyring_status(self.data_dir, self.user).remembered_until is None:
            return None
        self.lock()
        self.session = access.unlock_with_keyring(self.data_dir, self.user)
        return Status(self._info())

    def verify_audit_log(self) -> ChainReport:
        return audit_log.verify(self._session())

    def make_backup(self, folder: Path) -> tuple[BackupCreated, Status]:
        """A verified backup into ``folder``, and the status with the new backup date."""
        made = backup.create_backup(self._session(), folder)
        return made, Status(self._info())

    def forget(self) -> Status:
        """Turn 'remember on this laptop' off.

        vault.json stops pointing at the keyring entry even when the keyring cannot
        be reached to delete it, so the result is "forgotten" plus the reason.
        """
        problem = ""
        try:
            access.forget_on_this_laptop(self._session())
        except KeyringUnavailable as error:
            problem = str(error)
        return Status(self._info(), problem)

    def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """``fn(session, *args, **kwargs)``: how the sections reach the services."""
        return fn(self._session(), *args, **kwargs)

    def lock(self) -> None:
        """Close the database and drop the keys; also run before opening, so none is orphaned."""
        session, self.session = self.session, None
        if session is not None:
            access.lock(session)

    def _session(self) -> Session:
        if self.session is None:
            raise VaultLocked("The vault is locked: unlock it first")
        return self.session

    def _info(self) -> VaultInfo:
        session = self._session()
        # Read from vault.json: it is the truth even when the keyring half of a change failed.
        until = access.keyring_status(self.data_dir, session.user.name).remembered_until
        backups = backup.backup_status(session)
        return VaultInfo(
            session.vault_id,
            session.user.name,
            session.user.role,
            until,
            backups.message,
            backups.due,
        )
