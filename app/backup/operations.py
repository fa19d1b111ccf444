"""Create, verify and restore a backup (DESIGN.md section 5, issue 6).

* :func:`create` snapshots the open database, writes ``<vault>-<UTC time>.ivbak`` atomically
  (0600 temporary file in the target folder, fsync, ``os.replace``, fsync of the folder)
  and, before the rename, decrypts it again completely and checks it as :func:`verify`
  does, so a file under its final name has always passed verification once.
* :func:`verify` decrypts every chunk and checks the manifest, the hashes and the database
  (SQLCipher and SQLite integrity checks, audit chain) in a temporary folder that is
  removed afterwards; nothing is written anywhere else.
* :func:`restore` does the same in a temporary folder next to the target (same filesystem),
  writes the vault.json that the backup carries, and only then swaps the folder in; the
  previous vault is kept aside as ``<name>.before-restore-<UTC time>``. Any failure before
  the swap leaves the target untouched; the swap itself is one atomic exchange on Linux
  (``renameat2(RENAME_EXCHANGE)``), two renames elsewhere.

Key material is handled in :mod:`app.vault.backup_keys`; this module never sees the DK
except as the manifest's hex string, which is only written inside the age payload.
"""

import contextlib
import ctypes
import ctypes.util
import errno
import hashlib
import os
import re
import secrets
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import app
from app.backup import archive, snapshot
from app.backup import manifest as mf
from app.backup.age_format import AgeNoIdentityMatch, AgeWriter, decrypt
from app.backup.archive import CancelCheck, Progress, ProgressCallback
from app.backup.errors import BackupError
from app.errors import WrongPassphrase
from app.fileio import PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, fsync_dir, write_atomic
from app.vault import vault_file
from app.vault.backup_keys import BackupIdentity, KeyslotsIdentity
from app.vault.vault import VAULT_FILE, UnlockedVault

SUFFIX = ".ivbak"
# what a write returns when the disk (or the user's quota, or the file size limit) is full
DISK_FULL = frozenset({errno.ENOSPC, errno.EFBIG, errno.EDQUOT})
_HASH_BUFFER = 1024 * 1024

SAME_FILESYSTEM_WARNING = (
    "This backup is on the same drive as the vault. If that drive fails, or the laptop is "
    "lost or stolen, the backup is lost with it: copy it to a separate drive (a USB disk, "
    "another computer) as well."
)


@dataclass(frozen=True)
class CreatedBackup:
    path: Path
    size: int
    manifest: mf.Manifest
    warning: str | None  # set when the backup is on the same filesystem as the vault


@dataclass(frozen=True)
class VerifyReport:
    path: Path
    vault_id: str
    created: str
    app_version: str
    audit_seq: int
    entries: tuple[mf.Entry, ...]
    size: int


@dataclass(frozen=True)
class RestoreResult:
    data_dir: Path
    previous: Path | None  # where the vault that was there before now is, if there was one
    report: VerifyReport


def _utc_stamp(epoch: float) -> str:
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(epoch))


def sha256_file(path: Path) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as src:
        while chunk := src.read(_HASH_BUFFER):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def _free_name(folder: Path, stem: str) -> Path:
    """``stem.ivbak``, or ``stem-N.ivbak`` after the highest N already there, so that names
    made within one second still sort in the order they were made (see :func:`rotate`)."""
    taken = [p.name for p in folder.glob(f"{stem}*{SUFFIX}")]
    if not taken:
        return folder / f"{stem}{SUFFIX}"
    suffixes = [
        int(m.group(1))
        for name in taken
        if (m := re.fullmatch(rf"{re.escape(stem)}-(\d+){re.escape(SUFFIX)}", name))
    ]
    return folder / f"{stem}-{max(suffixes, default=0) + 1}{SUFFIX}"


def same_filesystem(a: Path, b: Path) -> bool:
    """Whether ``a`` and ``b`` (existing paths) are on the same filesystem (``st_dev``)."""
    return os.stat(a).st_dev == os.stat(b).st_dev


def _open_and_check(
    path: Path,
    identity: BackupIdentity,
    work: Path,
    callback: ProgressCallback | None,
    cancelled: CancelCheck | None,
) -> mf.Manifest:
    """Decrypt ``path`` into ``work`` and check everything; returns the manifest."""
    try:
        with open(path, "rb") as src, decrypt(src, [identity]) as reader:
            manifest = archive.extract(reader, work, callback, cancelled)
    except FileNotFoundError:
        raise BackupError(f"There is no backup file {path}.") from None
    except AgeNoIdentityMatch:
        if isinstance(identity, KeyslotsIdentity):
            if not identity.found_stanza:
                raise WrongPassphrase(
                    "This backup cannot be opened with a passphrase (it has no InvoiceVault "
                    "keyslots); use the recovery key."
                ) from None
            raise WrongPassphrase(
                f"Wrong passphrase for {identity.user}: it does not open this backup."
            ) from None
        raise WrongPassphrase("This recovery key does not open this backup.") from None
    snapshot.check(work / mf.DATABASE_NAME, manifest.database_key, *_head(manifest))
    identity.check_database_key(manifest.database_key)
    parsed = vault_file.parse(identity.vault_json())
    if parsed.vault_id != manifest.vault_id:
        raise archive.refused("its keyslots belong to another vault than its database")
    return manifest


