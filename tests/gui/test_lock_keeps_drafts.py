"""Locking (Ctrl+L, idle, restore, quit) keeps an open editor's edits as a draft."""

from gui_support import WAIT_MS, unlock_window
from support import PASSPHRASE, SELLER

from app.services import access, invoicing
from app.store.documents import ListQuery
from ui.dialogs.editor import DocumentEditor


def test_ctrl_l_saves_the_open_draft_first(qtbot, recovery_vault, new_window, data_dir):
    session = access.unlock(data_dir, "owner", PASSPHRASE)
    invoicing.set_seller_profile(session, SELLER)
    session.vault.lock()
    window = new_window()
    unlock_window(qtbot, window)
    window.context.new_document.emit("invoice")
    qtbot.waitUntil(lambda: bool(window.findChildren(DocumentEditor)), timeout=WAIT_MS)
    editor = window.findChildren(DocumentEditor)[0]
    qtbot.keyClicks(editor.client, "Atelier Dupont")
    line = editor.lines.rows[0]
    qtbot.keyClicks(line.description, "Consulting")
    line.price.setFocus()
    qtbot.keyClicks(line.price, "120")
    line.rate.selectAll()
    qtbot.keyClicks(line.rate, "19")
    qtbot.waitUntil(lambda: editor.dirty, timeout=WAIT_MS)

    window.lock_action.trigger()  # what Ctrl+L does
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.unlock_page, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not window.findChildren(DocumentEditor), timeout=WAIT_MS)
    session = access.unlock(data_dir, "owner", PASSPHRASE)
    try:
        rows, _ = invoicing.list_documents(session, ListQuery(doc_type="invoice", status="draft"))
        assert [r.buyer for r in rows] == ["Atelier Dupont"]
    finally:
        session.vault.lock()
