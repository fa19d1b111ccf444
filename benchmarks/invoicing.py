"""Invoicing at scale: the demo filler, the invoice list, search and issuing at 100,000 invoices.

A vault is created in a temporary folder at the Argon2id floor (the KDF is not
what is measured here) and filled through :func:`app.services.demo.fill` with
INVOICES invoices (plus the quotes, credit notes and payments that go with
them); :mod:`benchmarks.demo_vault` builds it once per run for every section that
needs it. Then, on that vault, through the services a user's actions go through:

- the first page of the invoice list (``ListQuery(limit=50)``), median of REPEATS;
- a full-text search for a word in some buyer names, median of REPEATS;
- issuing one invoice: a draft made with ``invoicing.create_draft``, then
  ``invoicing.issue`` timed, median of REPEATS drafts.

Targets: fill < 60 s, list < 20 ms, search < 30 ms, issue < 20 ms. Other list
shapes (next page, overdue filter, sort by total) and ``show`` are reported for
information, with the query plans of the list and the search in the JSON details.
"""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from app.domain.model import Document, DocumentType, Line, VatCategory
from app.services import invoicing
from app.services.session import Session
from app.store import clients
from app.store.documents import ListQuery
from benchmarks import demo_vault
from benchmarks.report import Figure, Section, median, ms, timed

INVOICES = 100_000
REPEATS = 20
SEARCH_WORD = "Müller"  # a surname in many German buyer names (and the showcase client)
FILL_LIMIT_S = 60.0
LIST_LIMIT_MS = 20.0
SEARCH_LIMIT_MS = 30.0
ISSUE_LIMIT_MS = 20.0


def _repeat(fn: Any, times: int = REPEATS) -> list[float]:
    fn()  # warm the statement cache and the page cache once, as a user's second look would
    return [timed(fn) for _ in range(times)]


def _draft(session: Session) -> Document:
    buyer = clients.page(session.conn, limit=1, search="Müller")[0].party()
    today = date.today()
    return Document(
        type=DocumentType.INVOICE,
        currency="EUR",
        issue_date=today,
        due_date=today + timedelta(days=30),
        buyer=buyer,
        lines=(
            Line(
                "Logo design",
                Decimal(12),
                "HUR",
                Decimal("95.00"),
                VatCategory.STANDARD,
                Decimal(19),
            ),
            Line(
                "Business cards, printed",
                Decimal(500),
                "C62",
                Decimal("12.50"),
                VatCategory.STANDARD,
                Decimal(7),
                price_base_quantity=Decimal(100),
            ),
        ),
        payment_terms="Zahlbar innerhalb von 30 Tagen ohne Abzug.",
    )


