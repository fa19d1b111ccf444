"""OASIS UBL 2.1 Invoice and CreditNote, as EN 16931 (and optionally Peppol BIS Billing 3.0).

:func:`to_ubl` writes an issued invoice or credit note with every business term
the model holds, in the element order of the UBL 2.1 schemas, under the
CustomizationID ``urn:cen.eu:en16931:2017``. The tests check each output against
the UBL 2.1 XSD and the CEN EN 16931 rules for UBL.

With ``peppol=True`` the document claims Peppol BIS Billing 3.0 (its
CustomizationID and ProfileID) and carries what Peppol adds to EN 16931: the
electronic addresses of seller and buyer (BT-34, BT-49) and a buyer or order
reference (PEPPOL-EN16931-R003). The Peppol Schematron is not available offline,
so Peppol output is checked only by the CEN rules and the XSD; the Peppol-specific
choices are made from its published code lists (see :data:`PEPPOL_VAT_SCHEMES`).

Amounts are written with the currency's decimals, so a currency with three
(BHD, KWD ...) is refused (BR-DEC); see
:func:`app.documents.xml_common.check_exportable` for every refusal. The same
input gives the same bytes.
"""

import re
from collections.abc import Callable, Iterable
from decimal import Decimal

from lxml import etree
from lxml.builder import ElementMaker

from app.documents import xml_common
from app.documents.source import Source
from app.documents.xml_common import when
from app.domain.model import AllowanceCharge, DocumentType, Line, Party, VatCategory
from app.domain.totals import VatBreakdown
from app.errors import ValidationError

ROOT_NS = {
    DocumentType.INVOICE: "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    DocumentType.CREDIT_NOTE: "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
}
CAC_NS = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC_NS = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"

PEPPOL_CUSTOMIZATION = f"{xml_common.EN16931}#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PEPPOL_PROFILE = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"

#: Peppol electronic address schemes (EAS) for a VAT ID, by its prefix: the schemes
#: whose identifier is the VAT ID itself. E-mail (EM) is in the CEN list but not in
#: Peppol's, so an e-mail address cannot be a Peppol endpoint.
PEPPOL_VAT_SCHEMES = {
    "AD": "9922",
    "AL": "9923",
    "AT": "9914",
    "BA": "9924",
    "BG": "9926",
    "CH": "9927",
    "CY": "9928",
    "CZ": "9929",
    "DE": "9930",
    "EE": "9931",
    "EL": "9933",
    "ES": "9920",
    "FR": "9957",
    "GB": "9932",
    "HR": "9934",
    "HU": "9910",
    "IE": "9935",
    "IT": "0211",
    "LI": "9936",
    "LT": "9937",
    "LU": "9938",
    "LV": "9939",
    "MC": "9940",
    "ME": "9941",
    "MK": "9942",
    "MT": "9943",
    "NL": "9944",
    "PL": "9945",
    "PT": "9946",
    "RO": "9947",
    "RS": "9948",
    "SI": "9949",
    "SK": "9950",
    "SM": "9951",
    "TR": "9952",
    "VA": "9953",
}
#: Countries whose Peppol scheme is the company number inside the VAT ID: Belgian
#: enterprise number (0208), Swedish organisation number (0007), Danish CVR (0184),
#: Norwegian organisation number (0192), Finnish OVT VAT (0213, the VAT ID itself).
PEPPOL_NUMBER_SCHEMES: dict[str, tuple[str, Callable[[str], str]]] = {
    "BE": ("0208", lambda vat: vat[2:]),
    "SE": ("0007", lambda vat: vat[2:12]),
    "DK": ("0184", lambda vat: vat[2:]),
    "NO": ("0192", lambda vat: vat[2:11]),
    "FI": ("0213", lambda vat: vat),
}
_SEPARATORS = re.compile(r"[\s.\-/]")
_SWISS_SUFFIX = re.compile(r"(MWST|TVA|IVA)$")

