"""The "Vault and security" section: who is in, this laptop's keyring, audit log check, lock."""

from pathlib import Path

from PySide6.QtCore import QDateTime, QLocale, Qt, Signal
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QWidget

from app.store.audit import ChainReport
from ui.vault_ops import Status, VaultInfo
from ui.widgets import (
    BusyIndicator,
    Page,
    button,
    elide_path,
    message_label,
    set_tone,
    show_message,
    title,
)


class UnlockedPage(Page):
    verify_requested = Signal()
    forget_requested = Signal()
    lock_requested = Signal()

    def __init__(self, data_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)

        self.body.addWidget(title(self.tr("Your vault is open"), self))
        self.vault_id = self._value()
        self.user = self._value()
        self.role = self._value()
        self.laptop = self._value()
        self.laptop.setWordWrap(True)
        folder = self._value()
        folder.setText(elide_path(str(data_dir)))
        folder.setToolTip(str(data_dir))
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.tr("User:"), self.user)
        form.addRow(self.tr("Role:"), self.role)
        form.addRow(self.tr("Vault:"), self.vault_id)
        form.addRow(self.tr("Folder:"), folder)
        form.addRow(self.tr("This laptop:"), self.laptop)
        self.body.addLayout(form)

        self.verify_button = button(self.tr("&Verify audit log"), self)
        self.verify_button.setToolTip(
            self.tr("Check that no entry of the audit log was changed, removed or reordered")
        )
        self.forget_button = button(self.tr("&Forget on this laptop"), self)
        self.forget_button.setToolTip(
            self.tr("Remove the remembered key from the OS keyring: the passphrase is asked again")
        )
        self.lock_button = button(self.tr("&Lock"), self)
        actions = QHBoxLayout()
        actions.addWidget(self.verify_button)
        actions.addWidget(self.forget_button)
        actions.addStretch(1)
        actions.addWidget(self.lock_button)
        self.body.addLayout(actions)
        self.busy = BusyIndicator(self)
        self.result = message_label("ok", self)
        self.note = message_label("error", self)
        self.body.addWidget(self.busy)
        self.body.addWidget(self.result)
        self.body.addWidget(self.note)
        self.body.addStretch(1)

        self.verify_button.clicked.connect(self.verify_requested)
        self.forget_button.clicked.connect(self.forget_requested)
        self.lock_button.clicked.connect(self.lock_requested)

    def focus_first(self) -> None:
        self.verify_button.setFocus()

    def show_status(self, status: Status) -> None:
        info = status.info
        self.vault_id.setText(info.vault_id)
        self.user.setText(info.user)
        self.role.setText(self._role_name(info.role))
        self._show_remembered(info)
        show_message(self.result, "")
        show_message(self.note, "")

    def show_forgotten(self, status: Status) -> None:
        self._show_remembered(status.info)
        problem = status.keyring_problem.rstrip(".")
        if problem:
            set_tone(self.result, "error")
            text = self.tr(
                "The OS keyring could not be reached to delete the key ({0}); InvoiceVault "
                "will not use it again."
            ).format(problem)
        else:
            set_tone(self.result, "ok")
            text = self.tr("This laptop no longer remembers your key.")
        show_message(self.result, text)

    def show_remember_failed(self, reason: str) -> None:
        show_message(
            self.note,
            self.tr(
                "Your vault is open, but this laptop could not remember your key: {0}. "
                "The passphrase will be asked next time."
            ).format(reason.rstrip(".")),
        )

    def show_report(self, report: ChainReport) -> None:
        if report.intact and report.entries == 1:
            set_tone(self.result, "ok")
            text = self.tr("The audit log is intact: its one entry checks out.")
        elif report.intact:
            set_tone(self.result, "ok")
            text = self.tr(
                "The audit log is intact: %n entries, every link checked.", "", report.entries
            )
        else:
            set_tone(self.result, "error")
            text = self.tr("The audit log is broken at entry {0}: {1}.").format(
                report.first_broken, report.reason
            )
        show_message(self.result, text)

    def show_error(self, message: str) -> None:
        set_tone(self.result, "error")
        show_message(self.result, message)

    def set_busy(self, busy: bool, text: str = "") -> None:
        for widget in (
            self.verify_button,
            self.forget_button,
            self.lock_button,
        ):
            widget.setEnabled(not busy)
        if busy:
            self.busy.start(text, 400)
        else:
            self.busy.stop()

    def _show_remembered(self, info: VaultInfo) -> None:
        self.forget_button.setVisible(info.remembered_until is not None)
        if info.remembered_until is None:
            self.laptop.setText(self.tr("asks for your passphrase every time"))
            return
        until = QDateTime.fromString(info.remembered_until, Qt.DateFormat.ISODate).toLocalTime()
        self.laptop.setText(
            self.tr("remembers your key until {0}").format(
                QLocale().toString(until, QLocale.FormatType.ShortFormat)
            )
        )

    def _value(self) -> QLabel:
        label = QLabel(self)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def _role_name(self, role: str) -> str:
        names = {
            "owner": self.tr("Owner"),
            "bookkeeper": self.tr("Bookkeeper"),
            "assistant": self.tr("Assistant"),
            "auditor": self.tr("Auditor"),
        }
        return names.get(role, role)
