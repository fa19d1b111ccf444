"""UN/CEFACT Cross Industry Invoice (CII D16B), EN 16931 profile: the XML inside a Factur-X PDF.

:func:`to_cii` writes an issued invoice (380) or credit note (381) with every
business term the model holds, in the element order of the D16B schema and of
the Factur-X 1.0 EN16931 schema (``urn:cen.eu:en16931:2017``). The tests check
each output against both schemas, the CEN EN 16931 rules for CII and the
Factur-X EN16931 Schematron. Amounts are written with the currency's decimals,
so a currency with three (BHD, KWD ...) is refused (BR-DEC); see
:func:`app.documents.xml_common.check_exportable` for every refusal.

The same input gives the same bytes: nothing here depends on the clock, the
locale or the order of a set.
"""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from lxml import etree
from lxml.builder import ElementMaker

from app.documents import xml_common
from app.documents.source import Source
from app.documents.xml_common import when
from app.domain.model import AllowanceCharge, Line, Party, VatCategory
from app.domain.totals import VatBreakdown

NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
    "qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
}
RSM = ElementMaker(namespace=NS["rsm"], nsmap=NS)
RAM = ElementMaker(namespace=NS["ram"], nsmap=NS)
UDT = ElementMaker(namespace=NS["udt"], nsmap=NS)

#: BT-31 / BT-48 (VAT identifier) and BT-32 (tax registration) as CII scheme identifiers.
VAT_SCHEME = "VA"
TAX_NUMBER_SCHEME = "FC"

Children = list[etree._Element]


def to_cii(source: Source) -> bytes:
    """The CII XML of an issued invoice or credit note (UTF-8, with an XML declaration).

    Raises :class:`~app.errors.ValidationError` for a quote, a draft, a currency
    with more than two decimals, or a document the EN 16931 rules refuse.
    """
    xml_common.check_exportable(source)
    document = source.document
    root = RSM.CrossIndustryInvoice(
        RSM.ExchangedDocumentContext(
            RAM.GuidelineSpecifiedDocumentContextParameter(RAM.ID(xml_common.EN16931))
        ),
        RSM.ExchangedDocument(
            RAM.ID(str(source.number)),
            RAM.TypeCode(xml_common.TYPE_CODES[document.type]),
            RAM.IssueDateTime(_date(document.issue_date)),
            *when(document.note, lambda: RAM.IncludedNote(RAM.Content(document.note))),
        ),
        RSM.SupplyChainTradeTransaction(
            *(_line(source, index) for index in range(len(document.lines))),
            _agreement(source),
            _delivery(source),
            _settlement(source),
        ),
    )
    etree.cleanup_namespaces(root, top_nsmap=NS)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


# --------------------------------------------------------------------------- small parts


def _date(value: date) -> etree._Element:
    """A date in CII's format 102 (``YYYYMMDD``)."""
    return UDT.DateTimeString(value.strftime("%Y%m%d"), format="102")


def _amount(value: Decimal, source: Source) -> str:
    return xml_common.amount(value, source.document.currency)


def _tax(category: VatCategory, rate: Decimal | None) -> Children:
    """TypeCode, CategoryCode and (except for category O, BR-O-05) RateApplicablePercent."""
    return [
        RAM.TypeCode("VAT"),
        RAM.CategoryCode(category.value),
        *when(rate is not None, lambda: RAM.RateApplicablePercent(xml_common.decimal(rate))),
    ]


def _allowance_charge(
    item: AllowanceCharge, source: Source, *, charge: bool, document_level: bool
) -> etree._Element:
    """BG-20/21 (with their VAT category, BT-95/BT-102) or BG-27/28 (which take the line's)."""
    children = [
        RAM.ChargeIndicator(UDT.Indicator("true" if charge else "false")),
        RAM.ActualAmount(_amount(item.amount, source)),
        *when(item.reason_code, lambda: RAM.ReasonCode(item.reason_code)),
        *when(item.reason.strip(), lambda: RAM.Reason(item.reason)),
    ]
    if document_level:
        assert item.vat_category is not None  # checked by rules.validate
        children.append(RAM.CategoryTradeTax(*_tax(item.vat_category, item.vat_rate)))
    return RAM.SpecifiedTradeAllowanceCharge(*children)


def _allowances_charges(
    allowances: Iterable[AllowanceCharge],
    charges: Iterable[AllowanceCharge],
    source: Source,
    *,
    document_level: bool,
) -> Children:
    return [
        _allowance_charge(item, source, charge=charge, document_level=document_level)
        for items, charge in ((allowances, False), (charges, True))
        for item in items
    ]


# --------------------------------------------------------------------------- lines


