"""A vault on disk: create, unlock (passphrase, OS keyring, recovery key), lock.

A data folder holds ``vault.json`` (keyslots, no secret in clear), the SQLCipher
database and ``unlock-state.json`` (the back-off counter). Unlocking yields an
:class:`UnlockedVault`, which owns the open connection and the key material and
wipes it on :meth:`UnlockedVault.lock`; the rest of the program only ever sees
the connection.

Key rotation writes vault.json twice around the ``PRAGMA rekey``: first with the
next key's slots staged under ``rotation``, then with them promoted. Whatever
the moment of a crash, one of the two keys opens the database and the next
unlock finishes (or abandons) the rotation.
"""

import calendar
import os
import time
import uuid
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from app.backup import age_format
from app.errors import (
    KeyringUnavailable,
    UnknownUser,
    ValidationError,
    VaultExists,
    VaultLocked,
    VaultNotFound,
    WrongDatabaseKey,
    WrongPassphrase,
)
from app.fileio import PRIVATE_FILE_MODE, ensure_private_dir, write_atomic
from app.store import connection as db
from app.store.migrations import migrate
from app.vault import backup_keys, keyslots, os_keyring, vault_file
from app.vault.age_identity import (
    format_identity,
    generate_identity,
    parse_identity,
    parse_recipient,
    recipient_of,
)
from app.vault.kdf import SALT_BYTES, KdfParams, calibrate, derive_kek
from app.vault.secret import SecretBuffer
from app.vault.strength import require_strong
from app.vault.throttle import Throttle
from app.vault.vault_file import USER_NAME, PassphraseSlot, Remember, VaultFile

VAULT_FILE = "vault.json"
DATABASE_FILE = "invoicevault.db"
STATE_FILE = "unlock-state.json"
REMEMBER_DAYS = 14


