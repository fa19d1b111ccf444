"""The age v1 container of backups: every C2SP CCTV vector, round trips, tampering, limits.

The vectors (../shared/age-testkit, ``cctv-age@0.2.0``) are decrypted exactly as the
testkit README asks: the outcome must be the expected one, and the plaintext handed out
(even before a payload failure) must hash to the vector's ``payload``. Vectors that need a
feature we do not implement (armor, scrypt passphrases, post-quantum identities) must fail
with an ``AgeError`` and nothing else.
"""

import hashlib
import io
import itertools
import os
import random
import zlib
from collections import Counter
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.backup.age_format import (
    CHUNK_SIZE,
    MAX_HEADER_SIZE,
    MAX_LINE_LENGTH,
    MAX_STANZAS,
    NONCE_SIZE,
    TAG_SIZE,
    AgeError,
    AgeHeaderError,
    AgeHmacError,
    AgeNoIdentityMatch,
    AgePayloadError,
    AgeReader,
    AgeUnsupportedError,
    AgeWriter,
    Header,
    Identity,
    Stanza,
    X25519Identity,
    X25519Recipient,
    b64decode,
    b64encode,
    decrypt,
    encrypt,
    read_header,
)
from app.errors import InvoiceVaultError
from app.vault.age_identity import (
    InvalidRecipient,
    format_identity,
    generate_identity,
    parse_identity,
    recipient_of,
)

TESTKIT = Path(__file__).resolve().parents[2].parent / "shared" / "age-testkit"
EXPECTED = {
    "success": None,
    "header failure": AgeHeaderError,
    "HMAC failure": AgeHmacError,
    "payload failure": AgePayloadError,
    "no match": AgeNoIdentityMatch,
    "armor failure": None,  # we never de-armor: every armored vector is "unsupported"
}
SEALED_CHUNK = CHUNK_SIZE + TAG_SIZE


# --- the C2SP CCTV test vectors ---------------------------------------------------------


def _vector_files() -> list[Path]:
    if not TESTKIT.is_dir():
        return []
    return sorted(p for p in TESTKIT.iterdir() if p.is_file() and p.suffix != ".md")


def _vector_params(*, headers_only: bool = False) -> list[object]:
    """One parameter per vector file (id = its name); a skip when the testkit is absent.

    ``headers_only``: the vectors with a well-formed binary header (README: every vector
    that is not a header failure can test header round trips).
    """
    files = _vector_files()
    if not files:
        return [
            pytest.param(
                None,
                id="no-testkit",
                marks=pytest.mark.skip(reason=f"age test vectors not found at {TESTKIT}"),
            )
        ]
    if headers_only:
        files = [
            path
            for path in files
            if (fields := _load_vector(path)[0])["expect"] != ["header failure"]
            and fields.get("armored") != ["yes"]
        ]
    return [pytest.param(path, id=path.name) for path in files]


def _load_vector(path: Path) -> tuple[dict[str, list[str]], bytes]:
    """The README's format: ``key: value`` lines (keys may repeat), a blank line, the file."""
    head, _, body = path.read_bytes().partition(b"\n\n")
    fields: dict[str, list[str]] = {}
    for line in head.decode().splitlines():
        key, _, value = line.partition(": ")
        fields.setdefault(key, []).append(value)
    if fields.get("compressed") == ["zlib"]:
        body = zlib.decompress(body)
    return fields, body


def _unsupported(fields: dict[str, list[str]]) -> str | None:
    """The feature of this vector that we do not implement, if any."""
    if fields.get("armored") == ["yes"]:
        return "armor"
    if "passphrase" in fields:
        return "scrypt"
    if any(not i.startswith("AGE-SECRET-KEY-1") for i in fields.get("identity", [])):
        return "non-X25519 identity"
    return None


def _decrypt_all(data: bytes, identities: list[X25519Identity]) -> tuple[bytes, Exception | None]:
    """Everything the reader hands out, and the error that stopped it (if any)."""
    released = bytearray()
    try:
        with decrypt(io.BytesIO(data), identities) as reader:
            for chunk in reader:
                released += chunk
    except Exception as exc:  # the test decides which exceptions are acceptable
        return bytes(released), exc
    return bytes(released), None


