"""Numbered schema migrations (app/store/sql/NNNN_name.sql), each applied in one transaction.

``PRAGMA user_version`` records the schema version inside the same transaction
as the migration's statements, so a crash leaves the database at the previous
version or the next one. A database newer than this application is refused
with a message that says what to do.
"""

import re
from importlib import resources

from app.errors import SchemaTooNew
from app.store.connection import Connection

SQL_DIR = "sql"
MIGRATION_FILE = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


def migrations() -> list[tuple[int, str]]:
    """The numbered SQL files in app/store/sql, in order: (version, script)."""
    found = []
    for entry in resources.files(__package__).joinpath(SQL_DIR).iterdir():
        match = MIGRATION_FILE.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.read_text(encoding="utf-8")))
    found.sort()
    if [v for v, _ in found] != list(range(1, len(found) + 1)):
        raise RuntimeError("app/store/sql: migration numbers must run 1, 2, 3 ... without gaps")
    return found


LATEST = len(migrations())


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
    for version, script in migrations():
        if version > found:
            _apply(conn, version, script)
    return found


def _apply(conn: Connection, version: int, script: str) -> None:
    """Run one migration script and record its version, all in one transaction."""
    try:
        conn.executescript(
            f"BEGIN IMMEDIATE;\n{script}\nPRAGMA user_version = {version:d};\nCOMMIT;"
        )
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
