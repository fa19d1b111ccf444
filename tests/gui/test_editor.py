"""The document editor driven like a user: client and item completion, totals, save, issue."""

from datetime import date, timedelta
from decimal import Decimal

from document_support import context, on_worker, top_level, when_modal  # noqa: F401
from gui_support import WAIT_MS, click, retype
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCompleter, QMessageBox
from support import BUYER

from app.domain.model import Document, DocumentType, Line, VatCategory
from app.domain.totals import compute
from app.services import clients, invoicing
from app.store import files
from ui.dialogs.document_view import DocumentViewWindow
from ui.dialogs.editor import DocumentEditor
from ui.dialogs.fields import format_money


def pick(qtbot, completer: QCompleter, text: str) -> None:
    """Wait for the completion list and click ``text`` in it."""
    popup = completer.popup()
    qtbot.waitUntil(popup.isVisible, timeout=WAIT_MS)
    model = popup.model()
    rows = [model.index(r, 0) for r in range(model.rowCount())]
    index = next(i for i in rows if i.data() == text)
    qtbot.mouseClick(
        popup.viewport(), Qt.MouseButton.LeftButton, pos=popup.visualRect(index).center()
    )


def type_into(qtbot, field, text: str) -> None:
    """Click into the field, then type, as a person does."""
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(field, text)


def open_new_editor(qtbot, ctx) -> DocumentEditor:
    ctx.new_document.emit("invoice")
    qtbot.waitUntil(lambda: top_level(DocumentEditor) is not None, timeout=WAIT_MS)
    editor = top_level(DocumentEditor)
    qtbot.waitExposed(editor)
    return editor


def test_a_new_invoice_from_completion_to_issued(qtbot, context):  # noqa: F811
    editor = open_new_editor(qtbot, context)
    type_into(qtbot, editor.client, "M")
    pick(qtbot, editor.client_completer, BUYER.name)
    qtbot.waitUntil(lambda: "Berlin" in editor.client_details.text(), timeout=WAIT_MS)

    first = editor.lines.rows[0]
    type_into(qtbot, first.description, "Logo")
    pick(qtbot, first.completer, "Logo design")
    assert first.price.text() == "95.00" and first.unit.currentData() == "HUR"
    assert first.quantity.hasFocus()
    retype(qtbot, first.quantity, "12")

    click(qtbot, editor.lines.add_button)
    second = editor.lines.rows[1]
    qtbot.waitUntil(second.description.hasFocus, timeout=WAIT_MS)
    type_into(qtbot, second.description, "Host")
    pick(qtbot, second.completer, "Hosting (monthly)")
    retype(qtbot, second.quantity, "3")

    expected = compute(
        Document(
            DocumentType.INVOICE,
            "EUR",
            date.today(),
            BUYER,
            (
                Line(
                    "Logo design",
                    Decimal(12),
                    "HUR",
                    Decimal("95.00"),
                    VatCategory.STANDARD,
                    Decimal(19),
                ),
                Line(
                    "Hosting (monthly)",
                    Decimal(3),
                    "MON",
                    Decimal("19.90"),
                    VatCategory.STANDARD,
                    Decimal(19),
                ),
            ),
        )
    )
    total = format_money(expected.with_vat, "EUR")
    qtbot.waitUntil(lambda: editor.totals_panel.figures.get("Total") == total, timeout=WAIT_MS)
    assert editor.totals_panel.figures["Sum of lines"] == format_money(expected.sum_of_lines, "EUR")
    assert editor.totals_panel.figures["Amount due"] == format_money(expected.due, "EUR")
    assert second.amount.text() == format_money(Decimal("59.70"), "EUR")

    # a bad quantity is said under its line, while typing
    retype(qtbot, second.quantity, "0")
    qtbot.waitUntil(second.message.isVisible, timeout=WAIT_MS)
    assert second.message.text().startswith("Quantity:")
    retype(qtbot, second.quantity, "abc")
    qtbot.waitUntil(lambda: "number" in second.message.text(), timeout=WAIT_MS)
    retype(qtbot, second.quantity, "3")
    qtbot.waitUntil(lambda: not second.message.isVisible(), timeout=WAIT_MS)

    qtbot.keyClick(editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: editor.document_id is not None and not editor.dirty, timeout=WAIT_MS)
    document_id = editor.document_id
    stored = on_worker(context, invoicing.show, document_id)
    assert stored.status == "draft"
    assert [line.description for line in stored.document.lines] == [
        "Logo design",
        "Hosting (monthly)",
    ]
    assert stored.totals.with_vat == expected.with_vat
    assert len(on_worker(context, clients.list_clients)) == 1  # the picked client, not a new one

    number = on_worker(context, invoicing.next_number, "invoice", date.today())
    seen: list[str] = []

    def confirm(box: QMessageBox) -> None:
        seen.append(box.text())
        issue = next(
            b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole
        )
        issue.click()

    when_modal(QMessageBox, confirm)
    click(qtbot, editor.issue_button)
    qtbot.waitUntil(lambda: top_level(DocumentViewWindow) is not None, timeout=WAIT_MS)
    assert number in seen[0]
    issued = on_worker(context, invoicing.show, document_id)
    assert issued.number == number and issued.status == "issued"
    kept = on_worker(context, lambda session: files.document_pdf(session.conn, document_id))
    assert kept is not None and kept.content.startswith(b"%PDF")
    view = top_level(DocumentViewWindow)
    qtbot.waitUntil(lambda: view.pdf.pageCount() > 0, timeout=WAIT_MS)
    assert number in view.heading.text()


