"""Small dialogs of the document view: record a payment, a PDF password, a reminder fee."""

from datetime import date
from decimal import Decimal

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.services.invoicing import PAYMENT_METHODS
from ui.dialogs.fields import date_edit, from_qdate, parse_number, plain
from ui.widgets import message_label, paragraph, show_message


class _Form(QDialog):
    """A titled form with OK/Cancel and one message line; subclasses check in :meth:`accept`."""

    def __init__(self, title: str, intro: str, ok: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.error = message_label("error", self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.addButton(ok, QDialogButtonBox.ButtonRole.AcceptRole).setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if intro:
            layout.addWidget(paragraph(intro, self))
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def refuse(self, widget: QWidget, text: str) -> None:
        show_message(self.error, text)
        widget.setFocus()


class PaymentDialog(_Form):
    """Amount (the outstanding amount to start with), date, method, reference."""

    def __init__(self, number: str, outstanding: Decimal, currency: str, parent: QWidget) -> None:
        super().__init__(
            self.tr("Record a payment"),
            self.tr("Money received for {0}.").format(number),
            self.tr("&Record payment"),
            parent,
        )
        self.amount = QLineEdit(plain(outstanding), self)
        self.paid_on = date_edit(self)
        self.method = QComboBox(self)
        names = {
            "bank_transfer": self.tr("Bank transfer"),
            "card": self.tr("Card"),
            "cash": self.tr("Cash"),
            "cheque": self.tr("Cheque"),
            "direct_debit": self.tr("Direct debit"),
            "other": self.tr("Other"),
        }
        for method in PAYMENT_METHODS:
            self.method.addItem(names.get(method, method), method)
        self.reference = QLineEdit(self)
        self.reference.setPlaceholderText(self.tr("e.g. the bank statement line"))
        self.form.addRow(self.tr("&Amount ({0}):").format(currency), self.amount)
        self.form.addRow(self.tr("&Date:"), self.paid_on)
        self.form.addRow(self.tr("&Method:"), self.method)
        self.form.addRow(self.tr("&Reference:"), self.reference)
        self.amount.selectAll()
        self.value: tuple[Decimal, date, str, str] | None = None

    def accept(self) -> None:
        amount = parse_number(self.amount.text())
        if amount is None or amount <= 0:
            self.refuse(self.amount, self.tr("Enter the amount received, like 120.00."))
            return
        self.value = (
            amount,
            from_qdate(self.paid_on.date()),
            str(self.method.currentData()),
            self.reference.text().strip(),
        )
        super().accept()


class PasswordDialog(_Form):
    """A password for a PDF, typed twice."""

    def __init__(self, minimum: int, parent: QWidget) -> None:
        super().__init__(
            self.tr("Protect the PDF with a password"),
            self.tr(
                "The client needs this password to open the PDF. Tell it to them another "
                "way than the e-mail that carries the PDF (by phone, for example)."
            ),
            self.tr("&Continue"),
            parent,
        )
        self.minimum = minimum
        self.password = QLineEdit(self)
        self.repeat = QLineEdit(self)
        for edit in (self.password, self.repeat):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.form.addRow(self.tr("&Password:"), self.password)
        self.form.addRow(self.tr("&Again:"), self.repeat)
        self.value = ""

    def accept(self) -> None:
        if len(self.password.text()) < self.minimum:
            self.refuse(self.password, self.tr("Use at least {0} characters.").format(self.minimum))
            return
        if self.password.text() != self.repeat.text():
            self.refuse(self.repeat, self.tr("The two passwords are not the same."))
            return
        self.value = self.password.text()
        super().accept()


class ReminderDialog(_Form):
    """The fee to add to a reminder (may be zero)."""

    def __init__(self, number: str, currency: str, parent: QWidget) -> None:
        super().__init__(
            self.tr("Send a payment reminder"),
            self.tr(
                "A payment reminder for {0}. Next you choose where to save its PDF, "
                "to send it to the client."
            ).format(number),
            self.tr("&Make reminder"),
            parent,
        )
        self.fee = QLineEdit("0", self)
        self.form.addRow(self.tr("Reminder &fee ({0}):").format(currency), self.fee)
        self.value = Decimal(0)

    def accept(self) -> None:
        fee = parse_number(self.fee.text())
        if fee is None or fee < 0:
            self.refuse(self.fee, self.tr("Enter a fee of 0 or more, like 5.00."))
            return
        self.value = fee
        super().accept()
