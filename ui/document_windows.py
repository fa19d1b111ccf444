"""Where the open vault answers "open / edit / new document" requests of its sections."""

from PySide6.QtCore import QObject, SignalInstance
from PySide6.QtWidgets import QMainWindow, QWidget

from app.domain.model import DocumentType
from app.services import invoicing
from app.services.invoicing import DocumentView
from ui.context import AppContext
from ui.dialogs.document_view import DocumentViewWindow
from ui.dialogs.editor import DocumentEditor


class DocumentWindows(QObject):
    """Opens the document view and the editor when a section asks (see :class:`AppContext`).

    A document already open in a window is brought to the front rather than
    opened twice; a draft asked to be "opened" goes to the editor.
    """

    def __init__(self, context: AppContext, window: QWidget, about_to_lock: SignalInstance) -> None:
        super().__init__(window)
        self.context = context
        self.window = window
        about_to_lock.connect(self.keep_drafts)
        self.views: dict[int, DocumentViewWindow] = {}
        self.editors: dict[int, DocumentEditor] = {}
        context.open_document.connect(self.open_document)
        context.edit_document.connect(self.edit_document)
        context.new_document.connect(self.new_document)

    def keep_drafts(self) -> None:
        """Before the vault locks (Ctrl+L, idle, restore, quit): open editors save their drafts."""
        for editor in self.window.findChildren(DocumentEditor):
            editor.keep_before_lock()

    def open_document(self, document_id: int) -> None:
        if self._raise(self.views.get(document_id)):
            return
        self.context.read(invoicing.show, document_id, on_success=self._open_viewed)

    def _open_viewed(self, view: DocumentView) -> None:
        if view.status == "draft":
            self._open_editor(view.document.type, view.id)
            return
        if self._raise(self.views.get(view.id)):
            return
        window = DocumentViewWindow(self.context, view.id, self.window)
        self._track(self.views, view.id, window)

    def edit_document(self, document_id: int) -> None:
        if self._raise(self.editors.get(document_id)):
            return
        self.context.read(
            invoicing.show,
            document_id,
            on_success=lambda view: self._open_editor(view.document.type, view.id),
        )

    def new_document(self, doc_type: str) -> None:
        self._open_editor(DocumentType(doc_type), None)

    def _open_editor(self, doc_type: DocumentType, document_id: int | None) -> None:
        if document_id is not None and self._raise(self.editors.get(document_id)):
            return
        editor = DocumentEditor(self.context, doc_type, document_id, self.window)
        editor.issued.connect(self.open_document)
        if document_id is not None:
            self._track(self.editors, document_id, editor)
        else:
            editor.show()

    def _track(self, windows: dict, document_id: int, window: QMainWindow) -> None:  # type: ignore[type-arg]
        windows[document_id] = window
        window.destroyed.connect(lambda: windows.pop(document_id, None))
        window.show()

    @staticmethod
    def _raise(window: QMainWindow | None) -> bool:
        if window is None:
            return False
        window.show()
        window.raise_()
        window.activateWindow()
        return True


def install(context: AppContext, window: QWidget, about_to_lock: SignalInstance) -> DocumentWindows:
    return DocumentWindows(context, window, about_to_lock)