Children = list[etree._Element]


class _Builder:
    """The element makers of one document (the root namespace differs for credit notes)."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.document = source.document
        self.currency = source.document.currency
        self.credit = source.document.type is DocumentType.CREDIT_NOTE
        nsmap = {None: ROOT_NS[source.document.type], "cac": CAC_NS, "cbc": CBC_NS}
        self.nsmap = nsmap
        self.root = ElementMaker(namespace=ROOT_NS[source.document.type], nsmap=nsmap)
        self.cac = ElementMaker(namespace=CAC_NS, nsmap=nsmap)
        self.cbc = ElementMaker(namespace=CBC_NS, nsmap=nsmap)

    def amount(self, tag: str, value: Decimal) -> etree._Element:
        """An amount element with the currency's decimals and its currencyID."""
        return getattr(self.cbc, tag)(
            xml_common.amount(value, self.currency), currencyID=self.currency
        )

    def price(self, tag: str, value: Decimal) -> etree._Element:
        """A unit price (BT-146 …), which may have more decimals than an amount."""
        return getattr(self.cbc, tag)(xml_common.decimal(value), currencyID=self.currency)


def to_ubl(source: Source, *, peppol: bool = False) -> bytes:
    """The UBL 2.1 Invoice or CreditNote of an issued document (UTF-8, XML declaration).

    Raises :class:`~app.errors.ValidationError` for a quote, a draft, a currency with
    more than two decimals or a document the EN 16931 rules refuse; with ``peppol``
    also when a party has no VAT ID Peppol can address (BT-34, BT-49) or the invoice
    has neither a buyer reference nor an order reference.
    """
    xml_common.check_exportable(source)
    endpoints = _peppol_endpoints(source) if peppol else None
    b = _Builder(source)
    document = source.document
    customization = PEPPOL_CUSTOMIZATION if peppol else xml_common.EN16931
    type_code = xml_common.TYPE_CODES[document.type]
    head = [
        b.cbc.CustomizationID(customization),
        *when(peppol, lambda: b.cbc.ProfileID(PEPPOL_PROFILE)),
        b.cbc.ID(str(source.number)),
        b.cbc.IssueDate(document.issue_date.isoformat()),
    ]
    if b.credit:
        head.append(b.cbc.CreditNoteTypeCode(type_code))
    else:
        head += when(document.due_date, lambda: b.cbc.DueDate(document.due_date.isoformat()))
        head.append(b.cbc.InvoiceTypeCode(type_code))
    head += [
        *when(document.note, lambda: b.cbc.Note(document.note)),
        b.cbc.DocumentCurrencyCode(document.currency),
        *when(document.buyer_reference, lambda: b.cbc.BuyerReference(document.buyer_reference)),
        *_period(b),
        *when(
            document.order_reference,
            lambda: b.cac.OrderReference(b.cbc.ID(document.order_reference)),
        ),
        *_billing_reference(b),
        b.cac.AccountingSupplierParty(
            _party(b, source.seller.party, seller=True, endpoint=endpoints and endpoints[0])
        ),
        b.cac.AccountingCustomerParty(
            _party(b, document.buyer, seller=False, endpoint=endpoints and endpoints[1])
        ),
        *_delivery(b),
        _payment_means(b),
        *when(
            document.payment_terms,
            lambda: b.cac.PaymentTerms(b.cbc.Note(document.payment_terms)),
        ),
    ]
    root = getattr(b.root, "CreditNote" if b.credit else "Invoice")(
        *head,
        *_allowances_charges(b, document.allowances, document.charges, document_level=True),
        _tax_total(b),
        _monetary_total(b),
        *_lines(b),
    )
    etree.cleanup_namespaces(root, top_nsmap=b.nsmap)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


# --------------------------------------------------------------------------- small parts


