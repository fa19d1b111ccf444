"""Pictures of every section of the open vault, for the README (run by `make screenshots`).

Creates a demo vault in a temporary folder (Argon2id floor, about 500 invoices),
opens the application window at 1280x800, unlocks it as a user would and saves
``docs/screenshots/app-<section>.png`` for each section of the side bar. Then:
an issued invoice in its document view (its PDF shown), the editor on a new
invoice with a client and two lines, and the first start of a new vault in
another temporary folder (the welcome page and the recovery key). Run it on an X
screen (``xvfb-run``): the offscreen platform draws no window frame and no
native style.
"""

import re
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QLocale
from PySide6.QtGui import QImage
from PySide6.QtPdf import QPdfDocument
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from app.domain.model import DocumentType
from app.services import access, clients, demo, invoicing
from app.services.session import Session
from app.store.clients import Client
from app.store.documents import ListQuery
from app.vault.kdf import FLOOR
from ui.dialogs.editor import DocumentEditor
from ui.vault_window import VaultWindow

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
PASSPHRASE = "glacier mango sprocket velvet"  # noqa: S105 - the throwaway demo vault
INVOICES = 500
SIZE = (1280, 800)
#: The editor's two lines (the demo catalogue is empty): description, quantity, unit, price.
LINES = (
    ("Logo design", "12", "HUR", "95.00"),
    ("Website hosting (monthly)", "3", "MON", "19.90"),
)
TIMEOUT_S = 60.0


def wait_until(condition: Callable[[], bool], what: str) -> None:
    """Let Qt work until ``condition`` holds (results come back from the worker thread)."""
    end = time.monotonic() + TIMEOUT_S
    while not condition():
        if time.monotonic() > end:
            raise SystemExit(f"screenshots: timed out waiting for {what}")
        QTest.qWait(10)


def settle(window: VaultWindow) -> None:
    """Until the worker has answered every read the section asked for, then paint."""
    for _ in range(3):
        wait_until(lambda: not window.worker.busy, "the section to load")
        QTest.qWait(300)


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def save(widget: QWidget, number: int, name: str) -> None:
    path = OUT / f"app-{number:02d}-{name}.png"
    widget.grab().save(str(path))
    print(f"screenshots: {path.relative_to(ROOT)}")


def on_worker(window: VaultWindow, fn: Callable[..., Any], *args: Any) -> Any:
    """``fn(session, *args)`` on the window's worker (the thread that owns the database)."""
    result: list[Any] = []
    window.context.read(fn, *args, on_success=result.append)
    wait_until(lambda: bool(result), f"{fn.__name__} on the worker")
    return result[0]


def all_clients(session: Session) -> list[Client]:
    found: list[Client] = []
    while page := clients.list_clients(
        session, after=(found[-1].name, found[-1].id) if found else None, limit=500
    ):
        found += page
    return found


def english_invoice(session: Session) -> int:
    """The newest issued, unpaid, not overdue invoice to a client who reads English.

    One with a few lines if there is (the demo's English readers are abroad: no German VAT).
    """
    english = {client.name for client in all_clients(session) if client.language == "en"}
    rows, _next = invoicing.list_documents(session, ListQuery(status="issued", limit=500))
    if not rows:
        raise SystemExit("screenshots: the demo vault has no issued invoice")
    chosen = [row for row in rows if row.buyer in english and not row.overdue] or rows
    for row in chosen[:100]:
        lines = invoicing.show(session, row.id).document.lines
        if len(lines) >= 2:
            return row.id
    return chosen[0].id


def domestic_client(session: Session) -> Client:
    """A client in the seller's country, invoiced in euros: the everyday case."""
    seller = invoicing.seller_profile(session)
    country = seller.party.country if seller is not None else "DE"
    found = all_clients(session)
    return next((c for c in found if c.country == country and c.currency == "EUR"), found[0])


def ink(image: QImage) -> int:
    """How many sampled pixels are dark: text drawn, not an empty page."""
    dark = 0
    for y in range(0, image.height(), 4):
        for x in range(0, image.width(), 4):
            if image.pixelColor(x, y).lightness() < 100:
                dark += 1
    return dark


