"""The first start on an empty data folder: the wizard's create path and its restore path."""

import subprocess

import keyring
from gui_support import WAIT_MS, MemoryKeyring, click, wait_for_page
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QFileDialog
from support import PASSPHRASE

from app.services import access, backup, invoicing
from app.vault.kdf import FLOOR


def test_create_with_a_profile_an_emergency_sheet_and_remember(
    qtbot, new_window, data_dir, tmp_path, monkeypatch
):
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    window = new_window()
    assert window.stack.currentWidget() is window.start_page
    click(qtbot, window.start_page.create_button)

    profile = window.profile_page
    wait_for_page(qtbot, window, profile)
    assert not profile.next_button.isEnabled()  # a name and a country first
    qtbot.keyClicks(profile.name, "Acme Design")
    qtbot.keyClicks(profile.street, "Hauptstraße 5")
    qtbot.keyClicks(profile.postcode, "10115")
    qtbot.keyClicks(profile.city, "Berlin")
    profile.country.setCurrentIndex(profile.country.findData("DE"))
    qtbot.keyClicks(profile.vat_id, "DE 136 695 976")
    click(qtbot, profile.next_button)

    page = window.create_page
    wait_for_page(qtbot, window, page)
    qtbot.keyClicks(page.passphrase, PASSPHRASE)
    qtbot.keyClicks(page.repeat, PASSPHRASE)
    qtbot.waitUntil(page.create_button.isEnabled, timeout=WAIT_MS)
    click(qtbot, page.create_button)

    recovery = window.recovery_page
    wait_for_page(qtbot, window, recovery)
    key = recovery.key_label.text()
    assert key.startswith("AGE-SECRET-KEY-1")
    sheet = tmp_path / "emergency"  # the user typed no extension
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kw: (str(sheet), ""))
    click(qtbot, recovery.save_button)
    qtbot.waitUntil(
        lambda: recovery.copied.text().startswith("Emergency sheet saved"), timeout=WAIT_MS
    )
    pdf = tmp_path / "emergency.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True).stdout
    assert key in "".join(text.decode().split())

    assert not recovery.continue_button.isEnabled()
    click(qtbot, recovery.continue_button)
    assert window.stack.currentWidget() is recovery
    click(qtbot, recovery.confirm)
    click(qtbot, recovery.remember)
    click(qtbot, recovery.continue_button)
    wait_for_page(qtbot, window, window.unlocked_page)
    assert window.unlocked_page.laptop.text().startswith("remembers your key until")
    assert recovery.key_label.text() == ""
    assert access.keyring_status(data_dir, "owner").remembered_until is not None

    saved = window.worker.run(window.ops.call, invoicing.seller_profile).result()
    assert saved.party.name == "Acme Design"
    assert saved.party.country == "DE"
    assert saved.party.city == "Berlin"
    assert saved.party.vat_id == "DE136695976"


def test_back_and_skip_keep_the_wizard_simple(qtbot, new_window, data_dir):
    window = new_window()
    click(qtbot, window.start_page.create_button)
    wait_for_page(qtbot, window, window.profile_page)
    click(qtbot, window.profile_page.back_button)
    wait_for_page(qtbot, window, window.start_page)
    click(qtbot, window.start_page.restore_button)
    wait_for_page(qtbot, window, window.restore_page)
    assert not window.restore_page.restore_button.isEnabled()
    click(qtbot, window.restore_page.back_button)
    wait_for_page(qtbot, window, window.start_page)
    assert not data_dir.exists()


def test_restore_on_a_fresh_laptop_with_the_recovery_key(
    qtbot, new_window, data_dir, tmp_path, monkeypatch
):
    # Another laptop's vault and its backup on a USB disk.
    other, recovery_key = access.create_vault(tmp_path / "old", "owner", PASSPHRASE, kdf=FLOOR)
    made = backup.create_backup(other, tmp_path / "usb")
    vault_id = other.vault_id
    other.vault.lock()

    window = new_window()
    click(qtbot, window.start_page.restore_button)
    page = window.restore_page
    wait_for_page(qtbot, window, page)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **kw: (str(made.path), ""))
    click(qtbot, page.choose_button)
    assert page.file.text() == str(made.path)
    choice = page.secret.use_recovery_key
    qtbot.mouseClick(choice, Qt.MouseButton.LeftButton, pos=QPoint(8, choice.height() // 2))
    qtbot.keyClicks(page.secret.field, recovery_key)
    qtbot.waitUntil(page.restore_button.isEnabled, timeout=WAIT_MS)
    click(qtbot, page.restore_button)
    assert page.secret.field.text() == ""  # not kept in the widget

    unlock = window.unlock_page
    wait_for_page(qtbot, window, unlock)
    assert unlock.notice.text().startswith("Restored the backup made on")
    qtbot.waitUntil(unlock.passphrase.isEnabled, timeout=WAIT_MS)
    qtbot.keyClicks(unlock.passphrase, PASSPHRASE)
    qtbot.keyClick(unlock.passphrase, Qt.Key.Key_Return)
    wait_for_page(qtbot, window, window.unlocked_page)
    assert window.unlocked_page.vault_id.text() == vault_id
    assert (data_dir / "vault.json").exists()
