"""The invoicing services on a real vault: drafts, issuing, numbering, payments, credit notes."""

import subprocess
import sys
import textwrap
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from support import BUYER, PASSPHRASE, ROOT, SELLER, invoice

from app.domain.model import DocumentType, Party
from app.domain.totals import compute
from app.errors import NeedsConfirmation, NotFound, ValidationError
from app.services import audit_log, invoicing
from app.store import audit, documents
from app.store.connection import DatabaseError
from app.store.documents import ListQuery


@pytest.fixture
def ready(session):
    invoicing.set_seller_profile(session, SELLER)
    return session


def issued(session, **changes) -> tuple[int, str]:
    document_id = invoicing.create_draft(session, invoice(**changes))
    return document_id, invoicing.issue(session, document_id)


def test_issuing_numbers_the_series_without_gaps_and_resets_each_year(ready):
    numbers = [issued(ready)[1] for _ in range(3)]
    assert numbers == ["INV-2026-0001", "INV-2026-0002", "INV-2026-0003"]
    assert (
        issued(ready, issue_date=date(2027, 1, 4), due_date=date(2027, 2, 4))[1] == "INV-2027-0001"
    )


def test_show_gives_the_engine_totals(ready):
    _, number = issued(ready)
    view = invoicing.show(ready, number)
    assert view.status == "issued" and view.totals == compute(invoice())
    assert view.totals.with_vat == Decimal("1356.60") + Decimal("66.88")
    assert view.outstanding == view.totals.due and view.seller == SELLER


def test_buyers_are_matched_to_existing_clients(ready):
    invoicing.create_draft(ready, invoice())
    invoicing.create_draft(ready, invoice(buyer=replace(BUYER, name="MÜLLER & SÖHNE GMBH")))
    other = Party("Café Lumière", "FR", "2 rue de la Paix", "Paris", "75002")
    invoicing.create_draft(ready, invoice(buyer=other))
    assert ready.conn.execute("SELECT count(*) FROM clients").fetchone()[0] == 2


def test_issuing_without_a_seller_profile_says_what_to_do(session):
    draft = invoicing.create_draft(session, invoice())
    with pytest.raises(ValidationError, match="set your company profile first"):
        invoicing.issue(session, draft)


def test_an_issued_invoice_is_refused_by_the_services(ready):
    document_id, number = issued(ready)
    with pytest.raises(ValidationError, match=f"{number} is issued"):
        invoicing.update_draft(ready, document_id, invoice(note="changed"))
    with pytest.raises(ValidationError, match="credit note"):
        invoicing.delete_draft(ready, document_id)
    with pytest.raises(ValidationError, match="is issued"):
        invoicing.issue(ready, document_id)


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE documents SET content = replace(content, 'Logo', 'Fake') WHERE id = ?",
        "UPDATE documents SET total_minor = 1 WHERE id = ?",
        "UPDATE documents SET number = 'INV-X' WHERE id = ?",
        "UPDATE documents SET status = 'draft', number = NULL WHERE id = ?",
        "DELETE FROM documents WHERE id = ?",
    ],
)
def test_an_issued_invoice_is_refused_by_the_database(ready, sql):
    document_id, _ = issued(ready)
    before = documents.get(ready.conn, document_id)
    with pytest.raises(DatabaseError, match="issued document cannot be"):
        ready.conn.execute(sql, (document_id,))
    assert documents.get(ready.conn, document_id) == before


def test_drafts_can_be_changed_and_deleted(ready):
    draft = invoicing.create_draft(ready, invoice())
    invoicing.update_draft(ready, draft, invoice(note="Second thoughts"))
    assert invoicing.show(ready, draft).document.note == "Second thoughts"
    invoicing.delete_draft(ready, draft)
    with pytest.raises(NotFound):
        invoicing.show(ready, draft)


def test_a_failure_after_the_number_was_drawn_leaves_no_gap(ready, monkeypatch):
    first = invoicing.create_draft(ready, invoice())
    real_append = audit.append

    def failing_append(conn, actor, action, details, at=None):
        if action == "document.issued":
            raise OSError("disk full")
        return real_append(conn, actor, action, details, at)

    monkeypatch.setattr(audit, "append", failing_append)
    with pytest.raises(OSError):
        invoicing.issue(ready, first)
    monkeypatch.setattr(audit, "append", real_append)
    assert documents.get(ready.conn, first).status == "draft"
    assert invoicing.issue(ready, first) == "INV-2026-0001"


RACE = textwrap.dedent("""
    import sys
    from pathlib import Path
    from app.services import access, invoicing
    session = access.unlock(Path(sys.argv[1]), "owner", sys.stdin.readline().rstrip("\\n"))
    for document_id in map(int, sys.argv[2:]):
        print(invoicing.issue(session, document_id), flush=True)
    access.lock(session)
""")


