"""Where the open vault answers "open / edit / new document" requests of its sections."""

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from ui.context import AppContext


class DocumentWindows(QObject):
    """Opens the document view and the editor when a section asks (see :class:`AppContext`)."""

    def __init__(self, context: AppContext, window: QWidget) -> None:
        super().__init__(window)
        self.context = context
        self.window = window


def install(context: AppContext, window: QWidget) -> DocumentWindows:
    return DocumentWindows(context, window)
