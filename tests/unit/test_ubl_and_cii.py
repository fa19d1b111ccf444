"""The e-invoice exporters (UBL 2.1 and CII for Factur-X) judged by the official rules.

Every document here is written both ways and must pass the UBL 2.1 XSD and the
CEN rules for UBL, and the CII D16B XSD, the Factur-X EN16931 XSD, the CEN rules
for CII and the Factur-X Schematron, with no fatal failed assert
(tests/einvoice_support.py). Reading the business terms back out of the XML
checks that what passes is also what the document says. Refusals, Peppol
endpoints and byte-for-byte determinism are checked too.
"""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from einvoice_support import cii_problems, needs_shared, ubl_problems
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from lxml import etree
from support import BUYER, SELLER, invoice

from app.documents import cii, ubl
from app.documents.source import Source
from app.domain import rules
from app.domain.invoice_json import SellerProfile
from app.domain.model import AllowanceCharge, Document, DocumentType, Line, Party, VatCategory
from app.domain.totals import as_bt_dict, compute
from app.errors import ValidationError

D = Decimal
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
FORMATS = {"ubl": (ubl.to_ubl, ubl_problems), "cii": (cii.to_cii, cii_problems)}

FULL_SELLER = SellerProfile(
    party=replace(
        SELLER.party,
        tax_id="22/815/08150",
        legal_id="HRA 4711",
        email="hallo@example.de",
        phone="+49 40 3298 4410",
    ),
    iban=SELLER.iban,
    bic=SELLER.bic,
)
#: A seller outside VAT (BR-O-02): identified by its register number (BR-CO-26).
SELLER_OUTSIDE_VAT = SellerProfile(
    party=Party(
        "Verein Lichtblick e.V.", "DE", "Lindenweg 3", "Hamburg", "20095", legal_id="VR 1234"
    )
)
PRIVATE = Party("Jürgen Weiß", "DE", "Gartenstraße 7", "Köln", "50667")
AUSTRIA = Party("Gruber Holzbau GmbH", "AT", "Hauptplatz 4", "Graz", "8010", vat_id="ATU13585627")
USA = Party("Brightline Creative LLC", "US", "12 Main Street", "Austin, TX", "78701")


def line(category: VatCategory, rate: str | None, **changes: object) -> Line:
    reasons = {
        E: ("Exempt educational service", "VATEX-EU-132-1I"),
        AE: ("Reverse charge", "VATEX-EU-AE"),
        K: ("Intra-community supply", "VATEX-EU-IC"),
        G: ("Export outside the EU", "VATEX-EU-G"),
        O: ("Not subject to VAT", "VATEX-EU-O"),
    }
    reason, code = reasons.get(category, ("", ""))
    base = Line(
        "Art print A2, framed",
        D(4),
        "H87",
        D("145.00"),
        category,
        None if rate is None else D(rate),
        exemption_reason=reason,
        exemption_code=code,
    )
    return replace(base, **changes)


def source(
    document: Document,
    seller: SellerProfile = SELLER,
    number: str | None = "INV-2026-0042",
    preceding: str | None = None,
) -> Source:
    return Source(number, document, compute(document), seller, "en", preceding_number=preceding)


EVERYTHING = invoice(
    note="Thank you for your order.\nSecond line of the note.",
    payment_terms="Payable within 30 days without deduction.",
    buyer_reference="PO-77812",
    order_reference="Bestellung 4711",
    buyer=replace(
        BUYER, legal_id="HRB 86481", email="buchhaltung@mueller.example", phone="+49 30 1"
    ),
    lines=(
        Line(
            "Logo design <draft & final>",
            D("12.5"),
            "HUR",
            D("95.00"),
            S,
            D(19),
            gross_price=D("100.00"),
            allowances=(AllowanceCharge(D("59.38"), "Loyalty discount 5 %", "95"),),
            charges=(AllowanceCharge(D("178.13"), "Express surcharge"),),
            item_id="SRV-LOGO",
        ),
        Line("Business cards", D(250), "C62", D("12.50"), S, D(7), price_base_quantity=D(100)),
        Line("Art paper, 300 g/m²", D("12.75"), "KGM", D("8.40"), S, D("19.00")),
    ),
    allowances=(AllowanceCharge(D("35.63"), "Early-booking discount", "95", S, D(19)),),
    charges=(AllowanceCharge(D("9.90"), "Shipping and packaging", "FC", S, D(7)),),
    prepaid=D("300.00"),
    delivery_date=date(2026, 10, 28),
    period_start=date(2026, 10, 1),
    period_end=date(2026, 10, 31),
)

