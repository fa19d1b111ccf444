"""EN 16931 totals: hand-computed examples and the BR-CO identities as properties."""

import dataclasses
import decimal
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app import money
from app.domain import totals
from app.domain.model import (
    AllowanceCharge,
    Document,
    DocumentType,
    Line,
    Party,
    VatCategory,
)
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
BUYER = Party(name="Buyer GmbH", country="DE", vat_id="DE136695976")


def line(
    quantity: str,
    price: str,
    category: VatCategory = S,
    rate: str | None = "19",
    *,
    base: str = "1",
    allowances: tuple[str, ...] = (),
    charges: tuple[str, ...] = (),
    exemption_reason: str = "",
    exemption_code: str = "",
) -> Line:
    return Line(
        description="item",
        quantity=D(quantity),
        unit="C62",
        net_price=D(price),
        vat_category=category,
        vat_rate=None if rate is None else D(rate),
        price_base_quantity=D(base),
        allowances=tuple(AllowanceCharge(amount=D(a), reason="discount") for a in allowances),
        charges=tuple(AllowanceCharge(amount=D(c), reason="packing") for c in charges),
        exemption_reason=exemption_reason,
        exemption_code=exemption_code,
    )


def doc_ac(amount: str, category: VatCategory, rate: str | None) -> AllowanceCharge:
    return AllowanceCharge(
        amount=D(amount),
        reason="x",
        vat_category=category,
        vat_rate=None if rate is None else D(rate),
    )


def document(
    *lines: Line,
    currency: str = "EUR",
    allowances: tuple[AllowanceCharge, ...] = (),
    charges: tuple[AllowanceCharge, ...] = (),
    prepaid: str = "0",
    rounding: str = "0",
) -> Document:
    return Document(
        type=DocumentType.INVOICE,
        currency=currency,
        issue_date=date(2026, 11, 1),
        buyer=BUYER,
        lines=lines,
        allowances=allowances,
        charges=charges,
        prepaid=D(prepaid),
        rounding_amount=D(rounding),
    )


def breakdown(result: totals.Totals) -> list[tuple[str, str | None, str, str]]:
    return [
        (b.category.value, None if b.rate is None else str(b.rate), str(b.taxable), str(b.tax))
        for b in result.vat_breakdown
    ]


# --------------------------------------------------------------------------- by hand


def test_mixed_invoice_computed_by_hand():
    doc = document(
        # 250 screws at 12.50 per 100: 31.25, + 0.50 charge − 1.25 allowance = 30.50
        line("250", "12.50", S, "19", base="100", allowances=("1.25",), charges=("0.50",)),
        line("3.5", "85.00", S, "19"),  # 297.50
        line("3", "9.99", S, "7"),  # 29.97
        line("1", "10.00", Z, "0"),  # 10.00
        allowances=(doc_ac("2.00", Z, "0"),),  # a document allowance in another category
        charges=(doc_ac("4.90", S, "19"),),
        prepaid="100.00",
        rounding="-0.02",
    )
    result = totals.compute(doc)
    assert [str(a) for a in result.line_net_amounts] == ["30.50", "297.50", "29.97", "10.00"]
    # S 19: 30.50 + 297.50 + 4.90 = 332.90, VAT 63.251 → 63.25
    # S 7: 29.97, VAT 2.0979 → 2.10;  Z: 10.00 − 2.00 = 8.00, VAT 0
    assert breakdown(result) == [
        ("S", "19", "332.90", "63.25"),
        ("S", "7", "29.97", "2.10"),
        ("Z", "0", "8.00", "0.00"),
    ]
    assert totals.as_bt_dict(result) == {
        "BT-106": "367.97",
        "BT-107": "2.00",
        "BT-108": "4.90",
        "BT-109": "370.87",
        "BT-110": "65.35",
        "BT-112": "436.22",
        "BT-113": "100.00",
        "BT-114": "-0.02",
        "BT-115": "336.20",
    }


def test_design_example_shape():
    # DESIGN.md §4: 1000 × 1.00 − 100.00 + 100.00, document allowance and charge 150.00, 25 %
    doc = document(
        line("1000", "1.00", S, "25", allowances=("100.00",), charges=("100.00",)),
        allowances=(doc_ac("150.00", S, "25"),),
        charges=(doc_ac("150.00", S, "25"),),
    )
    result = totals.compute(doc)
    assert breakdown(result) == [("S", "25", "1000.00", "250.00")]
    assert totals.as_bt_dict(result)["BT-115"] == "1250.00"


