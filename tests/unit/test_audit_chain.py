"""The audit log's hash chain on a real SQLCipher database."""

import os

import pytest

from app.store import audit
from app.store.connection import DatabaseError, open_encrypted, transaction
from app.store.migrations import migrate
from app.vault.secret import SecretBuffer


@pytest.fixture
def conn(tmp_path):
    connection = open_encrypted(tmp_path / "a.db", SecretBuffer(os.urandom(32)), create=True)
    migrate(connection)
    with transaction(connection):
        for i in range(1, 8):
            audit.append(connection, "owner", f"action.{i}", {"n": i, "name": "Zoë"})
    yield connection
    connection.close()


def test_an_untouched_chain_verifies(conn):
    report = audit.verify(conn)
    assert report.intact and report.entries == 7
    assert report.head == audit.head(conn)[1]


def test_triggers_refuse_update_and_delete(conn):
    with pytest.raises(DatabaseError, match="append-only"):
        conn.execute("UPDATE audit_log SET actor = 'mallory' WHERE seq = 3")
    with pytest.raises(DatabaseError, match="append-only"):
        conn.execute("DELETE FROM audit_log WHERE seq = 3")


def without_triggers(conn):
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("DROP TRIGGER audit_log_no_delete")


def test_an_edited_entry_is_the_first_broken_link(conn):
    without_triggers(conn)
    conn.execute("UPDATE audit_log SET details = '{\"n\":999}' WHERE seq = 4")
    report = audit.verify(conn)
    assert (report.first_broken, report.entries) == (4, 3)
    assert "entry 4 (action.4" in report.reason and "changed" in report.reason


def test_a_removed_entry_is_reported(conn):
    without_triggers(conn)
    conn.execute("DELETE FROM audit_log WHERE seq = 5")
    report = audit.verify(conn)
    assert report.first_broken == 5 and "missing" in report.reason


def test_a_rehashed_entry_breaks_the_next_link(conn):
    without_triggers(conn)
    row = conn.execute(
        "SELECT seq, at, actor, action, prev_hash FROM audit_log WHERE seq = 2"
    ).fetchone()
    forged = audit.entry_hash(row[4], row[0], row[1], "mallory", row[3], "{}")
    conn.execute(
        "UPDATE audit_log SET actor = 'mallory', details = '{}', hash = ? WHERE seq = 2", (forged,)
    )
    report = audit.verify(conn)
    assert report.first_broken == 3 and "does not follow entry 2" in report.reason


def test_verify_walks_more_than_one_batch(conn, monkeypatch):
    monkeypatch.setattr(audit, "VERIFY_BATCH", 2)
    assert audit.verify(conn).entries == 7
