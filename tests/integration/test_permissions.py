"""Every role x action pair of DESIGN.md section 3, through the real services."""

from datetime import date
from decimal import Decimal

import pytest
from support import PASSPHRASE, SELLER, invoice

from app.errors import InvoiceVaultError, PermissionDenied
from app.services import (
    access,
    audit_log,
    backup,
    demo,
    exports,
    invoicing,
    recurring,
    reminders,
)
from app.services.permissions import ALLOWED, Action, Role
from app.services.session import Session
from app.store import users
from app.store.connection import transaction
from app.store.documents import ListQuery


def _issued_invoice(owner: Session) -> int:
    document_id = invoicing.create_draft(owner, invoice())
    invoicing.issue(owner, document_id)
    return document_id


# One real service call per action; each gets the owner's session (to prepare) and the
# acting session (whose role is under test).
CALLS = {
    Action.VIEW: lambda owner, actor: invoicing.list_documents(actor, ListQuery()),
    Action.EXPORT: lambda owner, actor: exports.export_pdf(
        actor, invoicing.issue(owner, invoicing.create_draft(owner, invoice()))
    ),
    Action.BACKUP: lambda owner, actor: backup.create_backup(
        actor, owner.vault.vault.data_dir.parent
    ),
    Action.EDIT_DRAFTS: lambda owner, actor: invoicing.create_draft(actor, invoice()),
    Action.ISSUE: lambda owner, actor: invoicing.issue(
        actor, invoicing.create_draft(owner, invoice())
    ),
    Action.RECORD_PAYMENT: lambda owner, actor: invoicing.record_payment(
        actor, _issued_invoice(owner), Decimal(1), date(2026, 11, 5)
    ),
    Action.SEND_REMINDER: lambda owner, actor: reminders.send_reminder(
        actor, _issued_invoice(owner), sent_on=date(2027, 6, 1)
    ),
    Action.MANAGE_SETTINGS: lambda owner, actor: invoicing.set_seller_profile(actor, SELLER),
    Action.MANAGE_RECURRING: lambda owner, actor: recurring.create_template(
        actor, "Monthly", invoice(), "monthly", date(2026, 12, 1)
    ),
    Action.CHANGE_OWN_PASSPHRASE: lambda owner, actor: access.change_passphrase(
        actor, PASSPHRASE, PASSPHRASE
    ),
    Action.REMEMBER_ON_LAPTOP: lambda owner, actor: access.remember_on_this_laptop(actor),
    Action.ROTATE_DATABASE_KEY: lambda owner, actor: access.rotate_database_key(actor, PASSPHRASE),
    Action.VERIFY_AUDIT_LOG: lambda owner, actor: audit_log.verify(actor),
    Action.FILL_DEMO: lambda owner, actor: demo.fill(actor, 1),
}


def test_every_action_has_a_call_or_is_listed_as_pending():
    assert set(CALLS) == set(Action)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("action", [a for a, call in CALLS.items() if call is not None])
def test_role_may_or_may_not(session, role, action):
    invoicing.set_seller_profile(session, SELLER)
    with transaction(session.conn) as conn:
        users.add(conn, f"a {role}", role)
    actor = session if role is Role.OWNER else Session(session.vault, users.User(f"a {role}", role))
    allowed = role in ALLOWED[action]
    try:
        CALLS[action](session, actor)
    except PermissionDenied as denied:
        assert not allowed, f"{role} should be allowed to {action.value}"
        assert str(denied) == f"A {role} may not {action.value}; ask the owner of this vault."
    except InvoiceVaultError:
        assert allowed  # got past the permission check; the action itself may refuse
    else:
        assert allowed, f"{role} should not be allowed to {action.value}"
