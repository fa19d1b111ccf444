"""Bech32 (BIP-173) encoding, as used by age identities and recipients.

age (https://age-encryption.org/v1) writes X25519 identities (``AGE-SECRET-KEY-1...``) and
recipients (``age1...``) in Bech32 with the original BIP-173 checksum constant 1 (not
Bech32m), but without BIP-173's 90-character limit. No well-kept PyPI package offers
Bech32 without that limit, so this module implements the few dozen lines needed.

Differences from BIP-173: no 90-character limit (inputs over 1000 characters are refused
up front instead), and the data part is always 8-bit bytes packed into 5-bit groups, with
at most 4 bits of zero padding.
"""

CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
MAX_LENGTH = 1000

_CHECKSUM_LENGTH = 6
_GENERATOR = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
_CHARSET_INDEX = {c: i for i, c in enumerate(CHARSET)}


class Bech32Error(ValueError):
    """The text is not valid Bech32, or the input cannot be encoded."""


class Bech32ChecksumError(Bech32Error):
    """The text is well formed but its checksum does not match (most likely a typo)."""


def _polymod(values: list[int]) -> int:
    chk = 1
    for value in values:
        top = chk >> 25
        chk = ((chk & 0x1FFFFFF) << 5) ^ value
        for i, gen in enumerate(_GENERATOR):
            if (top >> i) & 1:
                chk ^= gen
    return chk


def _hrp_expand(hrp: str) -> list[int]:
    return [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]


def _check_hrp(hrp: str) -> None:
    if not hrp:
        raise Bech32Error("Bech32: empty human-readable part")
    if any(not 33 <= ord(c) <= 126 for c in hrp):
        raise Bech32Error("Bech32: invalid character in human-readable part")


def encode(hrp: str, data: bytes | bytearray) -> str:
    """Encode 8-bit ``data`` under ``hrp``; the result is lowercase."""
    _check_hrp(hrp)
    if hrp.lower() != hrp and hrp.upper() != hrp:
        raise Bech32Error("Bech32: mixed-case human-readable part")
    hrp = hrp.lower()
    if len(hrp) + 1 + (len(data) * 8 + 4) // 5 + _CHECKSUM_LENGTH > MAX_LENGTH:
        raise Bech32Error(f"Bech32: result would exceed {MAX_LENGTH} characters")

    values: list[int] = []
    acc = bits = 0
    for byte in data:
        acc = ((acc << 8) | byte) & 0xFFF
        bits += 8
        while bits >= 5:
            bits -= 5
            values.append((acc >> bits) & 31)
    if bits:
        values.append((acc << (5 - bits)) & 31)

    polymod = _polymod([*_hrp_expand(hrp), *values, 0, 0, 0, 0, 0, 0]) ^ 1
    checksum = [(polymod >> (5 * (5 - i))) & 31 for i in range(_CHECKSUM_LENGTH)]
    return hrp + "1" + "".join(CHARSET[v] for v in values + checksum)


def decode(text: str) -> tuple[str, bytes]:
    """Decode Bech32 ``text`` into its lowercase human-readable part and 8-bit data."""
    if len(text) > MAX_LENGTH:
        raise Bech32Error(f"Bech32: longer than {MAX_LENGTH} characters")
    if any(not 33 <= ord(c) <= 126 for c in text):
        raise Bech32Error("Bech32: invalid character")
    if text.lower() != text and text.upper() != text:
        raise Bech32Error("Bech32: mixed upper and lower case")
    text = text.lower()

    sep = text.rfind("1")
    if sep < 0:
        raise Bech32Error("Bech32: missing separator '1'")
    hrp, rest = text[:sep], text[sep + 1 :]
    _check_hrp(hrp)
    if len(rest) < _CHECKSUM_LENGTH:
        raise Bech32Error("Bech32: checksum too short")
    if any(c not in _CHARSET_INDEX for c in rest):
        raise Bech32Error("Bech32: invalid character in data part")
    values = [_CHARSET_INDEX[c] for c in rest]
    if _polymod(_hrp_expand(hrp) + values) != 1:
        raise Bech32ChecksumError("Bech32: checksum does not match")

    out = bytearray()
    acc = bits = 0
    for value in values[:-_CHECKSUM_LENGTH]:
        acc = ((acc << 5) | value) & 0xFFF
        bits += 5
        if bits >= 8:
            bits -= 8
            out.append((acc >> bits) & 0xFF)
    if bits > 4:
        raise Bech32Error("Bech32: invalid padding (more than 4 bits)")
    if acc & ((1 << bits) - 1):
        raise Bech32Error("Bech32: invalid padding (non-zero bits)")
    return hrp, bytes(out)
