"""The tar payload of a backup: written into an age stream, read back with every check.

Writing: a PAX tar stream (``tarfile`` mode ``w|``) with ``manifest.json`` first, then the
database snapshot (the logo and stored PDFs are inside it), each member 0600 with a fixed owner.

Reading treats the (authenticated, but possibly crafted by whoever holds a key) payload as
hostile. The stream is consumed member by member, never seeking; the manifest must come
first and be small; every later member must be a regular file listed in the manifest, at
most once, with the size the manifest gives, and nothing is written before those checks
pass. Names are plain relative paths (no ``..``, no absolute path, no link or device).
Extended headers larger than :data:`MAX_META_BYTES` are refused before ``tarfile`` loads
them, and the whole stream may not exceed what the manifest announces, so a hostile archive
cannot make us allocate or write more than the manifest said (whose sizes are bounded).
Files are only ever created inside the given destination folder, with ``O_EXCL`` and
``O_NOFOLLOW``, hashed with SHA-256 as they stream, and fsynced.
"""

import hashlib
import io
import os
import shutil
import tarfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import BinaryIO

from app.backup import manifest as mf
from app.backup.errors import BackupCancelled, BackupError
from app.fileio import PRIVATE_DIR_MODE, PRIVATE_FILE_MODE

BUFFER = 64 * 1024
MAX_META_BYTES = 64 * 1024  # a PAX or GNU long-name header of ours is a few hundred bytes
_PER_MEMBER_SLACK = 3 * tarfile.BLOCKSIZE + MAX_META_BYTES
_END_SLACK = 4 * tarfile.RECORDSIZE
_REGULAR = (tarfile.REGTYPE, tarfile.AREGTYPE)
_META_TYPES = (
    tarfile.XHDTYPE,
    tarfile.XGLTYPE,
    tarfile.SOLARIS_XHDTYPE,
    tarfile.GNUTYPE_LONGNAME,
    tarfile.GNUTYPE_LONGLINK,
)

ProgressCallback = Callable[[int, int], None]
CancelCheck = Callable[[], bool]


class Progress:
    """Bytes done out of a total, reported to the caller; checks for cancel on each step."""

    def __init__(
        self,
        total: int,
        callback: ProgressCallback | None = None,
        cancelled: CancelCheck | None = None,
    ) -> None:
        self.total = total
        self.done = 0
        self._callback = callback
        self._cancelled = cancelled

    def check(self) -> None:
        if self._cancelled is not None and self._cancelled():
            raise BackupCancelled()

    def advance(self, n: int) -> None:
        self.check()
        self.done += n
        if self._callback is not None:
            self._callback(min(self.done, self.total), self.total)


def refused(why: str) -> BackupError:
    return BackupError(f"This backup was refused: {why}.")


# --- writing ----------------------------------------------------------------------------


class _CountingReader(io.RawIOBase):
    def __init__(self, raw: BinaryIO, progress: Progress) -> None:
        self._raw = raw
        self._progress = progress

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size)
        self._progress.advance(len(data))
        return data


