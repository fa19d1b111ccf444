"""The audit log screen: newest first, filtered by kind of action, and verified."""

from gui_support import WAIT_MS, click
from PySide6.QtCore import Qt
from screens_support import issue, open_section, prepare
from support import SELLER

from app.services import invoicing, preferences


def a_few_actions(session) -> None:
    invoicing.set_seller_profile(session, SELLER)
    issue(session)
    preferences.update(session, auto_lock_minutes=10)


def shown(section) -> list[str]:
    model = section.model
    return [
        model.index(row, 2).data(Qt.ItemDataRole.DisplayRole) for row in range(model.rowCount())
    ]


def test_entries_newest_first_filtered_and_verified(qtbot, new_window, data_dir):
    prepare(data_dir, a_few_actions)
    _window, section = open_section(qtbot, new_window, "audit")
    qtbot.waitUntil(lambda: section.model.rowCount() >= 5, timeout=WAIT_MS)
    texts = shown(section)
    assert texts[0] == "Settings changed: auto lock minutes"
    assert texts[1] == "Invoice INV-2026-0001 issued (1423.48 EUR)"
    assert texts[-1] == "Vault created"
    assert section.model.index(0, 1).data() == "owner"

    section.kind.setFocus()
    section.kind.setCurrentIndex(section.kind.findText("Documents"))
    documents = ["Invoice INV-2026-0001 issued (1423.48 EUR)", "Invoice draft 1 created"]
    qtbot.waitUntil(lambda: shown(section) == documents, timeout=WAIT_MS)

    click(qtbot, section.verify_button)
    qtbot.waitUntil(section.report_ok.isVisible, timeout=WAIT_MS)
    assert "intact" in section.report_ok.text()
    assert not section.report_error.isVisible()
