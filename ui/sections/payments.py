"""The Payments section: money received, newest first, with the invoice it settled."""

from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QWidget

from app.money_display import format_minor
from app.services import invoicing
from app.services.session import Session
from app.store.payments import PaymentLine
from ui.context import AppContext
from ui.models.keyset_model import Column, KeysetModel, cursor_after
from ui.sections.documents import short_date
from ui.sections.list_section import PAGE_SIZE, ListSection

if TYPE_CHECKING:
    from ui.vault_window import VaultWindow

ORDER = 40


def fetch_page(
    session: Session, _query: None, after: tuple[str, int] | None
) -> tuple[list[PaymentLine], tuple[str, int] | None]:
    """One page of payments, newest first (on the worker thread)."""
    rows = invoicing.list_payment_lines(session, after=after, limit=PAGE_SIZE)
    return rows, cursor_after(rows, PAGE_SIZE, lambda p: (p.paid_on, p.id))


class PaymentsSection(ListSection):
    RELOAD_ON = ("documents", "payments")

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.locale = QLocale().name()
        methods = {
            "bank_transfer": self.tr("Bank transfer"),
            "card": self.tr("Card"),
            "cash": self.tr("Cash"),
            "cheque": self.tr("Cheque"),
            "direct_debit": self.tr("Direct debit"),
            "other": self.tr("Other"),
        }
        columns = [
            Column(self.tr("Received"), lambda p: short_date(p.paid_on)),
            Column(self.tr("Invoice"), lambda p: p.number),
            Column(self.tr("Client"), lambda p: p.buyer, tooltip=lambda p: p.buyer),
            Column(self.tr("Method"), lambda p: methods.get(p.method, p.method)),
            Column(self.tr("Reference"), lambda p: p.reference, tooltip=lambda p: p.reference),
            Column(self.tr("Amount"), self._amount, right=True),
        ]
        self.setup(self.tr("Payments"), KeysetModel(context, fetch_page, columns, None))
        self.set_columns([11, 14, 30, 14, 20, 14], stretch=2)

    def _amount(self, payment: PaymentLine) -> str:
        return format_minor(payment.amount_minor, payment.currency, self.locale)

    def with_search(self, _text: str) -> None:
        return None

    def open_row(self, row: PaymentLine) -> None:
        self.context.open_document.emit(row.document_id)

    def empty_text(self, _searching: bool) -> str:
        return self.tr(
            "No payments yet. When a client pays, open the invoice and record the payment; "
            "it then appears here."
        )


def make(context: AppContext, _window: "VaultWindow") -> list[tuple[QWidget, str]]:
    section = PaymentsSection(context)
    return [(section, section.name())]