def _tax_category(
    b: _Builder, tag: str, category: VatCategory, rate: Decimal | None, *extra: etree._Element
) -> etree._Element:
    """A TaxCategory / ClassifiedTaxCategory: code, rate (none for category O, BR-O-05),
    what ``extra`` adds (the exemption), and the VAT scheme."""
    return getattr(b.cac, tag)(
        b.cbc.ID(category.value),
        *when(rate is not None, lambda: b.cbc.Percent(xml_common.decimal(rate))),
        *extra,
        b.cac.TaxScheme(b.cbc.ID("VAT")),
    )


def _allowance_charge(
    b: _Builder, item: AllowanceCharge, *, charge: bool, document_level: bool
) -> etree._Element:
    """BG-20/21 with their VAT category (BT-95/BT-102), or BG-27/28 (the line's VAT)."""
    children = [
        b.cbc.ChargeIndicator("true" if charge else "false"),
        *when(item.reason_code, lambda: b.cbc.AllowanceChargeReasonCode(item.reason_code)),
        *when(item.reason.strip(), lambda: b.cbc.AllowanceChargeReason(item.reason)),
        b.amount("Amount", item.amount),
    ]
    if document_level:
        assert item.vat_category is not None  # checked by rules.validate
        children.append(_tax_category(b, "TaxCategory", item.vat_category, item.vat_rate))
    return b.cac.AllowanceCharge(*children)


def _allowances_charges(
    b: _Builder,
    allowances: Iterable[AllowanceCharge],
    charges: Iterable[AllowanceCharge],
    *,
    document_level: bool,
) -> Children:
    return [
        _allowance_charge(b, item, charge=charge, document_level=document_level)
        for items, charge in ((allowances, False), (charges, True))
        for item in items
    ]


# --------------------------------------------------------------------------- header parts


def _period(b: _Builder) -> Children:
    """The invoicing period BG-14 (BT-73, BT-74)."""
    document = b.document
    if document.period_start is None and document.period_end is None:
        return []
    return [
        b.cac.InvoicePeriod(
            *when(
                document.period_start,
                lambda: b.cbc.StartDate(document.period_start.isoformat()),
            ),
            *when(document.period_end, lambda: b.cbc.EndDate(document.period_end.isoformat())),
        )
    ]


def _billing_reference(b: _Builder) -> Children:
    """The preceding invoice BT-25 a credit note corrects."""
    preceding = xml_common.preceding_number(b.source)
    return when(
        preceding,
        lambda: b.cac.BillingReference(b.cac.InvoiceDocumentReference(b.cbc.ID(preceding))),
    )


def _party(
    b: _Builder, party: Party, *, seller: bool, endpoint: tuple[str, str] | None
) -> etree._Element:
    """BG-4 or BG-7: electronic address, postal address, VAT and tax ids, legal entity
    (name BT-27/BT-44 and legal id BT-30/BT-47), contact.

    Without Peppol the electronic address is the e-mail (scheme EM) when there is one;
    the tax number BT-32 exists for the seller only (scheme "TAX": anything but VAT).
    """
    if endpoint is None and party.email:
        endpoint = ("EM", party.email)
    tax_schemes = []
    if party.vat_id:
        tax_schemes.append(
            b.cac.PartyTaxScheme(b.cbc.CompanyID(party.vat_id), b.cac.TaxScheme(b.cbc.ID("VAT")))
        )
    if seller and party.tax_id:
        tax_schemes.append(
            b.cac.PartyTaxScheme(b.cbc.CompanyID(party.tax_id), b.cac.TaxScheme(b.cbc.ID("TAX")))
        )
    contact = [
        *when(party.phone, lambda: b.cbc.Telephone(party.phone)),
        *when(party.email, lambda: b.cbc.ElectronicMail(party.email)),
    ]
    return b.cac.Party(
        *when(endpoint, lambda: b.cbc.EndpointID(endpoint[1], schemeID=endpoint[0])),
        b.cac.PostalAddress(
            *when(party.street, lambda: b.cbc.StreetName(party.street)),
            *when(party.city, lambda: b.cbc.CityName(party.city)),
            *when(party.postcode, lambda: b.cbc.PostalZone(party.postcode)),
            b.cac.Country(b.cbc.IdentificationCode(party.country)),
        ),
        *tax_schemes,
        b.cac.PartyLegalEntity(
            b.cbc.RegistrationName(party.name),
            *when(party.legal_id, lambda: b.cbc.CompanyID(party.legal_id)),
        ),
        *when(contact, lambda: b.cac.Contact(*contact)),
    )


