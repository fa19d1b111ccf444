"""Damaged, tampered and hostile backups are refused with a clear message, and nothing is
written outside the temporary folder (which is removed).

Hostile payloads are made the way an attacker holding a key would: a crafted tar stream,
encrypted with our own age writer to the vault's real recipients, so every age check passes
and only the archive and manifest checks stand in the way.
"""

import hashlib
import io
import json
import re
import tarfile
import tempfile
from pathlib import Path

import pytest
from support import PASSPHRASE

from app.backup import archive
from app.backup import manifest as mf
from app.backup.age_format import CHUNK_SIZE, NONCE_SIZE, TAG_SIZE, decrypt, encrypt
from app.errors import InvoiceVaultError
from app.services import access, backup
from app.vault.backup_keys import RecoveryKeyIdentity
from app.vault.kdf import FLOOR

DB = b"SQLite format 3\0" + bytes(range(256)) * 8


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A vault, its recovery key, one real backup, and a private system temp folder."""
    system_tmp = tmp_path / "system-tmp"
    system_tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(system_tmp))
    session, recovery_key = access.create_vault(tmp_path / "vault", "owner", PASSPHRASE, kdf=FLOOR)
    created = backup.create_backup(session, tmp_path / "usb")
    yield session, recovery_key, created.path, system_tmp
    session.vault.lock()


def _nothing_left(tmp_path: Path, system_tmp: Path) -> None:
    assert list(system_tmp.iterdir()) == []
    target = tmp_path / "target"
    assert not target.exists() or list(target.iterdir()) == []
    assert not any(p.name.startswith("evil") for p in tmp_path.rglob("*"))


def _refused_everywhere(path: Path, recovery_key: str, tmp_path: Path, system_tmp: Path) -> str:
    with pytest.raises(InvoiceVaultError) as verify_error:
        backup.verify_backup(path, recovery_key=recovery_key)
    (tmp_path / "target").mkdir(exist_ok=True)
    with pytest.raises(InvoiceVaultError):
        backup.restore_backup(path, tmp_path / "target" / "vault", recovery_key=recovery_key)
    _nothing_left(tmp_path, system_tmp)
    return str(verify_error.value)


# --- tampering with a real backup -----------------------------------------------------------


def _header_length(data: bytes) -> int:
    end = data.index(b"\n---")
    return data.index(b"\n", end + 1) + 1


def test_single_bit_flips_in_header_and_payload_are_refused(world, tmp_path):
    _session, recovery_key, path, system_tmp = world
    data = path.read_bytes()
    header = _header_length(data)
    positions = sorted(
        {*range(0, header, max(1, header // 25)), header - 2, header - 45}
        | {header, header + NONCE_SIZE, header + NONCE_SIZE + CHUNK_SIZE + 3}
        | {*range(header + NONCE_SIZE, len(data), len(data) // 12), len(data) - 1}
    )
    bad = tmp_path / "bad.ivbak"
    for position in positions:
        flipped = bytearray(data)
        flipped[position] ^= 1 << (position % 8)
        bad.write_bytes(bytes(flipped))
        with pytest.raises(InvoiceVaultError):
            backup.verify_backup(bad, recovery_key=recovery_key)
    _nothing_left(tmp_path, system_tmp)


def test_flips_in_the_keyslots_stanza_are_refused_for_a_passphrase(world, tmp_path):
    _session, _key, path, system_tmp = world
    data = path.read_bytes()
    start = data.index(b"-> invoicevault-keyslots")
    end = data.index(b"\n---")
    bad = tmp_path / "bad.ivbak"
    for position in range(start + 30, end, (end - start) // 5):
        flipped = bytearray(data)
        flipped[position] ^= 2
        bad.write_bytes(bytes(flipped))
        with pytest.raises(InvoiceVaultError):
            backup.verify_backup(bad, PASSPHRASE)
    _nothing_left(tmp_path, system_tmp)


def test_cut_removed_duplicated_reordered_and_extended_payloads_are_refused(world, tmp_path):
    _session, recovery_key, path, system_tmp = world
    data = path.read_bytes()
    start = _header_length(data) + NONCE_SIZE
    full = CHUNK_SIZE + TAG_SIZE
    chunks = [data[i : i + full] for i in range(start, len(data), full)]
    assert len(chunks) >= 3
    head = data[:start]
    variants = {
        "cut in the header": data[: start - NONCE_SIZE - 10],
        "cut after the header": data[: start - NONCE_SIZE],
        "cut after the nonce": data[:start],
        "cut at a chunk boundary": data[: start + full],
        "cut inside a chunk": data[: start + full + 100],
        "cut by one byte": data[:-1],
        "chunk removed": head + chunks[0] + b"".join(chunks[2:]),
        "chunk duplicated": head + chunks[0] + chunks[0] + b"".join(chunks[1:]),
        "chunks reordered": head + chunks[1] + chunks[0] + b"".join(chunks[2:]),
        "trailing zero": data + b"\0",
        "trailing data": data + b"more",
    }
    bad = tmp_path / "bad.ivbak"
    for label, content in variants.items():
        bad.write_bytes(content)
        with pytest.raises(InvoiceVaultError, match=r"age file|damaged|cut|tampered") as error:
            backup.verify_backup(bad, recovery_key=recovery_key)
        assert "\n" not in str(error.value), label
    _nothing_left(tmp_path, system_tmp)


def test_a_swapped_header_is_refused(world, tmp_path):
    session, recovery_key, path, system_tmp = world
    other = backup.create_backup(session, tmp_path / "usb2").path.read_bytes()
    data = path.read_bytes()
    swapped = other[: _header_length(other)] + data[_header_length(data) :]
    bad = tmp_path / "bad.ivbak"
    bad.write_bytes(swapped)
    message = _refused_everywhere(bad, recovery_key, tmp_path, system_tmp)
    assert "chunk 1" in message


def test_a_database_that_fails_its_integrity_check_is_refused(world, tmp_path):
    session, recovery_key, path, system_tmp = world
    with open(path, "rb") as src, decrypt(src, [RecoveryKeyIdentity(recovery_key)]) as reader:
        plain = reader.read()
    with tarfile.open(fileobj=io.BytesIO(plain)) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
        db = bytearray(tar.extractfile("invoicevault.db").read())
    db[len(db) // 2] ^= 0x10  # one byte inside an encrypted page
    manifest["entries"][0]["sha256"] = hashlib.sha256(db).hexdigest()
    bad = _hostile(
        session, tmp_path, [_file("manifest.json", _json(manifest)), _file(mf.DATABASE_NAME, db)]
    )
    message = _refused_everywhere(bad, recovery_key, tmp_path, system_tmp)
    assert "integrity" in message or "damaged" in message


# --- hostile archives -----------------------------------------------------------------------


def _json(doc: object) -> bytes:
    return json.dumps(doc).encode()


def _manifest(entries: list[dict], **changes: object) -> bytes:
    doc = {
        "format": "invoicevault-backup",
        "version": 1,
        "vault_id": "0" * 32,
        "created": "2026-01-01T00:00:00Z",
        "app_version": "0.1.0",
        "audit_head": {"seq": 1, "hash": "0" * 64},
        "entries": entries,
        "database_key": "ab" * 32,
        **changes,
    }
    return _json(doc)


def _db_entry(size: int = len(DB), name: str = mf.DATABASE_NAME) -> dict:
    return {"name": name, "size": size, "sha256": hashlib.sha256(DB).hexdigest()}


def _file(name: str, data: bytes, size: int | None = None) -> tuple[tarfile.TarInfo, bytes]:
    info = tarfile.TarInfo(name)
    info.size = len(data) if size is None else size
    return info, data


def _link(name: str, target: str, kind: bytes = tarfile.SYMTYPE) -> tuple[tarfile.TarInfo, bytes]:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = target
    return info, b""


def _hostile(session, tmp_path: Path, members: list[tuple[tarfile.TarInfo, bytes]]) -> Path:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for info, data in members:
            tar.addfile(info, io.BytesIO(data) if info.isreg() else None)
    path = tmp_path / "hostile.ivbak"
    with open(path, "wb") as out:
        encrypt(out, session.vault.backup_recipients(), buf.getvalue())
    return path


def _huge_pax() -> tuple[tarfile.TarInfo, bytes]:
    info, data = _file(mf.DATABASE_NAME, DB)
    info.pax_headers = {"comment": "x" * (archive.MAX_META_BYTES + 10)}
    return info, data


MANIFEST = _file("manifest.json", _manifest([_db_entry()]))
HOSTILE = {
    "parent folder": ([MANIFEST, _file("../evil", DB)], "leaves its folder"),
    "deep parent": ([MANIFEST, _file("assets/../../evil", DB)], "leaves its folder"),
    "absolute path": ([MANIFEST, _file("/tmp/evil-abs", DB)], "absolute path"),
    "symlink": ([MANIFEST, _link(mf.DATABASE_NAME, "/etc/passwd")], "is a link"),
    "hard link": ([MANIFEST, _link(mf.DATABASE_NAME, "x", tarfile.LNKTYPE)], "is a link"),
    "device": ([MANIFEST, _link(mf.DATABASE_NAME, "", tarfile.CHRTYPE)], "special file"),
    "folder": ([MANIFEST, _link("assets", "", tarfile.DIRTYPE)], "folder"),
    "duplicate": (
        [MANIFEST, _file(mf.DATABASE_NAME, DB), _file(mf.DATABASE_NAME, DB)],
        "twice",
    ),
    "not in manifest": ([MANIFEST, _file("assets/logo.png", DB)], "not listed"),
    "size mismatch": ([MANIFEST, _file(mf.DATABASE_NAME, DB[:100])], "manifest says"),
    "missing entry": ([MANIFEST], "missing"),
    "manifest not first": ([_file(mf.DATABASE_NAME, DB), MANIFEST], "start with its manifest"),
    "absurd size": (
        [_file("manifest.json", _manifest([_db_entry(size=1 << 50)])), _file(mf.DATABASE_NAME, DB)],
        "between 0 and",
    ),
    "more than the disk": (
        [_file("manifest.json", _manifest([_db_entry(size=1 << 39)])), _file(mf.DATABASE_NAME, DB)],
        "Not enough free space|manifest says",  # the second on a disk with 512 GiB free
    ),
    "manifest too big": ([_file("manifest.json", b" " * (mf.MAX_MANIFEST_BYTES + 1))], "larger"),
    "unknown version": ([_file("manifest.json", _manifest([_db_entry()], version=2))], "version 2"),
    "unknown field": (
        [_file("manifest.json", _manifest([_db_entry()], extra=1))],
        "unknown field 'extra'",
    ),
    "duplicate key": (
        [_file("manifest.json", b'{"format": "invoicevault-backup", "format": "x"}')],
        "duplicate key",
    ),
    "bad entry name": (
        [_file("manifest.json", _manifest([_db_entry(), _db_entry(name="../evil")]))],
        "leaves its folder",
    ),
    "huge extended header": ([MANIFEST, _huge_pax()], "extended tar header"),
    "not a sqlcipher database": ([MANIFEST, _file(mf.DATABASE_NAME, DB)], "does not open"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_archives_are_refused(world, tmp_path, case):
    session, recovery_key, _path, system_tmp = world
    members, expected = HOSTILE[case]
    bad = _hostile(session, tmp_path, members)
    message = _refused_everywhere(bad, recovery_key, tmp_path, system_tmp)
    assert re.search(expected, message), message
    assert not Path("/tmp/evil-abs").exists()
