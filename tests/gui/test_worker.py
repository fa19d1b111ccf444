"""DbWorker: one background thread for every job, results and failures back on the GUI thread."""

import logging
import threading

import pytest
from gui_support import WAIT_MS
from PySide6.QtCore import QCoreApplication
from support import PASSPHRASE

from app.errors import UnlockThrottled, ValidationError
from ui.worker import DbWorker

SECRET = PASSPHRASE


@pytest.fixture
def worker(qtbot):
    worker = DbWorker()
    yield worker
    worker.shutdown()


def test_jobs_run_in_order_on_one_thread_that_is_not_the_gui_thread(qtbot, worker):
    ran_on, delivered_on, results = [], [], []

    def job(n):
        ran_on.append(threading.get_ident())
        return n * 10

    def done(value):
        delivered_on.append(threading.get_ident())
        results.append(value)

    for n in range(5):
        worker.run(job, n, on_success=done)
    assert worker.busy
    qtbot.waitUntil(lambda: len(results) == 5, timeout=WAIT_MS)
    assert results == [0, 10, 20, 30, 40]
    assert len(set(ran_on)) == 1
    assert ran_on[0] != threading.get_ident()
    assert set(delivered_on) == {threading.get_ident()}
    qtbot.waitUntil(lambda: not worker.busy, timeout=WAIT_MS)


def test_busy_changed_brackets_the_work(qtbot, worker):
    with qtbot.waitSignal(worker.busy_changed, timeout=WAIT_MS) as started:
        worker.run(lambda: None)
    assert started.args == [True]
    with qtbot.waitSignal(worker.busy_changed, timeout=WAIT_MS) as finished:
        pass
    assert finished.args == [False]


def test_a_user_error_reaches_on_failure_with_its_message(qtbot, worker):
    failures = []

    def refuse():
        raise UnlockThrottled(7)

    worker.run(refuse, on_success=pytest.fail, on_failure=failures.append)
    qtbot.waitUntil(lambda: bool(failures), timeout=WAIT_MS)
    (failure,) = failures
    assert failure.expected
    assert failure.message == "Too many wrong passphrases. Please wait 7 s before trying again."
    assert failure.error.seconds_left == 7


def test_a_bug_is_logged_without_its_message_and_shown_generically(qtbot, worker, caplog):
    failures = []

    def crash():
        raise RuntimeError(SECRET)  # as if a secret had leaked into a message

    with caplog.at_level(logging.ERROR, logger="ui.worker"):
        worker.run(crash, on_failure=failures.append)
        qtbot.waitUntil(lambda: bool(failures), timeout=WAIT_MS)
    (failure,) = failures
    assert not failure.expected
    assert "Something went wrong inside InvoiceVault (RuntimeError)" in failure.message
    assert SECRET not in failure.message
    assert "RuntimeError" in caplog.text
    assert "in crash" in caplog.text  # where it happened
    assert SECRET not in caplog.text


def test_shutdown_runs_the_final_job_last_and_stops(qtbot):
    worker = DbWorker()
    order = []
    worker.run(lambda: order.append("queued"))
    worker.shutdown(final=lambda: order.append("final"))
    assert order == ["queued", "final"]
    assert worker.run(lambda: order.append("too late")) is None
    assert order == ["queued", "final"]


def test_results_arriving_after_shutdown_are_dropped(qtbot):
    worker = DbWorker()
    delivered = []
    worker.run(lambda: 1, on_success=delivered.append)
    worker.shutdown()  # the job and its queued delivery are done by now
    QCoreApplication.processEvents()
    assert delivered == []


def test_a_failing_final_job_is_logged_not_raised(qtbot, caplog):
    worker = DbWorker()

    def fail():
        raise ValidationError("nope")

    with caplog.at_level(logging.ERROR, logger="ui.worker"):
        worker.shutdown(final=fail)
    assert "ValidationError" in caplog.text
