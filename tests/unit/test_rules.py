"""app.domain.rules: every rule fires with its field path; valid documents of each category pass."""

import re
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from stdnum import iban as stdnum_iban
from stdnum.eu import vat as stdnum_vat

from app.domain import rules
from app.domain.model import (
    AllowanceCharge,
    Document,
    DocumentType,
    Line,
    Party,
    VatCategory,
)
from app.domain.unit_codes import UNIT_CODES
from app.errors import ValidationError

D = Decimal
CEN_CODES = (
    Path(__file__).resolve().parents[2].parent
    / "shared/einvoice/cen-en16931/ubl/schematron/codelist/EN16931-UBL-codes.sch"
)

SELLER = Party(name="Jane Doe Design", country="DE", vat_id="DE136695976", tax_id="12/345/67890")
SELLER_NO_VAT = Party(
    name="Jane Doe Design", country="DE", tax_id="12/345/67890", legal_id="HRA 4711"
)
SELLER_TAX_NUMBER_ONLY = Party(name="Jane Doe Design", country="DE", tax_id="12/345/67890")
BUYER = Party(name="Acme GmbH", country="DE", vat_id="ATU13585627", email="ap@acme.example")
BUYER_NO_VAT = Party(name="Private Person", country="DE")


def a_line(**changes: object) -> Line:
    base = Line(
        description="Design work",
        quantity=D("10"),
        unit="HUR",
        net_price=D("80.00"),
        vat_category=VatCategory.STANDARD,
        vat_rate=D("19"),
    )
    return replace(base, **changes)


def a_doc(*lines: Line, **changes: object) -> Document:
    base = Document(
        type=DocumentType.INVOICE,
        currency="EUR",
        issue_date=date(2026, 11, 1),
        due_date=date(2026, 12, 1),
        buyer=BUYER,
        lines=lines or (a_line(),),
    )
    return replace(base, **changes)


#: What an intra-community supply must say: when and where (BR-IC-11, BR-IC-12).
K_DELIVERY = {"delivery_date": date(2026, 10, 29), "deliver_to_country": "AT"}


def refused(document: Document, seller: Party | None = SELLER) -> str:
    with pytest.raises(ValidationError) as caught:
        rules.validate(document, seller)
    return str(caught.value)


def ac(
    amount: str = "5.00", category: str | None = None, rate: str | None = None, **kw
) -> AllowanceCharge:
    return AllowanceCharge(
        amount=D(amount),
        reason=kw.pop("reason", "discount"),
        vat_category=None if category is None else VatCategory(category),
        vat_rate=None if rate is None else D(rate),
        **kw,
    )


# --------------------------------------------------------------------------- valid documents