VALID = {
    "everything": source(EVERYTHING, FULL_SELLER),
    "S only, no IBAN, no due date": source(
        invoice(due_date=None, payment_terms="On receipt"), SellerProfile(SELLER.party)
    ),
    "Z": source(invoice(lines=(line(Z, "0"),))),
    "E to a private person": source(invoice(buyer=PRIVATE, lines=(line(E, "0"),))),
    "AE": source(invoice(buyer=AUSTRIA, lines=(line(AE, "0"),))),
    "K with a delivery date": source(
        invoice(
            buyer=AUSTRIA,
            lines=(line(K, "0"),),
            delivery_date=date(2026, 10, 30),
            deliver_to_country="AT",
        )
    ),
    "K over a period, with a K charge": source(
        invoice(
            buyer=AUSTRIA,
            lines=(line(K, "0"),),
            charges=(AllowanceCharge(D("9.90"), "Shipping", "FC", K, D(0)),),
            period_start=date(2026, 10, 1),
            period_end=date(2026, 10, 31),
            deliver_to_country="AT",
        )
    ),
    "G in USD (credit transfer, not SEPA)": source(
        invoice(currency="USD", buyer=USA, lines=(line(G, "0", net_price=D("156.60")),))
    ),
    "L": source(invoice(lines=(line(L, "7"),))),
    "M": source(invoice(lines=(line(M, "4"),))),
    "O (no rate), seller outside VAT": source(
        invoice(buyer=PRIVATE, lines=(line(O, None),)), SELLER_OUTSIDE_VAT
    ),
    "S lines with a Z charge": source(
        invoice(charges=(AllowanceCharge(D("20.00"), "Solar panel delivery", "FC", Z, D(0)),))
    ),
    "S lines, allowance at another S rate": source(
        invoice(allowances=(AllowanceCharge(D("5.00"), "", "95", S, D(7)),))
    ),
    "JPY, no decimals": source(
        invoice(
            currency="JPY",
            lines=(line(G, "0", net_price=D("23490"), quantity=D("3.5")),),
            buyer=replace(USA, country="JP", city="Shibuya-ku, Tokyo", postcode="150-0001"),
            charges=(AllowanceCharge(D("1600"), "Shipping", "FC", G, D(0)),),
            prepaid=D("10000"),
        )
    ),
    "CHF with cash rounding": source(
        invoice(
            currency="CHF",
            buyer=replace(USA, country="CH", vat_id="CHE-116.281.710 MWST"),
            lines=(line(G, "0", net_price=D("139.22")),),
            rounding_amount=D("0.02"),
        )
    ),
    "credit note with its preceding invoice": source(
        invoice(
            type=DocumentType.CREDIT_NOTE,
            preceding_invoice="INV-2026-0007",
            due_date=date(2026, 11, 2),
        ),
        number="CN-2026-0003",
        preceding="INV-2026-0007",
    ),
    "credit note for everything": source(
        replace(EVERYTHING, type=DocumentType.CREDIT_NOTE, preceding_invoice="INV-2026-0001"),
        FULL_SELLER,
        number="CN-2026-0004",
    ),
}

pytestmark = needs_shared


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", VALID)
def test_valid_documents_pass_the_official_rules(name, fmt):
    export, problems = FORMATS[fmt]
    rules.validate(VALID[name].document, VALID[name].seller.party)
    assert problems(export(VALID[name])) == []


# --------------------------------------------------------------------------- reading back

NS = {
    "cac": ubl.CAC_NS,
    "cbc": ubl.CBC_NS,
    "rsm": cii.NS["rsm"],
    "ram": cii.NS["ram"],
    "udt": cii.NS["udt"],
}
UBL_TOTALS = {
    "BT-106": "LineExtensionAmount",
    "BT-107": "AllowanceTotalAmount",
    "BT-108": "ChargeTotalAmount",
    "BT-109": "TaxExclusiveAmount",
    "BT-112": "TaxInclusiveAmount",
    "BT-113": "PrepaidAmount",
    "BT-114": "PayableRoundingAmount",
    "BT-115": "PayableAmount",
}
CII_TOTALS = {
    "BT-106": "LineTotalAmount",
    "BT-107": "AllowanceTotalAmount",
    "BT-108": "ChargeTotalAmount",
    "BT-109": "TaxBasisTotalAmount",
    "BT-110": "TaxTotalAmount",
    "BT-112": "GrandTotalAmount",
    "BT-113": "TotalPrepaidAmount",
    "BT-114": "RoundingAmount",
    "BT-115": "DuePayableAmount",
}


