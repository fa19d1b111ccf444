"""Guards on the Qt binding we ship.

PySide6 6.12.0 returned ``True`` from ``Signal.emit()`` without a reference; under
CPython 3.11 (mortal booleans) a few hundred emits aborted the process with
"bool_dealloc". We pin 6.11.3; this test fails if an upgrade brings the defect back.
"""

import sys

from PySide6.QtCore import QObject, Signal


class Sender(QObject):
    changed = Signal(bool)
    done = Signal(object)


def test_many_emits_leave_the_references_to_true_and_false_alone(qtbot):
    sender = Sender()
    received = []
    sender.changed.connect(received.append)
    sender.done.connect(received.append)
    before = sys.getrefcount(True), sys.getrefcount(False)
    for _ in range(2000):
        sender.changed.emit(False)
        sender.done.emit(None)
    assert len(received) == 4000
    received.clear()
    assert (sys.getrefcount(True), sys.getrefcount(False)) == before
