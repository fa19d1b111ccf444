"""The base of every section of the open vault."""

from PySide6.QtWidgets import QVBoxLayout, QWidget

from ui.context import AppContext


class Section(QWidget):
    """One entry of the side bar.

    ``name`` is what the side bar shows (translated by the subclass's ``tr``);
    :meth:`activate` runs each time the section is shown (load or refresh what
    it displays, through ``self.context.read``); :meth:`on_changed` runs when
    an action elsewhere changed ``what`` (see :attr:`AppContext.changed`).
    """

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(16, 12, 16, 12)
        context.changed.connect(self.on_changed)

    def name(self) -> str:
        raise NotImplementedError

    def activate(self) -> None:
        """Called when the section becomes visible."""

    def on_changed(self, what: str) -> None:
        """Data changed elsewhere; reload if it is what this section shows and it is visible."""

    def focus_first(self) -> None:
        """Where the keyboard starts in this section."""
