"""Backup create, verify and restore against real vaults, real files and the stock ``age``.

Secrets never go on a command line: the recovery key for ``age -d -i`` is written to a
0600 file in the test's temporary folder.
"""

import io
import os
import re
import shutil
import stat
import subprocess
import tarfile
from pathlib import Path

import pytest
import sqlcipher3
from support import OTHER_PASSPHRASE, PASSPHRASE, SELLER, invoice

from app.backup import manifest as mf
from app.backup.errors import BackupCancelled
from app.errors import InvoiceVaultError, UnknownUser, ValidationError, WrongPassphrase
from app.services import access, backup, invoicing
from app.store import audit
from app.vault.kdf import FLOOR

AGE = shutil.which("age")


@pytest.fixture
def vault(tmp_path: Path):
    """An unlocked vault with one issued invoice, and its recovery key."""
    session, recovery_key = access.create_vault(
        tmp_path / "laptop" / "vault", "owner", PASSPHRASE, kdf=FLOOR
    )
    invoicing.set_seller_profile(session, SELLER)
    number = invoicing.issue(session, invoicing.create_draft(session, invoice()))
    yield session, recovery_key, number
    session.vault.lock()


def _listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def test_create_writes_a_private_verified_file_and_audits_it(vault, tmp_path):
    session, _key, _number = vault
    steps: list[tuple[int, int]] = []
    created = backup.create_backup(
        session, tmp_path / "usb", progress=lambda done, total: steps.append((done, total))
    )
    assert re.fullmatch(rf"{session.vault_id[:8]}-\d{{8}}T\d{{6}}Z\.ivbak", created.path.name)
    assert stat.S_IMODE(created.path.stat().st_mode) == 0o600
    assert _listing(tmp_path / "usb") == [created.path.name]  # no temporary file left
    assert not list(session.vault.vault.data_dir.glob(".backup-*"))
    assert steps and steps[-1][0] == steps[-1][1]
    assert created.warning and "same drive" in created.warning  # tmp_path: one filesystem
    last = audit.recent(session.conn, 1)[0]
    assert last.action == "backup.created" and last.details["file"] == created.path.name
    assert audit.verify(session.conn).intact
    again = backup.create_backup(session, tmp_path / "usb")
    assert again.path != created.path  # same second: a new name, nothing overwritten


def test_fresh_laptop_restore_with_a_passphrase(vault, tmp_path):
    session, recovery_key, number = vault
    created = backup.create_backup(session, tmp_path / "usb")
    entries = len(audit.recent(session.conn, 1000))
    session.vault.lock()

    report = backup.verify_backup(created.path, PASSPHRASE)
    assert report.vault_id == session.vault_id and report.entries[0].name == "invoicevault.db"
    assert backup.verify_backup(created.path, recovery_key=recovery_key).audit_seq == (
        report.audit_seq
    )

    new_dir = tmp_path / "new-laptop" / "vault"
    result = backup.restore_backup(created.path, new_dir, PASSPHRASE)
    assert result.previous is None and result.data_dir == new_dir
    assert stat.S_IMODE(new_dir.stat().st_mode) == 0o700
    assert _listing(tmp_path / "new-laptop") == [
        "vault",
        "vault/invoicevault.db",
        "vault/unlock-state.json",  # holds the restore, for the audit log at the next unlock
        "vault/vault.json",
    ]
    restored = access.unlock(new_dir, "owner", PASSPHRASE)
    try:
        assert invoicing.show(restored, number).number == number
        assert audit.verify(restored.conn).intact
        # The backup holds the log up to its snapshot; backup.created came after it, and
        # backup.restored was added at this first unlock.
        assert len(audit.recent(restored.conn, 1000)) == entries
    finally:
        restored.vault.lock()


def test_restore_with_the_recovery_key_keeps_the_passphrases(vault, tmp_path):
    session, recovery_key, number = vault
    created = backup.create_backup(session, tmp_path / "usb")
    session.vault.lock()
    new_dir = tmp_path / "other" / "vault"
    backup.restore_backup(created.path, new_dir, recovery_key=recovery_key)
    restored = access.unlock(new_dir, "owner", PASSPHRASE)
    try:
        assert invoicing.show(restored, number).number == number
        entry = audit.recent(restored.conn)[0]  # the restore, audited at the first unlock
        assert entry.action == "backup.restored" and entry.details["recorded_while_locked"]
        assert entry.details["with"] == "recovery key"
        assert entry.details["file"] == created.path.name
    finally:
        restored.vault.lock()


