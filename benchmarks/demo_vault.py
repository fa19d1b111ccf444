"""The demo vault that several sections measure, built once per run and shared.

:func:`get` creates a vault in a temporary folder at the Argon2id floor (the KDF is not
what these sections measure), fills it through :func:`app.services.demo.fill` and times
the fill. The result is cached by invoice count, so within one ``python -m benchmarks`` the
100,000-invoice vault is filled once, whichever section asks first; the fill time and the
file sizes are those recorded right after the fill. The vault stays unlocked for the
sections that follow; it is locked and its folder removed when the process exits (or at
:func:`close_all`).
"""

import atexit
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from app.services import access, demo
from app.services.demo import DemoSummary
from app.services.session import Session
from app.vault.kdf import FLOOR

OWNER = "owner"
PASSPHRASE = "glacier mango sprocket velvet"


@dataclass
class DemoVault:
    data_dir: Path
    session: Session
    recovery_key: str  # the AGE-SECRET-KEY-1... shown at creation
    summary: DemoSummary
    fill_s: float
    batches: list[tuple[float, int]]  # (perf_counter, documents done) after each batch
    files_bytes: dict[str, int]  # the vault folder's files right after the fill
    _tmp: tempfile.TemporaryDirectory[str] = field(repr=False)

    @property
    def database_mb(self) -> float:
        """The database and its WAL right after the fill, in MB."""
        return sum(v for k, v in self.files_bytes.items() if k.endswith((".db", ".db-wal"))) / 1e6

    def close(self) -> None:
        if not self.session.vault.locked:
            self.session.vault.lock()
        self._tmp.cleanup()


_cache: dict[int, DemoVault] = {}


def get(invoices: int) -> DemoVault:
    """The demo vault with ``invoices`` invoices, filled on first use in this process."""
    cached = _cache.get(invoices)
    if cached is not None:
        return cached
    tmp = tempfile.TemporaryDirectory(prefix="iv-bench-vault-")
    try:
        data_dir = Path(tmp.name) / "vault"
        session, recovery_key = access.create_vault(data_dir, OWNER, PASSPHRASE, kdf=FLOOR)
        try:
            batches: list[tuple[float, int]] = []
            start = time.perf_counter()
            summary = demo.fill(
                session,
                invoices,
                progress=lambda done, _total: batches.append((time.perf_counter(), done)),
            )
            fill_s = time.perf_counter() - start
            sizes = {p.name: p.stat().st_size for p in data_dir.iterdir() if p.is_file()}
        except BaseException:
            session.vault.lock()
            raise
    except BaseException:
        tmp.cleanup()
        raise
    built = DemoVault(data_dir, session, recovery_key, summary, fill_s, batches, sizes, tmp)
    _cache[invoices] = built
    return built


def close_all() -> None:
    """Lock every cached vault and remove its folder."""
    while _cache:
        _cache.popitem()[1].close()


atexit.register(close_all)
