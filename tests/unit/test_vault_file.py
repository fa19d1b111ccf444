"""vault.json is untrusted input: every malformed variant gets one clear line, nothing else."""

import contextlib
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.errors import VaultFormatError
from app.vault import vault_file
from app.vault.kdf import FLOOR
from app.vault.vault_file import PassphraseSlot, RecoverySlot, Remember, VaultFile

GOOD = VaultFile(
    vault_id="0123456789abcdef0123456789abcdef",
    created="2026-11-25T10:00:00Z",
    recovery_recipient="age1a4q8dpuv3j7r6gqwn8qu3yyen2fdsfwle095gutf3xnduv0an46qz4nu9w",
    slots=(
        PassphraseSlot(
            "owner",
            FLOOR,
            b"s" * 16,
            b"n" * 12,
            b"w" * 48,
            Remember("2026-12-09T10:00:00Z", b"m" * 32),
        ),
        RecoverySlot(b"e" * 32, b"n" * 12, b"w" * 48),
    ),
)


def good_doc() -> dict:
    return json.loads(vault_file.dump(GOOD))


def refuse(doc_or_bytes: object, match: str) -> None:
    data = doc_or_bytes if isinstance(doc_or_bytes, bytes) else json.dumps(doc_or_bytes).encode()
    with pytest.raises(VaultFormatError, match=match) as info:
        vault_file.parse(data)
    assert "\n" not in str(info.value)


def test_round_trip():
    assert vault_file.parse(vault_file.dump(GOOD)) == GOOD


def test_rotation_round_trip():
    rotating = VaultFile(
        GOOD.vault_id, GOOD.created, GOOD.recovery_recipient, GOOD.slots, rotation=GOOD.slots
    )
    assert vault_file.parse(vault_file.dump(rotating)) == rotating


def test_unknown_version_is_refused_with_advice():
    doc = good_doc()
    doc["version"] = 2
    refuse(doc, "format version 2; this InvoiceVault reads version 1")


def test_not_json():
    refuse(b'{"format": ', "not valid JSON")
    refuse(b"\xff\xfe", "not valid JSON")


def test_duplicate_keys_are_refused():
    text = vault_file.dump(GOOD).decode().replace('"version": 1,', '"version": 1, "version": 1,')
    refuse(text.encode(), "duplicate key")


def test_oversized_file_is_refused_before_parsing():
    refuse(b" " * (vault_file.MAX_FILE_BYTES + 1), "larger than")


@pytest.mark.parametrize(
    ("path", "value", "match"),
    [
        (("format",), "something-else", "not an InvoiceVault vault file"),
        (("version",), "1", "whole number"),
        (("vault_id",), 42, "must be a string"),
        (("vault_id",), "../../etc", "malformed"),
        (("slots",), {}, "must be a list"),
        (("slots",), [], "1 to 64 slots"),
        (("slots", 0, "user"), "", "malformed"),
        (("slots", 0, "kind"), "fingerprint", "not a known keyslot kind"),
        (("slots", 0, "nonce"), "AAAA", "must be 12 bytes"),
        (("slots", 0, "wrapped_key"), "!" * 64, "must be 48 bytes|not base64"),
        (("slots", 0, "kdf", "algorithm"), "scrypt", "Argon2id"),
        (("slots", 0, "kdf", "memory_kib"), 2**40, "outside the accepted range"),
        (("slots", 0, "kdf", "memory_kib"), 1024, "outside the accepted range"),
        (("slots", 0, "kdf", "time_cost"), 10**9, "outside the accepted range"),
        (("slots", 0, "kdf", "parallelism"), 1, "outside the accepted range"),
        (("slots", 0, "kdf", "time_cost"), 3.5, "whole number"),
        (("slots", 0, "remember", "until"), "tomorrow", "malformed"),
        (("slots", 1, "ephemeral"), None, "must be a string"),
        (("rotation",), [], "must be an object"),
    ],
)
def test_malformed_fields_are_named(path, value, match):
    doc = good_doc()
    target = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    refuse(doc, match)


def test_unknown_field_is_refused():
    doc = good_doc()
    doc["slots"][0]["kdf"]["pepper"] = "x"
    refuse(doc, "unknown field 'pepper'")


def test_missing_field_is_named():
    doc = good_doc()
    del doc["slots"][0]["kdf"]["salt"]
    refuse(doc, r"slots\[0\].kdf.salt is missing")


def test_two_recovery_slots_or_none_are_refused():
    doc = good_doc()
    doc["slots"].append(doc["slots"][1])
    refuse(doc, "exactly one recovery slot")
    doc["slots"] = doc["slots"][:1]
    refuse(doc, "exactly one recovery slot")


def test_two_slots_for_one_user_are_refused():
    doc = good_doc()
    doc["slots"].insert(0, doc["slots"][0])
    refuse(doc, "two slots for the same user")


@settings(max_examples=300)
@given(st.binary(max_size=2048))
def test_arbitrary_bytes_give_a_format_error_or_a_vault(data):
    with contextlib.suppress(VaultFormatError):
        vault_file.parse(data)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=300)
@given(
    st.sampled_from(["slots", "rotation", "vault_id", "created", "recovery_recipient", "version"]),
    JSON,
)
def test_any_json_in_any_field_gives_a_format_error_or_a_vault(field, value):
    doc = good_doc()
    doc[field] = value
    with contextlib.suppress(VaultFormatError):
        vault_file.parse(json.dumps(doc).encode())


@settings(max_examples=300)
@given(st.sampled_from(["user", "kdf", "nonce", "wrapped_key", "remember", "kind"]), JSON)
def test_any_json_in_any_slot_field_gives_a_format_error_or_a_vault(field, value):
    doc = good_doc()
    doc["slots"][0][field] = value
    with contextlib.suppress(VaultFormatError):
        vault_file.parse(json.dumps(doc).encode())
