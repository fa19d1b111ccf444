"""The demo filler on a real vault: realistic content, figures that add up, refusals."""

import json
from collections import Counter, defaultdict
from datetime import date

import pytest
from support import PASSPHRASE

from app import money
from app.domain import invoice_json, rules
from app.domain.model import DocumentType, VatCategory
from app.domain.totals import compute
from app.errors import PermissionDenied, ValidationError
from app.services import access, audit_log, demo, invoicing
from app.services.session import Session
from app.store import audit, clients, documents, payments, recurring, users
from app.store.connection import transaction
from app.store.documents import ListQuery, Summary
from app.vault.kdf import FLOOR

TODAY = date(2026, 11, 25)
N = 300


@pytest.fixture
def filled(session):
    return session, demo.fill(session, N, today=TODAY)


def listed(
    session: Session, doc_type: str | None = None, status: str | None = None
) -> list[Summary]:
    """Every row of a list, page by page, as the GUI would fetch them."""
    rows: list[Summary] = []
    cursor = None
    while True:
        query = ListQuery(
            doc_type=doc_type, status=status, after=cursor, limit=1000, today=TODAY.isoformat()
        )
        page, cursor = invoicing.list_documents(session, query)
        rows += page
        if cursor is None:
            return rows


def stored(session: Session) -> list[documents.StoredDocument]:
    return [documents.get(session.conn, row.id) for row in listed(session)]


def count(session: Session, table: str) -> int:
    return session.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_the_summary_counts_what_was_written(filled):
    session, summary = filled
    assert summary.invoices == N and not summary.cancelled
    assert len(listed(session, "invoice")) == summary.invoices
    assert len(listed(session, "credit_note")) == summary.credit_notes > 0
    assert len(listed(session, "quote")) == summary.quotes > 0
    assert count(session, "clients") == summary.clients >= 20
    assert count(session, "payments") == summary.payments > 0
    assert count(session, "recurring_templates") == summary.templates == 2


def test_the_content_shows_every_feature(filled):
    session, _summary = filled
    categories: set[VatCategory] = set()
    currencies: set[str] = set()
    features: Counter[str] = Counter()
    for row in stored(session):
        document = invoice_json.parse_document(row.content)
        currencies.add(document.currency)
        used = {line.vat_category for line in document.lines}
        used |= {item.vat_category for item in (*document.allowances, *document.charges)}
        categories |= used
        if VatCategory.NOT_SUBJECT in used:
            assert row.status == "draft"  # refused at issue for a seller with a VAT ID (BR-O-02)
        for line in document.lines:
            features["line allowance"] += bool(line.allowances)
            features["line charge"] += bool(line.charges)
            features["price base quantity"] += line.price_base_quantity != 1
            features["gross price"] += line.gross_price is not None
            if line.vat_category is VatCategory.REVERSE_CHARGE:
                assert line.exemption_reason == "Reverse charge" and document.buyer.vat_id
            if line.vat_category is VatCategory.EXPORT:
                assert document.buyer.country in {"US", "JP", "GB", "CH"}
        if VatCategory.INTRA_COMMUNITY in used:  # BR-IC-11, BR-IC-12
            assert document.delivery_date or document.period_start
            assert document.deliver_to_country == document.buyer.country != "DE"
        features["delivery date"] += document.delivery_date is not None
        features["invoicing period"] += document.period_start is not None
        features["buyer legal id"] += bool(document.buyer.legal_id)
        features["document allowance"] += bool(document.allowances)
        features["document charge"] += bool(document.charges)
        features["prepaid"] += document.prepaid > 0
        features["rounding"] += document.rounding_amount != 0
    assert categories == set(VatCategory)
    assert {"EUR", "USD", "GBP", "CHF", "JPY"} <= currencies
    assert all(features[name] for name in features), features
    assert len(features) == 11

    statuses = {row.status for row in listed(session, "invoice")}
    assert {"draft", "issued", "partially_paid", "paid", "cancelled"} <= statuses
    assert listed(session, "invoice", "overdue")
    assert {"issued", "converted", "draft"} <= {row.status for row in listed(session, "quote")}


