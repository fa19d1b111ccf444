"""Wrapping the database key (DK) in keyslots, modelled on LUKS2.

* Passphrase slot: DK sealed with AES-256-GCM under the Argon2id KEK.
* Recovery slot: DK sealed with AES-256-GCM under HKDF-SHA256 of an X25519 shared
  secret between a fresh ephemeral key and the vault's recovery recipient (the
  construction of age's X25519 stanza). Because it only needs the public
  recipient, a key rotation can rewrap it without the recovery key.

The slot header (kind, user, KDF parameters and salt, or the ephemeral share)
and the vault id are the AEAD associated data, so a slot edited or moved to
another vault no longer opens.
"""

import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.jsonutil import canonical
from app.vault.kdf import SALT_BYTES, KdfParams
from app.vault.secret import SecretBuffer
from app.vault.vault_file import (
    NONCE_BYTES,
    PassphraseSlot,
    RecoverySlot,
    Remember,
    Slot,
    associated_data,
)

RECOVERY_INFO = b"invoicevault/v1 recovery keyslot"
REMEMBER_INFO = b"invoicevault/v1 remember on this laptop"


class SlotDoesNotOpen(Exception):
    """The key tried does not open this slot (wrong passphrase, wrong key or edited slot)."""


def new_passphrase_slot(
    vault_id: str, user: str, dk: SecretBuffer, kek: SecretBuffer, kdf: KdfParams, salt: bytes
) -> PassphraseSlot:
    """Seal ``dk`` under ``kek``; ``salt`` and ``kdf`` must be those ``kek`` was derived with."""
    assert len(salt) == SALT_BYTES
    template = PassphraseSlot(user, kdf, salt, b"", b"")
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(kek.reveal()).encrypt(nonce, dk.reveal(), associated_data(vault_id, template))
    return PassphraseSlot(user, kdf, salt, nonce, sealed)


def open_passphrase_slot(vault_id: str, slot: PassphraseSlot, kek: SecretBuffer) -> SecretBuffer:
    try:
        dk = AESGCM(kek.reveal()).decrypt(
            slot.nonce, slot.wrapped_key, associated_data(vault_id, slot)
        )
    except InvalidTag:
        raise SlotDoesNotOpen from None
    return SecretBuffer(dk)


def new_recovery_slot(vault_id: str, recipient_public: bytes, dk: SecretBuffer) -> RecoverySlot:
    ephemeral = X25519PrivateKey.generate()
    share = ephemeral.public_key().public_bytes_raw()
    kek = _recovery_kek(
        ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient_public)),
        share,
        recipient_public,
    )
    template = RecoverySlot(share, b"", b"")
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(kek.reveal()).encrypt(nonce, dk.reveal(), associated_data(vault_id, template))
    kek.wipe()
    return RecoverySlot(share, nonce, sealed)


def open_recovery_slot(
    vault_id: str, slot: RecoverySlot, identity: bytes | bytearray
) -> SecretBuffer:
    private = X25519PrivateKey.from_private_bytes(bytes(identity))
    recipient = private.public_key().public_bytes_raw()
    try:
        shared = private.exchange(X25519PublicKey.from_public_bytes(slot.ephemeral))
    except ValueError:  # an all-zero shared secret: a malicious ephemeral share
        raise SlotDoesNotOpen from None
    kek = _recovery_kek(shared, slot.ephemeral, recipient)
    try:
        dk = AESGCM(kek.reveal()).decrypt(
            slot.nonce, slot.wrapped_key, associated_data(vault_id, slot)
        )
    except InvalidTag:
        raise SlotDoesNotOpen from None
    finally:
        kek.wipe()
    return SecretBuffer(dk)


def _recovery_kek(shared: bytes, share: bytes, recipient: bytes) -> SecretBuffer:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=share + recipient, info=RECOVERY_INFO)
    return SecretBuffer(hkdf.derive(shared))


def rewrap(
    vault_id: str, slot: Slot, dk: SecretBuffer, kek: SecretBuffer | None, recipient_public: bytes
) -> Slot:
    """The same slot (same KDF salt, same remember state) sealing another DK."""
    if isinstance(slot, RecoverySlot):
        return new_recovery_slot(vault_id, recipient_public, dk)
    assert kek is not None
    fresh = new_passphrase_slot(vault_id, slot.user, dk, kek, slot.kdf, slot.salt)
    return PassphraseSlot(
        fresh.user, fresh.kdf, fresh.salt, fresh.nonce, fresh.wrapped_key, slot.remember
    )


def remember_mac(vault_id: str, user: str, until: str, kek: SecretBuffer) -> bytes:
    """MAC over the expiry, keyed from the KEK: extending it needs the passphrase-derived key."""
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=REMEMBER_INFO).derive(
        kek.reveal()
    )
    message = canonical({"vault_id": vault_id, "user": user, "until": until})
    return hmac.new(key, message, hashlib.sha256).digest()


def remember_is_authentic(vault_id: str, user: str, remember: Remember, kek: SecretBuffer) -> bool:
    return hmac.compare_digest(remember_mac(vault_id, user, remember.until, kek), remember.mac)
