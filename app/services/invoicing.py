"""Quotes, invoices and credit notes: the user actions of the invoicing core.

Each function checks the acting user's role, validates, runs in one
transaction and appends one audit record. A document's content is its invoice
JSON; the columns beside it are derived here from the EN 16931 totals.
"""

import json
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from app import money
from app.domain import invoice_json, rules
from app.domain.invoice_json import SellerProfile
from app.domain.model import Document, DocumentType, Line, Party
from app.domain.numbering import check_pattern
from app.domain.totals import Totals, compute
from app.errors import NeedsConfirmation, NotFound, ValidationError
from app.services import exports
from app.services.permissions import Action, require
from app.services.session import Session
from app.store import audit, clients, documents, numbering, payments, settings
from app.store.connection import Connection, transaction
from app.store.documents import ListQuery, StoredDocument, Summary

PAYMENT_METHODS = ("bank_transfer", "card", "cash", "cheque", "direct_debit", "other")
SELLER_KEY = "seller_profile"


@dataclass(frozen=True)
class DocumentView:
    """An issued or draft document as a user (or a renderer) sees it."""

    id: int
    number: str | None
    status: str
    document: Document
    totals: Totals
    outstanding: Decimal
    overdue: bool
    seller: SellerProfile | None
    preceding_number: str | None


# -- the seller profile ------------------------------------------------------------------


def set_seller_profile(
    session: Session,
    profile: SellerProfile,
    *,
    accept_warnings: bool = False,
    remove_logo: bool = False,
) -> None:
    """Save the company profile; a bad VAT ID or IBAN checksum needs ``accept_warnings``.

    A ``logo_path`` in the profile is read, checked and kept inside the vault (the
    path itself is not kept: the file may be gone tomorrow); without one the
    current logo stays, unless ``remove_logo``.
    """
    require(session.user.role, Action.MANAGE_SETTINGS)
    iban_warning = rules.check_iban(profile.iban) if profile.iban else None
    _confirm(
        accept_warnings,
        _party_warnings(profile.party, "seller"),
        [f"seller.iban: {iban_warning}"] if iban_warning else [],
    )
    with transaction(session.conn) as conn:
        previous = _seller(conn)
        logo = "changed" if profile.logo_path else ("removed" if remove_logo else "kept")
        if profile.logo_path:
            exports.store_logo(conn, Path(profile.logo_path))
            profile = replace(profile, logo_path="")
        elif remove_logo:
            exports.clear_logo(conn)
        settings.put(conn, SELLER_KEY, json.dumps(invoice_json.seller_to_json(profile)))
        iban_changed = previous is not None and previous.iban != profile.iban
        audit.append(
            conn,
            session.user.name,
            "profile.changed",
            {
                "name": profile.party.name,
                "iban_changed": iban_changed,
                "logo": logo,
            },
        )


def seller_profile(session: Session) -> SellerProfile | None:
    require(session.user.role, Action.VIEW)
    return _seller(session.conn)


def _party_warnings(party: Party, field: str) -> list[str]:
    warning = rules.check_vat_id(party.vat_id) if party.vat_id else None
    return [f"{field}.vat_id: {warning}"] if warning else []


def _confirm(accepted: bool, *warnings: list[str]) -> None:
    found = [w for group in warnings for w in group]
    if found and not accepted:
        raise NeedsConfirmation(found)


def _seller(conn: Connection) -> SellerProfile | None:
    stored = settings.get(conn, SELLER_KEY)
    return invoice_json.parse_seller(stored) if stored else None


def set_numbering_series(
    session: Session, doc_type: str, pattern: str, yearly_reset: bool = True
) -> None:
    """The number pattern of a document type, e.g. ``INV-{YYYY}-{SEQ:04}``; applies to the
    next documents issued (numbers already given never change)."""
    require(session.user.role, Action.MANAGE_SETTINGS)
    if doc_type not in tuple(DocumentType):
        raise ValidationError(f"doc_type: one of {', '.join(DocumentType)}")
    check_pattern(pattern, yearly_reset)
    with transaction(session.conn) as conn:
        numbering.set_series(conn, numbering.Series(doc_type, pattern, yearly_reset))
        audit.append(
            conn,
            session.user.name,
            "numbering.changed",
            {"type": doc_type, "pattern": pattern, "yearly_reset": yearly_reset},
        )


# -- drafts ------------------------------------------------------------------------------