def _delivery(b: _Builder) -> Children:
    """Actual delivery date BT-72 and deliver-to country BT-80."""
    document = b.document
    if document.delivery_date is None and not document.deliver_to_country:
        return []
    return [
        b.cac.Delivery(
            *when(
                document.delivery_date,
                lambda: b.cbc.ActualDeliveryDate(document.delivery_date.isoformat()),
            ),
            *when(
                document.deliver_to_country,
                lambda: b.cac.DeliveryLocation(
                    b.cac.Address(
                        b.cac.Country(b.cbc.IdentificationCode(document.deliver_to_country))
                    )
                ),
            ),
        )
    ]


def _payment_means(b: _Builder) -> etree._Element:
    """BG-16: means code, (credit notes) due date BT-9, payment reference BT-83 (the
    number), the seller's IBAN BT-84 and BIC BT-86."""
    seller, document = b.source.seller, b.document
    account = []
    if seller.iban:
        account.append(
            b.cac.PayeeFinancialAccount(
                b.cbc.ID(seller.iban),
                *when(seller.bic, lambda: b.cac.FinancialInstitutionBranch(b.cbc.ID(seller.bic))),
            )
        )
    return b.cac.PaymentMeans(
        b.cbc.PaymentMeansCode(xml_common.payment_means_code(b.source)),
        *when(
            b.credit and document.due_date,
            lambda: b.cbc.PaymentDueDate(document.due_date.isoformat()),
        ),
        b.cbc.PaymentID(str(b.source.number)),
        *account,
    )


# --------------------------------------------------------------------------- totals


def _subtotal(b: _Builder, breakdown: VatBreakdown) -> etree._Element:
    """One VAT breakdown BG-23 with its exemption code BT-121 and reason BT-120."""
    exemption = [
        *when(
            breakdown.exemption_code,
            lambda: b.cbc.TaxExemptionReasonCode(breakdown.exemption_code),
        ),
        *when(
            breakdown.exemption_reason,
            lambda: b.cbc.TaxExemptionReason(breakdown.exemption_reason),
        ),
    ]
    return b.cac.TaxSubtotal(
        b.amount("TaxableAmount", breakdown.taxable),
        b.amount("TaxAmount", breakdown.tax),
        _tax_category(b, "TaxCategory", breakdown.category, breakdown.rate, *exemption),
    )


def _tax_total(b: _Builder) -> etree._Element:
    """BT-110 and the VAT breakdown."""
    totals = b.source.totals
    return b.cac.TaxTotal(
        b.amount("TaxAmount", totals.vat),
        *(_subtotal(b, breakdown) for breakdown in totals.vat_breakdown),
    )


def _monetary_total(b: _Builder) -> etree._Element:
    """BT-106 … BT-115; the optional sums only when there is something to sum."""
    document, totals = b.document, b.source.totals
    return b.cac.LegalMonetaryTotal(
        b.amount("LineExtensionAmount", totals.sum_of_lines),
        b.amount("TaxExclusiveAmount", totals.without_vat),
        b.amount("TaxInclusiveAmount", totals.with_vat),
        *when(document.allowances, lambda: b.amount("AllowanceTotalAmount", totals.allowances)),
        *when(document.charges, lambda: b.amount("ChargeTotalAmount", totals.charges)),
        *when(totals.prepaid, lambda: b.amount("PrepaidAmount", totals.prepaid)),
        *when(totals.rounding, lambda: b.amount("PayableRoundingAmount", totals.rounding)),
        b.amount("PayableAmount", totals.due),
    )


