"""Exports through the services: the PDF kept at issue, Factur-X, UBL, reminders, batches.

The renderers' own details (layout, fonts, languages, the XML against the
official rules) are tested beside them; here: what the user gets from a vault,
that it is the same file every time, and who may have it.
"""

import io
import struct
import subprocess
import zlib
from dataclasses import replace
from datetime import date
from decimal import Decimal

import facturx as facturx_lib
import pikepdf
import pytest
from lxml import etree
from support import PASSPHRASE, SELLER, invoice

from app.domain.model import DocumentType
from app.errors import NotFound, ValidationError
from app.services import access, backup, demo, exports, invoicing, reminders
from app.services.session import Session
from app.store import audit, files
from app.store.documents import ListQuery


def _text(pdf: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def _png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\x20\x60\xa0" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def issued(session: Session) -> tuple[Session, str, int]:
    invoicing.set_seller_profile(session, SELLER)
    document_id = invoicing.create_draft(session, invoice())
    return session, invoicing.issue(session, document_id), document_id


def test_the_pdf_is_rendered_at_issue_and_every_export_is_that_file(issued):
    session, number, document_id = issued
    kept = files.document_pdf(session.conn, document_id)
    assert kept is not None and kept.content.startswith(b"%PDF-")
    first = exports.export_pdf(session, number)
    assert first == kept.content
    # a later change of the profile does not change what was issued
    invoicing.set_seller_profile(
        session, replace(SELLER, party=replace(SELLER.party, name="Renamed Studio"))
    )
    assert exports.export_pdf(session, number) == first
    text = _text(first)
    assert number in text and "Müller & Söhne GmbH" in text
    assert "Renamed Studio" not in text and SELLER.party.name in text


def test_issuing_stores_a_pdf_for_quotes_and_credit_notes_too(issued):
    session, number, document_id = issued
    quote_id = invoicing.create_draft(session, invoice(type=DocumentType.QUOTE))
    quote_number = invoicing.issue(session, quote_id)
    credit_id = invoicing.create_credit_note(session, document_id)
    credit_number = invoicing.issue(session, credit_id)
    for doc_id, doc_number in ((quote_id, quote_number), (credit_id, credit_number)):
        kept = files.document_pdf(session.conn, doc_id)
        assert kept is not None
        assert doc_number in _text(kept.content)
    assert number in _text(exports.export_pdf(session, credit_number))  # BT-25 shown


def test_a_stored_pdf_can_be_neither_changed_nor_deleted(issued):
    session, _number, document_id = issued
    for statement in (
        "UPDATE document_files SET content = x'00'",
        "DELETE FROM document_files",
    ):
        with pytest.raises(Exception, match="never"):
            session.conn.execute(statement)
    assert files.document_pdf(session.conn, document_id) is not None


def test_a_password_protected_pdf_opens_only_with_the_password(issued):
    session, number, _id = issued
    protected = exports.export_pdf(session, number, password="correct horse")
    with pytest.raises(pikepdf.PasswordError):
        pikepdf.open(io.BytesIO(protected))
    with pikepdf.open(io.BytesIO(protected), password="correct horse") as pdf:
        assert pdf.is_encrypted
        assert pdf.encryption.R == 6 and pdf.encryption.bits == 256  # AES-256
        assert pdf.encryption.stream_method.name == "aesv3"
    with pytest.raises(ValidationError, match="password: at least 8"):
        exports.export_pdf(session, number, password="short")


def test_facturx_carries_the_cii_of_the_invoice_and_the_pages_as_issued(issued):
    session, number, _id = issued
    made = exports.export_facturx(session, number)
    assert made == exports.export_facturx(session, number)
    filename, xml = facturx_lib.get_facturx_xml_from_pdf(made, check_xsd=True)
    assert filename == "factur-x.xml"
    root = etree.fromstring(xml)
    ns = {"rsm": root.nsmap["rsm"], "ram": root.nsmap["ram"]}
    assert root.findtext("rsm:ExchangedDocument/ram:ID", namespaces=ns) == number
    total = invoicing.show(session, number).totals.with_vat
    grand = root.findtext(".//ram:GrandTotalAmount", namespaces=ns)
    assert Decimal(grand) == total
    with pikepdf.open(io.BytesIO(made)) as pdf:
        assert pdf.open_metadata()["pdfaid:part"] == "3"
    assert number in _text(made)


def test_ubl_is_the_invoice_or_the_credit_note(issued):
    session, number, document_id = issued
    root = etree.fromstring(exports.export_ubl(session, number))
    assert etree.QName(root).localname == "Invoice"
    assert root.findtext("{*}ID") == number
    credit_number = invoicing.issue(session, invoicing.create_credit_note(session, document_id))
    root = etree.fromstring(exports.export_ubl(session, credit_number))
    assert etree.QName(root).localname == "CreditNote"


def test_quotes_and_drafts_are_no_e_invoices(issued):
    session, _number, _id = issued
    quote = invoicing.issue(
        session, invoicing.create_draft(session, invoice(type=DocumentType.QUOTE))
    )
    assert exports.export_pdf(session, quote).startswith(b"%PDF-")
    for call in (exports.export_facturx, exports.export_ubl):
        with pytest.raises(ValidationError, match="quote, not an e-invoice"):
            call(session, quote)
    with pytest.raises(NotFound):
        exports.export_pdf(session, "NO-SUCH-1")


def test_every_export_is_audited_without_the_content(issued):
    session, number, _id = issued
    assert exports.view_pdf(session, number) == exports.export_pdf(session, number)
    exports.export_ubl(session, number)
    records = [r for r in audit.recent(session.conn, 10) if r.action == "document.exported"]
    assert [r.details["format"] for r in records] == ["ubl", "pdf"]
    assert all(r.details["number"] == number for r in records)


def test_a_reminder_pdf_names_the_invoice_and_the_new_total(issued):
    session, number, document_id = issued
    level = reminders.send_reminder(session, document_id, Decimal("5.00"), date(2027, 1, 15))
    text = _text(exports.export_reminder(session, number))
    assert number in text and level == 1
    with pytest.raises(NotFound, match="level 2"):
        exports.export_reminder(session, number, level=2)


def test_the_logo_is_kept_in_the_vault_and_drawn_on_the_next_documents(session, tmp_path):
    logo = tmp_path / "logo.png"
    logo.write_bytes(_png(120, 40))
    invoicing.set_seller_profile(session, replace(SELLER, logo_path=str(logo)))
    logo.unlink()  # kept inside the vault: the file may go
    assert invoicing.seller_profile(session).logo_path == ""
    number = invoicing.issue(session, invoicing.create_draft(session, invoice()))
    with pikepdf.open(io.BytesIO(exports.export_pdf(session, number))) as pdf:
        images = list(pdf.pages[0].get_images().values())
    assert [(i.Width, i.Height) for i in images if i.Width == 120] == [(120, 40)]

    invoicing.set_seller_profile(session, SELLER, remove_logo=True)
    number = invoicing.issue(session, invoicing.create_draft(session, invoice()))
    with pikepdf.open(io.BytesIO(exports.export_pdf(session, number))) as pdf:
        assert not [i for i in pdf.pages[0].get_images().values() if i.Width == 120]


def test_a_bad_logo_is_refused_and_changes_nothing(session, tmp_path):
    invoicing.set_seller_profile(session, SELLER)
    bad = tmp_path / "logo.png"
    bad.write_bytes(_png(50, 50)[:40])
    renamed = replace(SELLER, party=replace(SELLER.party, name="Other"), logo_path=str(bad))
    with pytest.raises(ValidationError, match=r"^logo:"):
        invoicing.set_seller_profile(session, renamed)
    assert invoicing.seller_profile(session).party.name == SELLER.party.name
    with pytest.raises(ValidationError, match="logo: cannot read"):
        invoicing.set_seller_profile(session, replace(SELLER, logo_path=str(tmp_path / "none")))


def test_a_demo_document_gets_its_pdf_at_the_first_export_and_keeps_it(session):
    demo.fill(session, 12)
    rows, _ = invoicing.list_documents(session, ListQuery(doc_type="invoice", status="paid"))
    row = rows[0]
    assert files.document_pdf(session.conn, row.id) is None
    first = exports.export_pdf(session, row.number)
    assert files.document_pdf(session.conn, row.id).content == first
    assert exports.export_pdf(session, row.number) == first


def test_a_period_goes_to_a_folder_once_with_progress(issued, tmp_path):
    session, number, document_id = issued
    credit_number = invoicing.issue(session, invoicing.create_credit_note(session, document_id))
    folder = tmp_path / "export"
    folder.mkdir()
    seen: list[tuple[int, int]] = []
    written = exports.export_period(
        session,
        date(2026, 11, 1),
        date(2026, 11, 30),
        folder,
        ("pdf", "ubl"),
        progress=lambda done, total: seen.append((done, total)),
    )
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted(
        f"{n}{suffix}" for n in (number, credit_number) for suffix in (".pdf", ".xml")
    )
    assert len(written) == 4 and seen[-1] == (2, 2)
    assert (folder / f"{number}.pdf").read_bytes() == exports.export_pdf(session, number)
    # again: the same files are there, nothing is written
    assert exports.export_period(session, date(2026, 11, 1), date(2026, 11, 30), folder) == []
    (folder / f"{number}.pdf").write_bytes(b"something else")
    with pytest.raises(ValidationError, match="already there with other content"):
        exports.export_period(session, date(2026, 11, 1), date(2026, 11, 30), folder)
    assert (
        exports.export_period(
            session, date(2026, 11, 1), date(2026, 11, 30), folder, cancelled=lambda: True
        )
        == []
    )
    with pytest.raises(ValidationError, match="formats"):
        exports.export_period(session, date(2026, 11, 1), date(2026, 11, 2), folder, ("doc",))


def test_the_kept_pdfs_and_the_logo_travel_in_the_backup(session, tmp_path):
    logo = tmp_path / "logo.png"
    logo.write_bytes(_png(60, 20))
    invoicing.set_seller_profile(session, replace(SELLER, logo_path=str(logo)))
    number = invoicing.issue(session, invoicing.create_draft(session, invoice()))
    before = exports.export_pdf(session, number)
    made = backup.create_backup(session, tmp_path / "usb")
    session.vault.lock()
    new_dir = tmp_path / "new-laptop" / "vault"
    backup.restore_backup(made.path, new_dir, PASSPHRASE)
    restored = access.unlock(new_dir, "owner", PASSPHRASE)
    try:
        assert exports.export_pdf(restored, number) == before
        assert exports.current_logo(restored.conn).width == 60
    finally:
        restored.vault.lock()
