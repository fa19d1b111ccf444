"""Encrypted backups as user actions: create, verify, restore (DESIGN.md section 5).

Audit: ``backup.created`` is appended to the live audit log *after* the backup file was
written, read back, verified and renamed into place, with its file name, size, SHA-256 and
the audit head the backup contains. The log therefore never claims a backup that does not
exist or did not verify, and the record links the chain to the file (its hash), while the
backup's manifest links the file to the chain (the head at snapshot time). The backup
consequently does not contain its own ``backup.created`` record; a record inside the
snapshot would have to be written before we know whether the backup succeeds.

Verify and restore need no open vault (a fresh laptop has none): they take the backup
file and a passphrase (with the user name) or the recovery key.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from app.backup import operations
from app.backup.archive import CancelCheck, ProgressCallback
from app.backup.operations import CreatedBackup, RestoreResult, VerifyReport
from app.errors import ValidationError
from app.services.permissions import Action, require
from app.services.session import Session
from app.store import audit, settings
from app.store.connection import transaction
from app.vault.backup_keys import BackupIdentity, KeyslotsIdentity, RecoveryKeyIdentity
from app.vault.vault import Vault

KEEP_DEFAULT = 10  # backups of this vault kept in a target folder
REMIND_AFTER_DAYS = 7
LAST_BACKUP_KEY = "last_backup"


@dataclass(frozen=True)
class BackupCreated:
    path: Path
    size: int
    warning: str | None  # same filesystem as the vault: say why this is not yet safe


def create_backup(
    session: Session,
    target_dir: Path,
    *,
    keep: int = KEEP_DEFAULT,
    progress: ProgressCallback | None = None,
    cancelled: CancelCheck | None = None,
) -> BackupCreated:
    """Write a verified backup of the open vault into ``target_dir``, then keep the newest
    ``keep`` backups of this vault there."""
    require(session.user.role, Action.BACKUP)
    if not 1 <= keep <= 1000:
        raise ValidationError("keep: between 1 and 1000 backups")
    created: CreatedBackup = operations.create(
        session.vault, Path(target_dir), progress=progress, cancelled=cancelled
    )
    size, sha = operations.sha256_file(created.path)
    with transaction(session.conn) as conn:
        audit.append(
            conn,
            session.user.name,
            "backup.created",
            {
                "file": created.path.name,
                "size": size,
                "sha256": sha,
                "audit_head_seq": created.manifest.audit_seq,
                "same_filesystem": created.warning is not None,
            },
        )
        settings.put(conn, LAST_BACKUP_KEY, created.manifest.created)
    operations.rotate(Path(target_dir), session.vault_id, keep)
    return BackupCreated(created.path, created.size, created.warning)


@dataclass(frozen=True)
class BackupStatus:
    last: str | None  # when the last verified backup was made (UTC), if ever
    due: bool  # older than the reminder age, or never made
    message: str  # one plain sentence for the dashboard or the CLI


def backup_status(
    session: Session, *, remind_after_days: int = REMIND_AFTER_DAYS, now: datetime | None = None
) -> BackupStatus:
    require(session.user.role, Action.VIEW)
    last = settings.get(session.conn, LAST_BACKUP_KEY)
    if last is None:
        return BackupStatus(None, True, "No backup has been made yet: make one now.")
    made = datetime.strptime(last, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    days = ((now or datetime.now(UTC)) - made).days
    when = "today" if days == 0 else "1 day ago" if days == 1 else f"{days} days ago"
    if days >= remind_after_days:
        return BackupStatus(last, True, f"The last backup was made {when}: make a new one.")
    return BackupStatus(last, False, f"The last backup was made {when}.")


def _identity(passphrase: str | None, user: str, recovery_key: str | None) -> BackupIdentity:
    if (passphrase is None) == (recovery_key is None):
        raise ValidationError("Give either a passphrase or the recovery key, not both.")
    if recovery_key is not None:
        return RecoveryKeyIdentity(recovery_key)
    assert passphrase is not None
    return KeyslotsIdentity(passphrase, user)


def verify_backup(
    path: Path,
    passphrase: str | None = None,
    user: str = "owner",
    recovery_key: str | None = None,
    *,
    progress: ProgressCallback | None = None,
    cancelled: CancelCheck | None = None,
) -> VerifyReport:
    """Decrypt and check the whole backup; nothing is written outside a temporary folder."""
    identity = _identity(passphrase, user, recovery_key)
    return operations.verify(Path(path), identity, progress=progress, cancelled=cancelled)


def restore_backup(
    path: Path,
    data_dir: Path,
    passphrase: str | None = None,
    user: str = "owner",
    recovery_key: str | None = None,
    *,
    progress: ProgressCallback | None = None,
    cancelled: CancelCheck | None = None,
) -> RestoreResult:
    """Restore the backup as the vault in ``data_dir``; a vault already there is kept aside.

    The vault in ``data_dir`` must be locked (closed) by the caller first. The restore is
    audited at the next unlock of the restored vault (nothing is unlocked here).
    """
    identity = _identity(passphrase, user, recovery_key)
    restored = operations.restore(
        Path(path), identity, Path(data_dir), progress=progress, cancelled=cancelled
    )
    Vault(restored.data_dir).throttle.record_event(
        "backup.restored",
        {
            "user": user if recovery_key is None else "-",
            "file": Path(path).name,
            "made": restored.report.created,
            "with": "recovery key" if recovery_key is not None else "passphrase",
            "previous_kept_as": restored.previous.name if restored.previous else None,
        },
    )
    return restored
