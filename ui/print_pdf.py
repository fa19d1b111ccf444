"""Printing a PDF made by the application (documents, the emergency sheet) on a system printer.

The PDF is rendered page by page with QtPdf at the printer's resolution; the
bytes stay in memory (no temporary file holds an invoice or the recovery key).
"""

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPoint, QRect, QSize
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QWidget


def ask_printer(parent: QWidget, title: str) -> QPrinter | None:
    """The system print dialog; the chosen printer, or None when the user cancelled."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(title)
    return printer if dialog.exec() == QDialog.DialogCode.Accepted else None


def paint_pages(pdf: QPdfDocument, printer: QPrinter) -> None:
    """Every page of ``pdf`` onto ``printer``, each scaled to fit the printable area."""
    painter = QPainter(printer)
    try:
        for page in range(pdf.pageCount()):
            if page:
                printer.newPage()
            area = painter.viewport()
            points = pdf.pagePointSize(page)
            scale = min(area.width() / points.width(), area.height() / points.height())
            size = QSize(int(points.width() * scale), int(points.height() * scale))
            painter.drawImage(QRect(QPoint(0, 0), size), pdf.render(page, size))
    finally:
        painter.end()


def print_pdf(parent: QWidget, pdf: bytes, title: str) -> bool:
    """Ask for a printer and print ``pdf``; False when the user cancelled."""
    printer = ask_printer(parent, title)
    if printer is None:
        return False
    buffer = QBuffer(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    try:
        paint_pages(document, printer)
    finally:
        document.close()
    return True
