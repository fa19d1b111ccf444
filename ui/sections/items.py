"""The Items section: the catalogue that new invoice lines start from."""

from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QWidget

from app.domain.model import Item
from app.money_display import format_amount
from app.services import items
from app.services.session import Session
from ui.context import AppContext
from ui.dialogs.item_dialog import ItemDialog, unit_names
from ui.models.keyset_model import Column, KeysetModel, cursor_after
from ui.sections.list_section import PAGE_SIZE, ListSection

if TYPE_CHECKING:
    from ui.vault_window import VaultWindow

ORDER = 60
CatalogueRow = tuple[int, Item]


def fetch_page(
    session: Session, search: str, after: tuple[str, int] | None
) -> tuple[list[CatalogueRow], tuple[str, int] | None]:
    """One page of the catalogue in description order (on the worker thread)."""
    rows = items.list_items(session, search=search, after=after, limit=PAGE_SIZE)
    return rows, cursor_after(rows, PAGE_SIZE, lambda row: (row[1].description, row[0]))


class ItemsSection(ListSection):
    RELOAD_ON = ("items",)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.locale = QLocale().name()
        units = unit_names(self)
        columns = [
            Column(
                self.tr("Description"),
                lambda r: r[1].description,
                tooltip=lambda r: r[1].description,
            ),
            Column(self.tr("Unit"), lambda r: units.get(r[1].unit, r[1].unit)),
            Column(self.tr("Price per unit"), self._price, right=True),
            Column(self.tr("VAT"), self._vat, right=True),
        ]
        self.setup(
            self.tr("Items"),
            KeysetModel(context, fetch_page, columns, ""),
            search_hint=self.tr("Search the catalogue…"),
            new_label=self.tr("&New item"),
        )
        self.set_columns([40, 12, 16, 8], stretch=0)

    def _price(self, row: CatalogueRow) -> str:
        return format_amount(row[1].net_price, row[1].currency, self.locale)

    def _vat(self, row: CatalogueRow) -> str:
        rate = row[1].vat_rate
        if rate is None:
            return ""
        return f"{rate.normalize():f}".replace(".", QLocale().decimalPoint()) + " %"

    def with_search(self, text: str) -> str:
        return text

    def create(self) -> None:
        ItemDialog(self.context, self).open()

    def empty_text(self, searching: bool) -> str:
        if searching:
            return self.tr("No item matches this search.")
        return self.tr(
            "The catalogue is empty. Click “New item” (Ctrl+N) to save something you sell "
            "often; new invoice lines can then start from it."
        )


def make(context: AppContext, _window: "VaultWindow") -> list[tuple[QWidget, str]]:
    section = ItemsSection(context)
    return [(section, section.name())]
