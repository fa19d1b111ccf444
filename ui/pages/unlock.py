"""Unlocking an existing vault: passphrase, "remember on this laptop", back-off countdown."""

import math
import time
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QCheckBox, QFormLayout, QFrame, QLineEdit, QWidget

from app.vault.vault import REMEMBER_DAYS
from ui.widgets import (
    BusyIndicator,
    Page,
    button,
    button_row,
    elide_path,
    message_label,
    paragraph,
    set_tone,
    show_message,
    title,
)

# Unlocking at the calibrated cost takes about a second: show why only if it lasts.
BUSY_DELAY_MS = 400


class UnlockPage(Page):
    unlock_requested = Signal(str, bool)  # passphrase, remember on this laptop

    def __init__(self, data_dir: Path, user: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._busy = False
        self._wait_left = 0
        self._deadline = 0.0  # time.monotonic() when Unlock may be pressed again

        self.body.addWidget(title(self.tr("Unlock your vault"), self))
        self.who = paragraph(self.tr("User: {0}").format(user), self)
        self.body.addWidget(self.who)
        folder = paragraph(self.tr("Vault folder: {0}").format(elide_path(str(data_dir))), self)
        folder.setToolTip(str(data_dir))
        set_tone(folder, "secondary")
        self.body.addWidget(folder)

        # Why the OS keyring could not open the vault by itself (stays until the next start).
        self.notice = paragraph("", self)
        self.notice.setFrameShape(QFrame.Shape.StyledPanel)
        self.notice.setMargin(8)
        self.notice.hide()
        self.body.addWidget(self.notice)

        self.passphrase = QLineEdit(self)
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName(self.tr("Passphrase"))
        self.passphrase.setInputMethodHints(
            Qt.InputMethodHint.ImhHiddenText | Qt.InputMethodHint.ImhSensitiveData
        )
        self.remember = QCheckBox(
            self.tr("R&emember on this laptop for {0} days").format(REMEMBER_DAYS), self
        )
        self.remember.setToolTip(
            self.tr(
                "The key that unlocks your vault is kept in the operating system's keyring, "
                "so InvoiceVault opens without asking. Anyone who can log in to this laptop "
                "as you could then open the vault."
            )
        )
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.tr("&Passphrase:"), self.passphrase)
        form.addRow("", self.remember)
        self.body.addLayout(form)

        self.busy = BusyIndicator(self)
        self.error = message_label("error", self)
        self.body.addWidget(self.busy)
        self.body.addWidget(self.error)
        self.unlock_button = button(self.tr("&Unlock"), self, default=True)
        self.default_button = self.unlock_button
        self.body.addLayout(button_row(self.unlock_button))
        self.body.addStretch(1)

        self._countdown = QTimer(self)
        self._countdown.setInterval(200)
        self._countdown.timeout.connect(self._tick)
        self.passphrase.textChanged.connect(self._update)
        self.unlock_button.clicked.connect(self._unlock)
        self._update()

    def focus_first(self) -> None:
        self.passphrase.setFocus()

    def reset(self) -> None:
        """As it should look after a lock: empty, no message, nothing ticked."""
        self.passphrase.clear()
        self.remember.setChecked(False)
        show_message(self.error, "")
        show_message(self.notice, "")

    def set_busy(self, busy: bool, text: str = "") -> None:
        self._busy = busy
        self.passphrase.setEnabled(not busy)
        self.remember.setEnabled(not busy)
        if busy:
            show_message(self.error, "")
            self.busy.start(text, BUSY_DELAY_MS)
        else:
            self.busy.stop()
        self._update()

    def show_error(self, message: str) -> None:
        show_message(self.error, message)
        self.passphrase.selectAll()
        self.passphrase.setFocus()

    def show_notice(self, message: str) -> None:
        show_message(self.notice, message)

    def wait(self, seconds: int) -> None:
        """Too many wrong passphrases: count down, Unlock stays disabled until the end.

        Measured against a monotonic deadline, not by counting ticks: Qt timers may
        fire a little early, and a retry one moment too soon is refused again.
        """
        self._deadline = time.monotonic() + max(seconds, 1)
        self._countdown.start()
        self._tick()

    def _tick(self) -> None:
        self._wait_left = math.ceil(self._deadline - time.monotonic())
        if self._wait_left <= 0:
            self._countdown.stop()
            show_message(self.error, self.tr("You can try again now."))
        else:
            self._show_wait()
        self._update()

    def _show_wait(self) -> None:
        show_message(
            self.error,
            self.tr("Too many wrong passphrases. You can try again in %n s.", "", self._wait_left),
        )

    def _update(self) -> None:
        self.unlock_button.setEnabled(
            not self._busy and self._wait_left <= 0 and bool(self.passphrase.text())
        )

    def _unlock(self) -> None:
        if self.unlock_button.isEnabled():
            self.unlock_requested.emit(self.passphrase.text(), self.remember.isChecked())
