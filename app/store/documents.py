"""Quotes, invoices and credit notes: rows, state changes and keyset-paginated lists.

The content of a document is its invoice JSON (DESIGN.md section 4), kept as
text; the columns beside it (dates, currency, totals in minor units) exist for
lists and filters. Triggers in the schema refuse any change to an issued
document's content and any deletion of one; this module only asks.
"""

from dataclasses import dataclass
from datetime import date

from app.store.audit import now_utc
from app.store.connection import Connection
from app.store.search import fts_query

COLUMNS = (
    "d.id, d.type, d.status, d.number, d.client_id, d.issue_date, d.due_date, d.currency,"
    " d.total_minor, d.due_minor, d.paid_minor, d.credited_minor, d.content, d.seller,"
    " d.preceding_id, d.quote_id, d.issued_at"
)
OPEN = ("issued", "partially_paid")


@dataclass(frozen=True)
class StoredDocument:
    id: int
    type: str
    status: str
    number: str | None
    client_id: int
    issue_date: str
    due_date: str | None
    currency: str
    total_minor: int
    due_minor: int
    paid_minor: int
    credited_minor: int
    content: str
    seller: str | None
    preceding_id: int | None
    quote_id: int | None
    issued_at: str | None

    @property
    def outstanding_minor(self) -> int:
        return self.due_minor - self.paid_minor - self.credited_minor


@dataclass(frozen=True)
class Summary:
    """One row of a list: what a table shows, nothing more."""

    id: int
    type: str
    status: str
    number: str | None
    issue_date: str
    due_date: str | None
    currency: str
    total_minor: int
    outstanding_minor: int
    buyer: str
    overdue: bool


@dataclass(frozen=True)
class Derived:
    """The columns computed from a document's content by the services."""

    client_id: int
    issue_date: str
    due_date: str | None
    currency: str
    total_minor: int
    due_minor: int
    content: str


def insert_draft(
    conn: Connection,
    doc_type: str,
    derived: Derived,
    *,
    preceding_id: int | None = None,
    quote_id: int | None = None,
    template: tuple[int, str] | None = None,
) -> int:
    return _insert(
        conn,
        doc_type,
        derived,
        status="draft",
        preceding_id=preceding_id,
        quote_id=quote_id,
        template=template,
    )


def insert_issued(
    conn: Connection,
    doc_type: str,
    derived: Derived,
    *,
    number: str,
    seller: str,
    status: str,
    paid_minor: int,
    issued_at: str,
    preceding_id: int | None = None,
    quote_id: int | None = None,
    template: tuple[int, str] | None = None,
) -> int:
    """A document written directly in its issued state (bulk imports and the demo only;
    the services issue a draft with :func:`mark_issued` in the same transaction)."""
    return _insert(
        conn,
        doc_type,
        derived,
        status=status,
        number=number,
        seller=seller,
        paid_minor=paid_minor,
        issued_at=issued_at,
        preceding_id=preceding_id,
        quote_id=quote_id,
        template=template,
    )


def _insert(
    conn: Connection,
    doc_type: str,
    derived: Derived,
    *,
    status: str,
    number: str | None = None,
    seller: str | None = None,
    paid_minor: int = 0,
    issued_at: str | None = None,
    preceding_id: int | None,
    quote_id: int | None,
    template: tuple[int, str] | None,
) -> int:
    now = now_utc()
    template_id, period = template or (None, None)
    cur = conn.execute(
        "INSERT INTO documents (type, status, number, client_id, issue_date, due_date, currency,"
        " total_minor, due_minor, paid_minor, content, seller, preceding_id, quote_id,"
        " template_id, template_period, created_at, updated_at, issued_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            doc_type,
            status,
            number,
            derived.client_id,
            derived.issue_date,
            derived.due_date,
            derived.currency,
            derived.total_minor,
            derived.due_minor,
            paid_minor,
            derived.content,
            seller,
            preceding_id,
            quote_id,
            template_id,
            period,
            now,
            now,
            issued_at,
        ),
    )
    return int(cur.lastrowid)


def update_draft(conn: Connection, document_id: int, derived: Derived) -> bool:
    cur = conn.execute(
        "UPDATE documents SET client_id = ?, issue_date = ?, due_date = ?, currency = ?,"
        " total_minor = ?, due_minor = ?, content = ?, updated_at = ?"
        " WHERE id = ? AND status = 'draft'",
        (
            derived.client_id,
            derived.issue_date,
            derived.due_date,
            derived.currency,
            derived.total_minor,
            derived.due_minor,
            derived.content,
            now_utc(),
            document_id,
        ),
    )
    return cur.rowcount == 1


def delete_draft(conn: Connection, document_id: int) -> bool:
    cur = conn.execute("DELETE FROM documents WHERE id = ? AND status = 'draft'", (document_id,))
    return cur.rowcount == 1


