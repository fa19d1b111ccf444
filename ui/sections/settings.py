"""Settings: company profile and logo, bank details, number series, defaults, security, backups.

One tab per group, each with its own Save button; Ctrl+S saves the visible tab.
Every save is one service call through :meth:`AppContext.act`; a field's
validation message appears under that field.
"""

from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.invoice_json import SellerProfile
from app.domain.model import Party, VatCategory
from app.domain.numbering import check_pattern, format_number
from app.errors import InvoiceVaultError, NeedsConfirmation, WrongPassphrase
from app.services import access, invoicing, preferences, settings_view
from app.services.preferences import Preferences
from app.services.session import Session
from ui.context import AppContext
from ui.form import Form, PassphraseDialog
from ui.sections.base import Section
from ui.widgets import button, button_row, title
from ui.worker import Failure

if TYPE_CHECKING:
    from ui.vault_window import VaultWindow

ORDER = 80
LOGO_SIZE = 96
PROFILE_FIELDS = ("name", "street", "postcode", "city", "country", "vat_id", "legal_id", "tax_id")
PROFILE_FIELDS += ("email", "phone")
LANGUAGE_NAMES = {"en": "English", "de": "Deutsch", "fr": "Français"}


def make(context: AppContext, window: "VaultWindow") -> list[tuple[QWidget, str]]:
    section = SettingsSection(context, window)
    return [(section, section.name())]


def _save_profile_with_passphrase(
    session: Session, passphrase: str, profile: SellerProfile, accept: bool
) -> None:
    access.confirm_passphrase(session, passphrase)
    invoicing.set_seller_profile(session, profile, accept_warnings=accept)


def _save_series(session: Session, changed: list[tuple[str, str, bool]]) -> None:
    for doc_type, pattern, yearly in changed:
        invoicing.set_numbering_series(session, doc_type, pattern, yearly)


def _remember(session: Session, on: bool) -> str | None:
    if on:
        return access.remember_on_this_laptop(session)
    access.forget_on_this_laptop(session)
    return None


