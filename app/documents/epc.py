"""The EPC QR code ("GiroCode"): a SEPA credit transfer a banking app fills in from the paper.

Printed only when it can work: euros, an amount between 0.01 and
999,999,999.99 (the EPC069-12 limits), the seller's IBAN in a country of the
SEPA schemes, and an invoice number to use as the remittance text.
The code is drawn as vector squares in a form XObject, so it prints sharp at
any resolution and the file stays small.
"""

import functools
import re
from dataclasses import dataclass
from decimal import Decimal

import segno
from reportlab.pdfgen.canvas import Canvas

#: Countries whose IBANs take part in the SEPA schemes (EPC list of SEPA countries):
#: the EU and EEA, Switzerland, the United Kingdom, Andorra, Monaco, San Marino, the
#: Vatican and Gibraltar (Guernsey, Jersey and the Isle of Man use GB IBANs, the French
#: overseas departments FR ones).
SEPA_COUNTRIES = frozenset(
    {
        *("AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE"),
        *("IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"),
        *("IS", "LI", "NO", "CH", "GB", "AD", "MC", "SM", "VA", "GI"),
    }
)
MAX_AMOUNT = Decimal("999999999.99")
MIN_AMOUNT = Decimal("0.01")
_MAX_NAME = 70  # EPC069-12: beneficiary name, at most 70 characters
_MAX_TEXT = 140  # remittance information, at most 140 characters
FORM_NAME = "EPC-QR"
QUIET_ZONE = 4  # modules of white around the code, as the QR standard asks
MASK = 0
_DARK_RUN = re.compile(rb"[^\x00]+")  # a horizontal run of dark modules in a matrix row


@dataclass(frozen=True)
class Transfer:
    """What the QR code asks the payer's bank to do."""

    name: str
    iban: str
    bic: str
    amount: Decimal
    text: str


def transfer(
    *, name: str, iban: str, bic: str, currency: str, amount: Decimal, reference: str | None
) -> Transfer | None:
    """The credit transfer to encode, or None when a GiroCode would be wrong or useless."""
    compact = "".join(iban.split()).upper()
    if currency != "EUR" or not reference or compact[:2] not in SEPA_COUNTRIES:
        return None
    if not MIN_AMOUNT <= amount <= MAX_AMOUNT:
        return None
    compact_bic = "".join(bic.split()).upper()
    return Transfer(
        name=name.strip()[:_MAX_NAME].strip(),
        iban=compact,
        bic=compact_bic if len(compact_bic) in (8, 11) else "",  # optional in version 002
        amount=amount,
        text=reference[:_MAX_TEXT].strip(),
    )


def payload(data: Transfer) -> bytes:
    """The EPC069-12 version 002 text (UTF-8): BCD, 002, 1, SCT, BIC, name, IBAN, amount, text.

    Written out here rather than through ``segno.helpers.make_epc_qr``: that helper
    lets segno try all eight QR masks in pure Python (about 11 ms, most of the time
    an invoice takes to render); the tests check that the text is the one segno's
    helper builds for the same transfer.
    """
    amount = f"EUR{data.amount:.2f}".rstrip("0").rstrip(".")
    lines = ["BCD", "002", "1", "SCT", data.bic, data.name, data.iban, amount, "", "", data.text]
    return "\n".join(lines).encode("utf-8")


@functools.lru_cache(maxsize=64)
def qr_code(data: Transfer) -> segno.QRCode:
    """The QR code: error correction level M (EPC069-12) and a fixed mask (any mask is valid).

    Remembered for a while: the same document is often rendered more than once
    (preview, issue, export) and encoding takes a few milliseconds.
    """
    return segno.make_qr(payload(data), error="m", mask=MASK, boost_error=False)


def draw(canvas: Canvas, data: Transfer, x: float, y: float, size: float) -> None:
    """The code as a ``size`` × ``size`` square (quiet zone included) with its lower left at x, y.

    The modules are painted in the form's own grid, one unit per module and one
    rectangle per horizontal run of dark modules, and the form is scaled onto the page.
    """
    matrix = qr_code(data).matrix
    modules = len(matrix) + 2 * QUIET_ZONE
    runs = [
        f"{run.start() + QUIET_ZONE} {modules - QUIET_ZONE - 1 - row_number} {len(run[0])} 1 re"
        for row_number, row in enumerate(matrix)
        for run in _DARK_RUN.finditer(bytes(row))
    ]
    canvas.beginForm(FORM_NAME, lowerx=0, lowery=0, upperx=modules, uppery=modules)
    canvas.addLiteral("0 g\n" + "\n".join(runs) + "\nf")
    canvas.endForm()
    canvas.saveState()
    canvas.translate(x, y)
    canvas.scale(size / modules, size / modules)
    canvas.doForm(FORM_NAME)
    canvas.restoreState()
