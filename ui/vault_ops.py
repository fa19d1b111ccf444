"""The vault actions of the window, each one a function that runs on the :class:`DbWorker`.

:class:`VaultOps` holds the open :class:`~app.services.session.Session`. Only
the worker thread calls its methods, so the SQLCipher connection is created,
used and closed on that one thread; the GUI receives plain results
(:class:`VaultInfo`, a recovery key, a chain report) and never the connection.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from app import fileio
from app.backup.archive import CancelCheck, ProgressCallback
from app.backup.operations import RestoreResult
from app.documents.emergency_sheet import render_emergency_sheet
from app.domain.invoice_json import SellerProfile
from app.errors import InvoiceVaultError, KeyringUnavailable, VaultLocked
from app.services import access, audit_log, backup, invoicing
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


@dataclass(frozen=True)
class Status:
    """The open vault, and why the OS keyring did not do what was asked (the vault stays open)."""

    info: VaultInfo
    keyring_problem: str = ""


@dataclass(frozen=True)
class Created:
    info: VaultInfo
    recovery_key: str
    profile_problem: str = ""  # why the company profile of the wizard was not saved


class VaultOps:
    """Create, unlock, verify, forget and lock; every method runs on the worker thread."""

    def __init__(self, data_dir: Path, user: str, kdf: KdfParams | None = None) -> None:
        self.data_dir = data_dir
        self.user = user
        self.kdf = kdf  # None: calibrate Argon2id to about a second on this machine
        self.session: Session | None = None

    def create(self, passphrase: str, profile: SellerProfile | None = None) -> Created:
        """A new vault, then the company profile typed before it existed (if any).

        The vault is created even when the profile is refused: the user fixes it later
        in the settings, with the reason shown.
        """
        self.lock()
        self.session, recovery_key = access.create_vault(
            self.data_dir, self.user, passphrase, kdf=self.kdf
        )
        problem = ""
        if profile is not None:
            try:
                invoicing.set_seller_profile(self.session, profile, accept_warnings=True)
            except InvoiceVaultError as error:
                problem = str(error)
        return Created(self._info(), recovery_key, problem)

    def remember(self) -> Status:
        """'Remember on this laptop' for the open session; the reason when the keyring refused."""
        problem = ""
        try:
            access.remember_on_this_laptop(self._session())
        except InvoiceVaultError as error:
            problem = str(error)
        return Status(self._info(), problem)

    def save_emergency_sheet(self, path: Path, recovery_key: str, language: str) -> Path:
        """The emergency sheet of the open vault, written where the user asked for it."""
        fileio.write_atomic(path, self.emergency_sheet(recovery_key, language))
        return path

    def emergency_sheet(self, recovery_key: str, language: str) -> bytes:
        """The emergency sheet as PDF bytes, for printing."""
        return render_emergency_sheet(
            self._session().vault_id, recovery_key, date.today(), language
        )

    def restore(
        self,
        path: Path,
        passphrase: str | None,
        recovery_key: str | None,
        *,
        progress: ProgressCallback | None = None,
        cancelled: CancelCheck | None = None,
    ) -> RestoreResult:
        """Close the open vault (its folder is about to be replaced), then restore the backup.

        The service verifies the whole backup before it swaps anything; a refusal
        leaves the vault that was there as it was.
        """
        self.lock()
        return backup.restore_backup(
            path,
            self.data_dir,
            passphrase,
            self.user,
            recovery_key,
            progress=progress,
            cancelled=cancelled,
        )

    def unlock(self, passphrase: str, remember: bool) -> Status:
        """Unlock; with ``remember``, also keep the key in the OS keyring if it lets us."""
        self.lock()
        self.session = access.unlock(self.data_dir, self.user, passphrase)
        return self.remember() if remember else Status(self._info())

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
        return VaultInfo(session.vault_id, session.user.name, session.user.role, until)
