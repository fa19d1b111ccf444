"""The input every renderer takes: an issued document frozen with its seller."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from app.domain.invoice_json import SellerProfile
from app.domain.model import Document
from app.domain.totals import Totals

LANGUAGES = ("en", "de", "fr")


@dataclass(frozen=True)
class Logo:
    """A checked image (see :mod:`app.documents.logo`): PNG or JPEG bytes and pixel size."""

    data: bytes
    media_type: str  # "image/png" or "image/jpeg"
    width: int
    height: int


@dataclass(frozen=True)
class Source:
    """A quote, invoice or credit note as it is rendered.

    ``number`` is None for a draft (rendered as a preview, marked "DRAFT").
    ``preceding_number`` is the number of the invoice a credit note corrects.
    ``language`` is one of :data:`LANGUAGES` (the client's language at issue).
    """

    number: str | None
    document: Document
    totals: Totals
    seller: SellerProfile
    language: str
    logo: Logo | None = None
    preceding_number: str | None = None


@dataclass(frozen=True)
class ReminderSource:
    """A payment reminder for an overdue invoice: level 1, 2 or 3, with an optional fee."""

    invoice: Source
    level: int
    sent_on: date
    outstanding: Decimal  # what is still due on the invoice, before the fee
    fee: Decimal
