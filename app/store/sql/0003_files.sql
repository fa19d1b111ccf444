-- Documents as files: the PDF of an issued document, rendered once and kept, so
-- that every later export gives the same bytes; and the images the seller profile
-- uses (the logo). They live in this database, so they are encrypted with it and
-- every backup carries them. Also the buyer's legal registration id (BT-47).

ALTER TABLE clients ADD COLUMN legal_id TEXT NOT NULL DEFAULT '';

CREATE TABLE document_files (
    document_id INTEGER NOT NULL REFERENCES documents (id),
    kind        TEXT NOT NULL CHECK (kind IN ('pdf')),
    language    TEXT NOT NULL,
    sha256      TEXT NOT NULL CHECK (length(sha256) = 64),
    content     BLOB NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (document_id, kind)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER document_files_are_frozen BEFORE UPDATE ON document_files
BEGIN
    SELECT RAISE(ABORT, 'a stored document file is never changed');
END;

CREATE TRIGGER document_files_are_kept BEFORE DELETE ON document_files
BEGIN
    SELECT RAISE(ABORT, 'a stored document file is never deleted');
END;

CREATE TABLE images (
    sha256     TEXT PRIMARY KEY CHECK (length(sha256) = 64),
    media_type TEXT NOT NULL CHECK (media_type IN ('image/png', 'image/jpeg')),
    content    BLOB NOT NULL,
    created_at TEXT NOT NULL
) STRICT, WITHOUT ROWID;
