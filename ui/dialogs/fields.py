"""Small form helpers shared by the document dialogs: numbers, money, dates, messages.

Amounts are formatted by Babel for the user's locale (never through float); what
the user types is parsed into :class:`~decimal.Decimal` as written, accepting a
decimal comma as well as a point.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from babel.numbers import format_currency, format_decimal
from PySide6.QtCore import QDate, QLocale
from PySide6.QtWidgets import QCheckBox, QDateEdit, QHBoxLayout, QWidget

from app.domain.unit_codes import UNIT_NAMES

VAT_CATEGORIES = ("S", "Z", "E", "AE", "K", "G", "O", "L", "M")


def locale_name() -> str:
    """The user's locale for Babel (``de_DE``); English when Qt reports the C locale."""
    name = QLocale().name()
    return "en_US" if name in ("C", "") else name


def format_money(amount: Decimal, currency: str) -> str:
    return format_currency(amount, currency, locale=locale_name())


def format_number(value: Decimal) -> str:
    """A quantity or rate as the user's locale writes it, all its decimals kept."""
    return format_decimal(value, locale=locale_name(), decimal_quantization=False)


def plain(value: Decimal | None) -> str:
    """A Decimal as the text of an input field (``12.5``); empty for None."""
    return "" if value is None else format(value, "f")


def parse_number(text: str) -> Decimal | None:
    """``12.50``, ``12,50`` or ``1 200`` as a Decimal; None when it is not a number."""
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "")
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    if not cleaned or cleaned.lower().lstrip("+-") in ("nan", "inf", "infinity", "snan"):
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value if "e" not in cleaned.lower() else None


def to_qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def show_date(value: date) -> str:
    """A date as the user's locale writes it (the PDF says it in the document's language)."""
    return QLocale().toString(to_qdate(value), QLocale.FormatType.ShortFormat)


def from_qdate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def date_edit(parent: QWidget, value: date | None = None) -> QDateEdit:
    edit = QDateEdit(parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(QLocale().dateFormat(QLocale.FormatType.ShortFormat))
    edit.setDate(to_qdate(value or date.today()))
    return edit


def unit_label(code: str) -> str:
    name = UNIT_NAMES.get(code)
    return f"{name} ({code})" if name else code


class OptionalDate(QWidget):
    """A date that may be left out: a check box that enables the date beside it."""

    def __init__(self, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.check = QCheckBox(label, self)
        self.edit = date_edit(self)
        self.edit.setEnabled(False)
        self.check.toggled.connect(self.edit.setEnabled)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.check)
        row.addWidget(self.edit)
        row.addStretch(1)

    def value(self) -> date | None:
        return from_qdate(self.edit.date()) if self.check.isChecked() else None

    def set_value(self, value: date | None) -> None:
        self.check.setChecked(value is not None)
        if value is not None:
            self.edit.setDate(to_qdate(value))
