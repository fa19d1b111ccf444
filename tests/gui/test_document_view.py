"""The document view driven like a user: preview, print, save as, payment, reminder, credit note."""

from datetime import date, timedelta
from decimal import Decimal

import pikepdf
import pytest
from document_support import context, on_worker, top_level, when_modal  # noqa: F401
from gui_support import WAIT_MS, click, retype
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QFileDialog, QMessageBox
from support import invoice

from app.domain.model import DocumentType
from app.services import exports, invoicing
from app.store import reminders
from app.store.documents import ListQuery
from ui.dialogs.document_view import DocumentViewWindow
from ui.dialogs.editor import DocumentEditor
from ui.dialogs.small_forms import PasswordDialog, PaymentDialog, ReminderDialog


@pytest.fixture
def overdue(context):  # noqa: F811
    today = date.today()
    draft = invoice(issue_date=today - timedelta(days=60), due_date=today - timedelta(days=30))
    document_id = on_worker(context, invoicing.create_draft, draft)
    number = on_worker(context, invoicing.issue, document_id)
    return document_id, number


def open_view(qtbot, ctx, document_id) -> DocumentViewWindow:
    """The view this test opened (a window of an earlier test may not be deleted yet)."""
    ctx.open_document.emit(document_id)

    def mine() -> DocumentViewWindow | None:
        found = [
            w for w in ctx.windows.views.values() if w.document_id == document_id and w.isVisible()
        ]
        return found[0] if found else None

    qtbot.waitUntil(lambda: mine() is not None, timeout=WAIT_MS)
    view = mine()
    qtbot.waitUntil(lambda: view.pdf.pageCount() > 0, timeout=WAIT_MS)
    return view


def test_preview_print_and_save_as_give_the_exported_files(
    qtbot,
    context,  # noqa: F811
    overdue,
    tmp_path,
    monkeypatch,
):
    document_id, number = overdue
    view = open_view(qtbot, context, document_id)
    assert number in view.heading.text()
    assert "OVERDUE" in view.status_line.text()
    assert "Page 1 of" in view.page_label.text()

    printed = tmp_path / "printed.pdf"

    def fake_exec(dialog):
        dialog.printer().setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        dialog.printer().setOutputFileName(str(printed))
        return QPrintDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", fake_exec)
    click(qtbot, view.print_button)
    assert printed.read_bytes().startswith(b"%PDF")

    for button, kind, export in (
        (view.save_pdf, "pdf", exports.export_pdf),
        (view.save_facturx, "facturx", exports.export_facturx),
        (view.save_ubl, "ubl", exports.export_ubl),
    ):
        target = tmp_path / f"out-{kind}"
        monkeypatch.setattr(
            QFileDialog, "getSaveFileName", lambda *_a, t=target, **_k: (str(t), "")
        )
        click(qtbot, button)
        qtbot.waitUntil(target.exists, timeout=WAIT_MS)
        assert target.read_bytes() == on_worker(context, export, number)


def test_payments_reminder_and_credit_note(qtbot, context, overdue, tmp_path, monkeypatch):  # noqa: F811
    document_id, number = overdue
    view = open_view(qtbot, context, document_id)
    shown = on_worker(context, invoicing.show, document_id)

    # a reminder with a fee, its PDF saved where the user says
    reminder_pdf = tmp_path / "reminder.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(reminder_pdf), ""))

    def fill_fee(dialog: ReminderDialog) -> None:
        dialog.fee.setText("5.00")
        dialog.accept()

    when_modal(ReminderDialog, fill_fee)
    click(qtbot, view.reminder_button)
    qtbot.waitUntil(reminder_pdf.exists, timeout=WAIT_MS)
    assert reminder_pdf.read_bytes().startswith(b"%PDF")
    sent = on_worker(context, lambda session: reminders.for_document(session.conn, document_id))
    assert [(r.level, r.fee_minor) for r in sent] == [(1, 500)]

    # part of the money, then the rest: the amount starts at what is still due
    seen: list[str] = []

    def pay_part(dialog: PaymentDialog) -> None:
        seen.append(dialog.amount.text())
        retype(qtbot, dialog.amount, "100")
        dialog.accept()

    when_modal(PaymentDialog, pay_part)
    click(qtbot, view.payment_button)
    qtbot.waitUntil(lambda: "Partly paid" in view.status_line.text(), timeout=WAIT_MS)
    assert seen == [format(shown.outstanding, "f")]
    assert on_worker(context, invoicing.show, document_id).status == "partially_paid"

    when_modal(PaymentDialog, lambda dialog: dialog.accept())
    click(qtbot, view.payment_button)
    qtbot.waitUntil(lambda: view.status_line.text().startswith("Paid"), timeout=WAIT_MS)
    paid = on_worker(context, invoicing.show, document_id)
    assert paid.status == "paid" and paid.outstanding == Decimal("0.00")
    assert not view.payment_button.isEnabled() and not view.reminder_button.isEnabled()

    # a credit note: a draft that opens in the editor
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    click(qtbot, view.credit_button)
    qtbot.waitUntil(lambda: top_level(DocumentEditor) is not None, timeout=WAIT_MS)
    editor = top_level(DocumentEditor)
    qtbot.waitUntil(editor.isEnabled, timeout=WAIT_MS)
    assert number in editor.preceding.text()
    credit = on_worker(context, invoicing.show, editor.document_id)
    assert credit.status == "draft" and credit.document.type.value == "credit_note"
    assert credit.document.preceding_invoice == number


def test_a_password_protected_pdf_and_a_quote_made_an_invoice(
    qtbot,
    context,  # noqa: F811
    overdue,
    tmp_path,
    monkeypatch,
):
    document_id, _number = overdue
    view = open_view(qtbot, context, document_id)
    target = tmp_path / "locked.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(target), ""))

    def type_password(dialog: PasswordDialog) -> None:
        dialog.password.setText("send-by-phone")
        dialog.repeat.setText("send-by-phone")
        dialog.accept()

    when_modal(PasswordDialog, type_password)
    click(qtbot, view.save_protected)
    qtbot.waitUntil(target.exists, timeout=WAIT_MS)
    with pytest.raises(pikepdf.PasswordError):
        pikepdf.open(target)
    pikepdf.open(target, password="send-by-phone").close()

    quote_id = on_worker(
        context, invoicing.create_draft, invoice(type=DocumentType.QUOTE, issue_date=date.today())
    )
    on_worker(context, invoicing.issue, quote_id)
    quote_view = open_view(qtbot, context, quote_id)
    assert quote_view.convert_button.isEnabled()
    click(qtbot, quote_view.convert_button)
    qtbot.waitUntil(lambda: top_level(DocumentEditor) is not None, timeout=WAIT_MS)
    editor = top_level(DocumentEditor)
    rows, _ = on_worker(
        context, invoicing.list_documents, ListQuery(doc_type="invoice", status="draft")
    )
    assert editor.document_id in [r.id for r in rows]  # the new invoice draft, open to edit
    assert on_worker(context, invoicing.show, quote_id).status == "converted"
