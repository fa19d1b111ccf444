"""SQLCipher against plain SQLite: same library, same settings, 100,000 invoice rows.

Both sides use ``sqlcipher3`` (one SQLite build): the encrypted database is
opened through :func:`app.store.connection.open_encrypted` with a random raw
256-bit key, so our real PRAGMAs are measured; the plain one is the same library
opened without a key, given the same PRAGMAs (WAL, foreign_keys, secure_delete;
synchronous left at its default). Each scenario runs on fresh files REPEATS
times and the median is reported.

(a) bulk insert in one transaction with ``executemany`` (COMMIT included);
(b) point queries on a freshly opened connection: LOOKUPS random invoice
numbers (the UNIQUE index, then the table) and LOOKUPS random primary keys.
Target: insert ratio encrypted/plain <= 1.3x.
"""

import os
import random
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import sqlcipher3

from app.store.connection import open_encrypted
from app.vault.secret import SecretBuffer
from benchmarks.report import Figure, Section, median, ms, timed

ROWS = 100_000
LOOKUPS = 10_000
REPEATS = 3
INSERT_RATIO_LIMIT = 1.3
SEED = 20_240_101

SCHEMA = """CREATE TABLE invoices (
    id          INTEGER PRIMARY KEY,
    number      TEXT NOT NULL UNIQUE,
    client_id   INTEGER NOT NULL,
    issue_date  TEXT NOT NULL,
    due_date    TEXT NOT NULL,
    currency    TEXT NOT NULL,
    total_minor INTEGER NOT NULL,
    status      TEXT NOT NULL,
    note        TEXT
)"""
INSERT = (
    "INSERT INTO invoices (id, number, client_id, issue_date, due_date, currency, total_minor,"
    " status, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
BY_NUMBER = "SELECT * FROM invoices WHERE number = ?"
BY_ID = "SELECT * FROM invoices WHERE id = ?"

Row = tuple[int, str, int, str, str, str, int, str, str | None]
Opener = Callable[[Path], sqlcipher3.Connection]

NOTES = (
    "Consulting, as agreed",
    "Website maintenance for the quarter",
    "Travel expenses re-invoiced at cost, receipts attached",
    "Workshop (2 days) incl. preparation and follow-up notes",
    "Reverse charge: VAT to be accounted for by the recipient (Art. 196 VAT Directive)",
    "Thanks for your business!",
    "Zahlbar innerhalb von 30 Tagen ohne Abzug",
    "Payment by bank transfer, please quote the invoice number",
)


def make_rows(count: int = ROWS, seed: int = SEED) -> list[Row]:
    """Deterministic, varied invoice-like rows in issue order (numbers per year)."""
    rng = random.Random(seed)
    day = date(2019, 1, 2)
    per_year: dict[int, int] = {}
    rows: list[Row] = []
    for rowid in range(1, count + 1):
        day += timedelta(days=rng.random() < 0.02)  # ~55 invoices a day, ~5 years
        seq = per_year[day.year] = per_year.get(day.year, 0) + 1
        due = day + timedelta(days=rng.choice((0, 14, 30, 30, 30, 45, 60)))
        currency = rng.choices(("EUR", "USD", "GBP", "CHF"), (70, 15, 10, 5))[0]
        total = int(rng.lognormvariate(11, 1.2)) + 500  # median ~600.00 in minor units
        status = rng.choices(("paid", "issued", "overdue", "draft", "cancelled"), (70, 15, 8, 5, 2))
        note_pick = rng.random()
        if note_pick < 0.4:
            note = None
        elif note_pick < 0.9:
            note = rng.choice(NOTES)
        else:
            note = " ".join(rng.choice(NOTES) for _ in range(rng.randint(2, 5)))
        rows.append(
            (
                rowid,
                f"INV-{day.year}-{seq:06d}",
                rng.randint(1, 800),
                day.isoformat(),
                due.isoformat(),
                currency,
                total,
                status[0],
                note,
            )
        )
    return rows


def open_plain(path: Path) -> sqlcipher3.Connection:
    """The same library without a key (plain SQLite) and the same PRAGMAs as open_encrypted."""
    conn = sqlcipher3.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL").fetchone()
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA secure_delete = ON")
    return conn


def open_encrypted_variant(
    path: Path, key: SecretBuffer, pre_key_pragmas: Sequence[str]
) -> sqlcipher3.Connection:
    """A copy of open_encrypted with cipher PRAGMAs that must come before the first read.

    Used by the diagnosis only (cipher_use_hmac, cipher_page_size ... cannot be set
    after open_encrypted has read page 1).
    """
    conn = sqlcipher3.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    for pragma in pre_key_pragmas:
        conn.execute(pragma).fetchall()
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    conn.execute("PRAGMA journal_mode = WAL").fetchone()
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA secure_delete = ON")
    return conn


def encrypted_opener(pragmas: Sequence[str] = (), pre_key: Sequence[str] = ()) -> Opener:
    """open_encrypted with one random key per scenario, then ``pragmas``.

    With ``pre_key`` the diagnostic copy :func:`open_encrypted_variant` is used instead.
    """
    key = SecretBuffer(os.urandom(32))

    def opener(path: Path) -> sqlcipher3.Connection:
        if pre_key:
            conn = open_encrypted_variant(path, key, pre_key)
        else:
            conn = open_encrypted(path, key, create=True)
        for pragma in pragmas:
            conn.execute(pragma).fetchall()
        return conn

    return opener


def plain_opener(pragmas: Sequence[str] = ()) -> Opener:
    def opener(path: Path) -> sqlcipher3.Connection:
        conn = open_plain(path)
        for pragma in pragmas:
            conn.execute(pragma).fetchall()
        return conn

    return opener


def lookups(conn: sqlcipher3.Connection, sql: str, keys: Sequence[object]) -> None:
    for key in keys:
        if conn.execute(sql, (key,)).fetchone() is None:
            raise AssertionError(f"missing row for {key!r}")


def one_run(
    open_db: Opener, rows: Sequence[Row], numbers: Sequence[str], ids: Sequence[int]
) -> dict[str, Any]:
    """Fresh file: create the table, time the insert, reopen, time the two lookups."""
    with tempfile.TemporaryDirectory(prefix="iv-bench-sql-") as tmp:
        path = Path(tmp) / "bench.db"
        conn = open_db(path)
        try:
            conn.execute(SCHEMA)
            cpu0, wall0 = time.process_time(), time.perf_counter()
            conn.execute("BEGIN")
            conn.executemany(INSERT, rows)
            wall1 = time.perf_counter()
            conn.execute("COMMIT")
            wall2, cpu2 = time.perf_counter(), time.process_time()
        finally:
            conn.close()
        header = path.read_bytes()[:16]
        conn = open_db(path)
        try:
            by_number_s = timed(lambda: lookups(conn, BY_NUMBER, numbers))
            by_id_s = timed(lambda: lookups(conn, BY_ID, ids))
            page_size = int(conn.execute("PRAGMA page_size").fetchone()[0])
        finally:
            conn.close()
        size = path.stat().st_size
    return {
        "insert": wall2 - wall0,
        "commit": wall2 - wall1,
        "insert_cpu": cpu2 - cpu0,
        "by_number": by_number_s,
        "by_id": by_id_s,
        "plain_header": header == b"SQLite format 3\0",
        "file_bytes": size,
        "page_size": page_size,
    }


MEASURES = ("insert", "commit", "insert_cpu", "by_number", "by_id")


def compare(
    encrypted: Opener, plain: Opener, rows: Sequence[Row], repeats: int = REPEATS
) -> dict[str, Any]:
    """Alternate encrypted and plain runs (ABAB... order flipped each round) and take medians."""
    rng = random.Random(SEED + 1)
    numbers = [rows[rng.randrange(len(rows))][1] for _ in range(LOOKUPS)]
    ids = [rng.randint(1, len(rows)) for _ in range(LOOKUPS)]
    runs: dict[str, list[dict[str, Any]]] = {"encrypted": [], "plain": []}
    for i in range(repeats):
        order = ("encrypted", "plain") if i % 2 == 0 else ("plain", "encrypted")
        for kind in order:
            runs[kind].append(
                one_run(encrypted if kind == "encrypted" else plain, rows, numbers, ids)
            )
    result: dict[str, Any] = {"runs": runs}
    for kind, kind_runs in runs.items():
        result[kind] = {m: median([r[m] for r in kind_runs]) for m in MEASURES}
    result["ratio"] = {m: result["encrypted"][m] / result["plain"][m] for m in MEASURES}
    result["paired_insert_ratio"] = median(
        [e["insert"] / p["insert"] for e, p in zip(runs["encrypted"], runs["plain"], strict=True)]
    )
    return result


# (label, plain PRAGMAs, encrypted PRAGMAs after open, encrypted PRAGMAs before the first read)
VARIANTS: tuple[tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]], ...] = (
    ("as shipped (re-run)", (), (), ()),
    ("cipher_use_hmac = OFF", (), (), ("PRAGMA cipher_use_hmac = OFF",)),
    (
        "cipher_hmac_algorithm = HMAC_SHA256",
        (),
        (),
        ("PRAGMA cipher_hmac_algorithm = HMAC_SHA256",),
    ),
    ("cipher_page_size = 16384 (plain 4096)", (), (), ("PRAGMA cipher_page_size = 16384",)),
    (
        "page size 16384 on both",
        ("PRAGMA page_size = 16384",),
        (),
        ("PRAGMA cipher_page_size = 16384",),
    ),
    ("cache_size = 64 MiB (encrypted only)", (), ("PRAGMA cache_size = -65536",), ()),
    (
        "cache_size = 64 MiB on both",
        ("PRAGMA cache_size = -65536",),
        ("PRAGMA cache_size = -65536",),
        (),
    ),
    (
        "secure_delete = OFF on both",
        ("PRAGMA secure_delete = OFF",),
        ("PRAGMA secure_delete = OFF",),
        (),
    ),
    ("cipher_memory_security = ON", (), ("PRAGMA cipher_memory_security = ON",), ()),
)


