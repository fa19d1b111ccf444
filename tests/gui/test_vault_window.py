"""The vault window driven like a user: typing, clicking, waiting for what appears.

Every test checks what the user sees and then what is on disk or in the
database afterwards. Work runs on the window's worker thread, so the tests wait
for its result with ``waitUntil`` (never a sleep).
"""

import json

import keyring
import pytest
from gui_support import WAIT_MS, LockedKeyring, MemoryKeyring, click, wait_for_page
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QApplication
from support import OTHER_PASSPHRASE, PASSPHRASE

from app.errors import WrongPassphrase
from app.services import access
from app.vault.kdf import FLOOR
from app.vault.throttle import Throttle
from app.vault.vault import STATE_FILE, VAULT_FILE, Vault


def unlock_page_ready(qtbot, window):
    """The start-up keyring attempt is over and the passphrase can be typed."""
    page = window.unlock_page
    wait_for_page(qtbot, window, page)
    qtbot.waitUntil(page.passphrase.isEnabled, timeout=WAIT_MS)
    return page


def unlock_through_ui(qtbot, window, passphrase=PASSPHRASE, *, remember=False):
    page = unlock_page_ready(qtbot, window)
    if remember:
        click(qtbot, page.remember)
        assert page.remember.isChecked()
    qtbot.keyClicks(page.passphrase, passphrase)
    qtbot.keyClick(page.passphrase, Qt.Key.Key_Return)
    wait_for_page(qtbot, window, window.unlocked_page)
    return window.unlocked_page


def to_create_page(qtbot, window):
    """First start: "Create a new vault", skip the company profile, reach the passphrase."""
    assert window.stack.currentWidget() is window.start_page
    click(qtbot, window.start_page.create_button)
    wait_for_page(qtbot, window, window.profile_page)
    click(qtbot, window.profile_page.skip_button)
    wait_for_page(qtbot, window, window.create_page)
    return window.create_page


# -- (a) creating a vault ----------------------------------------------------------------


