"""The overview: what clients owe per currency, recent documents, the backup reminder."""

from datetime import date, timedelta
from decimal import Decimal

from gui_support import WAIT_MS
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QLabel
from screens_support import call, issue, open_section, prepare
from support import SELLER

from app.services import dashboard, invoicing

TODAY = date.today()


def two_currencies(session) -> None:
    invoicing.set_seller_profile(session, SELLER)
    late = TODAY - timedelta(days=20)
    issue(session, issue_date=late, due_date=late + timedelta(days=10))  # overdue
    paid = issue(session, issue_date=TODAY, due_date=TODAY + timedelta(days=9))
    invoicing.record_payment(session, paid, Decimal("100.00"), TODAY)
    issue(session, currency="USD", issue_date=TODAY, due_date=TODAY + timedelta(days=9))


def shown_totals(section) -> list[list[str]]:
    grid = section.totals
    rows = []
    for row in range(1, grid.rowCount()):
        cells = [grid.itemAtPosition(row, col) for col in range(3)]
        if all(cells):
            rows.append([c.widget().text() for c in cells if isinstance(c.widget(), QLabel)])
    return rows


def test_totals_per_currency_match_the_service(qtbot, new_window, data_dir):
    prepare(data_dir, two_currencies)
    window, section = open_section(qtbot, new_window, "dashboard")
    qtbot.waitUntil(lambda: section.summary is not None, timeout=WAIT_MS)

    expected = call(window, dashboard.summary, QLocale().name())
    eur, usd = expected.totals
    assert (eur.unpaid_count, eur.overdue_count, usd.overdue_count) == (2, 1, 0)
    assert shown_totals(section) == [
        ["EUR", f"{eur.unpaid}  (2 invoices)", f"{eur.overdue}  (1 invoice)"],
        ["USD", f"{usd.unpaid}  (1 invoice)", "none"],
    ]
    assert section.recent.topLevelItemCount() == 3
    assert "No backup has been made yet" in section.backup_label.text()


def test_clicking_a_recent_document_asks_to_open_it(qtbot, new_window, data_dir):
    prepare(data_dir, two_currencies)
    window, section = open_section(qtbot, new_window, "dashboard")
    qtbot.waitUntil(lambda: section.recent.topLevelItemCount() == 3, timeout=WAIT_MS)
    item = section.recent.topLevelItem(0)
    rect = section.recent.visualItemRect(item)
    with qtbot.waitSignal(window.context.open_document, timeout=WAIT_MS) as opened:
        qtbot.mouseClick(section.recent.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened.args == [item.data(0, Qt.ItemDataRole.UserRole)]
    with qtbot.waitSignal(window.context.new_document, timeout=WAIT_MS) as new:
        qtbot.mouseClick(section.new_invoice, Qt.MouseButton.LeftButton)
    assert new.args == ["invoice"]
