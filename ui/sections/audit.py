"""The audit log: every recorded action, newest first, filtered by kind and user; and its check."""

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QDateTime, QLocale, QModelIndex, QObject, Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QTableView, QWidget

from app.services import audit_log
from app.store.audit import AuditEntry, ChainReport
from ui.context import AppContext
from ui.sections.base import Section
from ui.widgets import button, message_label, show_message, title

if TYPE_CHECKING:
    from ui.vault_window import VaultWindow

ORDER = 85
PAGE = 100
HEADERS = ("When", "Who", "What")


def make(context: AppContext, window: "VaultWindow") -> list[tuple[QWidget, str]]:
    section = AuditSection(context, window)
    return [(section, section.name())]


class AuditModel(QAbstractTableModel):
    """Pages of entries fetched on the worker as the view scrolls (keyset on ``seq``)."""

    def __init__(self, context: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.entries: list[AuditEntry] = []
        self.filters: dict[str, str | None] = {}
        self.more = False
        self.loading = False
        self.generation = 0  # answers to an older filter are dropped

    def reload(self, action_prefix: str | None, actor: str | None) -> None:
        self.beginResetModel()
        self.entries = []
        self.endResetModel()
        self.filters = {"action_prefix": action_prefix, "actor": actor}
        self.generation += 1
        self.more = True
        self.loading = False
        self.fetchMore(QModelIndex())

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(HEADERS[section])
        return None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return None
        entry = self.entries[index.row()]
        if index.column() == 0:
            when = QDateTime.fromString(entry.at, Qt.DateFormat.ISODate).toLocalTime()
            return QLocale().toString(when, QLocale.FormatType.ShortFormat)
        if index.column() == 1:
            return entry.actor
        text = describe(self, entry)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tr("Entry {0}: {1}").format(entry.seq, entry.action)
        return text

    def canFetchMore(self, parent: QModelIndex) -> bool:
        return not parent.isValid() and self.more and not self.loading

    def fetchMore(self, parent: QModelIndex) -> None:
        if not self.canFetchMore(parent):
            return
        self.loading = True
        generation = self.generation
        before = self.entries[-1].seq if self.entries else None
        self.context.read(
            _page,
            before,
            self.filters,
            on_success=lambda found: self._arrived(generation, found),
        )

    def _arrived(self, generation: int, found: list[AuditEntry]) -> None:
        if generation != self.generation:
            return
        self.loading = False
        self.more = len(found) == PAGE
        if found:
            start = len(self.entries)
            self.beginInsertRows(QModelIndex(), start, start + len(found) - 1)
            self.entries.extend(found)
            self.endInsertRows()


def _page(session: Any, before: int | None, filters: dict[str, str | None]) -> list[AuditEntry]:
    return audit_log.list_entries(session, before_seq=before, limit=PAGE, **filters)


def describe(source: QObject, entry: AuditEntry) -> str:
    """A sentence for an entry, e.g. "Invoice INV-2026-0001 issued"; unknown actions as they are."""
    tr = source.tr
    d = entry.details
    kinds = {"invoice": tr("Invoice"), "credit_note": tr("Credit note"), "quote": tr("Quote")}
    kind = kinds.get(str(d.get("type", "")), tr("Document"))
    texts = {
        "vault.created": lambda: tr("Vault created"),
        "document.drafted": lambda: tr("{0} draft {1} created").format(kind, d.get("id")),
        "document.draft_changed": lambda: tr("Draft {0} changed").format(d.get("id")),
        "document.draft_deleted": lambda: tr("Draft {0} deleted").format(d.get("id")),
        "document.issued": lambda: tr("{0} {1} issued ({2} {3})").format(
            kind, d.get("number"), d.get("total"), d.get("currency")
        ),
        "document.exported": lambda: tr("Document exported"),
        "payment.recorded": lambda: tr("Payment recorded"),
        "profile.changed": lambda: (
            tr("Company profile changed, IBAN CHANGED")
            if d.get("iban_changed")
            else tr("Company profile changed")
        ),
        "numbering.changed": lambda: tr("Number pattern of {0}s set to {1}").format(
            kind.lower(), d.get("pattern")
        ),
        "preferences.changed": lambda: tr("Settings changed: {0}").format(
            ", ".join(sorted(d)).replace("_", " ")
        ),
        "backup.created": lambda: tr("Backup made"),
        "backup.restored": lambda: tr("Backup restored"),
        "unlock.failed": lambda: tr("Wrong passphrase entered"),
        "keyring.remembered": lambda: tr("Key remembered on this laptop"),
        "keyring.forgotten": lambda: tr("Key forgotten on this laptop"),
        "passphrase.changed": lambda: tr("Passphrase changed"),
        "key.rotated": lambda: tr("Database key rotated"),
        "demo.filled": lambda: tr("Demo data added"),
        "client.created": lambda: tr("Client {0} added").format(d.get("name", "")),
        "client.changed": lambda: tr("Client changed"),
        "item.created": lambda: tr("Item added to the catalogue"),
        "quote.converted": lambda: tr("Quote turned into an invoice"),
        "reminder.sent": lambda: tr("Payment reminder made"),
        "recurring.created": lambda: tr("Recurring invoice set up: {0}").format(d.get("name", "")),
        "recurring.generated": lambda: tr("Recurring invoice drafted"),
    }
    found = texts.get(entry.action)
    return found() if found else entry.action


class AuditSection(Section):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.layout_.addWidget(title(self.tr("Audit log"), self))
        self.kind = QComboBox(self)
        self.kind.setAccessibleName(self.tr("Kind of action"))
        for label, prefix in (
            (self.tr("All actions"), None),
            (self.tr("Documents"), "document."),
            (self.tr("Payments"), "payment."),
            (self.tr("Company profile"), "profile."),
            (self.tr("Settings"), "preferences."),
            (self.tr("Numbering"), "numbering."),
            (self.tr("Backups"), "backup."),
            (self.tr("Unlocking"), "unlock."),
            (self.tr("Keyring"), "keyring."),
        ):
            self.kind.addItem(label, prefix)
        self.user = QComboBox(self)
        self.user.setAccessibleName(self.tr("User"))
        self.user.addItem(self.tr("Everyone"), None)
        self.verify_button = button(self.tr("&Verify the log"), self)
        self.verify_button.setToolTip(
            self.tr("Check that no entry was changed, removed or reordered since it was written")
        )
        filters = QHBoxLayout()
        show_label = QLabel(self.tr("&Show:"), self)
        show_label.setBuddy(self.kind)
        filters.addWidget(show_label)
        filters.addWidget(self.kind)
        by_label = QLabel(self.tr("&By:"), self)
        by_label.setBuddy(self.user)
        filters.addWidget(by_label)
        filters.addWidget(self.user)
        filters.addStretch(1)
        filters.addWidget(self.verify_button)
        self.layout_.addLayout(filters)
        self.report_ok = message_label("ok", self)
        self.report_error = message_label("error", self)
        self.layout_.addWidget(self.report_ok)
        self.layout_.addWidget(self.report_error)
        self.model = AuditModel(context, self)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setAccessibleName(self.tr("Audit log entries"))
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.setAlternatingRowColors(True)
        header = self.view.horizontalHeader()
        header.setStretchLastSection(True)
        self.model.rowsInserted.connect(self._fit_columns)
        self.layout_.addWidget(self.view, 1)
        self.kind.currentIndexChanged.connect(self._reload)
        self.user.currentIndexChanged.connect(self._reload)
        self.verify_button.clicked.connect(self._verify)

    def name(self) -> str:
        return self.tr("Audit log")

    def activate(self) -> None:
        self.context.read(audit_log.actors, on_success=self._show_actors)
        self._reload()

    def on_changed(self, _what: str) -> None:
        if self.isVisible():
            self._reload()

    def focus_first(self) -> None:
        self.view.setFocus()

    def _fit_columns(self) -> None:
        for column in (0, 1):
            self.view.resizeColumnToContents(column)

    def _show_actors(self, actors: list[str]) -> None:
        chosen = self.user.currentData()
        self.user.blockSignals(True)
        while self.user.count() > 1:
            self.user.removeItem(1)
        for actor in actors:
            self.user.addItem(actor, actor)
        self.user.setCurrentIndex(max(0, self.user.findData(chosen)))
        self.user.blockSignals(False)

    def _reload(self) -> None:
        self.model.reload(self.kind.currentData(), self.user.currentData())

    def _verify(self) -> None:
        show_message(self.report_ok, "")
        show_message(self.report_error, "")
        self.context.act(
            self,
            self.tr("Checking every entry of the audit log…"),
            audit_log.verify,
            on_success=self._verified,
        )

    def _verified(self, report: ChainReport) -> None:
        if report.intact:
            show_message(
                self.report_ok,
                self.tr(
                    "The audit log is intact: all {0} entries are as they were written."
                ).format(report.entries),
            )
        else:
            show_message(
                self.report_error,
                self.tr(
                    "The audit log was tampered with: {0}. The {1} entries before it are intact."
                ).format(report.reason, report.entries),
            )