def create_draft(session: Session, document: Document, *, accept_warnings: bool = False) -> int:
    """A new draft; its buyer is matched to an existing client or becomes a new one."""
    require(session.user.role, Action.EDIT_DRAFTS)
    rules.validate(document)
    _confirm(accept_warnings, _party_warnings(document.buyer, "buyer"))
    with transaction(session.conn) as conn:
        document_id = store_draft(conn, document)
        audit.append(
            conn,
            session.user.name,
            "document.drafted",
            {"id": document_id, "type": document.type.value},
        )
    return document_id


def update_draft(
    session: Session, document_id: int, document: Document, *, accept_warnings: bool = False
) -> None:
    require(session.user.role, Action.EDIT_DRAFTS)
    rules.validate(document)
    _confirm(accept_warnings, _party_warnings(document.buyer, "buyer"))
    with transaction(session.conn) as conn:
        stored = get_document(conn, document_id)
        _require_draft(stored)
        if document.type.value != stored.type:
            raise ValidationError(f"type: a {stored.type} draft stays a {stored.type}")
        client_id = _client_for(conn, document)
        documents.update_draft(conn, document_id, _derive(document, client_id))
        audit.append(conn, session.user.name, "document.draft_changed", {"id": document_id})


def delete_draft(session: Session, document_id: int) -> None:
    require(session.user.role, Action.EDIT_DRAFTS)
    with transaction(session.conn) as conn:
        _require_draft(get_document(conn, document_id))
        documents.delete_draft(conn, document_id)
        audit.append(conn, session.user.name, "document.draft_deleted", {"id": document_id})


def store_draft(conn: Connection, document: Document, **links: object) -> int:
    """Insert a validated draft inside the caller's transaction (for services only)."""
    client_id = _client_for(conn, document)
    if document.due_date is None and document.type is not DocumentType.QUOTE:
        client = clients.get(conn, client_id)
        days = client.payment_days if client else 30
        document = replace(document, due_date=document.issue_date + timedelta(days=days))
    return documents.insert_draft(conn, document.type.value, _derive(document, client_id), **links)  # type: ignore[arg-type]


def _client_for(conn: Connection, document: Document) -> int:
    found = clients.find_match(conn, document.buyer)
    if found is not None:
        return found
    return clients.insert(conn, document.buyer, currency=document.currency)


def _derive(document: Document, client_id: int) -> documents.Derived:
    totals = compute(document)
    return documents.Derived(
        client_id=client_id,
        issue_date=document.issue_date.isoformat(),
        due_date=document.due_date.isoformat() if document.due_date else None,
        currency=document.currency,
        total_minor=money.to_minor(totals.with_vat, document.currency),
        due_minor=money.to_minor(totals.due, document.currency),
        content=json.dumps(
            invoice_json.document_to_json(document), ensure_ascii=False, sort_keys=True
        ),
    )


# -- issuing -----------------------------------------------------------------------------


def issue(session: Session, document_id: int) -> str:
    """Freeze the draft and give it the next number of its series, in one transaction."""
    require(session.user.role, Action.ISSUE)
    with transaction(session.conn) as conn:
        stored = get_document(conn, document_id)
        _require_draft(stored)
        seller = _seller(conn)
        if seller is None:
            raise ValidationError(
                "seller: set your company profile first (invoicevault profile set --json FILE)"
            )
        document = invoice_json.parse_document(stored.content)
        rules.validate(document, seller.party)
        preceding = None
        if document.type is DocumentType.CREDIT_NOTE:
            preceding = _credited_invoice(conn, stored, document)
        number = numbering.draw(conn, stored.type, document.issue_date)
        documents.mark_issued(
            conn,
            document_id,
            number,
            json.dumps(invoice_json.seller_to_json(seller), sort_keys=True),
        )
        if preceding is not None:
            _settle(conn, preceding, credited=stored.total_minor)
        exports.store_pdf(conn, document_id)
        audit.append(
            conn,
            session.user.name,
            "document.issued",
            {
                "id": document_id,
                "number": number,
                "type": stored.type,
                "total": str(money.from_minor(stored.total_minor, stored.currency)),
                "currency": stored.currency,
            },
        )
    return number


def next_number(session: Session, doc_type: str, issue_date: date) -> str:
    """The number the next document of ``doc_type`` issued on ``issue_date`` would get.

    Read only: nothing is drawn, so showing it in a confirmation leaves no gap.
    """
    require(session.user.role, Action.VIEW)
    if doc_type not in tuple(DocumentType):
        raise ValidationError(f"doc_type: one of {', '.join(DocumentType)}")
    return numbering.peek(session.conn, doc_type, issue_date)


