"""Argon2id key derivation for passphrase keyslots.

The floor is RFC 9106's second recommended option (m = 64 MiB, t = 3, p = 4): no
keyslot below it is ever created or accepted. New vaults are calibrated to about
one second with 256 MiB; tests and very slow machines may choose the floor, by
an explicit argument only. Parameters read from a file are bounds-checked
before anything is allocated, so a hostile vault.json cannot make us reserve
terabytes of memory or spin for hours.
"""

import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from argon2.low_level import Type, hash_secret_raw

from app.errors import ValidationError, VaultFormatError
from app.vault.secret import SecretBuffer

ARGON2_VERSION = 19  # 0x13
KEY_BYTES = 32
SALT_BYTES = 16
MAX_PASSPHRASE_CHARS = 1024

# Bounds for parameters read from disk (checked before any allocation).
MIN_MEMORY_KIB = 64 * 1024
MAX_MEMORY_KIB = 4 * 1024 * 1024  # 4 GiB
MIN_TIME_COST = 3
MAX_TIME_COST = 100
MIN_PARALLELISM = 4
MAX_PARALLELISM = 64

CALIBRATION_MEMORY_KIB = 256 * 1024
CALIBRATION_TARGET_SECONDS = 1.0


@dataclass(frozen=True)
class KdfParams:
    memory_kib: int
    time_cost: int
    parallelism: int

    def __post_init__(self) -> None:
        check_bounds(self.memory_kib, self.time_cost, self.parallelism)


def check_bounds(memory_kib: object, time_cost: object, parallelism: object) -> None:
    """Refuse parameters outside the floor and the sane maximum, with a one-line reason."""
    for name, value, low, high in (
        ("memory", memory_kib, MIN_MEMORY_KIB, MAX_MEMORY_KIB),
        ("iterations", time_cost, MIN_TIME_COST, MAX_TIME_COST),
        ("parallelism", parallelism, MIN_PARALLELISM, MAX_PARALLELISM),
    ):
        if type(value) is not int:
            raise VaultFormatError(f"Argon2id {name} must be a whole number")
        if not low <= value <= high:
            raise VaultFormatError(
                f"Argon2id {name} {value} is outside the accepted range {low}..{high}"
            )


FLOOR = KdfParams(MIN_MEMORY_KIB, MIN_TIME_COST, MIN_PARALLELISM)


def normalize_passphrase(passphrase: str) -> bytes:
    """NFC-normalise and encode, so the same passphrase typed on another OS gives the same key."""
    if not passphrase:
        raise ValidationError("passphrase: must not be empty")
    if len(passphrase) > MAX_PASSPHRASE_CHARS:
        raise ValidationError(f"passphrase: at most {MAX_PASSPHRASE_CHARS} characters")
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def derive_kek(passphrase: str, salt: bytes, params: KdfParams) -> SecretBuffer:
    """KEK = Argon2id(NFC(passphrase), salt, m, t, p), 32 bytes."""
    secret = normalize_passphrase(passphrase)
    raw = hash_secret_raw(
        secret,
        salt,
        time_cost=params.time_cost,
        memory_cost=params.memory_kib,
        parallelism=params.parallelism,
        hash_len=KEY_BYTES,
        type=Type.ID,
        version=ARGON2_VERSION,
    )
    return SecretBuffer(raw)


def calibrate(
    target_seconds: float = CALIBRATION_TARGET_SECONDS,
    clock: Callable[[], float] = time.perf_counter,
    probes: int = 2,
) -> KdfParams:
    """Pick the iteration count that takes about ``target_seconds`` at 256 MiB on this machine.

    The fastest of a few probes is used: a busy moment makes a probe slow, never fast,
    and would otherwise choose fewer iterations than the machine can afford.
    """
    probe = KdfParams(CALIBRATION_MEMORY_KIB, MIN_TIME_COST, MIN_PARALLELISM)
    fastest = float("inf")  # not money
    for _ in range(probes):
        start = clock()
        hash_secret_raw(
            b"calibration",
            b"\0" * SALT_BYTES,
            time_cost=probe.time_cost,
            memory_cost=probe.memory_kib,
            parallelism=probe.parallelism,
            hash_len=KEY_BYTES,
            type=Type.ID,
            version=ARGON2_VERSION,
        )
        fastest = min(fastest, clock() - start)
    per_pass = max(fastest, 1e-6) / probe.time_cost  # seconds
    time_cost = round(target_seconds / per_pass)
    return KdfParams(
        CALIBRATION_MEMORY_KIB, min(max(time_cost, MIN_TIME_COST), MAX_TIME_COST), MIN_PARALLELISM
    )
