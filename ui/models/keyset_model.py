"""A table model that pages through a list on the worker thread, by keyset cursors.

The view asks :meth:`KeysetModel.canFetchMore` / :meth:`KeysetModel.fetchMore` as the
user scrolls; each call submits the read of one more page through
:meth:`AppContext.read` and returns at once, and the rows are inserted when the page
arrives. Only the pages the user scrolled through are ever held in Python.

A new search, filter or sort calls :meth:`KeysetModel.reset`. Every request carries
the generation it was made for, so a page of the old query that arrives after a reset
is dropped instead of being mixed into the new list.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont

from ui.context import AppContext
from ui.worker import Failure

Row = TypeVar("Row")
Query = TypeVar("Query")
Cursor = Any
Index = QModelIndex | QPersistentModelIndex
#: ``fetch(session, query, after)`` on the worker: one page and the next page's cursor
#: (None at the end).
PageFetch = Callable[[Any, Any, Cursor | None], tuple[list[Any], Cursor | None]]

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


@dataclass(frozen=True)
class Column(Generic[Row]):
    """How one column shows a row: its header, its text, and how it looks."""

    header: str
    text: Callable[[Row], str]
    right: bool = False  # amounts: aligned right so the digits line up
    bold: Callable[[Row], bool] | None = None  # what needs attention (an overdue invoice)
    tooltip: Callable[[Row], str] | None = None


class KeysetModel(QAbstractTableModel, Generic[Row, Query]):
    """Rows fetched page by page; ``loaded`` is emitted after every page that arrives."""

    loaded = Signal()

    def __init__(
        self,
        context: AppContext,
        fetch: PageFetch,
        columns: Sequence[Column[Row]],
        query: Query,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self._fetch = fetch
        self.columns = list(columns)
        self.query = query
        self._rows: list[Row] = []
        self._cursor: Cursor | None = None
        self._more = False
        self._in_flight = False
        self._generation = 0
        self._bold = QFont()
        self._bold.setBold(True)

    # -- what a view asks ---------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = self.columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return column.text(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if column.right else LEFT
        if role == Qt.ItemDataRole.FontRole and column.bold is not None and column.bold(row):
            return self._bold
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip is not None:
            return column.tooltip(row) or None
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        column = self.columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.header
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if column.right else LEFT
        return None

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008 - Qt's signature
        return not parent.isValid() and self._more and not self._in_flight

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008 - Qt's signature
        """Ask the worker for the next page; the rows come in :meth:`_arrived`."""
        if not self.canFetchMore(parent):
            return
        self._request()

    # -- what a section uses ------------------------------------------------------------

    def row(self, number: int) -> Row:
        return self._rows[number]

    @property
    def loading(self) -> bool:
        """A page is on its way (the first one after a reset, or the next one)."""
        return self._in_flight

    @property
    def complete(self) -> bool:
        """Every row of the query is here."""
        return not self._more and not self._in_flight

    def reset(self, query: Query | None = None) -> None:
        """Start over with ``query`` (or the same one, to reload): empty, then the first page."""
        if query is not None:
            self.query = query
        self._generation += 1
        self.beginResetModel()
        self._rows = []
        self._cursor = None
        self._more = False
        self._in_flight = True  # so a view that looks now sees "loading", not "empty"
        self.endResetModel()
        self._request()

    # -- the worker's answers -----------------------------------------------------------

    def _request(self) -> None:
        self._in_flight = True
        generation = self._generation
        self.context.read(
            self._fetch,
            self.query,
            self._cursor,
            on_success=lambda page: self._arrived(generation, page),
            on_failure=lambda failure: self._failed(generation, failure),
        )

    def _arrived(self, generation: int, page: tuple[list[Row], Cursor | None]) -> None:
        if generation != self._generation:
            return  # a page of a query the user has already replaced
        rows, cursor = page
        self._in_flight = False
        self._cursor = cursor
        self._more = cursor is not None
        if rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()
        self.loaded.emit()

    def _failed(self, generation: int, _failure: Failure) -> None:
        # The message is already in the status line (AppContext.read); stop asking for more
        # until the next reset, so a broken page is not requested in a loop.
        if generation == self._generation:
            self._in_flight = False
            self._more = False
            self.loaded.emit()


def cursor_after(rows: Sequence[Any], limit: int, key: Callable[[Any], Cursor]) -> Cursor | None:
    """For services that return a bare page: the cursor of a full page's last row, else None."""
    return key(rows[-1]) if len(rows) == limit and rows else None