def document_view(window: VaultWindow, number: int) -> None:
    """An issued invoice as the client sees it, its PDF preview rendered."""
    document_id = on_worker(window, english_invoice)
    window.context.open_document.emit(document_id)
    views = window.document_windows.views
    wait_until(lambda: document_id in views, "the document view")
    view = views[document_id]
    view.resize(1100, 800)
    wait_until(
        lambda: view.pdf.status() is QPdfDocument.Status.Ready and view.pdf.pageCount() > 0,
        "the invoice's PDF",
    )
    # QPdfView renders pages on its own threads: wait until one is painted.
    wait_until(lambda: ink(view.pdf_view.viewport().grab().toImage()) > 200, "the preview")
    settle(window)
    save(view, number, "document-view")
    view.close()


def editor(window: VaultWindow, number: int) -> None:
    """A new invoice with a client picked and two lines: the live totals."""
    client = on_worker(window, domestic_client)
    window.context.new_document.emit(DocumentType.INVOICE.value)
    wait_until(lambda: bool(window.findChildren(DocumentEditor)), "the editor")
    edit = window.findChildren(DocumentEditor)[0]
    settle(window)  # the seller profile and the default VAT arrive from the worker
    # As if the client had been picked from the completion list (no popup in the picture).
    edit.client.setText(client.name)
    edit._found_clients = {client.name: client}  # what the completion found
    edit.client_completer.activated.emit(client.name)
    for description, quantity, unit, price in LINES:
        if edit.lines.rows[-1].description.text():
            edit.lines.add_line(None)  # with the VAT of the line above, as "Add line" does
        row = edit.lines.rows[-1]
        row.description.setText(description)
        row.quantity.setText(quantity)
        row.unit.setCurrentIndex(max(0, row.unit.findData(unit)))
        row.price.setText(price)
    wait_until(lambda: edit.totals is not None and len(edit.totals.line_net_amounts) == 2, "totals")
    edit.setFocus()
    settle(window)
    save(edit, number, "editor")
    edit.dirty = False  # a picture, not a draft to keep
    edit.close()


def first_start(folder: Path, number: int) -> None:
    """A new vault: the welcome page, then the wizard up to its recovery key."""
    window = VaultWindow(folder, "owner", FLOOR)
    window.resize(*SIZE)
    window.show()
    wait_until(lambda: window.stack.currentWidget() is window.start_page, "the welcome page")
    settle(window)
    save(window, number, "welcome")
    window.start_page.create_button.click()
    profile = window.profile_page
    profile.name.setText("Studio Example")
    profile.street.setText("Example Street 1")
    profile.postcode.setText("10115")
    profile.city.setText("Berlin")
    profile.country.setCurrentIndex(profile.country.findData("DE"))
    profile.next_button.click()
    create = window.create_page
    wait_until(lambda: window.stack.currentWidget() is create, "the passphrase page")
    create.passphrase.setText(PASSPHRASE)
    create.repeat.setText(PASSPHRASE)
    wait_until(create.create_button.isEnabled, "the passphrase check")
    create.create_button.click()
    wait_until(lambda: window.stack.currentWidget() is window.recovery_page, "the recovery key")
    settle(window)
    save(window, number + 1, "recovery-key")
    window.close()


def main() -> int:
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
    app = QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "vault"
        session, _recovery = access.create_vault(data_dir, "owner", PASSPHRASE, kdf=FLOOR)
        try:
            demo.fill(session, INVOICES)
        finally:
            access.lock(session)
        window = VaultWindow(data_dir, "owner", FLOOR)
        window.resize(*SIZE)
        window.show()
        page = window.unlock_page
        wait_until(page.passphrase.isEnabled, "the unlock page")
        page.passphrase.setText(PASSPHRASE)
        page.default_button.click()
        wait_until(lambda: window.stack.currentWidget() is window.workspace, "the unlock")
        OUT.mkdir(parents=True, exist_ok=True)
        workspace = window.workspace
        for row, section in enumerate(workspace.sections):
            workspace.show_section(section)
            settle(window)
            save(window, row + 1, slug(workspace.sidebar.item(row).text()))
        number = len(workspace.sections) + 1
        document_view(window, number)
        editor(window, number + 1)
        window.close()
        app.processEvents()
        first_start(Path(tmp) / "new vault", number + 2)
        app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
