"""A small dialog to add an item to the catalogue: what it is, its unit, price and VAT."""

from decimal import Decimal

from PySide6.QtWidgets import (
    QComboBox,
    QLineEdit,
    QWidget,
)

from app import money
from app.domain.model import Item, VatCategory
from app.errors import ValidationError
from app.services import items
from ui.context import AppContext
from ui.dialogs.client_dialog import COMMON_CURRENCIES
from ui.form import FormDialog
from ui.operations import show_failure
from ui.widgets import show_message
from ui.worker import Failure


def unit_names(widget: QWidget) -> dict[str, str]:
    """The UN/ECE units a sole proprietor bills in, by code, in words."""
    return {
        "HUR": widget.tr("hour"),
        "DAY": widget.tr("day"),
        "C62": widget.tr("piece"),
        "MON": widget.tr("month"),
        "KMT": widget.tr("kilometre"),
        "KGM": widget.tr("kilogram"),
        "LS": widget.tr("flat rate"),
    }


class ItemDialog(FormDialog):
    """Add a catalogue item; accepted once saved."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle(self.tr("New item"))
        self.description = QLineEdit(self)
        self.unit = QComboBox(self)
        for code, label in unit_names(self).items():
            self.unit.addItem(label, code)
        self.price = QLineEdit(self)
        self.price.setPlaceholderText(self.tr("net, before VAT, e.g. 95.00"))
        self.currency = QComboBox(self)
        for code in (*COMMON_CURRENCIES, *sorted(money.currencies() - set(COMMON_CURRENCIES))):
            self.currency.addItem(code, code)
        self.vat = QLineEdit("19", self)
        self.vat.setPlaceholderText(self.tr("percent, e.g. 19; 0 for no VAT"))
        self.fields: dict[str, QWidget] = {
            "description": self.description,
            "unit": self.unit,
            "net_price": self.price,
            "currency": self.currency,
            "vat_rate": self.vat,
        }
        self.build_form(
            self.fields,
            (
                ("description", self.tr("&Description:")),
                ("unit", self.tr("&Unit:")),
                ("net_price", self.tr("&Price per unit:")),
                ("currency", self.tr("&Currency:")),
                ("vat_rate", self.tr("&VAT %:")),
            ),
        )
        self.description.setFocus()

    def _number(self, key: str, text: str) -> Decimal | None:
        """The number typed in a field (a decimal comma is fine), or None after saying why."""
        try:
            return money.parse_decimal(text.strip().replace(",", "."), key)
        except ValidationError:
            self._show_error(key, self.tr("Please enter a number, like 95.00."))
            return None

    def save(self) -> None:
        for label in (*self.errors.values(), self.general_error):
            show_message(label, "")
        if not self.description.text().strip():
            self._show_error("description", self.tr("Please describe the item."))
            return
        price = self._number("net_price", self.price.text())
        rate = self._number("vat_rate", self.vat.text() or "0")
        if price is None or rate is None:
            return
        category = VatCategory.STANDARD if rate else VatCategory.ZERO
        item = Item(
            self.description.text().strip(),
            self.unit.currentData(),
            price,
            self.currency.currentData(),
            category,
            rate,
        )
        self.save_button.setEnabled(False)
        self.context.act(
            self,
            self.tr("Saving the item…"),
            items.create_item,
            item,
            on_success=lambda _id: self.accept(),
            on_failure=self._failed,
            changes="items",
            quiet_failure=True,
        )

    def _failed(self, failure: Failure) -> None:
        self.save_button.setEnabled(True)
        if not failure.expected:
            show_failure(self, failure)
            return
        head, sep, text = failure.message.partition(": ")
        key = head.rpartition(".")[2] if sep and head.startswith("item") else ""
        self._show_error(key, (text[:1].upper() + text[1:]) if key else failure.message)

    def _show_error(self, key: str, text: str) -> None:
        show_message(self.errors.get(key, self.general_error), text)
        self.fields.get(key, self.description).setFocus()
