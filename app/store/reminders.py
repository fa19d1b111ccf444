"""Payment reminders sent for overdue invoices (levels 1 to 3)."""

from dataclasses import dataclass

from app.store.audit import now_utc
from app.store.connection import Connection


@dataclass(frozen=True)
class Reminder:
    id: int
    document_id: int
    level: int
    fee_minor: int
    sent_on: str


def insert(conn: Connection, document_id: int, level: int, fee_minor: int, sent_on: str) -> int:
    cur = conn.execute(
        "INSERT INTO reminders (document_id, level, fee_minor, sent_on, created_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (document_id, level, fee_minor, sent_on, now_utc()),
    )
    return int(cur.lastrowid)


def for_document(conn: Connection, document_id: int) -> list[Reminder]:
    rows = conn.execute(
        "SELECT id, document_id, level, fee_minor, sent_on FROM reminders WHERE document_id = ?"
        " ORDER BY level",
        (document_id,),
    ).fetchall()
    return [Reminder(*r) for r in rows]