class TestCreate:
    def test_a_new_folder_asks_for_a_new_passphrase(self, qtbot, new_window, data_dir):
        window = new_window()
        assert window.windowTitle() == "InvoiceVault"
        page = to_create_page(qtbot, window)
        assert page.passphrase.echoMode() == page.passphrase.EchoMode.Password
        assert page.repeat.echoMode() == page.repeat.EchoMode.Password
        assert not page.create_button.isEnabled()
        assert not data_dir.exists()

    def test_a_weak_passphrase_keeps_create_disabled_and_says_why(
        self, qtbot, new_window, data_dir
    ):
        page = to_create_page(qtbot, new_window())
        qtbot.keyClicks(page.passphrase, "password123")
        qtbot.keyClicks(page.repeat, "password123")
        qtbot.waitUntil(page.meter.advice.isVisible, timeout=WAIT_MS)
        assert page.meter.label.text() == "very weak"
        assert "common password" in page.meter.advice.text()
        assert not page.create_button.isEnabled()
        click(qtbot, page.create_button)
        qtbot.keyClick(page.repeat, Qt.Key.Key_Return)
        assert not page.busy.isVisible()
        assert not (data_dir / VAULT_FILE).exists()

    def test_a_short_passphrase_gets_the_length_advice(self, qtbot, new_window):
        page = to_create_page(qtbot, new_window())
        qtbot.keyClicks(page.passphrase, "short")
        qtbot.waitUntil(page.meter.advice.isVisible, timeout=WAIT_MS)
        assert "at least 10 characters" in page.meter.advice.text()

    def test_a_repeat_that_does_not_match_keeps_create_disabled(self, qtbot, new_window):
        page = to_create_page(qtbot, new_window())
        qtbot.keyClicks(page.passphrase, PASSPHRASE)
        qtbot.keyClicks(page.repeat, PASSPHRASE + "x")
        qtbot.waitUntil(lambda: page.meter.label.text() == "very strong", timeout=WAIT_MS)
        assert page.match_hint.isVisible()
        assert not page.meter.advice.isVisible()
        assert not page.create_button.isEnabled()
        qtbot.keyClick(page.repeat, Qt.Key.Key_Backspace)
        qtbot.waitUntil(page.create_button.isEnabled, timeout=WAIT_MS)
        assert not page.match_hint.isVisible()

    def test_show_passphrase_reveals_both_fields(self, qtbot, new_window):
        page = to_create_page(qtbot, new_window())
        click(qtbot, page.show_text)
        assert page.passphrase.echoMode() == page.passphrase.EchoMode.Normal
        assert page.repeat.echoMode() == page.repeat.EchoMode.Normal

    def test_create_shows_the_recovery_key_once_and_it_really_recovers(
        self, qtbot, new_window, data_dir
    ):
        window = new_window()
        page = to_create_page(qtbot, window)
        qtbot.keyClicks(page.passphrase, PASSPHRASE)
        qtbot.keyClicks(page.repeat, PASSPHRASE)
        qtbot.waitUntil(page.create_button.isEnabled, timeout=WAIT_MS)
        click(qtbot, page.create_button)
        # The key derivation runs on the worker: the page says so and cannot be submitted twice.
        assert page.busy.isVisible()
        assert "takes a few seconds on purpose" in page.busy.label.text()
        assert not page.create_button.isEnabled()
        assert not page.passphrase.isEnabled()

        recovery = window.recovery_page
        wait_for_page(qtbot, window, recovery)
        key = recovery.key_label.text()
        assert key.startswith("AGE-SECRET-KEY-1")
        assert (
            recovery.key_label.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
        )
        metrics = QFontMetrics(recovery.key_label.font())  # every character as wide: "1" vs "l"
        assert len({metrics.horizontalAdvance(c) for c in "1lIiWM0O"}) == 1
        assert page.passphrase.text() == page.repeat.text() == ""  # not kept in the widgets

        click(qtbot, recovery.copy_button)
        assert QGuiApplication.clipboard().text() == key
        assert recovery.copied.isVisible()

        assert not recovery.continue_button.isEnabled()
        click(qtbot, recovery.continue_button)
        assert window.stack.currentWidget() is recovery
        click(qtbot, recovery.confirm)
        assert recovery.continue_button.isEnabled()
        click(qtbot, recovery.continue_button)
        wait_for_page(qtbot, window, window.unlocked_page)
        assert window.unlocked_page.user.text() == "owner"
        assert window.unlocked_page.role.text() == "Owner"
        assert QGuiApplication.clipboard().text() != key  # cleared on the way out
        assert recovery.key_label.text() == ""  # shown once: gone from the window

        # On disk: a vault that opens with the passphrase, and with the recovery key.
        vault_id = json.loads((data_dir / VAULT_FILE).read_text())["vault_id"]
        assert window.unlocked_page.vault_id.text() == vault_id
        window.close()
        Vault(data_dir).unlock("owner", PASSPHRASE).lock()
        reset = access.reset_passphrase(data_dir, key, "owner", OTHER_PASSPHRASE, kdf=FLOOR)
        reset.vault.lock()
        Vault(data_dir).unlock("owner", OTHER_PASSPHRASE).lock()
        with pytest.raises(WrongPassphrase):
            Vault(data_dir).unlock("owner", PASSPHRASE)

    def test_a_folder_that_cannot_hold_a_vault_shows_why(self, qtbot, new_window, data_dir):
        data_dir.mkdir()
        (data_dir / "invoicevault.db").write_bytes(b"left over")
        page = to_create_page(qtbot, new_window())
        qtbot.keyClicks(page.passphrase, PASSPHRASE)
        qtbot.keyClicks(page.repeat, PASSPHRASE)
        qtbot.waitUntil(page.create_button.isEnabled, timeout=WAIT_MS)
        click(qtbot, page.create_button)
        qtbot.waitUntil(page.error.isVisible, timeout=WAIT_MS)
        assert "choose an empty folder" in page.error.text()
        assert page.passphrase.isEnabled()
        assert not (data_dir / VAULT_FILE).exists()


# -- (b) unlocking, (c) the audit log, (d) locking -------------------------------------


