"""What the document dialogs run on the worker: ``fn(session, ...)``, one user action each.

Each wraps the service that does the action (permission, validation, audit) and,
for exports, writes the file it returned atomically, still on the worker thread.
"""

from decimal import Decimal
from pathlib import Path

from app import fileio
from app.domain.model import Document, Item
from app.services import clients, exports, invoicing, items, reminders
from app.services.session import Session
from app.store.clients import Client

COMPLETIONS = 20


def find_clients(session: Session, text: str) -> list[Client]:
    return clients.list_clients(session, search=text, limit=COMPLETIONS)


def find_items(session: Session, prefix: str) -> list[tuple[int, Item]]:
    return items.complete(session, prefix, COMPLETIONS)


def save_draft(
    session: Session, document_id: int | None, document: Document, accept_warnings: bool
) -> int:
    """Create the draft (``document_id`` None) or change it; returns its id."""
    if document_id is None:
        return invoicing.create_draft(session, document, accept_warnings=accept_warnings)
    invoicing.update_draft(session, document_id, document, accept_warnings=accept_warnings)
    return document_id


def save_export(
    session: Session, kind: str, number: str, path: Path, password: str | None = None
) -> Path:
    """Export the issued document as ``kind`` (pdf, facturx, ubl) into ``path``."""
    if kind == "pdf":
        content = exports.export_pdf(session, number, password=password)
    elif kind == "facturx":
        content = exports.export_facturx(session, number)
    else:
        content = exports.export_ubl(session, number)
    fileio.write_atomic(path, content)
    return path


def pdf_bytes(session: Session, number: str) -> bytes:
    return exports.view_pdf(session, number)


def remind(session: Session, document_id: int, number: str, fee: Decimal, path: Path) -> int:
    """Record the next reminder and save its PDF; returns the reminder's level."""
    level = reminders.send_reminder(session, document_id, fee)
    fileio.write_atomic(path, exports.export_reminder(session, number, level))
    return level
