"""A small dialog to add a client or change one, with the service's refusals shown by the field.

Saving goes through :mod:`app.services.clients` on the worker. A refusal names its
field ("client.email: ..."): the message appears under that field and the field gets
the focus. A VAT ID whose checksum looks wrong is asked about, then saved if the
user confirms.
"""

from babel.core import Locale, UnknownLocaleError
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import (
    QComboBox,
    QLineEdit,
    QMessageBox,
    QSpinBox,
    QWidget,
)

from app import money
from app.domain import rules
from app.domain.model import Party
from app.errors import NeedsConfirmation
from app.services import clients
from app.store.clients import Client
from ui.context import AppContext
from ui.form import FormDialog
from ui.operations import show_failure
from ui.widgets import show_message
from ui.worker import Failure

DEFAULT_COUNTRY = "DE"
DEFAULT_CURRENCY = "EUR"
COMMON_CURRENCIES = ("EUR", "USD", "GBP", "CHF")  # first in the list; the rest follow A–Z


def territory_names() -> dict[str, str]:
    """Country codes and their names in the user's language (English if Babel has none)."""
    try:
        names = Locale.parse(QLocale().name()).territories
    except (ValueError, UnknownLocaleError):
        names = Locale("en").territories
    return {code: names.get(code, code) for code in rules.countries()}


class ClientDialog(FormDialog):
    """Add a client (``client`` None) or change ``client``; accepted once saved."""

    def __init__(
        self, context: AppContext, client: Client | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.client = client
        self.saved_id: int | None = client.id if client else None
        self.setWindowTitle(self.tr("Change client") if client else self.tr("New client"))
        self.name = QLineEdit(self)
        self.street = QLineEdit(self)
        self.postcode = QLineEdit(self)
        self.city = QLineEdit(self)
        self.country = QComboBox(self)
        for code, label in sorted(territory_names().items(), key=lambda pair: pair[1]):
            self.country.addItem(label, code)
        self.vat_id = QLineEdit(self)
        self.vat_id.setPlaceholderText(self.tr("e.g. DE123456789 (leave empty if none)"))
        self.legal_id = QLineEdit(self)
        self.email = QLineEdit(self)
        self.phone = QLineEdit(self)
        self.language = QComboBox(self)
        for code, label in (
            ("en", self.tr("English")),
            ("de", self.tr("German")),
            ("fr", self.tr("French")),
        ):
            self.language.addItem(label, code)
        self.currency = QComboBox(self)
        rest = sorted(money.currencies() - set(COMMON_CURRENCIES))
        for code in (*COMMON_CURRENCIES, *rest):
            self.currency.addItem(code, code)
        self.payment_days = QSpinBox(self)
        self.payment_days.setRange(0, 365)
        self.payment_days.setSuffix(self.tr(" days"))

        self.fields: dict[str, QWidget] = {
            "name": self.name,
            "street": self.street,
            "postcode": self.postcode,
            "city": self.city,
            "country": self.country,
            "vat_id": self.vat_id,
            "legal_id": self.legal_id,
            "email": self.email,
            "phone": self.phone,
            "language": self.language,
            "currency": self.currency,
            "payment_days": self.payment_days,
        }
        self.build_form(
            self.fields,
            (
                ("name", self.tr("&Name:")),
                ("street", self.tr("S&treet:")),
                ("postcode", self.tr("&Postcode:")),
                ("city", self.tr("C&ity:")),
                ("country", self.tr("Co&untry:")),
                ("vat_id", self.tr("&VAT ID:")),
                ("legal_id", self.tr("Company &register no.:")),
                ("email", self.tr("&E-mail:")),
                ("phone", self.tr("P&hone:")),
                ("language", self.tr("Invoice &language:")),
                ("currency", self.tr("&Currency:")),
                ("payment_days", self.tr("Pa&yment due after:")),
            ),
        )
        self.name.textChanged.connect(lambda: show_message(self.errors["name"], ""))
        self._fill(client)
        self.name.setFocus()

    def _fill(self, client: Client | None) -> None:
        if client is None:
            self._select(self.country, DEFAULT_COUNTRY)
            self._select(self.currency, DEFAULT_CURRENCY)
            self.payment_days.setValue(30)
            return
        for key in ("name", "street", "postcode", "city", "vat_id", "legal_id", "email", "phone"):
            field = self.fields[key]
            assert isinstance(field, QLineEdit)
            field.setText(getattr(client, key))
        self._select(self.country, client.country)
        self._select(self.language, client.language)
        self._select(self.currency, client.currency)
        self.payment_days.setValue(client.payment_days)

    @staticmethod
    def _select(combo: QComboBox, code: str) -> None:
        index = combo.findData(code)
        if index >= 0:
            combo.setCurrentIndex(index)

    def party(self) -> Party:
        return Party(
            self.name.text().strip(),
            self.country.currentData(),
            self.street.text().strip(),
            self.city.text().strip(),
            self.postcode.text().strip(),
            self.vat_id.text().strip().replace(" ", "").upper(),
            "",
            self.email.text().strip(),
            self.phone.text().strip(),
            self.legal_id.text().strip(),
        )

    def save(self, accept_warnings: bool = False) -> None:
        """Check what can be checked here, then save through the service on the worker."""
        for label in (*self.errors.values(), self.general_error):
            show_message(label, "")
        if not self.name.text().strip():
            self._show_error("name", self.tr("Please enter the client's name."))
            return
        self.save_button.setEnabled(False)
        options = {
            "language": self.language.currentData(),
            "currency": self.currency.currentData(),
            "payment_days": self.payment_days.value(),
            "accept_warnings": accept_warnings,
        }
        if self.client is None:
            fn, args = clients.create_client, (self.party(),)
        else:
            fn, args = clients.update_client, (self.client.id, self.party())
        self.context.act(
            self,
            self.tr("Saving the client…"),
            fn,
            *args,
            on_success=self._saved,
            on_failure=self._failed,
            changes="clients",
            quiet_failure=True,
            **options,
        )

    def _saved(self, result: int | None) -> None:
        if isinstance(result, int):
            self.saved_id = result
        self.accept()

    def _failed(self, failure: Failure) -> None:
        self.save_button.setEnabled(True)
        if isinstance(failure.error, NeedsConfirmation):
            answer = QMessageBox.question(
                self,
                self.tr("Save anyway?"),
                self.tr("{0}\n\nSave the client as it is?").format(
                    "\n".join(self._readable(w)[1] for w in failure.error.warnings)
                ),
            )
            if answer == QMessageBox.StandardButton.Yes:
                self.save(accept_warnings=True)
            return
        if not failure.expected:
            show_failure(self, failure)
            return
        key, text = self._readable(failure.message)
        self._show_error(key, text)

    @staticmethod
    def _readable(message: str) -> tuple[str, str]:
        """ "client.email: 'x' is not an e-mail address" → ("email", "'x' is not an e-mail …")."""
        head, sep, text = message.partition(": ")
        if sep and head.startswith("client."):
            key = head.removeprefix("client.")
            return key, text[:1].upper() + text[1:]
        return "", message

    def _show_error(self, key: str, text: str) -> None:
        label = self.errors.get(key, self.general_error)
        show_message(label, text)
        self.fields.get(key, self.name).setFocus()
