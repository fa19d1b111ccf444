"""What the list sections share: a title, search-as-you-type, a table that pages, an empty state.

A subclass calls :meth:`ListSection.setup` with a
:class:`~ui.models.keyset_model.KeysetModel`, says what a new
search makes of its query (:meth:`ListSection.with_search`) and what opening a row
does (:meth:`ListSection.open_row`). The list reloads each time the section is shown
and when an action elsewhere changed what it lists (:attr:`ListSection.RELOAD_ON`).
"""

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QEvent, QLocale, QModelIndex, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QWidget,
)

from ui.context import AppContext
from ui.models.keyset_model import KeysetModel
from ui.sections.base import Section
from ui.widgets import paragraph, set_tone, title

SEARCH_DEBOUNCE_MS = 150  # typing pauses shorter than this do not start a search
PAGE_SIZE = 100  # rows per page: a few screens' worth, so scrolling rarely waits


class ListSection(Section):
    """A searchable, paged list of one kind of record."""

    RELOAD_ON: tuple[str, ...] = ()

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.heading = ""

    def setup(
        self, heading: str, model: KeysetModel, *, search_hint: str = "", new_label: str = ""
    ) -> None:
        """Build the screen around ``model`` (after ``__init__``, so subclasses can ``tr``)."""
        self.heading = heading
        self.model = model
        self.title = title(heading, self)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(search_hint)
        self.search.setAccessibleName(self.tr("Search"))
        self.search.setClearButtonEnabled(True)
        self.search.setVisible(bool(search_hint))
        self.search.installEventFilter(self)
        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self.debounce.timeout.connect(self.reload)
        self.search.textChanged.connect(self.debounce.start)
        self.new_button = QPushButton(new_label, self)
        self.new_button.setVisible(bool(new_label))
        self.new_button.clicked.connect(self.create)
        self.new_action = QAction(self)
        self.new_action.setShortcut(QKeySequence(QKeySequence.StandardKey.New))
        self.new_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.new_action.setEnabled(bool(new_label))
        self.new_action.triggered.connect(self.create)
        self.addAction(self.new_action)
        if new_label:
            self.new_button.setToolTip(self.new_action.shortcut().toString(QKeySequence.NativeText))

        self.tools = QHBoxLayout()
        self.tools.setContentsMargins(0, 0, 0, 0)
        self.tools.addWidget(self.search, 1)
        self.tools.addStretch(0 if search_hint else 1)
        self.tools.addWidget(self.new_button)

        self.table = QTableView(self)
        self.table.setModel(model)
        self.table.setAccessibleName(heading)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table, as in a form
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.activated.connect(self._activated)

        self.empty = paragraph("", self)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        set_tone(self.empty, "secondary")
        self.empty.hide()
        self.count = QLabel(self)
        set_tone(self.count, "secondary")

        self.layout_.addWidget(self.title)
        self.layout_.addLayout(self.tools)
        self.layout_.addWidget(self.table, 1)
        self.layout_.addWidget(self.empty, 1)
        self.layout_.addWidget(self.count)
        model.loaded.connect(self._loaded)
        model.modelReset.connect(self._loaded)
        self.setTabOrder(self.search, self.table)

    # -- what a subclass gives ----------------------------------------------------------

    def name(self) -> str:
        return self.heading

    def with_search(self, text: str) -> Any:
        """The model's query with ``text`` as its search."""
        raise NotImplementedError

    def open_row(self, row: Any) -> None:
        """Enter or a double-click on ``row``."""

    def create(self) -> None:
        """The "New …" button and Ctrl+N."""

    def empty_text(self, searching: bool) -> str:
        """What to say when the list is empty: how to fill it, or that nothing matched."""
        return self.tr("Nothing matches this search.") if searching else ""

    def set_columns(self, widths: Sequence[int], stretch: int) -> None:
        """Column widths in average characters; ``stretch`` takes the room left over."""
        char = self.table.fontMetrics().averageCharWidth()
        for column, width in enumerate(widths):
            self.table.setColumnWidth(column, width * char + 16)
        self.table.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)

    # -- Section ------------------------------------------------------------------------

    def activate(self) -> None:
        self.reload()

    def on_changed(self, what: str) -> None:
        if what in self.RELOAD_ON and self.isVisible():
            self.reload()

    def focus_first(self) -> None:
        (self.search if self.search.isVisible() else self.table).setFocus()

    def reload(self) -> None:
        """The first page again, for what the search field and filters say now."""
        self.debounce.stop()
        self.model.reset(self.with_search(self.search.text().strip()))

    # -- events -------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Down from the search field goes into the results, as in a browser's address bar.
        if (
            watched is self.search
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Down
            and self.model.rowCount() > 0
        ):
            self.table.setFocus()
            self.table.selectRow(0)
            return True
        return super().eventFilter(watched, event)

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_row(self.model.row(index.row()))

    def _loaded(self) -> None:
        rows = self.model.rowCount()
        nothing = rows == 0 and self.model.complete
        self.table.setVisible(not nothing)
        self.empty.setVisible(nothing)
        if nothing:
            self.empty.setText(self.empty_text(bool(self.search.text().strip())))
        shown = QLocale().toString(rows)
        if not rows and self.model.loading:
            self.count.setText(self.tr("Loading…"))
        elif self.model.complete:
            self.count.setText(self.tr("{0} in this list").format(shown) if rows else "")
        else:
            self.count.setText(self.tr("{0} shown, scroll down for more").format(shown))
        if rows and not self.table.currentIndex().isValid():
            self.table.setCurrentIndex(self.model.index(0, 0))
