"""'Remember on this laptop' against the real Secret Service, and every way it can fail."""

import json
import time

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail
from support import OTHER_PASSPHRASE, PASSPHRASE

from app.errors import KeyringUnavailable
from app.services import access
from app.store import audit
from app.vault import os_keyring
from app.vault.kdf import FLOOR
from app.vault.vault import Vault


class Raising(KeyringBackend):
    """A backend that blows up on every call, as a broken D-Bus service might."""

    priority = 1  # type: ignore[assignment]

    def get_password(self, service, username):
        raise RuntimeError("D-Bus said no: secret=hunter2")

    def set_password(self, service, username, password):
        raise RuntimeError("D-Bus said no")

    def delete_password(self, service, username):
        raise RuntimeError("D-Bus said no")


def stored_secret(session) -> str | None:
    return keyring.get_password(os_keyring.SERVICE, f"vault {session.vault_id} user owner")


@pytest.mark.usefixtures("secret_service")
class TestRealSecretService:
    def test_backend_is_the_secret_service(self):
        assert type(keyring.get_keyring()).__module__ == "keyring.backends.SecretService"

    def test_remember_then_unlock_without_a_passphrase(self, session, data_dir):
        until = access.remember_on_this_laptop(session)
        assert stored_secret(session) is not None
        access.lock(session)
        reopened = access.unlock_with_keyring(data_dir, "owner")
        actions = [e.action for e in audit.recent(reopened.conn)]
        assert actions[0] == "keyring.remembered"
        assert access.keyring_status(data_dir, "owner").remembered_until == until
        access.lock(reopened)

    def test_forget_removes_the_entry_and_is_audited(self, session, data_dir):
        access.remember_on_this_laptop(session)
        access.lock(session)
        assert access.forget_while_locked(data_dir, "owner")
        assert stored_secret(session) is None
        with pytest.raises(KeyringUnavailable, match="is off"):
            access.unlock_with_keyring(data_dir, "owner")
        reopened = access.unlock(data_dir, "owner", PASSPHRASE)
        forgotten = audit.recent(reopened.conn)[0]
        assert forgotten.action == "keyring.forgotten" and forgotten.details["was_on"]
        access.lock(reopened)

    def test_expired_entry_is_not_used_and_is_removed(self, session, data_dir):
        access.remember_on_this_laptop(session, days=1)
        access.lock(session)
        later = Vault(data_dir, clock=lambda: time.time() + 2 * 86400)
        with pytest.raises(KeyringUnavailable, match="expired"):
            later.unlock_from_keyring("owner")
        assert stored_secret(session) is None
        assert access.keyring_status(data_dir, "owner").remembered_until is None

    def test_the_expiry_cannot_be_extended_by_editing_vault_json(self, session, data_dir):
        access.remember_on_this_laptop(session, days=1)
        access.lock(session)
        doc = json.loads((data_dir / "vault.json").read_text())
        doc["slots"][0]["remember"]["until"] = "2099-01-01T00:00:00Z"
        (data_dir / "vault.json").write_text(json.dumps(doc))
        with pytest.raises(KeyringUnavailable, match="no longer fits"):
            access.unlock_with_keyring(data_dir, "owner")

    def test_a_passphrase_change_keeps_the_remembered_key_working(self, session, data_dir):
        access.remember_on_this_laptop(session)
        assert access.change_passphrase(session, PASSPHRASE, OTHER_PASSPHRASE, kdf=FLOOR)
        access.lock(session)
        access.lock(access.unlock_with_keyring(data_dir, "owner"))

    def test_a_stale_key_falls_back_with_a_reason(self, session, data_dir):
        access.remember_on_this_laptop(session)
        keyring.set_password(
            os_keyring.SERVICE, f"vault {session.vault_id} user owner", "A" * 43 + "="
        )  # 32 bytes, but not this user's KEK
        access.lock(session)
        before = (data_dir / "invoicevault.db").read_bytes()
        with pytest.raises(KeyringUnavailable, match="no longer fits"):
            access.unlock_with_keyring(data_dir, "owner")
        assert (data_dir / "invoicevault.db").read_bytes() == before
        access.lock(access.unlock(data_dir, "owner", PASSPHRASE))  # nothing is lost

    def test_a_damaged_entry_falls_back(self, session, data_dir):
        access.remember_on_this_laptop(session)
        keyring.set_password(os_keyring.SERVICE, f"vault {session.vault_id} user owner", "oops")
        access.lock(session)
        with pytest.raises(KeyringUnavailable, match="damaged"):
            access.unlock_with_keyring(data_dir, "owner")


def test_no_keyring_gives_a_reason_and_changes_nothing(session, data_dir):
    keyring.set_keyring(fail.Keyring())
    before = (data_dir / "vault.json").read_bytes()
    with pytest.raises(KeyringUnavailable, match="no OS keyring is available"):
        access.remember_on_this_laptop(session)
    assert (data_dir / "vault.json").read_bytes() == before
    assert access.keyring_status(data_dir, "owner").remembered_until is None


def test_a_raising_backend_gives_a_reason_without_its_message(session, data_dir):
    keyring.set_keyring(Raising())
    with pytest.raises(KeyringUnavailable) as info:
        access.remember_on_this_laptop(session)
    assert str(info.value) == "the OS keyring failed (RuntimeError)"


def test_keyring_breaking_after_remember_falls_back_to_the_passphrase(session, data_dir):
    store: dict[tuple[str, str], str] = {}

    class Memory(KeyringBackend):
        priority = 1  # type: ignore[assignment]

        def get_password(self, service, username):
            return store.get((service, username))

        def set_password(self, service, username, password):
            store[(service, username)] = password

        def delete_password(self, service, username):
            store.pop((service, username))

    keyring.set_keyring(Memory())
    access.remember_on_this_laptop(session)
    access.lock(session)
    keyring.set_keyring(Raising())
    with pytest.raises(KeyringUnavailable, match="failed"):
        access.unlock_with_keyring(data_dir, "owner")
    keyring.set_keyring(fail.Keyring())
    with pytest.raises(KeyringUnavailable, match="no OS keyring"):
        access.unlock_with_keyring(data_dir, "owner")
    reopened = access.unlock(data_dir, "owner", PASSPHRASE)
    assert reopened.user.name == "owner"
    access.lock(reopened)
