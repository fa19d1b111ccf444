"""The open vault: a side bar of sections and the section shown beside it.

Alt+1 … Alt+9 jump to the sections in side-bar order; the status line at the
bottom shows what :meth:`~ui.context.AppContext.read` failures had to say.
"""

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ui.context import AppContext
from ui.sections.base import Section
from ui.widgets import set_tone, show_message

SIDEBAR_WIDTH = 180


class Workspace(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.sidebar = QListWidget(self)
        self.sidebar.setFixedWidth(SIDEBAR_WIDTH)
        self.sidebar.setAccessibleName(self.tr("Sections"))
        self.stack = QStackedWidget(self)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        set_tone(self.status, "error")
        self.status.hide()
        right = QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        right.addWidget(self.stack, 1)
        right.addWidget(self.status)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.sidebar)
        layout.addLayout(right, 1)
        self.sections: list[QWidget] = []
        self.sidebar.currentRowChanged.connect(self._row_changed)
        context.status_message.connect(lambda text: show_message(self.status, text))

    def add(self, section: QWidget, name: str) -> None:
        """Append a section (a :class:`Section`, or any page) under ``name``."""
        self.sections.append(section)
        self.stack.addWidget(section)
        self.sidebar.addItem(name)
        index = len(self.sections)
        if index <= 9:
            jump = QAction(self)
            jump.setShortcut(QKeySequence(f"Alt+{index}"))
            jump.triggered.connect(lambda: self.show_section(section))
            self.addAction(jump)

    def show_section(self, section: QWidget) -> None:
        self.sidebar.setCurrentRow(self.sections.index(section))

    def current(self) -> QWidget | None:
        return self.stack.currentWidget()

    def start(self) -> None:
        """After an unlock: the first section, freshly loaded."""
        show_message(self.status, "")
        if self.sidebar.currentRow() == 0:
            self._row_changed(0)
        else:
            self.sidebar.setCurrentRow(0)

    def _row_changed(self, row: int) -> None:
        if row < 0:
            return
        section = self.sections[row]
        self.stack.setCurrentWidget(section)
        show_message(self.status, "")
        if isinstance(section, Section):
            section.activate()
        focus = getattr(section, "focus_first", None)
        if callable(focus):
            focus()