def _line(source: Source, index: int) -> etree._Element:
    """One invoice line BG-25: identifier, item, prices, quantity, VAT, A/C, net amount."""
    document = source.document
    line = document.lines[index]
    return RAM.IncludedSupplyChainTradeLineItem(
        RAM.AssociatedDocumentLineDocument(RAM.LineID(str(index + 1))),
        RAM.SpecifiedTradeProduct(
            *when(line.item_id, lambda: RAM.SellerAssignedID(line.item_id)),
            RAM.Name(line.description),
        ),
        RAM.SpecifiedLineTradeAgreement(*_prices(line)),
        RAM.SpecifiedLineTradeDelivery(
            RAM.BilledQuantity(xml_common.decimal(line.quantity), unitCode=line.unit)
        ),
        RAM.SpecifiedLineTradeSettlement(
            RAM.ApplicableTradeTax(*_tax(line.vat_category, line.vat_rate)),
            *_allowances_charges(line.allowances, line.charges, source, document_level=False),
            RAM.SpecifiedTradeSettlementLineMonetarySummation(
                RAM.LineTotalAmount(_amount(source.totals.line_net_amounts[index], source))
            ),
        ),
    )


def _prices(line: Line) -> Children:
    """Gross price BT-148 with its discount BT-147 (when given), net price BT-146, and the
    price base quantity BT-149 when it is not 1."""

    def basis() -> Children:
        quantity = xml_common.decimal(line.price_base_quantity)
        return when(
            line.price_base_quantity != 1, lambda: RAM.BasisQuantity(quantity, unitCode=line.unit)
        )

    prices = []
    if line.gross_price is not None:
        discount = line.gross_price - line.net_price  # BT-147
        prices.append(
            RAM.GrossPriceProductTradePrice(
                RAM.ChargeAmount(xml_common.decimal(line.gross_price)),
                *basis(),
                RAM.AppliedTradeAllowanceCharge(
                    RAM.ChargeIndicator(UDT.Indicator("false")),
                    RAM.ActualAmount(xml_common.decimal(discount)),
                ),
            )
        )
    prices.append(
        RAM.NetPriceProductTradePrice(
            RAM.ChargeAmount(xml_common.decimal(line.net_price)), *basis()
        )
    )
    return prices


# --------------------------------------------------------------------------- parties


def _party(tag: str, party: Party, *, seller: bool) -> etree._Element:
    """BG-4 seller or BG-7 buyer: name, legal id, contact, address, e-mail, VAT and tax ids.

    The e-mail is written both as the contact's (BT-43 / BT-58) and as the electronic
    address (BT-34 / BT-49, scheme EM); the tax number BT-32 exists for the seller only.
    """
    contact = []
    if party.phone:
        contact.append(RAM.TelephoneUniversalCommunication(RAM.CompleteNumber(party.phone)))
    if party.email:
        contact.append(RAM.EmailURIUniversalCommunication(RAM.URIID(party.email)))
    registrations = []
    if party.vat_id:
        registrations.append(
            RAM.SpecifiedTaxRegistration(RAM.ID(party.vat_id, schemeID=VAT_SCHEME))
        )
    if seller and party.tax_id:
        registrations.append(
            RAM.SpecifiedTaxRegistration(RAM.ID(party.tax_id, schemeID=TAX_NUMBER_SCHEME))
        )
    return getattr(RAM, tag)(
        RAM.Name(party.name),
        *when(party.legal_id, lambda: RAM.SpecifiedLegalOrganization(RAM.ID(party.legal_id))),
        *when(contact, lambda: RAM.DefinedTradeContact(*contact)),
        RAM.PostalTradeAddress(
            *when(party.postcode, lambda: RAM.PostcodeCode(party.postcode)),
            *when(party.street, lambda: RAM.LineOne(party.street)),
            *when(party.city, lambda: RAM.CityName(party.city)),
            RAM.CountryID(party.country),
        ),
        *when(
            party.email,
            lambda: RAM.URIUniversalCommunication(RAM.URIID(party.email, schemeID="EM")),
        ),
        *registrations,
    )


def _agreement(source: Source) -> etree._Element:
    """Buyer reference BT-10, seller, buyer, purchase order reference BT-13."""
    document = source.document
    return RAM.ApplicableHeaderTradeAgreement(
        *when(document.buyer_reference, lambda: RAM.BuyerReference(document.buyer_reference)),
        _party("SellerTradeParty", source.seller.party, seller=True),
        _party("BuyerTradeParty", document.buyer, seller=False),
        *when(
            document.order_reference,
            lambda: RAM.BuyerOrderReferencedDocument(
                RAM.IssuerAssignedID(document.order_reference)
            ),
        ),
    )


