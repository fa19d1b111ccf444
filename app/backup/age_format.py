"""The age v1 file format (https://age-encryption.org/v1, also https://c2sp.org/age).

Written on ``cryptography``'s X25519, HKDF-SHA256, HMAC-SHA256 and ChaCha20-Poly1305, never
on home-made primitives, so that an InvoiceVault backup opens with the stock
``age -d -i recovery.txt`` for as long as age exists. Binary age files only: the armored
(PEM) form and passphrase (``scrypt``) recipients are refused with a clear message.

Layout (everything before the nonce is the *header*, ASCII text)::

    age-encryption.org/v1
    -> X25519 <ephemeral share, base64>
    <wrapped file key, base64 wrapped at 64 columns, last line shorter than 64>
    -> invoicevault-keyslots ...            (any number of stanzas of any type)
    ...
    --- <HMAC-SHA256 of the header up to and including "---", base64>
    <16-byte nonce><STREAM: ChaCha20-Poly1305 chunks of 64 KiB + 16-byte tag>

Base64 is RFC 4648 without padding; non-canonical or padded base64 is refused, as the spec
requires, so every header has exactly one encoding and the MAC covers it.

Streaming: :class:`AgeWriter` and :func:`encrypt` hold one 64 KiB chunk at a time;
:func:`decrypt` returns an :class:`AgeReader` that authenticates the header first and then
each chunk as it is read. Untrusted input is bounded before anything is allocated on its
word: header at most :data:`MAX_HEADER_SIZE`, lines at most :data:`MAX_LINE_LENGTH`, at most
:data:`MAX_STANZAS` stanzas.

Every problem with the file's content raises an :class:`AgeError` (an
:class:`~app.errors.InvoiceVaultError`) whose message is one line for the user:
:class:`AgeHeaderError`, :class:`AgeNoIdentityMatch`, :class:`AgeHmacError`,
:class:`AgePayloadError` or :class:`AgeUnsupportedError`. Errors of the underlying stream
(``OSError``) are passed on as they are: a disk that fails is not a damaged file.

Key material: the file key, the HMAC key and the payload key live in ``bytearray`` buffers
that are overwritten with zeros as soon as they are no longer needed. That is best effort
only: ``cryptography`` keeps its own copies inside its key and cipher objects, ``os.urandom``
and a few of its functions return immutable ``bytes``, and Python never zeroes freed memory.
"""

import base64
import binascii
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import BinaryIO, Protocol, Self, runtime_checkable

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.errors import InvoiceVaultError
from app.vault import bech32
from app.vault.age_identity import (
    RECIPIENT_HRP,
    InvalidRecipient,
    parse_identity,
    parse_recipient,
)

VERSION_LINE = b"age-encryption.org/v1\n"
FILE_KEY_SIZE = 16
NONCE_SIZE = 16
CHUNK_SIZE = 64 * 1024
TAG_SIZE = 16
MAC_SIZE = 32
COLUMNS = 64  # base64 characters per full stanza body line
BYTES_PER_LINE = COLUMNS // 4 * 3  # 48 body bytes per full line

# Our limits (the spec sets none). Generous for every recipient type age knows today: the
# longest argument line is a post-quantum stanza's, about 1,600 characters.
MAX_HEADER_SIZE = 1024 * 1024
MAX_LINE_LENGTH = 16 * 1024
MAX_STANZAS = 64

X25519_TYPE = "X25519"
SCRYPT_TYPE = "scrypt"
_X25519_INFO = b"age-encryption.org/v1/X25519"
_VERSION_PREFIX = b"age-encryption.org/"
_ARMOR_BEGIN = b"-----BEGIN"
_ZERO_NONCE = bytes(12)
_COUNTER_LIMIT = 1 << 88  # the STREAM chunk counter is 11 bytes
_READ_SIZE = 64 * 1024
_ENCRYPT_INTO = hasattr(ChaCha20Poly1305, "encrypt_into")  # not in older cryptography
_BASE64 = re.compile(rb"[A-Za-z0-9+/]*")


# --- errors ---------------------------------------------------------------------------


class AgeError(InvoiceVaultError):
    """The data is not an age file this program can open; ``str()`` is one line for the user."""


class AgeHeaderError(AgeError):
    """The header is malformed, of an unknown version, over our limits, or cut short."""


