"""Helpers shared by tests (fixtures live in conftest.py)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
PASSPHRASE = "glacier mango sprocket velvet"
OTHER_PASSPHRASE = "harbour lantern quietly persimmon"


def run_cli(
    *args: str, stdin: str = "", env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """The real ``invoicevault`` program in a subprocess, secrets fed through a pipe."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON_KEYRING")}
    base["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    return subprocess.run(
        [sys.executable, "-m", "ui.entry", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**base, **(env or {})},
        timeout=timeout,
        check=False,
    )