def _credited_invoice(
    conn: Connection, credit_note: StoredDocument, document: Document
) -> StoredDocument:
    invoice = documents.get_by_number(conn, document.preceding_invoice)
    if invoice is None or invoice.type != "invoice" or invoice.status == "draft":
        raise ValidationError(
            f"preceding_invoice: {document.preceding_invoice!r} is not an issued invoice"
        )
    if invoice.currency != credit_note.currency:
        raise ValidationError("currency: a credit note is in the currency of its invoice")
    room = invoice.total_minor - invoice.credited_minor
    if credit_note.total_minor > room:
        asked = format_minor(credit_note.total_minor, invoice.currency)
        left = format_minor(room, invoice.currency)
        raise ValidationError(
            f"lines: the credit note ({asked}) is more than what is left to credit on "
            f"{invoice.number} ({left})"
        )
    return invoice


def _settle(conn: Connection, invoice: StoredDocument, *, paid: int = 0, credited: int = 0) -> str:
    """New paid/credited amounts and the status that follows from them."""
    paid_minor = invoice.paid_minor + paid
    credited_minor = invoice.credited_minor + credited
    if credited_minor >= invoice.due_minor and paid_minor == 0:
        status = "cancelled"
    elif paid_minor + credited_minor >= invoice.due_minor:
        status = "paid"
    elif paid_minor > 0:
        status = "partially_paid"
    else:
        status = "issued"
    documents.set_settlement(
        conn, invoice.id, status=status, paid_minor=paid_minor, credited_minor=credited_minor
    )
    return status


# -- after issuing -----------------------------------------------------------------------


def record_payment(
    session: Session,
    document_id: int,
    amount: Decimal,
    paid_on: date,
    method: str = "bank_transfer",
    reference: str = "",
) -> str:
    """Record money received; returns the invoice's new status. Overpayment is refused."""
    require(session.user.role, Action.RECORD_PAYMENT)
    if method not in PAYMENT_METHODS:
        raise ValidationError(f"method: one of {', '.join(PAYMENT_METHODS)}")
    rules.check_text(reference, "reference", limit=200)
    with transaction(session.conn) as conn:
        invoice = get_document(conn, document_id)
        if invoice.type != "invoice" or invoice.status not in ("issued", "partially_paid"):
            raise ValidationError(
                f"document: {invoice.number or 'this draft'} is {invoice.status.replace('_', ' ')}"
                "; payments are recorded against issued, unpaid invoices"
            )
        minor = money.to_minor(
            money.quantize_money(amount, invoice.currency, "amount"), invoice.currency, "amount"
        )
        if minor <= 0:
            raise ValidationError("amount: must be more than zero")
        if minor > invoice.outstanding_minor:
            raise ValidationError(
                f"amount: {format_minor(minor, invoice.currency)} is more than the "
                f"{format_minor(invoice.outstanding_minor, invoice.currency)} still due on "
                f"{invoice.number}; record the amount due, and refund the rest"
            )
        payment_id = payments.insert(
            conn, document_id, paid_on.isoformat(), minor, method, reference
        )
        status = _settle(conn, invoice, paid=minor)
        audit.append(
            conn,
            session.user.name,
            "payment.recorded",
            {
                "id": payment_id,
                "invoice": invoice.number,
                "amount": format_minor(minor, invoice.currency),
                "method": method,
                "status": status,
            },
        )
    return status


def create_credit_note(
    session: Session,
    invoice_id: int,
    lines: tuple[Line, ...] | None = None,
    issue_date: date | None = None,
) -> int:
    """A credit note draft for all of an issued invoice, or for the given lines."""
    require(session.user.role, Action.EDIT_DRAFTS)
    with transaction(session.conn) as conn:
        invoice = get_document(conn, invoice_id)
        if invoice.type != "invoice" or invoice.status == "draft":
            raise ValidationError("document: only an issued invoice can be credited")
        original = invoice_json.parse_document(invoice.content)
        credit = replace(
            original,
            type=DocumentType.CREDIT_NOTE,
            preceding_invoice=invoice.number or "",
            issue_date=issue_date or date.today(),
            due_date=None,
            prepaid=Decimal(0),
            lines=lines if lines is not None else original.lines,
            allowances=original.allowances if lines is None else (),
            charges=original.charges if lines is None else (),
        )
        credit = replace(credit, due_date=credit.issue_date)
        rules.validate(credit)
        document_id = documents.insert_draft(
            conn, "credit_note", _derive(credit, invoice.client_id), preceding_id=invoice.id
        )
        audit.append(
            conn,
            session.user.name,
            "document.drafted",
            {"id": document_id, "type": "credit_note", "credits": invoice.number},
        )
    return document_id