class AgeNoIdentityMatch(AgeError):
    """No identity given unwraps any recipient stanza of the file."""

    def __init__(self, message: str = "None of the keys given opens this file.") -> None:
        super().__init__(message)


class AgeHmacError(AgeError):
    """A file key was unwrapped but the header MAC does not match: the header was modified."""

    def __init__(
        self,
        message: str = (
            "This age file's header was modified or damaged: its authentication code "
            "does not match."
        ),
    ) -> None:
        super().__init__(message)


class AgePayloadError(AgeError):
    """The encrypted payload failed: a chunk did not authenticate, or the stream is cut,
    extended or reordered."""


class AgeUnsupportedError(AgeError):
    """A valid age feature that this implementation does not offer (armor, passphrases)."""


# --- base64 (RFC 4648, canonical, no padding) -----------------------------------------


def b64encode(data: bytes | bytearray) -> bytes:
    """Canonical base64 without ``=`` padding, as the age header uses it."""
    return base64.b64encode(data).rstrip(b"=")


def b64decode(text: bytes) -> bytes | None:
    """Decode unpadded canonical base64; ``None`` for anything else (padding, stray bits,
    characters outside the standard alphabet, CR, LF, spaces)."""
    if not _BASE64.fullmatch(text) or len(text) % 4 == 1:
        return None
    try:
        data = base64.b64decode(text + b"=" * (-len(text) % 4), validate=True)
    except binascii.Error:  # pragma: no cover - excluded by the checks above
        return None
    if b64encode(data) != text:  # non-zero unused bits: not the canonical encoding
        return None
    return data


# --- stanzas and header -------------------------------------------------------------------


def _is_argument(value: str) -> bool:
    """``1*VCHAR``: one or more printable ASCII characters, no space."""
    return bool(value) and all(33 <= ord(char) <= 126 for char in value)


@dataclass(frozen=True)
class Stanza:
    """One recipient stanza: ``-> type args...`` and a binary body."""

    type: str
    args: tuple[str, ...] = ()
    body: bytes = b""

    def __post_init__(self) -> None:
        object.__setattr__(self, "args", tuple(self.args))
        object.__setattr__(self, "body", bytes(self.body))
        for value in (self.type, *self.args):
            if not isinstance(value, str) or not _is_argument(value):
                raise ValueError(
                    f"age stanza type and arguments must be printable ASCII without spaces: "
                    f"{value!r}"
                )

    def encode(self) -> bytes:
        """The stanza as it appears in the header, ending with a line shorter than 64."""
        first = b"-> " + " ".join((self.type, *self.args)).encode("ascii") + b"\n"
        text = b64encode(self.body)
        lines = [text[i : i + COLUMNS] for i in range(0, len(text), COLUMNS)]
        if len(text) % COLUMNS == 0:  # also for an empty body: the final line is empty
            lines.append(b"")
        return first + b"".join(line + b"\n" for line in lines)


@dataclass(frozen=True)
class Header:
    """A parsed age v1 header: its stanzas and its MAC."""

    stanzas: tuple[Stanza, ...]
    mac: bytes

    def encode_without_mac(self) -> bytes:
        """The bytes the MAC covers: up to and including the ``---`` mark."""
        return _encode_without_mac(self.stanzas)

    def encode(self) -> bytes:
        """The whole header, ending with the MAC line."""
        return self.encode_without_mac() + b" " + b64encode(self.mac) + b"\n"


def _encode_without_mac(stanzas: Sequence[Stanza]) -> bytes:
    return VERSION_LINE + b"".join(stanza.encode() for stanza in stanzas) + b"---"


# --- recipients and identities ------------------------------------------------------------


@runtime_checkable
class Recipient(Protocol):
    """Wraps a file key into one stanza. ``file_key`` is lent: do not keep or change it."""

    def wrap(self, file_key: bytes | bytearray) -> Stanza:
        """Return the stanza that carries ``file_key`` for this recipient."""
        ...


@runtime_checkable
class Identity(Protocol):
    """Unwraps the file key from the stanzas addressed to it.

    ``unwrap`` gets every stanza of the header. It returns the 16-byte file key (preferably a
    ``bytearray``, which the caller wipes), ``None`` when no stanza is for this identity
    (stanzas of other types must be ignored), and raises :class:`AgeHeaderError` for a
    stanza of its own type that is malformed.
    """

    def unwrap(self, stanzas: Sequence[Stanza]) -> bytes | bytearray | None:
        """Return the file key, or ``None`` if no stanza opens with this identity."""
        ...


