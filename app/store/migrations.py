"""Numbered schema migrations, each applied in one transaction.

``PRAGMA user_version`` records the schema version inside the same transaction
as the migration's statements, so a crash leaves the database at the previous
version or the next one. A database newer than this application is refused
with a message that says what to do.
"""

from app.errors import SchemaTooNew
from app.store.connection import Connection, transaction

# (version, purpose, statements). Append only: never edit a released migration.
MIGRATIONS: list[tuple[int, str, tuple[str, ...]]] = [
    (
        1,
        "users, settings and the hash-chained audit log",
        (
            """CREATE TABLE settings (
               key   TEXT PRIMARY KEY,
               value TEXT NOT NULL
           ) STRICT""",
            """CREATE TABLE users (
               id         INTEGER PRIMARY KEY,
               name       TEXT NOT NULL UNIQUE,
               role       TEXT NOT NULL
                          CHECK (role IN ('owner', 'bookkeeper', 'assistant', 'auditor')),
               created_at TEXT NOT NULL
           ) STRICT""",
            """CREATE TABLE audit_log (
               seq       INTEGER PRIMARY KEY,
               at        TEXT NOT NULL,
               actor     TEXT NOT NULL,
               action    TEXT NOT NULL,
               details   TEXT NOT NULL,
               prev_hash TEXT NOT NULL,
               hash      TEXT NOT NULL
           ) STRICT""",
            """CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
           BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
            """CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
           BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
        ),
    ),
]

LATEST = MIGRATIONS[-1][0]


def schema_version(conn: Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: Connection) -> int:
    """Bring the schema up to :data:`LATEST`; returns the version found before."""
    found = schema_version(conn)
    if found > LATEST:
        raise SchemaTooNew(
            f"This vault was written by a newer InvoiceVault (database schema {found}; this "
            f"version knows up to {LATEST}). Install the newer version to open it."
        )
    for version, _purpose, statements in MIGRATIONS:
        if version <= found:
            continue
        with transaction(conn):
            for statement in statements:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version:d}")
    return found
