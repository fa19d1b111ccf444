"""The operation pattern: progress after half a second, cancel, typed errors, bug reports."""

import threading

from gui_support import WAIT_MS
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QPushButton, QWidget

from app.errors import ValidationError
from ui.operations import BugDialog, Operation, bug_report
from ui.worker import DbWorker


def _parent(qtbot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def _dialog(parent: QWidget) -> QProgressDialog | None:
    found = [d for d in parent.findChildren(QProgressDialog) if d.isVisible()]
    return found[0] if found else None


def test_quick_work_shows_no_dialog_and_delivers_its_result(qtbot):
    parent, worker = _parent(qtbot), DbWorker()
    results = []
    Operation(parent, lambda _r: 42, "Working…", on_success=results.append).run(worker)
    qtbot.waitUntil(lambda: results == [42], timeout=WAIT_MS)
    assert _dialog(parent) is None
    worker.shutdown()


def test_slow_work_shows_progress_and_cancel_stops_it_silently(qtbot):
    parent, worker = _parent(qtbot), DbWorker()
    started, outcome = threading.Event(), []

    def work(reporter):
        started.set()
        step = 0
        while not reporter.cancelled():
            step += 1
            reporter.progress(min(step, 99), 100)
            threading.Event().wait(0.01)
        raise ValidationError("stopped")  # what a service raises when it sees the cancel

    Operation(
        parent,
        work,
        "Copying…",
        on_success=outcome.append,
        on_failure=outcome.append,
        cancellable=True,
    ).run(worker)
    qtbot.waitUntil(lambda: _dialog(parent) is not None, timeout=WAIT_MS)
    dialog = _dialog(parent)
    assert dialog.labelText() == "Copying…"
    qtbot.waitUntil(lambda: dialog.value() > 0, timeout=WAIT_MS)
    (cancel,) = dialog.findChildren(QPushButton)
    assert cancel.text() == "Cancel"
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _dialog(parent) is None, timeout=WAIT_MS)
    worker.shutdown()
    assert outcome == []  # cancel is silent: no message box, no failure callback
    assert QApplication.activeModalWidget() is None


def test_a_typed_error_is_passed_on_with_its_message(qtbot):
    parent, worker = _parent(qtbot), DbWorker()
    failures = []

    def work(_reporter):
        raise ValidationError("amount: must be positive")

    Operation(parent, work, "Saving…", on_failure=failures.append, quiet_failure=True).run(worker)
    qtbot.waitUntil(lambda: len(failures) == 1, timeout=WAIT_MS)
    assert failures[0].message == "amount: must be positive" and failures[0].expected
    worker.shutdown()


def test_a_typed_error_is_shown_in_a_message_box(qtbot, monkeypatch):
    parent, worker = _parent(qtbot), DbWorker()
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: shown.append(text))

    def work(_reporter):
        raise ValidationError("due_date: before the issue date")

    Operation(parent, work, "Saving…").run(worker)
    qtbot.waitUntil(lambda: shown == ["due_date: before the issue date"], timeout=WAIT_MS)
    worker.shutdown()


def test_the_bug_report_names_the_error_and_places_never_the_message(qtbot):
    secret = "correct horse battery staple"
    try:
        raise KeyError(secret)
    except KeyError as error:
        report = bug_report(error)
        dialog = BugDialog(error)
    qtbot.addWidget(dialog)
    assert "KeyError" in report and "test_operations.py" in report
    assert secret not in report and secret not in dialog.report.toPlainText()
