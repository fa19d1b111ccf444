"""The lines of the document editor: one row of fields per line, item completion, messages.

Each row is a handful of plain widgets in a grid, so Tab walks a line from left
to right and on to the next line. Typing a description asks the catalogue for
items starting with it; picking one fills unit, price and VAT. A row whose
description and price are both empty is left out of the document.
"""

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

from PySide6.QtCore import QStringListModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.model import AllowanceCharge, Item, Line, VatCategory
from app.domain.rules import NEEDS_EXEMPTION
from app.domain.unit_codes import UNIT_NAMES
from ui.dialogs.adjustments import AdjustmentsDialog
from ui.dialogs.fields import VAT_CATEGORIES, parse_number, plain, unit_label
from ui.widgets import message_label, set_tone, show_message

ItemResults = list[tuple[int, Item]]
CompleteItems = Callable[[str, Callable[[ItemResults], None]], None]
COMPLETE_DELAY_MS = 150
#: Grid columns of a row (the message goes on the grid row below, across them all).
DESCRIPTION, QUANTITY, UNIT, PRICE, CATEGORY, RATE, EXEMPTION, ADJUST, AMOUNT, REMOVE = range(10)


class LineRow(QWidget):
    """The widgets of one line (not itself shown: they live in :class:`LinesEditor`'s grid)."""

    changed = Signal()
    remove_requested = Signal(object)

    def __init__(self, line: Line | None, complete_items: CompleteItems, parent: QWidget) -> None:
        super().__init__(parent)
        self.hide()
        self.original = line
        self.adjustments: tuple[tuple[AllowanceCharge, ...], tuple[AllowanceCharge, ...]] = (
            (line.allowances, line.charges) if line else ((), ())
        )
        self._complete_items = complete_items
        self._found: dict[str, Item] = {}
        self.description = QLineEdit(line.description if line else "", parent)
        self.description.setPlaceholderText(self.tr("What you deliver"))
        self.description.setMinimumWidth(200)
        self.completer = QCompleter(QStringListModel(self), self.description)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchFlag.MatchStartsWith)
        self.description.setCompleter(self.completer)
        self.quantity = QLineEdit(plain(line.quantity) if line else "1", parent)
        self.unit = QComboBox(parent)
        for code in UNIT_NAMES:
            self.unit.addItem(unit_label(code), code)
        self.price = QLineEdit(plain(line.net_price) if line else "", parent)
        self.price.setPlaceholderText("0.00")
        self.category = QComboBox(parent)
        self.category.addItems(VAT_CATEGORIES)
        self.rate = QLineEdit(plain(line.vat_rate) if line else "", parent)
        self.exemption = QLineEdit(line.exemption_reason if line else "", parent)
        self.exemption.setPlaceholderText(self.tr("Why no VAT"))
        self.adjust = QPushButton(parent)
        self.amount = QLabel(parent)
        self.amount.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.amount.setMinimumWidth(90)
        self.remove = QPushButton("✕", parent)
        for small in (self.adjust, self.remove):
            small.setMaximumWidth(small.fontMetrics().horizontalAdvance("±99") + 24)
        self.remove.setToolTip(self.tr("Remove this line"))
        self.remove.setAccessibleName(self.tr("Remove this line"))
        self.message = message_label("error", parent)
        for widget, name in (
            (self.description, self.tr("Description")),
            (self.quantity, self.tr("Quantity")),
            (self.unit, self.tr("Unit")),
            (self.price, self.tr("Net price")),
            (self.category, self.tr("VAT category")),
            (self.rate, self.tr("VAT rate %")),
            (self.exemption, self.tr("VAT exemption reason")),
        ):
            widget.setAccessibleName(name)
        for edit in (self.quantity, self.price, self.rate):
            edit.setAlignment(Qt.AlignmentFlag.AlignRight)
            edit.setMaximumWidth(90)
        self.rate.setMaximumWidth(60)
        if line is not None:
            self._set_unit(line.unit)
            self.category.setCurrentText(line.vat_category.value)
        else:
            self._set_unit("C62")
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(COMPLETE_DELAY_MS)
        self._timer.timeout.connect(self._ask_items)
        self.description.textEdited.connect(lambda _text: self._timer.start())
        self.completer.activated.connect(self._item_picked)
        for edit in (self.description, self.quantity, self.price, self.rate, self.exemption):
            edit.textChanged.connect(self.changed)
        for combo in (self.unit, self.category):
            combo.currentIndexChanged.connect(self.changed)
        self.category.currentIndexChanged.connect(self._category_changed)
        self.adjust.clicked.connect(self._edit_adjustments)
        self.remove.clicked.connect(lambda: self.remove_requested.emit(self))
        self._category_changed()
        self._show_adjustments()

    def widgets(self) -> list[QWidget]:
        """In grid column order."""
        return [
            self.description,
            self.quantity,
            self.unit,
            self.price,
            self.category,
            self.rate,
            self.exemption,
            self.adjust,
            self.amount,
            self.remove,
        ]

    def is_blank(self) -> bool:
        return not self.description.text().strip() and not self.price.text().strip()

    def build(self) -> Line | tuple[str, str]:
        """The line as typed, or ``(field, message)`` for what cannot be read as a number."""
        quantity = parse_number(self.quantity.text())
        if quantity is None:
            return "quantity", self.tr("enter a number, like 2 or 1.5")
        price = parse_number(self.price.text())
        if price is None:
            return "net_price", self.tr("enter a price, like 120.00")
        rate: Decimal | None = None
        if self.rate.text().strip():
            rate = parse_number(self.rate.text())
            if rate is None:
                return "vat_rate", self.tr("enter a VAT rate, like 19")
        category = VatCategory(self.category.currentText())
        base = self.original or Line("", Decimal(1), "C62", Decimal(0), category, None)
        allowances, charges = self.adjustments
        return replace(
            base,
            description=self.description.text().strip(),
            quantity=quantity,
            unit=str(self.unit.currentData()),
            net_price=price,
            vat_category=category,
            vat_rate=rate,
            exemption_reason=self.exemption.text().strip() if category in NEEDS_EXEMPTION else "",
            exemption_code=base.exemption_code if category in NEEDS_EXEMPTION else "",
            allowances=allowances,
            charges=charges,
        )

    def widget_for(self, field: str) -> QWidget:
        """The widget a validation path (``quantity``, ``allowances[0].amount``) points at."""
        named = {
            "description": self.description,
            "quantity": self.quantity,
            "unit": self.unit,
            "net_price": self.price,
            "vat_category": self.category,
            "vat_rate": self.rate,
            "exemption_reason": self.exemption,
            "exemption_code": self.exemption,
        }
        head = field.split(".")[0].split("[")[0]
        if head in ("allowances", "charges"):
            return self.adjust
        return named.get(head, self.description)

    def show_problem(self, text: str) -> None:
        show_message(self.message, text)

    # -- inside ----------------------------------------------------------------------------

    def _set_unit(self, code: str) -> None:
        index = self.unit.findData(code)
        if index < 0:
            self.unit.addItem(unit_label(code), code)
            index = self.unit.count() - 1
        self.unit.setCurrentIndex(index)

    def _category_changed(self) -> None:
        needs = VatCategory(self.category.currentText()) in NEEDS_EXEMPTION
        self.exemption.setEnabled(needs)
        if not needs:
            self.exemption.setPlaceholderText("")
        else:
            self.exemption.setPlaceholderText(self.tr("Why no VAT"))

    def _ask_items(self) -> None:
        prefix = self.description.text().strip()
        if prefix:
            self._complete_items(prefix, self._items_found)

    def _items_found(self, results: ItemResults) -> None:
        if not self.description.hasFocus():
            return  # the user moved on; a popup now would be in the way
        self._found = {item.description: item for _id, item in results}
        model = self.completer.model()
        assert isinstance(model, QStringListModel)
        model.setStringList(list(self._found))
        self.completer.setCompletionPrefix(self.description.text())
        if self._found:
            self.completer.complete()

    def _item_picked(self, text: str) -> None:
        item = self._found.get(text)
        if item is None:
            return
        self.description.setText(item.description)
        self._set_unit(item.unit)
        self.price.setText(plain(item.net_price))
        self.category.setCurrentText(item.vat_category.value)
        self.rate.setText(plain(item.vat_rate))
        self.exemption.setText(item.exemption_reason)
        self.quantity.setFocus()
        self.quantity.selectAll()

    def _edit_adjustments(self) -> None:
        dialog = AdjustmentsDialog(
            self.tr("Discounts and surcharges of this line"),
            self.adjustments,
            document_level=False,
            parent=self.adjust.window(),
        )
        if dialog.exec() == AdjustmentsDialog.DialogCode.Accepted:
            self.adjustments = dialog.result_value()
            self._show_adjustments()
            self.changed.emit()

    def _show_adjustments(self) -> None:
        count = sum(len(group) for group in self.adjustments)
        self.adjust.setText(self.tr("±{0}").format(count) if count else "±")
        self.adjust.setToolTip(self.tr("Discounts and surcharges of this line"))
        self.adjust.setAccessibleName(self.adjust.toolTip())


