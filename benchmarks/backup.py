"""Backup create and verify on the 100,000-invoice demo vault, against the stock ``age``.

On the demo vault of :mod:`benchmarks.demo_vault` (filled once per run), through the
services a user's actions go through:

- ``backup create``: :func:`app.services.backup.create_backup`, median of E2E_REPEATS;
- ``backup verify``: :func:`app.services.backup.verify_backup` with the owner's passphrase,
  median of E2E_REPEATS;

each in seconds and in MB/s (size of the ``.ivbak`` over the time), with a breakdown by
phase in the JSON details, taken during the same timed runs by wrapping the functions that
create and verify call.

The stock ``age`` tool is then run on the same bytes our code encrypts: the plaintext tar
payload of that backup (manifest and database snapshot), obtained by decrypting the
``.ivbak`` with the recovery key using ``age -d`` itself. With a fresh identity from
``age-keygen``, ROUNDS times each, interleaved (who goes first alternates, and each run starts
after ``os.sync()``): ``age -r <recipient> -o out.age payload``,
``age -d -i identity.txt -o /dev/null out.age``, and our :mod:`app.backup.age_format`
encrypting the same payload to the same recipient and decrypting its own file (reading the
whole plaintext, writing nothing). Medians; subprocess start-up is counted for ``age``.

Fairness: ``create`` also takes a consistent snapshot (``sqlcipher_export``), hashes it,
fsyncs, and reads the whole file back and checks it before it gets its name; ``verify``
derives the key from the passphrase (Argon2id at the floor), extracts and hashes every entry
and runs SQLCipher's and SQLite's integrity checks and the audit-chain check. ``age`` does
none of that. So the target, ours <= 1.5x age, applies to the comparable part, the age-format
encryption and decryption of the same payload; the end-to-end ratios are reported too, for
information.
"""

import contextlib
import hashlib
import os
import resource
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from app.backup import age_format, archive, operations, snapshot
from app.services import backup as backup_service
from benchmarks import demo_vault
from benchmarks.report import Figure, Section, median

INVOICES = 100_000
E2E_REPEATS = 3
ROUNDS = 7
RATIO_LIMIT = 1.5
READ_SIZE = age_format.CHUNK_SIZE  # how our encrypt reads the payload file, into one buffer


def _age() -> str:
    age = shutil.which("age")
    if age is None or shutil.which("age-keygen") is None:
        raise RuntimeError("the backup benchmark needs the stock age and age-keygen tools")
    return age


# --- phases of create and verify --------------------------------------------------------


