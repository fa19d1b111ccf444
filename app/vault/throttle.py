"""Exponential back-off after failed unlocks, persisted so a restart does not reset it.

The state lives in ``unlock-state.json`` beside vault.json because a failed
unlock cannot write into the encrypted database. It also carries events that
happened while the vault was locked (failed unlocks, a forgotten keyring entry);
they are moved into the audit log at the next successful unlock, marked as
recorded while locked. Someone who can delete this file can reset the delay:
the delay slows a person at the keyboard; Argon2id is what slows an attacker
holding the files (docs/SECURITY.md).
"""

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.errors import UnlockThrottled
from app.fileio import write_atomic

STATE_VERSION = 1
FREE_ATTEMPTS = 3
MAX_DELAY_SECONDS = 15 * 60
MAX_STATE_BYTES = 64 * 1024
MAX_PENDING = 100


def delay_after(failures: int) -> int:
    """Seconds to wait after ``failures`` consecutive failures: 0, 0, 0, 1, 2, 4 ... 15 min."""
    if failures < FREE_ATTEMPTS:
        return 0
    return min(2 ** (failures - FREE_ATTEMPTS), MAX_DELAY_SECONDS)


@dataclass
class UnlockState:
    failures: int = 0
    last_failure: float = 0.0  # epoch seconds, not money
    pending: list[dict[str, Any]] = field(default_factory=list)


class Throttle:
    def __init__(self, path: Path, clock: Callable[[], float] = time.time) -> None:
        self.path = path
        self.clock = clock

    def load(self) -> UnlockState:
        """Read the state; a damaged file counts as the worst case rather than as none."""
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return UnlockState()
        try:
            if len(data) > MAX_STATE_BYTES:
                raise ValueError("too large")
            doc = json.loads(data)
            if doc.get("version") != STATE_VERSION:
                raise ValueError("unknown version")
            failures, last = doc["failures"], doc["last_failure"]
            pending = doc.get("pending", [])
            if type(failures) is not int or failures < 0 or not isinstance(last, int | float):
                raise ValueError("wrong types")
            if not isinstance(pending, list) or not all(isinstance(p, dict) for p in pending):
                raise ValueError("wrong types")
            return UnlockState(failures, float(last), pending[-MAX_PENDING:])  # not money
        except (ValueError, KeyError, TypeError, AttributeError):
            return UnlockState(
                FREE_ATTEMPTS + 4,
                self.clock(),
                [{"action": "unlock.state_damaged", "at": _iso(self.clock()), "details": {}}],
            )

    def save(self, state: UnlockState) -> None:
        doc = {
            "version": STATE_VERSION,
            "failures": state.failures,
            "last_failure": state.last_failure,
            "pending": state.pending[-MAX_PENDING:],
        }
        write_atomic(self.path, json.dumps(doc, indent=1).encode())

    def seconds_left(self) -> int:
        state = self.load()
        wait = state.last_failure + delay_after(state.failures) - self.clock()
        return max(0, int(wait + 0.999))

    def check(self) -> None:
        left = self.seconds_left()
        if left:
            raise UnlockThrottled(left)

    def record_failure(self, user: str, how: str) -> None:
        state = self.load()
        state.failures += 1
        state.last_failure = self.clock()
        state.pending.append(
            {
                "action": "unlock.failed",
                "at": _iso(state.last_failure),
                "details": {"user": user, "with": how},
            }
        )
        self.save(state)

    def record_event(self, action: str, details: dict[str, Any]) -> None:
        state = self.load()
        state.pending.append({"action": action, "at": _iso(self.clock()), "details": details})
        self.save(state)

    def pending(self) -> list[dict[str, Any]]:
        return self.load().pending

    def reset(self) -> None:
        """After a successful unlock whose pending events are in the audit log."""
        if self.path.exists():
            self.save(UnlockState())


def _iso(epoch: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))
