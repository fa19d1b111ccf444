"""The Invoices, Quotes and Credit notes sections: one list class for each document type.

Search-as-you-type uses the documents' full-text index; the status filter and the
header clicks map onto what :class:`app.store.documents.ListQuery` offers, so every
page stays one keyset query however long the list is.
"""

from dataclasses import replace
from functools import cache
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtWidgets import QComboBox, QLabel, QMessageBox, QPushButton, QWidget

from app.money_display import format_minor
from app.services import invoicing
from app.services.session import Session
from app.store.documents import ListQuery, Summary
from ui.context import AppContext
from ui.dialogs.export_period import ExportPeriodDialog
from ui.models.keyset_model import Column, KeysetModel
from ui.sections.list_section import PAGE_SIZE, ListSection

if TYPE_CHECKING:
    from ui.vault_window import VaultWindow

ORDER = 20

# Header click → the sorts of documents.SORTS it cycles through (each has an index).
SORTS_BY_COLUMN = {
    "number": ("number_desc",),
    "date": ("date_desc", "date_asc"),
    "due": ("due_asc",),
    "total": ("total_desc",),
}
DESCENDING = {"number_desc", "date_desc", "total_desc"}


def fetch_page(
    session: Session, query: ListQuery, after: tuple[object, int] | None
) -> tuple[list[Summary], tuple[object, int] | None]:
    """One page of documents (on the worker thread)."""
    return invoicing.list_documents(session, replace(query, after=after))


@cache
def short_date(iso: str) -> str:
    """An ISO date as the user's locale writes it with a month name ("5 Mar 2026")."""
    if not iso:
        return ""
    return QLocale().toString(QDate.fromString(iso, Qt.DateFormat.ISODate), "d MMM yyyy")


