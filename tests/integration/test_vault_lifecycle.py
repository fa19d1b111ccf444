"""Create, unlock, change, rotate, recover: on real files, real SQLCipher, real Argon2id."""

import json
import os
import stat

import pytest
from support import OTHER_PASSPHRASE, PASSPHRASE

from app.errors import (
    SchemaTooNew,
    UnknownUser,
    VaultExists,
    VaultFormatError,
    WeakPassphrase,
    WrongDatabaseKey,
    WrongPassphrase,
)
from app.services import access, audit_log
from app.store import audit
from app.store.connection import open_encrypted
from app.vault.age_identity import InvalidRecoveryKey
from app.vault.kdf import FLOOR
from app.vault.secret import SecretBuffer
from app.vault.vault import Vault


def snapshot(data_dir):
    """The bytes of the vault's files that must not change on a refused action."""
    return {
        p.name: p.read_bytes() for p in sorted(data_dir.iterdir()) if p.name != "unlock-state.json"
    }


def test_files_are_private(session, data_dir):
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    for name in ("vault.json", "invoicevault.db", "invoicevault.db-wal", "unlock-state.json"):
        if (data_dir / name).exists():
            assert stat.S_IMODE((data_dir / name).stat().st_mode) == 0o600, name


def test_created_vault_unlocks_with_its_passphrase_only(session, data_dir):
    access.lock(session)
    before = snapshot(data_dir)
    with pytest.raises(WrongPassphrase, match="Wrong passphrase for owner"):
        access.unlock(data_dir, "owner", OTHER_PASSPHRASE)
    assert snapshot(data_dir) == before
    reopened = access.unlock(data_dir, "owner", PASSPHRASE)
    assert reopened.user.role == "owner"
    entries = [e.action for e in audit.recent(reopened.conn)]
    assert entries == ["unlock.failed", "vault.created"]
    access.lock(reopened)


def test_unknown_user_is_named(session, data_dir):
    with pytest.raises(UnknownUser, match="no user named 'mallory'"):
        access.unlock(data_dir, "mallory", PASSPHRASE)


def test_creating_over_an_existing_vault_is_refused(session, data_dir):
    with pytest.raises(VaultExists):
        access.create_vault(data_dir, "owner", OTHER_PASSPHRASE, kdf=FLOOR)


def test_weak_passphrase_creates_nothing(data_dir):
    with pytest.raises(WeakPassphrase):
        access.create_vault(data_dir, "owner", "password123", kdf=FLOOR)
    assert not data_dir.exists()


def test_the_passphrase_slot_records_the_kdf_parameters_used(session, data_dir):
    slot = json.loads((data_dir / "vault.json").read_text())["slots"][0]
    assert slot["kdf"]["memory_kib"] == 65536 and slot["kdf"]["time_cost"] == 3


def test_calibrated_vault_uses_at_least_256_mib(tmp_path):
    created, _ = access.create_vault(tmp_path / "v", "owner", PASSPHRASE)  # calibrated
    slot = json.loads((tmp_path / "v" / "vault.json").read_text())["slots"][0]
    assert slot["kdf"]["memory_kib"] >= 256 * 1024 and slot["kdf"]["time_cost"] >= 3
    access.lock(created)


def test_nfd_passphrase_opens_a_vault_made_with_nfc(data_dir):
    created, _ = access.create_vault(data_dir, "owner", "Crème brûlée façade Ærøskøbing", kdf=FLOOR)
    access.lock(created)
    nfd = "Cre\u0300me bru\u0302le\u0301e fac\u0327ade \u00c6r\u00f8sk\u00f8bing"
    access.lock(access.unlock(data_dir, "owner", nfd))


