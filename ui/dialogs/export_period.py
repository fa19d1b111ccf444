"""Exporting every invoice and credit note of a period into a folder (the CLI's ``export``)."""

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services import exports
from ui.context import AppContext
from ui.dialogs.fields import date_edit, from_qdate
from ui.widgets import message_label, paragraph, show_message


class ExportPeriodDialog(QDialog):
    """Dates, formats and a folder; the export runs with progress and can be cancelled."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle(self.tr("Export a period"))
        self.setMinimumWidth(460)
        today = date.today()
        self.start = date_edit(self, today.replace(day=1))
        self.end = date_edit(self, today)
        self.formats = {
            "pdf": QCheckBox(self.tr("PDF, as issued"), self),
            "facturx": QCheckBox(self.tr("Factur-X (PDF with the e-invoice inside)"), self),
            "ubl": QCheckBox(self.tr("UBL e-invoice (XML)"), self),
        }
        self.formats["pdf"].setChecked(True)
        self.folder = QLineEdit(self)
        self.folder.setPlaceholderText(self.tr("An empty folder is best"))
        choose = QPushButton(self.tr("C&hoose…"), self)
        choose.clicked.connect(self._choose)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(choose)
        kinds = QVBoxLayout()
        for box in self.formats.values():
            kinds.addWidget(box)
        form = QFormLayout()
        form.addRow(self.tr("&From:"), self.start)
        form.addRow(self.tr("&To:"), self.end)
        form.addRow(self.tr("Formats:"), kinds)
        folder_label = QLabel(self.tr("&Folder:"), self)
        folder_label.setBuddy(self.folder)  # a row holding a layout gets no buddy of its own
        form.addRow(folder_label, folder_row)
        self.error = message_label("error", self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.export_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.export_button.setText(self.tr("&Export"))
        self.buttons.accepted.connect(self.export)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            paragraph(
                self.tr(
                    "Every invoice and credit note issued in the period, one file each, for "
                    "your accountant or your records. Files already there are kept."
                ),
                self,
            )
        )
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.written: list[exports.Exported] = []

    def _choose(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Export into which folder?"))
        if folder:
            self.folder.setText(folder)

    def export(self) -> None:
        kinds = tuple(kind for kind, box in self.formats.items() if box.isChecked())
        if not kinds:
            show_message(self.error, self.tr("Choose at least one format."))
            return
        if not self.folder.text().strip():
            show_message(self.error, self.tr("Choose the folder to export into."))
            return
        show_message(self.error, "")
        self.export_button.setEnabled(False)
        self.context.act(
            self,
            self.tr("Exporting the documents…"),
            exports.export_period,
            from_qdate(self.start.date()),
            from_qdate(self.end.date()),
            Path(self.folder.text().strip()),
            kinds,
            with_progress=True,
            cancellable=True,
            on_success=self._done,
            on_failure=lambda failure: self._failed(failure.message),
            quiet_failure=True,
        )

    def _done(self, written: list[exports.Exported]) -> None:
        self.written = written
        self.export_button.setEnabled(True)
        self.context.status_message.emit("")
        self.accept()

    def _failed(self, message: str) -> None:
        self.export_button.setEnabled(True)
        show_message(self.error, message)
