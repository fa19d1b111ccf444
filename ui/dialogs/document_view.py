"""An issued document as the client will see it: its PDF, and what can be done next.

The top says what matters at a glance (number, status, what is still due,
overdue or not); the PDF is the one kept when the document was issued, shown
with QtPdf. The buttons on the right are only enabled when the action makes
sense for this document (no payment on a paid invoice, no reminder before the
due date, ...); the services check again.
"""

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPoint, QStandardPaths, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services import exports, invoicing
from app.services.invoicing import DocumentView
from ui.context import AppContext
from ui.dialogs import calls
from ui.dialogs.fields import format_money, show_date
from ui.dialogs.small_forms import PasswordDialog, PaymentDialog, ReminderDialog
from ui.print_pdf import ask_printer, paint_pages
from ui.widgets import paragraph, set_tone, title

ZOOM_STEP = 1.25


def file_name(number: str) -> str:
    """A file name for a document number (patterns may contain '/')."""
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in number).lstrip(".") or "_"


class DocumentViewWindow(QMainWindow):
    """One issued document in its own window."""

    def __init__(
        self, context: AppContext, document_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.context = context
        self.document_id = document_id
        self.view: DocumentView | None = None
        self.pdf = QPdfDocument(self)
        self._buffer: QBuffer | None = None
        self._build()
        context.changed.connect(self._changed)
        self.reload()

    def _build(self) -> None:
        body = QWidget(self)
        self.heading = title("", body)
        self.status_line = QLabel(body)
        self.client_line = paragraph("", body)
        set_tone(self.client_line, "secondary")
        self.pdf_view = QPdfView(body)
        self.pdf_view.setDocument(self.pdf)
        self.pdf_view.setPageMode(QPdfView.PageMode.MultiPage)
        self.pdf_view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.pdf_view.setAccessibleName(self.tr("Document preview"))
        self.no_pdf = paragraph("", body)
        self.no_pdf.hide()

        self.page_label = QLabel(body)
        previous = QPushButton(self.tr("◀ Previous page"), body)
        following = QPushButton(self.tr("Next page ▶"), body)
        zoom_out = QPushButton(self.tr("Zoom −"), body)
        zoom_in = QPushButton(self.tr("Zoom +"), body)
        fit = QPushButton(self.tr("Fit width"), body)
        navigator = self.pdf_view.pageNavigator()
        previous.clicked.connect(lambda: self._go(navigator.currentPage() - 1))
        following.clicked.connect(lambda: self._go(navigator.currentPage() + 1))
        zoom_in.clicked.connect(lambda: self._zoom(ZOOM_STEP))
        zoom_out.clicked.connect(lambda: self._zoom(1 / ZOOM_STEP))
        fit.clicked.connect(lambda: self.pdf_view.setZoomMode(QPdfView.ZoomMode.FitToWidth))
        navigator.currentPageChanged.connect(self._show_page)
        self.pdf.pageCountChanged.connect(self._show_page)
        tools = QHBoxLayout()
        for widget in (previous, following, self.page_label):
            tools.addWidget(widget)
        tools.addStretch(1)
        for widget in (zoom_out, zoom_in, fit):
            tools.addWidget(widget)

        self.print_button = QPushButton(self.tr("&Print…"), body)
        self.save_pdf = QPushButton(self.tr("Save as P&DF…"), body)
        self.save_protected = QPushButton(self.tr("Save PDF with pass&word…"), body)
        self.save_facturx = QPushButton(self.tr("Save as &Factur-X…"), body)
        self.save_ubl = QPushButton(self.tr("Save as &UBL (XML)…"), body)
        self.payment_button = QPushButton(self.tr("&Record a payment…"), body)
        self.reminder_button = QPushButton(self.tr("Send a re&minder…"), body)
        self.credit_button = QPushButton(self.tr("Create a &credit note"), body)
        self.convert_button = QPushButton(self.tr("Con&vert to an invoice"), body)
        self.close_button = QPushButton(self.tr("Close"), body)
        side = QVBoxLayout()
        for widget in (self.print_button, self.save_pdf, self.save_protected):
            side.addWidget(widget)
        side.addWidget(self.save_facturx)
        side.addWidget(self.save_ubl)
        side.addSpacing(16)
        for widget in (
            self.payment_button,
            self.reminder_button,
            self.credit_button,
            self.convert_button,
        ):
            side.addWidget(widget)
        side.addStretch(1)
        side.addWidget(self.close_button)

        self.print_button.clicked.connect(self.print_document)
        self.save_pdf.clicked.connect(lambda: self.save_as("pdf"))
        self.save_protected.clicked.connect(self.save_with_password)
        self.save_facturx.clicked.connect(lambda: self.save_as("facturx"))
        self.save_ubl.clicked.connect(lambda: self.save_as("ubl"))
        self.payment_button.clicked.connect(self.record_payment)
        self.reminder_button.clicked.connect(self.send_reminder)
        self.credit_button.clicked.connect(self.create_credit_note)
        self.convert_button.clicked.connect(self.convert_quote)
        self.close_button.clicked.connect(self.close)
        for shortcut, slot in (
            (QKeySequence.StandardKey.Print, self.print_document),
            (QKeySequence.StandardKey.Close, self.close),
        ):
            action = QAction(self)
            action.setShortcut(shortcut)
            action.triggered.connect(slot)
            self.addAction(action)
        self.print_button.setToolTip(QKeySequence(QKeySequence.StandardKey.Print).toString())

        preview = QVBoxLayout()
        preview.addLayout(tools)
        preview.addWidget(self.pdf_view, 1)
        preview.addWidget(self.no_pdf)
        columns = QHBoxLayout()
        columns.addLayout(preview, 1)
        columns.addLayout(side)
        outer = QVBoxLayout(body)
        outer.addWidget(self.heading)
        outer.addWidget(self.status_line)
        outer.addWidget(self.client_line)
        outer.addLayout(columns, 1)
        self.setCentralWidget(body)
        self._enable(None)
        self.resize(980, 820)

    # -- loading --------------------------------------------------------------------------

    def reload(self) -> None:
        self.context.read(invoicing.show, self.document_id, on_success=self._loaded)

    def _changed(self, what: str) -> None:
        if what == "documents":
            self.reload()

    def _loaded(self, view: DocumentView) -> None:
        first = self.view is None
        self.view = view
        document = view.document
        kinds = {
            "invoice": self.tr("Invoice"),
            "quote": self.tr("Quote"),
            "credit_note": self.tr("Credit note"),
        }
        kind = kinds.get(document.type.value, document.type.value)
        number = view.number or self.tr("draft")
        self.heading.setText(f"{kind} {number}")
        self.setWindowTitle(f"{kind} {number} — InvoiceVault")
        self.status_line.setText(self._status_text(view))
        set_tone(self.status_line, "error" if view.overdue else "ok")
        client = self.tr("{0} · total {1} · issued {2}").format(
            document.buyer.name,
            format_money(view.totals.with_vat, document.currency),
            show_date(document.issue_date),
        )
        if view.preceding_number:
            client += " · " + self.tr("corrects {0}").format(view.preceding_number)
        self.client_line.setText(client)
        self._enable(view)
        if first and view.number:
            self.context.read(calls.pdf_bytes, view.number, on_success=self._show_pdf)
        elif not view.number:
            self.no_pdf.setText(self.tr("A draft has no PDF yet: it is made when it is issued."))
            self.no_pdf.show()

    def _status_text(self, view: DocumentView) -> str:
        statuses = {
            "draft": self.tr("Draft"),
            "issued": self.tr("Issued"),
            "partially_paid": self.tr("Partly paid"),
            "paid": self.tr("Paid"),
            "cancelled": self.tr("Cancelled by a credit note"),
            "converted": self.tr("Converted to an invoice"),
        }
        parts = [statuses.get(view.status, view.status)]
        if view.document.type.value == "invoice" and view.status in ("issued", "partially_paid"):
            currency = view.document.currency
            parts.append(self.tr("still due {0}").format(format_money(view.outstanding, currency)))
            due = view.document.due_date
            if view.overdue and due is not None:
                parts.append(self.tr("OVERDUE since {0}").format(show_date(due)))
            elif due is not None:
                parts.append(self.tr("due {0}").format(show_date(due)))
        return " · ".join(parts)

    def _show_pdf(self, content: bytes) -> None:
        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(content))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.pdf.load(self._buffer)
        self._show_page()

    def _enable(self, view: DocumentView | None) -> None:
        issued = view is not None and view.number is not None
        doc_type = view.document.type.value if view is not None else ""
        status = view.status if view is not None else ""
        unpaid = doc_type == "invoice" and status in ("issued", "partially_paid")
        self.print_button.setEnabled(issued)
        self.save_pdf.setEnabled(issued)
        self.save_protected.setEnabled(issued)
        self.save_facturx.setEnabled(issued and doc_type in exports.E_INVOICE_TYPES)
        self.save_ubl.setEnabled(issued and doc_type in exports.E_INVOICE_TYPES)
        self.payment_button.setEnabled(unpaid)
        self.reminder_button.setEnabled(unpaid and view is not None and view.overdue)
        self.credit_button.setEnabled(
            issued and doc_type == "invoice" and status not in ("cancelled",)
        )
        self.convert_button.setEnabled(doc_type == "quote" and status == "issued")
        self.convert_button.setVisible(doc_type == "quote")
        self.payment_button.setVisible(doc_type in ("invoice", ""))
        self.reminder_button.setVisible(doc_type in ("invoice", ""))
        self.credit_button.setVisible(doc_type in ("invoice", ""))

    # -- the preview ----------------------------------------------------------------------

    def _go(self, page: int) -> None:
        if 0 <= page < self.pdf.pageCount():
            self.pdf_view.pageNavigator().jump(page, QPoint(0, 0))

    def _zoom(self, factor: float) -> None:
        self.pdf_view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.pdf_view.setZoomFactor(self.pdf_view.zoomFactor() * factor)

    def _show_page(self, *_args: object) -> None:
        count = self.pdf.pageCount()
        current = self.pdf_view.pageNavigator().currentPage() + 1
        self.page_label.setText(self.tr("Page {0} of {1}").format(current, count) if count else "")

    # -- actions --------------------------------------------------------------------------

    def print_document(self) -> None:
        if self.pdf.pageCount() == 0:
            return
        printer = ask_printer(self, self.heading.text())
        if printer is not None:
            paint_pages(self.pdf, printer)
            self.context.status_message.emit("")

    def _ask_path(self, kind: str) -> Path | None:
        assert self.view is not None and self.view.number is not None
        suffix, pattern = {
            "pdf": (".pdf", self.tr("PDF files (*.pdf)")),
            "facturx": (".facturx.pdf", self.tr("Factur-X PDF files (*.pdf)")),
            "ubl": (".xml", self.tr("UBL XML files (*.xml)")),
            "reminder": ("-reminder.pdf", self.tr("PDF files (*.pdf)")),
        }[kind]
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        default = str(Path(folder) / (file_name(self.view.number) + suffix))
        path, _filter = QFileDialog.getSaveFileName(self, self.tr("Save as"), default, pattern)
        return Path(path) if path else None

    def save_as(self, kind: str, password: str | None = None) -> None:
        path = self._ask_path(kind)
        if path is None or self.view is None or self.view.number is None:
            return
        self.context.act(
            self,
            self.tr("Saving {0}…").format(path.name),
            calls.save_export,
            kind,
            self.view.number,
            path,
            password,
            on_success=lambda saved: self.statusBar().showMessage(
                self.tr("Saved {0}").format(saved), 8000
            ),
        )

    def save_with_password(self) -> None:
        dialog = PasswordDialog(exports.MIN_PASSWORD_LENGTH, self)
        if dialog.exec() == PasswordDialog.DialogCode.Accepted:
            self.save_as("pdf", dialog.value)

    def record_payment(self) -> None:
        view = self.view
        if view is None or view.number is None:
            return
        dialog = PaymentDialog(view.number, view.outstanding, view.document.currency, self)
        if dialog.exec() != PaymentDialog.DialogCode.Accepted or dialog.value is None:
            return
        amount, paid_on, method, reference = dialog.value
        self.context.act(
            self,
            self.tr("Recording the payment…"),
            invoicing.record_payment,
            view.id,
            amount,
            paid_on,
            method,
            reference,
            changes="documents",
        )

    def send_reminder(self) -> None:
        view = self.view
        if view is None or view.number is None:
            return
        dialog = ReminderDialog(view.number, view.document.currency, self)
        if dialog.exec() != ReminderDialog.DialogCode.Accepted:
            return
        path = self._ask_path("reminder")
        if path is None:
            return
        self.context.act(
            self,
            self.tr("Making the reminder…"),
            calls.remind,
            view.id,
            view.number,
            dialog.value,
            path,
            changes="documents",
            on_success=lambda level: self.statusBar().showMessage(
                self.tr("Reminder {0} saved as {1}").format(level, path), 8000
            ),
        )

    def create_credit_note(self) -> None:
        view = self.view
        if view is None:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Create a credit note"),
            self.tr(
                "Make a draft credit note for all of {0}? You can remove or change its "
                "lines before you issue it."
            ).format(view.number),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.context.act(
            self,
            self.tr("Creating the credit note…"),
            invoicing.create_credit_note,
            view.id,
            changes="documents",
            on_success=self.context.edit_document.emit,
        )

    def convert_quote(self) -> None:
        view = self.view
        if view is None:
            return
        self.context.act(
            self,
            self.tr("Making the invoice…"),
            invoicing.convert_quote,
            view.id,
            changes="documents",
            on_success=self.context.edit_document.emit,
        )
