"""Starting the Qt application (``invoicevault`` with no command)."""

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QSettings, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from app import resources
from ui.vault_window import VaultWindow

APP_NAME = "InvoiceVault"


def run_gui(data_dir: Path, user: str) -> int:
    """Show the vault window until it is closed; returns the application's exit code."""
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    # Before the QApplication exists, so QSettings() and the platform see them.
    QApplication.setApplicationName(APP_NAME)
    QApplication.setOrganizationName(APP_NAME)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    # A vector icon: sharp at every scale factor; the desktop file ties the window to it.
    app.setWindowIcon(QIcon(str(resources.path("icons", "invoicevault.svg"))))
    app.setDesktopFileName("invoicevault")
    translator = _qt_translator(app)
    if translator is not None:
        app.installTranslator(translator)
    window = VaultWindow(data_dir, user, settings=QSettings())
    window.show()
    # A quit that closes no window (the desktop session ending) must still lock the vault.
    app.aboutToQuit.connect(window.close)
    code = app.exec()
    if translator is not None:
        app.removeTranslator(translator)
    return code


def _qt_translator(app: QApplication) -> QTranslator | None:
    """Qt's own strings (the context menu of a text field, ...) in the user's language."""
    translator = QTranslator(app)
    path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(QLocale.system(), "qtbase", "_", path):
        return translator
    return None