class SettingsSection(Section):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.layout_.addWidget(title(self.tr("Settings"), self))
        self.tabs = QTabWidget(self)
        self.layout_.addWidget(self.tabs, 1)
        self.profile: SellerProfile | None = None
        self.series: list[settings_view.SeriesView] = []
        self.saves: list[QPushButton] = []
        self.remembered_until: str | None = None
        self._build_company()
        self._build_bank()
        self._build_numbering()
        self._build_invoices()
        self._build_security()
        save = QShortcut(QKeySequence.StandardKey.Save, self)
        save.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save.activated.connect(lambda: self.saves[self.tabs.currentIndex()].click())

    def name(self) -> str:
        return self.tr("Settings")

    def _tab(self, form: Form, label: str, save: QPushButton) -> None:
        page = QWidget(self.tabs)
        column = QVBoxLayout(page)
        column.addWidget(form, 1)
        column.addLayout(button_row(save))
        save.setToolTip(self.tr("Save this page (Ctrl+S)"))
        self.saves.append(save)
        self.tabs.addTab(page, label)

    def _line(self, form: Form, key: str, label: str, hint: str = "") -> QLineEdit:
        field = QLineEdit(form)
        field.setAccessibleName(label.replace("&", ""))
        form.add(key, label, field, hint)
        return field

    # -- company ------------------------------------------------------------------------

    def _build_company(self) -> None:
        self.company = Form(self)
        labels = {
            "name": self.tr("Company &name"),
            "street": self.tr("Street"),
            "postcode": self.tr("Postcode"),
            "city": self.tr("City"),
            "country": self.tr("Country code"),
            "vat_id": self.tr("VAT ID"),
            "legal_id": self.tr("Company register no."),
            "tax_id": self.tr("Tax number"),
            "email": self.tr("E-mail"),
            "phone": self.tr("Phone"),
        }
        hints = {"country": self.tr("Two letters, e.g. DE, FR, GB")}
        self.party_fields = {
            key: self._line(self.company, key, labels[key], hints.get(key, ""))
            for key in PROFILE_FIELDS
        }
        self.party_fields["country"].setMaxLength(2)
        self.logo = QLabel(self.tr("No logo"), self.company)
        self.logo.setFixedSize(LOGO_SIZE * 2, LOGO_SIZE)
        self.logo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.logo.setFrameShape(QLabel.Shape.StyledPanel)
        self.choose_logo = button(self.tr("Choose &logo…"), self.company)
        self.remove_logo = button(self.tr("&Remove logo"), self.company)
        row = QHBoxLayout()
        row.addWidget(self.logo)
        buttons = QVBoxLayout()
        buttons.addWidget(self.choose_logo)
        buttons.addWidget(self.remove_logo)
        buttons.addStretch(1)
        row.addLayout(buttons)
        row.addStretch(1)
        holder = QWidget(self.company)
        holder.setLayout(row)
        self.company.add("logo", self.tr("Logo"), holder)
        save = button(self.tr("&Save company"), self)
        self._tab(self.company, self.tr("Company"), save)
        save.clicked.connect(
            lambda: self._save_profile(self._profile_from_fields(), form=self.company)
        )
        self.choose_logo.clicked.connect(self._choose_logo)
        self.remove_logo.clicked.connect(self._remove_logo)

    def _profile_from_fields(self, **bank: str) -> SellerProfile:
        values = {key: field.text().strip() for key, field in self.party_fields.items()}
        values["country"] = values["country"].upper()
        base = self.profile or SellerProfile(Party("", ""))
        return replace(base, party=Party(**values), logo_path="", **bank)

    def _save_profile(
        self,
        profile: SellerProfile,
        *,
        form: Form,
        remove_logo: bool = False,
        accept: bool = False,
        passphrase: str | None = None,
    ) -> None:
        form.clear_messages()

        def failed(failure: Failure) -> None:
            error = failure.error
            if isinstance(error, NeedsConfirmation) and self._accept_warnings(failure.message):
                self._save_profile(
                    profile, form=form, remove_logo=remove_logo, accept=True, passphrase=passphrase
                )
            elif isinstance(error, WrongPassphrase):
                self._ask_passphrase(profile, accept, failure.message)
            elif isinstance(error, InvoiceVaultError) and not isinstance(error, NeedsConfirmation):
                form.show_error(failure.message)

        def saved(_result: Any) -> None:
            form.show_done(self.tr("Saved."))
            self._load()

        if passphrase is not None:
            self.context.act(
                self,
                self.tr("Saving the bank details…"),
                _save_profile_with_passphrase,
                passphrase,
                profile,
                accept,
                on_success=saved,
                on_failure=failed,
                changes="settings",
                quiet_failure=True,
            )
            return
        self.context.act(
            self,
            self.tr("Saving the company profile…"),
            invoicing.set_seller_profile,
            profile,
            accept_warnings=accept,
            remove_logo=remove_logo,
            on_success=saved,
            on_failure=failed,
            changes="settings",
            quiet_failure=True,
        )

    def _accept_warnings(self, message: str) -> bool:
        answer = QMessageBox.question(
            self,
            self.tr("Save anyway?"),
            self.tr("{0}\n\nSave anyway?").format(message),
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Save

    def _choose_logo(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, self.tr("Choose your logo"), "", self.tr("Images (*.png *.jpg *.jpeg)")
        )
        if path:
            profile = replace(self._profile_from_fields(), logo_path=path)
            self._save_profile(profile, form=self.company)

    def _remove_logo(self) -> None:
        self._save_profile(self._profile_from_fields(), form=self.company, remove_logo=True)

    # -- bank ---------------------------------------------------------------------------

    def _build_bank(self) -> None:
        self.bank = Form(self)
        self.iban = self._line(
            self.bank,
            "iban",
            self.tr("&IBAN"),
            self.tr(
                "Changing the IBAN asks for your passphrase: invoices tell clients where to pay."
            ),
        )
        self.bic = self._line(self.bank, "bic", self.tr("BIC"))
        save = button(self.tr("&Save bank details"), self)
        self._tab(self.bank, self.tr("Bank"), save)
        save.clicked.connect(self._save_bank)

    def _save_bank(self) -> None:
        iban = self.iban.text().replace(" ", "").upper()
        profile = self._profile_from_fields(iban=iban, bic=self.bic.text().strip().upper())
        if self.profile is not None and self.profile.iban and iban != self.profile.iban:
            self._ask_passphrase(profile, False, "")
        else:
            self._save_profile(profile, form=self.bank)

    def _ask_passphrase(self, profile: SellerProfile, accept: bool, error: str) -> None:
        dialog = PassphraseDialog(
            self.tr(
                "You are changing the IBAN your clients pay to. Enter your passphrase to confirm."
            ),
            self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if error:
            dialog.error.setText(error)
            dialog.error.show()
        dialog.accepted.connect(
            lambda: self._save_profile(
                profile, form=self.bank, accept=accept, passphrase=dialog.passphrase.text()
            )
        )
        dialog.open()

    # -- numbering ----------------------------------------------------------------------

    def _build_numbering(self) -> None:
        self.numbering = Form(self)
        names = {
            "invoice": self.tr("Invoices"),
            "credit_note": self.tr("Credit notes"),
            "quote": self.tr("Quotes"),
        }
        self.patterns: dict[str, tuple[QLineEdit, QCheckBox, QLabel]] = {}
        for doc_type, label in names.items():
            pattern = QLineEdit(self.numbering)
            pattern.setAccessibleName(self.tr("{0} number pattern").format(label))
            yearly = QCheckBox(self.tr("Start again at 1 every year"), self.numbering)
            preview = QLabel(self.numbering)
            holder = QWidget(self.numbering)
            column = QVBoxLayout(holder)
            column.setContentsMargins(0, 0, 0, 0)
            column.addWidget(pattern)
            column.addWidget(yearly)
            column.addWidget(preview)
            self.numbering.add(doc_type, label, holder)
            self.patterns[doc_type] = (pattern, yearly, preview)
            pattern.textChanged.connect(lambda _t, d=doc_type: self._preview(d))
            yearly.toggled.connect(lambda _c, d=doc_type: self._preview(d))
        self.numbering.form.addRow(
            QLabel(
                self.tr(
                    "{YYYY} year, {YY} short year, {MM} month, {SEQ:04} the number with 4 digits."
                    " Numbers already given never change."
                ),
                self.numbering,
            )
        )
        save = button(self.tr("&Save numbering"), self)
        self._tab(self.numbering, self.tr("Numbering"), save)
        save.clicked.connect(self._save_numbering)

    def _preview(self, doc_type: str) -> None:
        pattern, yearly, preview = self.patterns[doc_type]
        found = [s for s in self.series if s.doc_type == doc_type]
        try:
            check_pattern(pattern.text(), yearly.isChecked())
        except InvoiceVaultError as error:
            preview.setText(self.tr("Not valid yet: {0}").format(str(error).partition(": ")[2]))
            return
        seq = found[0].next_seq(yearly.isChecked()) if found else 1
        number = format_number(pattern.text(), seq, date.today())
        preview.setText(self.tr("Next number: {0}").format(number))

    def _save_numbering(self) -> None:
        changed = [
            (doc_type, pattern.text(), yearly.isChecked())
            for doc_type, (pattern, yearly, _preview) in self.patterns.items()
            if any(
                s.doc_type == doc_type
                and (s.pattern, s.yearly_reset) != (pattern.text(), yearly.isChecked())
                for s in self.series
            )
        ]
        if not changed:
            self.numbering.show_done(self.tr("Nothing to save: no pattern changed."))
            return
        for doc_type, pattern, yearly in changed:
            try:
                check_pattern(pattern, yearly)
            except InvoiceVaultError as error:
                self.numbering.show_error(f"{doc_type}: {str(error).partition(': ')[2]}")
                return
        self.numbering.clear_messages()

        def saved(_result: Any) -> None:
            self._load()
            self.numbering.show_done(self.tr("Saved."))

        self.context.act(
            self,
            self.tr("Saving the number patterns…"),
            _save_series,
            changed,
            on_success=saved,
            on_failure=lambda failure: self.numbering.show_error(failure.message),
            changes="settings",
            quiet_failure=True,
        )

    # -- invoices -----------------------------------------------------------------------

    def _build_invoices(self) -> None:
        self.invoices = Form(self)
        self.vat_category = QComboBox(self.invoices)
        for category in VatCategory:
            self.vat_category.addItem(
                f"{category.value} – {category.name.replace('_', ' ').lower()}", category.value
            )
        self.invoices.add(
            "default_vat_category", self.tr("Default VAT &category"), self.vat_category
        )
        self.vat_rate = self._line(
            self.invoices,
            "default_vat_rate",
            self.tr("Default VAT &rate (%)"),
            self.tr("For new invoice lines, e.g. 19 or 7.5"),
        )
        self.language = QComboBox(self.invoices)
        for code, name in LANGUAGE_NAMES.items():
            self.language.addItem(name, code)
        self.invoices.add(
            "invoice_language",
            self.tr("Invoice &language"),
            self.language,
            self.tr("For new clients; each client can have their own."),
        )
        save = button(self.tr("&Save defaults"), self)
        self._tab(self.invoices, self.tr("Invoice defaults"), save)
        save.clicked.connect(
            lambda: self._save_preferences(
                self.invoices,
                default_vat_category=self.vat_category.currentData(),
                default_vat_rate=self.vat_rate.text().strip().replace(",", "."),
                invoice_language=self.language.currentData(),
            )
        )

    # -- security and backups -----------------------------------------------------------

    def _build_security(self) -> None:
        self.security = Form(self)
        self.auto_lock = QSpinBox(self.security)
        self.auto_lock.setRange(0, 240)
        self.auto_lock.setSuffix(self.tr(" min"))
        self.auto_lock.setSpecialValueText(self.tr("Never"))
        self.security.add(
            "auto_lock_minutes",
            self.tr("&Lock after idle"),
            self.auto_lock,
            self.tr("The vault closes by itself when you are away."),
        )
        self.remember = QCheckBox(self.tr("Remember my key on this laptop"), self.security)
        self.security.add(
            "remember",
            self.tr("Keyring"),
            self.remember,
            self.tr("Opens the vault without the passphrase for 14 days, through the OS keyring."),
        )
        self.backup_folder = QLineEdit(self.security)
        self.backup_folder.setAccessibleName(self.tr("Backup folder"))
        choose = button(self.tr("C&hoose…"), self.security)
        row = QWidget(self.security)
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.backup_folder, 1)
        line.addWidget(choose)
        self.security.add("backup_folder", self.tr("&Backup folder"), row)
        self.reminder = QSpinBox(self.security)
        self.reminder.setRange(1, 365)
        self.reminder.setSuffix(self.tr(" days"))
        self.security.add(
            "backup_reminder_days", self.tr("Remind me to back up after"), self.reminder
        )
        save = button(self.tr("&Save security and backups"), self)
        self._tab(self.security, self.tr("Security and backups"), save)
        choose.clicked.connect(self._choose_backup_folder)
        save.clicked.connect(self._save_security)

    def _choose_backup_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Where should backups go?"), self.backup_folder.text()
        )
        if folder:
            self.backup_folder.setText(folder)

    def _save_security(self) -> None:
        self._save_preferences(
            self.security,
            auto_lock_minutes=self.auto_lock.value(),
            backup_folder=self.backup_folder.text().strip(),
            backup_reminder_days=self.reminder.value(),
        )
        if self.remember.isChecked() != (self.remembered_until is not None):
            self.context.act(
                self,
                self.tr("Changing the keyring option…"),
                _remember,
                self.remember.isChecked(),
                on_success=self._remembered,
                on_failure=lambda failure: self.security.show_error(f"remember: {failure.message}"),
                changes="settings",
                quiet_failure=True,
            )

    def _remembered(self, until: str | None) -> None:
        self.remembered_until = until

    def _save_preferences(self, form: Form, **changes: Any) -> None:
        form.clear_messages()
        self.context.act(
            self,
            self.tr("Saving…"),
            preferences.update,
            on_success=lambda _prefs: form.show_done(self.tr("Saved.")),
            on_failure=lambda failure: form.show_error(failure.message),
            changes="settings",
            quiet_failure=True,
            **changes,
        )

    # -- loading ------------------------------------------------------------------------

    def activate(self) -> None:
        self._load()

    def _load(self) -> None:
        self.context.read(_load_all, on_success=self._show)

    def _show(self, loaded: "Loaded") -> None:
        profile, logo, series, prefs, until = loaded
        self.profile = profile
        party = profile.party if profile else Party("", "")
        for key, field in self.party_fields.items():
            field.setText(getattr(party, key))
        self.iban.setText(profile.iban if profile else "")
        self.bic.setText(profile.bic if profile else "")
        self.remove_logo.setEnabled(logo is not None)
        if logo is None:
            self.logo.setPixmap(QPixmap())
            self.logo.setText(self.tr("No logo"))
        else:
            pixmap = QPixmap()
            pixmap.loadFromData(logo)
            self.logo.setPixmap(
                pixmap.scaled(
                    self.logo.size(),
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
        self.series = series
        for view in series:
            pattern, yearly, _preview = self.patterns[view.doc_type]
            pattern.setText(view.pattern)
            yearly.setChecked(view.yearly_reset)
            self._preview(view.doc_type)
        self._show_preferences(prefs)
        self.remembered_until = until
        self.remember.setChecked(until is not None)

    def _show_preferences(self, prefs: Preferences) -> None:
        self.vat_category.setCurrentIndex(self.vat_category.findData(prefs.default_vat_category))
        self.vat_rate.setText(prefs.default_vat_rate)
        self.language.setCurrentIndex(self.language.findData(prefs.invoice_language))
        self.auto_lock.setValue(prefs.auto_lock_minutes)
        self.backup_folder.setText(prefs.backup_folder)
        self.reminder.setValue(prefs.backup_reminder_days)

    def focus_first(self) -> None:
        self.tabs.currentWidget().focusNextChild()


Loaded = tuple[
    SellerProfile | None, bytes | None, list[settings_view.SeriesView], Preferences, str | None
]


def _load_all(session: Session) -> Loaded:
    logo = settings_view.current_logo(session)
    return (
        invoicing.seller_profile(session),
        logo.data if logo else None,
        settings_view.numbering_series(session),
        preferences.get(session),
        settings_view.remembered_until(session),
    )