RecipientLike = Recipient | Callable[[bytearray], Stanza]


def _hkdf(ikm: bytes | bytearray, salt: bytes, info: bytes) -> bytearray:
    """HKDF-SHA256 with a 32-byte output, into a buffer the caller can wipe."""
    out = bytearray(32)
    kdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info)
    if hasattr(kdf, "derive_into"):  # cryptography >= 46: no immutable copy of the key
        kdf.derive_into(ikm, out)
    else:  # pragma: no cover - older cryptography
        out[:] = kdf.derive(bytes(ikm))
    return out


def _wipe(buffer: bytearray | None) -> None:
    if buffer is not None:
        buffer[:] = bytes(len(buffer))


class X25519Recipient:
    """The native age X25519 recipient (``age1...``): what ``age -r`` encrypts to."""

    def __init__(self, public: bytes) -> None:
        if len(public) != 32:
            raise InvalidRecipient(f"not an age recipient: key is {len(public)} bytes, not 32")
        self.public = bytes(public)
        self._key = X25519PublicKey.from_public_bytes(self.public)

    @classmethod
    def from_string(cls, text: str) -> Self:
        """Read an ``age1...`` recipient."""
        return cls(parse_recipient(text))

    def __str__(self) -> str:
        return bech32.encode(RECIPIENT_HRP, self.public)

    def __repr__(self) -> str:
        return f"X25519Recipient({str(self)!r})"

    def wrap(self, file_key: bytes | bytearray) -> Stanza:
        """``-> X25519 <ephemeral share>`` with ChaCha20-Poly1305(file key) as body."""
        ephemeral = X25519PrivateKey.generate()
        share = ephemeral.public_key().public_bytes_raw()
        try:
            shared = ephemeral.exchange(self._key)
        except ValueError:  # all-zero shared secret: a low-order point is no recipient
            raise InvalidRecipient(
                "not a usable age recipient: it is a weak (low-order) key"
            ) from None
        wrap_key = _hkdf(shared, salt=share + self.public, info=_X25519_INFO)
        try:
            body = ChaCha20Poly1305(wrap_key).encrypt(_ZERO_NONCE, file_key, None)
        finally:
            _wipe(wrap_key)
        return Stanza(X25519_TYPE, (b64encode(share).decode("ascii"),), body)


class X25519Identity:
    """The native age X25519 identity (``AGE-SECRET-KEY-1...``): the recovery key.

    Only ``cryptography``'s private key object keeps the secret; the caller keeps (and wipes)
    the bytes it passed in.
    """

    def __init__(self, secret: bytes | bytearray) -> None:
        if len(secret) != 32:
            raise ValueError(f"an age identity is 32 bytes, not {len(secret)}")
        self._key = X25519PrivateKey.from_private_bytes(secret)
        self.public = self._key.public_key().public_bytes_raw()

    @classmethod
    def from_string(cls, text: str) -> Self:
        """Read an ``AGE-SECRET-KEY-1...`` recovery key (``InvalidRecoveryKey`` if not one)."""
        secret = parse_identity(text)
        try:
            return cls(secret)
        finally:
            _wipe(secret)

    @property
    def recipient(self) -> X25519Recipient:
        """The matching ``age1...`` recipient."""
        return X25519Recipient(self.public)

    def __repr__(self) -> str:
        return f"X25519Identity(recipient={str(self.recipient)!r})"

    def unwrap(self, stanzas: Sequence[Stanza]) -> bytearray | None:
        """Try every X25519 stanza; skip those that do not open, refuse malformed ones."""
        for stanza in stanzas:
            if stanza.type != X25519_TYPE:
                continue
            if len(stanza.args) != 1:
                raise AgeHeaderError(
                    "This age file is damaged: an X25519 stanza does not have exactly one argument."
                )
            share = b64decode(stanza.args[0].encode("ascii"))
            if share is None or len(share) != 32:
                raise AgeHeaderError(
                    "This age file is damaged: an X25519 stanza's ephemeral share is not "
                    "32 bytes in canonical base64."
                )
            if len(stanza.body) != FILE_KEY_SIZE + TAG_SIZE:
                raise AgeHeaderError(
                    "This age file is damaged: an X25519 stanza's body is not a wrapped "
                    "16-byte file key."
                )
            try:
                shared = self._key.exchange(X25519PublicKey.from_public_bytes(share))
            except ValueError:
                shared = bytes(32)
            if shared == bytes(32):
                raise AgeHeaderError(
                    "This age file is invalid: an X25519 stanza uses a weak (low-order) "
                    "ephemeral share."
                )
            wrap_key = _hkdf(shared, salt=share + self.public, info=_X25519_INFO)
            try:
                file_key = ChaCha20Poly1305(wrap_key).decrypt(_ZERO_NONCE, stanza.body, None)
            except InvalidTag:
                continue  # addressed to someone else
            finally:
                _wipe(wrap_key)
            return bytearray(file_key)
        return None


