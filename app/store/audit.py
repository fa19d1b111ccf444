"""The append-only audit log and its SHA-256 hash chain.

Each row's hash is SHA-256 over the previous row's hash and the row's own
canonical content, so changing, removing or reordering any row breaks every
link after it. Triggers refuse UPDATE and DELETE; the chain catches what the
triggers cannot (someone with the key editing the file directly). The head of
the chain is also written into every backup.
"""

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from app.store.connection import Connection

GENESIS = "0" * 64
VERIFY_BATCH = 1000


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: str
    actor: str
    action: str
    details: dict[str, object]


@dataclass(frozen=True)
class ChainReport:
    entries: int
    head: str
    first_broken: int | None = None  # seq of the first entry whose link is broken
    reason: str = ""

    @property
    def intact(self) -> bool:
        return self.first_broken is None


def now_utc() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def entry_hash(prev_hash: str, seq: int, at: str, actor: str, action: str, details: str) -> str:
    content = json.dumps(
        {"seq": seq, "at": at, "actor": actor, "action": action, "details": details},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=True,
    )
    return hashlib.sha256(f"{prev_hash}\n{content}".encode()).hexdigest()


def append(
    conn: Connection, actor: str, action: str, details: Mapping[str, object], at: str | None = None
) -> AuditEntry:
    """Append one entry; call it inside the transaction of the action it records."""
    at = at or now_utc()
    body = json.dumps(dict(details), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    row = conn.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev = (row[0] + 1, row[1]) if row else (1, GENESIS)
    digest = entry_hash(prev, seq, at, actor, action, body)
    conn.execute(
        "INSERT INTO audit_log (seq, at, actor, action, details, prev_hash, hash)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (seq, at, actor, action, body, prev, digest),
    )
    return AuditEntry(seq, at, actor, action, dict(details))


def head(conn: Connection) -> tuple[int, str]:
    row = conn.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    return (row[0], row[1]) if row else (0, GENESIS)


def verify(conn: Connection) -> ChainReport:
    """Walk the chain in order, a batch at a time, and report the first broken link."""
    expected_seq, prev, count, last_seq = 1, GENESIS, 0, 0
    while True:
        rows = conn.execute(
            "SELECT seq, at, actor, action, details, prev_hash, hash FROM audit_log"
            " WHERE seq > ? ORDER BY seq LIMIT ?",
            (last_seq, VERIFY_BATCH),
        ).fetchall()
        if not rows:
            return ChainReport(count, prev)
        for seq, at, actor, action, details, prev_hash, digest in rows:
            if seq != expected_seq:
                return ChainReport(
                    count,
                    prev,
                    expected_seq,
                    f"entry {expected_seq} is missing (the next one is {seq})",
                )
            if prev_hash != prev:
                return ChainReport(count, prev, seq, f"entry {seq} does not follow entry {seq - 1}")
            if entry_hash(prev_hash, seq, at, actor, action, details) != digest:
                return ChainReport(
                    count,
                    prev,
                    seq,
                    f"entry {seq} ({action}, {at}) was changed after it was written",
                )
            prev, count, expected_seq, last_seq = digest, count + 1, seq + 1, seq


def recent(conn: Connection, limit: int = 50) -> list[AuditEntry]:
    rows = conn.execute(
        "SELECT seq, at, actor, action, details FROM audit_log ORDER BY seq DESC LIMIT ?", (limit,)
    ).fetchall()
    return [AuditEntry(seq, at, actor, action, json.loads(d)) for seq, at, actor, action, d in rows]


def page(
    conn: Connection,
    *,
    before_seq: int | None = None,
    limit: int = 100,
    action_prefix: str | None = None,
    actor: str | None = None,
) -> list[AuditEntry]:
    """Entries newest first, older than ``before_seq`` (keyset pagination), optionally filtered.

    ``action_prefix`` is the start of the action, e.g. ``"document."``.
    """
    where, params = ["seq < ?"], [before_seq if before_seq is not None else 2**63 - 1]
    if action_prefix:
        where.append("substr(action, 1, ?) = ?")
        params += [len(action_prefix), action_prefix]
    if actor:
        where.append("actor = ?")
        params.append(actor)
    rows = conn.execute(
        "SELECT seq, at, actor, action, details FROM audit_log"
        f" WHERE {' AND '.join(where)} ORDER BY seq DESC LIMIT ?",
        (*params, limit),
    ).fetchall()
    return [AuditEntry(seq, at, actor, action, json.loads(d)) for seq, at, actor, action, d in rows]


def actors(conn: Connection) -> list[str]:
    """Everyone who has an entry, for the filter of the audit list."""
    return [r[0] for r in conn.execute("SELECT DISTINCT actor FROM audit_log ORDER BY actor")]