@pytest.mark.parametrize(
    ("quantity", "price", "base", "expected"),
    [
        ("1", "0.125", "1", "0.13"),  # half-up
        ("1", "0.115", "1", "0.12"),  # a float would say 0.11
        ("1", "1.005", "1", "1.01"),  # a float would say 1.00
        ("3", "0.333", "1", "1.00"),
        ("1", "1", "3", "0.33"),  # a non-terminating quotient, rounded once
        ("2", "1", "3", "0.67"),
        ("1", "0.004999", "1", "0.00"),
        ("7", "12.34", "10", "8.64"),  # 8.638
        ("0.5", "0.01", "1", "0.01"),  # 0.005 → 0.01
        ("1.5", "2.5", "0.5", "7.50"),
    ],
)
def test_line_net_amount_rounds_the_product_once(quantity, price, base, expected):
    result = totals.compute(document(line(quantity, price, base=base)))
    assert str(result.line_net_amounts[0]) == expected


def test_vat_is_rounded_per_breakdown_not_per_line():
    # three lines of 0.05 at 19 %: per line 0.0095 → 0.01 each (0.03); per breakdown 0.15 → 0.03
    # ten lines of 0.10 at 7 %: per line 0.007 → 0.01 each (0.10); on the sum 1.00 → 0.07
    doc = document(*[line("1", "0.10", S, "7") for _ in range(10)])
    result = totals.compute(doc)
    assert breakdown(result) == [("S", "7", "1.00", "0.07")]
    assert result.vat == D("0.07")


def test_jpy_has_no_decimals():
    doc = document(
        line("3", "333.5", S, "10"),  # 1000.5 → 1001
        line("7", "150", S, "8"),  # 1050
        currency="JPY",
    )
    result = totals.compute(doc)
    assert [str(a) for a in result.line_net_amounts] == ["1001", "1050"]
    assert breakdown(result) == [("S", "10", "1001", "100"), ("S", "8", "1050", "84")]
    assert totals.as_bt_dict(result) == {
        "BT-106": "2051",
        "BT-107": "0",
        "BT-108": "0",
        "BT-109": "2051",
        "BT-110": "184",
        "BT-112": "2235",
        "BT-113": "0",
        "BT-114": "0",
        "BT-115": "2235",
    }


def test_bhd_has_three_decimals():
    doc = document(
        line("2", "1.2345", S, "10"),  # 2.469
        line("3", "0.3335", S, "10"),  # 1.0005 → 1.001
        currency="BHD",
        prepaid="0.5",
    )
    result = totals.compute(doc)
    assert [str(a) for a in result.line_net_amounts] == ["2.469", "1.001"]
    assert breakdown(result) == [("S", "10", "3.470", "0.347")]
    bt = totals.as_bt_dict(result)
    assert bt["BT-109"] == "3.470"
    assert bt["BT-112"] == "3.817"
    assert bt["BT-113"] == "0.500"
    assert bt["BT-115"] == "3.317"


def test_categories_without_vat_have_zero_tax_and_l_m_charge_it():
    doc = document(
        line("1", "100", E, "0", exemption_reason="Art. 132 exempt"),
        line("1", "100", AE, "0", exemption_code="VATEX-EU-AE"),
        line("1", "100", K, "0"),
        line("1", "100", G, "0"),
        line("1", "100", L, "7"),
        line("1", "100", M, "4"),
        line("1", "100", Z, "0"),
    )
    result = totals.compute(doc)
    assert breakdown(result) == [
        ("Z", "0", "100.00", "0.00"),
        ("E", "0", "100.00", "0.00"),
        ("AE", "0", "100.00", "0.00"),
        ("K", "0", "100.00", "0.00"),
        ("G", "0", "100.00", "0.00"),
        ("L", "7", "100.00", "7.00"),
        ("M", "4", "100.00", "4.00"),
    ]
    assert result.vat_breakdown[1].exemption_reason == "Art. 132 exempt"
    assert result.vat_breakdown[2].exemption_code == "VATEX-EU-AE"


def test_category_o_has_no_rate_and_no_tax():
    result = totals.compute(document(line("2", "50", O, None, exemption_reason="Not subject")))
    assert breakdown(result) == [("O", None, "100.00", "0.00")]
    assert result.vat_breakdown[0].exemption_reason == "Not subject"


def test_rates_group_by_value_and_sort_descending():
    doc = document(
        line("1", "1", S, "7"),
        line("1", "2", S, "19.00"),
        line("1", "3", S, "7.0"),
        line("1", "4", S, "19"),
        line("1", "5", S, "25.5"),
    )
    result = totals.compute(doc)
    assert breakdown(result) == [
        ("S", "25.5", "5.00", "1.28"),  # 1.275 → 1.28
        ("S", "19.00", "6.00", "1.14"),  # the rate as the first line wrote it
        ("S", "7", "4.00", "0.28"),
    ]


