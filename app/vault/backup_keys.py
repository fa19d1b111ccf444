"""Key material of encrypted backups (DESIGN.md section 5): the ``invoicevault-keyslots``
age stanza, the identities that open a backup, and the database snapshot under the DK.

A backup (an age v1 file) carries two recipient stanzas:

* ``X25519`` to the vault's recovery recipient, written by :mod:`app.backup.age_format`, so
  the stock ``age -d -i recovery.txt`` opens it;
* ``-> invoicevault-keyslots v1`` of our own, whose body is canonical JSON::

      {"file_key": "<b64: nonce(12) || AES-256-GCM(file key) || tag(16)>",
       "vault": "<b64: the vault.json of the vault at backup time>"}

  The file key is sealed under ``HKDF-SHA256(DK, info="invoicevault/v1 backup file key")``
  with the SHA-256 of the embedded vault.json as associated data. Any user's passphrase
  opens a keyslot of that vault.json, which yields the DK, which unseals the file key. The
  stanza body holds no secret in clear (vault.json never does), and the whole header,
  this stanza included, is authenticated by age's header MAC once the file key is known.
  Stock age skips stanzas of unknown types.

The body is untrusted input: its size is capped before decoding, JSON with duplicate or
unknown keys is refused, and the embedded vault.json goes through the strict
:func:`app.vault.vault_file.parse` (which bounds the Argon2id parameters before any key is
derived).
"""

import base64
import binascii
import hashlib
import hmac
import json
import os
from collections.abc import Sequence
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.backup.age_format import AgeHeaderError, AgeUnsupportedError, Stanza, X25519Identity
from app.errors import InvoiceVaultError, UnknownUser, VaultFormatError
from app.jsonutil import canonical, unique_keys
from app.store import audit
from app.store import connection as db
from app.vault import keyslots, vault_file
from app.vault.age_identity import parse_identity
from app.vault.kdf import derive_kek
from app.vault.secret import SecretBuffer
from app.vault.vault_file import VaultFile

STANZA_TYPE = "invoicevault-keyslots"
STANZA_VERSION = "v1"
FILE_KEY_INFO = b"invoicevault/v1 backup file key"
_AAD_PREFIX = b"invoicevault/v1 backup keyslots\n"
FILE_KEY_SIZE = 16
_NONCE_SIZE = 12
_SEALED_SIZE = _NONCE_SIZE + FILE_KEY_SIZE + 16
# vault.json is at most 256 KiB; base64 and the JSON around it stay below this.
MAX_STANZA_BODY = 4 * vault_file.MAX_FILE_BYTES // 3 + 1024


class BackupKeyMismatch(InvoiceVaultError):
    """The keyslots of a backup do not fit the database key in its manifest."""


def _file_key_kek(dk: SecretBuffer) -> SecretBuffer:
    kdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=FILE_KEY_INFO)
    return SecretBuffer(kdf.derive(dk.reveal()))


def _aad(vault_json: bytes) -> bytes:
    return _AAD_PREFIX + hashlib.sha256(vault_json).digest()


class KeyslotsRecipient:
    """Wraps the file key for every user of the vault (age ``Recipient`` protocol)."""

    def __init__(self, vault_json: bytes, dk: SecretBuffer) -> None:
        vault_file.parse(vault_json)  # never embed a vault.json that we could not read back
        self._vault_json = bytes(vault_json)
        self._dk = dk.copy()

    def __repr__(self) -> str:
        return "KeyslotsRecipient(<vault.json>, <database key>)"

    def wrap(self, file_key: bytes | bytearray) -> Stanza:
        if len(file_key) != FILE_KEY_SIZE:
            raise ValueError("an age file key is 16 bytes")
        kek = _file_key_kek(self._dk)
        try:
            nonce = os.urandom(_NONCE_SIZE)
            sealed = AESGCM(kek.reveal()).encrypt(nonce, bytes(file_key), _aad(self._vault_json))
        finally:
            kek.wipe()
            self._dk.wipe()  # one backup, one wrap
        body = canonical(
            {
                "file_key": base64.b64encode(nonce + sealed).decode("ascii"),
                "vault": base64.b64encode(self._vault_json).decode("ascii"),
            }
        )
        return Stanza(STANZA_TYPE, (STANZA_VERSION,), body)


# --- reading the stanza ------------------------------------------------------------------


def _damaged(what: str) -> AgeHeaderError:
    return AgeHeaderError(f"This backup is damaged: its keyslots stanza {what}.")


def _b64(value: object, what: str, max_len: int) -> bytes:
    if not isinstance(value, str) or len(value) > max_len:
        raise _damaged(f"has a malformed {what}")
    try:
        return base64.b64decode(value, validate=True)
    except binascii.Error:
        raise _damaged(f"has a {what} that is not base64") from None