def test_a_new_client_name_becomes_a_client_and_closing_asks_first(qtbot, context, monkeypatch):  # noqa: F811
    editor = open_new_editor(qtbot, context)
    type_into(qtbot, editor.client, "Atelier Dupont")
    qtbot.waitUntil(lambda: "new client" in editor.client_details.text(), timeout=WAIT_MS)
    editor.country.setCurrentText("FR")
    row = editor.lines.rows[0]
    type_into(qtbot, row.description, "Consulting")
    retype(qtbot, row.price, "100")
    retype(qtbot, row.rate, "20")
    qtbot.waitUntil(lambda: bool(editor.totals_panel.figures.get("Total")), timeout=WAIT_MS)

    answers = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save]
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: answers.pop(0))
    editor.close()
    assert editor.isVisible()  # Cancel: still there, nothing lost
    editor.close()  # Save: saves, then closes
    qtbot.waitUntil(lambda: top_level(DocumentEditor) is None, timeout=WAIT_MS)
    names = [c.name for c in on_worker(context, clients.list_clients)]
    assert "Atelier Dupont" in names


def test_a_draft_opens_in_the_editor_with_its_lines(qtbot, context):  # noqa: F811
    from support import invoice

    document_id = on_worker(
        context, invoicing.create_draft, invoice(due_date=None, issue_date=date.today())
    )
    context.edit_document.emit(document_id)
    qtbot.waitUntil(lambda: top_level(DocumentEditor) is not None, timeout=WAIT_MS)
    editor = top_level(DocumentEditor)
    qtbot.waitUntil(editor.isEnabled, timeout=WAIT_MS)
    assert [r.description.text() for r in editor.lines.rows] == [
        "Logo design",
        "Printing of business cards",
    ]
    shown = on_worker(context, invoicing.show, document_id)
    qtbot.waitUntil(
        lambda: (
            editor.totals_panel.figures.get("Total") == format_money(shown.totals.with_vat, "EUR")
        ),
        timeout=WAIT_MS,
    )
    assert not editor.dirty
    assert editor.document_id == document_id
    assert date.today() + timedelta(days=30) == shown.document.due_date


def test_new_lines_start_with_the_default_vat_of_the_settings(qtbot, context):  # noqa: F811
    from app.services import preferences

    on_worker(
        context,
        lambda session: preferences.update(session, default_vat_category="Z", default_vat_rate="0"),
    )
    editor = open_new_editor(qtbot, context)
    first = editor.lines.rows[0]
    qtbot.waitUntil(lambda: first.rate.text() == "0", timeout=WAIT_MS)
    assert first.category.currentText() == "Z"
    assert not editor.dirty  # a default is not an edit: closing asks nothing
    retype(qtbot, first.rate, "7")
    click(qtbot, editor.lines.add_button)
    assert editor.lines.rows[1].rate.text() == "7"  # then each new line follows the one above
    editor.dirty = False
    editor.close()
