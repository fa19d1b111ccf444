"""Password protection: AES-256 (revision 6), opened only with the password, done in memory."""

import io

import pikepdf
import pytest
from pdf_support import pdf_text, source
from support import invoice

from app.documents import pdf
from app.documents.protect import protect
from app.errors import ValidationError


def test_the_protected_pdf_opens_only_with_the_password():
    original = pdf.render(source(invoice()))
    protected = protect(original, "correct horse")
    with pytest.raises(pikepdf.PasswordError):
        pikepdf.open(io.BytesIO(protected))
    with pytest.raises(pikepdf.PasswordError):
        pikepdf.open(io.BytesIO(protected), password="wrong")
    with pikepdf.open(io.BytesIO(protected), password="correct horse") as document:
        assert document.is_encrypted
        assert document.encryption.R == 6
        assert document.encryption.bits == 256
        assert document.encryption.stream_method.name == "aesv3"
        assert len(document.pages) == 1
        assert document.allow.print_highres and document.allow.extract
        clear = io.BytesIO()
        document.save(clear)
    assert "INV-2026-0042" in pdf_text(clear.getvalue())
    assert b"INV-2026-0042" not in protected


def test_an_empty_password_is_refused():
    with pytest.raises(ValidationError, match="password"):
        protect(pdf.render(source(invoice())), "")