@pytest.mark.parametrize(
    ("edit", "error"),
    [
        (lambda d: d["slots"][0]["kdf"].update(salt="A" * 22 + "=="), WrongPassphrase),
        (lambda d: d["slots"][0]["kdf"].update(time_cost=4), WrongPassphrase),
        (lambda d: d["slots"][0].update(nonce="A" * 16), WrongPassphrase),
        (lambda d: d.update(vault_id="f" * 32), WrongPassphrase),
        (lambda d: d["slots"][0].update(user="boss"), UnknownUser),
        (lambda d: d.update(version=7), VaultFormatError),
        (lambda d: d["slots"][0]["kdf"].update(memory_kib=2**31), VaultFormatError),
        (lambda d: d["slots"][0]["kdf"].update(time_cost="3"), VaultFormatError),
    ],
)
def test_tampered_vault_json_gives_a_clear_message_and_changes_nothing(
    session, data_dir, edit, error
):
    access.lock(session)
    doc = json.loads((data_dir / "vault.json").read_text())
    edit(doc)
    (data_dir / "vault.json").write_text(json.dumps(doc))
    before = snapshot(data_dir)
    with pytest.raises(error) as info:
        access.unlock(data_dir, "owner", PASSPHRASE)
    assert "\n" not in str(info.value) and str(info.value)
    assert snapshot(data_dir) == before


def test_vault_json_of_another_vault_does_not_open_this_database(session, data_dir, tmp_path):
    access.lock(session)
    other, _ = access.create_vault(tmp_path / "other", "owner", PASSPHRASE, kdf=FLOOR)
    access.lock(other)
    (data_dir / "vault.json").write_bytes((tmp_path / "other" / "vault.json").read_bytes())
    with pytest.raises(WrongDatabaseKey, match=r"does not belong to this vault\.json"):
        access.unlock(data_dir, "owner", PASSPHRASE)


def test_change_passphrase_rewraps_one_slot_and_keeps_the_database(session, data_dir):
    dk = SecretBuffer(session.vault._dk.reveal())
    recovery_before = json.loads((data_dir / "vault.json").read_text())["slots"][1]
    with pytest.raises(WrongPassphrase):
        access.change_passphrase(session, OTHER_PASSPHRASE, OTHER_PASSPHRASE, kdf=FLOOR)
    with pytest.raises(WeakPassphrase):
        access.change_passphrase(session, PASSPHRASE, "password1", kdf=FLOOR)
    access.change_passphrase(session, PASSPHRASE, OTHER_PASSPHRASE, kdf=FLOOR)
    access.lock(session)
    assert json.loads((data_dir / "vault.json").read_text())["slots"][1] == recovery_before
    open_encrypted(data_dir / "invoicevault.db", dk).close()  # same database key
    with pytest.raises(WrongPassphrase):
        access.unlock(data_dir, "owner", PASSPHRASE)
    reopened = access.unlock(data_dir, "owner", OTHER_PASSPHRASE)
    actions = [e.action for e in audit.recent(reopened.conn)]
    assert "passphrase.changed" in actions and audit_log.verify(reopened).intact
    access.lock(reopened)


def test_rotation_changes_the_database_key_and_rewraps_every_slot(recovery_vault):
    data_dir, recovery_key = recovery_vault
    session = access.unlock(data_dir, "owner", PASSPHRASE)
    old_dk = SecretBuffer(session.vault._dk.reveal())
    with pytest.raises(WrongPassphrase):
        access.rotate_database_key(session, OTHER_PASSPHRASE)
    access.rotate_database_key(session, PASSPHRASE)
    assert audit.recent(session.conn)[0].action == "key.rotated"
    access.lock(session)
    with pytest.raises(WrongDatabaseKey):
        open_encrypted(data_dir / "invoicevault.db", old_dk)
    doc = json.loads((data_dir / "vault.json").read_text())
    assert doc["rotation"] is None
    reopened = access.unlock(data_dir, "owner", PASSPHRASE)
    assert audit_log.verify(reopened).intact
    access.lock(reopened)
    # the recovery slot was rewrapped too: the recovery key still opens the vault
    access.lock(
        access.reset_passphrase(data_dir, recovery_key, "owner", OTHER_PASSPHRASE, kdf=FLOOR)
    )