def _text(root: etree._Element, path: str) -> str | None:
    found = root.xpath(path, namespaces=NS)
    return found[0] if found else None


def read_ubl(xml: bytes) -> dict[str, object]:
    """The business terms of a UBL invoice as text (None when absent)."""
    root = etree.fromstring(xml)
    total = "cac:LegalMonetaryTotal/cbc:"
    terms: dict[str, object] = {
        bt: _text(root, f"{total}{tag}/text()") for bt, tag in UBL_TOTALS.items()
    }
    seller, buyer = "cac:AccountingSupplierParty/cac:Party", "cac:AccountingCustomerParty/cac:Party"
    terms |= {
        "BT-1": _text(root, "cbc:ID/text()"),
        "BT-3": _text(root, "cbc:InvoiceTypeCode/text() | cbc:CreditNoteTypeCode/text()"),
        "BT-9": _text(root, "cbc:DueDate/text() | cac:PaymentMeans/cbc:PaymentDueDate/text()"),
        "BT-110": _text(root, "cac:TaxTotal/cbc:TaxAmount/text()"),
        "BT-25": _text(root, "cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID/text()"),
        "BT-30": _text(root, f"{seller}/cac:PartyLegalEntity/cbc:CompanyID/text()"),
        "BT-31": _text(
            root, f"{seller}/cac:PartyTaxScheme[cac:TaxScheme/cbc:ID='VAT']/cbc:CompanyID/text()"
        ),
        "BT-32": _text(
            root, f"{seller}/cac:PartyTaxScheme[cac:TaxScheme/cbc:ID='TAX']/cbc:CompanyID/text()"
        ),
        "BT-47": _text(root, f"{buyer}/cac:PartyLegalEntity/cbc:CompanyID/text()"),
        "BT-48": _text(root, f"{buyer}/cac:PartyTaxScheme/cbc:CompanyID/text()"),
        "BT-72": _text(root, "cac:Delivery/cbc:ActualDeliveryDate/text()"),
        "BT-73": _text(root, "cac:InvoicePeriod/cbc:StartDate/text()"),
        "BT-74": _text(root, "cac:InvoicePeriod/cbc:EndDate/text()"),
        "BT-80": _text(
            root,
            "cac:Delivery/cac:DeliveryLocation/cac:Address/cac:Country/cbc:IdentificationCode/text()",
        ),
        "BT-81": _text(root, "cac:PaymentMeans/cbc:PaymentMeansCode/text()"),
        "BT-84": _text(root, "cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID/text()"),
        "BT-131": root.xpath(
            "(cac:InvoiceLine | cac:CreditNoteLine)/cbc:LineExtensionAmount/text()", namespaces=NS
        ),
        "BG-23": [
            (
                _text(sub, "cac:TaxCategory/cbc:ID/text()"),
                _text(sub, "cac:TaxCategory/cbc:Percent/text()"),
                _text(sub, "cbc:TaxableAmount/text()"),
                _text(sub, "cbc:TaxAmount/text()"),
                _text(sub, "cac:TaxCategory/cbc:TaxExemptionReasonCode/text()"),
            )
            for sub in root.xpath("cac:TaxTotal/cac:TaxSubtotal", namespaces=NS)
        ],
    }
    return terms


