"""age X25519 identities (the recovery key) and recipients.

An identity is 32 random bytes, written as ``AGE-SECRET-KEY-1...`` (Bech32, HRP
``age-secret-key-``, uppercase, 74 characters). Its recipient is the X25519 public key,
written as ``age1...`` (Bech32, HRP ``age``, lowercase). Both are byte-for-byte what
``age-keygen`` produces and reads (https://age-encryption.org/v1).

Secrets are handed out as ``bytearray`` so callers can wipe them (``buf[:] = bytes(32)``)
once done, and this module drops its own references as soon as it can. That is best
effort only: Python cannot guarantee wiping, because ``os.urandom``, the Bech32 decoder,
the identity text itself (``str`` is immutable) and ``cryptography`` all make copies we
cannot reach, and freed memory is not zeroed.
"""

import os

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from app.errors import InvoiceVaultError
from app.vault import bech32

IDENTITY_HRP = "age-secret-key-"
RECIPIENT_HRP = "age"
KEY_SIZE = 32
IDENTITY_LENGTH = 74  # "AGE-SECRET-KEY-1" + 52 data characters + 6 checksum characters

_IDENTITY_PREFIX = (IDENTITY_HRP + "1").upper()


class InvalidRecoveryKey(InvoiceVaultError, ValueError):
    """The text is not a usable recovery key; the message is meant for the user."""


class InvalidRecipient(InvoiceVaultError, ValueError):
    """The text is not an age X25519 recipient (``age1...``)."""


def _check_secret(secret: bytes | bytearray) -> None:
    if len(secret) != KEY_SIZE:
        raise ValueError(f"an age identity is {KEY_SIZE} bytes, not {len(secret)}")


def generate_identity() -> bytearray:
    """Return a fresh identity: 32 random bytes, mutable so the caller can wipe them."""
    return bytearray(os.urandom(KEY_SIZE))


def format_identity(secret: bytes | bytearray) -> str:
    """Write ``secret`` as ``AGE-SECRET-KEY-1...``, exactly as age-keygen does."""
    _check_secret(secret)
    return bech32.encode(IDENTITY_HRP, secret).upper()


def parse_identity(text: str) -> bytearray:
    """Read an ``AGE-SECRET-KEY-1...`` recovery key (all upper or all lower case).

    Raises ``InvalidRecoveryKey`` with a message a non-technical user understands.
    """
    text = text.strip()
    if len(text) != IDENTITY_LENGTH or not text.upper().startswith(_IDENTITY_PREFIX):
        raise InvalidRecoveryKey(
            "This is not a valid recovery key: it should start with "
            f"{_IDENTITY_PREFIX} and be {IDENTITY_LENGTH} characters long."
        )
    if text.lower() != text and text.upper() != text:
        raise InvalidRecoveryKey(
            "This is not a valid recovery key: it mixes upper- and lower-case letters."
        )
    for char in text[len(_IDENTITY_PREFIX) :]:
        if char.lower() not in bech32.CHARSET:
            raise InvalidRecoveryKey(
                f'This recovery key has a typo: "{char}" never appears after '
                f"{_IDENTITY_PREFIX} (B, I, O and 1 are not used)."
            )
    try:
        hrp, data = bech32.decode(text)
    except bech32.Bech32ChecksumError:
        raise InvalidRecoveryKey(
            "This recovery key has a typo: its checksum does not match."
        ) from None
    except bech32.Bech32Error:
        raise InvalidRecoveryKey("This is not a valid recovery key.") from None
    if hrp != IDENTITY_HRP or len(data) != KEY_SIZE:
        raise InvalidRecoveryKey("This is not a valid recovery key.")
    secret = bytearray(data)
    del data
    return secret


def recipient_of(secret: bytes | bytearray) -> str:
    """Return the ``age1...`` recipient (X25519 public key) of identity ``secret``."""
    _check_secret(secret)
    public = X25519PrivateKey.from_private_bytes(secret).public_key().public_bytes_raw()
    return bech32.encode(RECIPIENT_HRP, public)


def parse_recipient(text: str) -> bytes:
    """Read an ``age1...`` recipient into its 32-byte X25519 public key."""
    try:
        hrp, data = bech32.decode(text.strip())
    except bech32.Bech32Error as exc:
        raise InvalidRecipient(f"not an age recipient: {exc}") from None
    if hrp != RECIPIENT_HRP:
        raise InvalidRecipient("not an age recipient: it should start with age1")
    if len(data) != KEY_SIZE:
        raise InvalidRecipient(f"not an age recipient: key is {len(data)} bytes, not 32")
    return data