def parse_stanza(stanza: Stanza) -> tuple[bytes, bytes, VaultFile]:
    """The embedded vault.json (bytes and parsed) and the sealed file key of ``stanza``."""
    if stanza.args != (STANZA_VERSION,):
        raise AgeUnsupportedError(
            f"This backup's keyslots stanza has version {' '.join(stanza.args) or '(none)'}; "
            f"this InvoiceVault reads {STANZA_VERSION} (a newer InvoiceVault may be needed)."
        )
    if len(stanza.body) > MAX_STANZA_BODY:
        raise _damaged("is larger than any vault.json")
    try:
        doc = json.loads(stanza.body.decode("ascii"), object_pairs_hook=unique_keys)
    except (UnicodeDecodeError, ValueError):
        raise _damaged("is not valid JSON") from None
    if not isinstance(doc, dict) or set(doc) != {"file_key", "vault"}:
        raise _damaged("does not have exactly the fields file_key and vault")
    sealed = _b64(doc["file_key"], "file key", 4 * _SEALED_SIZE)
    if len(sealed) != _SEALED_SIZE:
        raise _damaged("holds a file key of the wrong size")
    vault_json = _b64(doc["vault"], "vault.json", MAX_STANZA_BODY)
    try:
        parsed = vault_file.parse(vault_json)
    except VaultFormatError as exc:
        raise AgeHeaderError(f"This backup is damaged: its copy of {exc}") from None
    return vault_json, sealed, parsed


def find_stanza(stanzas: Sequence[Stanza]) -> Stanza | None:
    """The (single) keyslots stanza of a header; two of them are refused."""
    found = [s for s in stanzas if s.type == STANZA_TYPE]
    if len(found) > 1:
        raise AgeHeaderError("This backup is damaged: its header has two keyslots stanzas.")
    return found[0] if found else None


def _unseal(dk: SecretBuffer, sealed: bytes, vault_json: bytes) -> bytearray | None:
    kek = _file_key_kek(dk)
    try:
        return bytearray(
            AESGCM(kek.reveal()).decrypt(
                sealed[:_NONCE_SIZE], sealed[_NONCE_SIZE:], _aad(vault_json)
            )
        )
    except InvalidTag:
        return None
    finally:
        kek.wipe()


class BackupIdentity:
    """What opens a backup; after a successful ``unwrap`` it also knows the DK it reached
    (passphrase) or can reach (recovery key), to check it against the manifest's."""

    stanzas: tuple[Stanza, ...] = ()

    def unwrap(self, stanzas: Sequence[Stanza]) -> bytes | bytearray | None:  # pragma: no cover
        raise NotImplementedError

    def vault_json(self) -> bytes:
        """The vault.json carried by the header that was unwrapped (authenticated once the
        age reader has checked the header MAC)."""
        stanza = find_stanza(self.stanzas)
        if stanza is None:
            raise AgeHeaderError(
                "This backup has no keyslots stanza: it was not made by InvoiceVault, so it "
                "cannot be restored as a vault (age can still decrypt it)."
            )
        return parse_stanza(stanza)[0]

    def check_database_key(self, dk_hex: str) -> None:  # pragma: no cover
        raise NotImplementedError

    def wipe(self) -> None:  # pragma: no cover
        raise NotImplementedError


def _dk_from_hex(dk_hex: str) -> SecretBuffer:
    if len(dk_hex) != 64 or any(c not in "0123456789abcdef" for c in dk_hex):
        raise VaultFormatError("The backup's manifest holds a malformed database key.")
    return SecretBuffer(bytes.fromhex(dk_hex))


def _mismatch() -> BackupKeyMismatch:
    return BackupKeyMismatch(
        "This backup is inconsistent: its keyslots do not open the database key in its "
        "manifest. It was not written by InvoiceVault or was altered; it cannot be restored."
    )