def _member(name: str, size: int, mtime: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = mtime
    info.mode = PRIVATE_FILE_MODE
    info.type = tarfile.REGTYPE
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def write(
    out: BinaryIO,
    manifest_bytes: bytes,
    files: Sequence[tuple[str, Path]],
    mtime: int,
    progress: Progress,
) -> None:
    """Write the tar stream: ``manifest.json``, then ``files`` (name in the archive, path)."""
    with tarfile.open(fileobj=out, mode="w|", format=tarfile.PAX_FORMAT) as tar:
        tar.addfile(
            _member(mf.MANIFEST_NAME, len(manifest_bytes), mtime), io.BytesIO(manifest_bytes)
        )
        for name, path in files:
            with open(path, "rb") as src:
                size = os.fstat(src.fileno()).st_size
                tar.addfile(_member(name, size, mtime), _CountingReader(src, progress))


# --- reading ----------------------------------------------------------------------------


class _SafeTarInfo(tarfile.TarInfo):
    """Refuses oversized extended headers before ``tarfile`` reads them into memory."""

    def _proc_member(self, tarfile_: tarfile.TarFile) -> tarfile.TarInfo:
        if self.type in _META_TYPES and self.size > MAX_META_BYTES:
            raise refused(f"it has an extended tar header of {self.size} bytes")
        return super()._proc_member(tarfile_)


class _Limited(io.RawIOBase):
    """The payload, with a ceiling on how much of it may be read."""

    def __init__(self, raw: BinaryIO, limit: int) -> None:
        self._raw = raw
        self.limit = limit
        self.count = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            size = BUFFER
        data = self._raw.read(min(size, self.limit - self.count + 1))
        self.count += len(data)
        if self.count > self.limit:
            raise refused("it holds more data than its manifest announces")
        return data


def _check_member(member: tarfile.TarInfo, manifest: mf.Manifest, seen: set[str]) -> mf.Entry:
    name = member.name
    if member.type not in _REGULAR:
        kind = (
            "a link"
            if member.issym() or member.islnk()
            else "a folder"
            if member.isdir()
            else "a device or special file"
        )
        raise refused(f"its entry {name!r} is {kind}, not a plain file")
    problem = mf.check_name(name)
    if problem:
        raise refused(f"it has an entry with {problem}")
    if name in seen:
        raise refused(f"it holds the entry {name!r} twice")
    entry = manifest.entry(name)
    if entry is None:
        raise refused(f"its entry {name!r} is not listed in its manifest")
    if member.size != entry.size:
        raise refused(
            f"its entry {name!r} is {member.size} bytes but its manifest says {entry.size}"
        )
    return entry


def _extract_one(
    tar: tarfile.TarFile, member: tarfile.TarInfo, entry: mf.Entry, dest: Path, progress: Progress
) -> None:
    target = dest.joinpath(*entry.name.split("/"))
    for parent in reversed(target.relative_to(dest).parents[:-1]):
        folder = dest / parent
        if not folder.is_dir():
            folder.mkdir(mode=PRIVATE_DIR_MODE)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(target, flags | getattr(os, "O_BINARY", 0), PRIVATE_FILE_MODE)
    digest = hashlib.sha256()
    written = 0
    with os.fdopen(fd, "wb") as out:
        src = tar.extractfile(member)
        assert src is not None  # a regular member always has a file object
        while chunk := src.read(BUFFER):
            written += len(chunk)
            if written > entry.size:  # pragma: no cover - tarfile stops at member.size
                raise refused(f"its entry {entry.name!r} is longer than its manifest says")
            digest.update(chunk)
            out.write(chunk)
            progress.advance(len(chunk))
        out.flush()
        os.fsync(out.fileno())
    if written != entry.size:
        raise refused(f"its entry {entry.name!r} is cut short")
    if digest.hexdigest() != entry.sha256:
        raise refused(f"its entry {entry.name!r} does not match the checksum in its manifest")


def extract(
    payload: BinaryIO,
    dest: Path,
    callback: ProgressCallback | None = None,
    cancelled: CancelCheck | None = None,
) -> mf.Manifest:
    """Read the whole tar stream from ``payload`` (an age reader), check it against its
    manifest and write its entries into the existing empty folder ``dest``."""
    limited = _Limited(payload, mf.MAX_MANIFEST_BYTES + _PER_MEMBER_SLACK + _END_SLACK)
    progress = Progress(0, None, cancelled)
    try:
        with tarfile.open(fileobj=limited, mode="r|", tarinfo=_SafeTarInfo) as tar:
            first = tar.next()
            if first is None or first.name != mf.MANIFEST_NAME or first.type not in _REGULAR:
                raise refused("it does not start with its manifest")
            if first.size > mf.MAX_MANIFEST_BYTES:
                raise refused(f"its manifest is larger than {mf.MAX_MANIFEST_BYTES} bytes")
            src = tar.extractfile(first)
            assert src is not None
            manifest = mf.parse(src.read(first.size))
            padded = sum(
                -(-e.size // tarfile.BLOCKSIZE) * tarfile.BLOCKSIZE for e in manifest.entries
            )
            limited.limit = (
                limited.count + padded + _PER_MEMBER_SLACK * len(manifest.entries) + _END_SLACK
            )
            free = shutil.disk_usage(dest).free
            if manifest.total_size > free:
                raise BackupError(
                    f"Not enough free space in {dest.parent}: the backup needs "
                    f"{manifest.total_size // 2**20 + 1} MiB, {free // 2**20} MiB are free."
                )
            progress = Progress(manifest.total_size, callback, cancelled)
            seen: set[str] = set()
            while (member := tar.next()) is not None:
                entry = _check_member(member, manifest, seen)
                seen.add(entry.name)
                _extract_one(tar, member, entry, dest, progress)
            missing = [e.name for e in manifest.entries if e.name not in seen]
            if missing:
                raise refused(f"its entry {missing[0]!r} is missing")
        # The end of the tar is zero blocks; read to the end of the age stream so that its
        # final chunk is authenticated and a cut or extended file is noticed.
        while chunk := limited.read(BUFFER):
            if chunk.count(0) != len(chunk):
                raise refused("it has data after the end of its archive")
    except tarfile.TarError as exc:
        raise refused(f"its archive is malformed ({exc})") from None
    return manifest
