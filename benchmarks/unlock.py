"""Unlock time, split into the Argon2id KDF and everything else.

A vault is created in a temporary folder with the calibrated KDF (``kdf=None``:
about one second at 256 MiB on this machine), locked, then unlocked N times
through :func:`app.services.access.unlock`, the code path of the real prompt.
During the run ``app.vault.vault.derive_kek`` (and, for a finer breakdown,
``open_encrypted`` and ``migrate``) are wrapped with timers, so the KDF share is
measured inside the same call rather than estimated from a separate run.

"The rest" = total - KDF: reading vault.json, opening the keyslot (AEAD),
opening SQLCipher with the raw key, the schema check, the session and the
unlock-state bookkeeping. Target: under 50 ms.
"""

import contextlib
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import app.store.connection
import app.vault.vault
from app.services import access
from app.vault import kdf
from app.vault.vault import Vault
from benchmarks.report import Figure, Section, median, ms

USER = "owner"
PASSPHRASE = "glacier mango sprocket velvet"
UNLOCKS = 5
FLOOR_RUNS = 3
REST_LIMIT_MS = 50.0


class Stopwatch:
    """Accumulates the time spent in wrapped functions, per label, for one unlock."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = {}

    def wrap(self, label: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed_call(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.spent[label] = self.spent.get(label, 0.0) + time.perf_counter() - start

        return timed_call


@contextlib.contextmanager
def instrumented(watch: Stopwatch) -> Iterator[None]:
    """Patch the names vault.py actually calls; restored on exit."""
    targets = [
        (app.vault.vault, "derive_kek", "kdf"),
        (app.vault.vault, "migrate", "migrate"),
        (app.store.connection, "open_encrypted", "sqlcipher_open"),
    ]
    saved = [(module, name, getattr(module, name)) for module, name, _ in targets]
    try:
        for module, name, label in targets:
            setattr(module, name, watch.wrap(label, getattr(module, name)))
        yield
    finally:
        for module, name, original in saved:
            setattr(module, name, original)


def run(unlocks: int = UNLOCKS) -> Section:
    section = Section("Unlock (passphrase, calibrated Argon2id)")
    with tempfile.TemporaryDirectory(prefix="iv-bench-unlock-") as tmp:
        data_dir = Path(tmp) / "vault"
        start = time.perf_counter()
        session, _recovery = access.create_vault(data_dir, USER, PASSPHRASE, kdf=None)
        create_s = time.perf_counter() - start
        access.lock(session)
        params = Vault(data_dir).read().passphrase_slot(USER).kdf

        totals: list[float] = []
        parts: list[dict[str, float]] = []
        for _ in range(unlocks):
            watch = Stopwatch()
            with instrumented(watch):
                start = time.perf_counter()
                session = access.unlock(data_dir, USER, PASSPHRASE)
                totals.append(time.perf_counter() - start)
            access.lock(session)
            parts.append(watch.spent)

    kdf_times = [p["kdf"] for p in parts]
    rest = [t - k for t, k in zip(totals, kdf_times, strict=True)]
    opens = [p.get("sqlcipher_open", 0.0) for p in parts]
    migrates = [p.get("migrate", 0.0) for p in parts]

    floor_times = []
    for i in range(FLOOR_RUNS):
        start = time.perf_counter()
        kdf.derive_kek(PASSPHRASE, bytes([i]) * kdf.SALT_BYTES, kdf.FLOOR).wipe()
        floor_times.append(time.perf_counter() - start)

    chosen = f"m={params.memory_kib // 1024} MiB, t={params.time_cost}, p={params.parallelism}"
    floor = kdf.FLOOR
    floor_text = f"m={floor.memory_kib // 1024} MiB, t={floor.time_cost}, p={floor.parallelism}"
    section.figures += [
        Figure("Unlock total, median", ms(median(totals)), "ms", note=f"N={unlocks}"),
        Figure("Unlock total, max", ms(max(totals)), "ms"),
        Figure("KDF (calibrated), median", ms(median(kdf_times)), "ms", note=chosen),
        Figure("KDF (calibrated), max", ms(max(kdf_times)), "ms"),
        Figure("Rest (total - KDF), median", ms(median(rest)), "ms", REST_LIMIT_MS, "< 50 ms"),
        Figure("Rest (total - KDF), max", ms(max(rest)), "ms", REST_LIMIT_MS, "< 50 ms"),
        Figure("  of which SQLCipher open, median", ms(median(opens)), "ms"),
        Figure("  of which schema check (migrate), median", ms(median(migrates)), "ms"),
        Figure("KDF at FLOOR, median", ms(median(floor_times)), "ms", note=floor_text),
    ]
    section.details = {
        "kdf_params_chosen": {
            "memory_kib": params.memory_kib,
            "time_cost": params.time_cost,
            "parallelism": params.parallelism,
        },
        "kdf_params_floor": {
            "memory_kib": floor.memory_kib,
            "time_cost": floor.time_cost,
            "parallelism": floor.parallelism,
        },
        "create_vault_ms": ms(create_s),
        "unlock_total_ms": [ms(t) for t in totals],
        "kdf_ms": [ms(t) for t in kdf_times],
        "rest_ms": [ms(t) for t in rest],
        "sqlcipher_open_ms": [ms(t) for t in opens],
        "migrate_ms": [ms(t) for t in migrates],
        "floor_kdf_ms": [ms(t) for t in floor_times],
    }
    section.findings.append(
        f"Calibrated parameters: {chosen} (vault creation incl. calibration: "
        f"{ms(create_s):,.0f} ms). FLOOR = {floor_text}."
    )
    return section