def test_recovery_key_sets_a_new_passphrase(recovery_vault):
    data_dir, recovery_key = recovery_vault
    session = access.reset_passphrase(data_dir, recovery_key.lower(), "owner", OTHER_PASSPHRASE)
    assert audit.recent(session.conn)[0].action == "passphrase.reset_with_recovery_key"
    access.lock(session)
    with pytest.raises(WrongPassphrase):
        access.unlock(data_dir, "owner", PASSPHRASE)
    access.lock(access.unlock(data_dir, "owner", OTHER_PASSPHRASE))


def test_a_recovery_key_of_another_vault_or_with_a_typo_is_refused(recovery_vault, tmp_path):
    data_dir, recovery_key = recovery_vault
    _, foreign = access.create_vault(tmp_path / "other", "owner", PASSPHRASE, kdf=FLOOR)
    before = snapshot(data_dir)
    with pytest.raises(WrongPassphrase, match="does not belong to this vault"):
        access.reset_passphrase(data_dir, foreign, "owner", OTHER_PASSPHRASE)
    typo = recovery_key[:-3] + ("Q" if recovery_key[-3] != "Q" else "P") + recovery_key[-2:]
    with pytest.raises(InvalidRecoveryKey, match="typo"):
        access.reset_passphrase(data_dir, typo, "owner", OTHER_PASSPHRASE)
    assert snapshot(data_dir) == before


def test_a_database_newer_than_the_application_is_refused(session, data_dir):
    dk = SecretBuffer(session.vault._dk.reveal())
    access.lock(session)
    conn = open_encrypted(data_dir / "invoicevault.db", dk)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(SchemaTooNew, match=r"newer InvoiceVault .*schema 99"):
        access.unlock(data_dir, "owner", PASSPHRASE)


def test_lock_closes_the_database_and_wipes_the_keys(session):
    unlocked = session.vault
    dk_buffer = unlocked._dk._buf
    access.lock(session)
    assert unlocked.locked and unlocked._dk.wiped and unlocked._kek.wiped
    assert dk_buffer == bytearray(len(dk_buffer))
    with pytest.raises(Exception, match="locked"):
        _ = session.conn


def test_failed_unlocks_back_off_and_are_audited_later(session, data_dir):
    access.lock(session)
    for _ in range(3):
        with pytest.raises(WrongPassphrase):
            access.unlock(data_dir, "owner", OTHER_PASSPHRASE)
    from app.errors import UnlockThrottled

    with pytest.raises(UnlockThrottled):
        access.unlock(data_dir, "owner", PASSPHRASE)  # even the right one must wait
    state = json.loads((data_dir / "unlock-state.json").read_text())
    state["last_failure"] -= 60  # as if a minute had passed (and the app had restarted)
    (data_dir / "unlock-state.json").write_text(json.dumps(state))
    reopened = access.unlock(data_dir, "owner", PASSPHRASE)
    failed = [e for e in audit.recent(reopened.conn) if e.action == "unlock.failed"]
    assert len(failed) == 3 and all(e.details["recorded_while_locked"] for e in failed)
    access.lock(reopened)
    access.lock(access.unlock(data_dir, "owner", PASSPHRASE))  # counter reset after success


def test_the_environment_cannot_lower_the_kdf(monkeypatch, data_dir):
    for name in ("INVOICEVAULT_KDF", "INVOICEVAULT_TEST", "ARGON2_MEMORY"):
        monkeypatch.setenv(name, "1")
    created, _ = access.create_vault(data_dir, "owner", PASSPHRASE)
    slot = json.loads((data_dir / "vault.json").read_text())["slots"][0]
    assert slot["kdf"]["memory_kib"] >= 256 * 1024
    access.lock(created)


def test_a_folder_with_a_database_but_no_vault_json_is_not_overwritten(session, data_dir):
    access.lock(session)
    os.remove(data_dir / "vault.json")
    with pytest.raises(VaultExists, match=r"holds a database but no vault\.json"):
        Vault(data_dir).create("owner", PASSPHRASE, kdf=FLOOR)
