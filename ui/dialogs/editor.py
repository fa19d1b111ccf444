"""The document editor: a draft quote, invoice or credit note, its lines and live totals.

Everything typed is turned into a :class:`~app.domain.model.Document` at once;
:func:`app.domain.rules.validate` and :func:`app.domain.totals.compute` run on it
(pure functions, no database) so totals and messages follow the typing. Messages
appear under the field they are about. Saving and issuing go through the
services on the worker (:meth:`AppContext.act`).
"""

import re
from dataclasses import replace
from datetime import date, timedelta

from PySide6.QtCore import QStringListModel, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.domain import rules
from app.domain.invoice_json import SellerProfile
from app.domain.model import Document, DocumentType, Party, VatCategory
from app.domain.totals import Totals, compute
from app.errors import NeedsConfirmation, ValidationError
from app.money import currencies
from app.services import invoicing, preferences
from app.services.invoicing import DocumentView
from app.store.clients import Client
from ui.context import AppContext
from ui.dialogs import calls
from ui.dialogs.adjustments import AdjustmentsDialog
from ui.dialogs.fields import OptionalDate, date_edit, format_money, from_qdate, to_qdate
from ui.dialogs.line_table import LinesEditor
from ui.dialogs.totals_panel import TotalsPanel
from ui.operations import show_failure
from ui.widgets import message_label, paragraph, set_tone, show_message
from ui.worker import Failure

PATH = re.compile(r"^(?P<head>[a-z_]+)(\[(?P<index>\d+)\])?(\.(?P<rest>\S+))?$")
REFRESH_MS = 60  # typing a number of characters refreshes once


