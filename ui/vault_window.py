"""The window shown by ``invoicevault``: create or unlock the vault, then the open vault.

The window is the controller: pages say what the user asked for, the window
runs it on the :class:`DbWorker` through :class:`VaultOps` and tells the pages
how it went. Nothing here touches the database or a key directly.
"""

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QMainWindow, QStackedWidget, QWidget

from app.errors import KeyringUnavailable, UnlockThrottled
from app.services.backup import BackupCreated
from app.store.audit import ChainReport
from app.vault.kdf import KdfParams
from app.vault.vault import Vault
from ui import document_windows
from ui.context import AppContext
from ui.pages.create import CreatePage
from ui.pages.recovery import RecoveryPage
from ui.pages.unlock import UnlockPage
from ui.pages.unlocked import UnlockedPage
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

        self.create_page = CreatePage(data_dir, user, self)
        self.recovery_page = RecoveryPage(self)
        self.unlock_page = UnlockPage(data_dir, user, self)
        self.unlocked_page = UnlockedPage(data_dir, self)
        self.context = AppContext(self.worker, self.ops, self)
        self.workspace = Workspace(self.context, self)
        self.stack = QStackedWidget(self)
        for page in (self.create_page, self.recovery_page, self.unlock_page, self.workspace):
            self.stack.addWidget(page)
        for section, name in registry.build(self.context, self):
            self.workspace.add(section, name)
        self.document_windows = document_windows.install(self.context, self)
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

        self.create_page.create_requested.connect(self._create)
        self.recovery_page.finished.connect(self._recovery_noted)
        self.unlock_page.unlock_requested.connect(self._unlock)
        self.unlocked_page.verify_requested.connect(self._verify)
        self.unlocked_page.backup_requested.connect(self._backup)
        self.unlocked_page.forget_requested.connect(self._forget)
        self.unlocked_page.lock_requested.connect(self.lock_action.trigger)
        self.lock_action.triggered.connect(self._lock)

        if settings is not None:
            geometry = settings.value(GEOMETRY_KEY)
            if geometry is not None:
                self.restoreGeometry(geometry)

        if Vault(data_dir).exists():
            self._show(self.unlock_page)
            self._open_remembered()
        else:
            self._show(self.create_page)

    # -- pages --------------------------------------------------------------------------

    def _show(self, page: Page | Workspace) -> None:
        self.stack.setCurrentWidget(page)
        self.lock_action.setEnabled(page is self.workspace)
        if isinstance(page, Workspace):
            page.start()
        else:
            page.focus_first()

    def _show_unlocked(self, status: Status) -> None:
        self.unlocked_page.show_status(status)
        if status.keyring_problem:
            self.unlocked_page.show_remember_failed(status.keyring_problem)
        self._show(self.workspace)

    # -- create -------------------------------------------------------------------------

    def _create(self, passphrase: str) -> None:
        self.create_page.set_busy(True)
        self.worker.run(
            self.ops.create,
            passphrase,
            on_success=self._created,
            on_failure=self._create_failed,
        )

    def _created(self, created: Created) -> None:
        self.create_page.set_busy(False)
        self.create_page.clear()
        self.unlocked_page.show_status(Status(created.info))
        self.recovery_page.set_key(created.recovery_key)
        self._show(self.recovery_page)

    def _create_failed(self, failure: Failure) -> None:
        self.create_page.set_busy(False)
        self.create_page.show_error(failure.message)

    def _recovery_noted(self) -> None:
        self._show(self.workspace)

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

    def _backup(self, folder: str) -> None:
        self.unlocked_page.set_busy(True, self.tr("Writing and checking the backup…"))
        self.worker.run(
            self.ops.make_backup,
            Path(folder),
            on_success=self._backed_up,
            on_failure=self._action_failed,
        )

    def _backed_up(self, result: tuple[BackupCreated, Status]) -> None:
        made, status = result
        self.unlocked_page.set_busy(False)
        self.unlocked_page.show_status(status)
        self.unlocked_page.show_backup(str(made.path), made.warning)

    def _forget(self) -> None:
        self.unlocked_page.set_busy(True, self.tr("Forgetting the key on this laptop…"))
        self.worker.run(self.ops.forget, on_success=self._forgotten, on_failure=self._action_failed)

    def _forgotten(self, status: Status) -> None:
        self.unlocked_page.set_busy(False)
        self.unlocked_page.show_forgotten(status)
        self.unlocked_page.focus_first()

    def _lock(self) -> None:
        if self.stack.currentWidget() is not self.workspace:
            return
        self.lock_action.setEnabled(False)
        self.unlocked_page.set_busy(True, self.tr("Locking…"))
        self.worker.run(self.ops.lock, on_success=self._locked, on_failure=self._action_failed)

    def _locked(self, _result: None) -> None:
        self.unlocked_page.set_busy(False)
        self.unlock_page.reset()
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
        self.worker.shutdown(final=self.ops.lock)
        super().closeEvent(event)
