"""Clients: create, change, list with search, warnings on VAT IDs."""

from dataclasses import replace

import pytest
from support import BUYER, SELLER, invoice

from app.errors import NeedsConfirmation, NotFound, ValidationError
from app.services import clients, invoicing


def test_create_list_search_and_update(session):
    first = clients.create_client(session, BUYER, language="de", payment_days=14)
    clients.create_client(session, replace(BUYER, name="Zoë Ångström AB", country="SE", vat_id=""))
    names = [c.name for c in clients.list_clients(session)]
    assert names == ["Müller & Söhne GmbH", "Zoë Ångström AB"]
    assert [c.name for c in clients.list_clients(session, search="angstrom")] == ["Zoë Ångström AB"]
    page1 = clients.list_clients(session, limit=1)
    page2 = clients.list_clients(session, limit=1, after=(page1[0].name, page1[0].id))
    assert [c.name for c in page1 + page2] == names
    clients.update_client(session, first, replace(BUYER, city="München"), language="de")
    assert clients.list_clients(session, search="münchen")[0].id == first


def test_client_defaults_apply_to_new_drafts(session):
    clients.create_client(session, BUYER, payment_days=10)
    invoicing.set_seller_profile(session, SELLER)
    draft = invoicing.create_draft(session, invoice(due_date=None))
    assert str(invoicing.show(session, draft).document.due_date) == "2026-11-12"


def test_bad_client_input_names_the_field(session):
    with pytest.raises(ValidationError, match=r"client\.country"):
        clients.create_client(session, replace(BUYER, country="Germany"))
    with pytest.raises(ValidationError, match=r"client\.language"):
        clients.create_client(session, BUYER, language="tlh")
    with pytest.raises(ValidationError, match="currency"):
        clients.create_client(session, BUYER, currency="DOGE")
    with pytest.raises(NeedsConfirmation, match=r"client\.vat_id"):
        clients.create_client(session, replace(BUYER, vat_id="DE811907981"))
    with pytest.raises(NotFound):
        clients.update_client(session, 999, BUYER)
    assert clients.list_clients(session) == []


def test_the_buyers_legal_id_is_kept(session):
    registered = replace(BUYER, legal_id="HRB 86481")
    client_id = clients.create_client(session, registered)
    (client,) = clients.list_clients(session)
    assert client.legal_id == "HRB 86481" and client.party() == registered
    clients.update_client(session, client_id, replace(registered, legal_id="HRB 90210"))
    assert clients.list_clients(session)[0].party().legal_id == "HRB 90210"
    with pytest.raises(ValidationError, match=r"^client\.legal_id: contains a control character"):
        clients.update_client(session, client_id, replace(registered, legal_id="HRB\x0090210"))
