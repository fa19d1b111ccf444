"""Lock the vault after a while without use (DESIGN.md section 3).

"Use" is a key press, a click, a mouse move or a wheel turn anywhere in the
application: an event filter on the QApplication restarts one timer. When the
timer runs out, :attr:`AutoLock.idle` is emitted and the window locks exactly as
Ctrl+L does. Work still running on the worker (a backup, say) postpones the
lock: the user is waiting for it, not away.
"""

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from ui.worker import DbWorker

# The events that mean someone is at the keyboard or the mouse.
ACTIVITY = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
    }
)


class AutoLock(QObject):
    """Emits :attr:`idle` after ``minutes`` without input, while started.

    ``interval_ms`` (tests) replaces the minutes with a shorter time.
    """

    idle = Signal()

    def __init__(self, worker: DbWorker, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.worker = worker
        self.minutes = 0  # 0: never
        self.interval_ms: int | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._timed_out)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def start(self, minutes: int) -> None:
        """(Re)start counting with ``minutes`` of idle time; 0 never locks."""
        self.minutes = minutes
        interval = self.interval_ms if self.interval_ms is not None else minutes * 60_000
        if minutes <= 0 and self.interval_ms is None:
            self._timer.stop()
            return
        self._timer.setInterval(interval)
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in ACTIVITY and self._timer.isActive():
            self._timer.start()  # restart from zero
        return False

    def _timed_out(self) -> None:
        if self.worker.busy:
            self._timer.start()  # a backup or a restore is running: the user waits for it
            return
        self.idle.emit()