def read_cii(xml: bytes) -> dict[str, object]:
    """The same business terms from a CII invoice (dates turned back into YYYY-MM-DD)."""
    root = etree.fromstring(xml)
    trade = "rsm:SupplyChainTradeTransaction/"
    sums = "//ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:"
    terms: dict[str, object] = {
        bt: _text(root, f"{sums}{tag}/text()") for bt, tag in CII_TOTALS.items()
    }
    seller = f"{trade}ram:ApplicableHeaderTradeAgreement/ram:SellerTradeParty"
    buyer = f"{trade}ram:ApplicableHeaderTradeAgreement/ram:BuyerTradeParty"
    settlement = f"{trade}ram:ApplicableHeaderTradeSettlement"

    def day(path: str) -> str | None:
        value = _text(root, f"{path}/udt:DateTimeString/text()")
        return None if value is None else f"{value[:4]}-{value[4:6]}-{value[6:]}"

    terms |= {
        "BT-1": _text(root, "rsm:ExchangedDocument/ram:ID/text()"),
        "BT-3": _text(root, "rsm:ExchangedDocument/ram:TypeCode/text()"),
        "BT-9": day(f"{settlement}/ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime"),
        "BT-25": _text(
            root, f"{settlement}/ram:InvoiceReferencedDocument/ram:IssuerAssignedID/text()"
        ),
        "BT-30": _text(root, f"{seller}/ram:SpecifiedLegalOrganization/ram:ID/text()"),
        "BT-31": _text(
            root, f"{seller}/ram:SpecifiedTaxRegistration/ram:ID[@schemeID='VA']/text()"
        ),
        "BT-32": _text(
            root, f"{seller}/ram:SpecifiedTaxRegistration/ram:ID[@schemeID='FC']/text()"
        ),
        "BT-47": _text(root, f"{buyer}/ram:SpecifiedLegalOrganization/ram:ID/text()"),
        "BT-48": _text(root, f"{buyer}/ram:SpecifiedTaxRegistration/ram:ID/text()"),
        "BT-72": day("//ram:ActualDeliverySupplyChainEvent/ram:OccurrenceDateTime"),
        "BT-73": day(f"{settlement}/ram:BillingSpecifiedPeriod/ram:StartDateTime"),
        "BT-74": day(f"{settlement}/ram:BillingSpecifiedPeriod/ram:EndDateTime"),
        "BT-80": _text(root, "//ram:ShipToTradeParty/ram:PostalTradeAddress/ram:CountryID/text()"),
        "BT-81": _text(
            root, f"{settlement}/ram:SpecifiedTradeSettlementPaymentMeans/ram:TypeCode/text()"
        ),
        "BT-84": _text(root, "//ram:PayeePartyCreditorFinancialAccount/ram:IBANID/text()"),
        "BT-131": root.xpath(
            f"{trade}ram:IncludedSupplyChainTradeLineItem//ram:LineTotalAmount/text()",
            namespaces=NS,
        ),
        "BG-23": [
            (
                _text(tax, "ram:CategoryCode/text()"),
                _text(tax, "ram:RateApplicablePercent/text()"),
                _text(tax, "ram:BasisAmount/text()"),
                _text(tax, "ram:CalculatedAmount/text()"),
                _text(tax, "ram:ExemptionReasonCode/text()"),
            )
            for tax in root.xpath(f"{settlement}/ram:ApplicableTradeTax", namespaces=NS)
        ],
    }
    return terms


READERS = {"ubl": read_ubl, "cii": read_cii}


def expected_terms(src: Source) -> dict[str, object]:
    """What the XML must say, from the Source (optional totals absent when zero)."""
    document, totals, party = src.document, src.totals, src.seller.party
    figures = as_bt_dict(totals)
    optional = {
        "BT-107": bool(document.allowances),
        "BT-108": bool(document.charges),
        "BT-113": bool(totals.prepaid),
        "BT-114": bool(totals.rounding),
    }
    terms: dict[str, object] = {
        bt: (value if optional.get(bt, True) else None) for bt, value in figures.items()
    }

    def iso(value: date | None) -> str | None:
        return None if value is None else value.isoformat()

    currency = document.currency
    terms |= {
        "BT-1": src.number,
        "BT-3": "381" if document.type is DocumentType.CREDIT_NOTE else "380",
        "BT-9": iso(document.due_date),
        "BT-25": src.preceding_number or document.preceding_invoice or None,
        "BT-30": party.legal_id or None,
        "BT-31": party.vat_id or None,
        "BT-32": party.tax_id or None,
        "BT-47": document.buyer.legal_id or None,
        "BT-48": document.buyer.vat_id or None,
        "BT-72": iso(document.delivery_date),
        "BT-73": iso(document.period_start),
        "BT-74": iso(document.period_end),
        "BT-80": document.deliver_to_country or None,
        "BT-81": ("58" if currency == "EUR" else "30") if src.seller.iban else "1",
        "BT-84": src.seller.iban or None,
        "BT-131": [format(a, "f") for a in totals.line_net_amounts],
        "BG-23": [
            (
                b.category.value,
                None if b.rate is None else format(b.rate, "f"),
                format(b.taxable, "f"),
                format(b.tax, "f"),
                b.exemption_code or None,
            )
            for b in totals.vat_breakdown
        ],
    }
    return terms


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", VALID)
def test_the_xml_says_what_the_document_says(name, fmt):
    export, _problems = FORMATS[fmt]
    src = VALID[name]
    assert READERS[fmt](export(src)) == expected_terms(src)


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_same_source_gives_the_same_bytes(fmt):
    export, _problems = FORMATS[fmt]
    first = export(VALID["everything"])
    again = replace(VALID["everything"], totals=compute(VALID["everything"].document))
    assert export(again) == first
    assert first.startswith(b"<?xml version='1.0' encoding='UTF-8'?>\n")