VALID = {
    "S": (a_doc(), SELLER),
    "S with tax number and legal id": (a_doc(), SELLER_NO_VAT),
    "Z": (a_doc(a_line(vat_category=VatCategory.ZERO, vat_rate=D(0))), SELLER),
    "E": (
        a_doc(
            a_line(
                vat_category=VatCategory.EXEMPT,
                vat_rate=D(0),
                exemption_reason="Exempt under § 19 UStG (small business)",
            ),
            buyer=BUYER_NO_VAT,
        ),
        SELLER_NO_VAT,
    ),
    "AE": (
        a_doc(
            a_line(
                vat_category=VatCategory.REVERSE_CHARGE,
                vat_rate=D("0.00"),
                exemption_reason="Reverse charge",
                exemption_code="VATEX-EU-AE",
            )
        ),
        SELLER,
    ),
    "K": (
        a_doc(
            a_line(
                vat_category=VatCategory.INTRA_COMMUNITY,
                vat_rate=D(0),
                exemption_code="VATEX-EU-IC",
            ),
            **K_DELIVERY,
        ),
        SELLER,
    ),
    "K over an invoicing period": (
        a_doc(
            a_line(vat_category=VatCategory.INTRA_COMMUNITY, vat_rate=D(0), exemption_reason="IC"),
            period_start=date(2026, 10, 1),
            period_end=date(2026, 10, 31),
            deliver_to_country="FR",
        ),
        SELLER,
    ),
    "K with an open-ended period": (
        a_doc(
            a_line(vat_category=VatCategory.INTRA_COMMUNITY, vat_rate=D(0), exemption_reason="IC"),
            period_end=date(2026, 10, 31),
            deliver_to_country="FR",
        ),
        SELLER,
    ),
    "a one-day period and a delivery date on S": (
        a_doc(
            delivery_date=date(2026, 10, 2),
            period_start=date(2026, 10, 2),
            period_end=date(2026, 10, 2),
        ),
        SELLER,
    ),
    "O from a seller identified by its legal id only": (
        a_doc(
            a_line(
                vat_category=VatCategory.NOT_SUBJECT, vat_rate=None, exemption_code="VATEX-EU-O"
            ),
            buyer=BUYER_NO_VAT,
        ),
        replace(SELLER_NO_VAT, tax_id=""),
    ),
    "G": (
        a_doc(
            a_line(vat_category=VatCategory.EXPORT, vat_rate=D(0), exemption_reason="Export"),
            buyer=Party(name="Acme Inc", country="US"),
        ),
        SELLER,
    ),
    "O": (
        a_doc(
            a_line(
                vat_category=VatCategory.NOT_SUBJECT,
                vat_rate=None,
                exemption_reason="Not subject to VAT",
            ),
            buyer=BUYER_NO_VAT,
        ),
        SELLER_NO_VAT,
    ),
    "L": (a_doc(a_line(vat_category=VatCategory.CANARY, vat_rate=D(7))), SELLER),
    "M": (a_doc(a_line(vat_category=VatCategory.CEUTA_MELILLA, vat_rate=D("0.5"))), SELLER),
    "no seller given": (a_doc(), None),
    "credit note": (
        a_doc(type=DocumentType.CREDIT_NOTE, preceding_invoice="INV-2026-0007"),
        SELLER,
    ),
    "quote": (a_doc(type=DocumentType.QUOTE, due_date=None), SELLER),
    "JPY": (a_doc(a_line(net_price=D("8000")), currency="JPY"), SELLER),
    "BHD": (a_doc(a_line(net_price=D("8.125")), currency="BHD", prepaid=D("1.500")), SELLER),
    "everything": (
        a_doc(
            a_line(
                quantity=D("250"),
                unit="C62",
                net_price=D("12.50"),
                gross_price=D("13.00"),
                price_base_quantity=D("100"),
                allowances=(ac("1.25"),),
                charges=(AllowanceCharge(amount=D("0.50"), reason_code="ABL"),),
                item_id="SCREW-4x40",
            ),
            a_line(vat_category=VatCategory.ZERO, vat_rate=D(0)),
            a_line(vat_rate=D("7"), description="Books\nsecond line"),
            allowances=(
                AllowanceCharge(
                    amount=D("2.00"), reason_code="95", vat_category=VatCategory.ZERO, vat_rate=D(0)
                ),
            ),
            charges=(ac("4.90", "S", "19", reason="Shipping"),),
            prepaid=D("50.00"),
            rounding_amount=D("-0.02"),
            note="Thank you!\n\tSee you soon",
            payment_terms="30 days net",
            buyer_reference="PO-1",
            order_reference="ORDER-7",
        ),
        SELLER,
    ),
    "10 000 lines": (a_doc(*[a_line()] * rules.MAX_LINES), SELLER),
}


@pytest.mark.parametrize("name", VALID)
def test_valid_documents_pass(name):
    document, seller = VALID[name]
    rules.validate(document, seller)


# --------------------------------------------------------------------------- refusals

S, Z, E, AE, K, G, O, L, M = (  # noqa: E741 (the UNTDID 5305 codes)
    VatCategory.STANDARD,
    VatCategory.ZERO,
    VatCategory.EXEMPT,
    VatCategory.REVERSE_CHARGE,
    VatCategory.INTRA_COMMUNITY,
    VatCategory.EXPORT,
    VatCategory.NOT_SUBJECT,
    VatCategory.CANARY,
    VatCategory.CEUTA_MELILLA,
)
OK = a_line()

