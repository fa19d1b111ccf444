"""The "Backups" section: when the last backup was made; make, verify and restore one.

Making a backup runs :func:`app.services.backup.create_backup` as an action of
the open session. Verifying needs no session: the file is opened with the
passphrase or the recovery key the user gives. Restoring verifies first, says
in plain words what will happen, then hands over to the window, which closes the
open vault before its folder is replaced (:meth:`VaultWindow.restore_backup`).
"""

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDateTime, QDir, QLocale, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QDialog, QFileDialog, QFrame, QHBoxLayout, QMessageBox, QWidget

from app.backup.archive import CancelCheck, ProgressCallback
from app.backup.operations import VerifyReport
from app.errors import PermissionDenied
from app.services import backup, preferences
from app.services.backup import BackupCreated, BackupStatus
from app.services.session import Session
from ui.context import AppContext
from ui.operations import Operation, Reporter
from ui.pages.backup_secret import BackupSecretDialog
from ui.pages.restore import choose_backup_file
from ui.sections.base import Section
from ui.widgets import button, message_label, paragraph, set_tone, show_message, title

if TYPE_CHECKING:
    from ui.vault_window import VaultWindow

ORDER = 70


@dataclass(frozen=True)
class Overview:
    status: BackupStatus
    folder: str  # where "Make a backup" starts: the last folder used


def overview(session: Session) -> Overview:
    prefs = preferences.get(session)
    status = backup.backup_status(session, remind_after_days=prefs.backup_reminder_days)
    return Overview(status, prefs.backup_folder)


def make_backup(
    session: Session,
    folder: Path,
    *,
    progress: ProgressCallback | None = None,
    cancelled: CancelCheck | None = None,
) -> BackupCreated:
    """Write the backup, then remember the folder for next time.

    A user who may back up but not change settings (a bookkeeper) still gets the
    backup; only the folder is not remembered.
    """
    made = backup.create_backup(session, folder, progress=progress, cancelled=cancelled)
    if preferences.get(session).backup_folder != str(folder):
        with contextlib.suppress(PermissionDenied):
            preferences.update(session, backup_folder=str(folder))
    return made


def local_time(utc: str) -> str:
    when = QDateTime.fromString(utc, Qt.DateFormat.ISODate).toLocalTime()
    return QLocale().toString(when, QLocale.FormatType.LongFormat)


