"""What is written to the vault's files is encrypted: checked on the bytes of each file."""

from support import PASSPHRASE

from app.services import access
from app.store import audit
from app.store.connection import transaction

MARKERS = ["Zoë Müller-Łukasiewicz", "DE89370400440532013000", "PLAINTEXT-CANARY-7731"]


def forms(marker: str) -> list[bytes]:
    return [marker.encode("utf-8"), marker.encode("utf-16-le"), marker.encode("utf-16-be")]


def test_database_and_wal_hold_no_plaintext(session, data_dir):
    with transaction(session.conn) as conn:
        for i in range(300):  # enough rows to spill over several pages into the WAL
            audit.append(conn, "owner", "test.note", {"text": " / ".join(MARKERS), "i": i})
    wal = data_dir / "invoicevault.db-wal"
    assert wal.exists() and wal.stat().st_size > 100_000, "the WAL must hold the new pages"
    files = {p.name: p.read_bytes() for p in data_dir.iterdir()}
    assert "invoicevault.db" in files
    for name, data in files.items():
        for marker in [*MARKERS, "owner", "test.note", "audit_log", "CREATE TABLE"]:
            if name in ("vault.json", "unlock-state.json") and marker == "owner":
                continue  # user names are in the keyslot header by design
            for form in forms(marker):
                assert form not in data, f"{marker!r} in clear in {name}"
    # the database does not even start like SQLite
    assert not files["invoicevault.db"].startswith(b"SQLite format 3")


def test_no_key_material_or_passphrase_in_the_clear(session, data_dir):
    dk, kek = session.vault._dk.reveal(), session.vault._kek.reveal()
    access.lock(session)
    for path in data_dir.iterdir():
        data = path.read_bytes()
        for secret in (dk, kek, dk.hex().encode(), kek.hex().encode(), PASSPHRASE.encode()):
            assert secret not in data, path.name
