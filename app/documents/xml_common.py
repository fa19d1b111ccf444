"""What the two e-invoice syntaxes (CII for Factur-X, UBL) share: the refusals and the values.

Both exporters write the same EN 16931 business terms from the same
:class:`~app.documents.source.Source`; only the element names differ. So the
decisions live here once: which documents may become an e-invoice at all, how
amounts and other decimals are written, which payment means code applies. The
XML itself is built by :mod:`app.documents.cii` and :mod:`app.documents.ubl`,
both with lxml's ElementMaker and :func:`when` for optional elements.
"""

from collections.abc import Callable
from decimal import Decimal

from lxml import etree

from app import money
from app.documents.source import Source
from app.domain import rules
from app.domain.model import DocumentType
from app.errors import ValidationError

#: BT-24 for a plain EN 16931 invoice; the Factur-X EN16931 profile uses exactly this value.
EN16931 = "urn:cen.eu:en16931:2017"
#: BT-3, UNTDID 1001.
TYPE_CODES = {DocumentType.INVOICE: "380", DocumentType.CREDIT_NOTE: "381"}
#: BR-DEC-xx: every amount of an EN 16931 invoice has at most two decimals.
MAX_AMOUNT_DECIMALS = 2

PAYMENT_SEPA_CREDIT_TRANSFER = "58"
PAYMENT_CREDIT_TRANSFER = "30"
PAYMENT_NOT_DEFINED = "1"


def check_exportable(source: Source) -> None:
    """Refuse what cannot be an EN 16931 invoice, with a message for the user.

    A quote is no invoice; a draft has no number yet (BT-1 is mandatory); a
    currency with three decimals cannot be written within BR-DEC. Then the
    document must pass :func:`app.domain.rules.validate` with its seller: a
    document issued before a rule existed (BR-IC-11, BR-CO-26 ...) is refused here
    with the rule's own message rather than written as an invoice the receiver's
    validator would reject.
    """
    document = source.document
    if document.type is DocumentType.QUOTE:
        raise ValidationError("type: a quote is not an e-invoice; convert it to an invoice first")
    if source.number is None:
        raise ValidationError("number: a draft is not an e-invoice; issue it first")
    places = money.exponent(document.currency)
    if places > MAX_AMOUNT_DECIMALS:
        raise ValidationError(
            "currency: e-invoices need amounts with at most 2 decimals (EN 16931 BR-DEC); "
            f"{document.currency} has {places}"
        )
    rules.validate(document, source.seller.party)


def amount(value: Decimal, currency: str) -> str:
    """An amount with exactly the currency's decimals: ``1234.50`` (EUR), ``1235`` (JPY)."""
    return money.format_plain(value, currency)


def decimal(value: Decimal) -> str:
    """A quantity, price or rate as written, never in exponent notation (``100``, not ``1E+2``)."""
    return format(value, "f")


def payment_means_code(source: Source) -> str:
    """BT-81, UNTDID 4461: SEPA credit transfer (58) for euros to an IBAN, credit transfer
    (30) to an IBAN in another currency, otherwise "instrument not defined" (1): 30 and
    58 need the account (BR-61), and SEPA is a euro scheme."""
    if not source.seller.iban:
        return PAYMENT_NOT_DEFINED
    if source.document.currency == "EUR":
        return PAYMENT_SEPA_CREDIT_TRANSFER
    return PAYMENT_CREDIT_TRANSFER


def preceding_number(source: Source) -> str:
    """BT-25, the invoice a credit note corrects ("" for an invoice)."""
    return source.preceding_number or source.document.preceding_invoice


def when(condition: object, make: Callable[[], etree._Element]) -> list[etree._Element]:
    """``[make()]`` when ``condition`` is truthy, else ``[]``: an optional element, spliced
    into a builder call with ``*``. ``make`` is only called when the element is wanted, so
    it may use values that are None otherwise."""
    return [make()] if condition else []
