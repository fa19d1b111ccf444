"""vault.json: the versioned, secret-free description of a vault's keyslots.

The file is read as untrusted bytes: its size is capped before parsing, JSON
with duplicate keys is refused, every field is type- and length-checked, and KDF
parameters are bounds-checked before anything derives a key. Each problem is
reported as one line that says what is wrong (:class:`VaultFormatError`).

Layout (version 1)::

    {"format": "invoicevault-vault", "version": 1, "vault_id": "<32 hex>",
     "created": "2026-11-25T16:00:00Z", "recovery_recipient": "age1...",
     "slots": [<slot>, ...], "rotation": null | {"slots": [<slot>, ...]}}

    passphrase slot: {"kind": "passphrase", "user": "owner",
                      "kdf": {"algorithm": "argon2id", "version": 19, "memory_kib": ...,
                              "time_cost": ..., "parallelism": ..., "salt": "<b64>"},
                      "nonce": "<b64>", "wrapped_key": "<b64>",
                      "remember": {"until": "...Z", "mac": "<b64>"}   (optional)}
    recovery slot:   {"kind": "recovery", "ephemeral": "<b64>", "nonce": "<b64>",
                      "wrapped_key": "<b64>"}

``rotation`` holds the slots of the next database key while a key rotation is
under way (see :mod:`app.vault.rotation`).
"""

import base64
import binascii
import json
import re
from dataclasses import dataclass, field, replace
from typing import Any

from app.errors import VaultFormatError
from app.jsonutil import canonical, unique_keys
from app.vault.kdf import SALT_BYTES, KdfParams, check_bounds

FORMAT_NAME = "invoicevault-vault"
FORMAT_VERSION = 1
MAX_FILE_BYTES = 256 * 1024
MAX_SLOTS = 64
NONCE_BYTES = 12
WRAPPED_KEY_BYTES = 32 + 16  # the 32-byte key and the GCM tag
MAC_BYTES = 32
USER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._@-]{0,63}$")
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
VAULT_ID = re.compile(r"^[0-9a-f]{32}$")


@dataclass(frozen=True)
class Remember:
    """'Remember on this laptop' is on until ``until``; ``mac`` binds it to the KEK."""

    until: str
    mac: bytes


@dataclass(frozen=True)
class PassphraseSlot:
    user: str
    kdf: KdfParams
    salt: bytes
    nonce: bytes
    wrapped_key: bytes
    remember: Remember | None = None
    kind: str = field(default="passphrase", init=False)

    def header(self) -> dict[str, Any]:
        """The fields bound to the wrapped key as AEAD associated data."""
        return {"kind": self.kind, "user": self.user, "kdf": _kdf_json(self.kdf, self.salt)}


@dataclass(frozen=True)
class RecoverySlot:
    ephemeral: bytes
    nonce: bytes
    wrapped_key: bytes
    kind: str = field(default="recovery", init=False)

    def header(self) -> dict[str, Any]:
        return {"kind": self.kind, "ephemeral": _b64(self.ephemeral)}


Slot = PassphraseSlot | RecoverySlot


@dataclass(frozen=True)
class VaultFile:
    vault_id: str
    created: str
    recovery_recipient: str
    slots: tuple[Slot, ...]
    rotation: tuple[Slot, ...] | None = None

    def passphrase_slot(self, user: str) -> PassphraseSlot | None:
        return _find_passphrase_slot(self.slots, user)

    def rotation_slot_for(self, user: str) -> PassphraseSlot | None:
        return _find_passphrase_slot(self.rotation or (), user)

    def recovery_slot(self) -> RecoverySlot:
        return next(s for s in self.slots if isinstance(s, RecoverySlot))

    def users(self) -> list[str]:
        return [s.user for s in self.slots if isinstance(s, PassphraseSlot)]

    def with_slot(self, slot: PassphraseSlot) -> "VaultFile":
        """A copy in which the slot of ``slot.user`` is replaced (or added)."""
        slots = list(self.slots)
        for i, existing in enumerate(slots):
            if isinstance(existing, PassphraseSlot) and existing.user == slot.user:
                slots[i] = slot
                break
        else:
            slots.append(slot)
        return replace(self, slots=tuple(slots))


