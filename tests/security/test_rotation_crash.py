"""Key rotation survives a crash at any point: the vault opens with the old or the new key.

A child process rotates the key and is killed (os._exit or SIGKILL) at each step;
the parent then unlocks normally and checks that every row is still there.
"""

import os
import random
import signal
import subprocess
import sys
import textwrap

import pytest
from support import PASSPHRASE, ROOT

from app.services import access, audit_log
from app.store import audit
from app.store.connection import transaction

ROTATE = textwrap.dedent("""
    import os, sys
    from pathlib import Path
    from app.services import access
    from app.store import connection
    from app.vault import vault

    data_dir, crash_at = Path(sys.argv[1]), sys.argv[2]
    passphrase = sys.stdin.readline().rstrip("\\n")
    saves = []
    real_save, real_rekey = vault.Vault.save, connection.rekey

    def save(self, file):
        real_save(self, file)
        saves.append(file)
        if crash_at == f"after-save-{len(saves)}":
            os._exit(9)

    def rekey(conn, key):
        if crash_at == "before-rekey":
            os._exit(9)
        real_rekey(conn, key)
        if crash_at == "after-rekey":
            os._exit(9)

    vault.Vault.save, connection.rekey = save, rekey
    session = access.unlock(data_dir, "owner", passphrase)
    print("ready", flush=True)
    access.rotate_database_key(session, passphrase)
    print("done", flush=True)
""")
ROWS = 200


def fill(session, rows: int, size: int) -> None:
    with transaction(session.conn) as conn:
        for i in range(rows):
            audit.append(conn, "owner", "test.row", {"i": i, "pad": "x" * size})


def rotate_in_child(data_dir, crash_at: str) -> subprocess.Popen:
    child = subprocess.Popen(
        [sys.executable, "-c", ROTATE, str(data_dir), crash_at],
        cwd=ROOT,
        text=True,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    child.stdin.write(PASSPHRASE + "\n")
    child.stdin.flush()
    return child


def assert_opens_with_everything(data_dir, rows: int) -> None:
    session = access.unlock(data_dir, "owner", PASSPHRASE)
    try:
        count = session.conn.execute(
            "SELECT count(*) FROM audit_log WHERE action = 'test.row'"
        ).fetchone()[0]
        assert count == rows
        assert audit_log.verify(session).intact
    finally:
        access.lock(session)


@pytest.mark.parametrize(
    "crash_at", ["after-save-1", "before-rekey", "after-rekey", "after-save-2", "never"]
)
def test_a_crash_at_each_step_leaves_a_vault_that_opens(session, data_dir, crash_at):
    fill(session, ROWS, 100)
    access.lock(session)
    child = rotate_in_child(data_dir, crash_at)
    _, err = child.communicate(timeout=120)
    assert child.returncode == (0 if crash_at == "never" else 9), err
    assert_opens_with_everything(data_dir, ROWS)
    # and a later rotation still works
    again = rotate_in_child(data_dir, "never")
    assert again.communicate(timeout=120)[0].split() == ["ready", "done"]
    assert_opens_with_everything(data_dir, ROWS)


@pytest.mark.slow
def test_sigkill_at_random_moments_during_the_rekey(session, data_dir):
    fill(session, 3000, 3000)  # ~10 MB, so the rekey takes a noticeable time
    access.lock(session)
    rng = random.Random(1234)
    for _ in range(8):
        child = rotate_in_child(data_dir, "never")
        assert child.stdout.readline().strip() == "ready"
        try:
            child.wait(timeout=rng.uniform(0.1, 0.35))
        except subprocess.TimeoutExpired:
            os.kill(child.pid, signal.SIGKILL)
        child.communicate(timeout=60)
        assert_opens_with_everything(data_dir, 3000)