def _plans(session: Session) -> dict[str, list[str]]:
    """EXPLAIN QUERY PLAN of the list and search queries, in the shape documents.page builds."""
    base = (
        "SELECT d.id FROM documents d JOIN clients c ON c.id = d.client_id WHERE d.type = ?{extra}"
        " ORDER BY d.issue_date DESC, d.id DESC LIMIT 51"
    )
    search = " AND d.id IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?)"
    plans = {}
    for name, sql, params in (
        ("list", base.format(extra=""), ("invoice",)),
        ("search", base.format(extra=search), ("invoice", f'"{SEARCH_WORD}"*')),
    ):
        rows = session.conn.execute(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()
        plans[name] = [row[-1] for row in rows]
    return plans


def run(invoices: int = INVOICES) -> Section:
    section = Section(f"Invoicing at scale ({invoices:,} demo invoices)")
    vault = demo_vault.get(invoices)
    session, summary, fill_s = vault.session, vault.summary, vault.fill_s
    batches, sizes, db_mb = vault.batches, vault.files_bytes, vault.database_mb

    first_page = _repeat(lambda: invoicing.list_documents(session, ListQuery(limit=50)))
    _rows, cursor = invoicing.list_documents(session, ListQuery(limit=50))
    next_page = _repeat(
        lambda: invoicing.list_documents(session, ListQuery(limit=50, after=cursor))
    )
    overdue = _repeat(
        lambda: invoicing.list_documents(session, ListQuery(status="overdue", limit=50))
    )
    by_total = _repeat(
        lambda: invoicing.list_documents(session, ListQuery(sort="total_desc", limit=50))
    )
    query = ListQuery(search=SEARCH_WORD, limit=50)
    found, _cursor = invoicing.list_documents(session, query)
    search = _repeat(lambda: invoicing.list_documents(session, query))
    number = next((row.number for row in found if row.number), None)  # not a draft
    show = _repeat(lambda: invoicing.show(session, number)) if number else []

    document = _draft(session)
    issue: list[float] = []
    for i in range(REPEATS + 1):
        draft = invoicing.create_draft(session, replace(document, order_reference=f"Bench {i}"))
        took = timed(lambda draft=draft: invoicing.issue(session, draft))
        if i:  # the first one warms the caches
            issue.append(took)
    plans = _plans(session)

    documents_written = summary.invoices + summary.credit_notes + summary.quotes
    section.figures += [
        Figure(
            "Demo fill",
            round(fill_s, 1),
            "s",
            FILL_LIMIT_S,
            "< 60 s",
            note=f"{documents_written:,} documents, {summary.payments:,} payments",
        ),
        Figure("  per document", round(fill_s / documents_written * 1e6), "µs"),
        Figure("  database size (db + WAL)", round(db_mb, 1), "MB"),
        Figure(
            "Invoice list, first page",
            ms(median(first_page)),
            "ms",
            LIST_LIMIT_MS,
            "< 20 ms",
            note=f"median of {REPEATS}",
        ),
        Figure(
            "Full-text search",
            ms(median(search)),
            "ms",
            SEARCH_LIMIT_MS,
            "< 30 ms",
            note=f"{SEARCH_WORD!r}, first page, median of {REPEATS}",
        ),
        Figure(
            "Issue one invoice",
            ms(median(issue)),
            "ms",
            ISSUE_LIMIT_MS,
            "< 20 ms",
            note=f"median of {REPEATS}",
        ),
        Figure("Invoice list, second page (keyset)", ms(median(next_page)), "ms"),
        Figure("Invoice list, overdue only", ms(median(overdue)), "ms"),
        Figure("Invoice list, sorted by total", ms(median(by_total)), "ms"),
        Figure("Show one invoice", ms(median(show)) if show else 0.0, "ms"),
    ]
    section.details = {
        "summary": {
            "clients": summary.clients,
            "invoices": summary.invoices,
            "credit_notes": summary.credit_notes,
            "quotes": summary.quotes,
            "payments": summary.payments,
            "templates": summary.templates,
        },
        "fill_s": round(fill_s, 2),
        "files_bytes": sizes,
        "seconds_per_tenth_of_the_documents": _tenths(batches),
        "search_first_page_rows": len(found),
        "list_ms": [ms(t) for t in first_page],
        "search_ms": [ms(t) for t in search],
        "issue_ms": [ms(t) for t in issue],
        "query_plans": plans,
    }
    section.findings.append(
        f"Demo vault: {summary.invoices:,} invoices, {summary.credit_notes:,} credit notes, "
        f"{summary.quotes:,} quotes, {summary.payments:,} payments, {summary.clients:,} clients; "
        f"{db_mb:,.0f} MB on disk."
    )
    return section


def _tenths(batches: list[tuple[float, int]]) -> list[float]:
    """Seconds per tenth of the documents: does writing slow down as the database grows?"""
    if len(batches) < 3:
        return []
    total, previous, result = batches[-1][1], batches[0][0], []
    for k in range(1, 11):
        at = next(t for t, done in batches if done >= total * k // 10)
        result.append(round(at - previous, 2))
        previous = at
    return result