# --- reading --------------------------------------------------------------------------


class _LineTooLong(Exception):
    pass


class _Input:
    """A read-ahead buffer over the caller's stream, bounded by what is asked of it."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self._buf = bytearray()
        self._eof = False

    def _fill(self, want: int) -> bool:
        if self._eof:
            return False
        data = self._raw.read(max(want, _READ_SIZE))
        if not data:
            self._eof = True
            return False
        self._buf += data
        return True

    def peek(self, n: int) -> bytes:
        while len(self._buf) < n and self._fill(n - len(self._buf)):
            pass
        return bytes(self._buf[:n])

    def readline(self, limit: int) -> bytes:
        """Up to and including the next LF (without one only at the end of the stream).

        Raises ``_LineTooLong`` when no LF comes within ``limit`` bytes.
        """
        start = 0
        while True:
            end = self._buf.find(b"\n", start, limit)
            if end >= 0:
                line = bytes(self._buf[: end + 1])
                del self._buf[: end + 1]
                return line
            if len(self._buf) >= limit:
                raise _LineTooLong
            start = len(self._buf)
            if not self._fill(limit - len(self._buf)):
                line = bytes(self._buf)
                self._buf.clear()
                return line

    def read(self, n: int) -> bytes:
        """``n`` bytes, fewer only at the end of the stream."""
        while len(self._buf) < n and self._fill(n - len(self._buf)):
            pass
        data = bytes(self._buf[:n])
        del self._buf[:n]
        return data

    def readinto(self, buffer: bytearray) -> int:
        """Fill ``buffer`` (short only at the end of the stream); returns the byte count.

        What was read ahead comes first, then the rest is read straight into ``buffer``:
        the payload is read without an intermediate copy or a new allocation per chunk.
        """
        view = memoryview(buffer)
        size = len(view)
        count = min(len(self._buf), size)
        if count:
            view[:count] = self._buf[:count]
            del self._buf[:count]
        readinto = getattr(self._raw, "readinto", None)
        while count < size and not self._eof:
            if readinto is not None:
                got = readinto(view[count:]) or 0
            else:  # a stream with read() only
                data = self._raw.read(size - count)
                got = len(data) if data else 0
                view[count : count + got] = data
            if not got:
                self._eof = True
            count += got
        return count


def _damaged(what: str) -> AgeHeaderError:
    return AgeHeaderError(f"This age file is damaged: {what}.")


class _HeaderLines:
    """Hands out header lines within our limits and keeps the bytes read, for a final check."""

    def __init__(self, src: _Input) -> None:
        self._src = src
        self.raw = bytearray()
        self.number = 0

    def next(self) -> bytes:
        """The next line without its LF; refuses a line cut short or over a limit."""
        self.number += 1
        limit = min(MAX_LINE_LENGTH, MAX_HEADER_SIZE - len(self.raw))
        try:
            line = self._src.readline(limit)
        except _LineTooLong:
            if self.number == 1:
                raise AgeHeaderError("This is not an age-encrypted file.") from None
            if limit < MAX_LINE_LENGTH:
                raise _damaged(f"its header is larger than {MAX_HEADER_SIZE // 1024} KiB") from None
            raise _damaged(
                f"header line {self.number} is longer than {MAX_LINE_LENGTH} bytes"
            ) from None
        self.raw += line
        if not line.endswith(b"\n"):
            if self.number == 1 and not line:
                raise AgeHeaderError("This is not an age-encrypted file: it is empty.")
            if self.number == 1 and not VERSION_LINE.startswith(line):
                raise AgeHeaderError("This is not an age-encrypted file.")
            raise _damaged("it ends in the middle of its header")
        return line[:-1]


def _check_version_line(line: bytes) -> None:
    if line + b"\n" == VERSION_LINE:
        return
    if not line.startswith(_VERSION_PREFIX):
        raise AgeHeaderError("This is not an age-encrypted file.")
    version = line[len(_VERSION_PREFIX) :]
    if 0 < len(version) <= 40 and all(33 <= byte <= 126 for byte in version):
        raise AgeHeaderError(
            f"This file uses the age format {line.decode('ascii')}, which this program "
            "cannot read (it reads age-encryption.org/v1)."
        )
    raise _damaged("its first line is not a valid age version line")


def _read_stanza(lines: _HeaderLines, first: bytes) -> Stanza:
    """One stanza whose ``->`` line is ``first``: then 64-column lines up to a short one."""
    start = lines.number
    parts = first.split(b" ")
    if (
        parts[0] != b"->"
        or len(parts) < 2
        or not all(_is_argument(part.decode("latin-1")) for part in parts[1:])
    ):
        raise _damaged(f"header line {start} is not a valid recipient stanza line")
    body = bytearray()
    while True:
        text = lines.next()
        if len(text) > COLUMNS:
            raise _damaged(f"header line {lines.number} is longer than {COLUMNS} columns")
        data = b64decode(text)
        if data is None:
            if text.startswith((b"->", b"---")):
                raise _damaged(
                    f"the recipient stanza on line {start} ends without a final short line"
                )
            raise _damaged(f"header line {lines.number} is not canonical unpadded base64")
        body += data
        if len(data) < BYTES_PER_LINE:
            args = [part.decode("ascii") for part in parts[1:]]
            return Stanza(args[0], tuple(args[1:]), bytes(body))


def _read_header(src: _Input) -> Header:
    """Parse the header exactly per the v1 ABNF; the stream is left at the nonce."""
    if src.peek(1024).lstrip(b" \t\r\n").startswith(_ARMOR_BEGIN):
        raise AgeUnsupportedError(
            "This file is in age's armored text format (-----BEGIN AGE ENCRYPTED FILE-----), "
            "which is not supported: only binary age files can be opened."
        )
    lines = _HeaderLines(src)
    _check_version_line(lines.next())
    stanzas: list[Stanza] = []
    while True:
        line = lines.next()
        if line.startswith(b"---"):
            parts = line.split(b" ")
            if parts[0] != b"---" or len(parts) != 2:
                raise _damaged(f"the header's closing line {lines.number} is malformed")
            mac = b64decode(parts[1])
            if mac is None or len(mac) != MAC_SIZE:
                raise _damaged(
                    f"the header's closing line {lines.number} does not hold a canonical base64 MAC"
                )
            break
        if not line.startswith(b"->"):
            raise _damaged(
                f"header line {lines.number} is neither a recipient stanza nor the MAC line"
            )
        if len(stanzas) == MAX_STANZAS:
            raise AgeHeaderError(
                f"This age file has more than {MAX_STANZAS} recipient stanzas, more than "
                "this program accepts."
            )
        stanzas.append(_read_stanza(lines, line))

    if not stanzas:
        raise _damaged("its header has no recipient stanza")
    if len(stanzas) > 1 and any(stanza.type == SCRYPT_TYPE for stanza in stanzas):
        raise AgeHeaderError(
            "This age file is invalid: a passphrase (scrypt) stanza must be the only "
            "recipient stanza."
        )
    header = Header(tuple(stanzas), mac)
    # The parser is strict, so the header has one encoding: the one the MAC covers. Checked
    # anyway, so that the MAC can never be verified over bytes other than those read.
    if header.encode() != lines.raw:  # pragma: no cover - a parser bug, not a file problem
        raise _damaged("its header is not in canonical form")
    return header


def read_header(inp: BinaryIO) -> Header:
    """Parse and return the header of the age file ``inp`` without any key.

    It reads ahead, so the position of ``inp`` afterwards is not at the payload. Nothing is
    authenticated: the MAC can only be checked with the file key (:func:`decrypt` does).
    """
    return _read_header(_Input(inp))


def _header_hmac(file_key: bytes | bytearray) -> hmac.HMAC:
    """HMAC-SHA256 keyed with HKDF-SHA256(ikm = file key, salt = empty, info = "header")."""
    mac_key = _hkdf(file_key, salt=b"", info=b"header")
    try:
        return hmac.HMAC(mac_key, hashes.SHA256())
    finally:
        _wipe(mac_key)


def _payload_cipher(file_key: bytes | bytearray, nonce: bytes) -> ChaCha20Poly1305:
    payload_key = _hkdf(file_key, salt=nonce, info=b"payload")
    try:
        return ChaCha20Poly1305(payload_key)
    finally:
        _wipe(payload_key)


def _stream_nonce(counter: int, last: bool) -> bytes:
    return counter.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


def _unwrap(header: Header, identities: Iterable[Identity]) -> bytearray:
    for identity in identities:
        found = identity.unwrap(header.stanzas)
        if found is None:
            continue
        file_key = bytearray(found)
        if isinstance(found, bytearray):
            _wipe(found)
        if len(file_key) != FILE_KEY_SIZE:
            _wipe(file_key)
            raise _damaged("the file key it carries is not 16 bytes long")
        return file_key
    if header.stanzas[0].type == SCRYPT_TYPE:
        raise AgeUnsupportedError(
            "This file is protected by an age passphrase (scrypt), which this program cannot "
            "open; decrypt it with the age tool."
        )
    raise AgeNoIdentityMatch()


class AgeReader:
    """The plaintext of an age file whose header has been authenticated.

    ``read(n)`` and iteration (one plaintext chunk at a time) decrypt and authenticate the
    payload chunk by chunk. The end of data (``b""`` or the end of iteration) is only
    reported once a valid final chunk was followed by the end of the stream; any problem
    raises :class:`AgePayloadError`, and keeps raising it. Plaintext handed out before an
    error is authentic but incomplete: treat the whole read as failed.
    """

    def __init__(self, src: _Input, cipher: ChaCha20Poly1305) -> None:
        self._src = src
        self._cipher: ChaCha20Poly1305 | None = cipher
        self._sealed = bytearray(CHUNK_SIZE + TAG_SIZE)  # reused for every chunk read
        self._counter = 0
        self._pending = b""
        self._offset = 0
        self._done = False
        self._error: AgePayloadError | None = None
        self._closed = False

    def _fail(self, message: str) -> AgePayloadError:
        self._error = AgePayloadError(message)
        self._cipher = None
        return self._error

    def _next_chunk(self) -> bytes | None:
        if self._closed:
            raise ValueError("read from a closed AgeReader")
        if self._error is not None:
            raise AgePayloadError(str(self._error))
        if self._done:
            return None
        assert self._cipher is not None
        if self._counter >= _COUNTER_LIMIT - 1:  # pragma: no cover - 2**88 chunks
            raise self._fail("This age file is invalid: it has too many chunks.")
        size = self._src.readinto(self._sealed)
        if not size:
            raise self._fail(
                "This age file is cut short: its encrypted data ends before the final chunk."
            )
        data = memoryview(self._sealed)[:size]
        last = size < CHUNK_SIZE + TAG_SIZE
        if last and size == TAG_SIZE and self._counter > 0:
            raise self._fail(
                "This age file is invalid: it ends with an empty chunk after a full one."
            )
        try:
            plaintext = self._cipher.decrypt(_stream_nonce(self._counter, last), data, None)
        except InvalidTag:
            plaintext = None
        if plaintext is None and not last:  # a full-length chunk may be the final one
            last = True
            try:
                plaintext = self._cipher.decrypt(_stream_nonce(self._counter, True), data, None)
            except InvalidTag:
                plaintext = None
        if plaintext is None:
            raise self._fail(
                f"This age file is damaged or was tampered with: chunk {self._counter + 1} "
                "of its encrypted data failed authentication."
            )
        self._counter += 1
        if last:
            self._cipher = None
            if self._src.read(1):
                # The final chunk is authentic, so it is handed out; the next read fails.
                self._error = AgePayloadError("This age file has unexpected data after its end.")
            else:
                self._done = True
        return plaintext

    def __iter__(self) -> Iterator[bytes]:
        """The plaintext, one chunk (at most 64 KiB) at a time."""
        if self._offset < len(self._pending):
            rest = self._pending[self._offset :]
            self._pending, self._offset = b"", 0
            yield rest
        while (chunk := self._next_chunk()) is not None:
            yield chunk

    def read(self, size: int | None = -1) -> bytes:
        """Up to ``size`` bytes (all that is left if ``size`` is negative or ``None``);
        fewer only at the verified end of the file."""
        if size is None or size < 0:
            return b"".join(list(self))
        parts: list[bytes] = []
        wanted = size
        while wanted > 0:
            if self._offset == len(self._pending):
                chunk = self._next_chunk()
                if chunk is None:
                    break
                self._pending, self._offset = chunk, 0
            part = self._pending[self._offset : self._offset + wanted]
            self._offset += len(part)
            parts.append(part)
            wanted -= len(part)
        return b"".join(parts)

    def readable(self) -> bool:
        """File-like: this object can be read."""
        return True

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return self._closed

    def close(self) -> None:
        """Drop the payload key; the caller's stream stays open (the caller owns it)."""
        self._closed = True
        self._cipher = None
        self._pending, self._offset = b"", 0
        self._sealed = bytearray()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def decrypt(inp: BinaryIO, identities: Iterable[Identity]) -> AgeReader:
    """Open the binary age file ``inp`` with the first of ``identities`` that unwraps it.

    The header is parsed, the file key unwrapped and the header MAC verified here, so a
    header, key or MAC problem raises from this call; the payload is authenticated chunk by
    chunk as the returned reader is read. ``inp`` is read sequentially (it need not be
    seekable) and stays open.
    """
    src = _Input(inp)
    header = _read_header(src)
    file_key = _unwrap(header, identities)
    try:
        verifier = _header_hmac(file_key)
        verifier.update(header.encode_without_mac())
        try:
            verifier.verify(header.mac)
        except InvalidSignature:
            raise AgeHmacError() from None
        nonce = src.read(NONCE_SIZE)
        if len(nonce) != NONCE_SIZE:
            raise _damaged("it is cut short right after its header")
        cipher = _payload_cipher(file_key, nonce)
    finally:
        _wipe(file_key)
    return AgeReader(src, cipher)