class BackupsSection(Section):
    def __init__(
        self, context: AppContext, window: "VaultWindow", parent: QWidget | None = None
    ) -> None:
        super().__init__(context, parent)
        self.window_ = window
        self.folder = ""
        body = self.layout_
        body.addWidget(title(self.tr("Backups"), self))
        self.status = paragraph("", self)
        bold = QFont(self.status.font())
        bold.setBold(True)
        self.status.setFont(bold)
        body.addWidget(self.status)
        explain = paragraph(
            self.tr(
                "A backup is one encrypted file with everything in your vault. Keep it on "
                "another drive, a USB disk for example: if this laptop is lost or broken, "
                "you get all your invoices back from it with your passphrase or your "
                "recovery key."
            ),
            self,
        )
        set_tone(explain, "secondary")
        body.addWidget(explain)

        self.make_button = button(self.tr("&Make a backup…"), self, default=True)
        self.verify_button = button(self.tr("&Verify a backup file…"), self)
        self.verify_button.setToolTip(
            self.tr("Check that a backup file is complete and opens, without changing anything")
        )
        self.restore_button = button(self.tr("&Restore a backup…"), self)
        self.restore_button.setToolTip(
            self.tr("Replace this vault by the one in a backup file (the current one is kept)")
        )
        row = QHBoxLayout()
        row.addWidget(self.make_button)
        row.addWidget(self.verify_button)
        row.addStretch(1)
        row.addWidget(self.restore_button)
        body.addLayout(row)

        self.result = message_label("ok", self)
        body.addWidget(self.result)
        # Prominent: a backup beside the vault is not yet a safe backup.
        self.warning = message_label("error", self)
        self.warning.setFrameShape(QFrame.Shape.StyledPanel)
        self.warning.setMargin(10)
        body.addWidget(self.warning)
        body.addStretch(1)

        self.make_button.clicked.connect(self._make)
        self.verify_button.clicked.connect(self._verify)
        self.restore_button.clicked.connect(self._restore)

    def name(self) -> str:
        return self.tr("Backups")

    def activate(self) -> None:
        self.context.read(overview, on_success=self._show_overview)

    def on_changed(self, what: str) -> None:
        if what in ("backups", "settings") and self.isVisible():
            self.activate()

    def focus_first(self) -> None:
        self.make_button.setFocus()

    def _show_overview(self, found: Overview) -> None:
        self.folder = found.folder
        text = found.status.message
        if found.status.last is not None:
            text = self.tr("{0} ({1})").format(text, local_time(found.status.last))
        self.status.setText(text)
        set_tone(self.status, "error" if found.status.due else "ok")

    # -- make -------------------------------------------------------------------------

    def _make(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self,
            self.tr("Choose where to keep the backup (best: a USB disk or another drive)"),
            self.folder if self.folder and Path(self.folder).is_dir() else QDir.homePath(),
        )
        if not folder:
            return
        self._clear_messages()
        self.context.act(
            self,
            self.tr("Writing and checking the backup…"),
            make_backup,
            Path(folder),
            with_progress=True,
            cancellable=True,
            changes="backups",
            on_success=self._made,
        )

    def _made(self, made: BackupCreated) -> None:
        set_tone(self.result, "ok")
        show_message(
            self.result,
            self.tr("Backup written and checked: {0}").format(str(made.path)),
        )
        if made.warning:
            show_message(self.warning, self.tr("Not safe yet. {0}").format(made.warning))

    # -- verify and restore -----------------------------------------------------------

    def _ask(self, action: str) -> tuple[Path, str | None, str | None] | None:
        """The file and how to open it; None when the user cancelled."""
        path = choose_backup_file(self, self.folder)
        if not path:
            return None
        dialog = BackupSecretDialog(self.context.ops.user, Path(path).name, action, self)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            passphrase, recovery_key = dialog.secret.take()
        finally:
            dialog.deleteLater()
        return Path(path), passphrase, recovery_key

    def _check(
        self,
        path: Path,
        passphrase: str | None,
        recovery_key: str | None,
        then: Callable[[VerifyReport], None],
    ) -> None:
        user = self.context.ops.user

        def work(reporter: Reporter) -> VerifyReport:
            return backup.verify_backup(
                path,
                passphrase,
                user,
                recovery_key,
                progress=reporter.progress,
                cancelled=reporter.cancelled,
            )

        self._clear_messages()
        Operation(
            self,
            work,
            self.tr("Checking every part of the backup…"),
            on_success=then,
            cancellable=True,
        ).run(self.context.worker)

    def _verify(self) -> None:
        asked = self._ask(self.tr("&Verify"))
        if asked is not None:
            self._check(*asked, then=self._verified)

    def _verified(self, report: VerifyReport) -> None:
        set_tone(self.result, "ok")
        show_message(self.result, self.describe(report))

    def describe(self, report: VerifyReport) -> str:
        return (
            self.tr("This backup is complete and opens.")
            + " "
            + self.tr("Vault {0}, made {1}.").format(report.vault_id, local_time(report.created))
            + " "
            + self.tr("%n file(s)", "", len(report.entries))
            + ", "
            + self.tr("%n audit log entries.", "", report.audit_seq)
        )

    def _restore(self) -> None:
        asked = self._ask(self.tr("&Continue"))
        if asked is None:
            return
        path, passphrase, recovery_key = asked

        def confirm(report: VerifyReport) -> None:
            answer = QMessageBox.question(
                self,
                self.tr("Restore this backup?"),
                self.tr(
                    "The backup is complete: it was made {0}.\n\n"
                    "Your vault will be closed and replaced by the one in this backup. "
                    "Anything you did after {0} is not in it.\n\n"
                    "Your current vault is not deleted: it is kept aside, in a folder next "
                    "to it, and the next screen says where. Then you unlock the restored "
                    "vault with its passphrase."
                ).format(local_time(report.created)),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer == QMessageBox.StandardButton.Yes:
                self.window_.restore_backup(path, passphrase, recovery_key)

        self._check(path, passphrase, recovery_key, then=confirm)

    def _clear_messages(self) -> None:
        show_message(self.result, "")
        show_message(self.warning, "")


def make(context: AppContext, window: "VaultWindow") -> list[tuple[QWidget, str]]:
    section = BackupsSection(context, window)
    return [(section, section.name())]