class TestUnlock:
    def test_a_wrong_passphrase_is_refused_and_the_right_one_opens(
        self, qtbot, recovery_vault, new_window
    ):
        window = new_window()
        page = unlock_page_ready(qtbot, window)
        assert page.who.text() == "User: owner"
        assert not page.unlock_button.isEnabled()  # nothing typed yet
        qtbot.keyClicks(page.passphrase, "not the passphrase at all")
        click(qtbot, page.unlock_button)
        qtbot.waitUntil(page.error.isVisible, timeout=WAIT_MS)
        assert page.error.text() == "Wrong passphrase for owner."
        assert window.stack.currentWidget() is page
        assert window.ops.session is None
        assert not window.lock_action.isEnabled()

        # The wrong text is selected, so typing replaces it; Return presses Unlock.
        qtbot.keyClicks(page.passphrase, PASSPHRASE)
        assert page.passphrase.text() == PASSPHRASE
        qtbot.keyClick(page.passphrase, Qt.Key.Key_Return)
        wait_for_page(qtbot, window, window.unlocked_page)
        assert page.passphrase.text() == ""
        unlocked = window.unlocked_page
        assert unlocked.user.text() == "owner"
        assert unlocked.role.text() == "Owner"
        assert unlocked.laptop.text() == "asks for your passphrase every time"
        assert not unlocked.forget_button.isVisible()
        assert window.lock_action.isEnabled()
        assert window.ops.session is not None and not window.ops.session.vault.locked

    def test_verify_audit_log_reports_an_intact_chain(self, qtbot, recovery_vault, new_window):
        window = new_window()
        page = unlock_page_ready(qtbot, window)
        qtbot.keyClicks(page.passphrase, "one wrong attempt first")
        qtbot.keyClick(page.passphrase, Qt.Key.Key_Return)
        qtbot.waitUntil(page.error.isVisible, timeout=WAIT_MS)
        unlocked = unlock_through_ui(qtbot, window)  # the typed text is selected: replaced
        click(qtbot, unlocked.verify_button)
        qtbot.waitUntil(unlocked.result.isVisible, timeout=WAIT_MS)
        # vault.created, then the failed unlock, moved in from unlock-state.json
        assert unlocked.result.text() == ("The audit log is intact: 2 entries, every link checked.")

    def test_lock_returns_to_the_unlock_page_and_closes_the_database(
        self, qtbot, recovery_vault, new_window
    ):
        window = new_window()
        unlocked = unlock_through_ui(qtbot, window)
        session = window.ops.session
        click(qtbot, unlocked.lock_button)
        page = window.unlock_page
        wait_for_page(qtbot, window, page)
        assert session.vault.locked
        assert session.vault.conn is None
        assert window.ops.session is None
        assert page.passphrase.text() == ""
        assert page.passphrase.isEnabled()
        assert not window.lock_action.isEnabled()
        # ... and it opens again.
        unlock_through_ui(qtbot, window)

    def test_ctrl_l_locks(self, qtbot, recovery_vault, new_window):
        window = new_window()
        unlock_through_ui(qtbot, window)
        assert window.lock_action.shortcut() == QKeySequence("Ctrl+L")
        session = window.ops.session
        window.activateWindow()
        qtbot.waitActive(window)
        qtbot.keyClick(
            window.unlocked_page.verify_button, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier
        )
        wait_for_page(qtbot, window, window.unlock_page)
        assert session.vault.locked

    def test_closing_the_window_locks_even_an_unlock_in_flight(
        self, qtbot, recovery_vault, new_window
    ):
        window = new_window()
        page = unlock_page_ready(qtbot, window)
        qtbot.keyClicks(page.passphrase, PASSPHRASE)
        click(qtbot, page.unlock_button)
        window.close()  # waits for the unlock, then locks what it opened
        assert window.ops.session is None
        assert window.worker.run(lambda: None) is None  # the worker is stopped

    def test_too_many_failures_count_down_before_the_next_try(
        self, qtbot, recovery_vault, new_window, data_dir
    ):
        throttle = Throttle(data_dir / STATE_FILE)
        for _ in range(4):  # three free attempts, then 1 s, then 2 s
            throttle.record_failure("owner", "passphrase")
        window = new_window()
        page = unlock_page_ready(qtbot, window)
        qtbot.keyClicks(page.passphrase, PASSPHRASE)
        qtbot.keyClick(page.passphrase, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: "Too many wrong passphrases" in page.error.text(), timeout=WAIT_MS)
        assert "try again in" in page.error.text()
        assert not page.unlock_button.isEnabled()
        assert window.stack.currentWidget() is page
        qtbot.waitUntil(page.unlock_button.isEnabled, timeout=WAIT_MS)
        assert page.error.text() == "You can try again now."
        click(qtbot, page.unlock_button)
        wait_for_page(qtbot, window, window.unlocked_page)