class KeyslotsIdentity(BackupIdentity):
    """A user's passphrase: opens the backup through its ``invoicevault-keyslots`` stanza."""

    def __init__(self, passphrase: str, user: str = "owner") -> None:
        self._passphrase = passphrase
        self.user = user
        self._dk: SecretBuffer | None = None
        self.found_stanza = False

    def __repr__(self) -> str:
        return f"KeyslotsIdentity(user={self.user!r})"

    def unwrap(self, stanzas: Sequence[Stanza]) -> bytearray | None:
        self.stanzas = tuple(stanzas)
        stanza = find_stanza(stanzas)
        if stanza is None:
            return None
        self.found_stanza = True
        vault_json, sealed, parsed = parse_stanza(stanza)
        slot = parsed.passphrase_slot(self.user)
        if slot is None:
            raise UnknownUser(
                f"This backup has no user named {self.user!r}; its users are "
                f"{', '.join(parsed.users())}."
            )
        kek = derive_kek(self._passphrase, slot.salt, slot.kdf)
        try:
            dk = keyslots.open_passphrase_slot(parsed.vault_id, slot, kek)
        except keyslots.SlotDoesNotOpen:
            return None  # wrong passphrase: the age reader reports that no key opens it
        finally:
            kek.wipe()
        file_key = _unseal(dk, sealed, vault_json)
        if file_key is None:
            dk.wipe()
            raise _mismatch()
        self._dk = dk
        return file_key

    def check_database_key(self, dk_hex: str) -> None:
        if self._dk is None:
            raise _mismatch()
        expected = _dk_from_hex(dk_hex)
        try:
            if not hmac.compare_digest(expected.reveal(), self._dk.reveal()):
                raise _mismatch()
        finally:
            expected.wipe()

    def wipe(self) -> None:
        if self._dk is not None:
            self._dk.wipe()
            self._dk = None


class RecoveryKeyIdentity(BackupIdentity):
    """The recovery key (``AGE-SECRET-KEY-1...``): opens the ``X25519`` stanza, as age does."""

    def __init__(self, recovery_key: str) -> None:
        secret = parse_identity(recovery_key)
        self._identity = X25519Identity(secret)
        self._secret = SecretBuffer(secret)  # parse_identity's buffer is wiped by this

    def __repr__(self) -> str:
        return "RecoveryKeyIdentity(<recovery key>)"

    def unwrap(self, stanzas: Sequence[Stanza]) -> bytearray | None:
        self.stanzas = tuple(stanzas)
        return self._identity.unwrap(stanzas)

    def check_database_key(self, dk_hex: str) -> None:
        parsed = vault_file.parse(self.vault_json())
        if parsed.recovery_recipient != str(self._identity.recipient):
            raise _mismatch()
        try:
            dk = keyslots.open_recovery_slot(
                parsed.vault_id, parsed.recovery_slot(), self._secret.reveal()
            )
        except keyslots.SlotDoesNotOpen:
            raise _mismatch() from None
        expected = _dk_from_hex(dk_hex)
        try:
            if not hmac.compare_digest(expected.reveal(), dk.reveal()):
                raise _mismatch()
        finally:
            expected.wipe()
            dk.wipe()

    def wipe(self) -> None:
        self._secret.wipe()


class DatabaseKeyIdentity:
    """The open vault checking its own fresh backup: unseals the keyslots stanza with the
    DK directly (no passphrase), and checks the embedded vault.json is ``vault_json``."""

    def __init__(self, vault_json: bytes, dk: SecretBuffer) -> None:
        self._vault_json = bytes(vault_json)
        self._dk = dk.copy()

    def __repr__(self) -> str:
        return "DatabaseKeyIdentity(<database key>)"

    def unwrap(self, stanzas: Sequence[Stanza]) -> bytearray | None:
        stanza = find_stanza(stanzas)
        if stanza is None or not any(s.type == "X25519" for s in stanzas):
            return None
        try:
            vault_json, sealed, _parsed = parse_stanza(stanza)
            if vault_json != self._vault_json:
                return None
            return _unseal(self._dk, sealed, vault_json)
        finally:
            self._dk.wipe()


# --- the database snapshot and its verification -----------------------------------------


def export_snapshot(conn: db.Connection, dk: SecretBuffer, target: Path) -> tuple[int, str]:
    """Copy the open database into the new file ``target``, encrypted with the same DK.

    ``sqlcipher_export`` runs inside one read transaction on the live connection, so the
    copy is consistent even while another process writes (WAL). The schema version
    (``user_version``, which sqlcipher_export does not copy) and the audit chain head are
    read in the same transaction. Returns that head ``(seq, hash)``.
    """
    if target.exists():
        raise FileExistsError(target)
    conn.execute("ATTACH DATABASE ? AS snap KEY ?", (str(target), f"x'{dk.hex()}'"))
    try:
        conn.execute("BEGIN")
        try:
            schema = int(conn.execute("PRAGMA main.user_version").fetchone()[0])
            head = audit.head(conn)
            conn.execute("SELECT sqlcipher_export('snap')").fetchone()
            conn.execute(f"PRAGMA snap.user_version = {schema:d}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    finally:
        conn.execute("DETACH DATABASE snap")
    return head


def open_database_copy(path: Path, dk_hex: str) -> db.Connection:
    """Open a database restored from a backup with the hex DK of its manifest."""
    dk = _dk_from_hex(dk_hex)
    try:
        return db.open_encrypted(path, dk)
    finally:
        dk.wipe()
