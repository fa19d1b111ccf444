import unicodedata

import pytest

from app.errors import ValidationError, VaultFormatError
from app.vault import kdf
from app.vault.kdf import FLOOR, KdfParams, calibrate, derive_kek, normalize_passphrase

SALT = bytes(range(16))


@pytest.mark.parametrize(
    ("memory", "time_cost", "lanes"),
    [
        (64 * 1024 - 1, 3, 4),  # below RFC 9106's 64 MiB
        (64 * 1024, 2, 4),  # below 3 passes
        (64 * 1024, 3, 3),  # below 4 lanes
        (4 * 1024 * 1024 + 1, 3, 4),  # above 4 GiB
        (64 * 1024, 101, 4),
        (64 * 1024, 3, 65),
        (2**62, 3, 4),
    ],
)
def test_parameters_outside_the_bounds_are_refused(memory, time_cost, lanes):
    with pytest.raises(VaultFormatError, match="outside the accepted range"):
        KdfParams(memory, time_cost, lanes)


def test_parameters_must_be_whole_numbers():
    with pytest.raises(VaultFormatError, match="whole number"):
        KdfParams(65536.0, 3, 4)  # type: ignore[arg-type]
    with pytest.raises(VaultFormatError, match="whole number"):
        KdfParams(True, 3, 4)  # type: ignore[arg-type]


def test_floor_is_rfc9106_second_recommendation():
    assert (FLOOR.memory_kib, FLOOR.time_cost, FLOOR.parallelism) == (65536, 3, 4)


def test_same_passphrase_in_nfd_and_nfc_gives_the_same_key():
    nfc = "Café crème brûlée à Zürich"
    nfd = unicodedata.normalize("NFD", nfc)
    assert nfd != nfc
    assert derive_kek(nfc, SALT, FLOOR) == derive_kek(nfd, SALT, FLOOR)
    assert derive_kek(nfc, SALT, FLOOR) != derive_kek(nfc + "!", SALT, FLOOR)


def test_kek_depends_on_salt_and_is_32_bytes():
    a = derive_kek("glacier mango sprocket velvet", SALT, FLOOR)
    b = derive_kek("glacier mango sprocket velvet", bytes(16), FLOOR)
    assert len(a) == 32 and a != b


def test_known_answer_against_argon2_reference():
    # Independent computation with argon2-cffi's high-level hasher, same parameters.
    from argon2 import PasswordHasher
    from argon2.low_level import Type

    encoded = PasswordHasher(
        time_cost=3, memory_cost=65536, parallelism=4, hash_len=32, salt_len=16, type=Type.ID
    ).hash("pässword", salt=SALT)
    import base64

    raw = base64.b64decode(encoded.rsplit("$", 1)[1] + "==")
    assert derive_kek("pässword", SALT, FLOOR).reveal() == raw


@pytest.mark.parametrize("passphrase", ["", "x" * 1025])
def test_empty_or_huge_passphrases_are_refused(passphrase):
    with pytest.raises(ValidationError):
        normalize_passphrase(passphrase)


def test_calibration_scales_iterations_to_the_target():
    ticks = iter([0.0, 0.6, 1.0, 1.3])  # a busy probe (0.6 s), then 0.3 s: 0.1 s a pass
    params = calibrate(1.0, clock=lambda: next(ticks))
    assert params == KdfParams(256 * 1024, 10, 4)


def test_calibration_never_goes_below_the_floor_on_a_slow_machine():
    ticks = iter([0.0, 30.0, 30.0, 60.0])
    params = calibrate(1.0, clock=lambda: next(ticks))
    assert params.time_cost == kdf.MIN_TIME_COST and params.memory_kib >= 256 * 1024
