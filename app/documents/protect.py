"""Password protection of a finished PDF: AES-256 (PDF 2.0 security handler, revision 6).

Everything happens in memory, so the unprotected PDF never touches the disk.
The owner password (the one that lifts restrictions) is random and thrown
away: the recipient only ever needs the password to open the file, and all
permissions (printing, copying) stay granted.
"""

import io
import secrets

import pikepdf

from app.errors import ValidationError


def protect(pdf: bytes, password: str) -> bytes:
    """``pdf`` encrypted with AES-256 so that it opens only with ``password``."""
    if not password:
        raise ValidationError("password: a password is needed to protect the PDF")
    output = io.BytesIO()
    with pikepdf.open(io.BytesIO(pdf)) as document:
        document.save(
            output,
            encryption=pikepdf.Encryption(
                user=password, owner=secrets.token_urlsafe(32), R=6, aes=True
            ),
        )
    return output.getvalue()
