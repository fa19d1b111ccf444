"""Recurring invoices: templates, and the drafts that fall due (idempotent)."""

import json
from dataclasses import replace
from datetime import date

from app.domain import invoice_json, rules
from app.domain.model import Document, DocumentType
from app.domain.schedule import Frequency, following
from app.errors import ValidationError
from app.services.invoicing import store_draft
from app.services.permissions import Action, require
from app.services.session import Session
from app.store import audit, clients, recurring
from app.store.connection import transaction


def create_template(
    session: Session,
    name: str,
    document: Document,
    frequency: str,
    first_date: date,
    end_date: date | None = None,
) -> int:
    """A template whose first draft is dated ``first_date``; later ones follow the frequency."""
    require(session.user.role, Action.MANAGE_RECURRING)
    rules.check_text(name, "name", limit=200, required=True)
    if frequency not in tuple(Frequency):
        raise ValidationError(f"frequency: one of {', '.join(Frequency)}")
    if document.type is not DocumentType.INVOICE:
        raise ValidationError("type: a recurring template makes invoices")
    if end_date is not None and end_date < first_date:
        raise ValidationError("end_date: must not be before the first date")
    rules.validate(document)
    content = json.dumps(invoice_json.document_to_json(document), ensure_ascii=False)
    with transaction(session.conn) as conn:
        client_id = clients.find_match(conn, document.buyer) or clients.insert(
            conn, document.buyer, currency=document.currency
        )
        template_id = recurring.insert(
            conn,
            name,
            client_id,
            content,
            frequency,
            first_date.day,
            first_date.isoformat(),
            end_date.isoformat() if end_date else None,
        )
        audit.append(
            conn,
            session.user.name,
            "recurring.created",
            {"id": template_id, "name": name, "frequency": frequency},
        )
    return template_id


def generate_due(session: Session, today: date | None = None) -> list[int]:
    """Drafts for every template period up to ``today``; running it twice makes nothing twice."""
    require(session.user.role, Action.EDIT_DRAFTS)
    today = today or date.today()
    made: list[int] = []
    with transaction(session.conn) as conn:
        for template in recurring.due(conn, today.isoformat()):
            document = invoice_json.parse_document(template.content)
            period = date.fromisoformat(template.next_date)
            end = date.fromisoformat(template.end_date) if template.end_date else None
            while period <= today and (end is None or period <= end):
                if not recurring.draft_exists(conn, template.id, period.isoformat()):
                    dated = replace(document, issue_date=period, due_date=None)
                    made.append(
                        store_draft(conn, dated, template=(template.id, period.isoformat()))
                    )
                period = following(period, Frequency(template.frequency), template.anchor_day)
            recurring.set_next_date(conn, template.id, period.isoformat())
        if made:
            audit.append(conn, session.user.name, "recurring.generated", {"drafts": made})
    return made