# --- writing --------------------------------------------------------------------------


def _write_all(out: BinaryIO, data: bytes | memoryview) -> None:
    view = memoryview(data)
    while view:
        written = out.write(view)
        if written is None or written >= len(view):
            return
        view = view[written:]


def _wrap(recipient: RecipientLike, file_key: bytearray) -> Stanza:
    stanza = recipient.wrap(file_key) if isinstance(recipient, Recipient) else recipient(file_key)
    if not isinstance(stanza, Stanza):
        raise TypeError(f"an age recipient must return a Stanza, not {type(stanza).__name__}")
    return stanza


def _check_writable(stanzas: Sequence[Stanza], header: bytes) -> None:
    """Never write a header that this module (or age) would refuse to read."""
    if not stanzas:
        raise ValueError("an age file needs at least one recipient")
    if len(stanzas) > MAX_STANZAS:
        raise ValueError(f"an age file of ours has at most {MAX_STANZAS} recipient stanzas")
    if len(stanzas) > 1 and any(stanza.type == SCRYPT_TYPE for stanza in stanzas):
        raise ValueError("an scrypt stanza must be the only stanza of an age header")
    if len(header) + 1 + 43 + 1 > MAX_HEADER_SIZE:
        raise ValueError(f"the age header would exceed {MAX_HEADER_SIZE} bytes")
    for stanza in stanzas:
        if len(stanza.encode().split(b"\n", 1)[0]) + 1 > MAX_LINE_LENGTH:
            raise ValueError(f"an age stanza line would exceed {MAX_LINE_LENGTH} bytes")