def test_exemption_reason_comes_from_the_first_line_carrying_one():
    doc = document(
        line("1", "1", E, "0"),
        line("1", "1", E, "0", exemption_reason="  Small business  "),
        line("1", "1", E, "0", exemption_reason="other", exemption_code="VATEX-EU-132"),
    )
    (only,) = totals.compute(doc).vat_breakdown
    assert only.exemption_reason == "Small business"
    assert only.exemption_code == "VATEX-EU-132"


def test_a_document_charge_alone_makes_its_own_breakdown():
    doc = document(line("1", "10"), charges=(doc_ac("5.00", S, "7"),))
    assert breakdown(totals.compute(doc)) == [
        ("S", "19", "10.00", "1.90"),
        ("S", "7", "5.00", "0.35"),
    ]


def test_amounts_below_the_minor_unit_are_refused_not_rounded():
    with pytest.raises(ValidationError):
        totals.compute(document(line("1", "1"), allowances=(doc_ac("1.234", S, "19"),)))
    with pytest.raises(ValidationError):
        totals.compute(document(line("1", "1", allowances=("0.001",))))
    with pytest.raises(ValidationError):
        totals.compute(document(line("1", "1"), prepaid="0.001"))


def test_totals_are_frozen():
    result = totals.compute(document(line("1", "1")))
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.due = D(0)  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.vat_breakdown[0].tax = D(0)  # type: ignore[misc]


def test_huge_documents_stay_exact():
    doc = document(line("999999999999999", "999999999999999.999999"))
    result = totals.compute(doc)
    exact = Fraction(999999999999999) * Fraction("999999999999999.999999")
    assert Fraction(result.sum_of_lines) == Fraction(money.round_money(exact, "EUR"))
    assert len(result.with_vat.as_tuple().digits) > 28  # beyond the default Decimal precision
    assert Fraction(result.with_vat) == Fraction(result.without_vat) + Fraction(result.vat)
    assert result.vat == money.round_money(Fraction(result.without_vat) * Fraction(19, 100), "EUR")


# --------------------------------------------------------------------------- properties

KEYS = [
    (S, "19"),
    (S, "7"),
    (S, "25.5"),
    (S, "0.5"),
    (Z, "0"),
    (E, "0"),
    (AE, "0"),
    (K, "0"),
    (G, "0"),
    (O, None),
    (L, "7"),
    (M, "4"),
]
CURRENCIES = ["EUR", "JPY", "BHD"]


def _amounts(places: int, max_minor: int = 100_000) -> st.SearchStrategy[Decimal]:
    return st.integers(0, max_minor).map(lambda n: D(n).scaleb(-places) if places else D(n))


@st.composite
def documents(draw: st.DrawFn) -> Document:
    currency = draw(st.sampled_from(CURRENCIES))
    places = money.exponent(currency)
    quantities = st.decimals(min_value=D("0.0001"), max_value=D(10_000), places=4)
    prices = st.decimals(min_value=D(0), max_value=D(100_000), places=4)
    bases = st.sampled_from(["1", "10", "100", "1000", "0.5", "3"])

    def ac(document_level: bool) -> st.SearchStrategy[AllowanceCharge]:
        if not document_level:
            return _amounts(places).map(lambda a: AllowanceCharge(amount=a, reason="r"))
        return st.tuples(_amounts(places), st.sampled_from(KEYS)).map(
            lambda t: AllowanceCharge(
                amount=t[0],
                reason="r",
                vat_category=t[1][0],
                vat_rate=None if t[1][1] is None else D(t[1][1]),
            )
        )

    def a_line() -> st.SearchStrategy[Line]:
        return st.builds(
            lambda q, p, b, key, allowances, charges: Line(
                description="x",
                quantity=q,
                unit="C62",
                net_price=p,
                vat_category=key[0],
                vat_rate=None if key[1] is None else D(key[1]),
                price_base_quantity=D(b),
                allowances=tuple(allowances),
                charges=tuple(charges),
            ),
            quantities,
            prices,
            bases,
            st.sampled_from(KEYS),
            st.lists(ac(False), max_size=2),
            st.lists(ac(False), max_size=2),
        )

    return Document(
        type=DocumentType.INVOICE,
        currency=currency,
        issue_date=date(2026, 1, 1),
        buyer=BUYER,
        lines=tuple(draw(st.lists(a_line(), min_size=1, max_size=8))),
        allowances=tuple(draw(st.lists(ac(True), max_size=3))),
        charges=tuple(draw(st.lists(ac(True), max_size=3))),
        prepaid=draw(_amounts(places)),
        rounding_amount=draw(_amounts(places, 99)) * draw(st.sampled_from([1, -1])),
    )


