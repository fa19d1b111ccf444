"""Stored files: the PDF kept for each issued document, and images (the seller's logo).

A document's PDF is written once and never changed or deleted (triggers refuse
both); images are content-addressed by their SHA-256, so storing the same logo
twice keeps one copy.
"""

import hashlib
from dataclasses import dataclass

from app.store.audit import now_utc
from app.store.connection import Connection


@dataclass(frozen=True)
class StoredFile:
    content: bytes
    sha256: str
    language: str


def put_document_pdf(conn: Connection, document_id: int, content: bytes, language: str) -> str:
    """Keep the PDF of an issued document; returns its SHA-256 (hex)."""
    digest = hashlib.sha256(content).hexdigest()
    conn.execute(
        "INSERT INTO document_files (document_id, kind, language, sha256, content, created_at)"
        " VALUES (?, 'pdf', ?, ?, ?, ?)",
        (document_id, language, digest, content, now_utc()),
    )
    return digest


def document_pdf(conn: Connection, document_id: int) -> StoredFile | None:
    row = conn.execute(
        "SELECT content, sha256, language FROM document_files"
        " WHERE document_id = ? AND kind = 'pdf'",
        (document_id,),
    ).fetchone()
    return StoredFile(bytes(row[0]), row[1], row[2]) if row else None


def put_image(conn: Connection, content: bytes, media_type: str) -> str:
    """Keep an image (idempotent); returns its SHA-256 (hex), the key to read it back."""
    digest = hashlib.sha256(content).hexdigest()
    conn.execute(
        "INSERT INTO images (sha256, media_type, content, created_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (sha256) DO NOTHING",
        (digest, media_type, content, now_utc()),
    )
    return digest


def image(conn: Connection, sha256: str) -> tuple[bytes, str] | None:
    """(content, media type) of a stored image, or None."""
    row = conn.execute(
        "SELECT content, media_type FROM images WHERE sha256 = ?", (sha256,)
    ).fetchone()
    return (bytes(row[0]), row[1]) if row else None
