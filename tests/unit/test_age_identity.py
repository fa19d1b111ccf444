"""age X25519 identities and recipients: known answers, age-keygen interop, user messages."""

import base64
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.vault import bech32
from app.vault.age_identity import (
    InvalidRecipient,
    InvalidRecoveryKey,
    format_identity,
    generate_identity,
    parse_identity,
    parse_recipient,
    recipient_of,
)

TESTKIT = Path(__file__).resolve().parents[2].parent / "shared" / "age-testkit"
AGE_KEYGEN = shutil.which("age-keygen")
AGE = shutil.which("age")

needs_testkit = pytest.mark.skipif(
    not (TESTKIT / "x25519").is_file(), reason=f"age test vectors not found at {TESTKIT}"
)
needs_age_keygen = pytest.mark.skipif(AGE_KEYGEN is None, reason="age-keygen is not installed")
needs_age = pytest.mark.skipif(
    AGE is None or AGE_KEYGEN is None, reason="age / age-keygen are not installed"
)


def _vector(name: str) -> tuple[dict[str, str], bytes]:
    """Split a C2SP age test vector into its text header and the age file."""
    header, _, body = (TESTKIT / name).read_bytes().partition(b"\n\n")
    fields = dict(line.split(": ", 1) for line in header.decode().splitlines())
    return fields, body


def _b64(text: bytes) -> bytes:
    return base64.b64decode(text + b"=" * (-len(text) % 4), validate=True)


def _age_keygen_y(identity: str) -> str:
    result = subprocess.run(
        [AGE_KEYGEN, "-y"], input=identity + "\n", capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


@needs_testkit
def test_known_answer_from_testkit():
    """Unwrap the X25519 stanza of the "x25519" vector with our identity and recipient.

    The wrap key's HKDF salt is ephemeral share || recipient public key, so recovering the
    published file key proves both parse_identity and recipient_of right.
    """
    fields, body = _vector("x25519")
    assert fields["expect"] == "success"
    secret = parse_identity(fields["identity"])
    recipient = parse_recipient(recipient_of(secret))

    lines = body.split(b"\n")
    index = next(i for i, line in enumerate(lines) if line.startswith(b"-> X25519 "))
    share = _b64(lines[index].split(b" ")[2])
    wrapped = _b64(lines[index + 1])

    shared = X25519PrivateKey.from_private_bytes(secret).exchange(
        X25519PublicKey.from_public_bytes(share)
    )
    wrap_key = HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=share + recipient,
        info=b"age-encryption.org/v1/X25519",
    ).derive(shared)
    file_key = ChaCha20Poly1305(wrap_key).decrypt(bytes(12), wrapped, None)
    assert file_key.hex() == fields["file key"]


@needs_testkit
def test_testkit_identities_roundtrip():
    identities = set()
    for path in sorted(TESTKIT.iterdir()):
        if path.is_file() and path.name not in {"README.md", "SOURCE.md"}:
            fields, _ = _vector(path.name)
            if "identity" in fields:
                identities.add(fields["identity"])
    x25519 = {i for i in identities if i.startswith("AGE-SECRET-KEY-1")}
    assert len(x25519) >= 2
    for other in identities - x25519:  # e.g. post-quantum AGE-SECRET-KEY-PQ-1...
        with pytest.raises(InvalidRecoveryKey):
            parse_identity(other)
    for identity in x25519:
        secret = parse_identity(identity)
        assert format_identity(secret) == identity
        assert parse_identity(identity.lower()) == secret
        if AGE_KEYGEN is not None:
            assert recipient_of(secret) == _age_keygen_y(identity)


def test_generate_format_parse_roundtrip():
    secret = generate_identity()
    assert isinstance(secret, bytearray)
    assert len(secret) == 32
    assert generate_identity() != secret
    text = format_identity(secret)
    assert text.startswith("AGE-SECRET-KEY-1")
    assert text == text.upper()
    assert len(text) == 74
    parsed = parse_identity(text)
    assert isinstance(parsed, bytearray)
    assert parsed == secret
    assert parse_identity(f"  {text.lower()}\n") == secret