class LinesEditor(QWidget):
    """All lines: a header, one grid row per line plus its message row, and "Add line"."""

    changed = Signal()

    def __init__(self, complete_items: CompleteItems, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._complete_items = complete_items
        self.rows: list[LineRow] = []
        self.default_vat: tuple[str, str] = ("S", "")  # category code, rate: the user's settings
        outer = QVBoxLayout(self)
        outer.setContentsMargins(4, 4, 4, 4)
        self.grid = QGridLayout()
        outer.addLayout(self.grid)
        outer.addStretch(1)  # a few lines sit at the top, not spread over the area
        self.grid.setHorizontalSpacing(6)
        self.grid.setVerticalSpacing(2)
        self.grid.setColumnStretch(DESCRIPTION, 3)
        self.grid.setColumnStretch(EXEMPTION, 1)
        headers = (
            self.tr("Description"),
            self.tr("Quantity"),
            self.tr("Unit"),
            self.tr("Net price"),
            self.tr("VAT"),
            self.tr("Rate %"),
            self.tr("Exemption reason"),
            "",
            self.tr("Amount"),
            "",
        )
        for column, text in enumerate(headers):
            header = QLabel(text, self)
            set_tone(header, "secondary")
            if column == AMOUNT:
                header.setAlignment(Qt.AlignmentFlag.AlignRight)
            self.grid.addWidget(header, 0, column)
        self.add_button = QPushButton(self.tr("&Add line"), self)
        self.add_button.clicked.connect(lambda: self.add_line(None, focus=True))
        self.problem = message_label("error", self)

    def set_default_vat(self, category: str, rate: str) -> None:
        """New lines start with these; blank rows nobody touched yet take them now."""
        self.default_vat = (category, rate)
        for row in self.rows:
            if row.is_blank() and not row.rate.text():
                row.category.setCurrentText(category)
                row.rate.setText(rate)

    def set_lines(self, lines: tuple[Line, ...]) -> None:
        for line in lines:
            self.add_line(line)
        if not lines:
            self.add_line(None)

    def add_line(self, line: Line | None, *, focus: bool = False) -> LineRow:
        row = LineRow(line, self._complete_items, self)
        if line is None and self.rows:
            previous = self.rows[-1]
            row.category.setCurrentIndex(previous.category.currentIndex())
            row.rate.setText(previous.rate.text())
        elif line is None:
            row.category.setCurrentText(self.default_vat[0])
            row.rate.setText(self.default_vat[1])
        self.rows.append(row)
        row.changed.connect(self.changed)
        row.remove_requested.connect(self._remove)
        self._lay_out()
        if focus:  # once the new widgets are shown (the layout shows them later)
            QTimer.singleShot(0, row.description.setFocus)
        self.changed.emit()
        return row

    def built(self) -> tuple[list[tuple[LineRow, Line]], tuple[QWidget, str, LineRow] | None]:
        """The lines that are not blank, or the first row that cannot be read."""
        lines: list[tuple[LineRow, Line]] = []
        for row in self.rows:
            if row.is_blank():
                continue
            result = row.build()
            if isinstance(result, tuple):
                field, message = result
                return lines, (row.widget_for(field), message, row)
            lines.append((row, result))
        return lines, None

    def clear_problems(self) -> None:
        for row in self.rows:
            row.show_problem("")
        show_message(self.problem, "")

    def _remove(self, row: LineRow) -> None:
        self.rows.remove(row)
        for widget in (*row.widgets(), row.message):
            self.grid.removeWidget(widget)
            widget.deleteLater()
        row.deleteLater()
        if not self.rows:
            self.add_line(None)
        self._lay_out()
        self.changed.emit()

    def _lay_out(self) -> None:
        """Two grid rows per line (fields, then its message), then the list's own message."""
        for index, row in enumerate(self.rows):
            for column, widget in enumerate(row.widgets()):
                self.grid.addWidget(widget, 1 + 2 * index, column)
            self.grid.addWidget(row.message, 2 + 2 * index, 0, 1, REMOVE + 1)
        end = 1 + 2 * len(self.rows)
        self.grid.addWidget(self.problem, end, 0, 1, REMOVE + 1)
        self.grid.addWidget(self.add_button, end + 1, 0, Qt.AlignmentFlag.AlignLeft)
        previous: QWidget | None = None
        for row in self.rows:
            for widget in row.widgets():
                if previous is not None:
                    QWidget.setTabOrder(previous, widget)
                previous = widget
        if previous is not None:
            QWidget.setTabOrder(previous, self.add_button)