@pytest.mark.parametrize("path", _vector_params())
def test_cctv_vector(path: Path) -> None:
    fields, body = _load_vector(path)
    expect = fields["expect"][0]
    assert expect in EXPECTED, f"unknown expectation {expect!r}"
    identities = [
        X25519Identity(parse_identity(text))
        for text in fields.get("identity", [])
        if text.startswith("AGE-SECRET-KEY-1")
    ]
    released, error = _decrypt_all(body, identities)

    if _unsupported(fields):
        assert isinstance(error, AgeError), f"{path.name}: {error!r}"
        _assert_one_line(error)
        return
    if expect == "success":
        assert error is None, f"{path.name}: {error}"
        assert hashlib.sha256(released).hexdigest() == fields["payload"][0]
        return
    assert type(error) is EXPECTED[expect], f"{path.name}: expected {expect}, got {error!r}"
    _assert_one_line(error)
    if expect == "payload failure":
        # The testkit's rule: what was released before the failure is exactly what the
        # reference implementation releases (always authenticated plaintext).
        assert hashlib.sha256(released).hexdigest() == fields["payload"][0]
    else:
        assert released == b""


def test_cctv_vectors_are_all_there_and_classified() -> None:
    files = _vector_files()
    if not files:
        pytest.skip(f"age test vectors not found at {TESTKIT}")
    outcomes = Counter()
    for path in files:
        fields, _ = _load_vector(path)
        outcomes[fields["expect"][0]] += 1
        assert fields["expect"][0] in EXPECTED
    assert len(files) >= 143  # SOURCE.md: 143 vectors in cctv-age@0.2.0
    assert all(outcomes[kind] for kind in EXPECTED)


@pytest.mark.parametrize("path", _vector_params(headers_only=True))
def test_cctv_header_round_trip(path: Path) -> None:
    """README: any vector that is not a header failure re-encodes to the same header bytes."""
    _, body = _load_vector(path)
    header = read_header(io.BytesIO(body))
    encoded = header.encode()
    assert body.startswith(encoded)
    assert read_header(io.BytesIO(encoded)) == header


# --- helpers ----------------------------------------------------------------------------


def _assert_one_line(error: BaseException | None) -> None:
    assert isinstance(error, InvoiceVaultError)
    message = str(error)
    assert message.strip() == message and message and "\n" not in message, repr(message)


@pytest.fixture(scope="module")
def identity() -> X25519Identity:
    return X25519Identity(generate_identity())


def _seal(identity: X25519Identity, payload: bytes, extra: list[Stanza] | None = None) -> bytes:
    out = io.BytesIO()
    recipients: list[object] = [identity.recipient]
    recipients += [lambda _key, s=s: s for s in extra or []]
    encrypt(out, recipients, payload)
    return out.getvalue()


def _header_length(data: bytes) -> int:
    return len(read_header(io.BytesIO(data)).encode())


def _open(data: bytes, identity: Identity) -> bytes:
    with decrypt(io.BytesIO(data), [identity]) as reader:
        return reader.read()


def _refused(data: bytes, identity: X25519Identity) -> AgeError:
    _, error = _decrypt_all(data, [identity])
    assert isinstance(error, AgeError), f"accepted, or failed with {error!r}"
    _assert_one_line(error)
    return error


class _KeySpy:
    """A recipient of our own type that records the file key it was lent (tests only)."""

    def __init__(self) -> None:
        self.lent: bytearray | None = None
        self.copy = b""

    def wrap(self, file_key: bytes | bytearray) -> Stanza:
        assert isinstance(file_key, bytearray)
        self.lent, self.copy = file_key, bytes(file_key)
        return Stanza("invoicevault-test/spy", ("v1",), b"")


class _Trickle(io.RawIOBase):
    """A non-seekable stream that hands out at most ``step`` bytes per read."""

    def __init__(self, data: bytes, step: int) -> None:
        self._data, self._pos, self._step = data, 0, step

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        n = min(len(buffer), self._step, len(self._data) - self._pos)
        buffer[:n] = self._data[self._pos : self._pos + n]
        self._pos += n
        return n


# --- encrypt -> decrypt -----------------------------------------------------------------

