"""Small widgets shared by the pages: a page base, a strength meter, a busy line, labels."""

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QFont, QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.vault.strength import Strength

CONTENT_MAX_WIDTH = 640
PATH_MAX_CHARS = 60
SECONDARY_FADE = 0.38  # towards the background: still about 5:1 contrast on a light theme
TONES = {"error": ("#b00020", "#ff8a80"), "ok": ("#1b6e20", "#8fd694")}  # (light, dark theme)


class Page(QWidget):
    """One screen of the window, its content centred and kept to a readable width.

    Return or Enter anywhere on the page presses :attr:`default_button` when it is
    enabled (a QMainWindow has no dialog default button of its own). A focused
    push button still handles Return itself: every button here is auto-default.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.default_button: QPushButton | None = None
        content = QWidget(self)
        content.setMaximumWidth(CONTENT_MAX_WIDTH)
        self.body = QVBoxLayout(content)
        self.body.setContentsMargins(0, 0, 0, 0)
        self.body.setSpacing(12)
        outer = QHBoxLayout(self)
        outer.setContentsMargins(28, 24, 28, 24)
        outer.addStretch(1)
        outer.addWidget(content, 100)
        outer.addStretch(1)

    def focus_first(self) -> None:
        """Put the keyboard focus where the user starts on this page."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        button = self.default_button
        if (
            event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and button is not None
            and button.isVisible()
            and button.isEnabled()
        ):
            button.click()
            return
        super().keyPressEvent(event)


def button(text: str, parent: QWidget | None = None, *, default: bool = False) -> QPushButton:
    widget = QPushButton(text, parent)
    widget.setAutoDefault(True)
    widget.setDefault(default)
    return widget


def button_row(*buttons: QPushButton) -> QHBoxLayout:
    """Buttons at the right edge, where the eye ends a form."""
    row = QHBoxLayout()
    row.addStretch(1)
    for widget in buttons:
        row.addWidget(widget)
    return row


def title(text: str, parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * 1.45)
    font.setBold(True)
    label.setFont(font)
    label.setAccessibleName(text)
    return label


def paragraph(text: str = "", parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def message_label(kind: str, parent: QWidget | None = None) -> QLabel:
    """A wrapped, selectable label for errors (``"error"``) or good news (``"ok"``).

    The colour is picked against the current palette so it stays readable on a
    dark desktop theme too; the text itself always says what happened.
    """
    label = paragraph("", parent)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    set_tone(label, kind)
    label.hide()
    return label


def set_tone(label: QLabel, kind: str) -> None:
    """Colour ``label`` for ``kind``, readable on light and dark themes.

    "error" and "ok" are red and green; "secondary" is the text colour moved a
    third of the way towards the background (disabled text would be too faint).
    """
    palette = label.palette()
    background = palette.color(QPalette.ColorRole.Window)
    if kind == "secondary":
        text = palette.color(QPalette.ColorRole.WindowText)
        pairs = zip(text.getRgb()[:3], background.getRgb()[:3], strict=True)
        colour = QColor(*(round(t + (b - t) * SECONDARY_FADE) for t, b in pairs))
    else:
        on_light, on_dark = TONES[kind]
        colour = QColor(on_dark if background.lightness() < 128 else on_light)
    palette.setColor(QPalette.ColorRole.WindowText, colour)
    label.setPalette(palette)


def show_message(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setVisible(bool(text))


def elide_path(path: str) -> str:
    """Shorten a long folder path in the middle; the full path goes in a tooltip."""
    if len(path) <= PATH_MAX_CHARS:
        return path
    keep = PATH_MAX_CHARS - 1
    return path[: keep // 3] + "…" + path[-(keep - keep // 3) :]


class StrengthMeter(QWidget):
    """A bar for the 0..4 score, its word ("fair", "strong") and the advice of :func:`estimate`."""

    COLOURS = ("#c62828", "#c62828", "#ef8f00", "#2e7d32", "#2e7d32")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 5)  # score + 1, so "very weak" is a visible red sliver
        self.bar.setTextVisible(False)
        self.bar.setMaximumHeight(12)
        self.bar.setAccessibleName(self.tr("Passphrase strength"))
        self.label = QLabel(self)
        self.label.setMinimumWidth(self.label.fontMetrics().horizontalAdvance("very strong") + 8)
        self.advice = paragraph("", self)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.bar, 1)
        row.addWidget(self.label)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        column.addLayout(row)
        column.addWidget(self.advice)
        self.show_strength(None)

    def show_strength(self, strength: Strength | None) -> None:
        """None (nothing typed yet) shows an empty meter and no advice."""
        score = strength.score if strength else 0
        self.bar.setValue(score + 1 if strength else 0)
        palette = self.bar.palette()
        palette.setColor(QPalette.ColorRole.Highlight, QColor(self.COLOURS[score]))
        self.bar.setPalette(palette)
        labels = (
            self.tr("very weak"),
            self.tr("weak"),
            self.tr("fair"),
            self.tr("strong"),
            self.tr("very strong"),
        )
        self.label.setText(labels[score] if strength else "")
        self.bar.setAccessibleDescription(self.label.text())
        advice = strength.advice if strength else ""
        show_message(self.advice, advice)


class BusyIndicator(QWidget):
    """An indeterminate bar and a sentence saying what is happening and why it takes time.

    ``delay_ms`` keeps quick work from flashing the indicator (DESIGN.md: show
    progress only when work passes about half a second).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 0)
        self.bar.setTextVisible(False)
        self.bar.setMaximumHeight(12)
        self.bar.setFixedWidth(96)
        self.label = paragraph("", self)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.bar, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.label, 1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.show)
        self.hide()

    def start(self, text: str, delay_ms: int = 0) -> None:
        self.label.setText(text)
        self.bar.setAccessibleDescription(text)
        if delay_ms <= 0:
            self.show()
        else:
            self._timer.start(delay_ms)

    def stop(self) -> None:
        self._timer.stop()
        self.hide()
