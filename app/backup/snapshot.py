"""The database part of a backup: a consistent encrypted snapshot, and its checks.

The snapshot is taken from the open connection (``sqlcipher_export`` inside one read
transaction, see :func:`app.vault.backup_keys.export_snapshot`), never by copying the file
of a live database, and stays encrypted under the same database key: it is never on disk
in clear, not even in the temporary folder.
"""

import os
from dataclasses import dataclass
from pathlib import Path

from app.backup.errors import BackupError
from app.backup.manifest import DATABASE_NAME
from app.errors import WrongDatabaseKey
from app.fileio import PRIVATE_FILE_MODE
from app.store import audit, integrity
from app.store.connection import DatabaseError
from app.vault import backup_keys
from app.vault.vault import UnlockedVault


@dataclass(frozen=True)
class Snapshot:
    path: Path
    audit_seq: int
    audit_hash: str


def take(unlocked: UnlockedVault, work_dir: Path) -> Snapshot:
    """Write the snapshot to ``work_dir/invoicevault.db`` (0600) and return it."""
    path = work_dir / DATABASE_NAME
    try:
        seq, digest = unlocked.export_database_snapshot(path)
    except DatabaseError:
        # SQLite says "disk I/O error" when a write fails; the one cause a user meets is a
        # full disk (the snapshot is written next to the vault, as large as the database)
        raise BackupError(
            f"Could not write the snapshot of the database in {work_dir.parent.parent}: "
            "the disk is probably full. Free some space and try again; nothing was changed."
        ) from None
    os.chmod(path, PRIVATE_FILE_MODE)
    return Snapshot(path, seq, digest)


def check(path: Path, dk_hex: str, audit_seq: int, audit_hash: str) -> None:
    """The restored database opens with the manifest's key, passes SQLCipher's
    ``cipher_integrity_check`` (every page's HMAC) and SQLite's ``integrity_check``, and its
    audit chain is intact and ends at the head the manifest recorded."""
    try:
        conn = backup_keys.open_database_copy(path, dk_hex)
    except WrongDatabaseKey:
        raise BackupError(
            "The database in this backup does not open with the key in its manifest: the "
            "backup is damaged."
        ) from None
    try:
        found = integrity.problems(conn)
        if found:
            raise BackupError(
                f"The database in this backup failed its integrity check ({found[0]}): "
                "the backup is damaged."
            )
        chain = audit.verify(conn)
        if not chain.intact:
            raise BackupError(
                f"The audit log in this backup is broken: {chain.reason}. It was altered."
            )
        if audit.head(conn) != (audit_seq, audit_hash):
            raise BackupError(
                "The audit log in this backup does not end where its manifest says: the "
                "backup is inconsistent."
            )
    except DatabaseError as exc:
        raise BackupError(
            f"The database in this backup cannot be read ({exc}): the backup is damaged."
        ) from None
    finally:
        conn.close()
