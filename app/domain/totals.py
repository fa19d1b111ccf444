"""EN 16931 totals of a document: line net amounts, VAT breakdown and BT-106 … BT-115.

DESIGN.md §4. Every amount is exact: products and quotients are kept as
:class:`~fractions.Fraction` until :func:`app.money.round_money` rounds them
half-up to the currency's minor unit, which happens exactly twice per figure
that needs it: the line net amount (BT-131) and the VAT of each breakdown
(BT-117). Everything else is a sum or difference of amounts already at the minor
unit, so it needs no rounding and the CEN identities BR-CO-10 … BR-CO-16 hold
exactly.

The functions do not validate (see :mod:`app.domain.rules`); given a document
whose amounts are not at the minor unit they raise ValidationError from
:func:`app.money.to_minor` rather than silently rounding.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from app import money
from app.domain.model import AllowanceCharge, Document, Line, VatCategory
from app.errors import ValidationError

#: Categories whose VAT amount is always zero (BR-Z-9, BR-E-9, BR-AE-9, BR-IC-9, BR-G-9, BR-O-9).
NO_VAT = frozenset(
    {
        VatCategory.ZERO,
        VatCategory.EXEMPT,
        VatCategory.REVERSE_CHARGE,
        VatCategory.INTRA_COMMUNITY,
        VatCategory.EXPORT,
        VatCategory.NOT_SUBJECT,
    }
)

#: The order of VAT breakdowns: categories as listed in EN 16931, then rate descending.
CATEGORY_ORDER: tuple[VatCategory, ...] = (
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

#: (category, exact rate): rates compare by value, whatever the Decimal context.
VatKey = tuple[VatCategory, Fraction | None]


@dataclass(frozen=True)
class VatBreakdown:
    """One VAT breakdown (BG-23) for a (category, rate) pair."""

    category: VatCategory  # BT-118
    rate: Decimal | None  # BT-119 (None for category O)
    taxable: Decimal  # BT-116
    tax: Decimal  # BT-117
    exemption_reason: str = ""  # BT-120
    exemption_code: str = ""  # BT-121


@dataclass(frozen=True)
class Totals:
    """The document totals (BG-22) with the line net amounts and the VAT breakdown."""

    currency: str  # BT-5
    line_net_amounts: tuple[Decimal, ...]  # BT-131 per line, in line order
    sum_of_lines: Decimal  # BT-106
    allowances: Decimal  # BT-107
    charges: Decimal  # BT-108
    without_vat: Decimal  # BT-109
    vat: Decimal  # BT-110
    with_vat: Decimal  # BT-112
    prepaid: Decimal  # BT-113
    rounding: Decimal  # BT-114
    due: Decimal  # BT-115
    vat_breakdown: tuple[VatBreakdown, ...]  # BG-23


def _sum(amounts: Iterable[Decimal], currency: str) -> Decimal:
    """Exact sum of amounts at the minor unit, done on integer minor units."""
    return money.from_minor(sum(money.to_minor(a, currency) for a in amounts), currency)


def _add(a: Decimal, b: Decimal, currency: str) -> Decimal:
    return money.from_minor(money.to_minor(a, currency) + money.to_minor(b, currency), currency)


def _sub(a: Decimal, b: Decimal, currency: str) -> Decimal:
    return money.from_minor(money.to_minor(a, currency) - money.to_minor(b, currency), currency)


def _amounts(items: Iterable[AllowanceCharge]) -> list[Decimal]:
    return [item.amount for item in items]


def line_price_amount(line: Line, currency: str) -> Decimal:
    """quantity (BT-129) × net price (BT-146) ÷ price base quantity (BT-149), rounded half-up.

    The product is computed exactly and rounded once, to the currency's minor unit.
    """
    exact = Fraction(line.quantity) * Fraction(line.net_price) / Fraction(line.price_base_quantity)
    return money.round_money(exact, currency)


def line_net_amount(line: Line, currency: str) -> Decimal:
    """Invoice line net amount BT-131.

    = round(quantity × net price ÷ price base quantity) + Σ line charges (BT-141)
    − Σ line allowances (BT-136); the charges and allowances must already be at
    the minor unit.
    """
    amount = line_price_amount(line, currency)
    amount = _add(amount, _sum(_amounts(line.charges), currency), currency)
    return _sub(amount, _sum(_amounts(line.allowances), currency), currency)


def vat_key(category: VatCategory, rate: Decimal | None) -> VatKey:
    """The (category, rate) a VAT breakdown is grouped by; rates compare by value (7 == 7.00)."""
    return (category, None if rate is None else Fraction(rate))


def _doc_key(item: AllowanceCharge) -> VatKey:
    if item.vat_category is None:
        raise ValidationError(
            "allowances: a document allowance or charge needs a VAT category (BR-32, BR-37)"
        )
    return vat_key(item.vat_category, item.vat_rate)


def vat_keys(document: Document) -> list[VatKey]:
    """Every (category, rate) used by a line, document allowance or document charge, sorted."""
    keys = {vat_key(line.vat_category, line.vat_rate) for line in document.lines}
    keys |= {_doc_key(item) for item in (*document.allowances, *document.charges)}
    return sorted(keys, key=_sort_key)


def _sort_key(key: VatKey) -> tuple[int, Fraction]:
    category, rate = key
    return (CATEGORY_ORDER.index(category), -(rate if rate is not None else Fraction(0)))


def vat_category_tax(
    category: VatCategory, rate: Decimal | Fraction | None, taxable: Decimal, currency: str
) -> Decimal:
    """VAT category tax amount BT-117 = round(BT-116 × BT-119 ÷ 100) (BR-CO-17, BR-S-09 …).

    Zero for the categories without VAT (Z, E, AE, K, G, O: BR-Z-09, BR-E-09,
    BR-AE-09, BR-IC-09, BR-G-09, BR-O-09); L and M (BR-AF-09, BR-AG-09) work like S.
    """
    if category in NO_VAT or rate is None:
        return money.from_minor(0, currency)
    return money.round_money(Fraction(taxable) * Fraction(rate) / 100, currency)


def _first_text(values: Iterable[str]) -> str:
    """The first non-blank text, stripped ("" when there is none)."""
    return next((value.strip() for value in values if value.strip()), "")


def vat_breakdown(
    document: Document, line_amounts: tuple[Decimal, ...]
) -> tuple[VatBreakdown, ...]:
    """The VAT breakdown BG-23, one per (category, rate), sorted S, Z, E, AE, K, G, O, L, M.

    Taxable amount BT-116 = Σ BT-131 of the lines of that category and rate
    − Σ document allowances (BT-92) + Σ document charges (BT-99) of that category
    and rate (BR-S-08, BR-Z-08, BR-E-08, BR-AE-08, BR-IC-08, BR-G-08, BR-O-08,
    BR-AF-08, BR-AG-08). The exemption reason BT-120 and code BT-121 come from the
    first line of that category and rate carrying one (document allowances and
    charges have none in the model). ``line_amounts`` are the lines' BT-131.
    """
    return tuple(_breakdown_for(document, line_amounts, key) for key in vat_keys(document))


def _breakdown_for(
    document: Document, line_amounts: tuple[Decimal, ...], key: VatKey
) -> VatBreakdown:
    """The breakdown BG-23 of one (category, rate)."""
    currency = document.currency
    category, rate = key
    numbered = [
        (amount, line)
        for amount, line in zip(line_amounts, document.lines, strict=True)
        if vat_key(line.vat_category, line.vat_rate) == key
    ]
    allowances = [a for a in document.allowances if _doc_key(a) == key]
    charges = [c for c in document.charges if _doc_key(c) == key]
    taxable = _sum([amount for amount, _line in numbered], currency)
    taxable = _add(taxable, _sum(_amounts(charges), currency), currency)
    taxable = _sub(taxable, _sum(_amounts(allowances), currency), currency)
    # the rate as the user wrote it ("19.00" stays "19.00"), not its normalised key
    written = [line.vat_rate for _amount, line in numbered]
    written += [item.vat_rate for item in (*allowances, *charges)]
    return VatBreakdown(
        category=category,
        rate=written[0],  # the key came from one of them, so there is a first
        taxable=taxable,
        tax=vat_category_tax(category, rate, taxable, currency),
        exemption_reason=_first_text(line.exemption_reason for _a, line in numbered),
        exemption_code=_first_text(line.exemption_code for _a, line in numbered),
    )


def compute(document: Document) -> Totals:
    """All totals of a document (BG-22) from its lines, allowances, charges and VAT.

    BT-106 = Σ BT-131 (BR-CO-10); BT-107 = Σ BT-92 (BR-CO-11); BT-108 = Σ BT-99
    (BR-CO-12); BT-109 = BT-106 − BT-107 + BT-108 (BR-CO-13); BT-110 = Σ BT-117
    (BR-CO-14); BT-112 = BT-109 + BT-110 (BR-CO-15); BT-115 = BT-112 − BT-113
    + BT-114 (BR-CO-16).
    """
    currency = document.currency
    line_amounts = tuple(line_net_amount(line, currency) for line in document.lines)
    breakdown = vat_breakdown(document, line_amounts)
    sum_of_lines = _sum(line_amounts, currency)
    allowances = _sum(_amounts(document.allowances), currency)
    charges = _sum(_amounts(document.charges), currency)
    without_vat = _add(_sub(sum_of_lines, allowances, currency), charges, currency)
    vat = _sum((b.tax for b in breakdown), currency)
    with_vat = _add(without_vat, vat, currency)
    prepaid = _sum([document.prepaid], currency)
    rounding = _sum([document.rounding_amount], currency)
    due = _add(_sub(with_vat, prepaid, currency), rounding, currency)
    return Totals(
        currency=currency,
        line_net_amounts=line_amounts,
        sum_of_lines=sum_of_lines,
        allowances=allowances,
        charges=charges,
        without_vat=without_vat,
        vat=vat,
        with_vat=with_vat,
        prepaid=prepaid,
        rounding=rounding,
        due=due,
        vat_breakdown=breakdown,
    )


def as_bt_dict(totals: Totals) -> dict[str, str]:
    """The document totals keyed by business term, as strings with the currency's decimals.

    ``{"BT-106": "1500.00", …, "BT-115": "1875.00"}`` (BT-111, VAT in accounting
    currency, is not produced).
    """
    figures = {
        "BT-106": totals.sum_of_lines,
        "BT-107": totals.allowances,
        "BT-108": totals.charges,
        "BT-109": totals.without_vat,
        "BT-110": totals.vat,
        "BT-112": totals.with_vat,
        "BT-113": totals.prepaid,
        "BT-114": totals.rounding,
        "BT-115": totals.due,
    }
    return {bt: money.format_plain(amount, totals.currency) for bt, amount in figures.items()}