@pytest.mark.parametrize("fmt", FORMATS)
def test_text_is_escaped_and_kept_whole(fmt):
    export, _problems = FORMATS[fmt]
    xml = export(VALID["everything"])
    root = etree.fromstring(xml)
    texts = {node.text for node in root.iter() if isinstance(node.tag, str)}
    assert "Logo design <draft & final>" in texts
    assert "Thank you for your order.\nSecond line of the note." in texts
    assert "Art paper, 300 g/m²" in texts


# --------------------------------------------------------------------------- refusals

REFUSED = {
    "quote": (
        source(invoice(type=DocumentType.QUOTE)),
        "type: a quote is not an e-invoice",
    ),
    "draft": (source(invoice(), number=None), "number: a draft is not an e-invoice"),
    "BHD": (
        source(invoice(currency="BHD", lines=(line(S, "10", net_price=D("8.125")),))),
        "currency: e-invoices need amounts with at most 2 decimals (EN 16931 BR-DEC); BHD has 3",
    ),
    "KWD": (
        source(invoice(currency="KWD", lines=(line(S, "5", net_price=D("1.500")),))),
        "currency: e-invoices need amounts with at most 2 decimals (EN 16931 BR-DEC); KWD has 3",
    ),
    "K without a delivery date (issued before BR-IC-11 was checked)": (
        source(invoice(buyer=AUSTRIA, lines=(line(K, "0"),), deliver_to_country="AT")),
        "delivery_date: category K (intra-community supply) needs the delivery date",
    ),
    "seller with a tax number only (BR-CO-26)": (
        source(invoice(), SellerProfile(Party("Jane", "DE", tax_id="12/345/67890"))),
        "seller.legal_id: give your VAT ID or your legal registration id",
    ),
}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", REFUSED)
def test_what_is_not_an_en16931_invoice_is_refused(name, fmt):
    export, _problems = FORMATS[fmt]
    src, expected = REFUSED[name]
    with pytest.raises(ValidationError) as caught:
        export(src)
    assert str(caught.value).startswith(expected), str(caught.value)


# --------------------------------------------------------------------------- Peppol

PEPPOL = source(
    invoice(buyer=AUSTRIA, lines=(line(AE, "0"),), buyer_reference="4711-0815"),
    FULL_SELLER,
)


def test_peppol_output_claims_bis_billing_and_carries_both_endpoints():
    xml = ubl.to_ubl(PEPPOL, peppol=True)
    assert ubl_problems(xml) == []
    root = etree.fromstring(xml)
    assert _text(root, "cbc:CustomizationID/text()") == (
        "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
    )
    assert _text(root, "cbc:ProfileID/text()") == "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
    endpoints = [
        (e.get("schemeID"), e.text) for e in root.iterfind(".//cbc:EndpointID", namespaces=NS)
    ]
    assert endpoints == [("9930", "DE136695976"), ("9914", "ATU13585627")]


def test_without_peppol_the_endpoint_is_the_email_and_no_profile():
    root = etree.fromstring(ubl.to_ubl(PEPPOL))
    assert _text(root, "cbc:CustomizationID/text()") == "urn:cen.eu:en16931:2017"
    assert _text(root, "cbc:ProfileID/text()") is None
    endpoints = [
        (e.get("schemeID"), e.text) for e in root.iterfind(".//cbc:EndpointID", namespaces=NS)
    ]
    assert endpoints == [("EM", "hallo@example.de")]