BOUNDARY_SIZES = [0, 1, 15, 16, 17, 65535, 65536, 65537, 2 * 65536 - 1, 2 * 65536, 2 * 65536 + 1]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    size=st.sampled_from(BOUNDARY_SIZES) | st.integers(0, 3 * CHUNK_SIZE + 100),
    cuts=st.lists(st.integers(0, 3 * CHUNK_SIZE + 100), max_size=6),
    read_size=st.sampled_from([1, 7, 4096, CHUNK_SIZE - 1, CHUNK_SIZE, CHUNK_SIZE + 1, -1]),
    seed=st.binary(min_size=8, max_size=8),
)
def test_round_trip(size: int, cuts: list[int], read_size: int, seed: bytes) -> None:
    identity = X25519Identity(hashlib.sha256(seed).digest())
    payload = (hashlib.sha256(seed).digest() * (size // 32 + 1))[:size]
    points = sorted({0, size, *(c for c in cuts if c < size)})
    pieces = [payload[a:b] for a, b in itertools.pairwise(points)]
    out = io.BytesIO()
    with AgeWriter(out, [identity.recipient]) as writer:
        for piece in pieces:
            assert writer.write(piece) == len(piece)
    data = out.getvalue()

    # The last chunk is empty only when the whole payload is: one tag per started chunk.
    chunks = max(1, -(-size // CHUNK_SIZE))
    assert len(data) == _header_length(data) + NONCE_SIZE + size + chunks * TAG_SIZE

    got = bytearray()
    with decrypt(io.BytesIO(data), [identity]) as reader:
        while part := reader.read(read_size):
            got += part
            if read_size > 0:
                assert len(part) <= read_size
        assert reader.read(10) == b""
    assert bytes(got) == payload
    assert b"".join(decrypt(_Trickle(data, 4099), [identity])) == payload


@pytest.mark.parametrize("size", BOUNDARY_SIZES)
def test_layout_follows_the_spec(size: int) -> None:
    """Recompute the header MAC and every STREAM chunk with bare ``cryptography`` calls."""
    spy = _KeySpy()
    identity = X25519Identity(generate_identity())
    payload = os.urandom(size)
    out = io.BytesIO()
    encrypt(out, [identity.recipient, spy], [payload])
    data = out.getvalue()
    file_key = spy.copy
    assert len(file_key) == 16
    assert spy.lent == bytearray(16)  # lent buffer wiped once the header was written

    lines = data.split(b"\n")
    assert lines[0] == b"age-encryption.org/v1"
    assert lines[1].startswith(b"-> X25519 ") and len(lines[1]) == len("-> X25519 ") + 43
    assert len(lines[2]) == 43  # 32-byte body: one short line
    assert lines[3:5] == [b"-> invoicevault-test/spy v1", b""]  # empty body: empty line
    header_end = data.index(b"\n---") + 4
    mac_line_end = data.index(b"\n", header_end) + 1
    mac = b64decode(data[header_end + 1 : mac_line_end - 1])

    mac_key = HKDF(hashes.SHA256(), 32, b"", b"header").derive(file_key)
    signer = hmac.HMAC(mac_key, hashes.SHA256())
    signer.update(data[:header_end])
    assert signer.finalize() == mac

    nonce = data[mac_line_end : mac_line_end + 16]
    payload_key = HKDF(hashes.SHA256(), 32, nonce, b"payload").derive(file_key)
    aead = ChaCha20Poly1305(payload_key)
    body = data[mac_line_end + 16 :]
    sealed = [body[i : i + SEALED_CHUNK] for i in range(0, len(body), SEALED_CHUNK)]
    plain = b"".join(
        aead.decrypt(i.to_bytes(11, "big") + bytes([i == len(sealed) - 1]), chunk, None)
        for i, chunk in enumerate(sealed)
    )
    assert plain == payload
    assert len(sealed[-1]) > TAG_SIZE or size == 0


def test_iteration_yields_whole_chunks_and_mixes_with_read(identity: X25519Identity) -> None:
    payload = os.urandom(2 * CHUNK_SIZE + 5)
    data = _seal(identity, payload)
    with decrypt(io.BytesIO(data), [identity]) as reader:
        assert [len(c) for c in reader] == [CHUNK_SIZE, CHUNK_SIZE, 5]
    with decrypt(io.BytesIO(data), [identity]) as reader:
        head = reader.read(10)
        rest = b"".join(reader)
    assert head + rest == payload


def test_a_stream_that_hands_out_one_byte_at_a_time(identity: X25519Identity) -> None:
    data = _seal(identity, b"slow", [Stanza("invoicevault-keyslots", ("v1",), bytes(100))])
    with decrypt(_Trickle(data, 1), [identity]) as reader:
        assert reader.read() == b"slow"
    assert read_header(_Trickle(data, 1)) == read_header(io.BytesIO(data))


def test_many_recipients_and_order(identity: X25519Identity) -> None:
    others = [X25519Identity(generate_identity()) for _ in range(3)]
    out = io.BytesIO()
    encrypt(out, [o.recipient for o in others] + [identity.recipient], b"shared")
    for who in [*others, identity]:
        assert _open(out.getvalue(), who) == b"shared"
    stranger = X25519Identity(generate_identity())
    with decrypt(io.BytesIO(out.getvalue()), [stranger, identity]) as reader:
        assert reader.read() == b"shared"
    with pytest.raises(AgeNoIdentityMatch, match="None of the keys given opens this file"):
        decrypt(io.BytesIO(out.getvalue()), [stranger])


def test_identity_and_recipient_strings() -> None:
    secret = generate_identity()
    text = format_identity(secret)
    identity = X25519Identity.from_string(text)
    assert str(identity.recipient) == recipient_of(secret)
    assert X25519Recipient.from_string(recipient_of(secret)).public == identity.public
    assert text not in repr(identity)
    with pytest.raises(InvalidRecipient):
        X25519Recipient.from_string("age1notarecipient")
    with pytest.raises(InvalidRecipient):
        X25519Recipient(bytes(31))
    with pytest.raises(InvalidRecipient, match="weak"):
        X25519Recipient(bytes(32)).wrap(bytearray(16))  # the all-zero (low-order) point


SHARE = b64encode(bytes(range(1, 33))).decode()  # some valid 32-byte X25519 share


@pytest.mark.parametrize(
    ("args", "body", "message"),
    [
        ((SHARE,), 33, "body"),
        ((SHARE,), 31, "body"),
        ((SHARE,), 0, "body"),
        ((SHARE, "extra"), 32, "exactly one argument"),
        ((), 32, "exactly one argument"),
        ((b64encode(bytes(31)).decode(),), 32, "32 bytes"),
        ((b64encode(bytes(33)).decode(),), 32, "32 bytes"),
        ((SHARE[:-1] + "B",), 32, "32 bytes"),  # non-canonical: stray low bits
    ],
)
def test_x25519_stanza_shape_is_checked_before_decrypting(
    identity: X25519Identity, args: tuple[str, ...], body: int, message: str
) -> None:
    """Spec: a malformed X25519 stanza is an error, not a miss; the body length is checked
    before any decryption (no partitioning oracle)."""
    stanza = Stanza("X25519", args, os.urandom(body))
    out = io.BytesIO()
    encrypt(out, [lambda _k: stanza], b"x")
    with pytest.raises(AgeHeaderError, match=message) as caught:
        decrypt(io.BytesIO(out.getvalue()), [identity])
    _assert_one_line(caught.value)


# --- stanzas and headers ------------------------------------------------------------------


@pytest.mark.parametrize("length", [0, 1, 2, 3, 47, 48, 49, 95, 96, 97, 480])
def test_stanza_body_wrapping(length: int) -> None:
    stanza = Stanza("invoicevault-keyslots", ("v1", "x"), os.urandom(length))
    lines = stanza.encode().split(b"\n")
    assert lines[0] == b"-> invoicevault-keyslots v1 x"
    assert lines[-1] == b""
    body = lines[1:-1]
    assert all(len(line) == 64 for line in body[:-1])
    assert len(body[-1]) < 64
    assert (body[-1] == b"") == (length % 48 == 0)
    assert b"=" not in stanza.encode()
    assert b64decode(b"".join(body)) == stanza.body


def test_header_round_trip_of_our_own_files(identity: X25519Identity) -> None:
    extra = [Stanza("invoicevault-keyslots", ("v1",), os.urandom(n)) for n in (0, 48, 100)]
    data = _seal(identity, b"payload", extra)
    header = read_header(io.BytesIO(data))
    assert [s.type for s in header.stanzas] == ["X25519"] + ["invoicevault-keyslots"] * 3
    assert header.stanzas[1:] == tuple(extra)
    assert data.startswith(header.encode())
    assert Header(header.stanzas, header.mac).encode() == header.encode()
    assert _open(data, identity) == b"payload"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (b"", b""),
        (b"Zg", b"f"),
        (b"Zm8", b"fo"),
        (b"Zm9v", b"foo"),
        (b"Zg==", None),  # padding
        (b"Zh", None),  # non-zero unused bits: not canonical
        (b"Zm9", None),  # ditto
        (b"Z", None),  # impossible length
        (b"Zm9v\n", None),
        (b"Zm 9v", None),
        (b"Zm-_", None),  # URL-safe alphabet
    ],
)
def test_base64_is_canonical_and_unpadded(text: bytes, expected: bytes | None) -> None:
    assert b64decode(text) == expected
    if expected is not None:
        assert b64encode(expected) == text


@pytest.mark.parametrize("bad", ["", "a b", "tab\there", "é", "new\nline"])
def test_stanza_refuses_arguments_age_cannot_carry(bad: str) -> None:
    with pytest.raises(ValueError):
        Stanza(bad)
    with pytest.raises(ValueError):
        Stanza("ok", (bad,))


# --- custom stanzas and identities -----------------------------------------------------------


class _ToyKeyslotRecipient:
    """A stand-in for the later ``invoicevault-keyslots`` stanza: a fixed-key wrap."""

    TYPE = "invoicevault-test/keyslots"

    def __init__(self, kek: bytes) -> None:
        self._kek = kek

    def wrap(self, file_key: bytes | bytearray) -> Stanza:
        nonce = os.urandom(12)
        sealed = ChaCha20Poly1305(self._kek).encrypt(nonce, bytes(file_key), b"toy")
        return Stanza(self.TYPE, ("v1", b64encode(nonce).decode()), sealed)


class _ToyKeyslotIdentity:
    def __init__(self, kek: bytes) -> None:
        self._kek = kek
        self.returned: bytearray | None = None

    def unwrap(self, stanzas: tuple[Stanza, ...]) -> bytearray | None:
        for stanza in stanzas:
            if stanza.type != _ToyKeyslotRecipient.TYPE:
                continue
            if len(stanza.args) != 2:
                raise AgeHeaderError("This age file is damaged: a keyslot stanza is malformed.")
            nonce = b64decode(stanza.args[1].encode())
            try:
                key = ChaCha20Poly1305(self._kek).decrypt(nonce, stanza.body, b"toy")
            except Exception:
                continue
            self.returned = bytearray(key)
            return self.returned
        return None


def test_custom_stanza_type_beside_x25519(identity: X25519Identity) -> None:
    kek = os.urandom(32)
    out = io.BytesIO()
    encrypt(out, [_ToyKeyslotRecipient(kek), identity.recipient], [b"a", b"b" * 70000])
    data = out.getvalue()
    toy = _ToyKeyslotIdentity(kek)
    assert _open(data, toy) == b"a" + b"b" * 70000
    assert toy.returned == bytearray(16)  # the file key we were handed is wiped after use
    assert _open(data, identity) == b"a" + b"b" * 70000
    with pytest.raises(AgeNoIdentityMatch):
        decrypt(io.BytesIO(data), [_ToyKeyslotIdentity(os.urandom(32))])


def test_a_callable_recipient_adds_its_own_stanza(identity: X25519Identity) -> None:
    seen: list[int] = []

    def note(file_key: bytearray) -> Stanza:
        seen.append(len(file_key))
        return Stanza("example.com/note", ("hello",), b"\x00" * 5)

    data = _seal_with(identity, note)
    assert seen == [16]
    assert read_header(io.BytesIO(data)).stanzas[1] == Stanza(
        "example.com/note", ("hello",), bytes(5)
    )


def _seal_with(identity: X25519Identity, *extra: object) -> bytes:
    out = io.BytesIO()
    encrypt(out, [identity.recipient, *extra], b"x")
    return out.getvalue()


def test_identity_returning_a_wrong_size_file_key_is_refused(identity: X25519Identity) -> None:
    class Liar:
        def unwrap(self, stanzas: tuple[Stanza, ...]) -> bytes:
            return bytes(32)

    with pytest.raises(AgeHeaderError, match="16 bytes"):
        decrypt(io.BytesIO(_seal(identity, b"x")), [Liar()])


def test_a_wrong_file_key_is_an_hmac_failure(identity: X25519Identity) -> None:
    class Guess:
        def unwrap(self, stanzas: tuple[Stanza, ...]) -> bytes:
            return os.urandom(16)

    with pytest.raises(AgeHmacError) as caught:
        decrypt(io.BytesIO(_seal(identity, b"x")), [Guess()])
    _assert_one_line(caught.value)


def test_writer_refuses_what_it_could_not_read_back(identity: X25519Identity) -> None:
    with pytest.raises(ValueError, match="at least one recipient"):
        encrypt(io.BytesIO(), [], b"")
    with pytest.raises(ValueError, match="at most"):
        encrypt(io.BytesIO(), [identity.recipient] * (MAX_STANZAS + 1), b"")
    scrypt = Stanza("scrypt", ("c2FsdHNhbHRzYWx0c2FsdA", "10"), bytes(32))
    with pytest.raises(ValueError, match="scrypt"):
        encrypt(io.BytesIO(), [identity.recipient, lambda _k: scrypt], b"")
    with pytest.raises(ValueError, match="exceed"):
        encrypt(io.BytesIO(), [lambda _k: Stanza("big", ("a" * MAX_LINE_LENGTH,))], b"")
    with pytest.raises(TypeError):
        encrypt(io.BytesIO(), [lambda _k: b"not a stanza"], b"")


def test_exactly_max_stanzas_is_accepted(identity: X25519Identity) -> None:
    out = io.BytesIO()
    encrypt(out, [identity.recipient] * MAX_STANZAS, b"many")
    assert _open(out.getvalue(), identity) == b"many"


# --- unsupported features ------------------------------------------------------------------


def test_scrypt_only_file_is_refused_as_unsupported(identity: X25519Identity) -> None:
    scrypt = Stanza("scrypt", ("c2FsdHNhbHRzYWx0c2FsdA", "10"), bytes(32))
    out = io.BytesIO()
    encrypt(out, [lambda _k: scrypt], b"secret")
    with pytest.raises(AgeUnsupportedError, match="passphrase") as caught:
        decrypt(io.BytesIO(out.getvalue()), [identity])
    _assert_one_line(caught.value)


def test_scrypt_beside_other_stanzas_is_a_header_error(identity: X25519Identity) -> None:
    data = _seal(identity, b"x", [Stanza("other", ("1",), b"")])
    forged = data.replace(b"-> other 1", b"-> scrypt 1", 1)
    with pytest.raises(AgeHeaderError, match="scrypt"):
        decrypt(io.BytesIO(forged), [identity])


@pytest.mark.parametrize("prefix", [b"", b"\n  \r\n"])
def test_armored_input_is_refused_as_unsupported(prefix: bytes) -> None:
    armored = (
        prefix + b"-----BEGIN AGE ENCRYPTED FILE-----\nYWdl\n-----END AGE ENCRYPTED FILE-----\n"
    )
    with pytest.raises(AgeUnsupportedError, match="armored") as caught:
        decrypt(io.BytesIO(armored), [])
    _assert_one_line(caught.value)


# --- tampering ------------------------------------------------------------------------------


def _regions(data: bytes) -> list[tuple[int, int, tuple[type[AgeError], ...]]]:
    """Header byte ranges and the errors a bit flip there may cause."""
    lines = data[: _header_length(data)].split(b"\n")[:-1]
    allowed = [
        (AgeHeaderError,),  # version line
        (AgeHeaderError, AgeNoIdentityMatch),  # X25519 stanza: the share or body changes
        (AgeHeaderError, AgeNoIdentityMatch),
        (AgeHeaderError, AgeHmacError),  # our own stanza: only the MAC notices
        (AgeHeaderError, AgeHmacError),
        (AgeHeaderError, AgeHmacError),
        (AgeHeaderError, AgeHmacError),  # MAC line
    ]
    assert len(lines) == len(allowed)
    regions, start = [], 0
    for line, errors in zip(lines, allowed, strict=True):
        regions.append((start, start + len(line) + 1, errors))
        start += len(line) + 1
    return regions


def test_every_bit_flip_in_the_header_is_refused(identity: X25519Identity) -> None:
    data = _seal(identity, b"payload", [Stanza("invoicevault-keyslots", ("v1",), os.urandom(60))])
    for start, end, allowed in _regions(data):
        for position in range(start, end):
            for bit in range(8):
                tampered = bytearray(data)
                tampered[position] ^= 1 << bit
                error = _refused(bytes(tampered), identity)
                assert isinstance(error, allowed), (position, bit, error)


def test_bit_flips_in_the_payload_are_refused(identity: X25519Identity) -> None:
    data = _seal(identity, os.urandom(2 * CHUNK_SIZE + 1000))
    start = _header_length(data)
    positions = set(range(start, start + NONCE_SIZE))  # the nonce
    payload = start + NONCE_SIZE
    for k in range(3):  # first, last and tag bytes of every chunk
        chunk = payload + k * SEALED_CHUNK
        end = min(chunk + SEALED_CHUNK, len(data))
        positions |= {chunk, chunk + 1, end - TAG_SIZE - 1, end - TAG_SIZE, end - 1}
    rng = random.Random(1)
    positions |= {rng.randrange(payload, len(data)) for _ in range(60)}
    for position in sorted(positions):
        tampered = bytearray(data)
        tampered[position] ^= 1 << rng.randrange(8)
        assert isinstance(_refused(bytes(tampered), identity), AgePayloadError), position


def test_truncation_anywhere_is_refused(identity: X25519Identity) -> None:
    data = _seal(identity, os.urandom(2 * CHUNK_SIZE + 1000))
    payload = _header_length(data) + NONCE_SIZE
    cuts = {0, 1, 10, 30, payload - NONCE_SIZE - 1, payload - 8, payload - 1}
    for k in range(3):
        boundary = payload + k * SEALED_CHUNK
        cuts |= {boundary - 1, boundary, boundary + 1, boundary + TAG_SIZE}
    cuts |= {len(data) - 1, len(data) - TAG_SIZE}
    for cut in sorted(c for c in cuts if 0 <= c < len(data)):
        error = _refused(data[:cut], identity)
        expected = AgeHeaderError if cut < payload else AgePayloadError
        assert isinstance(error, expected), (cut, error)


def _split(data: bytes) -> tuple[bytes, list[bytes]]:
    payload = _header_length(data) + NONCE_SIZE
    body = data[payload:]
    return data[:payload], [body[i : i + SEALED_CHUNK] for i in range(0, len(body), SEALED_CHUNK)]


def test_removed_duplicated_reordered_chunks_are_refused(identity: X25519Identity) -> None:
    head, chunks = _split(_seal(identity, os.urandom(3 * CHUNK_SIZE + 10)))
    assert len(chunks) == 4
    variants = {
        "first removed": chunks[1:],
        "middle removed": [chunks[0], chunks[2], chunks[3]],
        "last removed": chunks[:3],
        "first duplicated": [chunks[0], *chunks],
        "middle duplicated": [*chunks[:2], chunks[1], *chunks[2:]],
        "last duplicated": [*chunks, chunks[3]],
        "swapped": [chunks[1], chunks[0], *chunks[2:]],
        "last moved first": [chunks[3], *chunks[:3]],
    }
    for name, order in variants.items():
        error = _refused(head + b"".join(order), identity)
        assert isinstance(error, AgePayloadError), name


@pytest.mark.parametrize("size", [0, 5, CHUNK_SIZE, CHUNK_SIZE + 5])
@pytest.mark.parametrize("extra", [b"\x00", os.urandom(16), os.urandom(SEALED_CHUNK)])
def test_trailing_data_is_refused(identity: X25519Identity, size: int, extra: bytes) -> None:
    data = _seal(identity, os.urandom(size))
    error = _refused(data + extra, identity)
    assert isinstance(error, AgePayloadError)


def test_the_end_is_reported_only_after_the_end_of_file(identity: X25519Identity) -> None:
    """A full final chunk followed by junk: its (authentic) plaintext is handed out, but the
    end of data is never reported; the read fails instead, and stays failed."""
    payload = os.urandom(CHUNK_SIZE)
    data = _seal(identity, payload) + b"junk"
    with decrypt(io.BytesIO(data), [identity]) as reader:
        assert reader.read(CHUNK_SIZE) == payload
        with pytest.raises(AgePayloadError, match="after its end"):
            reader.read(1)
        with pytest.raises(AgePayloadError, match="after its end"):
            reader.read(1)
    # After a short final chunk the junk is read as part of that chunk, which then fails.
    with pytest.raises(AgePayloadError, match="chunk 1"):
        _open(_seal(identity, b"abc") + b"junk", identity)


def test_empty_final_chunk_after_a_full_one_is_refused(identity: X25519Identity) -> None:
    spy = _KeySpy()
    out = io.BytesIO()
    encrypt(out, [identity.recipient, spy], os.urandom(CHUNK_SIZE))
    data = out.getvalue()
    head, chunks = _split(data)
    nonce = head[-NONCE_SIZE:]
    aead = ChaCha20Poly1305(HKDF(hashes.SHA256(), 32, nonce, b"payload").derive(spy.copy))
    plain = aead.decrypt(bytes(11) + b"\x01", chunks[0], None)  # the only, final chunk
    forged = (
        head
        + aead.encrypt(bytes(12), plain, None)
        + aead.encrypt((1).to_bytes(11, "big") + b"\x01", b"", None)
    )
    assert isinstance(_refused(forged, identity), AgePayloadError)


def test_header_of_one_file_on_the_payload_of_another(identity: X25519Identity) -> None:
    first = _seal(identity, os.urandom(CHUNK_SIZE + 100))
    second = _seal(identity, os.urandom(CHUNK_SIZE + 100))
    head1, chunks1 = _split(first)
    head2, chunks2 = _split(second)
    header1 = first[: _header_length(first)]
    nonce2 = head2[-NONCE_SIZE:]
    for forged in (header1 + nonce2 + b"".join(chunks2), head1 + b"".join(chunks2)):
        assert isinstance(_refused(forged, identity), AgePayloadError)
    assert isinstance(_refused(head1 + chunks1[0] + chunks2[1], identity), AgePayloadError)


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_random_edits_never_pass_and_never_crash(data: st.DataObject) -> None:
    identity = X25519Identity(bytes(range(32)))
    original = _seal(identity, b"q" * 70000, [Stanza("invoicevault-keyslots", ("v1",), b"k" * 50)])
    edited = bytearray(original)
    for _ in range(data.draw(st.integers(1, 3))):
        position = data.draw(st.integers(0, len(edited) - 1))
        kind = data.draw(st.sampled_from(["set", "insert", "delete"]))
        if kind == "set":
            edited[position] = data.draw(st.integers(0, 255))
        elif kind == "insert":
            edited[position:position] = data.draw(st.binary(min_size=1, max_size=4))
        else:
            del edited[position : position + data.draw(st.integers(1, 4))]
    _, error = _decrypt_all(bytes(edited), [identity])
    if bytes(edited) == original:
        assert error is None
    else:
        assert isinstance(error, AgeError), repr(error)
        _assert_one_line(error)


@settings(max_examples=200, deadline=None)
@given(
    junk=st.binary(max_size=400)
    | st.builds(lambda b: b"age-encryption.org/v1\n" + b, st.binary(max_size=400))
)
def test_arbitrary_bytes_only_raise_age_errors(junk: bytes) -> None:
    _, error = _decrypt_all(junk, [X25519Identity(bytes(range(32)))])
    assert isinstance(error, AgeError), repr(error)
    _assert_one_line(error)


# --- limits: refuse before allocating ------------------------------------------------------


class _Endless(io.RawIOBase):
    """An endless stream: ``prefix`` then ``filler`` forever; counts what was read."""

    def __init__(self, prefix: bytes, filler: bytes) -> None:
        self._prefix, self._filler = prefix, filler
        self.consumed = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if self.consumed > 4 * MAX_HEADER_SIZE:  # fail, rather than hang, if limits break
            raise AssertionError("the reader went far past its limits")
        n, pos = len(buffer), self.consumed
        head = self._prefix[pos : n + pos]
        offset = max(0, pos - len(self._prefix)) % len(self._filler)
        repeats = (n - len(head)) // len(self._filler) + 2
        tail = (self._filler * repeats)[offset : offset + n - len(head)]
        buffer[:n] = head + tail
        self.consumed += n
        return n


@pytest.mark.parametrize(
    ("prefix", "filler", "message"),
    [
        (b"", b"A", "not an age-encrypted file"),
        (b"age-encryption.org/v1\n", b"-", f"longer than {MAX_LINE_LENGTH} bytes"),
        (b"age-encryption.org/v1\n-> a\n", b"A" * 64 + b"\n", "larger than 1024 KiB"),
        (b"age-encryption.org/v1\n", b"-> x\n\n", f"more than {MAX_STANZAS} recipient stanzas"),
    ],
)
def test_endless_headers_are_refused_after_a_bounded_read(
    prefix: bytes, filler: bytes, message: str
) -> None:
    source = _Endless(prefix, filler)
    with pytest.raises(AgeHeaderError, match=message) as caught:
        decrypt(source, [X25519Identity(bytes(range(32)))])
    _assert_one_line(caught.value)
    assert source.consumed <= MAX_HEADER_SIZE + 2 * CHUNK_SIZE


# --- the writer ------------------------------------------------------------------------------


def test_an_interrupted_writer_leaves_a_file_that_never_verifies(identity: X25519Identity) -> None:
    out = io.BytesIO()
    with pytest.raises(RuntimeError), AgeWriter(out, [identity.recipient]) as writer:
        writer.write(os.urandom(CHUNK_SIZE + 10))
        raise RuntimeError("disk full, say")
    assert writer.closed
    error = _refused(out.getvalue(), identity)
    assert isinstance(error, AgePayloadError) and "cut short" in str(error)
    with pytest.raises(ValueError):
        writer.write(b"more")


def test_writer_handles_short_writes(identity: X25519Identity) -> None:
    class Slow(io.RawIOBase):
        def __init__(self) -> None:
            self.data = bytearray()

        def writable(self) -> bool:
            return True

        def write(self, b: bytes) -> int:  # type: ignore[override]
            piece = bytes(b[:1000])
            self.data += piece
            return len(piece)

    slow = Slow()
    payload = os.urandom(CHUNK_SIZE * 2 + 3)
    encrypt(slow, [identity.recipient], iter([payload[:5], payload[5:], b""]))
    assert _open(bytes(slow.data), identity) == payload


def test_reader_is_a_closable_file_like_object(identity: X25519Identity) -> None:
    reader = decrypt(io.BytesIO(_seal(identity, b"hello")), [identity])
    assert isinstance(reader, AgeReader) and reader.readable() and not reader.closed
    assert reader.read(2) == b"he"
    reader.close()
    assert reader.closed
    with pytest.raises(ValueError):
        reader.read(1)


def test_errors_are_user_facing_invoicevault_errors() -> None:
    for cls in (AgeHeaderError, AgeHmacError, AgeNoIdentityMatch, AgePayloadError):
        assert issubclass(cls, AgeError) and issubclass(cls, InvoiceVaultError)
    assert str(AgeNoIdentityMatch()) == "None of the keys given opens this file."
    _assert_one_line(AgeHmacError())


def test_recovery_key_text_opens_what_its_recipient_sealed() -> None:
    secret = generate_identity()
    out = io.BytesIO()
    encrypt(out, [X25519Recipient.from_string(recipient_of(secret))], b"backup")
    identity = X25519Identity.from_string(format_identity(secret).lower())
    assert _open(out.getvalue(), identity) == b"backup"
