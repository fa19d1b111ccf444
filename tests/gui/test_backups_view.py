"""The Backups section driven like a user: make, verify and restore a backup.

File and folder pickers are answered by monkeypatching QFileDialog; the dialog
asking for the passphrase or the recovery key is filled through its widgets.
"""

import pytest
from gui_support import WAIT_MS, click, unlock_window, wait_for_page
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox
from support import PASSPHRASE

from app.domain.invoice_json import SellerProfile
from app.domain.model import Party
from app.services import access, backup, invoicing
from app.vault.vault import VAULT_FILE
from ui.pages.backup_secret import BackupSecretDialog
from ui.sections.backups import BackupsSection


def open_backups(qtbot, window) -> BackupsSection:
    """Unlock with the passphrase, then go to the Backups section from the side bar."""
    unlock_window(qtbot, window)
    (section,) = [s for s in window.workspace.sections if isinstance(s, BackupsSection)]
    window.workspace.sidebar.setCurrentRow(window.workspace.sections.index(section))
    qtbot.waitUntil(lambda: bool(section.status.text()), timeout=WAIT_MS)
    return section


def answer_secret_dialog(qtbot, secret: str, *, recovery_key: bool = False) -> None:
    """When the dialog asking how to open the backup appears, fill it and press OK."""

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        shown = isinstance(dialog, BackupSecretDialog) and dialog.windowHandle().isExposed()
        if not shown:
            QTimer.singleShot(20, fill)
            return
        assert not dialog.ok.isEnabled()
        if recovery_key:
            choice = dialog.secret.use_recovery_key  # on its round box, as a person clicks it
            qtbot.mouseClick(choice, Qt.MouseButton.LeftButton, pos=QPoint(8, choice.height() // 2))
            assert dialog.secret.use_recovery_key.isChecked()
        qtbot.keyClicks(dialog.secret.field, secret)
        assert dialog.ok.isEnabled()
        click(qtbot, dialog.ok)

    QTimer.singleShot(0, fill)


def pick_file(monkeypatch, path) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kw: (str(path), ""))


@pytest.fixture
def usb(tmp_path):
    folder = tmp_path / "usb"
    folder.mkdir()
    return folder


def test_make_a_backup_then_verify_it_with_the_passphrase_and_the_recovery_key(
    qtbot, recovery_vault, new_window, usb, monkeypatch
):
    _data_dir, recovery_key = recovery_vault
    window = new_window()
    section = open_backups(qtbot, window)
    assert section.status.text() == "No backup has been made yet: make one now."

    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *args, **kw: str(usb))
    click(qtbot, section.make_button)
    qtbot.waitUntil(section.result.isVisible, timeout=WAIT_MS)
    (made,) = usb.glob("*.ivbak")
    assert section.result.text() == f"Backup written and checked: {made}"
    # tmp_path is on the vault's drive: said plainly, in the warning panel.
    assert section.warning.isVisible()
    assert section.warning.text().startswith("Not safe yet.")
    assert "same drive" in section.warning.text()
    qtbot.waitUntil(
        lambda: section.status.text().startswith("The last backup was made today."),
        timeout=WAIT_MS,
    )
    assert section.folder == str(usb)  # remembered for the next backup
    assert backup.verify_backup(made, PASSPHRASE).vault_id == window.unlocked_page.vault_id.text()

    pick_file(monkeypatch, made)
    answer_secret_dialog(qtbot, PASSPHRASE)
    click(qtbot, section.verify_button)
    qtbot.waitUntil(lambda: "complete and opens" in section.result.text(), timeout=WAIT_MS)
    text = section.result.text()
    assert window.unlocked_page.vault_id.text() in text
    assert "audit log entries" in text
    assert not section.warning.isVisible()

    section.result.clear()
    answer_secret_dialog(qtbot, recovery_key, recovery_key=True)
    click(qtbot, section.verify_button)
    qtbot.waitUntil(lambda: "complete and opens" in section.result.text(), timeout=WAIT_MS)


def test_a_wrong_passphrase_is_refused_with_a_message(qtbot, session, usb, new_window, monkeypatch):
    made = backup.create_backup(session, usb)
    session.vault.lock()
    window = new_window()
    section = open_backups(qtbot, window)
    pick_file(monkeypatch, made.path)
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: shown.append(text))
    answer_secret_dialog(qtbot, "not my passphrase")
    click(qtbot, section.verify_button)
    qtbot.waitUntil(lambda: bool(shown), timeout=WAIT_MS)
    assert not section.result.isVisible()


def test_restore_replaces_the_vault_keeps_the_old_one_and_asks_to_unlock(
    qtbot, session, data_dir, usb, new_window, monkeypatch
):
    invoicing.set_seller_profile(session, SellerProfile(Party("Before Ltd", "DE")))
    made = backup.create_backup(session, usb)
    invoicing.set_seller_profile(session, SellerProfile(Party("After Ltd", "DE")))
    session.vault.lock()

    window = new_window()
    section = open_backups(qtbot, window)
    old_session = window.ops.session
    pick_file(monkeypatch, made.path)
    asked = []

    def yes(_parent, _title, text, *_args):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", yes)
    answer_secret_dialog(qtbot, PASSPHRASE)
    click(qtbot, section.restore_button)

    page = window.unlock_page
    wait_for_page(qtbot, window, page)
    assert "replaced by the one in this backup" in asked[0]
    assert "kept aside" in asked[0]
    assert old_session.vault.locked
    assert window.ops.session is None
    assert page.notice.text().startswith("Restored the backup made on")
    (kept,) = [p for p in data_dir.parent.iterdir() if p.name.startswith(data_dir.name + ".")]
    assert str(kept) in page.notice.text()
    assert (kept / VAULT_FILE).exists()

    open_backups(qtbot, window)
    profile = window.worker.run(window.ops.call, invoicing.seller_profile).result()
    assert profile.party.name == "Before Ltd"
    window.close()
    old = access.unlock(kept, "owner", PASSPHRASE)
    assert invoicing.seller_profile(old).party.name == "After Ltd"
    old.vault.lock()
