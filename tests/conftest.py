"""Shared fixtures: a fresh temporary vault per test, and a keyring that is never the user's.

Every test starts with keyring's ``fail`` backend, so nothing can reach the
developer's own keyring by accident; the tests that want the real Secret Service
ask for the ``secret_service`` fixture (``make test`` starts one).
"""

import os
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from support import PASSPHRASE

from app.services import access
from app.services.session import Session
from app.vault.kdf import FLOOR


@pytest.fixture(autouse=True)
def no_user_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def secret_service() -> Iterator[None]:
    """The real Secret Service of the D-Bus session that ``make test`` starts."""
    if not os.environ.get("INVOICEVAULT_TEST_SECRET_SERVICE"):
        pytest.skip(
            "needs the Secret Service that `make test` starts (scripts/with-secret-service)"
        )
    from keyring.backends import SecretService

    backend = SecretService.Keyring()
    keyring.set_keyring(backend)
    yield


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "vault"


@pytest.fixture
def session(data_dir: Path) -> Iterator[Session]:
    """An unlocked vault created at the Argon2id floor (fast, and still never below it)."""
    created, _recovery_key = access.create_vault(data_dir, "owner", PASSPHRASE, kdf=FLOOR)
    yield created
    created.vault.lock()


@pytest.fixture
def recovery_vault(data_dir: Path) -> tuple[Path, str]:
    """A locked vault and its recovery key."""
    created, recovery_key = access.create_vault(data_dir, "owner", PASSPHRASE, kdf=FLOOR)
    created.vault.lock()
    return data_dir, recovery_key
