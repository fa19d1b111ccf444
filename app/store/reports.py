"""Figures over many documents, computed in SQL (sums per currency, never in Python loops)."""

from dataclasses import dataclass

from app.store.connection import Connection
from app.store.documents import OPEN


@dataclass(frozen=True)
class CurrencyTotals:
    """What clients still owe in one currency, in its minor units."""

    currency: str
    unpaid_count: int
    unpaid_minor: int
    overdue_count: int
    overdue_minor: int


def outstanding_by_currency(conn: Connection, today: str) -> list[CurrencyTotals]:
    """Issued invoices not fully paid, per currency; overdue when ``due_date < today``.

    Outstanding is what is due minus what was paid and credited.
    """
    rows = conn.execute(
        "SELECT currency, count(*), sum(outstanding),"
        " sum(overdue), sum(CASE WHEN overdue THEN outstanding ELSE 0 END)"
        " FROM (SELECT currency, due_minor - paid_minor - credited_minor AS outstanding,"
        "              coalesce(due_date < ?, 0) AS overdue"
        f"      FROM documents WHERE type = 'invoice' AND status IN {OPEN})"
        " WHERE outstanding > 0 GROUP BY currency ORDER BY currency",
        (today,),
    ).fetchall()
    return [CurrencyTotals(*row) for row in rows]


def last_number_drawn(conn: Connection, doc_type: str, period: int) -> int:
    """The last sequence number given in a series' period (a year, or 0 without reset)."""
    row = conn.execute(
        "SELECT last FROM counters WHERE doc_type = ? AND period = ?", (doc_type, period)
    ).fetchone()
    return int(row[0]) if row else 0
