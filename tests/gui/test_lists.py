"""The lists of the open vault, driven like a user on a demo-filled vault.

The vault is filled once per module (through the services, at the Argon2id floor)
and copied for each test; what each list should show is read from the services
before the window opens, and what a test changes is checked in the database after
the window closed.
"""

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from gui_support import WAIT_MS, click, unlock_window
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QDialog
from support import PASSPHRASE

from app.services import access, clients, demo, invoicing
from app.store.documents import ListQuery
from app.vault.kdf import FLOOR
from ui.dialogs.client_dialog import ClientDialog
from ui.sections.clients import ClientsSection
from ui.sections.documents import DocumentsSection
from ui.sections.list_section import PAGE_SIZE

INVOICES = 260  # more than two pages of invoices
SEARCH = "Brightline"


@dataclass(frozen=True)
class Expected:
    """What the services list, read before any window opened."""

    first_pages: list[int]  # ids of the first two pages, newest first
    search: list[int]
    overdue: list[int]
    by_total: list[int]  # first page, largest total first
    totals: dict[int, int]


def ids(query: ListQuery, session) -> list[int]:
    rows, _cursor = invoicing.list_documents(session, query)
    return [row.id for row in rows]


@pytest.fixture(scope="module")
def demo_vault(tmp_path_factory) -> tuple[Path, Expected]:
    data_dir = tmp_path_factory.mktemp("lists") / "vault"
    session, _recovery = access.create_vault(data_dir, "owner", PASSPHRASE, kdf=FLOOR)
    try:
        demo.fill(session, INVOICES)
        first, cursor = invoicing.list_documents(session, ListQuery(limit=PAGE_SIZE))
        second, _ = invoicing.list_documents(session, ListQuery(limit=PAGE_SIZE, after=cursor))
        by_total, _ = invoicing.list_documents(
            session, ListQuery(sort="total_desc", limit=PAGE_SIZE)
        )
        expected = Expected(
            first_pages=[row.id for row in first + second],
            search=ids(ListQuery(search=SEARCH, limit=1000), session),
            overdue=ids(ListQuery(status="overdue", limit=1000), session),
            by_total=[row.id for row in by_total],
            totals={row.id: row.total_minor for row in by_total},
        )
    finally:
        session.vault.lock()
    assert expected.search and expected.overdue
    return data_dir, expected


@pytest.fixture
def vault_copy(demo_vault, data_dir) -> tuple[Path, Expected]:
    """A copy of the demo vault in the folder the ``new_window`` fixture opens."""
    source, expected = demo_vault
    shutil.copytree(source, data_dir)
    return data_dir, expected


def open_section(qtbot, window, section_type, name: str = ""):
    """Unlock through the window, go to the section and wait for its first page."""
    unlock_window(qtbot, window)
    workspace = window.workspace
    section = next(
        s
        for s in workspace.sections
        if isinstance(s, section_type) and (not name or s.name() == name)
    )
    workspace.sidebar.setCurrentRow(workspace.sections.index(section))
    wait_loaded(qtbot, section)
    return section


def wait_loaded(qtbot, section) -> None:
    qtbot.waitUntil(lambda: not section.model.loading, timeout=WAIT_MS)


def shown_ids(section) -> list[int]:
    return [section.model.row(i).id for i in range(section.model.rowCount())]


def test_scrolling_to_the_end_fetches_the_next_page(qtbot, new_window, vault_copy):
    _data_dir, expected = vault_copy
    section = open_section(qtbot, new_window(), DocumentsSection, "Invoices")
    model = section.model
    assert model.rowCount() == PAGE_SIZE
    assert shown_ids(section) == expected.first_pages[:PAGE_SIZE]
    assert section.count.text().endswith("scroll down for more")
    assert section.table.isVisible() and not section.empty.isVisible()

    section.table.setFocus()
    qtbot.keyClick(section.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: model.rowCount() > PAGE_SIZE, timeout=WAIT_MS)
    wait_loaded(qtbot, section)
    assert shown_ids(section)[: 2 * PAGE_SIZE] == expected.first_pages


