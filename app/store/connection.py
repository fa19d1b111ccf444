"""Opening the SQLCipher database with a raw 256-bit key.

The key is handed in by :mod:`app.vault` and used for the ``PRAGMA key`` only;
this module keeps no reference to it. SQLCipher's own PBKDF2 is bypassed (our
KDF is Argon2id) and its log is silenced, so a wrong key prints nothing on stderr
and surfaces as :class:`WrongDatabaseKey`.
"""

import contextlib
from collections.abc import Iterator
from pathlib import Path

import sqlcipher3

from app.errors import VaultFormatError, WrongDatabaseKey
from app.vault.secret import SecretBuffer

Connection = sqlcipher3.Connection
DatabaseError = sqlcipher3.DatabaseError


def open_encrypted(path: Path, key: SecretBuffer, *, create: bool = False) -> Connection:
    """Open (or with ``create``, make) the database; a key that does not fit raises."""
    if not create and not path.exists():
        raise VaultFormatError(f"The database file {path.name} is missing from the data folder")
    conn = sqlcipher3.connect(str(path), isolation_level=None)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(_key_pragma("key", key))
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.DatabaseError:
        conn.close()
        raise WrongDatabaseKey(
            "The database could not be decrypted with this key: it does not belong to this "
            "vault.json, or it is damaged"
        ) from None
    conn.execute("PRAGMA busy_timeout = 10000")  # another process writing: wait, don't fail
    conn.execute("PRAGMA journal_mode = WAL").fetchone()
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA secure_delete = ON")
    return conn


def rekey(conn: Connection, new_key: SecretBuffer) -> None:
    """Re-encrypt every page under ``new_key`` in one transaction (SQLCipher ``PRAGMA rekey``).

    The WAL is checkpointed first so that no frame under the old key is left
    behind; the rekey itself commits atomically, so after a crash the database
    opens with the old key or the new one.
    """
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    conn.execute(_key_pragma("rekey", new_key))
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()


def _key_pragma(name: str, key: SecretBuffer) -> str:
    return f"PRAGMA {name} = \"x'{key.hex()}'\""


@contextlib.contextmanager
def transaction(conn: Connection) -> Iterator[Connection]:
    """One write transaction: ``BEGIN IMMEDIATE`` ... ``COMMIT``, rolled back on any error."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