class DocumentsSection(ListSection):
    RELOAD_ON = ("documents", "payments", "clients")

    def __init__(self, context: AppContext, doc_type: str, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.doc_type = doc_type
        self.locale = QLocale().name()
        heading, new_label, self.statuses = self._texts(doc_type)
        self.keys = ["number", "date", "due", "client", "status", "total"]
        columns = [
            Column(self.tr("Number"), self._number),
            Column(self.tr("Date"), lambda s: short_date(s.issue_date)),
            Column(self.tr("Due"), lambda s: short_date(s.due_date or "")),
            Column(self.tr("Client"), lambda s: s.buyer, tooltip=lambda s: s.buyer),
            Column(self.tr("Status"), self._status, bold=lambda s: s.overdue),
            Column(self.tr("Total"), self._total, right=True),
        ]
        if doc_type == "invoice":
            self.keys.append("outstanding")
            columns.append(Column(self.tr("Still to pay"), self._outstanding, right=True))
        model = KeysetModel(
            context, fetch_page, columns, ListQuery(doc_type=doc_type, limit=PAGE_SIZE)
        )
        self.setup(
            heading,
            model,
            search_hint=self.tr("Search by client, number or text…"),
            new_label=new_label,
        )
        self.filter = QComboBox(self)
        self.filter.setAccessibleName(self.tr("Show"))
        for label, status in self.statuses:
            self.filter.addItem(label, status)
        self.filter.currentIndexChanged.connect(self.reload)
        show = QLabel(self.tr("&Show:"), self)
        show.setBuddy(self.filter)
        self.tools.insertWidget(1, show)
        self.tools.insertWidget(2, self.filter)
        self.export_button = QPushButton(self.tr("E&xport a period…"), self)
        self.export_button.setToolTip(
            self.tr("Save every invoice and credit note of a period into a folder")
        )
        self.export_button.clicked.connect(self.export_period)
        self.export_button.setVisible(doc_type != "quote")
        self.tools.addWidget(self.export_button)
        self.setTabOrder(self.search, self.filter)
        self.setTabOrder(self.filter, self.new_button)
        self.setTabOrder(self.new_button, self.export_button)
        self.setTabOrder(self.export_button, self.table)

        header = self.table.horizontalHeader()
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.sectionClicked.connect(self._header_clicked)
        self._show_sort()
        self.set_columns([12, 11, 11, 30, 12, 14, 14][: len(columns)], stretch=3)

    def _texts(self, doc_type: str) -> tuple[str, str, list[tuple[str, str | None]]]:
        everything = (self.tr("All"), None)
        drafts = (self.tr("Drafts"), "draft")
        cancelled = (self.tr("Cancelled"), "cancelled")
        if doc_type == "quote":
            return (
                self.tr("Quotes"),
                self.tr("&New quote"),
                [
                    everything,
                    drafts,
                    (self.tr("Sent"), "issued"),
                    (self.tr("Accepted"), "converted"),
                    cancelled,
                ],
            )
        if doc_type == "credit_note":
            return self.tr("Credit notes"), "", [everything, drafts, (self.tr("Issued"), "issued")]
        return (
            self.tr("Invoices"),
            self.tr("&New invoice"),
            [
                everything,
                drafts,
                (self.tr("Unpaid"), "open"),
                (self.tr("Overdue"), "overdue"),
                (self.tr("Partly paid"), "partially_paid"),
                (self.tr("Paid"), "paid"),
                cancelled,
            ],
        )

    # -- cells --------------------------------------------------------------------------

    def _number(self, summary: Summary) -> str:
        return summary.number or self.tr("Draft")

    def _total(self, summary: Summary) -> str:
        return format_minor(summary.total_minor, summary.currency, self.locale)

    def _outstanding(self, summary: Summary) -> str:
        if summary.status in ("draft", "paid", "cancelled") or summary.outstanding_minor == 0:
            return ""
        return format_minor(summary.outstanding_minor, summary.currency, self.locale)

    def _status(self, summary: Summary) -> str:
        if summary.overdue:
            return self.tr("Overdue")
        names = {
            "draft": self.tr("Draft"),
            "issued": {"invoice": self.tr("Unpaid"), "quote": self.tr("Sent")}.get(
                self.doc_type, self.tr("Issued")
            ),
            "partially_paid": self.tr("Partly paid"),
            "paid": self.tr("Paid"),
            "cancelled": self.tr("Cancelled"),
            "converted": self.tr("Accepted"),
        }
        return names.get(summary.status, summary.status)

    # -- ListSection --------------------------------------------------------------------

    def with_search(self, text: str) -> ListQuery:
        return replace(self.model.query, search=text, status=self.filter.currentData())

    def open_row(self, row: Summary) -> None:
        if row.status == "draft":
            self.context.edit_document.emit(row.id)
        else:
            self.context.open_document.emit(row.id)

    def export_period(self) -> None:
        dialog = ExportPeriodDialog(self.context, self)
        if dialog.exec() != ExportPeriodDialog.DialogCode.Accepted:
            return
        count = len(dialog.written)
        text = (
            self.tr("1 file written to {0}.")
            if count == 1
            else self.tr("{1} files written to {0}.")
        ).format(dialog.folder.text(), count)
        if count == 0:
            text = self.tr(
                "Nothing new to write: the files were already there, or none was issued."
            )
        QMessageBox.information(self, self.tr("Export a period"), text)

    def create(self) -> None:
        if self.new_button.isVisible():
            self.context.new_document.emit(self.doc_type)

    def empty_text(self, searching: bool) -> str:
        if searching or self.filter.currentData() is not None:
            return self.tr(
                "Nothing matches this search or filter. Clear the search or choose “All”."
            )
        if self.doc_type == "quote":
            return self.tr("No quotes yet. Click “New quote” (Ctrl+N) to write your first one.")
        if self.doc_type == "credit_note":
            return self.tr(
                "No credit notes yet. A credit note corrects or cancels an issued invoice: "
                "open the invoice to make one."
            )
        return self.tr("No invoices yet. Click “New invoice” (Ctrl+N) to write your first one.")

    # -- sorting ------------------------------------------------------------------------

    def _header_clicked(self, column: int) -> None:
        sorts = SORTS_BY_COLUMN.get(self.keys[column])
        if sorts:
            current = self.model.query.sort
            following = (
                sorts[(sorts.index(current) + 1) % len(sorts)] if current in sorts else sorts[0]
            )
            self.model.query = replace(self.model.query, sort=following)
            self.reload()
        self._show_sort()

    def _show_sort(self) -> None:
        """The arrow on the header of the column the list is sorted by."""
        sort = self.model.query.sort
        column = next(i for i, key in enumerate(self.keys) if sort in SORTS_BY_COLUMN.get(key, ()))
        order = Qt.SortOrder.DescendingOrder if sort in DESCENDING else Qt.SortOrder.AscendingOrder
        self.table.horizontalHeader().setSortIndicator(column, order)


def make(context: AppContext, _window: "VaultWindow") -> list[tuple[QWidget, str]]:
    sections = [DocumentsSection(context, t) for t in ("invoice", "quote", "credit_note")]
    return [(section, section.name()) for section in sections]
