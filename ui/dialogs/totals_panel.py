"""The EN 16931 totals of the document being edited, as :func:`~app.domain.totals.compute` says."""

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from app.domain.totals import Totals
from ui.dialogs.fields import format_money, format_number
from ui.widgets import set_tone


class TotalsPanel(QWidget):
    """Sum of lines (BT-106) … amount due (BT-115), one VAT row per category and rate."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(16)
        self.grid.setVerticalSpacing(2)
        self.figures: dict[str, str] = {}  # what is shown, by label: for tests and screen readers
        self.show_totals(None)

    def show_totals(self, totals: Totals | None) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.figures = {}
        if totals is None:
            self._row(self.tr("Totals appear when the lines are complete."), "", bold=False)
            return
        money = totals.currency
        self._row(self.tr("Sum of lines"), format_money(totals.sum_of_lines, money))
        if totals.allowances:
            self._row(self.tr("Discounts"), "− " + format_money(totals.allowances, money))
        if totals.charges:
            self._row(self.tr("Surcharges"), format_money(totals.charges, money))
        self._row(self.tr("Net total"), format_money(totals.without_vat, money))
        for part in totals.vat_breakdown:
            rate = f" {format_number(part.rate)} %" if part.rate is not None else ""
            label = self.tr("VAT {0}{1} on {2}").format(
                part.category.value, rate, format_money(part.taxable, money)
            )
            self._row(label, format_money(part.tax, money))
        self._row(self.tr("Total"), format_money(totals.with_vat, money), bold=True)
        if totals.prepaid:
            self._row(self.tr("Paid in advance"), "− " + format_money(totals.prepaid, money))
        if totals.rounding:
            self._row(self.tr("Rounding"), format_money(totals.rounding, money))
        self._row(self.tr("Amount due"), format_money(totals.due, money), bold=True)

    def _row(self, label: str, value: str, *, bold: bool = True) -> None:
        row = self.grid.rowCount()
        name = QLabel(label, self)
        figure = QLabel(value, self)
        figure.setAlignment(Qt.AlignmentFlag.AlignRight)
        figure.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        if not value:
            set_tone(name, "secondary")
        if bold and label in (self.tr("Total"), self.tr("Amount due")):
            for widget in (name, figure):
                font = QFont(widget.font())
                font.setBold(True)
                widget.setFont(font)
        self.grid.addWidget(name, row, 0)
        self.grid.addWidget(figure, row, 1)
        self.figures[label] = value