# -- (e) the OS keyring ------------------------------------------------------------------


class TestKeyring:
    def test_remember_then_the_next_start_opens_without_a_passphrase(
        self, qtbot, recovery_vault, new_window, data_dir
    ):
        backend = MemoryKeyring()
        keyring.set_keyring(backend)
        window = new_window()
        unlocked = unlock_through_ui(qtbot, window, remember=True)
        assert unlocked.laptop.text().startswith("remembers your key until")
        assert unlocked.forget_button.isVisible()
        assert not unlocked.note.isVisible()
        assert access.keyring_status(data_dir, "owner").remembered_until is not None
        assert len(backend.entries) == 1
        window.close()

        second = new_window()
        wait_for_page(qtbot, second, second.unlocked_page)
        assert second.unlock_page.passphrase.text() == ""  # nobody typed anything
        assert second.ops.session is not None and not second.ops.session.vault.locked

    def test_forget_on_this_laptop(self, qtbot, recovery_vault, new_window, data_dir):
        backend = MemoryKeyring()
        keyring.set_keyring(backend)
        window = new_window()
        unlocked = unlock_through_ui(qtbot, window, remember=True)
        click(qtbot, unlocked.forget_button)
        qtbot.waitUntil(lambda: not unlocked.forget_button.isVisible(), timeout=WAIT_MS)
        assert unlocked.result.text() == "This laptop no longer remembers your key."
        assert unlocked.laptop.text() == "asks for your passphrase every time"
        assert backend.entries == {}
        assert access.keyring_status(data_dir, "owner").remembered_until is None
        window.close()
        second = new_window()
        unlock_page_ready(qtbot, second)  # asks for the passphrase again
        assert not second.unlock_page.notice.isVisible()

    def test_a_keyring_that_refuses_shows_the_reason_and_the_passphrase_still_works(
        self, qtbot, recovery_vault, new_window, data_dir
    ):
        keyring.set_keyring(MemoryKeyring())
        session = access.unlock(data_dir, "owner", PASSPHRASE)
        access.remember_on_this_laptop(session)
        session.vault.lock()
        keyring.set_keyring(LockedKeyring())

        window = new_window()
        page = unlock_page_ready(qtbot, window)
        assert page.notice.isVisible()
        assert page.notice.text() == (
            "Could not use the OS keyring: the OS keyring is locked. Enter your passphrase."
        )
        assert window.ops.session is None
        unlock_through_ui(qtbot, window)
        assert page.notice.text() == ""

    def test_no_keyring_at_all_keeps_the_vault_open_and_says_so(
        self, qtbot, recovery_vault, new_window, data_dir
    ):
        # The autouse fixture left keyring's `fail` backend in place.
        window = new_window()
        unlocked = unlock_through_ui(qtbot, window, remember=True)
        assert unlocked.note.isVisible()
        assert "could not remember your key" in unlocked.note.text()
        assert "no OS keyring is available" in unlocked.note.text()
        assert not unlocked.forget_button.isVisible()
        assert access.keyring_status(data_dir, "owner").remembered_until is None


# -- the keyboard ------------------------------------------------------------------------


def tab_through(qtbot, window, count):
    """The widgets Tab visits, starting from the focused one."""
    window.activateWindow()
    qtbot.waitActive(window)
    visited = [QApplication.focusWidget()]
    for _ in range(count):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        visited.append(QApplication.focusWidget())
    return visited


def test_tab_order_of_the_create_page(qtbot, new_window):
    window = new_window()
    page = to_create_page(qtbot, window)
    qtbot.keyClicks(page.passphrase, PASSPHRASE)
    qtbot.keyClicks(page.repeat, PASSPHRASE)
    qtbot.waitUntil(page.create_button.isEnabled, timeout=WAIT_MS)
    page.passphrase.setFocus()
    assert tab_through(qtbot, window, 4) == [
        page.passphrase,
        page.repeat,
        page.show_text,
        page.back_button,
        page.create_button,
    ]


def test_tab_order_of_the_unlock_page(qtbot, recovery_vault, new_window):
    window = new_window()
    page = unlock_page_ready(qtbot, window)
    qtbot.keyClicks(page.passphrase, PASSPHRASE)
    assert tab_through(qtbot, window, 2) == [page.passphrase, page.remember, page.unlock_button]
