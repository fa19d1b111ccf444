"""What every section of the open vault needs: the worker and the session's services.

:meth:`AppContext.read` is for quick reads that fill a screen (a page of a
list, the dashboard figures): no dialog, a failure goes to the status line.
:meth:`AppContext.act` is for a user action: it follows :mod:`ui.operations`
(progress after half a second, the typed error's message, cancel). Both call
``fn(session, *args)`` on the worker thread, with the open session that
:class:`~ui.vault_ops.VaultOps` holds; the GUI never holds the session itself.
"""

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from ui.operations import Operation, Reporter
from ui.vault_ops import VaultOps
from ui.worker import DbWorker, Failure

ServiceCall = Callable[..., Any]


class AppContext(QObject):
    """Shared by the sections of one window.

    ``changed`` is emitted after an action changed data (a document issued, a
    payment recorded, ...), so the sections that show it reload.
    """

    changed = Signal(str)  # what changed: "documents", "clients", "items", "settings", ...
    status_message = Signal(str)
    # Requests any section may make; the document windows answer them.
    open_document = Signal(int)  # show an issued document (or a draft's preview) by id
    edit_document = Signal(int)  # open a draft in the editor
    new_document = Signal(str)  # a new draft of this type: "invoice", "quote", "credit_note"

    def __init__(self, worker: DbWorker, ops: VaultOps, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.worker = worker
        self.ops = ops

    def read(
        self,
        fn: ServiceCall,
        *args: Any,
        on_success: Callable[[Any], None],
        on_failure: Callable[[Failure], None] | None = None,
    ) -> None:
        """``fn(session, *args)`` on the worker; a failure is shown in the status line."""

        def failed(failure: Failure) -> None:
            self.status_message.emit(failure.message)
            if on_failure is not None:
                on_failure(failure)

        self.worker.run(self.ops.call, fn, *args, on_success=on_success, on_failure=failed)

    def act(
        self,
        parent: QWidget,
        label: str,
        fn: ServiceCall,
        *args: Any,
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[Failure], None] | None = None,
        changes: str = "",
        with_progress: bool = False,
        cancellable: bool = False,
        quiet_failure: bool = False,
        **kwargs: Any,
    ) -> None:
        """A user action: ``fn(session, *args, **kwargs)`` as an :class:`Operation`.

        With ``with_progress`` the service also gets ``progress=`` and, when
        ``cancellable``, ``cancelled=`` keyword arguments from the dialog.
        ``changes`` names what to announce on :attr:`changed` after success.
        """

        def work(reporter: Reporter) -> Any:
            extra = dict(kwargs)
            if with_progress:
                extra["progress"] = reporter.progress
                if cancellable:
                    extra["cancelled"] = reporter.cancelled
            return self.ops.call(fn, *args, **extra)

        def succeeded(result: Any) -> None:
            if changes:
                self.changed.emit(changes)
            if on_success is not None:
                on_success(result)

        Operation(
            parent,
            work,
            label,
            on_success=succeeded,
            on_failure=on_failure,
            cancellable=cancellable,
            quiet_failure=quiet_failure,
        ).run(self.worker)
