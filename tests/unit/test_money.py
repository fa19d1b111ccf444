"""app.money: currency exponents, the one rounding rule, minor units and strict parsing."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app import money
from app.errors import ValidationError

D = Decimal


@pytest.mark.parametrize(
    ("currency", "places"),
    [
        ("EUR", 2),
        ("USD", 2),
        ("GBP", 2),
        ("CHF", 2),
        ("JPY", 0),
        ("KRW", 0),
        ("BHD", 3),
        ("KWD", 3),
        ("TND", 3),
        ("OMR", 3),
        ("JOD", 3),
    ],
)
def test_exponents_come_from_babel(currency, places):
    assert money.exponent(currency) == places


@pytest.mark.parametrize("code", ["XYZ", "eur", "EURO", "", "DEM", "FRF", "XAU", "XXX", "XTS"])
def test_unknown_historic_and_non_money_codes_are_refused(code):
    with pytest.raises(ValidationError, match=r"^currency: .* is not an ISO 4217 currency$"):
        money.exponent(code)


def test_unknown_currency_message_names_the_code():
    with pytest.raises(ValidationError) as caught:
        money.exponent("XYZ")
    assert str(caught.value) == "currency: 'XYZ' is not an ISO 4217 currency"


@pytest.mark.parametrize("value", [None, 978, b"EUR", ["EUR"]])
def test_exponent_refuses_non_strings(value):
    with pytest.raises(ValidationError, match=r"^currency: "):
        money.exponent(value)


def test_currency_list_is_plausible():
    codes = money.currencies()
    assert {"EUR", "USD", "JPY", "BHD", "CHF", "SEK", "HUF"} <= codes
    assert 140 < len(codes) < 200


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        ("2.345", "EUR", "2.35"),
        ("2.344", "EUR", "2.34"),
        ("2.3449999", "EUR", "2.34"),
        ("0.005", "EUR", "0.01"),
        ("0.004", "EUR", "0.00"),
        ("-2.345", "EUR", "-2.35"),  # half away from zero
        ("-0.005", "EUR", "-0.01"),
        ("-0.004", "EUR", "0.00"),  # no negative zero
        ("2.5", "JPY", "3"),
        ("3.5", "JPY", "4"),  # half-up, not banker's rounding
        ("-2.5", "JPY", "-3"),
        ("1.0005", "BHD", "1.001"),
        ("1.0004", "BHD", "1.000"),
        ("7", "EUR", "7.00"),
        ("123456789012345.675", "EUR", "123456789012345.68"),  # beyond float precision
    ],
)
def test_round_money_is_half_up_to_the_minor_unit(amount, currency, expected):
    result = money.round_money(D(amount), currency)
    assert str(result) == expected


def test_round_money_rounds_exact_fractions_once():
    # 1/3 of a cent under the half: a double rounding (to 3 places, then 2) would say 0.01
    assert money.round_money(Fraction(4999, 1_000_000), "EUR") == D("0.00")
    assert money.round_money(Fraction(1, 200), "EUR") == D("0.01")
    assert money.round_money(Fraction(10, 3), "EUR") == D("3.33")
    assert money.round_money(Fraction(-10, 3), "EUR") == D("-3.33")


def test_round_money_does_not_depend_on_the_decimal_context():
    import decimal

    with decimal.localcontext() as ctx:
        ctx.prec = 3
        ctx.rounding = decimal.ROUND_DOWN
        assert money.round_money(D("123456.785"), "EUR") == D("123456.79")


def test_round_money_refuses_nan():
    with pytest.raises(ValidationError):
        money.round_money(D("NaN"), "EUR")


@pytest.mark.parametrize(
    ("amount", "currency", "minor"),
    [
        ("12.34", "EUR", 1234),
        ("12.3", "EUR", 1230),
        ("12", "EUR", 1200),
        ("-0.01", "EUR", -1),
        ("1500", "JPY", 1500),
        ("1.234", "BHD", 1234),
        ("0", "EUR", 0),
        ("12.340000", "EUR", 1234),
    ],
)
def test_to_and_from_minor(amount, currency, minor):
    assert money.to_minor(D(amount), currency) == minor
    assert money.from_minor(minor, currency) == D(amount)


def test_from_minor_writes_exactly_the_currency_decimals():
    assert str(money.from_minor(1234, "EUR")) == "12.34"
    assert str(money.from_minor(5, "EUR")) == "0.05"
    assert str(money.from_minor(-5, "BHD")) == "-0.005"
    assert str(money.from_minor(1500, "JPY")) == "1500"
    assert str(money.from_minor(0, "EUR")) == "0.00"
    big = 10**30 + 1
    assert money.to_minor(money.from_minor(big, "EUR"), "EUR") == big  # no context rounding


@pytest.mark.parametrize(
    ("amount", "currency"), [("12.345", "EUR"), ("1.5", "JPY"), ("0.0001", "BHD")]
)
def test_to_minor_refuses_amounts_below_the_minor_unit(amount, currency):
    with pytest.raises(ValidationError, match=r"^lines\[0\]\.amount: .* decimals"):
        money.to_minor(D(amount), currency, "lines[0].amount")


def test_to_minor_refuses_non_decimals():
    with pytest.raises(ValidationError):
        money.to_minor(12, "EUR")  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        money.to_minor(D("Infinity"), "EUR")


def test_from_minor_refuses_non_integers():
    with pytest.raises(TypeError):
        money.from_minor(True, "EUR")
    with pytest.raises(TypeError):
        money.from_minor(D(5), "EUR")  # type: ignore[arg-type]


def test_format_plain():
    assert money.format_plain(D("5"), "EUR") == "5.00"
    assert money.format_plain(D("1E+3"), "EUR") == "1000.00"
    assert money.format_plain(D("1500.00"), "JPY") == "1500"


# --------------------------------------------------------------------------- parse_decimal


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12.50", "12.50"),
        ("0", "0"),
        ("-3", "-3"),
        ("007", "7"),
        ("0.000001", "0.000001"),
        ("-0", "0"),
        ("-0.00", "0.00"),
        ("999999999999999.999999", "999999999999999.999999"),
    ],
)
def test_parse_decimal_accepts_plain_numbers(text, expected):
    value = money.parse_decimal(text, "lines[0].quantity")
    assert value == D(expected)
    assert str(value) == expected


def test_parse_decimal_normalises_negative_zero():
    assert not money.parse_decimal("-0.00", "x").is_signed()


@pytest.mark.parametrize("value", [12.5, 12, True, None, D("12.5"), ["12.5"], {"v": "1"}, b"12"])
def test_parse_decimal_refuses_everything_but_strings(value):
    with pytest.raises(ValidationError) as caught:
        money.parse_decimal(value, "lines[0].quantity")
    assert str(caught.value) == (
        'lines[0].quantity: must be a decimal number written as a string, like "12.50"'
    )


@pytest.mark.parametrize(
    "text",
    [
        "1e5",
        "1E5",
        "NaN",
        "nan",
        "Infinity",
        "-Infinity",
        "inf",
        " 1",
        "1 ",
        "+1",
        "1,5",
        "1.",
        ".5",
        "",
        "-",
        "1.2.3",
        "0x10",
        "1_000",
        "١٢",
        "１２",
        "12\n",
        "1/2",
        "--1",
        "1e-2",
        "½",
    ],
)
def test_parse_decimal_refuses_odd_spellings(text):
    with pytest.raises(ValidationError, match=r"^lines\[0\]\.net_price: .*not a decimal number"):
        money.parse_decimal(text, "lines[0].net_price")


def test_parse_decimal_refuses_too_many_digits():
    with pytest.raises(ValidationError, match=r"^amount: the number is too large \(more than 15"):
        money.parse_decimal("1" + "0" * 15, "amount")
    assert money.parse_decimal("0000000000000000001", "amount") == 1  # leading zeros are not size
    with pytest.raises(ValidationError, match=r"^amount: the number is too long"):
        money.parse_decimal("1" * 100, "amount")


def test_parse_decimal_refuses_too_many_decimals():
    with pytest.raises(
        ValidationError, match=r"^prepaid: at most 2 decimals are allowed, '1.234' has 3"
    ):
        money.parse_decimal("1.234", "prepaid", max_places=2)
    with pytest.raises(ValidationError, match=r"^prepaid: must be a whole number"):
        money.parse_decimal("1.0", "prepaid", max_places=0)


def test_parse_decimal_range():
    with pytest.raises(ValidationError, match=r"^vat_rate: must be at least 0"):
        money.parse_decimal("-1", "vat_rate", minimum=D(0))
    with pytest.raises(ValidationError, match=r"^vat_rate: must be at most 100"):
        money.parse_decimal("100.01", "vat_rate", maximum=D(100))
    assert money.parse_decimal("100", "vat_rate", minimum=D(0), maximum=D(100)) == 100


# --------------------------------------------------------------------------- properties

currencies = st.sampled_from(["EUR", "JPY", "BHD", "USD", "OMR", "KWD", "ISK"])


@given(minor=st.integers(min_value=-(10**20), max_value=10**20), currency=currencies)
def test_minor_units_round_trip(minor, currency):
    assert money.to_minor(money.from_minor(minor, currency), currency) == minor


@given(minor=st.integers(min_value=-(10**17), max_value=10**17), currency=currencies)
def test_from_minor_of_to_minor_is_identity(minor, currency):
    amount = money.from_minor(minor, currency)
    assert money.from_minor(money.to_minor(amount, currency), currency) == amount
    assert money.round_money(amount, currency) == amount


@given(
    numerator=st.integers(min_value=-(10**18), max_value=10**18),
    denominator=st.integers(min_value=1, max_value=10**6),
    currency=currencies,
)
def test_round_money_is_the_nearest_minor_unit_ties_away_from_zero(
    numerator, denominator, currency
):
    exact = Fraction(numerator, denominator)
    rounded = Fraction(money.round_money(exact, currency))
    unit = Fraction(1, 10 ** money.exponent(currency))
    assert (rounded / unit).denominator == 1
    assert abs(rounded - exact) <= unit / 2
    if abs(rounded - exact) == unit / 2:
        assert abs(rounded) > abs(exact)


@given(
    st.decimals(
        allow_nan=False,
        allow_infinity=False,
        places=6,
        min_value=D("-999999999999999"),
        max_value=D("999999999999999"),
    )
)
def test_parse_decimal_reads_what_format_writes(value):
    assert money.parse_decimal(format(value, "f"), "x") == value


@given(st.text(max_size=30))
def test_parse_decimal_never_raises_anything_else(text):
    try:
        money.parse_decimal(text, "x")
    except ValidationError as error:
        assert str(error).startswith("x: ")
