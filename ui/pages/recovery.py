"""The recovery key, shown once right after the vault is created, and its emergency sheet.

The sheet is rendered and written by the window on the worker (it needs the open
vault's id); this page only asks for it and says how it went.
"""

from PySide6.QtCore import QDir, Qt, Signal
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QWidget,
)

from app.vault.vault import REMEMBER_DAYS
from ui.widgets import (
    Page,
    button,
    button_row,
    message_label,
    paragraph,
    set_tone,
    show_message,
    title,
)


class RecoveryPage(Page):
    finished = Signal(bool)  # remember on this laptop
    save_requested = Signal(str)  # where to write the emergency sheet (PDF)
    print_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._key = ""

        self.body.addWidget(title(self.tr("Your recovery key"), self))
        self.body.addWidget(
            paragraph(
                self.tr(
                    "If you ever forget your passphrase, this key is the only way back into "
                    "your vault. It also opens your encrypted backups."
                ),
                self,
            )
        )

        self.key_label = QLabel(self)
        self.key_label.setTextFormat(Qt.TextFormat.PlainText)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setPointSizeF(mono.pointSizeF() * 1.1)
        self.key_label.setFont(mono)
        self.key_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        # One unbroken word: a line break in it would be copied along and refused later.
        self.key_label.setWordWrap(False)
        self.key_label.setFrameShape(QFrame.Shape.StyledPanel)
        self.key_label.setMargin(10)
        self.key_label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self.key_label.setAccessibleName(self.tr("Recovery key"))
        self.key_label.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.body.addWidget(self.key_label)

        self.save_button = button(self.tr("&Save the emergency sheet…"), self)
        self.save_button.setToolTip(
            self.tr("A PDF with your recovery key and how to restore your vault, to print or keep")
        )
        self.print_button = button(self.tr("&Print the emergency sheet…"), self)
        self.copy_button = button(self.tr("C&opy"), self)
        self.copy_button.setToolTip(self.tr("Copy the recovery key to the clipboard"))
        self.copied = message_label("ok", self)
        copy_row = QHBoxLayout()
        copy_row.addWidget(self.save_button)
        copy_row.addWidget(self.print_button)
        copy_row.addWidget(self.copy_button)
        copy_row.addStretch(1)
        self.body.addLayout(copy_row)
        self.body.addWidget(self.copied)

        self.body.addWidget(
            paragraph(
                self.tr(
                    "Write it down or print it, and keep it somewhere safe away from this "
                    "laptop: anyone who has it can open your vault."
                ),
                self,
            )
        )
        once = paragraph(self.tr("It is shown only this once."), self)
        bold = QFont(once.font())
        bold.setBold(True)
        once.setFont(bold)
        self.body.addWidget(once)
        self.confirm = QCheckBox(self.tr("I have &stored my recovery key safely"), self)
        self.body.addWidget(self.confirm)
        self.remember = QCheckBox(
            self.tr("R&emember on this laptop for {0} days").format(REMEMBER_DAYS), self
        )
        self.remember.setToolTip(
            self.tr(
                "InvoiceVault then opens without asking for the passphrase. Anyone who can "
                "log in to this laptop as you could open the vault too."
            )
        )
        self.body.addWidget(self.remember)
        self.continue_button = button(self.tr("Co&ntinue"), self, default=True)
        self.continue_button.setEnabled(False)
        self.default_button = self.continue_button
        self.body.addLayout(button_row(self.continue_button))
        self.body.addStretch(1)

        self.copy_button.clicked.connect(self._copy)
        self.save_button.clicked.connect(self._save)
        self.print_button.clicked.connect(self.print_requested)
        self.confirm.toggled.connect(self.continue_button.setEnabled)
        self.continue_button.clicked.connect(self._continue)

    @property
    def key(self) -> str:
        """The key on show; empty once the user continued."""
        return self._key

    def set_key(self, key: str) -> None:
        self._key = key
        self.key_label.setText(key)
        self.confirm.setChecked(False)
        self.remember.setChecked(False)
        show_message(self.copied, "")

    def focus_first(self) -> None:
        self.save_button.setFocus()

    def show_saved(self, path: str) -> None:
        set_tone(self.copied, "ok")
        show_message(
            self.copied,
            self.tr(
                "Emergency sheet saved: {0}. Print it, then keep it away from this laptop."
            ).format(path),
        )

    def show_error(self, message: str) -> None:
        set_tone(self.copied, "error")
        show_message(self.copied, message)

    def _save(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self,
            self.tr("Save the emergency sheet"),
            QDir.home().filePath(self.tr("InvoiceVault emergency sheet.pdf")),
            self.tr("PDF documents (*.pdf)"),
        )
        if path:
            if not path.lower().endswith(".pdf"):
                path += ".pdf"
            self.save_requested.emit(path)

    def _copy(self) -> None:
        QGuiApplication.clipboard().setText(self._key)
        set_tone(self.copied, "ok")
        show_message(
            self.copied,
            self.tr("Copied. The clipboard is cleared when you continue."),
        )

    def _continue(self) -> None:
        if not self.confirm.isChecked():
            return
        clipboard = QGuiApplication.clipboard()
        if self._key and clipboard.text() == self._key:
            clipboard.clear()  # other programs can read the clipboard: do not leave it there
        self._key = ""
        self.key_label.clear()
        show_message(self.copied, "")
        self.finished.emit(self.remember.isChecked())