class AgeWriter:
    """Encrypts to ``recipients`` into ``out``, streaming: ``write()`` then ``close()``.

    The header and nonce are written at once. As a context manager, a clean exit writes the
    final chunk; an exception does not, so an interrupted file never verifies (it lacks its
    final chunk). ``out`` stays open (the caller owns it); ``out.write`` is handed a view of
    a buffer that is reused for the next chunk, as :class:`io.BufferedIOBase` allows.

    Two fixed buffers, the chunk being filled and the sealed chunk, are reused for the whole
    file, and a whole chunk of a large ``write()`` is sealed straight from the caller's data:
    no allocation per chunk, which at hundreds of megabytes costs more than the cipher.
    """

    def __init__(self, out: BinaryIO, recipients: Iterable[RecipientLike]) -> None:
        self._out = out
        # Views, not bytearrays: assigning a slice of a bytearray from another buffer makes a
        # temporary copy first; a memoryview copies straight in.
        self._plain = memoryview(bytearray(CHUNK_SIZE))  # the chunk being filled: [:_filled]
        self._filled = 0
        self._sealed = memoryview(bytearray(CHUNK_SIZE + TAG_SIZE))
        self._counter = 0
        self._closed = False
        file_key = bytearray(os.urandom(FILE_KEY_SIZE))
        try:
            stanzas = [_wrap(recipient, file_key) for recipient in recipients]
            header = _encode_without_mac(stanzas)
            _check_writable(stanzas, header)
            signer = _header_hmac(file_key)
            signer.update(header)
            mac = signer.finalize()
            nonce = os.urandom(NONCE_SIZE)
            self._cipher: ChaCha20Poly1305 | None = _payload_cipher(file_key, nonce)
        finally:
            _wipe(file_key)
        _write_all(out, header + b" " + b64encode(mac) + b"\n" + nonce)

    def _seal(self, plaintext: memoryview, last: bool) -> None:
        """Encrypt one chunk and write it."""
        if self._cipher is None:
            raise ValueError("write to a closed AgeWriter")
        if self._counter >= _COUNTER_LIMIT - 1:  # pragma: no cover - 2**88 chunks
            raise ValueError("an age payload has at most 2**88 chunks")
        nonce = _stream_nonce(self._counter, last)
        if _ENCRYPT_INTO:
            sealed = self._sealed[: len(plaintext) + TAG_SIZE]
            self._cipher.encrypt_into(nonce, plaintext, None, sealed)
            _write_all(self._out, sealed)
        else:  # pragma: no cover - cryptography without encrypt_into
            _write_all(self._out, self._cipher.encrypt(nonce, bytes(plaintext), None))
        self._counter += 1

    def _flush(self, last: bool) -> None:
        self._seal(self._plain[: self._filled], last)
        self._filled = 0

    def write(self, data: bytes | bytearray | memoryview) -> int:
        """Encrypt ``data``; full chunks are written once more data follows them."""
        if self._closed:
            raise ValueError("write to a closed AgeWriter")
        view = memoryview(data).cast("B")
        total = len(view)
        while view:
            if self._filled == CHUNK_SIZE:  # more data follows: this chunk is not the last
                self._flush(last=False)
            if self._filled == 0 and len(view) > CHUNK_SIZE:
                # A whole chunk with more data after it, so not the last: sealed in place.
                self._seal(view[:CHUNK_SIZE], last=False)
                view = view[CHUNK_SIZE:]
                continue
            take = min(CHUNK_SIZE - self._filled, len(view))
            self._plain[self._filled : self._filled + take] = view[:take]
            self._filled += take
            view = view[take:]
        return total

    def writable(self) -> bool:
        """File-like: this object can be written."""
        return True

    @property
    def closed(self) -> bool:
        """Whether the writer was closed or aborted."""
        return self._closed

    def close(self) -> None:
        """Write the final chunk (empty only if nothing was written at all)."""
        if self._closed:
            return
        self._flush(last=True)
        self.abort()

    def abort(self) -> None:
        """Stop without a final chunk: what was written will not verify."""
        self._closed = True
        self._cipher = None
        self._plain = self._sealed = memoryview(bytearray())
        self._filled = 0

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()


def encrypt(
    out: BinaryIO,
    recipients: Iterable[RecipientLike],
    data: bytes | bytearray | memoryview | Iterable[bytes | bytearray | memoryview],
) -> None:
    """Write a binary age v1 file to ``out``: ``data`` (bytes, or an iterable of chunks of
    any size) encrypted to every recipient (each wraps the same fresh file key)."""
    with AgeWriter(out, recipients) as writer:
        if isinstance(data, bytes | bytearray | memoryview):
            writer.write(data)
        else:
            for chunk in data:
                writer.write(chunk)
