"""The documents a sole proprietor writes, as plain immutable data (EN 16931 names in comments).

Amounts, quantities and rates are :class:`~decimal.Decimal`, never float. A
document here is content only: its number, status and stored identity belong to
the store and the services. Validation lives in :mod:`app.domain.rules`, the
arithmetic in :mod:`app.domain.totals`.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum


class DocumentType(StrEnum):
    INVOICE = "invoice"  # UNTDID 1001 code 380
    CREDIT_NOTE = "credit_note"  # code 381; amounts positive, the type says "credit"
    QUOTE = "quote"  # not an EN 16931 document; convertible to an invoice


class VatCategory(StrEnum):
    """UNTDID 5305 codes used by EN 16931 (BT-95, BT-102, BT-118, BT-151)."""

    STANDARD = "S"
    ZERO = "Z"
    EXEMPT = "E"
    REVERSE_CHARGE = "AE"
    INTRA_COMMUNITY = "K"  # VAT exempt for EEA intra-community supply of goods and services
    EXPORT = "G"  # free export item, VAT not charged
    NOT_SUBJECT = "O"  # services outside scope of tax
    CANARY = "L"  # Canary Islands general indirect tax (IGIC)
    CEUTA_MELILLA = "M"  # tax for production, services and importation in Ceuta and Melilla


@dataclass(frozen=True)
class Party:
    """A seller (BG-4) or buyer (BG-7) with a postal address (BG-5 / BG-8)."""

    name: str  # BT-27 / BT-44
    country: str  # BT-40 / BT-55, ISO 3166-1 alpha-2
    street: str = ""  # BT-35 / BT-50
    city: str = ""  # BT-37 / BT-52
    postcode: str = ""  # BT-38 / BT-53
    vat_id: str = ""  # BT-31 / BT-48
    tax_id: str = ""  # BT-32 (seller tax registration)
    email: str = ""  # BT-43 / BT-58 (contact e-mail)
    phone: str = ""  # BT-42 / BT-57
    legal_id: str = ""  # BT-30 / BT-47 legal registration (company register number, SIREN ...)


@dataclass(frozen=True)
class AllowanceCharge:
    """A line (BG-27/28) or document (BG-20/21) allowance or charge.

    Line allowances and charges take the line's VAT; document ones carry their own
    category and rate (``vat_category``/``vat_rate`` are None on line level).
    """

    amount: Decimal  # BT-92 / BT-99 / BT-136 / BT-141, positive
    reason: str = ""  # BT-97 / BT-104 / BT-139 / BT-144
    reason_code: str = ""  # BT-98 / BT-105 / BT-140 / BT-145 (UNTDID 5189 / 7161)
    vat_category: VatCategory | None = None  # BT-95 / BT-102 (document level only)
    vat_rate: Decimal | None = None  # BT-96 / BT-103 (document level only)


@dataclass(frozen=True)
class Line:
    """An invoice line (BG-25)."""

    description: str  # BT-153 item name
    quantity: Decimal  # BT-129
    unit: str  # BT-130, UN/ECE Rec 20/21 code, e.g. C62, HUR, KGM
    net_price: Decimal  # BT-146, per price_base_quantity
    vat_category: VatCategory  # BT-151
    vat_rate: Decimal | None  # BT-152 (None for category O)
    gross_price: Decimal | None = None  # BT-148; gross - net is the price discount BT-147
    price_base_quantity: Decimal = Decimal(1)  # BT-149
    allowances: tuple[AllowanceCharge, ...] = ()
    charges: tuple[AllowanceCharge, ...] = ()
    exemption_reason: str = ""  # BT-120 text for its VAT breakdown (E, AE, K, G, O ...)
    exemption_code: str = ""  # BT-121, e.g. VATEX-EU-AE
    item_id: str = ""  # BT-155 seller's item identifier (from the catalogue)


@dataclass(frozen=True)
class Item:
    """An entry of the catalogue: what a new line starts from when it is picked."""

    description: str
    unit: str
    net_price: Decimal
    currency: str
    vat_category: VatCategory
    vat_rate: Decimal | None
    exemption_reason: str = ""

    def as_line(self, quantity: Decimal = Decimal(1), item_id: str = "") -> Line:
        return Line(
            self.description,
            quantity,
            self.unit,
            self.net_price,
            self.vat_category,
            self.vat_rate,
            exemption_reason=self.exemption_reason,
            item_id=item_id,
        )


@dataclass(frozen=True)
class Document:
    """The content of a quote, invoice or credit note, as the user entered it."""

    type: DocumentType
    currency: str  # BT-5, ISO 4217
    issue_date: date  # BT-2
    buyer: Party  # BG-7
    lines: tuple[Line, ...]  # BG-25, at least one
    due_date: date | None = None  # BT-9
    buyer_reference: str = ""  # BT-10
    order_reference: str = ""  # BT-13
    note: str = ""  # BT-22
    payment_terms: str = ""  # BT-20
    preceding_invoice: str = ""  # BT-25, the number of the invoice a credit note corrects
    allowances: tuple[AllowanceCharge, ...] = field(default=())  # BG-20
    charges: tuple[AllowanceCharge, ...] = field(default=())  # BG-21
    prepaid: Decimal = Decimal(0)  # BT-113
    rounding_amount: Decimal = Decimal(0)  # BT-114
    delivery_date: date | None = None  # BT-72 actual delivery date
    period_start: date | None = None  # BT-73 invoicing period (BG-14) start
    period_end: date | None = None  # BT-74 invoicing period end, not before the start
    deliver_to_country: str = ""  # BT-80, ISO 3166-1 alpha-2, where the goods go
