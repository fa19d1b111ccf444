"""The window shown by ``invoicevault``: create, restore or unlock the vault, then the open vault.

The window is the controller: pages say what the user asked for, the window
runs it on the :class:`DbWorker` through :class:`VaultOps` and tells the pages
how it went. Nothing here touches the database or a key directly.

First start (no vault in the folder): welcome → company profile → passphrase →
recovery key and emergency sheet → the open vault; or welcome → restore from a
backup file → unlock.

Locking (Ctrl+L, the Lock button, the idle timer of :mod:`ui.auto_lock`, a
restore, closing the window) first emits :attr:`VaultWindow.about_to_lock`. A
screen with unsaved edits answers it by queueing its draft save on the worker:
the lock is queued after it, and the worker runs jobs in order, so the draft is
written before the database closes.
"""

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QDateTime, QLocale, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QMainWindow, QStackedWidget, QWidget

from app.backup.operations import RestoreResult
from app.documents.source import LANGUAGES
from app.domain.invoice_json import SellerProfile
from app.errors import KeyringUnavailable, UnlockThrottled
from app.services import preferences
from app.store.audit import ChainReport
from app.vault.kdf import KdfParams
from app.vault.vault import Vault
from ui import document_windows
from ui.auto_lock import AutoLock
from ui.context import AppContext
from ui.operations import Operation, Reporter, show_failure
from ui.pages.create import CreatePage
from ui.pages.profile import ProfilePage
from ui.pages.recovery import RecoveryPage
from ui.pages.restore import RestorePage
from ui.pages.start import StartPage
from ui.pages.unlock import UnlockPage
from ui.pages.unlocked import UnlockedPage
from ui.print_pdf import print_pdf
from ui.sections import registry
from ui.vault_ops import Created, Status, VaultOps
from ui.widgets import Page
from ui.worker import DbWorker, Failure
from ui.workspace import Workspace

GEOMETRY_KEY = "vault_window/geometry"


