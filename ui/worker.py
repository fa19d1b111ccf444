"""The one way the GUI runs application work: on a single background thread.

Every call into ``app`` that derives a key (Argon2id takes about a second on
purpose) or touches the database goes through :class:`DbWorker`. Its executor
has exactly one thread, and that thread owns the SQLCipher connection for the
whole life of the window: sqlcipher3 connections refuse to be used from another
thread (``check_same_thread``), and sharing one would be unsafe anyway. Jobs run
one after another in the order they were submitted, so a "lock" submitted after
an "unlock" always sees the session that unlock produced.

Results come back to the GUI thread by a queued signal and are handed to the
caller's ``on_success`` / ``on_failure`` callbacks (the operations pattern of
Anki's ``aqt.operations``). A :class:`~app.errors.InvoiceVaultError` carries a
message written for the user; anything else is a bug: it is logged (its type and
where it happened, never its message, which could quote a secret) and the user
sees a generic message.
"""

import contextlib
import logging
import traceback
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

from app.errors import InvoiceVaultError

log = logging.getLogger(__name__)

SuccessCallback = Callable[[Any], None]


@dataclass(frozen=True)
class Failure:
    """Why a job failed, as the GUI needs it."""

    message: str  # for the user, ready to show
    error: BaseException  # the original, for ``isinstance`` checks (e.g. a throttle's delay)

    @property
    def expected(self) -> bool:
        """True for an error the user can act on, False for a bug."""
        return isinstance(self.error, InvoiceVaultError)


FailureCallback = Callable[[Failure], None]


@dataclass(frozen=True)
class _Job:
    future: Future[Any]
    on_success: SuccessCallback | None
    on_failure: FailureCallback | None


class DbWorker(QObject):
    """A single-thread executor whose results are delivered on the GUI thread."""

    busy_changed = Signal(bool)
    _finished = Signal(object)  # a _Job, emitted from the worker thread

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="invoicevault-db")
        self._pending = 0
        self._closed = False
        # Queued: the slot runs in this object's thread (the GUI's), whoever emits.
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    @property
    def busy(self) -> bool:
        """Whether a job is queued, running, or its result is not delivered yet."""
        return self._pending > 0

    def run(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_success: SuccessCallback | None = None,
        on_failure: FailureCallback | None = None,
    ) -> Future[Any] | None:
        """Run ``fn(*args)`` on the worker thread; callbacks run later on the GUI thread.

        Returns None (and runs nothing) once the worker is shut down.
        """
        if self._closed:
            return None
        future = self._executor.submit(fn, *args)
        self._pending += 1
        if self._pending == 1:
            self.busy_changed.emit(True)
        job = _Job(future, on_success, on_failure)
        future.add_done_callback(lambda _f: self._emit_finished(job))
        return future

    def shutdown(self, final: Callable[[], Any] | None = None) -> None:
        """Run ``final`` after every queued job, wait for it, and stop the thread.

        Results that arrive afterwards are dropped: the window is going away.
        """
        if self._closed:
            return
        if final is not None:
            self._executor.submit(_logged(final))
        self._closed = True
        self._executor.shutdown(wait=True)

    def _emit_finished(self, job: _Job) -> None:
        # RuntimeError: the QObject is already gone, nobody is left to tell.
        with contextlib.suppress(RuntimeError):
            self._finished.emit(job)

    def _deliver(self, job: _Job) -> None:
        self._pending -= 1
        if self._pending == 0:
            self.busy_changed.emit(False)
        if self._closed:
            return
        error = job.future.exception()
        if error is None:
            if job.on_success is not None:
                job.on_success(job.future.result())
            return
        failure = Failure(self._message(error), error)
        if job.on_failure is not None:
            job.on_failure(failure)

    def _message(self, error: BaseException) -> str:
        if isinstance(error, InvoiceVaultError):
            return str(error)
        log_unexpected(error)
        return self.tr(
            "Something went wrong inside InvoiceVault ({0}). The details were written to "
            "the log; please report it."
        ).format(type(error).__name__)


def log_unexpected(error: BaseException) -> None:
    """Log a bug by its type and where it happened, nothing else.

    Neither the message nor local values: either could hold a passphrase or key.
    """
    frames = "".join(
        f"  {frame.filename}:{frame.lineno} in {frame.name}\n"
        for frame in traceback.extract_tb(error.__traceback__)
    )
    log.error("Unexpected %s in a background job:\n%s", type(error).__name__, frames)


def _logged(fn: Callable[[], Any]) -> Callable[[], None]:
    def run() -> None:
        try:
            fn()
        except Exception as error:
            log_unexpected(error)

    return run