def diagnose(rows: Sequence[Row], repeats: int = REPEATS) -> list[dict[str, Any]]:
    """The insert ratio under alternative settings, to show which one matters."""
    out = []
    for label, plain_pragmas, enc_pragmas, pre_key in VARIANTS:
        result = compare(
            encrypted_opener(enc_pragmas, pre_key), plain_opener(plain_pragmas), rows, repeats
        )
        out.append(
            {
                "variant": label,
                "insert_ms": {
                    "encrypted": ms(result["encrypted"]["insert"]),
                    "plain": ms(result["plain"]["insert"]),
                },
                "insert_ratio": round(result["ratio"]["insert"], 3),
                "by_number_ratio": round(result["ratio"]["by_number"], 3),
                "by_id_ratio": round(result["ratio"]["by_id"], 3),
            }
        )
    return out


def run(rows_count: int = ROWS, *, force_diagnosis: bool = False) -> Section:
    """The comparison; the diagnosis runs too when the insert target fails (or when forced)."""
    section = Section(f"SQLCipher vs plain SQLite ({rows_count:,} rows, median of {REPEATS})")
    rows = make_rows(rows_count)
    result = compare(encrypted_opener(), plain_opener(), rows)
    enc, plain, ratio = result["encrypted"], result["plain"], result["ratio"]
    runs = result["runs"]
    if not all(r["plain_header"] for r in runs["plain"]) or any(
        r["plain_header"] for r in runs["encrypted"]
    ):
        raise AssertionError("the plain file is not plain SQLite, or the encrypted one is plain")
    lk = f"{LOOKUPS:,} lookups, fresh connection"
    insert = Figure(
        "Bulk insert ratio enc/plain", round(ratio["insert"], 3), "x", INSERT_RATIO_LIMIT, "<= 1.3x"
    )
    section.figures += [
        Figure("Bulk insert, encrypted", ms(enc["insert"]), "ms", note="one transaction"),
        Figure("Bulk insert, plain", ms(plain["insert"]), "ms", note="one transaction"),
        insert,
        Figure("  of which COMMIT, encrypted", ms(enc["commit"]), "ms"),
        Figure("  of which COMMIT, plain", ms(plain["commit"]), "ms"),
        Figure("  insert ratio, median of pairs", round(result["paired_insert_ratio"], 3), "x"),
        Figure("  insert CPU-time ratio enc/plain", round(ratio["insert_cpu"], 3), "x"),
        Figure("Lookup by number, encrypted", ms(enc["by_number"]), "ms", note=lk),
        Figure("Lookup by number, plain", ms(plain["by_number"]), "ms", note=lk),
        Figure("Lookup by number ratio enc/plain", round(ratio["by_number"], 3), "x"),
        Figure("Lookup by id, encrypted", ms(enc["by_id"]), "ms", note=lk),
        Figure("Lookup by id, plain", ms(plain["by_id"]), "ms", note=lk),
        Figure("Lookup by id ratio enc/plain", round(ratio["by_id"], 3), "x"),
    ]
    section.details = {
        "rows": rows_count,
        "lookups": LOOKUPS,
        "repeats": REPEATS,
        "file_bytes": {k: runs[k][0]["file_bytes"] for k in runs},
        "page_size": {k: runs[k][0]["page_size"] for k in runs},
        "median_ms": {k: {m: ms(result[k][m]) for m in MEASURES} for k in runs},
        "ratio": {m: round(v, 3) for m, v in ratio.items()},
        "paired_insert_ratio": round(result["paired_insert_ratio"], 3),
        "runs_ms": {
            kind: [{m: ms(r[m]) for m in MEASURES} for r in kind_runs]
            for kind, kind_runs in runs.items()
        },
    }
    if insert.passed and not force_diagnosis:
        return section
    variants = diagnose(rows)
    section.details["diagnosis"] = variants
    section.findings.append(
        "Diagnosis (same method, insert ratio enc/plain per setting; the app is unchanged):"
    )
    section.findings += [
        f"{v['variant']}: insert {v['insert_ms']['encrypted']:,.0f} / "
        f"{v['insert_ms']['plain']:,.0f} ms = {v['insert_ratio']:.2f}x "
        f"(lookups by number {v['by_number_ratio']:.2f}x, by id {v['by_id_ratio']:.2f}x)"
        for v in variants
    ]
    return section