def _delivery(source: Source) -> etree._Element:
    """Deliver-to country BT-80 and actual delivery date BT-72 (the element itself is
    mandatory in CII, so it may stay empty)."""
    document = source.document
    return RAM.ApplicableHeaderTradeDelivery(
        *when(
            document.deliver_to_country,
            lambda: RAM.ShipToTradeParty(
                RAM.PostalTradeAddress(RAM.CountryID(document.deliver_to_country))
            ),
        ),
        *when(
            document.delivery_date,
            lambda: RAM.ActualDeliverySupplyChainEvent(
                RAM.OccurrenceDateTime(_date(document.delivery_date))
            ),
        ),
    )


# --------------------------------------------------------------------------- settlement


def _breakdown(breakdown: VatBreakdown, source: Source) -> etree._Element:
    """One VAT breakdown BG-23, with its exemption reason BT-120 and code BT-121."""
    return RAM.ApplicableTradeTax(
        RAM.CalculatedAmount(_amount(breakdown.tax, source)),
        RAM.TypeCode("VAT"),
        *when(breakdown.exemption_reason, lambda: RAM.ExemptionReason(breakdown.exemption_reason)),
        RAM.BasisAmount(_amount(breakdown.taxable, source)),
        RAM.CategoryCode(breakdown.category.value),
        *when(breakdown.exemption_code, lambda: RAM.ExemptionReasonCode(breakdown.exemption_code)),
        *when(
            breakdown.rate is not None,
            lambda: RAM.RateApplicablePercent(xml_common.decimal(breakdown.rate)),
        ),
    )


def _payment_means(source: Source) -> etree._Element:
    """BG-16: the means code, the seller's IBAN (BT-84) and BIC (BT-86) when there is one."""
    seller = source.seller
    return RAM.SpecifiedTradeSettlementPaymentMeans(
        RAM.TypeCode(xml_common.payment_means_code(source)),
        *when(
            seller.iban,
            lambda: RAM.PayeePartyCreditorFinancialAccount(RAM.IBANID(seller.iban)),
        ),
        *when(
            seller.iban and seller.bic,
            lambda: RAM.PayeeSpecifiedCreditorFinancialInstitution(RAM.BICID(seller.bic)),
        ),
    )


def _period(source: Source) -> Children:
    """The invoicing period BG-14 (start BT-73, end BT-74), when one of them is given."""
    document = source.document
    if document.period_start is None and document.period_end is None:
        return []
    return [
        RAM.BillingSpecifiedPeriod(
            *when(document.period_start, lambda: RAM.StartDateTime(_date(document.period_start))),
            *when(document.period_end, lambda: RAM.EndDateTime(_date(document.period_end))),
        )
    ]


def _terms(source: Source) -> Children:
    """Payment terms BT-20 and due date BT-9."""
    document = source.document
    if not document.payment_terms and document.due_date is None:
        return []
    return [
        RAM.SpecifiedTradePaymentTerms(
            *when(document.payment_terms, lambda: RAM.Description(document.payment_terms)),
            *when(document.due_date, lambda: RAM.DueDateDateTime(_date(document.due_date))),
        )
    ]


def _summation(source: Source) -> etree._Element:
    """BT-106 … BT-115; the optional sums only when there is something to sum."""
    document, totals = source.document, source.totals
    currency = document.currency
    return RAM.SpecifiedTradeSettlementHeaderMonetarySummation(
        RAM.LineTotalAmount(_amount(totals.sum_of_lines, source)),
        *when(document.charges, lambda: RAM.ChargeTotalAmount(_amount(totals.charges, source))),
        *when(
            document.allowances,
            lambda: RAM.AllowanceTotalAmount(_amount(totals.allowances, source)),
        ),
        RAM.TaxBasisTotalAmount(_amount(totals.without_vat, source)),
        RAM.TaxTotalAmount(_amount(totals.vat, source), currencyID=currency),
        *when(totals.rounding, lambda: RAM.RoundingAmount(_amount(totals.rounding, source))),
        RAM.GrandTotalAmount(_amount(totals.with_vat, source)),
        *when(totals.prepaid, lambda: RAM.TotalPrepaidAmount(_amount(totals.prepaid, source))),
        RAM.DuePayableAmount(_amount(totals.due, source)),
    )


def _settlement(source: Source) -> etree._Element:
    """Payment reference BT-83 (the number), currency, payment means, VAT breakdown,
    period, document allowances and charges, terms, totals, preceding invoice BT-25."""
    document = source.document
    preceding = xml_common.preceding_number(source)
    return RAM.ApplicableHeaderTradeSettlement(
        RAM.PaymentReference(str(source.number)),
        RAM.InvoiceCurrencyCode(document.currency),
        _payment_means(source),
        *(_breakdown(breakdown, source) for breakdown in source.totals.vat_breakdown),
        *_period(source),
        *_allowances_charges(document.allowances, document.charges, source, document_level=True),
        *_terms(source),
        _summation(source),
        *when(
            preceding,
            lambda: RAM.InvoiceReferencedDocument(RAM.IssuerAssignedID(preceding)),
        ),
    )