def test_recipient_roundtrip():
    secret = generate_identity()
    recipient = recipient_of(secret)
    assert recipient.startswith("age1")
    assert len(recipient) == 62
    public = parse_recipient(recipient)
    assert len(public) == 32
    assert bech32.encode("age", public) == recipient
    assert parse_recipient(recipient.upper() + "\n") == public


@needs_age_keygen
def test_recipient_matches_age_keygen_y():
    secret = generate_identity()
    assert recipient_of(secret) == _age_keygen_y(format_identity(secret))


@needs_age_keygen
def test_age_keygen_identity_parses(tmp_path):
    key_file = tmp_path / "key.txt"
    subprocess.run([AGE_KEYGEN, "-o", str(key_file)], capture_output=True, check=True)
    lines = key_file.read_text().splitlines()
    identity = next(line for line in lines if line.startswith("AGE-SECRET-KEY-1"))
    public = next(line for line in lines if line.startswith("# public key: "))
    secret = parse_identity(identity)
    assert format_identity(secret) == identity
    assert recipient_of(secret) == public.removeprefix("# public key: ")


@needs_age
def test_age_decrypts_to_our_identity(tmp_path):
    secret = generate_identity()
    identity_file = tmp_path / "identity.txt"
    identity_file.write_text(format_identity(secret) + "\n")
    encrypted = subprocess.run(
        [AGE, "-r", recipient_of(secret)], input=b"hello", capture_output=True, check=True
    ).stdout
    decrypted = subprocess.run(
        [AGE, "-d", "-i", str(identity_file)], input=encrypted, capture_output=True, check=True
    ).stdout
    assert decrypted == b"hello"


def _flip(text: str, pos: int) -> str:
    charset = bech32.CHARSET.upper()
    new = charset[(charset.index(text[pos]) + 1) % len(charset)]
    return text[:pos] + new + text[pos + 1 :]


@pytest.mark.parametrize("pos", [16, 30, 50, 67, 73])
def test_flipped_character_is_a_checksum_typo(pos):
    text = format_identity(generate_identity())
    with pytest.raises(InvalidRecoveryKey, match="checksum does not match"):
        parse_identity(_flip(text, pos))


def test_excluded_character_is_a_typo():
    text = format_identity(generate_identity())
    with pytest.raises(InvalidRecoveryKey, match=r'typo: "O"'):
        parse_identity(text[:40] + "O" + text[41:])


def test_wrong_hrp_refused():
    text = bech32.encode("age-secret-kez-", bytes(32)).upper()
    assert len(text) == 74
    with pytest.raises(InvalidRecoveryKey, match="should start with AGE-SECRET-KEY-1"):
        parse_identity(text)
    with pytest.raises(InvalidRecoveryKey, match="should start with AGE-SECRET-KEY-1"):
        parse_identity(recipient_of(generate_identity()))


@pytest.mark.parametrize("size", [0, 16, 31, 33, 64])
def test_wrong_length_refused(size):
    text = bech32.encode("age-secret-key-", bytes(size)).upper()
    with pytest.raises(InvalidRecoveryKey, match="74 characters long"):
        parse_identity(text)


def test_mixed_case_refused():
    text = format_identity(generate_identity())
    with pytest.raises(InvalidRecoveryKey, match="upper- and lower-case"):
        parse_identity(text[:40] + text[40:].lower())


def test_invalid_recipient():
    with pytest.raises(InvalidRecipient):
        parse_recipient(format_identity(generate_identity()))
    with pytest.raises(InvalidRecipient):
        parse_recipient(bech32.encode("age", bytes(31)))
    with pytest.raises(InvalidRecipient):
        parse_recipient("age1 not bech32")
    recipient = recipient_of(generate_identity())
    with pytest.raises(InvalidRecipient):
        parse_recipient(recipient[:-1] + ("q" if recipient[-1] != "q" else "p"))


def test_wrong_secret_size_refused():
    with pytest.raises(ValueError):
        format_identity(bytes(31))
    with pytest.raises(ValueError):
        recipient_of(bytearray(33))
