"""Exporting a period from the Invoices list: dates, formats, folder, files written."""

from datetime import date

from document_support import context, on_worker, when_modal  # noqa: F401
from gui_support import WAIT_MS, click
from PySide6.QtWidgets import QMessageBox
from support import invoice

from app.services import exports, invoicing
from ui.dialogs.export_period import ExportPeriodDialog
from ui.sections.documents import DocumentsSection


def test_a_period_is_exported_into_a_folder(qtbot, context, tmp_path, monkeypatch):  # noqa: F811
    number = on_worker(
        context,
        invoicing.issue,
        on_worker(context, invoicing.create_draft, invoice(issue_date=date.today())),
    )
    section = DocumentsSection(context, "invoice")
    qtbot.addWidget(section)
    section.show()
    told = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: told.append(text))
    folder = tmp_path / "accountant"
    folder.mkdir()

    def fill(dialog: ExportPeriodDialog) -> None:
        dialog.formats["ubl"].setChecked(True)
        click(qtbot, dialog.export_button)  # no folder yet: said next to the button
        assert dialog.error.text() == "Choose the folder to export into."
        dialog.folder.setText(str(folder))
        click(qtbot, dialog.export_button)

    when_modal(ExportPeriodDialog, fill)
    click(qtbot, section.export_button)
    qtbot.waitUntil(lambda: bool(told), timeout=WAIT_MS)
    assert told == [f"2 files written to {folder}."]
    assert sorted(p.name for p in folder.iterdir()) == [f"{number}.pdf", f"{number}.xml"]
    assert (folder / f"{number}.pdf").read_bytes() == on_worker(context, exports.export_pdf, number)