def _find_passphrase_slot(slots: tuple[Slot, ...], user: str) -> PassphraseSlot | None:
    for slot in slots:
        if isinstance(slot, PassphraseSlot) and slot.user == user:
            return slot
    return None


def associated_data(vault_id: str, slot: Slot) -> bytes:
    """Canonical JSON of format, vault id and slot header: editing any of it breaks the slot."""
    return canonical(
        {"format": FORMAT_NAME, "version": FORMAT_VERSION, "vault_id": vault_id, **slot.header()}
    )


# -- writing ---------------------------------------------------------------------------------


def dump(vault: VaultFile) -> bytes:
    doc = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "vault_id": vault.vault_id,
        "created": vault.created,
        "recovery_recipient": vault.recovery_recipient,
        "slots": [_slot_json(s) for s in vault.slots],
        "rotation": None
        if vault.rotation is None
        else {"slots": [_slot_json(s) for s in vault.rotation]},
    }
    return json.dumps(doc, indent=2, ensure_ascii=True).encode() + b"\n"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _kdf_json(params: KdfParams, salt: bytes) -> dict[str, Any]:
    return {
        "algorithm": "argon2id",
        "version": 19,
        "memory_kib": params.memory_kib,
        "time_cost": params.time_cost,
        "parallelism": params.parallelism,
        "salt": _b64(salt),
    }


def _slot_json(slot: Slot) -> dict[str, Any]:
    doc = {**slot.header(), "nonce": _b64(slot.nonce), "wrapped_key": _b64(slot.wrapped_key)}
    if isinstance(slot, PassphraseSlot) and slot.remember is not None:
        doc["remember"] = {"until": slot.remember.until, "mac": _b64(slot.remember.mac)}
    return doc


# -- reading ---------------------------------------------------------------------------------


def parse(data: bytes) -> VaultFile:
    """Parse and validate vault.json; any problem raises a one-line :class:`VaultFormatError`."""
    if len(data) > MAX_FILE_BYTES:
        raise VaultFormatError(f"vault.json is larger than {MAX_FILE_BYTES} bytes: not ours")
    try:
        doc = json.loads(data.decode("utf-8"), object_pairs_hook=unique_keys)
    except (UnicodeDecodeError, ValueError) as exc:
        raise VaultFormatError(f"vault.json is not valid JSON ({_first_line(exc)})") from None
    top = _Fields(doc, "vault.json")
    if top.str("format") != FORMAT_NAME:
        raise VaultFormatError("vault.json is not an InvoiceVault vault file")
    version = top.int("version")
    if version != FORMAT_VERSION:
        raise VaultFormatError(
            f"vault.json has format version {version}; this InvoiceVault reads version "
            f"{FORMAT_VERSION} (a newer InvoiceVault may be needed)"
        )
    top.only(
        {"format", "version", "vault_id", "created", "recovery_recipient", "slots", "rotation"}
    )
    vault_id = top.match("vault_id", VAULT_ID)
    created = top.match("created", TIMESTAMP)
    recipient = top.str("recovery_recipient")
    if not recipient.startswith("age1") or len(recipient) > 100:
        raise VaultFormatError("vault.json: recovery_recipient is not an age recipient")
    slots = _parse_slots(top.list("slots"), "slots")
    if sum(isinstance(s, RecoverySlot) for s in slots) != 1:
        raise VaultFormatError("vault.json: there must be exactly one recovery slot")
    rotation = None
    if top.raw("rotation") is not None:
        rot = _Fields(top.raw("rotation"), "rotation")
        rot.only({"slots"})
        rotation = _parse_slots(rot.list("slots"), "rotation.slots")
    return VaultFile(vault_id, created, recipient, slots, rotation)


def _parse_slots(items: list[Any], where: str) -> tuple[Slot, ...]:
    if not 1 <= len(items) <= MAX_SLOTS:
        raise VaultFormatError(f"vault.json: {where} must hold 1 to {MAX_SLOTS} slots")
    slots = tuple(_parse_slot(item, f"{where}[{i}]") for i, item in enumerate(items))
    users = [s.user for s in slots if isinstance(s, PassphraseSlot)]
    if len(users) != len(set(users)):
        raise VaultFormatError(f"vault.json: {where} has two slots for the same user")
    return slots


