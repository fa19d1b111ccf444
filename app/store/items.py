"""The item catalogue."""

from decimal import Decimal

from app.domain.model import Item, VatCategory
from app.store.audit import now_utc
from app.store.connection import Connection

COLUMNS = "id, description, unit, net_price, currency, vat_category, vat_rate"


def insert(conn: Connection, item: Item) -> int:
    cur = conn.execute(
        "INSERT INTO items (description, unit, net_price, currency, vat_category, vat_rate,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            item.description,
            item.unit,
            str(item.net_price),
            item.currency,
            item.vat_category.value,
            None if item.vat_rate is None else str(item.vat_rate),
            now_utc(),
        ),
    )
    return int(cur.lastrowid)


def page(
    conn: Connection, *, after: tuple[str, int] | None = None, limit: int = 50, search: str = ""
) -> list[tuple[int, Item]]:
    """One page in description order, after the (description, id) of the previous page's last
    row; ``search`` keeps the items whose description contains it (case-insensitive)."""
    where, params = ["1"], []
    if after is not None:
        where.append("(description COLLATE NOCASE, id) > (? COLLATE NOCASE, ?)")
        params += [after[0], after[1]]
    if search.strip():
        where.append("description LIKE ? ESCAPE '!'")
        params.append("%" + _escape_like(search.strip()) + "%")
    rows = conn.execute(
        f"SELECT {COLUMNS} FROM items WHERE {' AND '.join(where)}"
        " ORDER BY description COLLATE NOCASE, id LIMIT ?",
        (*params, limit),
    ).fetchall()
    return [_row(r) for r in rows]


def _escape_like(text: str) -> str:
    return text.replace("!", "!!").replace("%", "!%").replace("_", "!_")


def _row(r: tuple) -> tuple[int, Item]:
    return (
        r[0],
        Item(
            r[1],
            r[2],
            Decimal(r[3]),
            r[4],
            VatCategory(r[5]),
            None if r[6] is None else Decimal(r[6]),
        ),
    )


def starting_with(conn: Connection, prefix: str, limit: int = 20) -> list[tuple[int, Item]]:
    """Items whose description starts with ``prefix`` (case-insensitive), for completion."""
    escaped = _escape_like(prefix)
    rows = conn.execute(
        f"SELECT {COLUMNS} FROM items WHERE description LIKE ? ESCAPE '!'"
        " ORDER BY description COLLATE NOCASE, id LIMIT ?",
        (escaped + "%", limit),
    ).fetchall()
    return [_row(r) for r in rows]
