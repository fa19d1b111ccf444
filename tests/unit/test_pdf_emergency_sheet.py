"""The emergency sheet: key in readable groups, restore steps, stock age and sqlcipher commands."""

import io
from datetime import date

import pikepdf
import pytest
from pdf_support import BASE_14, pdf_fonts, pdf_text

from app.documents.emergency_sheet import key_lines, render_emergency_sheet
from app.vault import age_identity

VAULT_ID = "3f9a0c2e7b1d4e5f8a6b9c0d1e2f3a4b"


def new_key() -> str:
    return age_identity.format_identity(age_identity.generate_identity())


@pytest.fixture(scope="module")
def recovery_key() -> str:
    return new_key()


def test_the_key_is_grouped_in_fours_after_its_fixed_start(recovery_key):
    lines = key_lines(recovery_key)
    assert lines[0] == "AGE-SECRET-KEY-1"
    groups = " ".join(lines[1:]).split()
    assert all(len(group) == 4 for group in groups[:-1])
    assert "".join(lines).replace(" ", "") == recovery_key


@pytest.mark.parametrize("language", ["en", "de", "fr"])
def test_the_sheet_has_the_vault_key_steps_and_commands(recovery_key, language):
    data = render_emergency_sheet(VAULT_ID, recovery_key, date(2026, 11, 2), language)
    text = pdf_text(data)
    assert VAULT_ID in text
    for line in key_lines(recovery_key):
        assert line in text
    assert recovery_key in "".join(text.split())  # the exact key in one piece as well
    for command in (
        "age -d -i recovery.txt -o backup.tar backup.ivbak",
        "tar -xf backup.tar",
        "sqlcipher invoicevault.db",
        "PRAGMA key = \"x'<database_key>'\";",
    ):
        assert command in text
    assert "database_key" in text and "manifest.json" in text and ".ivbak" in text
    assert "InvoiceVault" in text


def test_the_english_sheet_warns_and_explains_the_restore(recovery_key):
    text = pdf_text(render_emergency_sheet(VAULT_ID, recovery_key, date(2026, 11, 2), "en"))
    assert "Keep this sheet on paper, in a safe place." in text
    assert "can read all your invoices" in text
    assert "Restore from backup" in text and "recovery key" in text


def test_fonts_are_embedded_subsets_including_the_monospace_one(recovery_key):
    rows = pdf_fonts(render_emergency_sheet(VAULT_ID, recovery_key, date(2026, 11, 2), "de"))
    assert any(row.name.endswith("+NotoSansMono-Regular") for row in rows)
    for row in rows:
        assert row.embedded and row.subset, row
        assert not any(base in row.name for base in BASE_14)


def test_the_key_is_only_in_the_page_content_never_in_metadata(recovery_key):
    data = render_emergency_sheet(VAULT_ID, recovery_key, date(2026, 11, 2), "en")
    assert data == render_emergency_sheet(VAULT_ID, recovery_key, date(2026, 11, 2), "en")
    secret = recovery_key.encode()
    assert secret not in data and secret.lower() not in data  # streams are compressed
    with pikepdf.open(io.BytesIO(data)) as pdf:
        info = " ".join(str(value) for value in pdf.docinfo.values())
        assert recovery_key not in info and recovery_key[16:40] not in info
        ids = b"".join(bytes(part) for part in pdf.trailer.ID)
        assert secret[16:24] not in ids
    other_pdf = render_emergency_sheet(VAULT_ID, new_key(), date(2026, 11, 2), "en")
    with pikepdf.open(io.BytesIO(data)) as first, pikepdf.open(io.BytesIO(other_pdf)) as second:
        assert first.trailer.ID == second.trailer.ID  # the /ID does not depend on the key