def _head(manifest: mf.Manifest) -> tuple[int, str]:
    return manifest.audit_seq, manifest.audit_hash


def _report(path: Path, manifest: mf.Manifest) -> VerifyReport:
    return VerifyReport(
        path=path,
        vault_id=manifest.vault_id,
        created=manifest.created,
        app_version=manifest.app_version,
        audit_seq=manifest.audit_seq,
        entries=manifest.entries,
        size=path.stat().st_size,
    )


# --- create -----------------------------------------------------------------------------


def create(
    unlocked: UnlockedVault,
    target_dir: Path,
    *,
    progress: ProgressCallback | None = None,
    cancelled: CancelCheck | None = None,
    clock: Callable[[], float] = time.time,
) -> CreatedBackup:
    """Back up the open vault into ``target_dir``; verified before it gets its name."""
    target_dir = Path(target_dir)
    if not target_dir.exists():
        target_dir.mkdir(parents=True, mode=PRIVATE_DIR_MODE)
    if not target_dir.is_dir():
        raise BackupError(f"{target_dir} is not a folder.")
    data_dir = unlocked.vault.data_dir
    warning = SAME_FILESYSTEM_WARNING if same_filesystem(target_dir, data_dir) else None
    work = Path(tempfile.mkdtemp(prefix=".backup-", dir=data_dir))
    try:
        return _create(unlocked, target_dir, work, warning, progress, cancelled, clock)
    except OSError as error:
        if error.errno not in DISK_FULL:
            raise
        raise BackupError(
            f"There is not enough space for the backup ({error.strerror}). Free some space "
            f"on the backup drive or next to the vault and try again; nothing was changed."
        ) from None
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _create(
    unlocked: UnlockedVault,
    target_dir: Path,
    work: Path,
    warning: str | None,
    progress: ProgressCallback | None,
    cancelled: CancelCheck | None,
    clock: Callable[[], float],
) -> CreatedBackup:
    tmp: Path | None = None
    try:
        snap_dir = work / "snapshot"
        snap_dir.mkdir(mode=PRIVATE_DIR_MODE)
        snap = snapshot.take(unlocked, snap_dir)
        size, sha = sha256_file(snap.path)
        now = clock()
        manifest = mf.Manifest(
            vault_id=unlocked.vault_id,
            created=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now)),
            app_version=app.__version__,
            audit_seq=snap.audit_seq,
            audit_hash=snap.audit_hash,
            entries=(mf.Entry(mf.DATABASE_NAME, size, sha),),
            database_key=unlocked.database_key_for_backup_manifest(),
        )
        manifest_bytes = mf.dump(manifest)
        final = _free_name(target_dir, f"{unlocked.vault_id[:8]}-{_utc_stamp(now)}")
        tmp = target_dir / f".{final.name}.{secrets.token_hex(6)}.tmp"
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
        fd = os.open(tmp, flags, PRIVATE_FILE_MODE)
        total = 2 * max(size, 1)
        with os.fdopen(fd, "wb") as out:
            writer = AgeWriter(out, unlocked.backup_recipients())
            try:
                step = Progress(total, progress, cancelled)
                archive.write(
                    writer, manifest_bytes, [(mf.DATABASE_NAME, snap.path)], int(now), step
                )
            except BaseException:
                writer.abort()
                raise
            writer.close()
            out.flush()
            os.fsync(out.fileno())
        check_dir = work / "check"
        check_dir.mkdir(mode=PRIVATE_DIR_MODE)
        half = total // 2

        def verify_progress(done: int, _total: int) -> None:
            if progress is not None:
                progress(min(half + done, total), total)

        with open(tmp, "rb") as src, decrypt(src, [unlocked.backup_check_identity()]) as reader:
            read_back = archive.extract(reader, check_dir, verify_progress, cancelled)
        if mf.dump(read_back) != manifest_bytes:  # pragma: no cover - a bug, not a disk fault
            raise BackupError("The backup just written does not read back as written.")
        snapshot.check(check_dir / mf.DATABASE_NAME, manifest.database_key, *_head(manifest))
        os.replace(tmp, final)
        tmp = None
        fsync_dir(target_dir)
        return CreatedBackup(final, final.stat().st_size, manifest, warning)
    finally:
        if tmp is not None:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()


