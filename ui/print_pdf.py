"""Printing a PDF made by the application (the emergency sheet) through the system's printers.

The PDF is rendered page by page with QtPdf at the printer's resolution; the
bytes stay in memory (no temporary file holds the recovery key).
"""

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QWidget


def print_pdf(parent: QWidget, pdf: bytes, title: str) -> bool:
    """Ask for a printer and print ``pdf``; False when the user cancelled."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(title)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    data = QByteArray(pdf)
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    painter = QPainter(printer)
    try:
        page_rect = printer.pageRect(QPrinter.Unit.DevicePixel).toRect()
        for page in range(document.pageCount()):
            if page:
                printer.newPage()
            fitted = document.pagePointSize(page).scaled(
                page_rect.size().toSizeF(), Qt.AspectRatioMode.KeepAspectRatio
            )
            image = document.render(page, fitted.toSize())
            painter.drawImage(0, 0, image)
    finally:
        painter.end()
        document.close()
    return True
