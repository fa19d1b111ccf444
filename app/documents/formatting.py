"""Numbers, amounts, dates and names as a reader of the document's language expects them.

Everything goes through Babel (CLDR data). English documents use ``en_GB``:
the customers of a European sole proprietor read day-month-year dates
("2 November 2026", never the US month-first order) and pay in euros, and the
numbers look the same as in ``en_US`` (1,234.50).
"""

from datetime import date
from decimal import Decimal
from functools import cache, lru_cache

from babel import Locale
from babel.dates import format_date
from babel.numbers import NumberPattern, format_currency, format_percent, parse_pattern

from app import money
from app.domain import rules

LOCALES = {"en": "en_GB", "de": "de_DE", "fr": "fr_FR"}


@cache
def _pattern(min_places: int, max_places: int) -> NumberPattern:
    """A grouped decimal pattern with between ``min_places`` and ``max_places`` decimals."""
    decimals = "0" * min_places + "#" * (max_places - min_places)
    return parse_pattern("#,##0" + (f".{decimals}" if decimals else ""))


@cache
def _locale(language: str) -> Locale:
    return Locale.parse(LOCALES[language])


# Babel takes tens of microseconds per number and an invoice repeats many (the
# VAT rate on every line, quantities, prices), so results are remembered. The key
# is the number as written: 19 and 19.00 are equal Decimals but could print
# differently, and the output must not depend on what was formatted before.


@lru_cache(maxsize=4096)
def _decimal(language: str, min_places: int, max_places: int, value: str) -> str:
    return _pattern(min_places, max_places).apply(Decimal(value), _locale(language))


@lru_cache(maxsize=256)
def _percent(language: str, rate: str) -> str:
    return format_percent(
        Decimal(rate).scaleb(-2), locale=_locale(language), decimal_quantization=False
    )


class Formatter:
    """Formats values for one language; cheap to share, holds no per-document state."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.locale = _locale(language)

    def money(self, amount: Decimal, currency: str) -> str:
        """An amount with its currency, as in the totals: ``1.234,50 €``, ``€1,234.50``."""
        return format_currency(amount, currency, locale=self.locale)

    def amount(self, amount: Decimal, currency: str) -> str:
        """An amount without the currency sign, with the currency's decimals: ``1.234,50``."""
        places = money.exponent(currency)
        return _decimal(self.language, places, places, str(amount))

    def price(self, amount: Decimal, currency: str) -> str:
        """A unit price: the currency's decimals at least, more when the price has them."""
        places = money.exponent(currency)
        return _decimal(self.language, places, max(places, rules.MAX_PRICE_PLACES), str(amount))

    def quantity(self, value: Decimal) -> str:
        """A quantity with as many decimals as it has: ``1.000``, ``2,5``."""
        return _decimal(self.language, 0, rules.MAX_QUANTITY_PLACES, str(value))

    def percent(self, rate: Decimal) -> str:
        """A VAT rate given in percent (``Decimal("7.5")``) in the locale's percent style."""
        return _percent(self.language, str(rate))

    def date(self, value: date) -> str:
        return format_date(value, "long", locale=self.locale)

    def country(self, code: str) -> str:
        """The country's name in this language (the code itself if CLDR has no name for it)."""
        return self.locale.territories.get(code, code)


@cache
def formatter(language: str) -> Formatter:
    return Formatter(language)


def group_iban(iban: str) -> str:
    """An IBAN in groups of four, as printed on paper: ``DE89 3704 0044 0532 0130 00``."""
    compact = "".join(iban.split()).upper()
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))
