"""Kill a restore at any moment: the vault folder still opens, whole, old or new.

A backup of vault A (with an issued invoice) is restored over vault B (another vault
with the same passphrase) by a child process that is SIGKILLed at random moments. After
each kill the data folder must unlock and be A or B, with an intact audit chain.
"""

import os
import random
import signal
import subprocess
import sys
import textwrap

from support import PASSPHRASE, ROOT, SELLER, invoice

from app.services import access, audit_log, backup, invoicing
from app.store import audit
from app.store.connection import transaction
from app.vault.kdf import FLOOR

RESTORE = textwrap.dedent("""
    import sys
    from pathlib import Path
    from app.services import backup
    passphrase = sys.stdin.readline().rstrip("\\n")
    print("ready", flush=True)
    backup.restore_backup(Path(sys.argv[1]), Path(sys.argv[2]), passphrase)
    print("done", flush=True)
""")


def test_sigkill_during_restore_leaves_a_vault_that_opens(tmp_path):
    a, _ = access.create_vault(tmp_path / "a", "owner", PASSPHRASE, kdf=FLOOR)
    invoicing.set_seller_profile(a, SELLER)
    number = invoicing.issue(a, invoicing.create_draft(a, invoice()))
    with transaction(a.conn) as conn:
        for i in range(2000):  # some bulk, so that a restore takes a moment
            audit.append(conn, "owner", "test.row", {"i": i, "pad": "x" * 2000})
    made = backup.create_backup(a, tmp_path / "usb")
    ids = {"a": a.vault_id}
    a.vault.lock()
    target = tmp_path / "b"
    b, _ = access.create_vault(target, "owner", PASSPHRASE, kdf=FLOOR)
    ids["b"] = b.vault_id
    b.vault.lock()

    rng = random.Random(7)
    for _ in range(8):
        child = subprocess.Popen(
            [sys.executable, "-c", RESTORE, str(made.path), str(target)],
            cwd=ROOT,
            text=True,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        child.stdin.write(PASSPHRASE + "\n")
        child.stdin.flush()
        assert child.stdout.readline().strip() == "ready"
        try:
            child.wait(timeout=rng.uniform(0.05, 0.8))
        except subprocess.TimeoutExpired:
            os.kill(child.pid, signal.SIGKILL)
        child.communicate(timeout=60)
        session = access.unlock(target, "owner", PASSPHRASE)
        try:
            assert session.vault_id in ids.values()
            assert audit_log.verify(session).intact
            if session.vault_id == ids["a"]:
                assert invoicing.show(session, number).number == number
        finally:
            access.lock(session)
