"""Users of a vault and their roles (each unlocks with their own keyslot)."""

from dataclasses import dataclass

from app.store.audit import now_utc
from app.store.connection import Connection


@dataclass(frozen=True)
class User:
    name: str
    role: str


def add(conn: Connection, name: str, role: str) -> User:
    conn.execute(
        "INSERT INTO users (name, role, created_at) VALUES (?, ?, ?)", (name, role, now_utc())
    )
    return User(name, role)


def get(conn: Connection, name: str) -> User | None:
    row = conn.execute("SELECT name, role FROM users WHERE name = ?", (name,)).fetchone()
    return User(*row) if row else None
