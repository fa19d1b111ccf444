"""Drawing the next number of a series, inside the caller's transaction.

The counter row and the document that gets the number change in the same
transaction, so a failed issue rolls both back (no gap), and ``BEGIN IMMEDIATE``
serialises two issues that race (no duplicate; the UNIQUE index checks too).
"""

from dataclasses import dataclass
from datetime import date

from app.domain.numbering import format_number
from app.store.connection import Connection


@dataclass(frozen=True)
class Series:
    doc_type: str
    pattern: str
    yearly_reset: bool


def get_series(conn: Connection, doc_type: str) -> Series:
    pattern, yearly = conn.execute(
        "SELECT pattern, yearly_reset FROM series WHERE doc_type = ?", (doc_type,)
    ).fetchone()
    return Series(doc_type, pattern, bool(yearly))


def set_series(conn: Connection, series: Series) -> None:
    conn.execute(
        "UPDATE series SET pattern = ?, yearly_reset = ? WHERE doc_type = ?",
        (series.pattern, int(series.yearly_reset), series.doc_type),
    )


def peek(conn: Connection, doc_type: str, issued: date) -> str:
    """The number :func:`draw` would give now, without drawing it (for a confirmation)."""
    series = get_series(conn, doc_type)
    period = issued.year if series.yearly_reset else 0
    row = conn.execute(
        "SELECT last FROM counters WHERE doc_type = ? AND period = ?", (doc_type, period)
    ).fetchone()
    return format_number(series.pattern, (int(row[0]) if row else 0) + 1, issued)


def draw(conn: Connection, doc_type: str, issued: date) -> str:
    """The next number; call it inside the transaction that issues the document."""
    series = get_series(conn, doc_type)
    period = issued.year if series.yearly_reset else 0
    (seq,) = conn.execute(
        "INSERT INTO counters (doc_type, period, last) VALUES (?, ?, 1)"
        " ON CONFLICT (doc_type, period) DO UPDATE SET last = last + 1 RETURNING last",
        (doc_type, period),
    ).fetchone()
    return format_number(series.pattern, int(seq), issued)
