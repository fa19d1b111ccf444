"""``manifest.json``: the first entry of a backup's tar payload (DESIGN.md section 5).

Layout (version 1, canonical JSON)::

    {"format": "invoicevault-backup", "version": 1, "vault_id": "<32 hex>",
     "created": "2026-11-25T16:00:00Z", "app_version": "0.1.0",
     "audit_head": {"seq": 42, "hash": "<64 hex>"},
     "entries": [{"name": "invoicevault.db", "size": 1234, "sha256": "<64 hex>"}, ...],
     "database_key": "<64 hex>"}

The database key is there so that stock tools (age, then sqlcipher) open the database
without this application; the manifest itself is only ever stored inside the age payload.

The parser treats the manifest as untrusted: its size is capped by the reader before it is
loaded, duplicate and unknown keys are refused, every size is bounded (so nothing is
allocated on a hostile manifest's word) and every name is a plain relative path.
"""

import json
import re
from dataclasses import dataclass
from typing import Any

from app.backup.errors import BackupError
from app.jsonutil import canonical, unique_keys

FORMAT_NAME = "invoicevault-backup"
FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
DATABASE_NAME = "invoicevault.db"
ASSETS_PREFIX = "assets/"
MAX_MANIFEST_BYTES = 1024 * 1024
MAX_ENTRIES = 10_000
MAX_ENTRY_SIZE = 1 << 40  # 1 TiB: beyond any invoicing database or asset
MAX_TOTAL_SIZE = 1 << 40
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_VAULT_ID = re.compile(r"^[0-9a-f]{32}$")
_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
_VERSION = re.compile(r"^[0-9A-Za-z.+-]{1,40}$")
_SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._ -]{0,127}$")
_MAX_NAME = 512


@dataclass(frozen=True)
class Entry:
    name: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    vault_id: str
    created: str
    app_version: str
    audit_seq: int
    audit_hash: str
    entries: tuple[Entry, ...]
    database_key: str

    @property
    def total_size(self) -> int:
        return sum(entry.size for entry in self.entries)

    def entry(self, name: str) -> Entry | None:
        return next((e for e in self.entries if e.name == name), None)

    def __repr__(self) -> str:  # never show the database key
        return (
            f"Manifest(vault_id={self.vault_id!r}, created={self.created!r}, "
            f"entries={[e.name for e in self.entries]!r})"
        )


def _damaged(what: str) -> BackupError:
    return BackupError(f"This backup's manifest is invalid: {what}.")


def check_name(name: str) -> str | None:
    """Why ``name`` is not an acceptable entry name, or None if it is."""
    if not name or len(name) > _MAX_NAME:
        return "an empty or overlong name"
    if name.startswith("/") or name.startswith("\\") or re.match(r"^[A-Za-z]:", name):
        return f"an absolute path ({name!r})"
    parts = name.split("/")
    if any(part in ("..", ".") for part in parts) or "\\" in name:
        return f"a path that leaves its folder ({name!r})"
    if not all(_SEGMENT.fullmatch(part) for part in parts):
        return f"a name with characters that are not allowed ({name!r})"
    if name != DATABASE_NAME and not name.startswith(ASSETS_PREFIX):
        return f"an entry that is neither the database nor an asset ({name!r})"
    return None


def dump(manifest: Manifest) -> bytes:
    doc = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "vault_id": manifest.vault_id,
        "created": manifest.created,
        "app_version": manifest.app_version,
        "audit_head": {"seq": manifest.audit_seq, "hash": manifest.audit_hash},
        "entries": [{"name": e.name, "size": e.size, "sha256": e.sha256} for e in manifest.entries],
        "database_key": manifest.database_key,
    }
    data = canonical(doc)
    parse(data)  # never write a manifest that we would refuse to read
    return data


def _object(value: object, keys: set[str], where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _damaged(f"{where} is not an object")
    if set(value) != keys:
        extra = sorted(set(value) - keys)
        missing = sorted(keys - set(value))
        raise _damaged(
            f"{where} has an unknown field {extra[0]!r}"
            if extra
            else f"{where} lacks the field {missing[0]!r}"
        )
    return value


def _int(value: object, where: str, maximum: int) -> int:
    if type(value) is not int or not 0 <= value <= maximum:
        raise _damaged(f"{where} is not a whole number between 0 and {maximum}")
    return value


def _str(value: object, where: str, pattern: re.Pattern[str]) -> str:
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise _damaged(f"{where} is malformed")
    return value


def parse(data: bytes) -> Manifest:
    """Parse and validate ``manifest.json``; any problem raises a one-line BackupError."""
    if len(data) > MAX_MANIFEST_BYTES:
        raise _damaged(f"it is larger than {MAX_MANIFEST_BYTES} bytes")
    try:
        doc = json.loads(data.decode("utf-8"), object_pairs_hook=unique_keys)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise _damaged(f"it is not valid JSON ({str(exc).splitlines()[0][:80]})") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT_NAME:
        raise BackupError("This file is not an InvoiceVault backup (its manifest is not ours).")
    version = doc.get("version")
    if version != FORMAT_VERSION or type(version) is not int:
        raise BackupError(
            f"This backup has format version {version!r}; this InvoiceVault reads version "
            f"{FORMAT_VERSION} (a newer InvoiceVault may be needed)."
        )
    top = _object(
        doc,
        {
            "format",
            "version",
            "vault_id",
            "created",
            "app_version",
            "audit_head",
            "entries",
            "database_key",
        },
        "the manifest",
    )
    head = _object(top["audit_head"], {"seq", "hash"}, "audit_head")
    raw_entries = top["entries"]
    if not isinstance(raw_entries, list) or not 1 <= len(raw_entries) <= MAX_ENTRIES:
        raise _damaged(f"entries must be a list of 1 to {MAX_ENTRIES} entries")
    entries: list[Entry] = []
    seen: set[str] = set()
    total = 0
    for i, raw in enumerate(raw_entries):
        item = _object(raw, {"name", "size", "sha256"}, f"entries[{i}]")
        name = item["name"]
        if not isinstance(name, str):
            raise _damaged(f"entries[{i}].name is not a string")
        problem = check_name(name)
        if problem:
            raise _damaged(f"entries[{i}] has {problem}")
        if name in seen:
            raise _damaged(f"the entry {name!r} is listed twice")
        seen.add(name)
        size = _int(item["size"], f"entries[{i}].size", MAX_ENTRY_SIZE)
        total += size
        if total > MAX_TOTAL_SIZE:
            raise _damaged(f"its entries add up to more than {MAX_TOTAL_SIZE} bytes")
        entries.append(Entry(name, size, _str(item["sha256"], f"entries[{i}].sha256", _HEX64)))
    if DATABASE_NAME not in seen:
        raise _damaged(f"it does not list the database ({DATABASE_NAME})")
    return Manifest(
        vault_id=_str(top["vault_id"], "vault_id", _VAULT_ID),
        created=_str(top["created"], "created", _TIMESTAMP),
        app_version=_str(top["app_version"], "app_version", _VERSION),
        audit_seq=_int(head["seq"], "audit_head.seq", 1 << 62),
        audit_hash=_str(head["hash"], "audit_head.hash", _HEX64),
        entries=tuple(entries),
        database_key=_str(top["database_key"], "database_key", _HEX64),
    )
