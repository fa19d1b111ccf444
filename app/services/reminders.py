"""Payment reminders for overdue invoices."""

from datetime import date
from decimal import Decimal

from app import money
from app.errors import ValidationError
from app.services.invoicing import format_minor, get_document
from app.services.permissions import Action, require
from app.services.session import Session
from app.store import audit, reminders
from app.store.connection import transaction

MAX_LEVEL = 3


def send_reminder(
    session: Session, document_id: int, fee: Decimal = Decimal(0), sent_on: date | None = None
) -> int:
    """Record the next reminder level (1, 2, 3) for an overdue invoice; returns the level."""
    require(session.user.role, Action.SEND_REMINDER)
    sent_on = sent_on or date.today()
    with transaction(session.conn) as conn:
        invoice = get_document(conn, document_id)
        if invoice.type != "invoice" or invoice.status not in ("issued", "partially_paid"):
            raise ValidationError("document: reminders are for issued invoices not yet paid")
        if invoice.due_date is None or invoice.due_date >= sent_on.isoformat():
            raise ValidationError(
                f"document: {invoice.number} is not overdue (due {invoice.due_date})"
            )
        sent = reminders.for_document(conn, document_id)
        level = len(sent) + 1
        if level > MAX_LEVEL:
            raise ValidationError(
                f"document: {invoice.number} already had {MAX_LEVEL} reminders; "
                "it is time for a phone call or a collection agency"
            )
        fee_minor = money.to_minor(
            money.quantize_money(fee, invoice.currency, "fee"), invoice.currency, "fee"
        )
        if fee_minor < 0:
            raise ValidationError("fee: must not be negative")
        reminders.insert(conn, document_id, level, fee_minor, sent_on.isoformat())
        audit.append(
            conn,
            session.user.name,
            "reminder.sent",
            {
                "invoice": invoice.number,
                "level": level,
                "fee": format_minor(fee_minor, invoice.currency),
            },
        )
    return level
