"""run_gui: the application `make run` starts, geometry kept between runs."""

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from ui.main import run_gui
from ui.vault_window import GEOMETRY_KEY, VaultWindow


def close_when_shown(seen: list[VaultWindow]) -> None:
    """Close the window once the event loop runs, as the user would."""

    def close() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, VaultWindow)]
        visible = [w for w in windows if w.isVisible()]
        if not visible:
            QTimer.singleShot(20, close)
            return
        seen.extend(visible)
        for window in visible:
            window.close()

    QTimer.singleShot(0, close)


def test_run_gui_shows_the_window_and_keeps_its_geometry(qtbot, tmp_path, data_dir):
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path))
    seen: list[VaultWindow] = []
    close_when_shown(seen)
    assert run_gui(data_dir, "owner") == 0
    (window,) = seen
    assert window.windowTitle() == "InvoiceVault"
    assert window.stack.currentWidget() is window.start_page
    assert QApplication.applicationName() == "InvoiceVault"
    assert QApplication.organizationName() == "InvoiceVault"
    icon = QApplication.windowIcon()
    assert not icon.isNull()
    for side in (16, 64, 256):  # drawn from the vector at each size (high-DPI)
        assert icon.pixmap(side, side).width() == side
    settings = QSettings()
    assert settings.value(GEOMETRY_KEY) is not None

    settings.setValue(GEOMETRY_KEY, None)
    window.resize(720, 610)
    settings.setValue(GEOMETRY_KEY, window.saveGeometry())
    settings.sync()
    again: list[VaultWindow] = []
    close_when_shown(again)
    assert run_gui(data_dir, "owner") == 0
    assert again[0].size().width() == 720
    assert again[0].size().height() == 610