CASES = {
    # header
    "currency": (a_doc(currency="XYZ"), "currency: 'XYZ' is not an ISO 4217 currency"),
    "historic currency": (a_doc(currency="DEM"), "currency: 'DEM' is not an ISO 4217 currency"),
    "issue date type": (a_doc(issue_date="2026-11-01"), "issue_date: must be a date"),
    "issue datetime": (a_doc(issue_date=datetime(2026, 11, 1)), "issue_date: must be a date"),
    "due before issue": (
        a_doc(due_date=date(2026, 10, 31)),
        "due_date: must not be before the issue date (2026-11-01)",
    ),
    "credit note without invoice": (
        a_doc(type=DocumentType.CREDIT_NOTE),
        "preceding_invoice: a credit note must name the invoice it corrects",
    ),
    "type": (a_doc(type="invoice"), "type: must be invoice, credit_note or quote"),
    "note too long": (a_doc(note="x" * 1001), "note: at most 1000 characters are allowed"),
    "control character": (
        a_doc(payment_terms="net\x0030"),
        "payment_terms: contains a control character (U+0000) at position 4",
    ),
    "surrogate": (a_doc(note="\ud800"), "note: contains a control character (U+D800)"),
    "newline in a reference": (
        a_doc(order_reference="A\nB"),
        "order_reference: contains a control character (U+000A)",
    ),
    "reference too long": (
        a_doc(buyer_reference="x" * 101),
        "buyer_reference: at most 100 characters",
    ),
    # parties
    "buyer name": (a_doc(buyer=replace(BUYER, name="  ")), "buyer.name: must not be empty"),
    "buyer country": (
        a_doc(buyer=replace(BUYER, country="Germany")),
        "buyer.country: 'Germany' is not an ISO 3166 country code (two capital letters, like DE)",
    ),
    "buyer country code": (
        a_doc(buyer=replace(BUYER, country="XX")),
        "buyer.country: 'XX' is not an ISO 3166 country code",
    ),
    "buyer country EU": (
        a_doc(buyer=replace(BUYER, country="EU")),
        "buyer.country: 'EU' is not an ISO 3166 country code",
    ),
    "buyer country lower case": (
        a_doc(buyer=replace(BUYER, country="de")),
        "buyer.country: 'de' is not an ISO 3166 country code",
    ),
    "buyer email": (
        a_doc(buyer=replace(BUYER, email="not-an-address")),
        "buyer.email: 'not-an-address' is not an e-mail address",
    ),
    "buyer vat id prefix": (
        a_doc(buyer=replace(BUYER, vat_id="QQ123456789")),
        "buyer.vat_id: 'QQ123456789' must start with a country code",
    ),
    "buyer vat id shape": (
        a_doc(buyer=replace(BUYER, vat_id="123456789")),
        "buyer.vat_id: '123456789' is not a VAT ID",
    ),
    "seller name": (a_doc(), "seller.name: must not be empty", replace(SELLER, name="")),
    # lines
    "no lines": (a_doc(lines=()), "lines: a document needs at least one line (EN 16931 BR-16)"),
    "too many lines": (
        a_doc(*[OK] * (rules.MAX_LINES + 1)),
        "lines: at most 10000 lines are allowed per document (this one has 10001)",
    ),
    "description": (a_doc(OK, a_line(description="")), "lines[1].description: must not be empty"),
    "description too long": (
        a_doc(a_line(description="x" * 501)),
        "lines[0].description: at most 500 characters",
    ),
    "quantity zero": (
        a_doc(OK, OK, a_line(quantity=D(0))),
        "lines[2].quantity: must be greater than 0",
    ),
    "quantity negative": (
        a_doc(a_line(quantity=D(-1))),
        "lines[0].quantity: must be greater than 0",
    ),
    "quantity decimals": (
        a_doc(a_line(quantity=D("0.0000001"))),
        "lines[0].quantity: at most 6 decimals are allowed",
    ),
    "quantity huge": (
        a_doc(a_line(quantity=D("1E+15"))),
        "lines[0].quantity: the number is too large (more than 15 digits)",
    ),
    "quantity NaN": (
        a_doc(a_line(quantity=D("NaN"))),
        "lines[0].quantity: must be a decimal number",
    ),
    "quantity float": (a_doc(a_line(quantity=1.5)), "lines[0].quantity: must be a decimal number"),
    "unit": (
        a_doc(a_line(unit="hours")),
        "lines[0].unit: 'hours' is not a known unit code (UN/ECE Rec 20)",
    ),
    "price negative": (a_doc(a_line(net_price=D("-1"))), "lines[0].net_price: must be at least 0"),
    "base quantity": (
        a_doc(a_line(price_base_quantity=D(0))),
        "lines[0].price_base_quantity: must be greater than 0",
    ),
    "gross below net": (
        a_doc(a_line(gross_price=D("79.99"))),
        "lines[0].gross_price: must not be below the net price 80.00",
    ),
    "category type": (
        a_doc(a_line(vat_category="S")),
        "lines[0].vat_category: must be a VAT category",
    ),
    # VAT rates per category
    "S rate zero": (
        a_doc(a_line(vat_rate=D(0))),
        "lines[0].vat_rate: must be greater than 0 for category S",
    ),
    "S rate missing": (
        a_doc(a_line(vat_rate=None)),
        "lines[0].vat_rate: a rate is required for category S",
    ),
    "rate above 100": (
        a_doc(a_line(vat_rate=D("100.5"))),
        "lines[0].vat_rate: must be at most 100",
    ),
    "rate decimals": (
        a_doc(a_line(vat_rate=D("19.125"))),
        "lines[0].vat_rate: at most 2 decimals are allowed",
    ),
    "rate negative": (
        a_doc(a_line(vat_category=L, vat_rate=D("-1"))),
        "lines[0].vat_rate: must be at least 0",
    ),
    "M rate missing": (
        a_doc(a_line(vat_category=M, vat_rate=None)),
        "lines[0].vat_rate: a rate is required for category M",
    ),
    "Z rate": (
        a_doc(OK, OK, a_line(vat_category=Z, vat_rate=D(7))),
        "lines[2].vat_rate: must be 0 for category Z",
    ),
    "E rate": (
        a_doc(a_line(vat_category=E, vat_rate=D(19), exemption_reason="x")),
        "lines[0].vat_rate: must be 0 for category E",
    ),
    "AE rate missing": (
        a_doc(a_line(vat_category=AE, vat_rate=None, exemption_reason="Reverse charge")),
        "lines[0].vat_rate: must be 0 for category AE",
    ),
    "L at 0": (
        a_doc(a_line(vat_category=L, vat_rate=D(0))),
        "lines[0].vat_rate: must be greater than 0 for category L (EN 16931 BR-AF-05 in CII)",
    ),
    "L charge at 0": (
        a_doc(charges=(ac("5.00", "L", "0.00"),)),
        "charges[0].vat_rate: must be greater than 0 for category L",
    ),
    "K rate": (
        a_doc(a_line(vat_category=K, vat_rate=D(1))),
        "lines[0].vat_rate: must be 0 for category K",
    ),
    "G rate": (
        a_doc(a_line(vat_category=G, vat_rate=D(1))),
        "lines[0].vat_rate: must be 0 for category G",
    ),
    "O rate": (
        a_doc(a_line(vat_category=O, vat_rate=D(0)), buyer=BUYER_NO_VAT),
        "lines[0].vat_rate: must be empty for category O",
    ),
    # exemption reasons
    "E without reason": (
        a_doc(a_line(vat_category=E, vat_rate=D(0)), buyer=BUYER_NO_VAT),
        "lines[0].exemption_reason: give an exemption reason or code for category E "
        "(exempt from VAT) (EN 16931 BR-E-10)",
    ),
    "AE without reason": (
        a_doc(a_line(vat_category=AE, vat_rate=D(0))),
        "lines[0].exemption_reason: give an exemption reason or code for category AE",
    ),
    "K without reason": (
        a_doc(a_line(vat_category=K, vat_rate=D(0)), **K_DELIVERY),
        "lines[0].exemption_reason: give an exemption reason or code for category K",
    ),
    "G without reason": (
        a_doc(a_line(vat_category=G, vat_rate=D(0))),
        "lines[0].exemption_reason: give an exemption reason or code for category G",
    ),
    "O without reason": (
        a_doc(a_line(vat_category=O, vat_rate=None), buyer=BUYER_NO_VAT),
        "lines[0].exemption_reason: give an exemption reason or code for category O",
        SELLER_NO_VAT,
    ),
    "S with reason": (
        a_doc(a_line(exemption_reason="why")),
        "lines[0].exemption_reason: must be empty for category S (EN 16931 BR-S-10",
    ),
    "Z with code": (
        a_doc(a_line(vat_category=Z, vat_rate=D(0), exemption_code="VATEX-EU-132")),
        "lines[0].exemption_code: must be empty for category Z",
    ),
    "unknown VATEX": (
        a_doc(a_line(vat_category=E, vat_rate=D(0), exemption_code="VATEX-XX-1")),
        "lines[0].exemption_code: 'VATEX-XX-1' is not a VATEX exemption code",
    ),
    "VATEX of another category": (
        a_doc(a_line(vat_category=E, vat_rate=D(0), exemption_code="VATEX-EU-AE")),
        "lines[0].exemption_code: VATEX-EU-AE is for category AE, not E",
    ),
    "conflicting reasons": (
        a_doc(
            a_line(vat_category=E, vat_rate=D(0), exemption_reason="one"),
            a_line(vat_category=E, vat_rate=D(0)),
            a_line(vat_category=E, vat_rate=D(0), exemption_reason="two"),
            buyer=BUYER_NO_VAT,
        ),
        "lines[2].exemption_reason: differs from lines[0]",
    ),
    "exempt charge with no line to carry the reason": (
        a_doc(OK, charges=(ac("5.00", "E", "0"),)),
        "charges[0].vat_category: category E needs an exemption reason",
    ),
    # VAT IDs per category
    "AE without buyer VAT ID": (
        a_doc(a_line(vat_category=AE, vat_rate=D(0), exemption_reason="RC"), buyer=BUYER_NO_VAT),
        "buyer.vat_id: the buyer's VAT ID is required for category AE (reverse charge) "
        "(EN 16931 BR-AE-02)",
    ),
    "AE without seller identifiers": (
        a_doc(a_line(vat_category=AE, vat_rate=D(0), exemption_reason="RC")),
        "seller.vat_id: your VAT ID or tax number is required for category AE",
        replace(SELLER, vat_id="", tax_id=""),
    ),
    "K without buyer VAT ID": (
        a_doc(a_line(vat_category=K, vat_rate=D(0), exemption_reason="IC"), buyer=BUYER_NO_VAT),
        "buyer.vat_id: the buyer's VAT ID is required for category K",
    ),
    "K without seller VAT ID": (
        a_doc(a_line(vat_category=K, vat_rate=D(0), exemption_reason="IC"), **K_DELIVERY),
        "seller.vat_id: your VAT ID is required for category K (intra-community supply) "
        "(EN 16931 BR-IC-02)",
        SELLER_NO_VAT,
    ),
    "G without seller VAT ID": (
        a_doc(a_line(vat_category=G, vat_rate=D(0), exemption_reason="Export")),
        "seller.vat_id: your VAT ID is required for category G",
        SELLER_NO_VAT,
    ),
    "S with a tax number only": (
        a_doc(),
        "seller.legal_id: give your VAT ID or your legal registration id (company register "
        "number), so that the buyer can identify you (EN 16931 BR-CO-26)",
        SELLER_TAX_NUMBER_ONLY,
    ),
    "O with a seller that cannot be identified": (
        a_doc(a_line(vat_category=O, vat_rate=None, exemption_reason="NS"), buyer=BUYER_NO_VAT),
        "seller.legal_id: give your VAT ID or your legal registration id",
        SELLER_TAX_NUMBER_ONLY,
    ),
    # dates and places of delivery
    "K without a delivery date or period": (
        a_doc(
            a_line(vat_category=K, vat_rate=D(0), exemption_reason="IC"), deliver_to_country="AT"
        ),
        "delivery_date: category K (intra-community supply) needs the delivery date or the "
        "invoicing period (EN 16931 BR-IC-11)",
    ),
    "K without a deliver-to country": (
        a_doc(
            a_line(vat_category=K, vat_rate=D(0), exemption_reason="IC"),
            delivery_date=date(2026, 10, 29),
        ),
        "deliver_to_country: category K (intra-community supply) needs the country the goods "
        "were delivered to (EN 16931 BR-IC-12)",
    ),
    "K through a document charge only": (
        a_doc(
            a_line(vat_category=K, vat_rate=D(0), exemption_reason="IC"),
            charges=(ac("5.00", "K", "0"),),
            lines=(OK,),
        ),
        "delivery_date: category K (intra-community supply) needs the delivery date",
    ),
    "period ends before it starts": (
        a_doc(period_start=date(2026, 10, 31), period_end=date(2026, 10, 1)),
        "period_end: must not be before the start of the period (2026-10-31) (EN 16931 BR-29)",
    ),
    "delivery date is a datetime": (
        a_doc(delivery_date=datetime(2026, 10, 1, 12, 0)),
        "delivery_date: must be a date",
    ),
    "period start is text": (
        a_doc(period_start="2026-10-01"),
        "period_start: must be a date",
    ),
    "deliver-to country unknown": (
        a_doc(deliver_to_country="XX"),
        "deliver_to_country: 'XX' is not an ISO 3166 country code",
    ),
    "deliver-to country not text": (
        a_doc(deliver_to_country=276),
        "deliver_to_country: must be text",
    ),
    "seller legal id too long": (
        a_doc(),
        "seller.legal_id: at most 100 characters are allowed",
        replace(SELLER, legal_id="H" * 101),
    ),
    "buyer legal id with a control character": (
        a_doc(buyer=replace(BUYER, legal_id="HRB\x0012")),
        "buyer.legal_id: contains a control character (U+0000)",
    ),
    "S without seller identifiers": (
        a_doc(),
        "seller.vat_id: your VAT ID or tax number is required for category S",
        Party(name="Jane", country="DE"),
    ),
    "E via a document charge without seller identifiers": (
        a_doc(
            a_line(vat_category=E, vat_rate=D(0), exemption_reason="x"),
            buyer=BUYER_NO_VAT,
        ),
        "seller.vat_id: your VAT ID or tax number is required for category E",
        Party(name="Jane", country="DE"),
    ),
    "O with seller VAT ID": (
        a_doc(a_line(vat_category=O, vat_rate=None, exemption_reason="NS"), buyer=BUYER_NO_VAT),
        "seller.vat_id: must be empty for category O (not subject to VAT) (EN 16931 BR-O-02)",
        SELLER,
    ),
    "O with buyer VAT ID": (
        a_doc(a_line(vat_category=O, vat_rate=None, exemption_reason="NS")),
        "buyer.vat_id: must be empty for category O",
        SELLER_NO_VAT,
    ),
    "O mixed with S": (
        a_doc(OK, a_line(vat_category=O, vat_rate=None, exemption_reason="NS")),
        "lines[0].vat_category: a document with category O (not subject to VAT) cannot have "
        "other categories (EN 16931 BR-O-11 to BR-O-14)",
    ),
    "O with an S charge": (
        a_doc(
            a_line(vat_category=O, vat_rate=None, exemption_reason="NS"),
            buyer=BUYER_NO_VAT,
            charges=(ac("5.00", "S", "19"),),
        ),
        "charges[0].vat_category: a document with category O",
        SELLER_NO_VAT,
    ),
    # allowances and charges
    "line allowance zero": (
        a_doc(a_line(allowances=(ac("0.00"),))),
        "lines[0].allowances[0].amount: must be greater than 0",
    ),
    "line charge negative": (
        a_doc(OK, a_line(charges=(ac("-1.00"),))),
        "lines[1].charges[0].amount: must be greater than 0",
    ),
    "line allowance below the cent": (
        a_doc(a_line(allowances=(ac("0.005"),))),
        "lines[0].allowances[0].amount: EUR amounts have at most 2 decimals, not 0.005",
    ),
    "JPY allowance with decimals": (
        a_doc(a_line(net_price=D(8000), allowances=(ac("1.50"),)), currency="JPY"),
        "lines[0].allowances[0].amount: JPY amounts have at most 0 decimals, not 1.50",
    ),
    "line allowance without reason": (
        a_doc(a_line(allowances=(AllowanceCharge(amount=D(1)),))),
        "lines[0].allowances[0].reason: give a reason or a reason code",
    ),
    "line allowance with VAT": (
        a_doc(a_line(allowances=(ac("1.00", "S", "19"),))),
        "lines[0].allowances[0].vat_category: a line allowance or charge takes the line's VAT",
    ),
    "allowance reason code": (
        a_doc(
            allowances=(
                AllowanceCharge(amount=D(1), reason_code="ZZZ", vat_category=S, vat_rate=D(19)),
            )
        ),
        "allowances[0].reason_code: 'ZZZ' is not a UNTDID 5189 code",
    ),
    "charge reason code": (
        a_doc(
            charges=(
                AllowanceCharge(amount=D(1), reason_code="95", vat_category=S, vat_rate=D(19)),
            )
        ),
        "charges[0].reason_code: '95' is not a UNTDID 7161 code",
    ),
    "document allowance without category": (
        a_doc(allowances=(ac("5.00"),)),
        "allowances[0].vat_category: must be a VAT category",
    ),
    "document allowance rate contradicts category": (
        a_doc(allowances=(ac("5.00", "Z", "19"),)),
        "allowances[0].vat_rate: must be 0 for category Z",
    ),
    "document charge without reason": (
        a_doc(charges=(AllowanceCharge(amount=D(1), vat_category=S, vat_rate=D(19)),)),
        "charges[0].reason: give a reason or a reason code (EN 16931 BR-38)",
    ),
    # amounts
    "prepaid negative": (a_doc(prepaid=D("-1.00")), "prepaid: must not be negative"),
    "prepaid below the cent": (a_doc(prepaid=D("1.001")), "prepaid: EUR amounts have at most 2"),
    "prepaid above total": (
        a_doc(prepaid=D("952.01")),
        "prepaid: is more than the total with VAT (952.00)",
    ),
    "rounding too large": (
        a_doc(rounding_amount=D("1.00")),
        "rounding_amount: must be smaller than 1.00 either way",
    ),
    "rounding makes due negative": (
        a_doc(prepaid=D("952.00"), rounding_amount=D("-0.01")),
        "rounding_amount: would make the amount due negative (-0.01)",
    ),
    "line allowance larger than the line": (
        a_doc(a_line(quantity=D(1), net_price=D(5), allowances=(ac("6.00"),))),
        "lines[0].allowances: the allowances are larger than the line amount",
    ),
    "document allowance larger than its category": (
        a_doc(OK, allowances=(ac("1.00", "S", "19"), ac("900.00", "S", "19"))),
        "allowances[0].amount: the document allowances are larger than everything in category "
        "S at 19 %",
    ),
    "document allowance in a category with no lines": (
        a_doc(OK, allowances=(ac("1.00", "S", "7"),)),
        "allowances[0].amount: the document allowances are larger than everything in category S",
    ),
    "total too large": (
        a_doc(*[a_line(quantity=D("999999999"), net_price=D("999999999"))]),
        "lines[0]: the line amount is too large",
    ),
    "sum too large": (
        a_doc(*[a_line(quantity=D("99999999"), net_price=D("9999999"))] * 2000),
        "lines: the document total is too large (more than 15 digits)",
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_rule_fires_with_its_field_path(name):
    document, expected, *seller = CASES[name]
    message = refused(document, seller[0] if seller else SELLER)
    assert message.startswith(expected), message


def test_messages_name_the_field_first():
    for name, (document, _expected, *seller) in CASES.items():
        message = refused(document, seller[0] if seller else SELLER)
        assert re.match(r"^[a-z_]+(\[\d+\])?(\.[a-z_]+(\[\d+\])?)*: \S", message), (name, message)


def test_seller_rules_are_skipped_without_a_seller():
    doc = a_doc(a_line(vat_category=K, vat_rate=D(0), exemption_reason="IC"), **K_DELIVERY)
    rules.validate(doc)  # no seller: only the buyer side is checked
    assert refused(doc, SELLER_NO_VAT).startswith("seller.vat_id:")


def test_rates_compare_by_value():
    doc = a_doc(
        a_line(vat_category=E, vat_rate=D("0.00"), exemption_reason="x"),
        a_line(vat_category=E, vat_rate=D("0")),
        buyer=BUYER_NO_VAT,
    )
    rules.validate(doc, SELLER_NO_VAT)


def test_validate_refuses_something_that_is_not_a_document():
    with pytest.raises(ValidationError, match=r"^document: must be a document"):
        rules.validate("invoice")  # type: ignore[arg-type]


def test_validate_party():
    rules.validate_party(SELLER, "seller")
    with pytest.raises(ValidationError, match=r"^seller\.country: 'DEU' "):
        rules.validate_party(replace(SELLER, country="DEU"), "seller")
    with pytest.raises(ValidationError, match=r"^seller: must be a party"):
        rules.validate_party({"name": "x"}, "seller")


@pytest.mark.parametrize(
    "vat_id", ["EL094259216", "XI980780684", "CHE116281710MWST", "FR40303265045"]
)
def test_vat_id_prefixes_greece_and_northern_ireland(vat_id):
    rules.validate(a_doc(buyer=replace(BUYER, vat_id=vat_id)))


def test_country_list():
    countries = rules.countries()
    assert {"DE", "FR", "AT", "US", "GB", "CH", "JP"} <= countries
    assert not countries & {"EU", "XK", "ZZ", "QO", "UN", "001"}
    assert 240 <= len(countries) <= 260


# --------------------------------------------------------------------------- code lists


def test_at_least_sixty_unit_codes():
    assert len(UNIT_CODES) >= 60
    assert {"C62", "H87", "EA", "HUR", "DAY", "MON", "ANN", "KGM", "MTR", "LTR", "KWH", "LS"} <= (
        UNIT_CODES
    )


def _cen_list(rule: str) -> set[str]:
    text = CEN_CODES.read_text(encoding="utf-8")
    start = text.index(f'id="{rule}"')
    test = text[text.rindex("test=", 0, start) : start]
    return set(re.search(r"contains\('\s([^']*)\s'", test).group(1).split())


@pytest.mark.skipif(not CEN_CODES.exists(), reason=f"the CEN code lists are not there: {CEN_CODES}")
@pytest.mark.parametrize(
    ("rule", "ours"),
    [
        ("BR-CL-23", UNIT_CODES),
        ("BR-CL-22", rules.VATEX_CODES),
        ("BR-CL-19", rules.ALLOWANCE_REASON_CODES),
        ("BR-CL-20", rules.CHARGE_REASON_CODES),
    ],
)
def test_our_code_lists_are_within_the_official_ones(rule, ours):
    official = _cen_list(rule)
    assert ours <= official, sorted(ours - official)


@pytest.mark.skipif(not CEN_CODES.exists(), reason=f"the CEN code lists are not there: {CEN_CODES}")
def test_our_countries_are_within_the_official_list():
    official = _cen_list("BR-CL-14")
    assert rules.countries() <= official, sorted(rules.countries() - official)


# --------------------------------------------------------------------------- warnings

GOOD_VAT = "DE136695976"
BAD_VAT = "DE136695975"  # the same number with the last digit changed
GOOD_IBAN = "DE89370400440532013000"
BAD_IBAN = "DE89370400440532013001"


def test_the_sample_numbers_are_what_stdnum_says():
    assert stdnum_vat.is_valid(GOOD_VAT)
    assert not stdnum_vat.is_valid(BAD_VAT)
    assert stdnum_iban.is_valid(GOOD_IBAN)
    assert not stdnum_iban.is_valid(BAD_IBAN)


@pytest.mark.parametrize(
    "value",
    [
        GOOD_VAT,
        "DE 136 695 976",
        "ATU13585627",
        "EL094259216",
        "FR40303265045",
        "NL004495445B01",
        "GB980780684",
        "CHE-116.281.710 MWST",
        "US123456789",
        "",
        "   ",
    ],
)
def test_check_vat_id_accepts_good_or_uncheckable_numbers(value):
    assert rules.check_vat_id(value) is None


@pytest.mark.parametrize("value", [BAD_VAT, "ATU13585628", "FR40303265046", "GB980780685"])
def test_check_vat_id_warns_about_a_wrong_check_digit(value):
    warning = rules.check_vat_id(value)
    assert warning is not None
    assert value in warning
    assert "check digit" in warning


@pytest.mark.parametrize("value", ["DE12", "DEXYZ", "ATX13585627"])
def test_check_vat_id_warns_about_a_malformed_number(value):
    warning = rules.check_vat_id(value)
    assert warning is not None and "does not look like" in warning


@pytest.mark.parametrize(
    "value", [GOOD_IBAN, "DE89 3704 0044 0532 0130 00", "GB82WEST12345698765432", ""]
)
def test_check_iban_accepts_good_ones(value):
    assert rules.check_iban(value) is None


def test_check_iban_warns():
    warning = rules.check_iban(BAD_IBAN)
    assert warning is not None and "check digits" in warning
    malformed = rules.check_iban("DE89")
    assert malformed is not None and "does not look like an IBAN" in malformed


@pytest.mark.parametrize("value", [None, 12, "\ud800", "€" * 50, "XX" + "9" * 100])
def test_checks_never_raise(value):
    rules.check_vat_id(value)  # type: ignore[arg-type]
    rules.check_iban(value)  # type: ignore[arg-type]