def convert_quote(session: Session, quote_id: int, issue_date: date | None = None) -> int:
    """An invoice draft from an issued quote; the quote is marked converted."""
    require(session.user.role, Action.EDIT_DRAFTS)
    with transaction(session.conn) as conn:
        quote = get_document(conn, quote_id)
        if quote.type != "quote" or quote.status != "issued":
            raise ValidationError("document: only an issued quote can become an invoice")
        content = invoice_json.parse_document(quote.content)
        invoice = replace(
            content, type=DocumentType.INVOICE, issue_date=issue_date or date.today(), due_date=None
        )
        document_id = store_draft(conn, invoice, quote_id=quote.id)
        documents.set_settlement(conn, quote.id, status="converted", paid_minor=0, credited_minor=0)
        audit.append(
            conn,
            session.user.name,
            "quote.converted",
            {"quote": quote.number, "invoice_draft": document_id},
        )
    return document_id


# -- reading -----------------------------------------------------------------------------


def show(session: Session, number_or_id: str | int) -> DocumentView:
    require(session.user.role, Action.VIEW)
    conn = session.conn
    if isinstance(number_or_id, int):
        stored = get_document(conn, number_or_id)
    else:
        found = documents.get_by_number(conn, number_or_id)
        if found is None:
            raise NotFound(f"There is no document numbered {number_or_id!r}")
        stored = found
    document = invoice_json.parse_document(stored.content)
    preceding = documents.get(conn, stored.preceding_id) if stored.preceding_id else None
    return DocumentView(
        id=stored.id,
        number=stored.number,
        status=stored.status,
        document=document,
        totals=compute(document),
        outstanding=money.from_minor(stored.outstanding_minor, stored.currency),
        overdue=(
            stored.status in ("issued", "partially_paid")
            and stored.due_date is not None
            and stored.due_date < date.today().isoformat()
        ),
        seller=invoice_json.parse_seller(stored.seller) if stored.seller else None,
        preceding_number=preceding.number if preceding else None,
    )


def list_payments(
    session: Session,
    *,
    document_id: int | None = None,
    after: tuple[str, int] | None = None,
    limit: int = 50,
) -> list[payments.Payment]:
    """Payments received, newest first, one keyset page at a time."""
    require(session.user.role, Action.VIEW)
    if not 1 <= limit <= 1000:
        raise ValidationError("limit: between 1 and 1000")
    return payments.page(session.conn, after=after, limit=limit, document_id=document_id)


def list_payment_lines(
    session: Session, *, after: tuple[str, int] | None = None, limit: int = 50
) -> list[payments.PaymentLine]:
    """Payments received, newest first, with the number and buyer of their invoice."""
    require(session.user.role, Action.VIEW)
    if not 1 <= limit <= 1000:
        raise ValidationError("limit: between 1 and 1000")
    return payments.lines(session.conn, after=after, limit=limit)


def list_documents(
    session: Session, query: ListQuery
) -> tuple[list[Summary], tuple[object, int] | None]:
    """One page of a list and the cursor of the next page (keyset pagination)."""
    require(session.user.role, Action.VIEW)
    if query.sort not in documents.SORTS:
        raise ValidationError(f"sort: one of {', '.join(documents.SORTS)}")
    if not 1 <= query.limit <= 1000:
        raise ValidationError("limit: between 1 and 1000")
    if not query.today:
        query = replace(query, today=date.today().isoformat())
    return documents.page(session.conn, query)


# -- helpers -----------------------------------------------------------------------------


def get_document(conn: Connection, document_id: int) -> StoredDocument:
    stored = documents.get(conn, document_id)
    if stored is None:
        raise NotFound(f"There is no document with id {document_id}")
    return stored


def _require_draft(stored: StoredDocument) -> None:
    if stored.status != "draft":
        raise ValidationError(
            f"document: {stored.number} is issued and can no longer be changed; "
            "correct it with a credit note"
        )


def format_minor(minor: int, currency: str) -> str:
    return f"{money.from_minor(minor, currency)} {currency}"
