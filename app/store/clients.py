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


def insert(
    conn: Connection,
    party: Party,
    *,
    language: str = "en",
    currency: str = "EUR",
    payment_days: int = 30,
) -> int:
    cur = conn.execute(
        "INSERT INTO clients (name, country, street, city, postcode, vat_id, tax_id, email, phone,"
        " language, currency, payment_days, legal_id, created_at)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            party.name,
            party.country,
            party.street,
            party.city,
            party.postcode,
            party.vat_id,
            party.tax_id,
            party.email,
            party.phone,
            language,
            currency,
            payment_days,
            party.legal_id,
            now_utc(),
        ),
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
    cur = conn.execute(
        "UPDATE clients SET name = ?, country = ?, street = ?, city = ?, postcode = ?,"
        " vat_id = ?, tax_id = ?, email = ?, phone = ?, language = ?, currency = ?,"
        " payment_days = ?, legal_id = ? WHERE id = ?",
        (
            party.name,
            party.country,
            party.street,
            party.city,
            party.postcode,
            party.vat_id,
            party.tax_id,
            party.email,
            party.phone,
            language,
            currency,
            payment_days,
            party.legal_id,
            client_id,
        ),
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