def test_two_processes_issuing_at_once_get_unique_gapless_numbers(ready, data_dir):
    drafts = [invoicing.create_draft(ready, invoice()) for _ in range(30)]
    ready.vault.lock()
    children = [
        subprocess.Popen(
            [sys.executable, "-c", RACE, str(data_dir), *map(str, half)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for half in (drafts[0::2], drafts[1::2])
    ]
    numbers = []
    for child in children:
        out, _ = child.communicate(PASSPHRASE + "\n", timeout=120)
        assert child.returncode == 0
        numbers += out.split()
    assert sorted(numbers) == [f"INV-2026-{n:04d}" for n in range(1, 31)]


def test_payments_partial_then_full_and_overpayment_refused(ready):
    document_id, number = issued(ready)
    due = invoicing.show(ready, number).outstanding
    assert (
        invoicing.record_payment(ready, document_id, Decimal("500"), date(2026, 11, 10))
        == "partially_paid"
    )
    with pytest.raises(ValidationError, match=r"amount: .* is more than the .* still due"):
        invoicing.record_payment(ready, document_id, due, date(2026, 11, 11))
    assert (
        invoicing.record_payment(ready, document_id, due - 500, date(2026, 11, 12), "cash")
        == "paid"
    )
    assert invoicing.show(ready, number).outstanding == 0
    with pytest.raises(ValidationError, match="is paid"):
        invoicing.record_payment(ready, document_id, Decimal(1), date(2026, 11, 13))


def test_payment_on_a_draft_or_with_bad_input_is_refused(ready):
    draft = invoicing.create_draft(ready, invoice())
    with pytest.raises(ValidationError, match="draft"):
        invoicing.record_payment(ready, draft, Decimal(10), date(2026, 11, 10))
    document_id, _ = issued(ready)
    with pytest.raises(ValidationError, match="amount: must be more than zero"):
        invoicing.record_payment(ready, document_id, Decimal(0), date(2026, 11, 10))
    with pytest.raises(ValidationError, match="method"):
        invoicing.record_payment(ready, document_id, Decimal(1), date(2026, 11, 10), "bitcoin")


def test_a_full_credit_note_cancels_the_invoice(ready):
    document_id, number = issued(ready)
    credit = invoicing.create_credit_note(ready, document_id, issue_date=date(2026, 11, 20))
    credit_number = invoicing.issue(ready, credit)
    assert credit_number == "CN-2026-0001"
    view = invoicing.show(ready, credit_number)
    assert view.document.type is DocumentType.CREDIT_NOTE
    assert view.document.preceding_invoice == number and view.preceding_number == number
    assert invoicing.show(ready, number).status == "cancelled"


def test_a_partial_credit_note_lowers_what_is_due(ready):
    document_id, number = issued(ready)
    before = invoicing.show(ready, number).outstanding
    first_line = invoice().lines[0]
    credit = invoicing.create_credit_note(
        ready,
        document_id,
        lines=(replace(first_line, quantity=Decimal(2)),),
        issue_date=date(2026, 11, 20),
    )
    invoicing.issue(ready, credit)
    after = invoicing.show(ready, number)
    assert after.status == "issued"
    assert after.outstanding == before - Decimal("190.00") - Decimal("36.10")


def test_crediting_more_than_the_invoice_is_refused(ready):
    document_id, _ = issued(ready)
    first = invoicing.create_credit_note(ready, document_id, issue_date=date(2026, 11, 20))
    second = invoicing.create_credit_note(ready, document_id, issue_date=date(2026, 11, 20))
    invoicing.issue(ready, first)
    with pytest.raises(ValidationError, match="more than what is left to credit"):
        invoicing.issue(ready, second)
    assert documents.get(ready.conn, second).status == "draft"


def test_a_quote_becomes_an_invoice(ready):
    quote = invoicing.create_draft(ready, invoice(type=DocumentType.QUOTE, due_date=None))
    assert invoicing.issue(ready, quote) == "Q-2026-0001"
    draft = invoicing.convert_quote(ready, quote, issue_date=date(2026, 11, 30))
    assert invoicing.show(ready, quote).status == "converted"
    converted = invoicing.show(ready, draft)
    assert converted.document.type is DocumentType.INVOICE
    assert converted.document.lines == invoice().lines
    assert converted.document.due_date == date(2026, 11, 30) + timedelta(days=30)
    with pytest.raises(ValidationError, match="only an issued quote"):
        invoicing.convert_quote(ready, quote)


def test_lists_page_by_keyset_filter_and_search(ready):
    for day in range(1, 26):
        document_id, _ = issued(
            ready, issue_date=date(2026, 10, day), due_date=date(2026, 10, day) + timedelta(days=14)
        )
        if day % 5 == 0:
            invoicing.record_payment(ready, document_id, Decimal(100), date(2026, 11, 1))
    invoicing.create_draft(ready, invoice(buyer=Party("Café Lumière", "FR", postcode="75002")))
    seen, cursor = [], None
    while True:
        rows, cursor = invoicing.list_documents(
            ready, ListQuery(limit=7, after=cursor, today="2026-11-01")
        )
        seen += rows
        if cursor is None:
            break
    assert len(seen) == 26 and len({r.id for r in seen}) == 26
    dates = [r.issue_date for r in seen]
    assert dates == sorted(dates, reverse=True)
    partly, _ = invoicing.list_documents(ready, ListQuery(status="partially_paid"))
    assert len(partly) == 5
    overdue, _ = invoicing.list_documents(ready, ListQuery(status="overdue", today="2026-11-01"))
    assert {r.issue_date for r in overdue} == {f"2026-10-{d:02d}" for d in range(1, 18)}
    assert all(r.overdue for r in overdue)
    by_accentless_name, _ = invoicing.list_documents(ready, ListQuery(search="cafe lumi"))
    assert [r.buyer for r in by_accentless_name] == ["Café Lumière"]
    by_line, _ = invoicing.list_documents(ready, ListQuery(search="business cards"))
    assert len(by_line) == 26
    by_number, _ = invoicing.list_documents(ready, ListQuery(search="INV-2026-0007"))
    assert [r.number for r in by_number] == ["INV-2026-0007"]
    hostile, _ = invoicing.list_documents(ready, ListQuery(search='" OR NEAR( * :'))
    assert hostile == []


def test_every_action_is_audited_and_the_chain_holds(ready):
    document_id, _ = issued(ready)
    invoicing.record_payment(ready, document_id, Decimal(10), date(2026, 11, 3))
    actions = [e.action for e in audit.recent(ready.conn)]
    assert actions[:4] == [
        "payment.recorded",
        "document.issued",
        "document.drafted",
        "profile.changed",
    ]
    assert audit_log.verify(ready).intact


def test_a_bad_iban_checksum_needs_confirmation_then_is_kept(session):
    bad = replace(SELLER, iban="DE89370400440532013001")
    with pytest.raises(NeedsConfirmation) as asked:
        invoicing.set_seller_profile(session, bad)
    assert len(asked.value.warnings) == 1 and asked.value.warnings[0].startswith("seller.iban:")
    assert invoicing.seller_profile(session) is None  # nothing saved before the answer
    invoicing.set_seller_profile(session, bad, accept_warnings=True)
    assert invoicing.seller_profile(session).iban == bad.iban


def test_a_buyer_vat_id_with_a_bad_check_digit_needs_confirmation(ready):
    doubtful = invoice(buyer=replace(BUYER, vat_id="DE811907981"))
    with pytest.raises(NeedsConfirmation, match=r"buyer\.vat_id"):
        invoicing.create_draft(ready, doubtful)
    assert invoicing.list_documents(ready, ListQuery(doc_type=None))[0] == []
    draft = invoicing.create_draft(ready, doubtful, accept_warnings=True)
    assert invoicing.show(ready, draft).document.buyer.vat_id == "DE811907981"


def test_numbering_series_can_be_changed_for_the_next_documents(ready):
    _, first = issued(ready)
    invoicing.set_numbering_series(ready, "invoice", "R{YY}/{SEQ:05}")
    _, second = issued(ready)
    assert (first, second) == ("INV-2026-0001", "R26/00002")
    with pytest.raises(ValidationError, match=r"must contain \{YYYY\}"):
        invoicing.set_numbering_series(ready, "invoice", "INV-{SEQ}", yearly_reset=True)
    with pytest.raises(ValidationError, match=r"\{SEQ\}"):
        invoicing.set_numbering_series(ready, "invoice", "INV-{YYYY}")
    invoicing.set_numbering_series(ready, "credit_note", "GS-{SEQ:06}", yearly_reset=False)


def test_payments_list_newest_first_by_keyset(ready):
    document_id, _ = issued(ready)
    for day in (3, 5, 4):
        invoicing.record_payment(ready, document_id, Decimal(10), date(2026, 11, day))
    first = invoicing.list_payments(ready, limit=2)
    rest = invoicing.list_payments(ready, limit=2, after=(first[-1].paid_on, first[-1].id))
    assert [p.paid_on for p in first + rest] == ["2026-11-05", "2026-11-04", "2026-11-03"]
    assert all(p.amount_minor == 1000 for p in first + rest)
