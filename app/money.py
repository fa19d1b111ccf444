"""Money as :class:`~decimal.Decimal`: currency exponents, the one rounding rule, strict parsing.

An amount is stored as integer minor units plus an ISO 4217 code (DESIGN.md §1);
in Python it is a ``Decimal`` with exactly the currency's number of decimals.
Rounding happens in one place, :func:`round_money`, half-up (half away from zero)
to the currency's minor unit, computed exactly on integers so that no context
precision and no intermediate rounding can change a cent. No float anywhere.

Currencies are the ISO 4217 codes that Babel (CLDR) knows and that are legal
tender somewhere today; historical codes (DEM, FRF ...) and the non-money codes
(XAU, XDR, XTS, XXX ...) are refused. Exponents are CLDR's
(``babel.numbers.get_currency_precision``), which for a few currencies differ from
the ISO 4217 table (IQD, ALL, RSD ... have 0 decimals in CLDR).
"""

import re
from decimal import Decimal
from fractions import Fraction
from functools import cache

from babel.core import get_global
from babel.numbers import get_currency_precision, list_currencies

from app.errors import ValidationError

#: Largest number of digits before the decimal point any amount, quantity or rate may have.
MAX_INTEGER_DIGITS = 15

_CURRENCY_SHAPE = re.compile(r"[A-Z]{3}")
_DECIMAL_SHAPE = re.compile(r"-?([0-9]+)(?:\.([0-9]+))?")
_MAX_TEXT = 64  # longest decimal string looked at: 15 digits, a point and the decimals


@cache
def currencies() -> frozenset[str]:
    """The ISO 4217 codes accepted: known to Babel and legal tender in some territory now.

    "Now" means: CLDR lists the currency for a territory with no end date, so the
    answer depends only on the installed Babel data, never on today's date.
    """
    known = list_currencies()
    current = {
        code
        for entries in get_global("territory_currencies").values()
        for code, _start, end, tender in entries
        if end is None and tender
    }
    return frozenset(current & known)


def exponent(currency: object) -> int:
    """Number of decimals of the currency's minor unit (EUR 2, JPY 0, BHD 3).

    Raises :class:`ValidationError` ``currency: 'XYZ' is not an ISO 4217 currency``
    for anything else (callers may prefix the field).
    """
    if not isinstance(currency, str) or not _CURRENCY_SHAPE.fullmatch(currency):
        shown = repr(currency)[:20]
        raise ValidationError(f"currency: {shown} is not an ISO 4217 currency")
    if currency not in currencies():
        raise ValidationError(f"currency: {currency!r} is not an ISO 4217 currency")
    return get_currency_precision(currency)


def _from_scaled(minor: int, places: int) -> Decimal:
    """``minor × 10^-places`` as a Decimal, built exactly (no context rounding)."""
    sign = 1 if minor < 0 else 0
    digits = tuple(int(d) for d in str(abs(minor)))
    return Decimal((sign, digits, -places))


def round_money(amount: Decimal | Fraction | int, currency: str) -> Decimal:
    """Round ``amount`` half-up (half away from zero) to the currency's minor unit.

    The one place rounding happens. ``amount`` may be an exact :class:`Fraction`
    (a quotient such as quantity × price ÷ base quantity), so the rounding is
    always of the true value, never of an already rounded intermediate.
    """
    places = exponent(currency)
    if isinstance(amount, Decimal) and not amount.is_finite():
        raise ValidationError(f"amount: {amount} is not a number")
    exact = Fraction(amount) * 10**places
    quotient, remainder = divmod(abs(exact.numerator), exact.denominator)
    if 2 * remainder >= exact.denominator:
        quotient += 1
    return _from_scaled(-quotient if exact < 0 else quotient, places)


def is_at_minor_unit(amount: Decimal, currency: str) -> bool:
    """True when ``amount`` has no digits below the currency's minor unit (1.50 EUR, not 1.505)."""
    if not amount.is_finite():
        return False
    return (Fraction(amount) * 10 ** exponent(currency)).denominator == 1


def to_minor(amount: Decimal, currency: str, field: str = "amount") -> int:
    """The amount in integer minor units (12.34 EUR → 1234); refuses 12.345 EUR."""
    if not isinstance(amount, Decimal) or not is_at_minor_unit(amount, currency):
        places = exponent(currency)
        raise ValidationError(
            f"{field}: {currency} amounts have {places} decimals at most, not {amount}"
        )
    scaled = Fraction(amount) * 10 ** exponent(currency)
    return scaled.numerator


def from_minor(minor: int, currency: str) -> Decimal:
    """The amount of ``minor`` units with exactly the currency's decimals (1234 → 12.34)."""
    if isinstance(minor, bool) or not isinstance(minor, int):
        raise TypeError("minor units must be an int")
    return _from_scaled(minor, exponent(currency))


def quantize_money(amount: Decimal, currency: str, field: str = "amount") -> Decimal:
    """An amount already at the minor unit, written with exactly the currency's decimals.

    ``Decimal("5")`` in EUR becomes ``Decimal("5.00")``; ``5.001`` is refused, not rounded.
    """
    return from_minor(to_minor(amount, currency, field), currency)


def format_plain(amount: Decimal, currency: str) -> str:
    """The amount as plain text with the currency's decimals, no grouping: ``"1234.50"``."""
    return format(quantize_money(amount, currency), "f")


def parse_decimal(
    text: object,
    field: str,
    *,
    max_digits: int = MAX_INTEGER_DIGITS,
    max_places: int = 6,
    minimum: Decimal | None = None,
    maximum: Decimal | None = None,
) -> Decimal:
    """A Decimal from a string such as ``"12.50"`` or ``"-3"``; refusals name ``field``.

    Only ``str`` is accepted: JSON numbers (ints, floats, bools) are refused so that
    no binary fraction ever touches an amount (DESIGN.md §4). Refused too: NaN and
    Infinity, exponent notation, a leading ``+``, whitespace, a decimal comma, a
    bare ``.5`` or ``5.``, more than ``max_digits`` digits before the point and
    more than ``max_places`` after it, and values outside ``minimum``/``maximum``.
    """
    example = 'like "12.50"'
    if not isinstance(text, str):
        raise ValidationError(f"{field}: must be a decimal number written as a string, {example}")
    if len(text) > _MAX_TEXT:
        raise ValidationError(f"{field}: the number is too long ({len(text)} characters)")
    match = _DECIMAL_SHAPE.fullmatch(text)
    if match is None:
        raise ValidationError(
            f"{field}: {text!r} is not a decimal number; write it with digits and a point, "
            f"{example}"
        )
    integer_part, fraction_part = match.group(1), match.group(2) or ""
    if len(integer_part.lstrip("0")) > max_digits:
        raise ValidationError(f"{field}: the number is too large (more than {max_digits} digits)")
    if fraction_part and max_places == 0:
        raise ValidationError(f"{field}: must be a whole number, not {text!r}")
    if len(fraction_part) > max_places:
        raise ValidationError(
            f"{field}: at most {max_places} decimals are allowed, {text!r} has {len(fraction_part)}"
        )
    value = Decimal(text)
    if value.is_zero():
        value = value.copy_abs()  # "-0" and "-0.00" are zero, not negative zero
    if minimum is not None and value < minimum:
        raise ValidationError(f"{field}: must be at least {minimum}, not {text}")
    if maximum is not None and value > maximum:
        raise ValidationError(f"{field}: must be at most {maximum}, not {text}")
    return value
