"""Helpers shared by tests (fixtures live in conftest.py)."""

import os
import subprocess
import sys
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

from app.domain import invoice_json
from app.domain.model import Document, DocumentType, Line, Party, VatCategory

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


SELLER = invoice_json.SellerProfile(
    party=Party(
        "Anna Schmidt Design", "DE", "Lindenweg 3", "Hamburg", "20095", vat_id="DE136695976"
    ),
    iban="DE89370400440532013000",
    bic="COBADEFFXXX",
)
BUYER = Party("Müller & Söhne GmbH", "DE", "Hauptstraße 5", "Berlin", "10115", vat_id="DE811907980")


def invoice(**changes) -> Document:
    base = Document(
        type=DocumentType.INVOICE,
        currency="EUR",
        issue_date=date(2026, 11, 2),
        buyer=BUYER,
        lines=(
            Line(
                "Logo design",
                Decimal(12),
                "HUR",
                Decimal("95.00"),
                VatCategory.STANDARD,
                Decimal(19),
            ),
            Line(
                "Printing of business cards",
                Decimal(500),
                "C62",
                Decimal("12.50"),
                VatCategory.STANDARD,
                Decimal(7),
                price_base_quantity=Decimal(100),
            ),
        ),
        due_date=date(2026, 12, 2),
    )
    return replace(base, **changes)
