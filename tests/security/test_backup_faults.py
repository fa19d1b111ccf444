"""Faults while making a backup: kill -9 at any moment, and a full disk.

A child process makes backups of a vault and is SIGKILLed at random moments; after
each kill the vault opens with an intact audit chain, and the backup folder holds
only whole backups that verify (never a half-written ``*.ivbak``). With the file
size limited (``RLIMIT_FSIZE``, the way a full disk looks to a program), the child
gets a clear error, and neither the vault nor the folder changes.
"""

import os
import random
import resource
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from support import PASSPHRASE, ROOT, SELLER, invoice

from app.services import access, audit_log, backup, invoicing
from app.store import audit
from app.store.connection import transaction
from app.vault.kdf import FLOOR

RESTORE = textwrap.dedent("""
    import sys
    from pathlib import Path
    from app.errors import InvoiceVaultError
    from app.services import backup
    passphrase = sys.stdin.readline().rstrip("\\n")
    print("ready", flush=True)
    try:
        backup.restore_backup(Path(sys.argv[1]), Path(sys.argv[2]), passphrase)
    except InvoiceVaultError as error:
        print("refused:", error, flush=True)
        sys.exit(1)
""")
BACKUP = textwrap.dedent("""
    import sys
    from pathlib import Path
    from app.errors import InvoiceVaultError
    from app.services import access, backup
    passphrase = sys.stdin.readline().rstrip("\\n")
    session = access.unlock(Path(sys.argv[1]), "owner", passphrase)
    print("ready", flush=True)
    try:
        while True:
            backup.create_backup(session, Path(sys.argv[2]), keep=50)
            if len(sys.argv) > 3:
                break
    except InvoiceVaultError as error:
        print("refused:", error, flush=True)
        sys.exit(1)
""")


def _vault(tmp_path: Path) -> tuple[Path, str]:
    session, _ = access.create_vault(tmp_path / "vault", "owner", PASSPHRASE, kdf=FLOOR)
    invoicing.set_seller_profile(session, SELLER)
    number = invoicing.issue(session, invoicing.create_draft(session, invoice()))
    with transaction(session.conn) as conn:
        for i in range(1500):  # some bulk, so that a backup takes a moment
            audit.append(conn, "owner", "test.row", {"i": i, "pad": "x" * 2000})
    access.lock(session)
    return tmp_path / "vault", number


def _child(
    vault: Path, folder: Path, *extra: str, limit: int | None = None, script: str = BACKUP
) -> subprocess.Popen:
    def limit_file_size() -> None:
        if limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write fails with EFBIG instead

    child = subprocess.Popen(
        [sys.executable, "-c", script, str(vault), str(folder), *extra],
        cwd=ROOT,
        text=True,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=limit_file_size,  # only setrlimit and signal, before exec
    )
    child.stdin.write(PASSPHRASE + "\n")
    child.stdin.flush()
    assert child.stdout.readline().strip() == "ready"
    return child


def _check_vault(vault: Path, number: str) -> None:
    session = access.unlock(vault, "owner", PASSPHRASE)
    try:
        assert audit_log.verify(session).intact
        assert invoicing.show(session, number).number == number
    finally:
        access.lock(session)


def test_sigkill_during_backups_leaves_the_vault_and_only_whole_backups(tmp_path):
    vault, number = _vault(tmp_path)
    folder = tmp_path / "usb"
    rng = random.Random(11)
    for _ in range(6):
        child = _child(vault, folder)
        try:
            child.wait(timeout=rng.uniform(0.05, 1.5))
        except subprocess.TimeoutExpired:
            os.kill(child.pid, signal.SIGKILL)
        child.communicate(timeout=60)
        _check_vault(vault, number)
    made = sorted(folder.glob("*.ivbak"))
    assert made, "some backups finished between the kills"
    for path in made:
        assert backup.verify_backup(path, PASSPHRASE).vault_id


def test_a_full_disk_gives_a_clear_error_and_changes_nothing(tmp_path):
    vault, number = _vault(tmp_path)
    folder = tmp_path / "usb"
    folder.mkdir()
    before = sorted(p.name for p in vault.iterdir())
    child = _child(vault, folder, "once", limit=256 * 1024)
    out, _err = child.communicate(timeout=120)
    assert child.returncode == 1
    assert out.startswith("refused:") and ("space" in out or "full" in out or "large" in out)
    assert list(folder.iterdir()) == []  # no partial file left behind
    assert sorted(p.name for p in vault.iterdir()) == before
    _check_vault(vault, number)


def test_a_full_disk_during_a_restore_changes_nothing(tmp_path):
    vault, _number = _vault(tmp_path)
    session = access.unlock(vault, "owner", PASSPHRASE)
    made = backup.create_backup(session, tmp_path / "usb")
    access.lock(session)
    target, other_number = _vault(tmp_path / "other")
    before = sorted(p.name for p in target.parent.iterdir())
    child = _child(made.path, target, limit=256 * 1024, script=RESTORE)
    out, _err = child.communicate(timeout=120)
    assert child.returncode == 1, out
    assert out.startswith("refused:") and "not enough space" in out
    assert sorted(p.name for p in target.parent.iterdir()) == before  # no temp folder left
    _check_vault(target, other_number)  # the vault that was there is untouched