# --------------------------------------------------------------------------- lines


def _lines(b: _Builder) -> Children:
    return [_line(b, index, line) for index, line in enumerate(b.document.lines)]


def _line(b: _Builder, index: int, line: Line) -> etree._Element:
    """One invoice line BG-25 (InvoiceLine or CreditNoteLine)."""
    quantity = "CreditedQuantity" if b.credit else "InvoicedQuantity"
    tag = "CreditNoteLine" if b.credit else "InvoiceLine"
    return getattr(b.cac, tag)(
        b.cbc.ID(str(index + 1)),
        getattr(b.cbc, quantity)(xml_common.decimal(line.quantity), unitCode=line.unit),
        b.amount("LineExtensionAmount", b.source.totals.line_net_amounts[index]),
        *_allowances_charges(b, line.allowances, line.charges, document_level=False),
        b.cac.Item(
            b.cbc.Name(line.description),
            *when(
                line.item_id,
                lambda: b.cac.SellersItemIdentification(b.cbc.ID(line.item_id)),
            ),
            _tax_category(b, "ClassifiedTaxCategory", line.vat_category, line.vat_rate),
        ),
        _price(b, line),
    )


def _price(b: _Builder, line: Line) -> etree._Element:
    """Net price BT-146, price base quantity BT-149 (when not 1) and, with a gross
    price BT-148, the price discount BT-147."""
    gross = line.gross_price
    return b.cac.Price(
        b.price("PriceAmount", line.net_price),
        *when(
            line.price_base_quantity != 1,
            lambda: b.cbc.BaseQuantity(
                xml_common.decimal(line.price_base_quantity), unitCode=line.unit
            ),
        ),
        *when(
            gross is not None,
            lambda: b.cac.AllowanceCharge(
                b.cbc.ChargeIndicator("false"),
                b.price("Amount", gross - line.net_price),  # BT-147
                b.price("BaseAmount", gross),
            ),
        ),
    )


# --------------------------------------------------------------------------- Peppol


def peppol_endpoint(vat_id: str) -> tuple[str, str] | None:
    """The Peppol electronic address (scheme, identifier) a VAT ID gives, or None."""
    compact = _SEPARATORS.sub("", vat_id.upper())
    prefix = compact[:2]
    if prefix == "CH":
        compact = _SWISS_SUFFIX.sub("", compact)
    if prefix in PEPPOL_VAT_SCHEMES:
        return PEPPOL_VAT_SCHEMES[prefix], compact
    if prefix in PEPPOL_NUMBER_SCHEMES:
        scheme, number = PEPPOL_NUMBER_SCHEMES[prefix]
        return scheme, number(compact)
    return None


def _peppol_endpoints(source: Source) -> tuple[tuple[str, str], tuple[str, str]]:
    """BT-34 and BT-49 from the VAT IDs, and PEPPOL-EN16931-R003; refusals say what to do."""
    document = source.document
    if not document.buyer_reference and not document.order_reference:
        raise ValidationError(
            "buyer_reference: Peppol needs a buyer reference (BT-10) or an order reference "
            "(BT-13); ask the buyer for theirs"
        )
    found = []
    for field, party, whose in (
        ("seller", source.seller.party, "your"),
        ("buyer", document.buyer, "the buyer's"),
    ):
        if not party.vat_id:
            raise ValidationError(
                f"{field}.vat_id: Peppol needs {whose} electronic address, which InvoiceVault "
                f"takes from {whose} VAT ID, and there is none"
            )
        endpoint = peppol_endpoint(party.vat_id)
        if endpoint is None:
            raise ValidationError(
                f"{field}.vat_id: Peppol has no electronic address scheme for a VAT ID "
                f"starting with {party.vat_id[:2]!r}"
            )
        found.append(endpoint)
    return found[0], found[1]