def test_the_parties_are_realistic_and_their_identifiers_valid(filled):
    session, _summary = filled
    seller = invoicing.seller_profile(session)
    assert seller is not None and seller.party.country == "DE"
    assert rules.check_vat_id(seller.party.vat_id) is None
    assert rules.check_iban(seller.iban) is None and seller.iban == "DE89370400440532013000"
    everyone = clients.page(session.conn, limit=1000)
    names = {c.name for c in everyone}
    assert {"Müller & Söhne GmbH", "Société Générale de Café", "Åsa Lindqvist AB"} <= names
    assert {"DE", "FR", "AT", "NL", "IT", "ES", "BE", "CH", "US", "GB", "JP"} <= {
        c.country for c in everyone
    }
    assert {c.language for c in everyone} == {"en", "de", "fr"}
    with_vat_id = [c for c in everyone if c.vat_id]
    assert len(with_vat_id) > 10
    for client in with_vat_id:
        assert rules.check_vat_id(client.vat_id) is None, client
        rules.validate_party(client.party(), "buyer")


def test_every_document_is_what_the_services_would_have_stored(filled):
    session, _summary = filled
    seller = invoicing.seller_profile(session)
    assert seller is not None
    numbers: dict[tuple[str, int], list[tuple[str, str]]] = defaultdict(list)
    rows = stored(session)
    by_id = {row.id: row for row in rows}
    credited: Counter[int] = Counter()
    for row in rows:
        document = invoice_json.parse_document(row.content)
        content = json.dumps(
            invoice_json.document_to_json(document), ensure_ascii=False, sort_keys=True
        )
        assert row.content == content
        totals = compute(document)
        assert row.total_minor == money.to_minor(totals.with_vat, row.currency)
        assert row.due_minor == money.to_minor(totals.due, row.currency)
        assert (row.issue_date, row.due_date, row.currency, row.type) == (
            document.issue_date.isoformat(),
            document.due_date.isoformat() if document.due_date else None,
            document.currency,
            document.type.value,
        )
        client = clients.get(session.conn, row.client_id)
        assert client is not None and client.party() == document.buyer
        if row.status == "draft":
            assert row.number is None
            continue
        rules.validate(document, seller.party)
        numbers[(row.type, document.issue_date.year)].append((row.issue_date, row.number))
        view = invoicing.show(session, row.number)
        assert view.totals == compute(view.document)
        assert money.to_minor(view.totals.with_vat, row.currency) == row.total_minor
        assert view.seller == seller
        if row.type == "credit_note":
            invoice = by_id[row.preceding_id]
            assert invoice.type == "invoice" and invoice.status != "draft"
            assert view.preceding_number == invoice.number == document.preceding_invoice
            assert document.type is DocumentType.CREDIT_NOTE
            credited[invoice.id] += row.total_minor
    for row in rows:
        if row.type != "invoice" or row.status == "draft":
            continue
        paid = sum(p.amount_minor for p in payments.for_document(session.conn, row.id))
        assert (row.paid_minor, row.credited_minor) == (paid, credited[row.id])
        assert row.status == demo.settlement_status(row.due_minor, paid, credited[row.id])
        assert paid + credited[row.id] <= max(row.due_minor, credited[row.id])
        if row.quote_id is not None:
            quote = by_id[row.quote_id]
            assert quote.type == "quote" and quote.status == "converted"
            assert quote.issue_date <= row.issue_date
    kinds = {"full" if by_id[i].total_minor == c else "partial" for i, c in credited.items()}
    assert kinds == {"full", "partial"}
    # gapless numbers per series and year, in the order of the issue dates
    for (doc_type, year), issued in numbers.items():
        issued.sort(key=lambda pair: pair[1])
        prefix = {"invoice": "INV", "credit_note": "CN", "quote": "Q"}[doc_type]
        assert [n for _d, n in issued] == [
            f"{prefix}-{year}-{i:04d}" for i in range(1, len(issued) + 1)
        ]
        assert [d for d, _n in issued] == sorted(d for d, _n in issued)