def test_search_filter_and_sort(qtbot, new_window, vault_copy):
    _data_dir, expected = vault_copy
    section = open_section(qtbot, new_window(), DocumentsSection, "Invoices")

    # Search as you type: the list narrows to that client's invoices.
    qtbot.keyClicks(section.search, SEARCH)
    qtbot.waitUntil(lambda: section.model.query.search == SEARCH, timeout=WAIT_MS)
    wait_loaded(qtbot, section)
    assert shown_ids(section) == expected.search
    assert all(SEARCH in section.model.row(i).buyer for i in range(section.model.rowCount()))

    # Nothing matches: the list says so instead of showing an empty table.
    qtbot.keyClicks(section.search, "zzqx")
    qtbot.waitUntil(lambda: section.empty.isVisible(), timeout=WAIT_MS)
    assert "Nothing matches" in section.empty.text()
    assert not section.table.isVisible()

    # The status filter, with the search cleared.
    section.search.clear()
    section.filter.setCurrentIndex(section.filter.findData("overdue"))
    qtbot.waitUntil(lambda: section.model.query.status == "overdue", timeout=WAIT_MS)
    wait_loaded(qtbot, section)
    assert shown_ids(section) == expected.overdue
    column = section.keys.index("status")
    assert {section.model.index(i, column).data() for i in range(section.model.rowCount())} == {
        "Overdue"
    }

    # A click on the Total header: largest first, as the service sorts.
    section.filter.setCurrentIndex(0)
    header = section.table.horizontalHeader()
    total = section.keys.index("total")
    where = QPoint(header.sectionViewportPosition(total) + 10, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=where)
    qtbot.waitUntil(lambda: section.model.query.sort == "total_desc", timeout=WAIT_MS)
    wait_loaded(qtbot, section)
    shown = shown_ids(section)
    assert shown == expected.by_total
    totals = [expected.totals[i] for i in shown]
    assert totals == sorted(totals, reverse=True)
    assert header.sortIndicatorSection() == total
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder


@pytest.mark.usefixtures("vault_copy")
def test_new_and_open_requests(qtbot, new_window):
    window = new_window()
    section = open_section(qtbot, window, DocumentsSection, "Invoices")
    context = window.context

    with qtbot.waitSignal(context.new_document, timeout=WAIT_MS) as new:
        qtbot.keyClick(section.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert new.args == ["invoice"]

    rows = [section.model.row(i) for i in range(section.model.rowCount())]
    issued = next(i for i, row in enumerate(rows) if row.status != "draft")
    draft = next(i for i, row in enumerate(rows) if row.status == "draft")
    assert section.model.index(draft, 0).data() == "Draft"

    section.table.setFocus()
    section.table.setCurrentIndex(section.model.index(issued, 0))
    with qtbot.waitSignal(context.open_document, timeout=WAIT_MS) as opened:
        qtbot.keyClick(section.table, Qt.Key.Key_Return)
    assert opened.args == [rows[issued].id]

    section.table.setCurrentIndex(section.model.index(draft, 0))
    with qtbot.waitSignal(context.edit_document, timeout=WAIT_MS) as edited:
        qtbot.keyClick(section.table, Qt.Key.Key_Return)
    assert edited.args == [rows[draft].id]


def test_add_a_client_through_the_dialog(qtbot, new_window, vault_copy):
    data_dir, _expected = vault_copy
    window = new_window()
    section = open_section(qtbot, window, ClientsSection)
    before = section.model.rowCount()
    assert before > 0

    click(qtbot, section.new_button)
    qtbot.waitUntil(
        lambda: isinstance(QApplication.activeModalWidget(), ClientDialog), timeout=WAIT_MS
    )
    dialog = QApplication.activeModalWidget()

    # Saving without a name says so under the name field.
    click(qtbot, dialog.save_button)
    assert dialog.errors["name"].isVisible()
    assert "name" in dialog.errors["name"].text()

    # A malformed e-mail: the service refuses it and the message appears by the field.
    qtbot.keyClicks(dialog.name, "Zephyr Kite Studio")
    qtbot.keyClicks(dialog.email, "not-an-address")
    click(qtbot, dialog.save_button)
    qtbot.waitUntil(lambda: dialog.errors["email"].isVisible(), timeout=WAIT_MS)
    assert "e-mail" in dialog.errors["email"].text()
    assert not dialog.errors["name"].isVisible()

    dialog.email.clear()
    qtbot.keyClicks(dialog.email, "hello@zephyr-kite.example")
    qtbot.keyClicks(dialog.city, "Bremen")
    click(qtbot, dialog.save_button)
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: section.model.rowCount() == before + 1, timeout=WAIT_MS)
    wait_loaded(qtbot, section)
    names = [section.model.row(i).name for i in range(section.model.rowCount())]
    assert "Zephyr Kite Studio" in names

    window.close()
    session = access.unlock(data_dir, "owner", PASSPHRASE)
    try:
        found = clients.list_clients(session, search="Zephyr")
    finally:
        session.vault.lock()
    assert [(c.name, c.city, c.email, c.country) for c in found] == [
        ("Zephyr Kite Studio", "Bremen", "hello@zephyr-kite.example", "DE")
    ]
