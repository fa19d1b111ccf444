"""A form whose errors appear under their field (settings, client and item dialogs); the
passphrase ask before a sensitive change."""

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ui.widgets import message_label, paragraph, show_message


class Form(QWidget):
    """A form layout whose fields each have an error line under them.

    A :class:`~app.errors.ValidationError` message starts with the field's name
    (``"seller.iban: not a valid IBAN"``): :meth:`show_error` puts the rest under
    that field, or at the bottom of the form when no field has that name.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = QFormLayout()
        self.errors: dict[str, QLabel] = {}
        self.general = message_label("error", self)
        self.done = message_label("ok", self)
        column = QVBoxLayout(self)
        column.addLayout(self.form)
        column.addWidget(self.general)
        column.addWidget(self.done)
        column.addStretch(1)

    def add(self, key: str, label: str, field: QWidget, hint: str = "") -> QWidget:
        holder = QWidget(self)
        inner = QVBoxLayout(holder)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.setSpacing(2)
        inner.addWidget(field)
        if hint:
            inner.addWidget(paragraph(hint, holder))
        error = message_label("error", holder)
        inner.addWidget(error)
        self.errors[key] = error
        self.form.addRow(label, holder)
        buddy = self.form.labelForField(holder)
        if isinstance(buddy, QLabel):
            buddy.setBuddy(field)  # the label's Alt+letter goes to the field
        return field

    def clear_messages(self) -> None:
        for label in (*self.errors.values(), self.general, self.done):
            show_message(label, "")

    def show_error(self, message: str) -> None:
        self.clear_messages()
        field, _, text = message.partition(": ")
        label = self.errors.get(field.rsplit(".", 1)[-1]) if text else None
        if label is None:
            show_message(self.general, message)
        else:
            show_message(label, text[:1].upper() + text[1:])

    def show_done(self, text: str) -> None:
        self.clear_messages()
        show_message(self.done, text)


class FormDialog(QDialog):
    """A dialog made of one :class:`Form` and Save / Cancel; a subclass writes :meth:`save`."""

    def build_form(self, fields: dict[str, QWidget], rows: tuple[tuple[str, str], ...]) -> None:
        """Lay out ``fields`` under their labels (``rows``: key, label), then the buttons."""
        self.form = Form(self)
        for key, label in rows:
            self.form.add(key, label, fields[key])
        self.errors = self.form.errors
        self.general_error = self.form.general
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(self.buttons)

    def save(self) -> None:
        raise NotImplementedError


class PassphraseDialog(QDialog):
    """Asks the passphrase again before a sensitive change (DESIGN.md section 3)."""

    def __init__(self, reason: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Confirm with your passphrase"))
        self.passphrase = QLineEdit(self)
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName(self.tr("Passphrase"))
        self.error = message_label("error", self)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Confirm"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addWidget(paragraph(reason, self))
        column.addWidget(self.passphrase)
        column.addWidget(self.error)
        column.addWidget(buttons)
        self.passphrase.setFocus()