def test_payments_templates_and_dates_fit_today(filled):
    session, _summary = filled
    for row in stored(session):
        assert row.issue_date <= TODAY.isoformat()
        for payment in payments.for_document(session.conn, row.id):
            assert row.issue_date <= payment.paid_on <= TODAY.isoformat()
            assert payment.reference == row.number
    assert recurring.due(session.conn, TODAY.isoformat()) == []  # already generated
    linked = session.conn.execute(
        "SELECT count(*) FROM documents WHERE template_id IS NOT NULL"
    ).fetchone()[0]
    assert linked > 0


def test_one_audit_record_and_an_intact_chain(filled):
    session, summary = filled
    report = audit_log.verify(session)
    assert report.intact
    entries = audit.recent(session.conn, limit=100)
    assert [e.action for e in reversed(entries)] == [
        "vault.created",
        "profile.changed",
        "recurring.created",
        "recurring.created",
        "demo.filled",
    ]
    assert entries[0].details["invoices"] == summary.invoices
    assert entries[0].details["cancelled"] is False


def test_a_second_fill_is_refused_and_changes_nothing(filled):
    session, _summary = filled
    before = count(session, "documents"), count(session, "audit_log")
    with pytest.raises(ValidationError, match="already holds documents"):
        demo.fill(session, 10, today=TODAY)
    assert (count(session, "documents"), count(session, "audit_log")) == before


def test_the_same_seed_gives_the_same_vault(tmp_path):
    def fill(name: str, seed: int) -> list[Summary]:
        session, _recovery = access.create_vault(tmp_path / name, "owner", PASSPHRASE, kdf=FLOOR)
        try:
            demo.fill(session, N, seed=seed, today=TODAY)
            return listed(session)
        finally:
            session.vault.lock()

    first = fill("a", 7)
    assert first == fill("b", 7)
    assert first != fill("c", 8)


def test_only_the_owner_may_fill(session):
    with transaction(session.conn) as conn:
        users.add(conn, "x", "assistant")
    assistant = Session(session.vault, users.User("x", "assistant"))
    with pytest.raises(PermissionDenied):
        demo.fill(assistant, 10, today=TODAY)
    assert count(session, "documents") == 0 and invoicing.seller_profile(session) is None


@pytest.mark.parametrize("invoices", [0, -1, 1_000_001, True, "10"])
def test_the_number_of_invoices_is_checked(session, invoices):
    with pytest.raises(ValidationError, match="invoices"):
        demo.fill(session, invoices, today=TODAY)
    assert count(session, "documents") == 0


def test_a_single_invoice(session):
    summary = demo.fill(session, 1, today=TODAY)
    assert summary.invoices == 1 and len(listed(session, "invoice")) == 1
    assert audit_log.verify(session).intact


def test_progress_and_cancel_between_batches(session):
    reports: list[tuple[int, int]] = []
    summary = demo.fill(
        session,
        N,
        today=TODAY,
        progress=lambda done, total: reports.append((done, total)),
        cancelled=lambda: len(reports) > 5,
    )
    assert summary.cancelled
    assert reports[0][0] == 0 and [d for d, _t in reports] == sorted(d for d, _t in reports)
    total = reports[0][1]
    assert 0 < reports[-1][0] < total and len(reports) == 6
    written = listed(session)
    assert len(written) == reports[-1][0]
    types = Counter(row.type for row in written)
    assert (types["invoice"], types["credit_note"], types["quote"]) == (
        summary.invoices,
        summary.credit_notes,
        summary.quotes,
    )
    assert count(session, "payments") == summary.payments
    assert audit_log.verify(session).intact
    assert audit.recent(session.conn, limit=1)[0].details["cancelled"] is True


def test_progress_reaches_the_total_in_about_a_hundred_steps(session):
    reports: list[tuple[int, int]] = []
    demo.fill(session, N, today=TODAY, progress=lambda done, total: reports.append((done, total)))
    total = reports[-1][1]
    assert reports[-1] == (total, total) and 50 <= len(reports) <= 102
    assert count(session, "documents") == total
