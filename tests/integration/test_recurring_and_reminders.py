"""Recurring templates (idempotent generation) and payment reminders."""

from datetime import date
from decimal import Decimal

import pytest
from support import SELLER, invoice

from app.domain.schedule import Frequency, following
from app.errors import ValidationError
from app.services import invoicing, recurring, reminders
from app.store import documents


@pytest.fixture
def ready(session):
    invoicing.set_seller_profile(session, SELLER)
    return session


def test_schedule_keeps_the_anchor_day_through_short_months():
    dates = [date(2026, 1, 31)]
    for _ in range(4):
        dates.append(following(dates[-1], Frequency.MONTHLY, 31))
    assert dates == [
        date(2026, 1, 31),
        date(2026, 2, 28),
        date(2026, 3, 31),
        date(2026, 4, 30),
        date(2026, 5, 31),
    ]
    assert following(date(2026, 11, 15), Frequency.QUARTERLY, 15) == date(2027, 2, 15)
    assert following(date(2028, 2, 29), Frequency.YEARLY, 29) == date(2029, 2, 28)


def test_generating_due_drafts_is_idempotent(ready):
    template = recurring.create_template(ready, "Hosting", invoice(), "monthly", date(2026, 8, 31))
    made = recurring.generate_due(ready, today=date(2026, 11, 30))
    dates = [documents.get(ready.conn, d).issue_date for d in made]
    assert dates == ["2026-08-31", "2026-09-30", "2026-10-31", "2026-11-30"]
    assert recurring.generate_due(ready, today=date(2026, 11, 30)) == []
    later = recurring.generate_due(ready, today=date(2026, 12, 31))
    assert [documents.get(ready.conn, d).issue_date for d in later] == ["2026-12-31"]
    stored = documents.get(ready.conn, later[0])
    assert stored.status == "draft" and stored.due_date == "2027-01-30"
    assert template > 0


def test_templates_stop_at_their_end_date(ready):
    recurring.create_template(
        ready, "Retainer", invoice(), "quarterly", date(2026, 1, 15), end_date=date(2026, 9, 1)
    )
    made = recurring.generate_due(ready, today=date(2027, 6, 1))
    assert [documents.get(ready.conn, d).issue_date for d in made] == [
        "2026-01-15",
        "2026-04-15",
        "2026-07-15",
    ]


def test_bad_templates_are_refused(ready):
    with pytest.raises(ValidationError, match="frequency"):
        recurring.create_template(ready, "X", invoice(), "weekly", date(2026, 1, 1))
    with pytest.raises(ValidationError, match="end_date"):
        recurring.create_template(
            ready, "X", invoice(), "monthly", date(2026, 5, 1), end_date=date(2026, 4, 1)
        )


def test_reminders_climb_three_levels_for_an_overdue_invoice(ready):
    document_id = invoicing.create_draft(ready, invoice())
    invoicing.issue(ready, document_id)  # due 2026-12-02
    with pytest.raises(ValidationError, match="not overdue"):
        reminders.send_reminder(ready, document_id, sent_on=date(2026, 12, 1))
    levels = [
        reminders.send_reminder(ready, document_id, Decimal("5.00"), date(2026, 12, d))
        for d in (10, 20, 30)
    ]
    assert levels == [1, 2, 3]
    with pytest.raises(ValidationError, match="already had 3 reminders"):
        reminders.send_reminder(ready, document_id, sent_on=date(2027, 1, 10))


def test_no_reminder_for_a_paid_invoice(ready):
    document_id = invoicing.create_draft(ready, invoice())
    number = invoicing.issue(ready, document_id)
    due = invoicing.show(ready, number).outstanding
    invoicing.record_payment(ready, document_id, due, date(2026, 11, 20))
    with pytest.raises(ValidationError, match="not yet paid"):
        reminders.send_reminder(ready, document_id, sent_on=date(2027, 1, 1))
