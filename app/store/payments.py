"""Payments received against issued invoices (append-only, like the audit log)."""

from dataclasses import dataclass

from app.store.audit import now_utc
from app.store.connection import Connection


@dataclass(frozen=True)
class Payment:
    id: int
    document_id: int
    paid_on: str
    amount_minor: int
    method: str
    reference: str


def insert(
    conn: Connection,
    document_id: int,
    paid_on: str,
    amount_minor: int,
    method: str,
    reference: str = "",
) -> int:
    cur = conn.execute(
        "INSERT INTO payments (document_id, paid_on, amount_minor, method, reference, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (document_id, paid_on, amount_minor, method, reference, now_utc()),
    )
    return int(cur.lastrowid)


def for_document(conn: Connection, document_id: int) -> list[Payment]:
    rows = conn.execute(
        "SELECT id, document_id, paid_on, amount_minor, method, reference FROM payments"
        " WHERE document_id = ? ORDER BY paid_on, id",
        (document_id,),
    ).fetchall()
    return [Payment(*r) for r in rows]


def page(
    conn: Connection,
    *,
    after: tuple[str, int] | None = None,
    limit: int = 50,
    document_id: int | None = None,
) -> list[Payment]:
    """Newest first, keyset-paginated by (paid_on, id)."""
    where, params = ["1"], []
    if document_id is not None:
        where.append("document_id = ?")
        params.append(document_id)
    if after is not None:
        where.append("(paid_on, id) < (?, ?)")
        params += [after[0], after[1]]
    rows = conn.execute(
        "SELECT id, document_id, paid_on, amount_minor, method, reference FROM payments"
        f" WHERE {' AND '.join(where)} ORDER BY paid_on DESC, id DESC LIMIT ?",
        (*params, limit),
    ).fetchall()
    return [Payment(*r) for r in rows]


@dataclass(frozen=True)
class PaymentLine:
    """A payment as the payments list shows it: with its invoice's number, currency and buyer."""

    id: int
    document_id: int
    paid_on: str
    amount_minor: int
    method: str
    reference: str
    number: str
    currency: str
    buyer: str


def lines(
    conn: Connection, *, after: tuple[str, int] | None = None, limit: int = 50
) -> list[PaymentLine]:
    """Newest first, keyset-paginated by (paid_on, id), like :func:`page`."""
    where, params = "1", []
    if after is not None:
        where = "(p.paid_on, p.id) < (?, ?)"
        params = [after[0], after[1]]
    rows = conn.execute(
        "SELECT p.id, p.document_id, p.paid_on, p.amount_minor, p.method, p.reference,"
        " d.number, d.currency, c.name FROM payments p"
        " JOIN documents d ON d.id = p.document_id JOIN clients c ON c.id = d.client_id"
        f" WHERE {where} ORDER BY p.paid_on DESC, p.id DESC LIMIT ?",
        (*params, limit),
    ).fetchall()
    return [PaymentLine(*r) for r in rows]