class VaultWindow(QMainWindow):
    """``kdf`` goes to vault creation: None calibrates (production), tests pass the floor.

    ``settings`` None (tests) neither restores nor saves the window geometry.
    """

    about_to_lock = Signal()  # the vault closes next: save drafts now (see the module's doc)

    def __init__(
        self,
        data_dir: Path,
        user: str,
        kdf: KdfParams | None = None,
        *,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.worker = DbWorker(self)
        self.ops = VaultOps(data_dir, user, kdf)
        self.setWindowTitle(self.tr("InvoiceVault"))
        self.setMinimumSize(560, 420)
        self.resize(700, 480)

        self._profile: SellerProfile | None = None  # typed in the wizard, saved after create
        self._after_open = ""  # a note for the open vault's status line (a profile refused)
        self._lock_note = ""  # said on the unlock page after the lock (auto-lock)

        self.start_page = StartPage(self)
        self.profile_page = ProfilePage(self)
        self.create_page = CreatePage(data_dir, user, self)
        self.recovery_page = RecoveryPage(self)
        self.restore_page = RestorePage(user, self)
        self.unlock_page = UnlockPage(data_dir, user, self)
        self.unlocked_page = UnlockedPage(data_dir, self)
        self.context = AppContext(self.worker, self.ops, self)
        self.workspace = Workspace(self.context, self)
        self.auto_lock = AutoLock(self.worker, self)
        self.stack = QStackedWidget(self)
        for page in (
            self.start_page,
            self.profile_page,
            self.create_page,
            self.recovery_page,
            self.restore_page,
            self.unlock_page,
            self.workspace,
        ):
            self.stack.addWidget(page)
        for section, name in registry.build(self.context, self):
            self.workspace.add(section, name)
        self.document_windows = document_windows.install(self.context, self, self.about_to_lock)
        self.setCentralWidget(self.stack)

        self.lock_action = QAction(self.tr("&Lock"), self)
        self.lock_action.setShortcut(QKeySequence(self.tr("Ctrl+L")))
        self.lock_action.setEnabled(False)
        self.addAction(self.lock_action)
        self.unlocked_page.lock_button.setToolTip(
            self.tr("Close the vault ({0})").format(
                self.lock_action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            )
        )

        self.start_page.create_chosen.connect(lambda: self._show(self.profile_page))
        self.start_page.restore_chosen.connect(lambda: self._show(self.restore_page))
        self.profile_page.back.connect(lambda: self._show(self.start_page))
        self.profile_page.finished.connect(self._profile_chosen)
        self.create_page.back.connect(lambda: self._show(self.profile_page))
        self.create_page.create_requested.connect(self._create)
        self.recovery_page.save_requested.connect(self._save_sheet)
        self.recovery_page.print_requested.connect(self._print_sheet)
        self.recovery_page.finished.connect(self._recovery_noted)
        self.restore_page.back.connect(lambda: self._show(self.start_page))
        self.restore_page.restore_requested.connect(self._restore_first)
        self.unlock_page.unlock_requested.connect(self._unlock)
        self.unlocked_page.verify_requested.connect(self._verify)
        self.unlocked_page.forget_requested.connect(self._forget)
        self.unlocked_page.lock_requested.connect(self.lock_action.trigger)
        self.lock_action.triggered.connect(self._lock)
        self.auto_lock.idle.connect(self._idle)
        self.context.changed.connect(self._data_changed)

        if settings is not None:
            geometry = settings.value(GEOMETRY_KEY)
            if geometry is not None:
                self.restoreGeometry(geometry)

        if Vault(data_dir).exists():
            self._show(self.unlock_page)
            self._open_remembered()
        else:
            self._show(self.start_page)

    # -- pages --------------------------------------------------------------------------

    def _show(self, page: Page | Workspace) -> None:
        self.stack.setCurrentWidget(page)
        self.lock_action.setEnabled(page is self.workspace)
        if isinstance(page, Workspace):
            page.start()
            self._start_auto_lock()
        else:
            self.auto_lock.stop()
            page.focus_first()

    def _show_unlocked(self, status: Status) -> None:
        self.unlocked_page.show_status(status)
        self._show(self.workspace)
        if status.keyring_problem:
            self.unlocked_page.show_remember_failed(status.keyring_problem)
        if self._after_open:
            self.context.status_message.emit(self._after_open)
            self._after_open = ""

    def _start_auto_lock(self) -> None:
        """Count idle time with the user's setting (read on the worker, like any data)."""
        self.context.read(
            preferences.get,
            on_success=lambda prefs: self._set_auto_lock(prefs.auto_lock_minutes),
        )

    def _set_auto_lock(self, minutes: int) -> None:
        if self.stack.currentWidget() is self.workspace:
            self.auto_lock.start(minutes)

    def _data_changed(self, what: str) -> None:
        if what == "settings" and self.stack.currentWidget() is self.workspace:
            self._start_auto_lock()

    # -- first start: create -----------------------------------------------------------

    def _profile_chosen(self, profile: SellerProfile | None) -> None:
        self._profile = profile
        self._show(self.create_page)

    def _create(self, passphrase: str) -> None:
        self.create_page.set_busy(True)
        self.worker.run(
            self.ops.create,
            passphrase,
            self._profile,
            on_success=self._created,
            on_failure=self._create_failed,
        )

    def _created(self, created: Created) -> None:
        self.create_page.set_busy(False)
        self.create_page.clear()
        self._profile = None
        if created.profile_problem:
            self._after_open = self.tr(
                "Your company profile was not saved: {0}. Please fill it in the settings."
            ).format(created.profile_problem.rstrip("."))
        self.unlocked_page.show_status(Status(created.info))
        self.recovery_page.set_key(created.recovery_key)
        self._show(self.recovery_page)

    def _create_failed(self, failure: Failure) -> None:
        self.create_page.set_busy(False)
        self.create_page.show_error(failure.message)

    def _save_sheet(self, path: str) -> None:
        Operation(
            self,
            lambda _reporter: self.ops.save_emergency_sheet(
                Path(path), self.recovery_page.key, sheet_language()
            ),
            self.tr("Saving the emergency sheet…"),
            on_success=lambda saved: self.recovery_page.show_saved(str(saved)),
        ).run(self.worker)

    def _print_sheet(self) -> None:
        Operation(
            self,
            lambda _reporter: self.ops.emergency_sheet(self.recovery_page.key, sheet_language()),
            self.tr("Preparing the emergency sheet…"),
            on_success=lambda pdf: print_pdf(self, pdf, self.tr("InvoiceVault emergency sheet")),
        ).run(self.worker)

    def _recovery_noted(self, remember: bool) -> None:
        if not remember:
            self._show(self.workspace)
            return
        self.worker.run(
            self.ops.remember, on_success=self._show_unlocked, on_failure=self._remember_failed
        )

    def _remember_failed(self, failure: Failure) -> None:
        self._show(self.workspace)
        self.unlocked_page.show_remember_failed(failure.message)

    # -- restore ------------------------------------------------------------------------

    def _restore_first(self, path: Path, passphrase: str | None, recovery_key: str | None) -> None:
        """First start: no vault here yet, so nothing to lock; the user may cancel."""

        def failed(failure: Failure) -> None:
            if failure.expected:
                self.restore_page.show_error(failure.message)
            else:
                show_failure(self, failure)

        self._run_restore(path, passphrase, recovery_key, failed, cancellable=True)

    def restore_backup(self, path: Path, passphrase: str | None, recovery_key: str | None) -> None:
        """Replace the open vault by a backup (the backups section asks, after its checks).

        The session is closed first, on the worker, in the same job as the restore:
        the folder it reads from is about to be swapped. Not cancellable: once the
        vault is closed, the way back is to let the restore finish or fail cleanly.
        """
        self.about_to_lock.emit()
        self.auto_lock.stop()
        self.lock_action.setEnabled(False)

        def failed(failure: Failure) -> None:
            self.unlock_page.reset()
            self.unlock_page.show_notice(
                self.tr("The backup was not restored: your vault is as it was. Unlock it again.")
            )
            self._show(self.unlock_page)

        self._run_restore(path, passphrase, recovery_key, failed, cancellable=False)

    def _run_restore(
        self,
        path: Path,
        passphrase: str | None,
        recovery_key: str | None,
        failed: Callable[[Failure], None],
        *,
        cancellable: bool,
    ) -> None:
        def work(reporter: Reporter) -> RestoreResult:
            return self.ops.restore(
                path,
                passphrase,
                recovery_key,
                progress=reporter.progress,
                cancelled=reporter.cancelled,
            )

        Operation(
            self,
            work,
            self.tr("Checking and restoring the backup…"),
            on_success=self._restored,
            on_failure=failed,
            cancellable=cancellable,
            quiet_failure=cancellable,
        ).run(self.worker)

    def _restored(self, result: RestoreResult) -> None:
        made = QDateTime.fromString(result.report.created, Qt.DateFormat.ISODate).toLocalTime()
        text = self.tr("Restored the backup made on {0}. Unlock it with its passphrase.").format(
            QLocale().toString(made, QLocale.FormatType.ShortFormat)
        )
        if result.previous is not None:
            text += " " + self.tr("The vault you had before is kept, untouched, in {0}.").format(
                str(result.previous)
            )
        self.unlock_page.reset()
        self.unlock_page.show_notice(text)
        self._show(self.unlock_page)

    # -- unlock -------------------------------------------------------------------------

    def _open_remembered(self) -> None:
        """At start: the key this laptop remembers, if any, opens the vault without a prompt."""
        self.unlock_page.set_busy(
            True, self.tr("Opening your vault with the key remembered on this laptop…")
        )
        self.worker.run(
            self.ops.unlock_remembered,
            on_success=self._remembered_opened,
            on_failure=self._remembered_failed,
        )

    def _remembered_opened(self, status: Status | None) -> None:
        self.unlock_page.set_busy(False)
        if status is None:
            self.unlock_page.focus_first()
        else:
            self._show_unlocked(status)

    def _remembered_failed(self, failure: Failure) -> None:
        self.unlock_page.set_busy(False)
        if isinstance(failure.error, KeyringUnavailable):
            reason = failure.message.rstrip(".")
            if "enter your passphrase" in reason.lower():
                text = self.tr("Could not use the OS keyring: {0}.").format(reason)
            else:
                text = self.tr("Could not use the OS keyring: {0}. Enter your passphrase.").format(
                    reason
                )
            self.unlock_page.show_notice(text)
            self.unlock_page.focus_first()
        else:
            self.unlock_page.show_error(failure.message)

    def _unlock(self, passphrase: str, remember: bool) -> None:
        self.unlock_page.set_busy(True, self.tr("Unlocking…"))
        self.worker.run(
            self.ops.unlock,
            passphrase,
            remember,
            on_success=self._unlocked,
            on_failure=self._unlock_failed,
        )

    def _unlocked(self, status: Status) -> None:
        self.unlock_page.set_busy(False)
        self.unlock_page.reset()
        self._show_unlocked(status)

    def _unlock_failed(self, failure: Failure) -> None:
        self.unlock_page.set_busy(False)
        if isinstance(failure.error, UnlockThrottled):
            self.unlock_page.wait(failure.error.seconds_left)
        else:
            self.unlock_page.show_error(failure.message)

    # -- the open vault -----------------------------------------------------------------

    def _verify(self) -> None:
        self.unlocked_page.set_busy(True, self.tr("Checking every entry of the audit log…"))
        self.worker.run(
            self.ops.verify_audit_log, on_success=self._verified, on_failure=self._action_failed
        )

    def _verified(self, report: ChainReport) -> None:
        self.unlocked_page.set_busy(False)
        self.unlocked_page.show_report(report)

    def _forget(self) -> None:
        self.unlocked_page.set_busy(True, self.tr("Forgetting the key on this laptop…"))
        self.worker.run(self.ops.forget, on_success=self._forgotten, on_failure=self._action_failed)

    def _forgotten(self, status: Status) -> None:
        self.unlocked_page.set_busy(False)
        self.unlocked_page.show_forgotten(status)
        self.unlocked_page.focus_first()

    def _idle(self) -> None:
        """No input for the auto-lock time: lock as Ctrl+L does, and say why."""
        if self.stack.currentWidget() is not self.workspace:
            return
        self._lock_note = self.tr(
            "Locked after %n minute(s) without use.", "", self.auto_lock.minutes
        )
        self._lock()

    def _lock(self) -> None:
        if self.stack.currentWidget() is not self.workspace:
            return
        self.about_to_lock.emit()
        self.auto_lock.stop()
        self.lock_action.setEnabled(False)
        self.unlocked_page.set_busy(True, self.tr("Locking…"))
        self.worker.run(self.ops.lock, on_success=self._locked, on_failure=self._action_failed)

    def _locked(self, _result: None) -> None:
        self.unlocked_page.set_busy(False)
        self.unlock_page.reset()
        if self._lock_note:
            self.unlock_page.show_notice(self._lock_note)
            self._lock_note = ""
        self._show(self.unlock_page)

    def _action_failed(self, failure: Failure) -> None:
        self.unlocked_page.set_busy(False)
        self.lock_action.setEnabled(self.stack.currentWidget() is self.workspace)
        self.unlocked_page.show_error(failure.message)

    # -- closing ------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        """Lock after whatever is still queued (an unlock in flight included), then stop."""
        if self.settings is not None:
            self.settings.setValue(GEOMETRY_KEY, self.saveGeometry())
        if self.stack.currentWidget() is self.workspace:
            self.about_to_lock.emit()
        self.auto_lock.stop()
        self.worker.shutdown(final=self.ops.lock)
        super().closeEvent(event)


def sheet_language() -> str:
    """The emergency sheet in the user's language when the documents speak it."""
    language = QLocale().name()[:2]
    return language if language in LANGUAGES else "en"
