"""Clients (buyers) and their defaults."""

from dataclasses import dataclass

from app.domain.model import Party
from app.store.audit import now_utc
from app.store.connection import Connection
from app.store.search import fts_query

COLUMNS = (
    "id, name, country, street, city, postcode, vat_id, tax_id, email, phone, "
    "language, currency, payment_days, legal_id"
)


@dataclass(frozen=True)
class Client:
    id: int
    name: str
    country: str
    street: str
    city: str
    postcode: str
    vat_id: str
    tax_id: str
    email: str
    phone: str
    language: str
    currency: str
    payment_days: int
    legal_id: str  # BT-47, the buyer's legal registration identifier

    def party(self) -> Party:
        return Party(
            self.name,
            self.country,
            self.street,
            self.city,
            self.postcode,
            self.vat_id,
            self.tax_id,
            self.email,
            self.phone,
            self.legal_id,
        )


# The columns written from a Party and the client's own settings, in one order for both
# statements below.
_WRITTEN = (
    "name, country, street, city, postcode, vat_id, tax_id, email, phone, legal_id,"
    " language, currency, payment_days"
)


def _written(
    party: Party, language: str, currency: str, payment_days: int
) -> tuple[str | int, ...]:
    return (
        party.name,
        party.country,
        party.street,
        party.city,
        party.postcode,
        party.vat_id,
        party.tax_id,
        party.email,
        party.phone,
        party.legal_id,
        language,
        currency,
        payment_days,
    )


def insert(
    conn: Connection,
    party: Party,
    *,
    language: str = "en",
    currency: str = "EUR",
    payment_days: int = 30,
) -> int:
    values = _written(party, language, currency, payment_days)
    cur = conn.execute(
        f"INSERT INTO clients ({_WRITTEN}, created_at) VALUES ({'?,' * len(values)}?)",
        (*values, now_utc()),
    )
    return int(cur.lastrowid)


def update(
    conn: Connection,
    client_id: int,
    party: Party,
    *,
    language: str,
    currency: str,
    payment_days: int,
) -> bool:
    assignments = ", ".join(f"{column.strip()} = ?" for column in _WRITTEN.split(","))
    cur = conn.execute(
        f"UPDATE clients SET {assignments} WHERE id = ?",
        (*_written(party, language, currency, payment_days), client_id),
    )
    return cur.rowcount == 1


def find_match(conn: Connection, party: Party) -> int | None:
    """The client this buyer already is: same VAT ID, else same name, country and postcode."""
    if party.vat_id:
        row = conn.execute(
            "SELECT id FROM clients WHERE vat_id = ? ORDER BY id LIMIT 1", (party.vat_id,)
        ).fetchone()
        if row:
            return int(row[0])
    row = conn.execute(
        "SELECT id FROM clients WHERE name = ? COLLATE NOCASE AND country = ? AND postcode = ?"
        " ORDER BY id LIMIT 1",
        (party.name, party.country, party.postcode),
    ).fetchone()
    return int(row[0]) if row else None


def get(conn: Connection, client_id: int) -> Client | None:
    row = conn.execute(f"SELECT {COLUMNS} FROM clients WHERE id = ?", (client_id,)).fetchone()
    return Client(*row) if row else None


def page(
    conn: Connection, *, after: tuple[str, int] | None = None, limit: int = 50, search: str = ""
) -> list[Client]:
    """One page in name order, after the (name, id) of the last row of the previous page."""
    where, params = ["1"], []
    if after is not None:
        where.append("(name COLLATE NOCASE, id) > (? COLLATE NOCASE, ?)")
        params += [after[0], after[1]]
    if search.strip():
        where.append("id IN (SELECT rowid FROM clients_fts WHERE clients_fts MATCH ?)")
        params.append(fts_query(search))
    rows = conn.execute(
        f"SELECT {COLUMNS} FROM clients WHERE {' AND '.join(where)}"
        " ORDER BY name COLLATE NOCASE, id LIMIT ?",
        (*params, limit),
    ).fetchall()
    return [Client(*r) for r in rows]