class _Phases:
    """Wall time spent in the functions that create and verify call, while patched in."""

    # (module, attribute, label); sha256_file is called twice by create_backup: the snapshot
    # for the manifest, then the finished .ivbak for the audit record.
    TARGETS = (
        (snapshot, "take", "snapshot (sqlcipher_export)"),
        (operations, "sha256_file", "sha256 (the snapshot; the .ivbak for the audit record)"),
        (archive, "write", "tar + age encrypt, written"),
        (operations, "decrypt", "age header, key unwrap (Argon2id for a passphrase), header MAC"),
        (archive, "extract", "age decrypt + tar extract + sha256 + fsync"),
        (snapshot, "check", "integrity checks (cipher, SQLite, audit chain)"),
    )

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def _wrap(self, label: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed_call(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                took = time.perf_counter() - start
                self.seconds[label] = self.seconds.get(label, 0.0) + took

        return timed_call

    @contextlib.contextmanager
    def recording(self) -> Iterator["_Phases"]:
        originals = [(module, name, getattr(module, name)) for module, name, _ in self.TARGETS]
        try:
            for (module, name, label), (_m, _n, fn) in zip(self.TARGETS, originals, strict=True):
                setattr(module, name, self._wrap(label, fn))
            yield self
        finally:
            for module, name, fn in originals:
                setattr(module, name, fn)

    def breakdown(self, total: float, other: str) -> dict[str, float]:
        result = {label: round(s, 3) for label, s in self.seconds.items()}
        result[f"other ({other})"] = round(total - sum(self.seconds.values()), 3)
        return result


def _timed_with_phases(fn: Callable[[], Any], other: str) -> tuple[float, dict[str, float], Any]:
    """Wall time of ``fn()``, its phases (``other``: what the rest is), its result."""
    phases = _Phases()
    with phases.recording():
        start = time.perf_counter()
        result = fn()
        took = time.perf_counter() - start
    return took, phases.breakdown(took, other), result


# --- age versus ours on the same payload ------------------------------------------------


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _measure(fn: Callable[[], Any], who: int) -> tuple[float, float]:
    """Wall and CPU seconds (user + system) of one call; ``who``: RUSAGE_SELF or CHILDREN."""
    cpu = _cpu(who)
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start, _cpu(who) - cpu


def _our_encrypt(payload: Path, out: Path, recipient: age_format.X25519Recipient) -> None:
    with (
        open(payload, "rb") as src,
        open(out, "wb") as dst,
        age_format.AgeWriter(dst, [recipient]) as writer,
    ):
        buffer = bytearray(READ_SIZE)  # one buffer reused, as age's copy loop does
        view = memoryview(buffer)
        while count := src.readinto(buffer):
            writer.write(view[:count])


def _our_decrypt(
    path: Path, identity: age_format.X25519Identity, *, hashed: bool = False
) -> tuple[int, str] | None:
    """Read the whole plaintext; with ``hashed``, return its size and SHA-256."""
    digest = hashlib.sha256() if hashed else None
    size = 0
    with open(path, "rb") as src, age_format.decrypt(src, [identity]) as reader:
        for chunk in reader:
            if digest is not None:
                digest.update(chunk)
                size += len(chunk)
    return None if digest is None else (size, digest.hexdigest())


def _sync() -> None:
    if hasattr(os, "sync"):
        os.sync()


def _unlink(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def _compare_with_age(work: Path, payload: Path) -> dict[str, Any]:
    """ROUNDS interleaved runs (after one warm-up) of age and ours, encrypt and decrypt;
    wall and CPU seconds of each."""
    age = _age()
    identity_file = work / "identity.txt"
    subprocess.run(
        ["age-keygen", "-o", str(identity_file)], check=True, capture_output=True, text=True
    )
    recipient_text = subprocess.run(
        ["age-keygen", "-y", str(identity_file)], check=True, capture_output=True, text=True
    ).stdout.strip()
    secret = next(
        line
        for line in identity_file.read_text(encoding="ascii").splitlines()
        if line.startswith("AGE-SECRET-KEY-1")
    )
    identity = age_format.X25519Identity.from_string(secret)
    recipient = age_format.X25519Recipient.from_string(recipient_text)
    age_out, our_out = work / "out.age", work / "ours.age"

    def age_encrypt() -> None:
        _unlink(age_out)
        subprocess.run([age, "-r", recipient_text, "-o", str(age_out), str(payload)], check=True)

    def age_decrypt() -> None:
        subprocess.run(
            [age, "-d", "-i", str(identity_file), "-o", os.devnull, str(age_out)], check=True
        )

    def our_encrypt() -> None:
        _unlink(our_out)
        _our_encrypt(payload, our_out, recipient)

    runs: dict[str, list[tuple[float, float]]] = {
        "age_encrypt": [],
        "our_encrypt": [],
        "age_decrypt": [],
        "our_decrypt": [],
    }
    steps: list[tuple[str, Callable[[], Any], int]] = [
        ("age_encrypt", age_encrypt, resource.RUSAGE_CHILDREN),
        ("our_encrypt", our_encrypt, resource.RUSAGE_SELF),
        ("age_decrypt", age_decrypt, resource.RUSAGE_CHILDREN),
        ("our_decrypt", lambda: _our_decrypt(our_out, identity), resource.RUSAGE_SELF),
    ]
    for round_ in range(ROUNDS + 1):
        # Who goes first alternates, and every step starts with no dirty pages waiting to
        # be written, so that neither side pays for the other's writes.
        order = steps if round_ % 2 else [steps[1], steps[0], steps[3], steps[2]]
        for name, fn, who in order:
            _sync()
            measured = _measure(fn, who)
            if round_:  # round 0 warms the page cache and the code paths
                runs[name].append(measured)
    # Cross-check: each side opens the other's file and gets the payload back, byte for byte.
    expected = operations.sha256_file(payload)
    if _our_decrypt(age_out, identity, hashed=True) != expected:
        raise RuntimeError("our decryption of age's file does not give the payload back")
    cross = work / "cross.tar"
    subprocess.run(
        [age, "-d", "-i", str(identity_file), "-o", str(cross), str(our_out)], check=True
    )
    if operations.sha256_file(cross) != expected:
        raise RuntimeError("age's decryption of our file does not give the payload back")
    cross.unlink()
    return {
        name: {
            "wall_s": [round(w, 3) for w, _c in values],
            "cpu_s": [round(c, 3) for _w, c in values],
            "median_wall_s": round(median([w for w, _c in values]), 4),
            "median_cpu_s": round(median([c for _w, c in values]), 4),
        }
        for name, values in runs.items()
    } | {
        "encrypted_size_bytes": {
            "age": age_out.stat().st_size,
            "ours": our_out.stat().st_size,
        },
    }


# --- the section ------------------------------------------------------------------------


def run(invoices: int = INVOICES) -> Section:
    section = Section(f"Backup create and verify vs stock age ({invoices:,} demo invoices)")
    vault = demo_vault.get(invoices)
    session = vault.session
    with tempfile.TemporaryDirectory(prefix="iv-bench-backup-") as tmp:
        work = Path(tmp)
        target = work / "backups"

        creates: list[tuple[float, dict[str, float]]] = []
        created: list[backup_service.BackupCreated] = []
        for _ in range(E2E_REPEATS):
            took, phases, result = _timed_with_phases(
                lambda: backup_service.create_backup(session, target),
                "fsyncs, rename, audit record, rotation, temporary folders",
            )
            creates.append((took, phases))
            created.append(result)
        backup_file = created[-1].path
        size = backup_file.stat().st_size

        verifies: list[tuple[float, dict[str, float]]] = []
        for _ in range(E2E_REPEATS):
            took, phases, report = _timed_with_phases(
                lambda: backup_service.verify_backup(
                    backup_file, demo_vault.PASSPHRASE, demo_vault.OWNER
                ),
                "vault.json parse, temporary folder",
            )
            verifies.append((took, phases))

        # The same bytes our code encrypted: the backup's plaintext tar payload, recovered
        # by the stock age with the recovery key (so this also shows that it opens). It
        # holds the manifest, DK included, in clear: only in this private temporary folder.
        recovery = work / "recovery.txt"
        recovery.touch(mode=0o600)
        recovery.write_text(vault.recovery_key + "\n", encoding="ascii")
        payload = work / "payload.tar"
        age_opens_s = time.perf_counter()
        subprocess.run(
            [_age(), "-d", "-i", str(recovery), "-o", str(payload), str(backup_file)], check=True
        )
        age_opens_s = time.perf_counter() - age_opens_s
        payload_size = payload.stat().st_size
        for old in created[:-1]:  # room on the disk for the comparison's files
            _unlink(old.path)
        compared = _compare_with_age(work, payload)

    create_s = median([t for t, _p in creates])
    verify_s = median([t for t, _p in verifies])
    age_enc = compared["age_encrypt"]["median_wall_s"]
    age_dec = compared["age_decrypt"]["median_wall_s"]
    our_enc = compared["our_encrypt"]["median_wall_s"]
    our_dec = compared["our_decrypt"]["median_wall_s"]
    mb, payload_mb = size / 1e6, payload_size / 1e6
    create_phases = _median_phases(creates, create_s)
    verify_phases = _median_phases(verifies, verify_s)
    pure_note = f"same {payload_mb:,.0f} MB payload, median of {ROUNDS}"

    section.figures += [
        Figure("Backup file (.ivbak)", round(mb, 1), "MB", note=f"payload {payload_mb:,.1f} MB"),
        Figure(
            "backup create, end to end",
            round(create_s, 2),
            "s",
            note=f"create_backup, median of {E2E_REPEATS}",
        ),
        Figure("  create throughput", round(mb / create_s, 1), "MB/s"),
        Figure(
            "backup verify, end to end",
            round(verify_s, 2),
            "s",
            note=f"verify_backup with the passphrase, median of {E2E_REPEATS}",
        ),
        Figure("  verify throughput", round(mb / verify_s, 1), "MB/s"),
        Figure("age encrypt (age -r, to a file)", round(age_enc, 3), "s", note=pure_note),
        Figure("age decrypt (age -d, to /dev/null)", round(age_dec, 3), "s", note=pure_note),
        Figure("Our age format, encrypt (to a file)", round(our_enc, 3), "s", note=pure_note),
        Figure("Our age format, decrypt (discarded)", round(our_dec, 3), "s", note=pure_note),
        Figure(
            "Encrypt ratio ours/age (age format only)",
            round(our_enc / age_enc, 2),
            "x",
            RATIO_LIMIT,
            "<= 1.5x",
        ),
        Figure(
            "Decrypt ratio ours/age (age format only)",
            round(our_dec / age_dec, 2),
            "x",
            RATIO_LIMIT,
            "<= 1.5x",
        ),
        Figure(
            "Create ratio end to end / age encrypt",
            round(create_s / age_enc, 1),
            "x",
            note="snapshot, hashes, fsync, read-back and checks included",
        ),
        Figure(
            "Verify ratio end to end / age decrypt",
            round(verify_s / age_dec, 1),
            "x",
            note="Argon2id, extraction, hashes and integrity checks included",
        ),
    ]
    section.details = {
        "backup_file_bytes": size,
        "payload_bytes": payload_size,
        "read_size_of_our_encrypt": READ_SIZE,
        "create_s": [round(t, 3) for t, _p in creates],
        "verify_s": [round(t, 3) for t, _p in verifies],
        "create_phases_s_of_median_run": create_phases,
        "verify_phases_s_of_median_run": verify_phases,
        "create_phases_s_all_runs": [p for _t, p in creates],
        "verify_phases_s_all_runs": [p for _t, p in verifies],
        "age_decrypts_the_ivbak_with_recovery_key_s": round(age_opens_s, 3),
        "age_vs_ours": compared,
        "verified_audit_seq": report.audit_seq,
    }
    section.findings += [
        "Ratios: the 1.5x target applies to the age format alone (same payload, same "
        "recipient type); end to end, create also snapshots, hashes, fsyncs and reads the "
        "whole file back with every check, and verify derives the key with Argon2id, "
        "extracts, hashes and runs the integrity checks, none of which age does.",
        "Create, by phase (median run): " + _phases_text(create_phases) + ".",
        "Verify, by phase (median run): " + _phases_text(verify_phases) + ".",
        f"CPU (user + system), median: age encrypt {_cpu_of(compared, 'age_encrypt')}, "
        f"ours {_cpu_of(compared, 'our_encrypt')}; age decrypt "
        f"{_cpu_of(compared, 'age_decrypt')}, ours {_cpu_of(compared, 'our_decrypt')}.",
        f"The stock age opened the .ivbak with the recovery key ({age_opens_s:.2f} s); each "
        "side decrypted the other's file of the payload.",
    ]
    return section


def _median_phases(runs: list[tuple[float, dict[str, float]]], median_s: float) -> dict[str, float]:
    """The phases of the run whose total is the median (E2E_REPEATS is odd)."""
    return min(runs, key=lambda run: abs(run[0] - median_s))[1]


def _phases_text(phases: dict[str, float]) -> str:
    return ", ".join(f"{label} {seconds:.2f} s" for label, seconds in phases.items())


def _cpu_of(compared: dict[str, Any], name: str) -> str:
    return f"{compared[name]['median_cpu_s']:.2f} s"
