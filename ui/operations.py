"""The one pattern for a user action: run it on the worker, then show success or the error.

Modelled on Anki's ``aqt.operations``: a screen builds an :class:`Operation`
(what to run, what to say while it runs, what to do with the result) and calls
:meth:`Operation.run`. The work runs on the :class:`~ui.worker.DbWorker`; after
``PROGRESS_DELAY_MS`` a progress dialog appears (with a Cancel button when the
work can stop), fed by a :class:`Reporter` the work calls from its thread. A
typed error (:class:`~app.errors.InvoiceVaultError`) is shown in a message box
with its message, written for the user; anything else is a bug and gets the
:class:`BugDialog` with a copyable report (the error's type and where it
happened: never its message or values, which could quote a secret). Cancel is
silent.
"""

import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QProgressDialog,
    QVBoxLayout,
    QWidget,
)

from app import __version__
from app.backup.errors import BackupCancelled
from ui.worker import DbWorker, Failure

PROGRESS_DELAY_MS = 500


class Reporter(QObject):
    """Handed to the work: ``progress(done, total)`` and ``cancelled()``, safe from any thread."""

    advanced = Signal(int, int)

    def __init__(self) -> None:
        super().__init__()
        self._cancel = threading.Event()

    def progress(self, done: int, total: int) -> None:
        self.advanced.emit(done, total)

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()


@dataclass
class Operation:
    """A user action. ``work`` runs on the worker thread and receives a :class:`Reporter`."""

    parent: QWidget
    work: Callable[[Reporter], Any]
    label: str  # what the progress dialog says, e.g. "Writing the backup…"
    on_success: Callable[[Any], None] | None = None
    on_failure: Callable[[Failure], None] | None = None  # after the message box
    cancellable: bool = False
    quiet_failure: bool = False  # the caller shows the message itself (inline, next to a field)
    reporter: Reporter = field(default_factory=Reporter)

    def run(self, worker: DbWorker) -> None:
        dialog = _progress_dialog(self.parent, self.label, self.cancellable)
        if self.cancellable:
            dialog.canceled.connect(self.reporter.cancel)
        self.reporter.advanced.connect(
            lambda done, total: _advance(dialog, done, total), Qt.ConnectionType.QueuedConnection
        )
        timer = QTimer(dialog)
        timer.setSingleShot(True)
        timer.timeout.connect(dialog.show)
        timer.start(PROGRESS_DELAY_MS)

        def finish() -> None:
            timer.stop()
            dialog.reset()
            dialog.deleteLater()

        def succeeded(result: Any) -> None:
            finish()
            if self.on_success is not None:
                self.on_success(result)

        def failed(failure: Failure) -> None:
            finish()
            if isinstance(failure.error, BackupCancelled) or self.reporter.cancelled():
                return  # the user asked for it: nothing to say
            if not self.quiet_failure:
                show_failure(self.parent, failure)
            if self.on_failure is not None:
                self.on_failure(failure)

        worker.run(self.work, self.reporter, on_success=succeeded, on_failure=failed)


def _progress_dialog(parent: QWidget, label: str, cancellable: bool) -> QProgressDialog:
    dialog = QProgressDialog(label, parent.tr("Cancel") if cancellable else "", 0, 0, parent)
    dialog.setWindowTitle(parent.tr("InvoiceVault"))
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(0)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    if not cancellable:
        dialog.setCancelButton(None)
    dialog.hide()
    return dialog


def _advance(dialog: QProgressDialog, done: int, total: int) -> None:
    if total <= 0:
        return
    scale = max(1, total // 1_000_000)  # QProgressDialog counts in int: bytes go in MB steps
    dialog.setMaximum(total // scale)
    dialog.setValue(min(done, total) // scale)


def show_failure(parent: QWidget, failure: Failure) -> None:
    """The message box for a typed error, the bug dialog for anything else."""
    if failure.expected:
        QMessageBox.warning(parent, parent.tr("InvoiceVault"), failure.message)
    else:
        BugDialog(failure.error, parent).exec()


class BugDialog(QDialog):
    """'Something went wrong', with a report the user can copy into a bug report."""

    def __init__(self, error: BaseException, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Something went wrong"))
        text = QLabel(
            self.tr(
                "InvoiceVault hit an error it did not expect. Your data is safe: nothing was "
                "half-written. Please copy the report below into a bug report."
            ),
            self,
        )
        text.setWordWrap(True)
        self.report = QPlainTextEdit(bug_report(error), self)
        self.report.setReadOnly(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        copy = buttons.addButton(self.tr("&Copy report"), QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.report.toPlainText()))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.report)
        layout.addWidget(buttons)
        self.resize(560, 320)


def bug_report(error: BaseException) -> str:
    """The error's type and the code locations it passed; no message, no values."""
    frames = "".join(
        f"  {'/'.join(Path(frame.filename).parts[-2:])} line {frame.lineno}, in {frame.name}\n"
        for frame in traceback.extract_tb(error.__traceback__)
    )
    return f"InvoiceVault {__version__}\n{type(error).__name__}\n{frames}"
