"""What opens a backup: the user's passphrase or the recovery key, the user's choice.

Used by the first start's restore page and by the backups section's dialogs.
The secret is read once with :meth:`BackupSecret.take`, which also empties the field.
"""

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ui.widgets import paragraph

RECOVERY_KEY_PREFIX = "AGE-SECRET-KEY-1"


class BackupSecret(QWidget):
    """Two choices and one hidden field; :attr:`changed` when it becomes (un)usable."""

    changed = Signal()

    def __init__(self, user: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.use_passphrase = QRadioButton(
            self.tr("With the &passphrase of {0}").format(user), self
        )
        self.use_recovery_key = QRadioButton(self.tr("With the recovery &key"), self)
        self.use_passphrase.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.use_passphrase)
        group.addButton(self.use_recovery_key)
        self.field = QLineEdit(self)
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.field.setInputMethodHints(
            Qt.InputMethodHint.ImhHiddenText | Qt.InputMethodHint.ImhSensitiveData
        )
        self.show_text = QCheckBox(self.tr("&Show what I type"), self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.use_passphrase)
        layout.addWidget(self.use_recovery_key)
        layout.addWidget(self.field)
        layout.addWidget(self.show_text)
        self.use_passphrase.toggled.connect(self._kind_changed)
        self.field.textChanged.connect(self.changed)
        self.show_text.toggled.connect(
            lambda shown: self.field.setEchoMode(
                QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
            )
        )
        self._kind_changed()

    def filled(self) -> bool:
        text = self.field.text().strip()
        if self.use_recovery_key.isChecked():
            return text.upper().startswith(RECOVERY_KEY_PREFIX)
        return bool(self.field.text())

    def take(self) -> tuple[str | None, str | None]:
        """(passphrase, recovery key), one of them None; the field is emptied."""
        text = self.field.text()
        self.clear()
        if self.use_recovery_key.isChecked():
            return None, text.strip()
        return text, None

    def clear(self) -> None:
        self.field.clear()
        self.show_text.setChecked(False)

    def _kind_changed(self) -> None:
        if self.use_recovery_key.isChecked():
            self.field.setPlaceholderText(self.tr("AGE-SECRET-KEY-1…"))
            self.field.setAccessibleName(self.tr("Recovery key"))
        else:
            self.field.setPlaceholderText(self.tr("Your passphrase"))
            self.field.setAccessibleName(self.tr("Passphrase"))
        self.field.clear()
        self.field.setFocus()
        self.changed.emit()


class BackupSecretDialog(QDialog):
    """Asks how to open ``file_name``; ``action`` names the OK button ("Verify", "Restore")."""

    def __init__(
        self, user: str, file_name: str, action: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Open the backup"))
        text = paragraph(self.tr("How do you want to open {0}?").format(file_name), self)
        self.secret = BackupSecret(user, self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.ok = self.buttons.addButton(action, QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.secret)
        layout.addWidget(self.buttons)
        self.secret.changed.connect(lambda: self.ok.setEnabled(self.secret.filled()))
        self.ok.setEnabled(False)
        self.setMinimumWidth(440)
        self.secret.field.setFocus()

    def reject(self) -> None:
        self.secret.clear()
        super().reject()
