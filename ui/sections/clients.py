"""The Clients section: who is invoiced, searchable; add one or change one in a small dialog."""

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from app.services import clients
from app.services.session import Session
from app.store.clients import Client
from ui.context import AppContext
from ui.dialogs.client_dialog import ClientDialog, territory_names
from ui.models.keyset_model import Column, KeysetModel, cursor_after
from ui.sections.list_section import PAGE_SIZE, ListSection

if TYPE_CHECKING:
    from ui.vault_window import VaultWindow

ORDER = 50


def fetch_page(
    session: Session, search: str, after: tuple[str, int] | None
) -> tuple[list[Client], tuple[str, int] | None]:
    """One page of clients in name order (on the worker thread)."""
    rows = clients.list_clients(session, search=search, after=after, limit=PAGE_SIZE)
    return rows, cursor_after(rows, PAGE_SIZE, lambda c: (c.name, c.id))


class ClientsSection(ListSection):
    RELOAD_ON = ("clients",)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        countries = territory_names()
        columns = [
            Column(self.tr("Name"), lambda c: c.name, tooltip=lambda c: c.name),
            Column(self.tr("City"), lambda c: c.city),
            Column(self.tr("Country"), lambda c: countries.get(c.country, c.country)),
            Column(self.tr("VAT ID"), lambda c: c.vat_id),
            Column(self.tr("E-mail"), lambda c: c.email),
            Column(self.tr("Currency"), lambda c: c.currency),
            Column(self.tr("Pays within"), self._days, right=True),
        ]
        self.setup(
            self.tr("Clients"),
            KeysetModel(context, fetch_page, columns, ""),
            search_hint=self.tr("Search by name, city, VAT ID or e-mail…"),
            new_label=self.tr("&New client"),
        )
        self.set_columns([32, 16, 14, 16, 26, 9, 11], stretch=0)

    def _days(self, client: Client) -> str:
        if client.payment_days == 0:
            return self.tr("on receipt")
        if client.payment_days == 1:
            return self.tr("1 day")
        return self.tr("{0} days").format(client.payment_days)

    def with_search(self, text: str) -> str:
        return text

    def create(self) -> None:
        ClientDialog(self.context, None, self).open()

    def open_row(self, row: Client) -> None:
        ClientDialog(self.context, row, self).open()

    def empty_text(self, searching: bool) -> str:
        if searching:
            return self.tr("No client matches this search.")
        return self.tr(
            "No clients yet. Click “New client” (Ctrl+N) to add the first person or "
            "company you work for."
        )


def make(context: AppContext, _window: "VaultWindow") -> list[tuple[QWidget, str]]:
    section = ClientsSection(context)
    return [(section, section.name())]
