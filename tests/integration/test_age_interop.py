"""Our age files against the stock ``age`` / ``age-keygen`` (Debian package ``age``).

The promise of DESIGN.md section 5: a backup opens with ``age -d -i recovery.txt`` without
this application. Secrets never go on a command line: identities live in 0600 files in
the test's temporary folder and are passed by path.
"""

import io
import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from app.backup.age_format import (
    AgeHeaderError,
    AgeHmacError,
    AgePayloadError,
    AgeUnsupportedError,
    Stanza,
    X25519Identity,
    X25519Recipient,
    decrypt,
    encrypt,
    read_header,
)
from app.vault.age_identity import format_identity, generate_identity, recipient_of

AGE = shutil.which("age") or ("/usr/bin/age" if Path("/usr/bin/age").exists() else None)
AGE_KEYGEN = shutil.which("age-keygen")

pytestmark = pytest.mark.skipif(
    AGE is None or AGE_KEYGEN is None,
    reason="the stock age / age-keygen are not installed (Debian package age)",
)

SIZES = [0, 1, 64 * 1024, 64 * 1024 + 1, 1024 * 1024 + 123]


def _age(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    assert AGE is not None
    return subprocess.run([AGE, *args], input=stdin, capture_output=True, timeout=60, check=False)


def _private_file(path: Path, text: str) -> Path:
    """Write ``text`` to a new file that is 0600 before any byte is in it."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    return path


@pytest.fixture
def keygen_identity(tmp_path: Path) -> tuple[Path, str]:
    """An identity made by ``age-keygen`` (key file, 0600) and its ``age1...`` recipient."""
    assert AGE_KEYGEN is not None
    key_file = tmp_path / "keygen.txt"
    subprocess.run([AGE_KEYGEN, "-o", str(key_file)], capture_output=True, check=True)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600  # age-keygen creates it so
    recipient = subprocess.run(
        [AGE_KEYGEN, "-y", str(key_file)], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert recipient.startswith("age1")
    return key_file, recipient


@pytest.fixture
def our_identity(tmp_path: Path) -> tuple[X25519Identity, Path]:
    """An identity of ours (``AGE-SECRET-KEY-1...``), also written as an age identity file."""
    secret = generate_identity()
    try:
        text = format_identity(secret)
        identity = X25519Identity(secret)
    finally:
        secret[:] = bytes(len(secret))
    key_file = _private_file(tmp_path / "recovery.txt", f"# recovery key\n{text}\n")
    return identity, key_file


@pytest.mark.parametrize("size", SIZES)
def test_stock_age_decrypts_what_we_encrypt(
    tmp_path: Path, keygen_identity: tuple[Path, str], size: int
) -> None:
    key_file, recipient = keygen_identity
    payload = os.urandom(size)
    sealed = tmp_path / "backup.ivbak"
    with sealed.open("wb") as out:
        encrypt(out, [X25519Recipient.from_string(recipient)], [payload[:1000], payload[1000:]])
    result = _age("-d", "-i", str(key_file), str(sealed))
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout == payload


@pytest.mark.parametrize("size", SIZES)
def test_we_decrypt_what_stock_age_encrypts(
    tmp_path: Path, our_identity: tuple[X25519Identity, Path], size: int
) -> None:
    identity, _ = our_identity
    payload = os.urandom(size)
    (tmp_path / "plain").write_bytes(payload)
    sealed = tmp_path / "from-age.age"
    other = recipient_of(generate_identity())
    result = _age(
        "-r", other, "-r", str(identity.recipient), "-o", str(sealed), str(tmp_path / "plain")
    )
    assert result.returncode == 0, result.stderr.decode()
    with sealed.open("rb") as inp, decrypt(inp, [identity]) as reader:
        assert b"".join(reader) == payload


def test_our_recovery_key_file_opens_with_stock_age(
    tmp_path: Path, our_identity: tuple[X25519Identity, Path]
) -> None:
    """``age -d -i recovery.txt`` with the identity text we format ourselves."""
    identity, key_file = our_identity
    sealed = tmp_path / "backup.ivbak"
    with sealed.open("wb") as out:
        encrypt(out, [identity.recipient], b"invoices")
    result = _age("-d", "-i", str(key_file), str(sealed))
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout == b"invoices"


@pytest.mark.parametrize("body_size", [0, 48, 100, 1000])
@pytest.mark.parametrize("ours_first", [True, False])
def test_stock_age_skips_our_own_stanza_type(
    tmp_path: Path, keygen_identity: tuple[Path, str], body_size: int, ours_first: bool
) -> None:
    key_file, recipient = keygen_identity
    keyslots = Stanza("invoicevault-keyslots", ("v1",), os.urandom(body_size))
    recipients: list[object] = [X25519Recipient.from_string(recipient)]
    recipients.insert(0 if ours_first else 1, lambda _file_key: keyslots)
    payload = os.urandom(70_000)
    sealed = tmp_path / "backup.ivbak"
    with sealed.open("wb") as out:
        encrypt(out, recipients, payload)
    with sealed.open("rb") as inp:
        assert keyslots in read_header(inp).stanzas  # it really is in the file

    result = _age("-d", "-i", str(key_file), str(sealed))
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout == payload


def test_tampered_files_are_refused_by_both(
    tmp_path: Path, our_identity: tuple[X25519Identity, Path]
) -> None:
    """age checks our header MAC and STREAM as we do: one changed bit, both refuse."""
    identity, key_file = our_identity
    out = io.BytesIO()
    keyslots = Stanza("invoicevault-keyslots", ("v1",), b"slot" * 20)
    encrypt(out, [identity.recipient, lambda _k: keyslots], os.urandom(70_000))
    data = out.getvalue()
    body_line = data.index(b"invoicevault-keyslots v1\n") + len(b"invoicevault-keyslots v1\n")
    mac = data.index(b"\n--- ") + 5
    cases = [
        (body_line + 3, (AgeHmacError,)),  # our own stanza's body: only the MAC notices
        (mac + 10, (AgeHeaderError, AgeHmacError)),  # the MAC itself
        (len(data) - 20, (AgePayloadError,)),  # the final chunk
        (len(data) - 70_000, (AgePayloadError,)),  # the first chunk
    ]
    for position, errors in cases:
        tampered = bytearray(data)
        tampered[position] ^= 0x01
        path = tmp_path / f"tampered-{position}.age"
        path.write_bytes(bytes(tampered))
        assert _age("-d", "-i", str(key_file), str(path)).returncode != 0, position
        with path.open("rb") as inp, pytest.raises(errors):
            b"".join(decrypt(inp, [identity]))
    assert _age("-d", "-i", str(key_file), "-o", os.devnull, stdin=data).returncode == 0


def test_armored_output_of_stock_age_is_refused_cleanly(
    tmp_path: Path, our_identity: tuple[X25519Identity, Path]
) -> None:
    identity, _ = our_identity
    result = _age("-a", "-r", str(identity.recipient), stdin=b"armored")
    assert result.returncode == 0 and result.stdout.startswith(b"-----BEGIN AGE ENCRYPTED FILE")
    with pytest.raises(AgeUnsupportedError, match="armored"):
        decrypt(io.BytesIO(result.stdout), [identity])