@pytest.mark.skipif(AGE is None, reason="the stock age tool is not installed (Debian: age)")
def test_stock_age_opens_the_backup_with_the_recovery_key(vault, tmp_path):
    session, recovery_key, number = vault
    created = backup.create_backup(session, tmp_path / "usb")
    key_file = tmp_path / "recovery.txt"
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(recovery_key + "\n")
    assert AGE is not None
    out = subprocess.run(
        [AGE, "-d", "-i", str(key_file), str(created.path)], capture_output=True, check=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(out), mode="r:") as tar:
        assert tar.getnames() == ["manifest.json", "invoicevault.db"]
        manifest = mf.parse(tar.extractfile("manifest.json").read())
        db_bytes = tar.extractfile("invoicevault.db").read()
    assert manifest.vault_id == session.vault_id
    db_path = tmp_path / "plain-tools.db"
    db_path.write_bytes(db_bytes)
    conn = sqlcipher3.connect(str(db_path))
    try:
        conn.execute(f"PRAGMA key = \"x'{manifest.database_key}'\"")
        numbers = [row[0] for row in conn.execute("SELECT number FROM documents")]
        assert number in numbers
    finally:
        conn.close()
    # Stock age cannot use our stanza, and says no key matches: it skipped it cleanly.
    keygen = shutil.which("age-keygen")
    if keygen is None:
        return
    subprocess.run([keygen, "-o", str(tmp_path / "other.txt")], capture_output=True, check=True)
    refused = subprocess.run(
        [AGE, "-d", "-i", str(tmp_path / "other.txt"), str(created.path)], capture_output=True
    )
    assert refused.returncode != 0 and b"no identity matched" in refused.stderr.lower()


def test_wrong_passphrase_user_or_key_is_refused_and_nothing_is_written(vault, tmp_path):
    session, _key, _number = vault
    created = backup.create_backup(session, tmp_path / "usb")
    target = tmp_path / "target"
    target.mkdir()
    with pytest.raises(WrongPassphrase, match="Wrong passphrase for owner"):
        backup.restore_backup(created.path, target / "vault", OTHER_PASSPHRASE)
    with pytest.raises(UnknownUser, match="no user named 'nobody'"):
        backup.verify_backup(created.path, PASSPHRASE, user="nobody")
    _other, other_key = access.create_vault(tmp_path / "v2", "owner", PASSPHRASE, kdf=FLOOR)
    _other.vault.lock()
    with pytest.raises(WrongPassphrase, match="recovery key does not open"):
        backup.restore_backup(created.path, target / "vault", recovery_key=other_key)
    assert _listing(target) == []


def test_restore_over_an_existing_vault_keeps_it_aside(vault, tmp_path):
    session, _key, number = vault
    data_dir = session.vault.vault.data_dir
    created = backup.create_backup(session, tmp_path / "usb")
    invoicing.issue(session, invoicing.create_draft(session, invoice()))  # after the backup
    session.vault.lock()
    result = backup.restore_backup(created.path, data_dir, PASSPHRASE)
    assert result.previous is not None
    assert re.fullmatch(r"vault\.before-restore-\d{8}T\d{6}Z", result.previous.name)
    old = access.unlock(result.previous, "owner", PASSPHRASE)
    new = access.unlock(data_dir, "owner", PASSPHRASE)
    try:
        assert invoicing.show(new, number).number == number
        assert len(audit.recent(old.conn, 1000)) > len(audit.recent(new.conn, 1000))
    finally:
        old.vault.lock()
        new.vault.lock()


def test_a_bad_file_over_an_existing_vault_changes_nothing(vault, tmp_path):
    session, _key, _number = vault
    data_dir = session.vault.vault.data_dir
    created = backup.create_backup(session, tmp_path / "usb")
    session.vault.lock()
    data = bytearray(created.path.read_bytes())
    data[-100] ^= 1
    bad = tmp_path / "bad.ivbak"
    bad.write_bytes(bytes(data))
    before = {p: p.read_bytes() for p in data_dir.iterdir() if p.is_file()}
    parent = _listing(data_dir.parent)
    with pytest.raises(InvoiceVaultError, match=r"tampered|damaged"):
        backup.restore_backup(bad, data_dir, PASSPHRASE)
    assert _listing(data_dir.parent) == parent
    assert {p: p.read_bytes() for p in data_dir.iterdir() if p.is_file()} == before
    access.unlock(data_dir, "owner", PASSPHRASE).vault.lock()


def test_cancel_leaves_no_file(vault, tmp_path):
    session, _key, _number = vault
    with pytest.raises(BackupCancelled):
        backup.create_backup(session, tmp_path / "usb", cancelled=lambda: True)
    assert _listing(tmp_path / "usb") == []
    created = backup.create_backup(session, tmp_path / "usb")
    calls = iter(range(1000))
    with pytest.raises(BackupCancelled):
        backup.restore_backup(
            created.path, tmp_path / "r" / "vault", PASSPHRASE, cancelled=lambda: next(calls) > 1
        )
    assert _listing(tmp_path / "r") == []


def test_verify_needs_exactly_one_key(vault, tmp_path):
    session, recovery_key, _number = vault
    created = backup.create_backup(session, tmp_path / "usb")
    with pytest.raises(ValidationError, match="either a passphrase or the recovery key"):
        backup.verify_backup(created.path, PASSPHRASE, recovery_key=recovery_key)
    with pytest.raises(ValidationError, match="either a passphrase or the recovery key"):
        backup.verify_backup(created.path)