def rotate(target_dir: Path, vault_id: str, keep: int) -> list[Path]:
    """Remove this vault's oldest backups in ``target_dir`` beyond the newest ``keep``.

    Only files named like ours for this vault are touched. Their names give the order
    (``<id>-<UTC time>[-n].ivbak``), which copying them to another drive does not change.
    """
    pattern = re.compile(rf"^{re.escape(vault_id[:8])}-(\d{{8}}T\d{{6}}Z)(?:-(\d+))?{SUFFIX}$")
    ours = sorted(
        ((m.group(1), int(m.group(2) or 0)), p)
        for p in Path(target_dir).iterdir()
        if p.is_file() and (m := pattern.match(p.name))
    )
    removed = [path for _order, path in ours[: max(len(ours) - keep, 0)]]
    for path in removed:
        path.unlink()
    if removed:
        fsync_dir(Path(target_dir))
    return removed


# --- verify -----------------------------------------------------------------------------


def verify(
    path: Path,
    identity: BackupIdentity,
    *,
    progress: ProgressCallback | None = None,
    cancelled: CancelCheck | None = None,
    work_root: Path | None = None,
) -> VerifyReport:
    """Decrypt and check the whole backup; only a temporary folder is written (and removed)."""
    path = Path(path)
    work = Path(tempfile.mkdtemp(prefix="invoicevault-verify-", dir=work_root))
    try:
        manifest = _open_and_check(path, identity, work, progress, cancelled)
        return _report(path, manifest)
    finally:
        identity.wipe()
        shutil.rmtree(work, ignore_errors=True)


# --- restore ----------------------------------------------------------------------------


def restore(
    path: Path,
    identity: BackupIdentity,
    data_dir: Path,
    *,
    progress: ProgressCallback | None = None,
    cancelled: CancelCheck | None = None,
    clock: Callable[[], float] = time.time,
) -> RestoreResult:
    """Restore the backup ``path`` as the vault in ``data_dir`` (which must not be open)."""
    path = Path(path)
    data_dir = Path(os.path.abspath(data_dir))
    parent = data_dir.parent
    parent.mkdir(parents=True, exist_ok=True)
    if data_dir.exists() and not data_dir.is_dir():
        raise BackupError(f"{data_dir} exists and is not a folder; nothing was restored.")
    work = Path(tempfile.mkdtemp(prefix=f".{data_dir.name}.restore-", dir=parent))
    swapped = False
    try:
        try:
            manifest = _open_and_check(path, identity, work, progress, cancelled)
            write_atomic(work / VAULT_FILE, identity.vault_json())
        finally:
            identity.wipe()
        os.chmod(work, PRIVATE_DIR_MODE)
        fsync_dir(work)
        if cancelled is not None and cancelled():
            raise archive.BackupCancelled()
        previous = _swap_in(work, data_dir, clock())
        swapped = True
        return RestoreResult(data_dir, previous, _report(path, manifest))
    except OSError as error:
        if error.errno not in DISK_FULL:
            raise
        raise BackupError(
            f"There is not enough space in {parent} to restore this backup "
            f"({error.strerror}). Free some space and try again; nothing was changed."
        ) from None
    finally:
        if not swapped:
            shutil.rmtree(work, ignore_errors=True)


def _aside_name(data_dir: Path, epoch: float) -> Path:
    stem = f"{data_dir.name}.before-restore-{_utc_stamp(epoch)}"
    candidate = data_dir.with_name(stem)
    n = 1
    while candidate.exists():
        candidate = data_dir.with_name(f"{stem}-{n}")
        n += 1
    return candidate


def _swap_in(new: Path, data_dir: Path, epoch: float) -> Path | None:
    """Put ``new`` at ``data_dir``; the previous folder (if any) goes aside. Returns it."""
    parent = data_dir.parent
    if not data_dir.exists():
        os.rename(new, data_dir)
        fsync_dir(parent)
        return None
    aside = _aside_name(data_dir, epoch)
    if _exchange(new, data_dir):
        # One atomic step: data_dir is the restored vault, ``new`` now holds the old one. A
        # crash before the next rename leaves the old vault under the temporary name.
        fsync_dir(parent)
        os.rename(new, aside)
    else:
        os.rename(data_dir, aside)
        try:
            os.rename(new, data_dir)
        except BaseException:
            os.rename(aside, data_dir)
            raise
    fsync_dir(parent)
    return aside


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically with Linux ``renameat2(RENAME_EXCHANGE)``; False when the
    system cannot (another OS, an old kernel or libc, a filesystem without it)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    renameat2.restype = ctypes.c_int
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    errno = ctypes.get_errno()
    if errno in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: fall back to two renames
        return False
    raise OSError(errno, os.strerror(errno), str(b))