class DocumentEditor(QMainWindow):
    """One draft in its own window; ``issued(id)`` after it got its number."""

    issued = Signal(int)

    def __init__(
        self,
        context: AppContext,
        doc_type: DocumentType,
        document_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.context = context
        self.doc_type = doc_type
        self.document_id = document_id
        self.original: Document | None = None
        self.buyer: Party | None = None
        self.seller: SellerProfile | None = None
        self.totals: Totals | None = None
        self.dirty = False
        self.tried = False  # after a save attempt, every problem is shown, even "required"
        self._loading = True
        self._found_clients: dict[str, Client] = {}
        self._build()
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_MS)
        self._refresh_timer.timeout.connect(self.refresh)
        context.read(invoicing.seller_profile, on_success=self._seller_loaded)
        context.read(preferences.get, on_success=self._preferences_loaded)
        if document_id is None:
            self._set_title()
            self.lines.set_lines(())
            self._loading = False
            self.refresh()
        else:
            self.setEnabled(False)
            context.read(invoicing.show, document_id, on_success=self._loaded)

    # -- layout ---------------------------------------------------------------------------

    def _build(self) -> None:
        body = QWidget(self)
        outer = QVBoxLayout(body)
        self.heading = QLabel(body)
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.heading.setFont(font)
        outer.addWidget(self.heading)
        self.field_messages: dict[str, QLabel] = {}
        self.field_widgets: dict[str, QWidget] = {}

        self.client = QLineEdit(body)
        self.client.setPlaceholderText(self.tr("Type a client's name"))
        self.client_completer = QCompleter(QStringListModel(self), self.client)
        self.client_completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.client_completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.client.setCompleter(self.client_completer)
        self.client_details = paragraph("", body)
        set_tone(self.client_details, "secondary")
        self.country = QComboBox(body)
        for code in sorted(rules.countries()):
            self.country.addItem(code, code)
        self.country.setAccessibleName(self.tr("Client's country"))
        self.currency = QComboBox(body)
        self.currency.addItems(sorted(currencies()))
        self.currency.setCurrentText("EUR")
        self.issue_date = date_edit(body)
        self.due_date = date_edit(body, date.today() + timedelta(days=30))
        self.buyer_reference = QLineEdit(body)
        self.order_reference = QLineEdit(body)
        self.payment_terms = QLineEdit(body)
        self.payment_terms.setPlaceholderText(self.tr("e.g. Payable within 30 days"))
        self.note = QPlainTextEdit(body)
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        self.preceding = QLabel(body)

        left = QFormLayout()
        client_box = QVBoxLayout()
        client_box.setSpacing(2)
        client_box.addWidget(self.client)
        country_row = QHBoxLayout()
        country_row.addWidget(self.client_details, 1)
        self.country_label = QLabel(self.tr("Country:"), body)
        country_row.addWidget(self.country_label)
        country_row.addWidget(self.country)
        client_box.addLayout(country_row)
        left.addRow(self.tr("&Client:"), self._with_message("buyer", self.client, client_box))
        left.addRow(self.tr("C&urrency:"), self._with_message("currency", self.currency))
        left.addRow(self.tr("&Issue date:"), self._with_message("issue_date", self.issue_date))
        self.due_label = QLabel(self.tr("&Due date:"), body)
        self.due_label.setBuddy(self.due_date)
        left.addRow(self.due_label, self._with_message("due_date", self.due_date))
        right = QFormLayout()
        right.addRow(
            self.tr("&Buyer reference:"),
            self._with_message("buyer_reference", self.buyer_reference),
        )
        right.addRow(
            self.tr("&Order reference:"),
            self._with_message("order_reference", self.order_reference),
        )
        right.addRow(
            self.tr("&Payment terms:"), self._with_message("payment_terms", self.payment_terms)
        )
        right.addRow(self.tr("&Note:"), self._with_message("note", self.note))
        top = QHBoxLayout()
        top.addLayout(left, 1)
        top.addSpacing(24)
        top.addLayout(right, 1)
        outer.addLayout(top)
        outer.addWidget(self.preceding)

        self.delivery_box = QGroupBox(self.tr("Intra-community supply"), body)
        self.delivery_date = OptionalDate(self.tr("Delivered on"), self.delivery_box)
        self.period_start = OptionalDate(self.tr("Period from"), self.delivery_box)
        self.period_end = OptionalDate(self.tr("Period to"), self.delivery_box)
        self.deliver_to = QComboBox(self.delivery_box)
        self.deliver_to.addItem(self.tr("(the client's country)"), "")
        for code in sorted(rules.countries()):
            self.deliver_to.addItem(code, code)
        delivery = QFormLayout(self.delivery_box)
        delivery.addRow(self._with_message("delivery_date", self.delivery_date))
        period = QHBoxLayout()
        period.addWidget(self._with_message("period_start", self.period_start))
        period.addWidget(self._with_message("period_end", self.period_end))
        delivery.addRow(period)
        delivery.addRow(
            self.tr("Goods go to:"), self._with_message("deliver_to_country", self.deliver_to)
        )
        self.delivery_box.hide()
        outer.addWidget(self.delivery_box)

        self.lines = LinesEditor(self._complete_items, body)
        scroll = QScrollArea(body)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.lines)
        scroll.setMinimumHeight(160)
        outer.addWidget(scroll, 1)

        bottom = QHBoxLayout()
        side = QVBoxLayout()
        self.document_adjust = QPushButton(body)
        self.document_adjust.clicked.connect(self._edit_document_adjustments)
        side.addWidget(self.document_adjust, 0, Qt.AlignmentFlag.AlignLeft)
        self.field_widgets["allowances"] = self.field_widgets["charges"] = self.document_adjust
        self.problem = message_label("error", body)
        self.field_messages["allowances"] = self.field_messages["charges"] = self.problem
        side.addWidget(self.problem)
        side.addStretch(1)
        bottom.addLayout(side, 1)
        self.totals_panel = TotalsPanel(body)
        bottom.addWidget(self.totals_panel)
        outer.addLayout(bottom)

        self.save_button = QPushButton(self.tr("&Save draft"), body)
        self.issue_button = QPushButton(body)
        self.close_button = QPushButton(self.tr("Close"), body)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for widget in (self.close_button, self.save_button, self.issue_button):
            buttons.addWidget(widget)
        outer.addLayout(buttons)
        self.setCentralWidget(body)
        self.adjustments: tuple[tuple, tuple] = ((), ())
        self._show_document_adjustments()

        self.save_action = QAction(self.tr("Save draft"), self)
        self.save_action.setShortcut(QKeySequence.StandardKey.Save)
        self.save_action.triggered.connect(lambda: self.save())
        close_action = QAction(self.tr("Close"), self)
        close_action.setShortcut(QKeySequence.StandardKey.Close)
        close_action.triggered.connect(self.close)
        self.addAction(self.save_action)
        self.addAction(close_action)
        self.save_button.setToolTip(
            self.save_action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        )
        self.save_button.clicked.connect(lambda: self.save())
        self.issue_button.clicked.connect(self.issue)
        self.close_button.clicked.connect(self.close)

        self.client.textEdited.connect(self._client_typed)
        self.client_completer.activated.connect(self._client_picked)
        self._client_timer = QTimer(self)
        self._client_timer.setSingleShot(True)
        self._client_timer.setInterval(150)
        self._client_timer.timeout.connect(self._ask_clients)
        for edit in (
            self.client,
            self.buyer_reference,
            self.order_reference,
            self.payment_terms,
        ):
            edit.textChanged.connect(self._edited)
        self.note.textChanged.connect(self._edited)
        for date_widget in (self.issue_date, self.due_date):
            date_widget.dateChanged.connect(self._edited)
        for optional in (self.delivery_date, self.period_start, self.period_end):
            optional.check.toggled.connect(self._edited)
            optional.edit.dateChanged.connect(self._edited)
        for combo in (self.country, self.currency, self.deliver_to):
            combo.currentIndexChanged.connect(self._edited)
        self.lines.changed.connect(self._edited)
        self._show_client(None)
        self.resize(1100, 760)

    def _with_message(
        self, path: str, widget: QWidget, layout: QVBoxLayout | None = None
    ) -> QWidget:
        """``widget`` (or ``layout``) with a message line under it for validation ``path``."""
        holder = QWidget(self)
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        if layout is not None:
            column.addLayout(layout)
        else:
            column.addWidget(widget)
        message = message_label("error", holder)
        column.addWidget(message)
        self.field_messages[path] = message
        self.field_widgets[path] = widget
        return holder

    def _set_title(self) -> None:
        names = {
            DocumentType.INVOICE: self.tr("Invoice"),
            DocumentType.QUOTE: self.tr("Quote"),
            DocumentType.CREDIT_NOTE: self.tr("Credit note"),
        }
        kind = names[self.doc_type]
        text = (
            self.tr("New {0} (draft)").format(kind.lower())
            if self.document_id is None
            else self.tr("{0} draft").format(kind)
        )
        self.heading.setText(text)
        self.setWindowTitle(("* " if self.dirty else "") + text + " — InvoiceVault")
        self.issue_button.setText(self.tr("&Issue {0}…").format(kind.lower()))
        self.due_label.setText(
            self.tr("&Valid until:")
            if self.doc_type is DocumentType.QUOTE
            else self.tr("&Due date:")
        )

    # -- loading --------------------------------------------------------------------------

    def _preferences_loaded(self, prefs: preferences.Preferences) -> None:
        """New lines start with the VAT the user set as default (not an edit of the draft)."""
        loading, self._loading = self._loading, True
        self.lines.set_default_vat(prefs.default_vat_category, prefs.default_vat_rate)
        self._loading = loading
        self.refresh()

    def _seller_loaded(self, seller: SellerProfile | None) -> None:
        """A new client is most likely in the seller's own country (unless typed already)."""
        self.seller = seller
        if seller is not None and self.document_id is None and not self.dirty:
            self.country.blockSignals(True)
            self.country.setCurrentText(seller.party.country)
            self.country.blockSignals(False)

    def _loaded(self, view: DocumentView) -> None:
        document = view.document
        self.original = document
        self.doc_type = document.type
        self.buyer = document.buyer
        self.client.setText(document.buyer.name)
        self._show_client(document.buyer)
        self.currency.setCurrentText(document.currency)
        self.issue_date.setDate(to_qdate(document.issue_date))
        self.due_date.setDate(to_qdate(document.due_date or document.issue_date))
        self.buyer_reference.setText(document.buyer_reference)
        self.order_reference.setText(document.order_reference)
        self.payment_terms.setText(document.payment_terms)
        self.note.setPlainText(document.note)
        self.delivery_date.set_value(document.delivery_date)
        self.period_start.set_value(document.period_start)
        self.period_end.set_value(document.period_end)
        index = self.deliver_to.findData(document.deliver_to_country)
        self.deliver_to.setCurrentIndex(max(index, 0))
        self.adjustments = (document.allowances, document.charges)
        self._show_document_adjustments()
        if document.preceding_invoice:
            self.preceding.setText(
                self.tr("Corrects invoice {0}").format(document.preceding_invoice)
            )
        self.lines.set_lines(document.lines)
        self._loading = False
        self.dirty = False
        self.setEnabled(True)
        self._set_title()
        self.refresh()

    # -- the client -----------------------------------------------------------------------

    def _client_typed(self, text: str) -> None:
        if self.buyer is not None and text.strip() != self.buyer.name:
            self.buyer = None
            self._show_client(None)
        self._client_timer.start()

    def _ask_clients(self) -> None:
        text = self.client.text().strip()
        if text:
            self.context.read(calls.find_clients, text, on_success=self._clients_found)

    def _clients_found(self, found: list[Client]) -> None:
        if not self.client.hasFocus():
            return
        self._found_clients = {client.name: client for client in found}
        model = self.client_completer.model()
        assert isinstance(model, QStringListModel)
        model.setStringList(list(self._found_clients))
        self.client_completer.setCompletionPrefix(self.client.text())
        if found:
            self.client_completer.complete()

    def _client_picked(self, name: str) -> None:
        client = self._found_clients.get(name)
        if client is None:
            return
        self.buyer = Party(
            client.name,
            client.country,
            client.street,
            client.city,
            client.postcode,
            vat_id=client.vat_id,
            tax_id=client.tax_id,
            email=client.email,
            phone=client.phone,
            legal_id=client.legal_id,
        )
        self.client.setText(client.name)
        self.currency.setCurrentText(client.currency)
        self.due_date.setDate(self.issue_date.date().addDays(client.payment_days))
        self._show_client(self.buyer)
        self._edited()

    def _show_client(self, buyer: Party | None) -> None:
        new = buyer is None
        self.country.setVisible(new)
        self.country_label.setVisible(new)
        if new:
            text = self.tr("A new client: added to your clients when you save.")
            self.client_details.setText(text if self.client.text().strip() else "")
            return
        place = " ".join(part for part in (buyer.postcode, buyer.city) if part)
        parts = [buyer.street, place, buyer.country]
        if buyer.vat_id:
            parts.append(self.tr("VAT ID {0}").format(buyer.vat_id))
        self.client_details.setText(", ".join(part for part in parts if part))

    def _complete_items(self, prefix: str, done) -> None:  # noqa: ANN001 - see CompleteItems
        self.context.read(calls.find_items, prefix, on_success=done)

    # -- building and checking ------------------------------------------------------------

    def _edited(self, *_args: object) -> None:
        if self._loading:
            return
        if self.buyer is None:
            self._show_client(None)
        if not self.dirty:
            self.dirty = True
            self._set_title()
        self._refresh_timer.start()

    def build(self) -> tuple[Document | None, str, str]:
        """The document as typed, or ``(None, path, message)`` for the first problem."""
        rows, unreadable = self.lines.built()
        self._rows = [row for row, _line in rows]
        if unreadable is not None:
            widget, message, row = unreadable
            self._unreadable = (widget, row)
            return None, "", message
        name = self.client.text().strip()
        buyer = (
            self.buyer if self.buyer is not None else Party(name, str(self.country.currentData()))
        )
        base = self.original or Document(self.doc_type, "EUR", date.today(), buyer, ())
        document = replace(
            base,
            type=self.doc_type,
            currency=self.currency.currentText(),
            issue_date=from_qdate(self.issue_date.date()),
            due_date=from_qdate(self.due_date.date()),
            buyer=buyer,
            lines=tuple(line for _row, line in rows),
            buyer_reference=self.buyer_reference.text().strip(),
            order_reference=self.order_reference.text().strip(),
            note=self.note.toPlainText().strip(),
            payment_terms=self.payment_terms.text().strip(),
            allowances=self.adjustments[0],
            charges=self.adjustments[1],
            delivery_date=self.delivery_date.value(),
            period_start=self.period_start.value(),
            period_end=self.period_end.value(),
            deliver_to_country=str(self.deliver_to.currentData() or ""),
        )
        try:
            rules.validate(document)
        except ValidationError as error:
            path, _, message = str(error).partition(": ")
            return document, path, message
        return document, "", ""

    def refresh(self) -> Document | None:
        """Rebuild, check and total; returns the document when it can be saved."""
        self._unreadable = None
        document, path, message = self.build()
        self.lines.clear_problems()
        for label in set(self.field_messages.values()):
            show_message(label, "")
        uses_k = document is not None and VatCategory.INTRA_COMMUNITY in {
            line.vat_category for line in document.lines
        }
        self.delivery_box.setVisible(uses_k or self.delivery_date.value() is not None)
        self.totals = None
        if document is not None and document.lines:
            try:
                self.totals = compute(document)
            except ValidationError as error:
                path, message = path or str(error).partition(": ")[0], message or str(error)
        self.totals_panel.show_totals(self.totals)
        amounts = self.totals.line_net_amounts if self.totals else ()
        for row in self.lines.rows:
            row.amount.setText("")
        for row, amount in zip(self._rows, amounts, strict=False):
            row.amount.setText(format_money(amount, self.totals.currency))
        if self._unreadable is not None:
            _widget, row = self._unreadable
            row.show_problem(message)
            return None
        if path:
            self._show_problem(path, message)
            return None
        return document

    def _show_problem(self, path: str, message: str) -> None:
        match = PATH.match(path)
        head = match.group("head") if match else path
        if not self.tried and (
            (head == "buyer" and not self.client.text().strip()) or path == "lines"
        ):
            return  # not yet: nobody needs "required" before they had a chance to type
        if head == "lines" and match and match.group("index") is not None:
            index = int(match.group("index"))
            if index < len(self._rows):
                row = self._rows[index]
                row.show_problem(f"{self._field_name(match.group('rest') or '')}{message}")
                return
        if head == "lines":
            show_message(self.lines.problem, message)
            return
        label = self.field_messages.get(head, self.problem)
        show_message(label, message if label is not self.problem else f"{path}: {message}")

    def _field_name(self, rest: str) -> str:
        names = {
            "description": self.tr("Description"),
            "quantity": self.tr("Quantity"),
            "unit": self.tr("Unit"),
            "net_price": self.tr("Net price"),
            "vat_rate": self.tr("VAT rate"),
            "vat_category": self.tr("VAT category"),
            "exemption_reason": self.tr("Exemption reason"),
            "allowances": self.tr("Discount"),
            "charges": self.tr("Surcharge"),
        }
        head = rest.split(".")[0].split("[")[0]
        return f"{names[head]}: " if head in names else ""

    def _focus_problem(self) -> None:
        if self._unreadable is not None:
            self._unreadable[0].setFocus()
            return
        for row in self.lines.rows:
            if row.message.isVisible():
                row.description.setFocus()
                return
        for path, label in self.field_messages.items():
            if label.isVisible() and path in self.field_widgets:
                self.field_widgets[path].setFocus()
                return

    # -- document discounts ----------------------------------------------------------------

    def _edit_document_adjustments(self) -> None:
        dialog = AdjustmentsDialog(
            self.tr("Discounts and surcharges of the document"),
            self.adjustments,
            document_level=True,
            parent=self,
        )
        if dialog.exec() == AdjustmentsDialog.DialogCode.Accepted:
            self.adjustments = dialog.result_value()
            self._show_document_adjustments()
            self._edited()

    def _show_document_adjustments(self) -> None:
        count = sum(len(group) for group in self.adjustments)
        self.document_adjust.setText(
            self.tr("Discounts and surcharges on the total ({0})…").format(count)
            if count
            else self.tr("Discounts and surcharges on the total…")
        )

    # -- saving and issuing ---------------------------------------------------------------

    def save(self, then=None, *, accept_warnings: bool = False) -> None:  # noqa: ANN001
        """Save the draft; ``then()`` runs after it is saved."""
        self.tried = True
        self._refresh_timer.stop()
        document = self.refresh()
        if document is None:
            self._focus_problem()
            return

        def saved(document_id: int) -> None:
            self.document_id = document_id
            self.original = document
            self.dirty = False
            self._set_title()
            self.context.status_message.emit("")
            if then is not None:
                then()

        def failed(failure: Failure) -> None:
            error = failure.error
            if isinstance(error, NeedsConfirmation):
                text = "\n".join(error.warnings) + "\n\n" + self.tr("Keep it anyway?")
                answer = QMessageBox.question(self, self.tr("Please check"), text)
                if answer == QMessageBox.StandardButton.Yes:
                    self.save(then, accept_warnings=True)
            elif isinstance(error, ValidationError):
                path, _, message = str(error).partition(": ")
                self._show_problem(path, message)
                self._focus_problem()
            else:
                show_failure(self, failure)

        self.context.act(
            self,
            self.tr("Saving the draft…"),
            calls.save_draft,
            self.document_id,
            document,
            accept_warnings,
            on_success=saved,
            on_failure=failed,
            changes="documents",
            quiet_failure=True,
        )

    def keep_before_lock(self) -> None:
        """The vault is about to lock: keep the edits as a draft, if they make one.

        The save is queued on the worker before the lock (jobs run in order), with
        the warnings accepted (a draft is not issued; issuing checks again). Edits
        that do not make a valid draft yet stay in this window, which says so; they
        can be saved once the vault is unlocked again.
        """
        if not self.dirty:
            return
        if self.refresh() is None:
            self.context.status_message.emit(
                self.tr("The vault was locked before this draft could be saved; unlock it to save.")
            )
            return
        self.save(then=self.close, accept_warnings=True)

    def issue(self) -> None:
        """Save if needed, show the number it will get, and issue when the user agrees."""
        if self.dirty or self.document_id is None:
            self.save(then=self.issue)
            return
        issue_date = from_qdate(self.issue_date.date())
        self.context.act(
            self,
            self.tr("Looking up the next number…"),
            invoicing.next_number,
            self.doc_type.value,
            issue_date,
            on_success=self._confirm_issue,
        )

    def _confirm_issue(self, number: str) -> None:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Issue"))
        box.setText(self.tr("Issue this document as number {0}?").format(number))
        total = format_money(self.totals.with_vat, self.totals.currency) if self.totals else ""
        box.setInformativeText(
            self.tr(
                "Client: {0}\nTotal: {1}\n\nOnce issued it can no longer be changed; a "
                "mistake is corrected with a credit note."
            ).format(self.client.text().strip(), total)
        )
        issue = box.addButton(self.tr("&Issue"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(issue)
        self.confirm_box = box
        box.exec()
        if box.clickedButton() is not issue:
            return
        document_id = self.document_id
        assert document_id is not None

        def done(_number: str) -> None:
            self.dirty = False
            self.issued.emit(document_id)
            self.close()

        self.context.act(
            self,
            self.tr("Issuing…"),
            invoicing.issue,
            document_id,
            on_success=done,
            changes="documents",
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.dirty:
            event.accept()
            return
        answer = QMessageBox.question(
            self,
            self.tr("Unsaved changes"),
            self.tr("This draft has changes that are not saved yet. Save them?"),
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Discard:
            event.accept()
        elif answer == QMessageBox.StandardButton.Save:
            event.ignore()
            self.save(then=self.close)
        else:
            event.ignore()
