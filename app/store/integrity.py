"""SQLCipher's and SQLite's own integrity checks."""

from app.store.connection import Connection


def problems(conn: Connection) -> list[str]:
    """Every page's HMAC (``cipher_integrity_check``), then ``integrity_check``; [] if sound."""
    found = [row[0] for row in conn.execute("PRAGMA cipher_integrity_check").fetchall()]
    if found:
        return [f"SQLCipher: {found[0]}"]
    result = [row[0] for row in conn.execute("PRAGMA integrity_check").fetchall()]
    return [] if result == ["ok"] else result[:1]