def _parse_slot(item: object, where: str) -> Slot:
    f = _Fields(item, where)
    kind = f.str("kind")
    if kind == "recovery":
        f.only({"kind", "ephemeral", "nonce", "wrapped_key"})
        return RecoverySlot(
            ephemeral=f.b64("ephemeral", 32),
            nonce=f.b64("nonce", NONCE_BYTES),
            wrapped_key=f.b64("wrapped_key", WRAPPED_KEY_BYTES),
        )
    if kind != "passphrase":
        raise VaultFormatError(f"vault.json: {where}.kind {kind!r} is not a known keyslot kind")
    f.only({"kind", "user", "kdf", "nonce", "wrapped_key", "remember"})
    k = _Fields(f.raw("kdf"), f"{where}.kdf")
    k.only({"algorithm", "version", "memory_kib", "time_cost", "parallelism", "salt"})
    if k.str("algorithm") != "argon2id" or k.int("version") != 19:
        raise VaultFormatError(f"vault.json: {where}.kdf must be Argon2id version 19")
    memory, time_cost, lanes = k.int("memory_kib"), k.int("time_cost"), k.int("parallelism")
    try:
        check_bounds(memory, time_cost, lanes)
    except VaultFormatError as exc:
        raise VaultFormatError(f"vault.json: {where}.kdf: {exc}") from None
    remember = None
    if "remember" in f.doc:
        r = _Fields(f.raw("remember"), f"{where}.remember")
        r.only({"until", "mac"})
        remember = Remember(until=r.match("until", TIMESTAMP), mac=r.b64("mac", MAC_BYTES))
    return PassphraseSlot(
        user=f.match("user", USER_NAME),
        kdf=KdfParams(memory, time_cost, lanes),
        salt=k.b64("salt", SALT_BYTES),
        nonce=f.b64("nonce", NONCE_BYTES),
        wrapped_key=f.b64("wrapped_key", WRAPPED_KEY_BYTES),
        remember=remember,
    )


class _Fields:
    """Typed access to one JSON object, each failure naming the field."""

    def __init__(self, doc: object, where: str) -> None:
        if not isinstance(doc, dict):
            raise VaultFormatError(f"vault.json: {where} must be an object")
        self.doc: dict[str, Any] = doc
        self.where = where

    def raw(self, name: str) -> Any:
        if name not in self.doc:
            raise VaultFormatError(f"vault.json: {self.where}.{name} is missing")
        return self.doc[name]

    def only(self, names: set[str]) -> None:
        extra = sorted(set(self.doc) - names)
        if extra:
            raise VaultFormatError(f"vault.json: {self.where} has an unknown field {extra[0]!r}")

    def str(self, name: str) -> str:
        value = self.raw(name)
        if not isinstance(value, str):
            raise VaultFormatError(f"vault.json: {self.where}.{name} must be a string")
        return value

    def int(self, name: str) -> int:
        value = self.raw(name)
        if type(value) is not int:
            raise VaultFormatError(f"vault.json: {self.where}.{name} must be a whole number")
        return value

    def list(self, name: str) -> list[Any]:
        value = self.raw(name)
        if not isinstance(value, list):
            raise VaultFormatError(f"vault.json: {self.where}.{name} must be a list")
        return value

    def match(self, name: str, pattern: re.Pattern[str]) -> str:
        value = self.str(name)
        if not pattern.fullmatch(value):
            raise VaultFormatError(f"vault.json: {self.where}.{name} is malformed")
        return value

    def b64(self, name: str, length: int) -> bytes:
        value = self.str(name)
        if len(value) != 4 * ((length + 2) // 3):
            raise VaultFormatError(f"vault.json: {self.where}.{name} must be {length} bytes")
        try:
            decoded = base64.b64decode(value, validate=True)
        except binascii.Error:
            raise VaultFormatError(f"vault.json: {self.where}.{name} is not base64") from None
        if len(decoded) != length:
            raise VaultFormatError(f"vault.json: {self.where}.{name} must be {length} bytes")
        return decoded


def _first_line(exc: Exception) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
