"""The first screen of the open vault: what clients owe, recent documents, the backup state."""

from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QDateTime, QLocale, Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services import dashboard
from app.services.dashboard import DashboardSummary
from app.store.documents import Summary
from ui.context import AppContext
from ui.sections.base import Section
from ui.widgets import button, paragraph, set_tone, title

if TYPE_CHECKING:
    from ui.vault_window import VaultWindow

ORDER = 10
BACKUPS_MODULE = "ui.sections.backups"


def make(context: AppContext, window: "VaultWindow") -> list[tuple[QWidget, str]]:
    section = DashboardSection(context, window)
    return [(section, section.name())]


class DashboardSection(Section):
    """Reloads each time it is shown and after any change elsewhere."""

    def __init__(self, context: AppContext, window: "VaultWindow") -> None:
        super().__init__(context, window)
        self.window_ = window
        self.new_invoice = button(self.tr("&New invoice"), self)
        self.new_invoice.setToolTip(self.tr("Start a new invoice as a draft"))
        heading = QHBoxLayout()
        heading.addWidget(title(self.tr("Overview"), self))
        heading.addStretch(1)
        heading.addWidget(self.new_invoice)
        self.layout_.addLayout(heading)

        owed = QGroupBox(self.tr("Still to be paid"), self)
        self.totals = QGridLayout(owed)
        self.totals.setColumnStretch(3, 1)
        self.layout_.addWidget(owed)

        recent = QGroupBox(self.tr("Recent documents"), self)
        self.recent = QTreeWidget(recent)
        self.recent.setRootIsDecorated(False)
        self.recent.setUniformRowHeights(True)
        self.recent.setAccessibleName(self.tr("Recent documents"))
        self.recent.setHeaderLabels(
            [self.tr("Number"), self.tr("Client"), self.tr("Date"), self.tr("Total")]
        )
        header = self.recent.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.recent.headerItem().setTextAlignment(3, Qt.AlignmentFlag.AlignRight)
        self.recent.setToolTip(self.tr("Click a document to open it"))
        column = QVBoxLayout(recent)
        column.addWidget(self.recent)
        self.layout_.addWidget(recent, 1)

        backups = QGroupBox(self.tr("Backup"), self)
        self.backup_label = paragraph("", backups)
        self.backup_button = button(self.tr("Make a &backup…"), backups)
        row = QHBoxLayout(backups)
        row.addWidget(self.backup_label, 1)
        row.addWidget(self.backup_button)
        self.layout_.addWidget(backups)

        self.new_invoice.clicked.connect(lambda: context.new_document.emit("invoice"))
        self.recent.itemClicked.connect(self._open)
        self.recent.itemActivated.connect(self._open)
        self.backup_button.clicked.connect(self._backup)
        self.summary: DashboardSummary | None = None

    def name(self) -> str:
        return self.tr("Overview")

    def activate(self) -> None:
        self.context.read(dashboard.summary, QLocale().name(), on_success=self._show)

    def on_changed(self, _what: str) -> None:
        if self.isVisible():
            self.activate()

    def focus_first(self) -> None:
        self.new_invoice.setFocus()

    # -- showing ------------------------------------------------------------------------

    def _show(self, summary: DashboardSummary) -> None:
        self.summary = summary
        self._show_totals(summary)
        self._show_recent(summary.recent)
        self.backup_label.setText(self._backup_text(summary))
        set_tone(self.backup_label, "error" if summary.backup.due else "secondary")

    def _show_totals(self, summary: DashboardSummary) -> None:
        while self.totals.count():
            item = self.totals.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        if not summary.totals:
            self.totals.addWidget(QLabel(self.tr("Every issued invoice is paid."), self), 0, 0)
            return
        for col, text in enumerate((self.tr("Currency"), self.tr("Unpaid"), self.tr("Overdue"))):
            self.totals.addWidget(self._cell(text, bold=True, right=col > 0), 0, col)
        for row, total in enumerate(summary.totals, start=1):
            unpaid = self._invoices(total.unpaid_count)
            self.totals.addWidget(self._cell(total.currency), row, 0)
            self.totals.addWidget(self._cell(f"{total.unpaid}  ({unpaid})", right=True), row, 1)
            if total.overdue_count:
                late = self._invoices(total.overdue_count)
                overdue = self._cell(f"{total.overdue}  ({late})", right=True)
                set_tone(overdue, "error")
            else:
                overdue = self._cell(self.tr("none"), right=True)
                set_tone(overdue, "secondary")
            self.totals.addWidget(overdue, row, 2)

    def _invoices(self, count: int) -> str:
        return self.tr("1 invoice") if count == 1 else self.tr("{0} invoices").format(count)

    def _cell(self, text: str, *, bold: bool = False, right: bool = False) -> QLabel:
        label = QLabel(text, self)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        if bold:
            font = label.font()
            font.setBold(True)
            label.setFont(font)
        if right:
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return label

    def _show_recent(self, recent: list[Summary]) -> None:
        self.recent.clear()
        kinds = {
            "invoice": self.tr("Invoice"),
            "credit_note": self.tr("Credit note"),
            "quote": self.tr("Quote"),
        }
        locale = QLocale()
        for doc in recent:
            kind = kinds.get(doc.type, doc.type)
            number = doc.number or self.tr("{0} (draft)").format(kind)
            issued = QDate.fromString(doc.issue_date, Qt.DateFormat.ISODate)
            when = locale.toString(issued, QLocale.FormatType.ShortFormat)
            total = dashboard.format_amount(doc.total_minor, doc.currency, locale.name())
            item = QTreeWidgetItem([number, doc.buyer, when, total])
            item.setData(0, Qt.ItemDataRole.UserRole, doc.id)
            item.setToolTip(0, kind)
            item.setTextAlignment(3, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.recent.addTopLevelItem(item)

    def _backup_text(self, summary: DashboardSummary) -> str:
        status = summary.backup
        if status.last is None:
            return self.tr("No backup has been made yet: make one now.")
        made = QDateTime.fromString(status.last, Qt.DateFormat.ISODate)
        days = made.secsTo(QDateTime.currentDateTimeUtc()) // 86400
        if days <= 0:
            when = self.tr("today")
        elif days == 1:
            when = self.tr("yesterday")
        else:
            when = self.tr("{0} days ago").format(days)
        if status.due:
            return self.tr("The last backup was made {0}: make a new one.").format(when)
        return self.tr("The last backup was made {0}.").format(when)

    # -- requests -----------------------------------------------------------------------

    def _open(self, item: QTreeWidgetItem) -> None:
        self.context.open_document.emit(int(item.data(0, Qt.ItemDataRole.UserRole)))

    def _backup(self) -> None:
        """To the Backups section when there is one, else to the vault page's backup button."""
        workspace = self.window_.workspace
        for section in workspace.sections:
            if type(section).__module__ == BACKUPS_MODULE:
                workspace.show_section(section)
                return
        page = self.window_.unlocked_page
        fallback = getattr(page, "backup_button", None)
        if fallback is not None:
            fallback.click()
        else:
            workspace.show_section(page)
