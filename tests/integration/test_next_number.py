"""The number an issue confirmation shows is the number the document then gets."""

from datetime import date

import pytest
from support import SELLER, invoice

from app.errors import ValidationError
from app.services import audit_log, invoicing


def test_next_number_is_the_number_issue_gives_and_draws_nothing(session):
    invoicing.set_seller_profile(session, SELLER)
    first = invoicing.create_draft(session, invoice())
    shown = invoicing.next_number(session, "invoice", date(2026, 11, 2))
    assert shown == invoicing.next_number(session, "invoice", date(2026, 11, 2))
    assert invoicing.issue(session, first) == shown == "INV-2026-0001"
    assert invoicing.next_number(session, "invoice", date(2026, 11, 3)) == "INV-2026-0002"
    assert invoicing.next_number(session, "invoice", date(2027, 1, 4)) == "INV-2027-0001"
    assert invoicing.next_number(session, "quote", date(2026, 11, 2)).endswith("0001")
    assert audit_log.verify(session).intact


def test_next_number_refuses_an_unknown_type(session):
    with pytest.raises(ValidationError, match="doc_type"):
        invoicing.next_number(session, "receipt", date(2026, 11, 2))
