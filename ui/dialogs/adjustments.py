"""Discounts and surcharges (EN 16931 allowances and charges) of a line or of the document.

A small dialog with one row per discount or surcharge. Document-level ones
carry their own VAT category and rate (BG-20/21); line-level ones take the line's.
"""

from dataclasses import replace
from decimal import Decimal

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.model import AllowanceCharge, VatCategory
from ui.dialogs.fields import VAT_CATEGORIES, parse_number, plain
from ui.widgets import message_label, paragraph, show_message

Adjustments = tuple[tuple[AllowanceCharge, ...], tuple[AllowanceCharge, ...]]
KIND, AMOUNT, REASON, CATEGORY, RATE = range(5)


class AdjustmentsDialog(QDialog):
    """Edit ``(allowances, charges)``; :meth:`result_value` gives them back after OK."""

    def __init__(
        self, title: str, adjustments: Adjustments, *, document_level: bool, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.document_level = document_level
        self._originals: list[AllowanceCharge] = []
        self._value: Adjustments = adjustments
        columns = [self.tr("Kind"), self.tr("Amount"), self.tr("Reason")]
        if document_level:
            columns += [self.tr("VAT category"), self.tr("VAT rate %")]
        self.table = QTableWidget(0, len(columns), self)
        self.table.setHorizontalHeaderLabels(columns)
        self.table.horizontalHeader().setSectionResizeMode(REASON, QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        allowances, charges = adjustments
        for item in allowances:
            self._add_row(item, charge=False)
        for item in charges:
            self._add_row(item, charge=True)
        self.error = message_label("error", self)
        add_discount = QPushButton(self.tr("Add &discount"), self)
        add_charge = QPushButton(self.tr("Add &surcharge"), self)
        remove = QPushButton(self.tr("&Remove"), self)
        add_discount.clicked.connect(lambda: self._add_row(None, charge=False))
        add_charge.clicked.connect(lambda: self._add_row(None, charge=True))
        remove.clicked.connect(self._remove_row)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.addButton(add_discount, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(add_charge, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(remove, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        hint = (
            self.tr("Discounts and surcharges on the whole document, each with its own VAT.")
            if document_level
            else self.tr("Discounts and surcharges on this line; they take the line's VAT.")
        )
        layout.addWidget(paragraph(hint, self))
        layout.addWidget(self.table)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(620 if document_level else 480, 300)

    def _add_row(self, item: AllowanceCharge | None, *, charge: bool) -> None:
        original = item or AllowanceCharge(
            Decimal(0),
            vat_category=VatCategory.STANDARD if self.document_level else None,
        )
        row = self.table.rowCount()
        self.table.insertRow(row)
        self._originals.append(original)
        kind = QComboBox(self.table)
        kind.addItems([self.tr("Discount"), self.tr("Surcharge")])
        kind.setCurrentIndex(1 if charge else 0)
        self.table.setCellWidget(row, KIND, kind)
        self.table.setItem(row, AMOUNT, QTableWidgetItem(plain(item.amount) if item else ""))
        self.table.setItem(row, REASON, QTableWidgetItem(original.reason))
        if self.document_level:
            category = QComboBox(self.table)
            category.addItems(VAT_CATEGORIES)
            category.setCurrentText((original.vat_category or VatCategory.STANDARD).value)
            self.table.setCellWidget(row, CATEGORY, category)
            self.table.setItem(row, RATE, QTableWidgetItem(plain(original.vat_rate)))
        self.table.setCurrentCell(row, AMOUNT)
        if item is None:
            self.table.editItem(self.table.item(row, AMOUNT))

    def _remove_row(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)
            del self._originals[row]

    def accept(self) -> None:
        allowances: list[AllowanceCharge] = []
        charges: list[AllowanceCharge] = []
        for row, original in enumerate(self._originals):
            amount = parse_number(self.table.item(row, AMOUNT).text())
            if amount is None or amount <= 0:
                self.table.setCurrentCell(row, AMOUNT)
                show_message(
                    self.error, self.tr("Row {0}: enter an amount above zero.").format(row + 1)
                )
                return
            changes: dict[str, object] = {
                "amount": amount,
                "reason": self.table.item(row, REASON).text().strip(),
            }
            if self.document_level:
                category = self.table.cellWidget(row, CATEGORY)
                assert isinstance(category, QComboBox)
                changes["vat_category"] = VatCategory(category.currentText())
                rate_text = self.table.item(row, RATE).text()
                rate = parse_number(rate_text)
                if rate is None and rate_text.strip():
                    self.table.setCurrentCell(row, RATE)
                    show_message(
                        self.error,
                        self.tr("Row {0}: the VAT rate is not a number.").format(row + 1),
                    )
                    return
                changes["vat_rate"] = rate
            kind = self.table.cellWidget(row, KIND)
            assert isinstance(kind, QComboBox)
            target = charges if kind.currentIndex() == 1 else allowances
            target.append(replace(original, **changes))  # type: ignore[arg-type]
        self._value = (tuple(allowances), tuple(charges))
        super().accept()

    def result_value(self) -> Adjustments:
        return self._value