def get(conn: Connection, document_id: int) -> StoredDocument | None:
    row = conn.execute(
        f"SELECT {COLUMNS} FROM documents d WHERE d.id = ?",
        (document_id,),
    ).fetchone()
    return StoredDocument(*row) if row else None


def get_by_number(conn: Connection, number: str) -> StoredDocument | None:
    row = conn.execute(
        f"SELECT {COLUMNS} FROM documents d WHERE d.number = ?",
        (number,),
    ).fetchone()
    return StoredDocument(*row) if row else None


def issued_numbers(conn: Connection, types: tuple[str, ...], start: str, end: str) -> list[str]:
    """Numbers of the documents of ``types`` issued from ``start`` to ``end`` (ISO dates)."""
    marks = ", ".join("?" * len(types))
    rows = conn.execute(
        f"SELECT number FROM documents WHERE type IN ({marks}) AND status <> 'draft'"
        " AND issue_date BETWEEN ? AND ? ORDER BY issue_date, number",
        (*types, start, end),
    ).fetchall()
    return [r[0] for r in rows]


def mark_issued(conn: Connection, document_id: int, number: str, seller: str) -> None:
    conn.execute(
        "UPDATE documents SET status = 'issued', number = ?, seller = ?, issued_at = ?,"
        " updated_at = ? WHERE id = ? AND status = 'draft'",
        (number, seller, now_utc(), now_utc(), document_id),
    )


def set_settlement(
    conn: Connection, document_id: int, *, status: str, paid_minor: int, credited_minor: int
) -> None:
    """Payments and credit notes move an issued document's status; its content stays."""
    conn.execute(
        "UPDATE documents SET status = ?, paid_minor = ?, credited_minor = ?, updated_at = ?"
        " WHERE id = ?",
        (status, paid_minor, credited_minor, now_utc(), document_id),
    )


SORTS = {
    # name: (column, descending)
    "date_desc": ("d.issue_date", True),
    "date_asc": ("d.issue_date", False),
    "due_asc": ("coalesce(d.due_date, d.issue_date)", False),
    "total_desc": ("d.total_minor", True),
    "number_desc": ("coalesce(d.number, '')", True),
}


@dataclass(frozen=True)
class ListQuery:
    doc_type: str | None = "invoice"
    status: str | None = None  # a stored status, or "overdue" / "open"
    client_id: int | None = None
    date_from: str | None = None
    date_to: str | None = None
    search: str = ""
    sort: str = "date_desc"
    after: tuple[object, int] | None = None  # (sort value, id) of the previous page's last row
    limit: int = 50
    today: str = ""  # for "overdue"; the service passes the real date


def page(conn: Connection, query: ListQuery) -> tuple[list[Summary], tuple[object, int] | None]:
    """One page and the cursor of the next one (None at the end). A page is one query."""
    column, descending = SORTS[query.sort]
    today = query.today or date.today().isoformat()
    where: list[str] = []
    params: list[object] = []
    if query.doc_type:
        where.append("d.type = ?")
        params.append(query.doc_type)
    if query.status == "overdue":
        where.append(f"d.status IN {OPEN} AND d.due_date < ?")
        params.append(today)
    elif query.status == "open":
        where.append(f"d.status IN {OPEN}")
    elif query.status:
        where.append("d.status = ?")
        params.append(query.status)
    if query.client_id is not None:
        where.append("d.client_id = ?")
        params.append(query.client_id)
    if query.date_from:
        where.append("d.issue_date >= ?")
        params.append(query.date_from)
    if query.date_to:
        where.append("d.issue_date <= ?")
        params.append(query.date_to)
    if query.search.strip():
        where.append("d.id IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?)")
        params.append(fts_query(query.search))
    if query.after is not None:
        where.append(f"({column}, d.id) {'<' if descending else '>'} (?, ?)")
        params += [query.after[0], query.after[1]]
    order = "DESC" if descending else "ASC"
    sql = (
        f"SELECT d.id, d.type, d.status, d.number, d.issue_date, d.due_date, d.currency,"
        f" d.total_minor, d.due_minor - d.paid_minor - d.credited_minor, c.name,"
        f" d.status IN {OPEN} AND d.due_date < ?, {column}"
        f" FROM documents d JOIN clients c ON c.id = d.client_id"
        f" WHERE {' AND '.join(where) or '1'}"
        f" ORDER BY {column} {order}, d.id {order} LIMIT ?"
    )
    rows = conn.execute(sql, (today, *params, query.limit + 1)).fetchall()
    more = len(rows) > query.limit
    rows = rows[: query.limit]
    summaries = [Summary(*r[:10], bool(r[10])) for r in rows]
    cursor = (rows[-1][11], rows[-1][0]) if more and rows else None
    return summaries, cursor
