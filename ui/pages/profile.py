"""The first start's company profile: who the invoices come from (optional, encouraged).

The vault does not exist yet when this is typed: the window keeps the profile
and saves it with the invoicing service right after the vault is created.
"""

from PySide6.QtCore import QLocale, Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QLineEdit, QWidget

from app.domain.invoice_json import SellerProfile
from app.domain.model import Party
from app.domain.rules import check_vat_id
from ui.widgets import Page, button, button_row, message_label, paragraph, show_message, title


def countries() -> list[tuple[str, str]]:
    """(ISO 3166 code, name) of every country Qt knows, by name."""
    found = {(QLocale.territoryToCode(t), QLocale.territoryToString(t)) for t in QLocale.Country}
    return sorted(
        ((code, name) for code, name in found if len(code) == 2 and code != "ZZ"),
        key=lambda pair: pair[1],
    )


class ProfilePage(Page):
    back = Signal()
    finished = Signal(object)  # a SellerProfile, or None when skipped

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.body.addWidget(title(self.tr("Your company"), self))
        self.body.addWidget(
            paragraph(
                self.tr(
                    "This is printed on every invoice as the seller. You can skip it now and "
                    "fill it in later in the settings."
                ),
                self,
            )
        )
        self.name = QLineEdit(self)
        self.name.setPlaceholderText(self.tr("Your company, or your own name"))
        self.street = QLineEdit(self)
        self.postcode = QLineEdit(self)
        self.postcode.setMaximumWidth(120)
        self.city = QLineEdit(self)
        self.country = QComboBox(self)
        self.country.addItem(self.tr("Choose a country"), "")
        for code, name in countries():
            self.country.addItem(f"{name} ({code})", code)
        here = QLocale.territoryToCode(QLocale().territory())
        self.country.setCurrentIndex(max(0, self.country.findData(here)))
        self.vat_id = QLineEdit(self)
        self.vat_id.setPlaceholderText(self.tr("e.g. DE123456789 (if you have one)"))
        self.vat_hint = message_label("error", self)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.tr("&Name:"), self.name)
        form.addRow(self.tr("&Street:"), self.street)
        form.addRow(self.tr("&Postcode:"), self.postcode)
        form.addRow(self.tr("Ci&ty:"), self.city)
        form.addRow(self.tr("C&ountry:"), self.country)
        form.addRow(self.tr("&VAT ID:"), self.vat_id)
        form.addRow("", self.vat_hint)
        self.body.addLayout(form)

        self.back_button = button(self.tr("&Back"), self)
        self.skip_button = button(self.tr("S&kip for now"), self)
        self.next_button = button(self.tr("&Next"), self, default=True)
        self.default_button = self.next_button
        self.body.addLayout(button_row(self.back_button, self.skip_button, self.next_button))
        self.body.addStretch(1)

        self.name.textChanged.connect(self._update)
        self.country.currentIndexChanged.connect(self._update)
        self.vat_id.editingFinished.connect(self._check_vat_id)
        self.back_button.clicked.connect(self.back)
        self.skip_button.clicked.connect(lambda: self.finished.emit(None))
        self.next_button.clicked.connect(self._next)
        self._update()

    def focus_first(self) -> None:
        self.name.setFocus()

    def profile(self) -> SellerProfile:
        party = Party(
            name=self.name.text().strip(),
            country=self.country.currentData(),
            street=self.street.text().strip(),
            city=self.city.text().strip(),
            postcode=self.postcode.text().strip(),
            vat_id="".join(self.vat_id.text().split()).upper(),
        )
        return SellerProfile(party)

    def _update(self) -> None:
        self.next_button.setEnabled(bool(self.name.text().strip() and self.country.currentData()))

    def _check_vat_id(self) -> None:
        """Said, not enforced: a new number may not be in the checker's rules yet."""
        warning = check_vat_id(self.vat_id.text())
        show_message(self.vat_hint, warning or "")

    def _next(self) -> None:
        if self.next_button.isEnabled():
            self._check_vat_id()
            self.finished.emit(self.profile())
