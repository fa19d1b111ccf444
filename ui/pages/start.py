"""The first start: make a new vault, or bring one back from a backup file."""

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from ui.widgets import Page, button, paragraph, set_tone, title


class StartPage(Page):
    create_chosen = Signal()
    restore_chosen = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.body.addWidget(title(self.tr("Welcome to InvoiceVault"), self))
        self.body.addWidget(
            paragraph(
                self.tr(
                    "InvoiceVault keeps your invoices, clients and settings in one encrypted "
                    "vault on this laptop. Nothing leaves it unless you export it."
                ),
                self,
            )
        )
        self.create_button = button(self.tr("&Create a new vault"), self, default=True)
        self.default_button = self.create_button
        create_hint = paragraph(self.tr("The first time you use InvoiceVault."), self)
        self.restore_button = button(self.tr("&Restore from a backup file…"), self)
        restore_hint = paragraph(
            self.tr(
                "A new laptop, or a lost one: bring back your vault from an .ivbak backup "
                "with your passphrase or your recovery key."
            ),
            self,
        )
        for widget, hint in (
            (self.create_button, create_hint),
            (self.restore_button, restore_hint),
        ):
            widget.setMinimumHeight(widget.sizeHint().height() * 3 // 2)
            set_tone(hint, "secondary")
            self.body.addSpacing(8)
            self.body.addWidget(widget)
            self.body.addWidget(hint)
        self.body.addStretch(1)
        self.create_button.clicked.connect(self.create_chosen)
        self.restore_button.clicked.connect(self.restore_chosen)

    def focus_first(self) -> None:
        self.create_button.setFocus()
