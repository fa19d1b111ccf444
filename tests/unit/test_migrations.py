"""Schema migrations: numbered, each in one transaction, the version recorded."""

import os

import pytest

from app.errors import SchemaTooNew
from app.store import migrations
from app.store.connection import open_encrypted
from app.vault.secret import SecretBuffer


@pytest.fixture
def conn(tmp_path):
    connection = open_encrypted(tmp_path / "m.db", SecretBuffer(os.urandom(32)), create=True)
    yield connection
    connection.close()


def tables(conn):
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def test_a_new_database_gets_every_migration(conn):
    assert migrations.migrate(conn) == 0
    assert migrations.schema_version(conn) == migrations.LATEST >= 1
    assert {"users", "audit_log", "settings"} <= tables(conn)
    assert migrations.migrate(conn) == migrations.LATEST  # idempotent


def test_a_failing_migration_leaves_nothing_behind(conn, monkeypatch):
    real = migrations.migrations()
    broken = "CREATE TABLE half_done (x INTEGER) STRICT;\nINSERT INTO no_such_table VALUES (1);"
    monkeypatch.setattr(migrations, "migrations", lambda: [*real, (len(real) + 1, broken)])
    monkeypatch.setattr(migrations, "LATEST", len(real) + 1)
    with pytest.raises(Exception, match="no_such_table"):
        migrations.migrate(conn)
    assert migrations.schema_version(conn) == len(real)  # the earlier ones were kept
    assert "half_done" not in tables(conn)
    assert not conn.in_transaction


def test_a_newer_schema_is_refused(conn):
    migrations.migrate(conn)
    conn.execute(f"PRAGMA user_version = {migrations.LATEST + 1}")
    with pytest.raises(SchemaTooNew, match="Install the newer version"):
        migrations.migrate(conn)
