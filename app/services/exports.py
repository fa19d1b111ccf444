"""Documents leaving the vault as files: PDF, Factur-X, UBL, reminders, batches.

The PDF of a quote, invoice or credit note is rendered once, when it is issued,
and kept in the database (:func:`store_pdf`, called by the issuing transaction);
every export afterwards gives those same bytes. Documents that were issued
without one (the demo filler writes in bulk) get theirs at their first export,
kept the same way. Factur-X and UBL are built from the frozen content and are
deterministic, so they too are the same file at every export.

Each export is a user action: it needs :data:`Action.EXPORT` and leaves one
audit record (what was exported, in which format; never the content).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from app import fileio, money
from app.documents import cii, facturx, pdf, protect, ubl
from app.documents.logo import check_logo
from app.documents.source import LANGUAGES, Logo, ReminderSource, Source
from app.domain import invoice_json
from app.domain.model import DocumentType
from app.domain.totals import compute
from app.errors import NotFound, ValidationError
from app.services.permissions import Action, require
from app.services.session import Session
from app.store import audit, clients, documents, files, reminders, settings
from app.store.connection import Connection, transaction
from app.store.documents import StoredDocument

FORMATS = ("pdf", "facturx", "ubl")
LOGO_KEY = "seller_logo"
MIN_PASSWORD_LENGTH = 8
E_INVOICE_TYPES = (DocumentType.INVOICE.value, DocumentType.CREDIT_NOTE.value)

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


@dataclass(frozen=True)
class Exported:
    """One file written by a batch export."""

    number: str
    path: Path


# -- while issuing ------------------------------------------------------------------------


def store_pdf(conn: Connection, document_id: int) -> bytes:
    """Render and keep the PDF of an issued document (inside the caller's transaction)."""
    stored = _stored(conn, document_id)
    source = _source(conn, stored)
    content = pdf.render(source)
    files.put_document_pdf(conn, document_id, content, source.language)
    return content


# -- single documents ---------------------------------------------------------------------


def export_pdf(session: Session, number: str, *, password: str | None = None) -> bytes:
    """The document's PDF as issued; with ``password``, encrypted (AES-256) for e-mail."""
    require(session.user.role, Action.EXPORT)
    _check_password(password)
    with transaction(session.conn) as conn:
        stored = _issued(conn, number)
        content = _kept_pdf(conn, stored)
        _audit(session, conn, stored, "pdf", protected=password is not None)
    return protect.protect(content, password) if password else content


def view_pdf(session: Session, number: str) -> bytes:
    """The document's PDF for the preview: the same file as an export, not audited.

    Looking at a document is not letting it out; saving or printing it is (and the
    window does that through :func:`export_pdf`).
    """
    require(session.user.role, Action.VIEW)
    with transaction(session.conn) as conn:
        return _kept_pdf(conn, _issued(conn, number))


def export_facturx(session: Session, number: str) -> bytes:
    """The invoice's PDF as PDF/A-3b with its CII XML inside (Factur-X, EN 16931)."""
    require(session.user.role, Action.EXPORT)
    with transaction(session.conn) as conn:
        stored = _issued(conn, number, e_invoice=True)
        content = _facturx(conn, stored)
        _audit(session, conn, stored, "facturx")
    return content


def export_ubl(session: Session, number: str, *, peppol: bool = False) -> bytes:
    """The invoice or credit note as UBL 2.1 XML (EN 16931; Peppol BIS 3.0 if asked)."""
    require(session.user.role, Action.EXPORT)
    with transaction(session.conn) as conn:
        stored = _issued(conn, number, e_invoice=True)
        content = ubl.to_ubl(_source(conn, stored), peppol=peppol)
        _audit(session, conn, stored, "ubl-peppol" if peppol else "ubl")
    return content


def export_reminder(session: Session, number: str, level: int | None = None) -> bytes:
    """The PDF of a reminder sent for an invoice (the latest one unless ``level`` says)."""
    require(session.user.role, Action.EXPORT)
    with transaction(session.conn) as conn:
        stored = _issued(conn, number)
        sent = reminders.for_document(conn, stored.id)
        if not sent:
            raise NotFound(f"No reminder was sent for {number}")
        chosen = sent[-1] if level is None else next((r for r in sent if r.level == level), None)
        if chosen is None:
            raise NotFound(f"{number} has no reminder of level {level}")
        source = _source(conn, stored)
        currency = stored.currency
        content = pdf.render_reminder(
            ReminderSource(
                invoice=source,
                level=chosen.level,
                sent_on=date.fromisoformat(chosen.sent_on),
                outstanding=money.from_minor(stored.outstanding_minor, currency),
                fee=money.from_minor(chosen.fee_minor, currency),
            )
        )
        _audit(session, conn, stored, f"reminder-{chosen.level}")
    return content


# -- a period to a folder -----------------------------------------------------------------


def export_period(
    session: Session,
    start: date,
    end: date,
    folder: Path,
    formats: tuple[str, ...] = ("pdf",),
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> list[Exported]:
    """Every invoice and credit note issued from ``start`` to ``end`` into ``folder``.

    One file per document and format (``NUMBER.pdf``, ``NUMBER.facturx.pdf``,
    ``NUMBER.xml``), each written atomically; a file that is already there with
    the same bytes is left alone, one with other bytes is never overwritten.
    Returns what was written; a cancel stops between documents.
    """
    require(session.user.role, Action.EXPORT)
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise ValidationError(f"formats: one or more of {', '.join(FORMATS)}")
    if end < start:
        raise ValidationError("end: the period ends before it starts")
    if not folder.is_dir():
        raise ValidationError(f"folder: {folder} is not a folder")
    numbers = documents.issued_numbers(
        session.conn, E_INVOICE_TYPES, start.isoformat(), end.isoformat()
    )
    written: list[Exported] = []
    for done, number in enumerate(numbers):
        if cancelled is not None and cancelled():
            break
        for kind in formats:
            content, suffix = _batch_file(session, number, kind)
            path = folder / (_safe_name(number) + suffix)
            if _write_new(path, content):
                written.append(Exported(number, path))
        if progress is not None:
            progress(done + 1, len(numbers))
    return written


def _batch_file(session: Session, number: str, kind: str) -> tuple[bytes, str]:
    if kind == "pdf":
        return export_pdf(session, number), ".pdf"
    if kind == "facturx":
        return export_facturx(session, number), ".facturx.pdf"
    return export_ubl(session, number), ".xml"


def _safe_name(number: str) -> str:
    """A file name for a document number (patterns may contain '/')."""
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in number).lstrip(".") or "_"


def _write_new(path: Path, content: bytes) -> bool:
    if path.exists():
        if path.read_bytes() == content:
            return False
        raise ValidationError(
            f"folder: {path.name} is already there with other content; "
            "choose an empty folder or move it away"
        )
    fileio.write_atomic(path, content)
    return True


# -- the seller's logo ---------------------------------------------------------------------


def store_logo(conn: Connection, path: Path) -> str:
    """Check the image at ``path`` and keep it as the seller's logo; returns its SHA-256."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_LOGO_READ)
    except OSError as exc:
        raise ValidationError(f"logo: cannot read {path}: {exc.strerror}") from None
    logo = check_logo(data)
    digest = files.put_image(conn, logo.data, logo.media_type)
    settings.put(conn, LOGO_KEY, digest)
    return digest


def clear_logo(conn: Connection) -> None:
    settings.put(conn, LOGO_KEY, "")


def current_logo(conn: Connection) -> Logo | None:
    digest = settings.get(conn, LOGO_KEY)
    found = files.image(conn, digest) if digest else None
    return check_logo(found[0]) if found else None


# -- helpers ------------------------------------------------------------------------------


MAX_LOGO_READ = 16 * 1024 * 1024  # check_logo refuses anything near this; it bounds the read


def _check_password(password: str | None) -> None:
    if password is not None and len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            f"password: at least {MIN_PASSWORD_LENGTH} characters; "
            "send it to the client another way than the e-mail with the PDF"
        )


def _stored(conn: Connection, document_id: int) -> StoredDocument:
    stored = documents.get(conn, document_id)
    if stored is None:
        raise NotFound(f"There is no document with id {document_id}")
    return stored


def _issued(conn: Connection, number: str, *, e_invoice: bool = False) -> StoredDocument:
    stored = documents.get_by_number(conn, number)
    if stored is None:
        raise NotFound(f"There is no document numbered {number!r}")
    if e_invoice and stored.type not in E_INVOICE_TYPES:
        raise ValidationError(f"document: {number} is a {stored.type}, not an e-invoice")
    return stored


def _kept_pdf(conn: Connection, stored: StoredDocument) -> bytes:
    kept = files.document_pdf(conn, stored.id)
    return kept.content if kept is not None else store_pdf(conn, stored.id)


def _facturx(conn: Connection, stored: StoredDocument) -> bytes:
    source = _source(conn, stored)
    xml = cii.to_cii(source)  # refuses what cannot be an e-invoice before any PDF work
    label = "Credit note" if stored.type == DocumentType.CREDIT_NOTE.value else "Invoice"
    return facturx.to_facturx(
        _kept_pdf(conn, stored),
        xml,
        title=f"{label} {stored.number}",
        author=source.seller.party.name,
        issued=source.document.issue_date,
    )


def _source(conn: Connection, stored: StoredDocument) -> Source:
    if stored.number is None or stored.seller is None:
        raise ValidationError("document: a draft has no file yet; issue it first")
    document = invoice_json.parse_document(stored.content)
    kept = files.document_pdf(conn, stored.id)
    client = clients.get(conn, stored.client_id)
    language = kept.language if kept else (client.language if client else "en")
    preceding = documents.get(conn, stored.preceding_id) if stored.preceding_id else None
    return Source(
        number=stored.number,
        document=document,
        totals=compute(document),
        seller=invoice_json.parse_seller(stored.seller),
        language=language if language in LANGUAGES else "en",
        logo=current_logo(conn),
        preceding_number=preceding.number if preceding else None,
    )


def _audit(
    session: Session, conn: Connection, stored: StoredDocument, kind: str, **extra: object
) -> None:
    audit.append(
        conn,
        session.user.name,
        "document.exported",
        {"number": stored.number, "format": kind, **extra},
    )
