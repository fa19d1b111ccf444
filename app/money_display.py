"""Amounts as a person reads them in a list: grouped, in their locale, with the currency.

Formatting only: the amount is built exactly by :func:`app.money.from_minor` and
handed to Babel, so no arithmetic happens here either.
"""

from decimal import Decimal
from functools import cache, lru_cache

from babel.core import Locale, UnknownLocaleError
from babel.numbers import format_currency

from app.money import from_minor

FALLBACK_LOCALE = "en"


@cache
def _locale(name: str) -> Locale:
    """``name`` as a Babel locale ("de_DE", "fr"); English for what Babel does not know ("C")."""
    try:
        return Locale.parse(name or FALLBACK_LOCALE)
    except (ValueError, UnknownLocaleError):
        return Locale.parse(FALLBACK_LOCALE)


@lru_cache(maxsize=8192)  # a list repaints often; the same few thousand amounts come back
def format_minor(minor: int, currency: str, locale: str = FALLBACK_LOCALE) -> str:
    """``minor`` units of ``currency`` for display: ``format_minor(123450, "EUR", "de_DE")``
    is ``"1.234,50 €"``."""
    return format_currency(from_minor(minor, currency), currency, locale=_locale(locale))


def format_amount(amount: Decimal, currency: str, locale: str = FALLBACK_LOCALE) -> str:
    """A price that may have more decimals than the currency (a unit price of 0.125 EUR):
    at least the currency's decimals, and every decimal it has."""
    return format_currency(amount, currency, locale=_locale(locale), decimal_quantization=False)
