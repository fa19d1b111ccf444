"""Recurring invoice templates."""

from dataclasses import dataclass

from app.store.audit import now_utc
from app.store.connection import Connection

COLUMNS = "id, name, client_id, content, frequency, anchor_day, next_date, end_date, active"


@dataclass(frozen=True)
class Template:
    id: int
    name: str
    client_id: int
    content: str
    frequency: str
    anchor_day: int
    next_date: str
    end_date: str | None
    active: bool


def insert(
    conn: Connection,
    name: str,
    client_id: int,
    content: str,
    frequency: str,
    anchor_day: int,
    next_date: str,
    end_date: str | None,
) -> int:
    cur = conn.execute(
        "INSERT INTO recurring_templates (name, client_id, content, frequency, anchor_day,"
        " next_date, end_date, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (name, client_id, content, frequency, anchor_day, next_date, end_date, now_utc()),
    )
    return int(cur.lastrowid)


def due(conn: Connection, today: str) -> list[Template]:
    rows = conn.execute(
        f"SELECT {COLUMNS} FROM recurring_templates WHERE active = 1 AND next_date <= ?"
        " AND (end_date IS NULL OR next_date <= end_date) ORDER BY id",
        (today,),
    ).fetchall()
    return [Template(*r[:8], bool(r[8])) for r in rows]


def set_next_date(conn: Connection, template_id: int, next_date: str) -> None:
    conn.execute(
        "UPDATE recurring_templates SET next_date = ? WHERE id = ?", (next_date, template_id)
    )


def draft_exists(conn: Connection, template_id: int, period: str) -> bool:
    return (
        conn.execute(
            "SELECT 1 FROM documents WHERE template_id = ? AND template_period = ?",
            (template_id, period),
        ).fetchone()
        is not None
    )
