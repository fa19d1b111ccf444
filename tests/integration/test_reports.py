"""The read services behind the dashboard, settings and audit screens."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from support import PASSPHRASE, SELLER, invoice

from app.errors import ValidationError, WrongPassphrase
from app.services import access, audit_log, dashboard, invoicing, preferences, settings_view

TODAY = date(2026, 12, 10)


def issue(session, **changes) -> int:
    document_id = invoicing.create_draft(session, invoice(**changes))
    invoicing.issue(session, document_id)
    return document_id


def test_unpaid_and_overdue_are_summed_per_currency(session):
    invoicing.set_seller_profile(session, SELLER)
    late = issue(session, due_date=TODAY - timedelta(days=1))
    on_time = issue(session, due_date=TODAY + timedelta(days=5))
    paid = issue(session, due_date=TODAY - timedelta(days=3))
    dollars = issue(session, currency="USD", due_date=TODAY + timedelta(days=5))
    due = invoicing.show(session, paid).outstanding
    invoicing.record_payment(session, paid, due, TODAY)
    invoicing.record_payment(session, late, Decimal("100.00"), TODAY)

    summary = dashboard.summary(session, "en_US", today=TODAY)

    late_due = invoicing.show(session, late).outstanding
    euros = late_due + invoicing.show(session, on_time).outstanding
    assert [t.currency for t in summary.totals] == ["EUR", "USD"]
    eur, usd = summary.totals
    assert (eur.unpaid_count, eur.overdue_count) == (2, 1)
    assert eur.unpaid == f"€{euros:,}"
    assert eur.overdue == f"€{late_due:,}"
    assert (usd.unpaid_count, usd.overdue_count) == (1, 0)
    assert usd.unpaid == f"${invoicing.show(session, dollars).outstanding:,}"
    assert usd.overdue == "$0.00"
    assert [d.id for d in summary.recent][:1] == [dollars]
    assert summary.backup.due


def test_amounts_follow_the_locale_and_an_unknown_one_falls_back():
    assert dashboard.format_amount(123456, "EUR", "de_DE") == "1.234,56\xa0€"
    assert dashboard.format_amount(123456, "EUR", "not a locale") == "€1,234.56"


def test_audit_pages_are_newest_first_and_filtered(session):
    invoicing.set_seller_profile(session, SELLER)
    preferences.update(session, auto_lock_minutes=10)
    newest = audit_log.list_entries(session, limit=2)
    assert [e.action for e in newest] == ["preferences.changed", "profile.changed"]
    older = audit_log.list_entries(session, before_seq=newest[-1].seq)
    assert [e.action for e in older] == ["vault.created"]
    assert [e.action for e in audit_log.list_entries(session, action_prefix="profile.")] == [
        "profile.changed"
    ]
    assert audit_log.list_entries(session, actor="nobody") == []
    assert audit_log.actors(session) == ["owner"]
    with pytest.raises(ValidationError, match=r"^limit"):
        audit_log.list_entries(session, limit=0)


def test_confirm_passphrase_checks_without_changing_anything(session, data_dir):
    before = (data_dir / "vault.json").read_bytes()
    access.confirm_passphrase(session, PASSPHRASE)
    with pytest.raises(WrongPassphrase):
        access.confirm_passphrase(session, "not the passphrase at all")
    assert (data_dir / "vault.json").read_bytes() == before
    assert not session.vault.locked


def test_vat_defaults_are_checked(session):
    assert preferences.update(session, default_vat_rate="7.5").default_vat_rate == "7.5"
    for bad in ("abc", "101", "-1", "7.125", "NaN"):
        with pytest.raises(ValidationError, match=r"^default_vat_rate"):
            preferences.update(session, default_vat_rate=bad)
    with pytest.raises(ValidationError, match=r"^default_vat_category"):
        preferences.update(session, default_vat_category="X")


def test_numbering_series_know_their_next_number(session):
    invoicing.set_seller_profile(session, SELLER)
    issue(session, issue_date=date.today(), due_date=date.today())
    series = {s.doc_type: s for s in settings_view.numbering_series(session)}
    assert series["invoice"].next_seq(True) == 2
    assert series["invoice"].next_seq(False) == 1
    assert series["quote"].pattern == "Q-{YYYY}-{SEQ:04}"
    assert settings_view.current_logo(session) is None
    assert settings_view.remembered_until(session) is None
