"""The first start's other way in: a vault brought back from a backup file."""

from pathlib import Path

from PySide6.QtCore import QDir, Signal
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLineEdit, QWidget

from ui.pages.backup_secret import BackupSecret
from ui.widgets import Page, button, button_row, message_label, paragraph, show_message, title


def choose_backup_file(parent: QWidget, start: str = "") -> str:
    """The file dialog for an .ivbak; empty when the user cancelled."""
    path, _filter = QFileDialog.getOpenFileName(
        parent,
        parent.tr("Choose a backup file"),
        start or QDir.homePath(),
        parent.tr("InvoiceVault backups (*.ivbak)") + ";;" + parent.tr("All files (*)"),
    )
    return path


class RestorePage(Page):
    back = Signal()
    restore_requested = Signal(object, object, object)  # Path, passphrase | None, key | None

    def __init__(self, user: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.body.addWidget(title(self.tr("Restore from a backup"), self))
        self.body.addWidget(
            paragraph(
                self.tr(
                    "Choose the backup file (it ends in .ivbak, often on a USB disk), then "
                    "open it with your passphrase or with the recovery key from your "
                    "emergency sheet. The whole backup is checked before anything is "
                    "written here."
                ),
                self,
            )
        )
        self.file = QLineEdit(self)
        self.file.setReadOnly(True)
        self.file.setPlaceholderText(self.tr("No file chosen yet"))
        self.file.setAccessibleName(self.tr("Backup file"))
        self.choose_button = button(self.tr("&Choose file…"), self)
        row = QHBoxLayout()
        row.addWidget(self.file, 1)
        row.addWidget(self.choose_button)
        self.body.addLayout(row)
        self.secret = BackupSecret(user, self)
        self.body.addWidget(self.secret)
        self.error = message_label("error", self)
        self.body.addWidget(self.error)
        self.back_button = button(self.tr("&Back"), self)
        self.restore_button = button(self.tr("&Restore"), self, default=True)
        self.default_button = self.restore_button
        self.body.addLayout(button_row(self.back_button, self.restore_button))
        self.body.addStretch(1)

        self.choose_button.clicked.connect(self._choose)
        self.secret.changed.connect(self._update)
        self.back_button.clicked.connect(self._back)
        self.restore_button.clicked.connect(self._restore)
        self._update()

    def focus_first(self) -> None:
        (self.secret.field if self.file.text() else self.choose_button).setFocus()

    def show_error(self, message: str) -> None:
        show_message(self.error, message)
        self.secret.field.setFocus()

    def _choose(self) -> None:
        path = choose_backup_file(
            self, str(Path(self.file.text()).parent) if self.file.text() else ""
        )
        if path:
            self.file.setText(path)
            self.file.setToolTip(path)
            self.secret.field.setFocus()
        self._update()

    def _update(self) -> None:
        self.restore_button.setEnabled(bool(self.file.text()) and self.secret.filled())

    def _back(self) -> None:
        self.secret.clear()
        show_message(self.error, "")
        self.back.emit()

    def _restore(self) -> None:
        if not self.restore_button.isEnabled():
            return
        show_message(self.error, "")
        passphrase, recovery_key = self.secret.take()
        self.restore_requested.emit(Path(self.file.text()), passphrase, recovery_key)
