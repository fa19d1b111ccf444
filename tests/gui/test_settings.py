"""Settings: the company profile, a changed IBAN behind the passphrase, numbering, auto-lock."""

from datetime import date

from gui_support import WAIT_MS, click, retype
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from screens_support import call, open_section, prepare
from support import PASSPHRASE, SELLER

from app.services import audit_log, invoicing, preferences, settings_view
from ui.form import PassphraseDialog

NEW_IBAN = "GB82WEST12345698765432"


def with_seller(session) -> None:
    invoicing.set_seller_profile(session, SELLER)


def open_settings(qtbot, new_window, data_dir, tab: str):
    prepare(data_dir, with_seller)
    window, section = open_section(qtbot, new_window, "settings")
    qtbot.waitUntil(lambda: section.profile is not None, timeout=WAIT_MS)
    tabs = section.tabs
    tabs.setCurrentIndex(next(i for i in range(tabs.count()) if tabs.tabText(i) == tab))
    return window, section


def save_with_keyboard(qtbot, section, field) -> None:
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)


def test_the_company_profile_is_saved(qtbot, new_window, data_dir):
    window, section = open_settings(qtbot, new_window, data_dir, "Company")
    name = section.party_fields["name"]
    assert name.text() == SELLER.party.name
    retype(qtbot, name, "Anna Schmidt Studio")
    save_with_keyboard(qtbot, section, name)
    qtbot.waitUntil(section.company.done.isVisible, timeout=WAIT_MS)
    saved = call(window, invoicing.seller_profile)
    assert saved.party.name == "Anna Schmidt Studio"
    assert saved.iban == SELLER.iban


def test_a_wrong_vat_rate_is_explained_under_the_field(qtbot, new_window, data_dir):
    window, section = open_settings(qtbot, new_window, data_dir, "Invoice defaults")
    retype(qtbot, section.vat_rate, "190")
    click(qtbot, section.saves[3])
    error = section.invoices.errors["default_vat_rate"]
    qtbot.waitUntil(error.isVisible, timeout=WAIT_MS)
    assert error.text().startswith("A percentage from 0 to 100")
    retype(qtbot, section.vat_rate, "7,5")
    click(qtbot, section.saves[3])
    qtbot.waitUntil(section.invoices.done.isVisible, timeout=WAIT_MS)
    assert not error.isVisible()
    assert call(window, preferences.get).default_vat_rate == "7.5"


def passphrase_dialog(qtbot) -> PassphraseDialog:
    qtbot.waitUntil(
        lambda: isinstance(QApplication.activeModalWidget(), PassphraseDialog), timeout=WAIT_MS
    )
    return QApplication.activeModalWidget()


def test_a_new_iban_needs_the_passphrase(qtbot, new_window, data_dir):
    window, section = open_settings(qtbot, new_window, data_dir, "Bank")
    retype(qtbot, section.iban, NEW_IBAN)
    click(qtbot, section.saves[1])

    dialog = passphrase_dialog(qtbot)
    qtbot.keyClicks(dialog.passphrase, "not my passphrase at all")
    qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: (
            isinstance(QApplication.activeModalWidget(), PassphraseDialog)
            and QApplication.activeModalWidget() is not dialog
        ),
        timeout=WAIT_MS,
    )
    again = QApplication.activeModalWidget()
    assert "Wrong passphrase" in again.error.text()
    assert call(window, invoicing.seller_profile).iban == SELLER.iban

    qtbot.keyClicks(again.passphrase, PASSPHRASE)
    qtbot.keyClick(again.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(section.bank.done.isVisible, timeout=WAIT_MS)
    assert call(window, invoicing.seller_profile).iban == NEW_IBAN
    entry = call(window, audit_log.list_entries, action_prefix="profile.", limit=1)[0]
    assert entry.details["iban_changed"] is True


def test_a_number_pattern_is_previewed_and_saved(qtbot, new_window, data_dir):
    window, section = open_settings(qtbot, new_window, data_dir, "Numbering")
    pattern, _yearly, preview = section.patterns["invoice"]
    retype(qtbot, pattern, "RE-{YYYY}-{SEQ")
    assert preview.text().startswith("Not valid yet")
    qtbot.keyClicks(pattern, ":05}")
    assert preview.text() == f"Next number: RE-{date.today().year}-00001"
    save_with_keyboard(qtbot, section, pattern)
    qtbot.waitUntil(section.numbering.done.isVisible, timeout=WAIT_MS)
    series = {s.doc_type: s for s in call(window, settings_view.numbering_series)}
    assert (series["invoice"].pattern, series["invoice"].yearly_reset) == (
        "RE-{YYYY}-{SEQ:05}",
        True,
    )


def test_auto_lock_minutes_are_saved(qtbot, new_window, data_dir):
    window, section = open_settings(qtbot, new_window, data_dir, "Security and backups")
    editor = section.auto_lock.lineEdit()
    section.auto_lock.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, "15")
    save_with_keyboard(qtbot, section, section.auto_lock)
    qtbot.waitUntil(section.security.done.isVisible, timeout=WAIT_MS)
    assert call(window, preferences.get).auto_lock_minutes == 15
