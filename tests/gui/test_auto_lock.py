"""Auto-lock: the vault closes after a while without input, as Ctrl+L closes it."""

from gui_support import WAIT_MS, unlock_window, wait_for_page
from PySide6.QtCore import Qt
from support import PASSPHRASE

from app.services import access, preferences


def test_idle_locks_input_postpones_it(qtbot, recovery_vault, new_window):
    window = new_window()
    window.auto_lock.interval_ms = 1500  # instead of the 5 minutes of the preferences
    unlock_window(qtbot, window)
    qtbot.waitUntil(lambda: window.auto_lock.active, timeout=WAIT_MS)
    assert window.auto_lock.minutes == 5
    timer = window.auto_lock._timer
    qtbot.waitUntil(lambda: timer.remainingTime() < 1000, timeout=WAIT_MS)
    qtbot.keyClick(window.workspace.sidebar, Qt.Key.Key_Down)  # someone is there
    assert timer.remainingTime() > 1200
    session = window.ops.session

    with qtbot.waitSignal(window.about_to_lock, timeout=WAIT_MS):
        pass
    wait_for_page(qtbot, window, window.unlock_page)
    qtbot.waitUntil(lambda: window.ops.session is None, timeout=WAIT_MS)
    assert session.vault.locked
    assert window.unlock_page.notice.text() == "Locked after 5 minute(s) without use."
    assert not window.auto_lock.active
    unlock_window(qtbot, window)  # and it opens again; the note is gone
    assert window.unlock_page.notice.text() == ""


def test_the_setting_is_read_at_unlock_and_when_it_changes(
    qtbot, recovery_vault, new_window, data_dir
):
    session = access.unlock(data_dir, "owner", PASSPHRASE)
    preferences.update(session, auto_lock_minutes=0)
    session.vault.lock()
    window = new_window()
    unlock_window(qtbot, window)
    window.context.act(window, "", preferences.update, changes="settings", auto_lock_minutes=12)
    qtbot.waitUntil(lambda: window.auto_lock.minutes == 12, timeout=WAIT_MS)
    assert window.auto_lock.active
    window.context.act(window, "", preferences.update, changes="settings", auto_lock_minutes=0)
    qtbot.waitUntil(lambda: window.auto_lock.minutes == 0, timeout=WAIT_MS)
    assert not window.auto_lock.active  # 0: never