def _iso(epoch: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def _epoch(iso: str) -> int:
    return calendar.timegm(time.strptime(iso, "%Y-%m-%dT%H:%M:%SZ"))


def check_user_name(name: str) -> None:
    if not USER_NAME.fullmatch(name):
        raise ValidationError(
            "user: 1 to 64 letters, digits, spaces or . _ @ -, starting with a letter or digit"
        )


class Vault:
    """The files of one vault in ``data_dir``; nothing is unlocked by constructing it."""

    def __init__(self, data_dir: Path, clock: Callable[[], float] = time.time) -> None:
        self.data_dir = data_dir
        self.clock = clock
        self.vault_path = data_dir / VAULT_FILE
        self.database_path = data_dir / DATABASE_FILE
        self.throttle = Throttle(data_dir / STATE_FILE, clock)

    def exists(self) -> bool:
        return self.vault_path.exists()

    def read(self) -> VaultFile:
        try:
            data = self.vault_path.read_bytes()
        except FileNotFoundError:
            raise VaultNotFound(
                f"There is no vault in {self.data_dir}: create one with 'invoicevault init'"
            ) from None
        return vault_file.parse(data)

    def save(self, vault: VaultFile) -> None:
        write_atomic(self.vault_path, vault_file.dump(vault))

    # -- creating -----------------------------------------------------------------------

    def create(
        self,
        owner: str,
        passphrase: str,
        *,
        kdf: KdfParams | None = None,
        initialize: Callable[[db.Connection], None] = lambda conn: None,
    ) -> tuple["UnlockedVault", str]:
        """Create the vault; returns it unlocked and the recovery key text (shown once).

        ``kdf`` None calibrates Argon2id to about a second on this machine; tests pass
        :data:`app.vault.kdf.FLOOR`. ``initialize`` runs on the new database before
        vault.json is written, so a crash never leaves a vault.json without its data.
        """
        check_user_name(owner)
        if self.exists():
            raise VaultExists(f"A vault already exists in {self.data_dir}")
        if self.database_path.exists():
            raise VaultExists(
                f"{self.data_dir} holds a database but no vault.json (an interrupted creation, "
                "or vault.json was removed): choose an empty folder"
            )
        require_strong(passphrase, (owner,))
        ensure_private_dir(self.data_dir)
        params = kdf or calibrate()
        salt = os.urandom(SALT_BYTES)
        kek = derive_kek(passphrase, salt, params)
        dk = SecretBuffer(os.urandom(32))
        identity = generate_identity()
        recovery_text, recipient = format_identity(identity), recipient_of(identity)
        identity[:] = bytes(len(identity))
        vault_id = uuid.uuid4().hex
        vault = VaultFile(
            vault_id=vault_id,
            created=_iso(self.clock()),
            recovery_recipient=recipient,
            slots=(
                keyslots.new_passphrase_slot(vault_id, owner, dk, kek, params, salt),
                keyslots.new_recovery_slot(vault_id, parse_recipient(recipient), dk),
            ),
        )
        conn = db.open_encrypted(self.database_path, dk, create=True)
        try:
            os.chmod(self.database_path, PRIVATE_FILE_MODE)
            migrate(conn)
            initialize(conn)
            self.save(vault)
        except BaseException:
            conn.close()
            raise
        return UnlockedVault(self, vault, owner, conn, dk, kek), recovery_text

    # -- unlocking ----------------------------------------------------------------------

    def slot_of(self, vault: VaultFile, user: str) -> PassphraseSlot:
        slot = vault.passphrase_slot(user)
        if slot is None:
            raise UnknownUser(f"This vault has no user named {user!r}")
        return slot

    def unlock(self, user: str, passphrase: str) -> "UnlockedVault":
        self.throttle.check()
        vault = self.read()
        slot = self.slot_of(vault, user)
        kek = derive_kek(passphrase, slot.salt, slot.kdf)
        try:
            dk = keyslots.open_passphrase_slot(vault.vault_id, slot, kek)
        except keyslots.SlotDoesNotOpen:
            kek.wipe()
            self.throttle.record_failure(user, "passphrase")
            raise WrongPassphrase(f"Wrong passphrase for {user}.") from None
        return self._open(vault, user, dk, kek)

    def unlock_from_keyring(self, user: str) -> "UnlockedVault":
        """The fast path; any problem raises :class:`KeyringUnavailable` with the reason."""
        vault = self.read()
        slot = self.slot_of(vault, user)
        if slot.remember is None:
            raise KeyringUnavailable(f"'remember on this laptop' is off for {user}")
        if _epoch(slot.remember.until) <= self.clock():
            self._drop_remembered(vault, user)
            raise KeyringUnavailable(
                f"the remembered key expired on {slot.remember.until[:10]}; "
                "enter your passphrase (you can choose to remember it again)"
            )
        kek = os_keyring.load(vault.vault_id, user)
        try:
            if not keyslots.remember_is_authentic(vault.vault_id, user, slot.remember, kek):
                raise keyslots.SlotDoesNotOpen
            dk = keyslots.open_passphrase_slot(vault.vault_id, slot, kek)
        except keyslots.SlotDoesNotOpen:
            kek.wipe()
            self._drop_remembered(vault, user)
            raise KeyringUnavailable(
                "the key remembered on this laptop no longer fits this vault (was the passphrase "
                "changed?); enter your passphrase"
            ) from None
        return self._open(vault, user, dk, kek)

    def reset_passphrase(
        self, recovery_key: str, user: str, new_passphrase: str, *, kdf: KdfParams | None = None
    ) -> "UnlockedVault":
        """Forgotten passphrase: the recovery key opens the vault and sets a new one."""
        self.throttle.check()
        vault = self.read()
        old_slot = self.slot_of(vault, user)
        require_strong(new_passphrase, (user,))
        identity = parse_identity(recovery_key)
        try:
            dk = keyslots.open_recovery_slot(vault.vault_id, vault.recovery_slot(), identity)
            next_dk = None
            if vault.rotation is not None:
                rotation_recovery = next(
                    s for s in vault.rotation if isinstance(s, vault_file.RecoverySlot)
                )
                next_dk = keyslots.open_recovery_slot(vault.vault_id, rotation_recovery, identity)
        except keyslots.SlotDoesNotOpen:
            self.throttle.record_failure(user, "recovery key")
            raise WrongPassphrase("This recovery key does not belong to this vault.") from None
        finally:
            identity[:] = bytes(len(identity))
        conn, dk, vault = self._connect(vault, dk, next_dk)
        params = kdf or old_slot.kdf
        salt = os.urandom(SALT_BYTES)
        kek = derive_kek(new_passphrase, salt, params)
        vault = vault.with_slot(
            keyslots.new_passphrase_slot(vault.vault_id, user, dk, kek, params, salt)
        )
        self.save(vault)
        return UnlockedVault(self, vault, user, conn, dk, kek)

    def _open(
        self, vault: VaultFile, user: str, dk: SecretBuffer, kek: SecretBuffer
    ) -> "UnlockedVault":
        next_dk = None
        staged = vault.rotation_slot_for(user)
        if staged is not None:
            try:
                next_dk = keyslots.open_passphrase_slot(vault.vault_id, staged, kek)
            except keyslots.SlotDoesNotOpen:
                next_dk = None
        conn, dk, vault = self._connect(vault, dk, next_dk)
        return UnlockedVault(self, vault, user, conn, dk, kek)

    def _connect(
        self, vault: VaultFile, dk: SecretBuffer, next_dk: SecretBuffer | None
    ) -> tuple[db.Connection, SecretBuffer, VaultFile]:
        """Open the database with the current key, or finish an interrupted rotation."""
        try:
            conn = db.open_encrypted(self.database_path, dk)
        except WrongDatabaseKey:
            if next_dk is None or vault.rotation is None:
                raise
            conn = db.open_encrypted(self.database_path, next_dk)
            dk.wipe()
            dk, vault = next_dk, replace(vault, slots=vault.rotation, rotation=None)
            self.save(vault)
            self.throttle.record_event("key.rotation_completed_after_interruption", {})
        else:
            if next_dk is not None:
                next_dk.wipe()
            if vault.rotation is not None:
                vault = replace(vault, rotation=None)
                self.save(vault)
                self.throttle.record_event("key.rotation_abandoned_after_interruption", {})
        try:
            migrate(conn)
        except BaseException:
            conn.close()
            raise
        return conn, dk, vault

    # -- the keyring, while locked ------------------------------------------------------

    def remembered_until(self, user: str) -> str | None:
        slot = self.slot_of(self.read(), user)
        return slot.remember.until if slot.remember else None

    def forget(self, user: str) -> bool:
        """Turn 'remember on this laptop' off; True if something was remembered.

        vault.json is updated even when the keyring cannot be reached, so the
        application stops using the entry; the reason is raised afterwards.
        """
        vault = self.read()
        was_on = self.slot_of(vault, user).remember is not None
        return self._drop_remembered(vault, user, strict=True) or was_on

    def _drop_remembered(self, vault: VaultFile, user: str, *, strict: bool = False) -> bool:
        """Remove the remember state from vault.json, then the keyring entry.

        ``strict`` False (on the unlock path) swallows a keyring failure: the user is
        already being told why the keyring could not be used.
        """
        slot = self.slot_of(vault, user)
        if slot.remember is not None:
            self.save(vault.with_slot(replace(slot, remember=None)))
        try:
            return os_keyring.delete(vault.vault_id, user)
        except KeyringUnavailable:
            if strict:
                raise
            return False


class UnlockedVault:
    """An open vault: the connection for the store, and key material for this module only."""

    def __init__(
        self,
        vault: Vault,
        file: VaultFile,
        user: str,
        conn: db.Connection,
        dk: SecretBuffer,
        kek: SecretBuffer,
    ) -> None:
        self.vault = vault
        self.file = file
        self.user = user
        self.conn: db.Connection | None = conn
        self._dk = dk
        self._kek = kek

    def __repr__(self) -> str:
        state = "locked" if self.conn is None else "unlocked"
        return f"UnlockedVault({self.file.vault_id}, user={self.user!r}, {state})"

    @property
    def vault_id(self) -> str:
        return self.file.vault_id

    @property
    def locked(self) -> bool:
        return self.conn is None

    def connection(self) -> db.Connection:
        if self.conn is None:
            raise VaultLocked("The vault is locked: unlock it first")
        return self.conn

    def lock(self) -> None:
        """Close the database and wipe our copies of the keys (best effort, see secret.py)."""
        if self.conn is not None:
            self.conn.close()
            self.conn = None
        self._dk.wipe()
        self._kek.wipe()

    # -- sensitive actions: each re-checks the passphrase ---------------------------------

    def _confirm(self, passphrase: str, what: str) -> SecretBuffer:
        self.connection()
        self.vault.throttle.check()
        slot = self.vault.slot_of(self.file, self.user)
        kek = derive_kek(passphrase, slot.salt, slot.kdf)
        try:
            keyslots.open_passphrase_slot(self.vault_id, slot, kek).wipe()
        except keyslots.SlotDoesNotOpen:
            kek.wipe()
            self.vault.throttle.record_failure(self.user, what)
            raise WrongPassphrase(f"Wrong passphrase for {self.user}.") from None
        return kek

    def confirm_passphrase(self, passphrase: str) -> None:
        """Check the passphrase against this user's keyslot before a sensitive action.

        Nothing changes on success; a wrong one counts as a failed attempt (the
        same back-off as unlocking) and raises :class:`WrongPassphrase`.
        """
        self._confirm(passphrase, "confirmation").wipe()

    def change_passphrase(self, current: str, new: str, *, kdf: KdfParams | None = None) -> bool:
        """Rewrap this user's slot under a new passphrase; the DK and database stay as they are.

        Returns whether 'remember on this laptop' stayed on (the keyring gets the new KEK).
        """
        self._confirm(current, "passphrase change").wipe()
        require_strong(new, (self.user,))
        old = self.vault.slot_of(self.file, self.user)
        params = kdf or old.kdf
        salt = os.urandom(SALT_BYTES)
        kek = derive_kek(new, salt, params)
        slot = keyslots.new_passphrase_slot(self.vault_id, self.user, self._dk, kek, params, salt)
        remembered = False
        if old.remember is not None:
            try:
                os_keyring.store(self.vault_id, self.user, kek)
            except KeyringUnavailable:
                pass
            else:
                mac = keyslots.remember_mac(self.vault_id, self.user, old.remember.until, kek)
                slot = replace(slot, remember=Remember(old.remember.until, mac))
                remembered = True
        self.file = self.file.with_slot(slot)
        self.vault.save(self.file)
        self._kek.wipe()
        self._kek = kek
        return remembered

    def rotate_key(self, passphrase: str) -> None:
        """New random DK: ``PRAGMA rekey`` and every slot rewrapped, crash-safe (module doc)."""
        kek = self._confirm(passphrase, "key rotation")
        try:
            others = [u for u in self.file.users() if u != self.user]
            if others:
                raise ValidationError(
                    "Rotating the database key needs the passphrase of every user; other users "
                    f"({', '.join(others)}) must be removed first and added again afterwards"
                )
            conn = self.connection()
            next_dk = SecretBuffer(os.urandom(32))
            recipient = parse_recipient(self.file.recovery_recipient)
            staged = tuple(
                keyslots.rewrap(self.vault_id, slot, next_dk, kek, recipient)
                for slot in self.file.slots
            )
            self.vault.save(replace(self.file, rotation=staged))
            try:
                db.rekey(conn, next_dk)
            except BaseException:
                self.vault.save(replace(self.file, rotation=None))
                raise
            self.file = replace(self.file, slots=staged, rotation=None)
            self.vault.save(self.file)
            self._dk.wipe()
            self._dk = next_dk
        finally:
            kek.wipe()

    def remember(self, days: int = REMEMBER_DAYS) -> str:
        """Keep this user's KEK in the OS keyring until the returned time (UTC)."""
        self.connection()
        if not 1 <= days <= 90:
            raise ValidationError("days: between 1 and 90")
        until = _iso(self.vault.clock() + days * 86400)
        os_keyring.store(self.vault_id, self.user, self._kek)
        slot = self.vault.slot_of(self.file, self.user)
        mac = keyslots.remember_mac(self.vault_id, self.user, until, self._kek)
        self.file = self.file.with_slot(replace(slot, remember=Remember(until, mac)))
        self.vault.save(self.file)
        return until

    def forget(self) -> bool:
        self.connection()
        try:
            return self.vault.forget(self.user)
        finally:
            self.file = self.vault.read()

    # -- encrypted backups (app.backup; key handling in app.vault.backup_keys) ----------------

    def backup_recipients(self) -> "list[age_format.Recipient]":
        """The two stanzas of a backup: the recovery recipient (stock ``age`` opens it) and
        the keyslots stanza (any user's passphrase opens it)."""
        self.connection()
        return [
            age_format.X25519Recipient(parse_recipient(self.file.recovery_recipient)),
            backup_keys.KeyslotsRecipient(vault_file.dump(self.file), self._dk),
        ]

    def backup_check_identity(self) -> "backup_keys.DatabaseKeyIdentity":
        """Opens a backup just written from this vault, without asking for a passphrase."""
        self.connection()
        return backup_keys.DatabaseKeyIdentity(vault_file.dump(self.file), self._dk)

    def database_key_for_backup_manifest(self) -> str:
        """The DK in hex, for the backup manifest only (DESIGN.md section 5).

        The manifest is inside the age payload, so the DK is only ever written encrypted
        under the backup's file key, which only the recovery key or a user's passphrase
        unwraps: whoever can read the manifest can already obtain the DK. Having it there
        lets stock tools (age, then sqlcipher) open the database in ten years without
        this application.
        """
        self.connection()
        return self._dk.hex()

    def export_database_snapshot(self, target: Path) -> tuple[int, str]:
        """A consistent copy of the open database in ``target`` under the same DK; returns
        the audit chain head ``(seq, hash)`` of that copy."""
        return backup_keys.export_snapshot(self.connection(), self._dk, target)