@pytest.mark.parametrize(
    ("vat_id", "expected"),
    [
        ("DE136695976", ("9930", "DE136695976")),
        ("FR40303265045", ("9957", "FR40303265045")),
        ("EL094259216", ("9933", "EL094259216")),
        ("IT00743110157", ("0211", "IT00743110157")),
        ("BE0403170701", ("0208", "0403170701")),
        ("SE556703748501", ("0007", "5567037485")),
        ("DK13585628", ("0184", "13585628")),
        ("NO974760673MVA", ("0192", "974760673")),
        ("CHE-116.281.710 MWST", ("9927", "CHE116281710")),
        ("XI980780684", None),
        ("US12-3456789", None),
    ],
)
def test_peppol_endpoints_from_vat_ids(vat_id, expected):
    assert ubl.peppol_endpoint(vat_id) == expected


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"document": replace(PEPPOL.document, buyer_reference="")},
            "buyer_reference: Peppol needs a buyer reference (BT-10) or an order reference",
        ),
        (
            {"document": replace(PEPPOL.document, buyer=USA, lines=(line(G, "0"),))},
            "buyer.vat_id: Peppol needs the buyer's electronic address",
        ),
        (
            {
                "seller": SELLER_OUTSIDE_VAT,
                "document": replace(PEPPOL.document, buyer=PRIVATE, lines=(line(O, None),)),
            },
            "seller.vat_id: Peppol needs your electronic address",
        ),
        (
            {"document": replace(PEPPOL.document, buyer=replace(AUSTRIA, vat_id="XI980780684"))},
            "buyer.vat_id: Peppol has no electronic address scheme for a VAT ID starting with 'XI'",
        ),
    ],
)
def test_peppol_refusals(change, expected):
    changed = replace(PEPPOL, **change)
    changed = replace(changed, totals=compute(changed.document))
    with pytest.raises(ValidationError) as caught:
        ubl.to_ubl(changed, peppol=True)
    assert str(caught.value).startswith(expected), str(caught.value)
    ubl.to_ubl(changed)  # plain EN 16931 is still possible


# --------------------------------------------------------------------------- generated


@st.composite
def documents(draw: st.DrawFn) -> Source:
    """Valid documents of one VAT situation each, in currencies with 0 or 2 decimals."""
    currency = draw(st.sampled_from(["EUR", "USD", "JPY", "CHF"]))
    places = 0 if currency == "JPY" else 2
    money = st.integers(1, 10**6).map(lambda n: D(n).scaleb(-places))
    situation = draw(st.sampled_from(["domestic", "AE", "K", "G", "L", "M", "O"]))
    keys = {
        "domestic": [(S, "19"), (S, "7"), (Z, "0"), (E, "0")],
        "AE": [(AE, "0")],
        "K": [(K, "0")],
        "G": [(G, "0")],
        "L": [(L, "7"), (L, "3")],
        "M": [(M, "4")],
        "O": [(O, None)],
    }[situation]

    def a_line(key: tuple[VatCategory, str | None]) -> Line:
        return line(
            key[0],
            key[1],
            description=draw(
                st.text(
                    st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")),
                    min_size=1,
                    max_size=20,
                ).filter(str.strip)
            ),
            quantity=draw(st.decimals(min_value=D("0.001"), max_value=D(1000), places=3)),
            net_price=draw(st.decimals(min_value=D(0), max_value=D(10_000), places=4)),
            price_base_quantity=draw(st.sampled_from([D(1), D(100), D("0.5")])),
            gross_price=draw(st.none() | st.just(D("10000.0000"))),
            allowances=tuple(
                AllowanceCharge(a, "discount") for a in draw(st.lists(money, max_size=1))
            ),
            charges=tuple(AllowanceCharge(a, "", "AA") for a in draw(st.lists(money, max_size=1))),
        )

    lines = tuple(a_line(draw(st.sampled_from(keys))) for _ in range(draw(st.integers(1, 4))))
    category, rate = lines[0].vat_category, lines[0].vat_rate
    charges = tuple(
        AllowanceCharge(a, "Shipping", "FC", category, rate)
        for a in draw(st.lists(money, max_size=2))
    )
    buyer = {"AE": AUSTRIA, "K": AUSTRIA, "G": USA, "O": PRIVATE}.get(situation, BUYER)
    document = Document(
        type=draw(st.sampled_from([DocumentType.INVOICE, DocumentType.CREDIT_NOTE])),
        currency=currency,
        issue_date=date(2026, 11, 2),
        due_date=date(2026, 12, 2),
        buyer=buyer,
        lines=lines,
        charges=charges,
        preceding_invoice="INV-2026-0001",
        delivery_date=date(2026, 10, 30),
        deliver_to_country=buyer.country,
    )
    seller = SELLER_OUTSIDE_VAT if situation == "O" else FULL_SELLER
    try:
        rules.validate(document, seller.party)
    except ValidationError:
        assume(False)  # e.g. allowances larger than the line
    return source(document, seller)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_generated_documents_pass_the_official_rules(src):
    assert ubl_problems(ubl.to_ubl(src)) == []
    assert cii_problems(cii.to_cii(src)) == []