def _oracle_round(value: Fraction, places: int) -> Decimal:
    """An independent half-up rounding: Decimal at 200 digits, then quantize."""
    with decimal.localcontext() as ctx:
        ctx.prec = 200
        exact = D(value.numerator) / D(value.denominator)
        return exact.quantize(D(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _key(category: VatCategory, rate: Decimal | None) -> tuple[VatCategory, Decimal | None]:
    return totals.vat_key(category, rate)


@settings(max_examples=300, deadline=None)
@given(documents())
def test_en16931_identities_hold(doc):
    result = totals.compute(doc)
    currency = doc.currency
    places = money.exponent(currency)

    # every BT-131 is round(quantity × price ÷ base) + charges − allowances
    for amount, item in zip(result.line_net_amounts, doc.lines, strict=True):
        product = (
            Fraction(item.quantity) * Fraction(item.net_price) / Fraction(item.price_base_quantity)
        )
        expected = (
            _oracle_round(product, places)
            + sum((c.amount for c in item.charges), D(0))
            - sum((a.amount for a in item.allowances), D(0))
        )
        assert amount == expected

    assert result.sum_of_lines == sum(result.line_net_amounts, D(0))  # BR-CO-10
    assert result.allowances == sum((a.amount for a in doc.allowances), D(0))  # BR-CO-11
    assert result.charges == sum((c.amount for c in doc.charges), D(0))  # BR-CO-12
    assert result.without_vat == result.sum_of_lines - result.allowances + result.charges  # CO-13
    assert result.vat == sum((b.tax for b in result.vat_breakdown), D(0))  # BR-CO-14
    assert result.with_vat == result.without_vat + result.vat  # BR-CO-15
    assert result.due == result.with_vat - result.prepaid + result.rounding  # BR-CO-16
    assert result.prepaid == doc.prepaid
    assert result.rounding == doc.rounding_amount
    assert sum((b.taxable for b in result.vat_breakdown), D(0)) == result.without_vat

    # every amount is written at exactly the currency's minor unit
    amounts = [
        *result.line_net_amounts,
        result.sum_of_lines,
        result.allowances,
        result.charges,
        result.without_vat,
        result.vat,
        result.with_vat,
        result.prepaid,
        result.rounding,
        result.due,
    ]
    amounts += [b.taxable for b in result.vat_breakdown] + [b.tax for b in result.vat_breakdown]
    for amount in amounts:
        assert amount.as_tuple().exponent == -places
    for text in totals.as_bt_dict(result).values():
        assert len(text.partition(".")[2]) == places

    # BR-S-08 & co: BT-116 per category and rate; BR-S-09 & co: BT-117 = round(BT-116 × rate)
    keys = [_key(b.category, b.rate) for b in result.vat_breakdown]
    assert len(keys) == len(set(keys))
    used = {_key(i.vat_category, i.vat_rate) for i in (*doc.lines, *doc.allowances, *doc.charges)}
    assert set(keys) == used
    for b in result.vat_breakdown:
        key = _key(b.category, b.rate)
        expected_taxable = (
            sum(
                (
                    amount
                    for amount, item in zip(result.line_net_amounts, doc.lines, strict=True)
                    if _key(item.vat_category, item.vat_rate) == key
                ),
                D(0),
            )
            - sum(
                (a.amount for a in doc.allowances if _key(a.vat_category, a.vat_rate) == key), D(0)
            )
            + sum((c.amount for c in doc.charges if _key(c.vat_category, c.vat_rate) == key), D(0))
        )
        assert b.taxable == expected_taxable
        if b.category in {S, L, M}:
            assert b.tax == _oracle_round(Fraction(b.taxable) * Fraction(b.rate) / 100, places)
        else:
            assert b.tax == 0

    # sorted by category (S, Z, E, AE, K, G, O, L, M), then rate descending
    order = [
        (totals.CATEGORY_ORDER.index(b.category), -(b.rate or D(0))) for b in result.vat_breakdown
    ]
    assert order == sorted(order)


@settings(max_examples=50, deadline=None)
@given(documents())
def test_compute_is_deterministic_and_independent_of_the_decimal_context(doc):
    first = totals.compute(doc)
    with decimal.localcontext() as ctx:
        ctx.prec = 5
        ctx.rounding = decimal.ROUND_FLOOR
        second = totals.compute(doc)
    assert first == second
