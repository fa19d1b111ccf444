"""Bech32 (BIP-173 checksum, no length limit) as used by age."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.vault import bech32
from app.vault.bech32 import Bech32ChecksumError, Bech32Error, decode, encode

# BIP-173 "valid Bech32" test vectors.
BIP173_VALID = [
    "A12UEL5L",
    "a12uel5l",
    "an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs",
    "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
    "11qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqc8247j",
    "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w",
    "?1ezyfcl",
]

# BIP-173 lists this one as invalid only because it is 91 characters long; its checksum is
# valid, and age sets no length limit, so we accept it.
BIP173_TOO_LONG_FOR_BIP173 = (
    "an84characterslonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1569pvx"
)

# BIP-173 "invalid Bech32" test vectors (minus the length one above), plus the mixed-case
# cases Bitcoin Core adds.
BIP173_INVALID = [
    ("\x201nwldj5", "HRP character out of range"),
    ("\x7f1axkwrx", "HRP character out of range"),
    ("\x801eym55h", "HRP character out of range"),
    ("pzry9x0s0muk", "no separator character"),
    ("1pzry9x0s0muk", "empty HRP"),
    ("x1b4n0q5v", "invalid data character"),
    ("li1dgmt3", "too short checksum"),
    ("de1lg7wt\xff", "invalid character in checksum"),
    ("A1G7SGD8", "checksum calculated with uppercase form of HRP"),
    ("10a06t8", "empty HRP"),
    ("1qzzfhee", "empty HRP"),
    ("a12UEL5L", "mixed case"),
    ("A12uEL5L", "mixed case"),
]


@pytest.mark.parametrize("text", BIP173_VALID)
def test_bip173_valid(text):
    hrp, data = decode(text)
    assert hrp == text[: text.rfind("1")].lower()
    assert encode(hrp, data) == text.lower()


def test_bip173_valid_known_data():
    assert decode("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw") == (
        "abcdef",
        bytes.fromhex("00443214c74254b635cf84653a56d7c675be77df"),
    )
    assert decode("A12UEL5L") == ("a", b"")


def test_longer_than_90_accepted():
    hrp, data = decode(BIP173_TOO_LONG_FOR_BIP173)
    assert len(BIP173_TOO_LONG_FOR_BIP173) == 91
    assert data == b""
    assert encode(hrp, data) == BIP173_TOO_LONG_FOR_BIP173


@pytest.mark.parametrize(("text", "reason"), BIP173_INVALID)
def test_bip173_invalid(text, reason):
    with pytest.raises(Bech32Error):
        decode(text)


def test_checksum_error_is_distinguished():
    with pytest.raises(Bech32ChecksumError):
        decode("A1G7SGD8")
    with pytest.raises(Bech32ChecksumError):
        decode("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxx")


def test_errors_are_value_errors_with_one_line_messages():
    with pytest.raises(ValueError, match=r"^[^\n]+$"):
        decode("pzry9x0s0muk")


def test_mixed_case_refused():
    text = encode("age", bytes(range(32)))
    with pytest.raises(Bech32Error, match="mixed"):
        decode(text[:10] + text[10:].upper())
    with pytest.raises(Bech32Error, match="mixed"):
        encode("Age", b"x")


def test_uppercase_accepted():
    text = encode("age-secret-key-", bytes(range(32)))
    assert decode(text.upper()) == ("age-secret-key-", bytes(range(32)))


def test_too_long_refused():
    text = encode("a", bytes(590))  # 1 + 1 + 944 + 6 = 952 characters
    assert decode(text) == ("a", bytes(590))
    with pytest.raises(Bech32Error, match="1000"):
        decode("a" * 1001)
    with pytest.raises(Bech32Error, match="1000"):
        decode(text + "q" * (1001 - len(text)))
    with pytest.raises(Bech32Error, match="1000"):
        encode("a", bytes(700))


def _with_values(hrp: str, values: list[int]) -> str:
    """Bech32 string with arbitrary 5-bit values and a correct checksum."""
    polymod = bech32._polymod([*bech32._hrp_expand(hrp), *values, 0, 0, 0, 0, 0, 0]) ^ 1
    checksum = [(polymod >> (5 * (5 - i))) & 31 for i in range(6)]
    return hrp + "1" + "".join(bech32.CHARSET[v] for v in values + checksum)


def test_padding_rules():
    # One 5-bit group holds no whole byte: 5 bits of padding is too many.
    with pytest.raises(Bech32Error, match="padding"):
        decode(_with_values("a", [0]))
    # Two groups = 10 bits = 1 byte + 2 padding bits, which must be zero.
    assert decode(_with_values("a", [31, 28])) == ("a", b"\xff")
    with pytest.raises(Bech32Error, match="padding"):
        decode(_with_values("a", [31, 29]))
    # Four groups = 20 bits = 2 bytes + 4 zero padding bits is fine.
    assert decode(_with_values("a", [0, 0, 0, 0])) == ("a", b"\x00\x00")


def test_encode_refuses_bad_hrp():
    for hrp in ["", " a", "a\x7f", "é"]:
        with pytest.raises(Bech32Error):
            encode(hrp, b"")


_hrps = st.text(st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=83)


@given(hrp=_hrps, data=st.binary(max_size=400))
def test_roundtrip(hrp, data):
    hrp = hrp.lower()
    text = encode(hrp, data)
    assert text == text.lower()
    assert decode(text) == (hrp, data)
    assert decode(text.upper()) == (hrp, data)


@given(data=st.binary(min_size=1, max_size=64), index=st.integers(min_value=0), new=st.data())
def test_single_substitution_detected(data, index, new):
    text = encode("age", data)
    pos = 4 + index % (len(text) - 4)
    char = new.draw(st.sampled_from(bech32.CHARSET.replace(text[pos], "")))
    with pytest.raises(Bech32ChecksumError):
        decode(text[:pos] + char + text[pos + 1 :])
