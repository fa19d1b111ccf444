"""Choosing the passphrase of a new vault, with a live strength meter."""

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QCheckBox, QFormLayout, QLineEdit, QWidget

from app.vault.strength import Strength, estimate
from ui.widgets import (
    BusyIndicator,
    Page,
    StrengthMeter,
    button,
    button_row,
    elide_path,
    message_label,
    paragraph,
    set_tone,
    show_message,
    title,
)

# zxcvbn takes up to ~0.1 s on a long passphrase: estimate once typing pauses.
ESTIMATE_DELAY_MS = 120


class CreatePage(Page):
    create_requested = Signal(str)  # the passphrase
    back = Signal()

    def __init__(self, data_dir: Path, user: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.user = user
        self._strength: Strength | None = None
        self._estimated = ""  # the text self._strength belongs to
        self._busy = False

        self.body.addWidget(title(self.tr("Choose your passphrase"), self))
        self.body.addWidget(
            paragraph(
                self.tr(
                    "Your vault is locked with a passphrase. Four or five "
                    "unusual words are easier to remember and harder to guess than a short "
                    "password full of symbols."
                ),
                self,
            )
        )
        self.body.addWidget(
            paragraph(
                self.tr(
                    "Nobody can open the vault without this passphrase or the recovery key "
                    "you will get next."
                ),
                self,
            )
        )

        self.passphrase = self._password_field(self.tr("New passphrase"))
        self.repeat = self._password_field(self.tr("Repeat the passphrase"))
        self.show_text = QCheckBox(self.tr("Show passphrase"), self)
        self.meter = StrengthMeter(self)
        self.match_hint = message_label("error", self)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setVerticalSpacing(8)
        form.addRow(self.tr("&Passphrase:"), self.passphrase)
        form.addRow(self.tr("&Repeat it:"), self.repeat)
        form.addRow("", self.show_text)
        form.addRow(self.tr("Strength:"), self.meter)
        form.addRow("", self.match_hint)
        self.body.addLayout(form)

        folder = paragraph(self.tr("Vault folder: {0}").format(elide_path(str(data_dir))), self)
        folder.setToolTip(str(data_dir))
        set_tone(folder, "secondary")
        self.body.addWidget(folder)

        self.busy = BusyIndicator(self)
        self.error = message_label("error", self)
        self.back_button = button(self.tr("&Back"), self)
        self.create_button = button(self.tr("&Create vault"), self, default=True)
        self.default_button = self.create_button
        self.body.addWidget(self.busy)
        self.body.addWidget(self.error)
        self.body.addLayout(button_row(self.back_button, self.create_button))
        self.body.addStretch(1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(ESTIMATE_DELAY_MS)
        self._timer.timeout.connect(self._estimate)
        self.passphrase.textChanged.connect(self._passphrase_changed)
        self.repeat.textChanged.connect(self._update)
        self.show_text.toggled.connect(self._show_text)
        self.create_button.clicked.connect(self._create)
        self.back_button.clicked.connect(self._back)
        self._update()

    def focus_first(self) -> None:
        self.passphrase.setFocus()

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        for widget in (self.passphrase, self.repeat, self.show_text, self.back_button):
            widget.setEnabled(not busy)
        if busy:
            show_message(self.error, "")
            self.busy.start(
                self.tr(
                    "Creating your vault: this takes a few seconds on purpose, it makes "
                    "guessing your passphrase slow."
                )
            )
        else:
            self.busy.stop()
        self._update()

    def show_error(self, message: str) -> None:
        show_message(self.error, message)

    def clear(self) -> None:
        self.passphrase.clear()
        self.repeat.clear()
        self.show_text.setChecked(False)

    def _password_field(self, accessible_name: str) -> QLineEdit:
        field = QLineEdit(self)
        field.setEchoMode(QLineEdit.EchoMode.Password)
        field.setAccessibleName(accessible_name)
        field.setInputMethodHints(
            Qt.InputMethodHint.ImhHiddenText | Qt.InputMethodHint.ImhSensitiveData
        )
        return field

    def _passphrase_changed(self) -> None:
        self._timer.start()
        self._update()

    def _estimate(self) -> None:
        text = self.passphrase.text()
        self._strength = estimate(text, (self.user,)) if text else None
        self._estimated = text
        self.meter.show_strength(self._strength)
        self._update()

    def _acceptable(self) -> bool:
        text = self.passphrase.text()
        return (
            bool(text)
            and self._estimated == text
            and self._strength is not None
            and self._strength.acceptable
        )

    def _update(self) -> None:
        text, repeat = self.passphrase.text(), self.repeat.text()
        mismatch = bool(repeat) and repeat != text
        hint = self.tr("The two passphrases are not the same yet.") if mismatch else ""
        show_message(self.match_hint, hint)
        self.create_button.setEnabled(not self._busy and self._acceptable() and repeat == text)

    def _show_text(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.passphrase.setEchoMode(mode)
        self.repeat.setEchoMode(mode)

    def _back(self) -> None:
        self.clear()
        self.back.emit()

    def _create(self) -> None:
        if self._acceptable() and self.repeat.text() == self.passphrase.text():
            self.create_requested.emit(self.passphrase.text())
