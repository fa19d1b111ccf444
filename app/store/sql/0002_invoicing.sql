-- Invoicing: clients, the item catalogue, numbering series, documents (quotes,
-- invoices, credit notes), payments, reminders, recurring templates, full-text search.
-- Amounts are integer minor units of the document's currency; prices and rates,
-- which may carry more decimals, are decimal strings.

CREATE TABLE clients (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    country      TEXT NOT NULL CHECK (length(country) = 2),
    street       TEXT NOT NULL DEFAULT '',
    city         TEXT NOT NULL DEFAULT '',
    postcode     TEXT NOT NULL DEFAULT '',
    vat_id       TEXT NOT NULL DEFAULT '',
    tax_id       TEXT NOT NULL DEFAULT '',
    email        TEXT NOT NULL DEFAULT '',
    phone        TEXT NOT NULL DEFAULT '',
    language     TEXT NOT NULL DEFAULT 'en',
    currency     TEXT NOT NULL DEFAULT 'EUR',
    payment_days INTEGER NOT NULL DEFAULT 30 CHECK (payment_days BETWEEN 0 AND 365),
    created_at   TEXT NOT NULL
) STRICT;
CREATE INDEX clients_by_name ON clients (name COLLATE NOCASE, id);
CREATE INDEX clients_by_vat_id ON clients (vat_id) WHERE vat_id <> '';

CREATE TABLE items (
    id           INTEGER PRIMARY KEY,
    description  TEXT NOT NULL CHECK (length(description) BETWEEN 1 AND 500),
    unit         TEXT NOT NULL,
    net_price    TEXT NOT NULL,
    currency     TEXT NOT NULL,
    vat_category TEXT NOT NULL,
    vat_rate     TEXT,
    created_at   TEXT NOT NULL
) STRICT;
CREATE INDEX items_by_description ON items (description COLLATE NOCASE, id);

CREATE TABLE series (
    doc_type     TEXT PRIMARY KEY CHECK (doc_type IN ('quote', 'invoice', 'credit_note')),
    pattern      TEXT NOT NULL,
    yearly_reset INTEGER NOT NULL CHECK (yearly_reset IN (0, 1))
) STRICT;
INSERT INTO series (doc_type, pattern, yearly_reset) VALUES
    ('invoice', 'INV-{YYYY}-{SEQ:04}', 1),
    ('credit_note', 'CN-{YYYY}-{SEQ:04}', 1),
    ('quote', 'Q-{YYYY}-{SEQ:04}', 1);

-- The last number drawn per series and period (the year with a yearly reset, else 0).
-- Drawn in the transaction that issues the document: a failed issue rolls it back.
CREATE TABLE counters (
    doc_type TEXT NOT NULL REFERENCES series (doc_type),
    period   INTEGER NOT NULL,
    last     INTEGER NOT NULL CHECK (last > 0),
    PRIMARY KEY (doc_type, period)
) STRICT;

CREATE TABLE recurring_templates (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    client_id  INTEGER NOT NULL REFERENCES clients (id),
    content    TEXT NOT NULL,
    frequency  TEXT NOT NULL CHECK (frequency IN ('monthly', 'quarterly', 'yearly')),
    anchor_day INTEGER NOT NULL CHECK (anchor_day BETWEEN 1 AND 31),  -- 31: the month's last
    next_date  TEXT NOT NULL,
    end_date   TEXT,
    active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at TEXT NOT NULL
) STRICT;

CREATE TABLE documents (
    id              INTEGER PRIMARY KEY,
    type            TEXT NOT NULL CHECK (type IN ('quote', 'invoice', 'credit_note')),
    status          TEXT NOT NULL CHECK (status IN
                        ('draft', 'issued', 'partially_paid', 'paid', 'cancelled', 'converted')),
    number          TEXT UNIQUE,
    client_id       INTEGER NOT NULL REFERENCES clients (id),
    issue_date      TEXT NOT NULL,
    due_date        TEXT,
    currency        TEXT NOT NULL,
    total_minor     INTEGER NOT NULL,                 -- BT-112
    due_minor       INTEGER NOT NULL,                 -- BT-115, as issued
    paid_minor      INTEGER NOT NULL DEFAULT 0 CHECK (paid_minor >= 0),
    credited_minor  INTEGER NOT NULL DEFAULT 0 CHECK (credited_minor >= 0),
    content         TEXT NOT NULL,                    -- the invoice JSON (DESIGN.md section 4)
    seller          TEXT,                             -- the seller profile when it was issued
    preceding_id    INTEGER REFERENCES documents (id),  -- the invoice a credit note corrects
    quote_id        INTEGER REFERENCES documents (id),  -- the quote an invoice came from
    template_id     INTEGER REFERENCES recurring_templates (id),
    template_period TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    issued_at       TEXT,
    CHECK ((status = 'draft') = (number IS NULL)),
    UNIQUE (template_id, template_period)
) STRICT;
CREATE INDEX documents_by_date ON documents (type, issue_date DESC, id DESC);
CREATE INDEX documents_by_status ON documents (type, status, issue_date DESC, id DESC);
CREATE INDEX documents_by_client ON documents (client_id, issue_date DESC, id DESC);
-- One index per sort the lists offer (store/documents.py SORTS), so every page is a seek.
CREATE INDEX documents_by_total ON documents (type, total_minor DESC, id DESC);
CREATE INDEX documents_by_due ON documents (type, coalesce(due_date, issue_date), id);
CREATE INDEX documents_by_number ON documents (type, coalesce(number, '') DESC, id DESC);
CREATE INDEX documents_open_by_due_date ON documents (due_date, id)
    WHERE status IN ('issued', 'partially_paid');
CREATE INDEX documents_by_preceding ON documents (preceding_id) WHERE preceding_id IS NOT NULL;

-- What is issued stays as it was issued: corrections are credit notes.
CREATE TRIGGER documents_issued_are_frozen BEFORE UPDATE ON documents
WHEN OLD.status <> 'draft' AND (
    NEW.status = 'draft' OR NEW.type IS NOT OLD.type OR NEW.number IS NOT OLD.number
    OR NEW.client_id IS NOT OLD.client_id OR NEW.issue_date IS NOT OLD.issue_date
    OR NEW.due_date IS NOT OLD.due_date OR NEW.currency IS NOT OLD.currency
    OR NEW.total_minor IS NOT OLD.total_minor OR NEW.due_minor IS NOT OLD.due_minor
    OR NEW.content IS NOT OLD.content OR NEW.seller IS NOT OLD.seller
    OR NEW.preceding_id IS NOT OLD.preceding_id OR NEW.issued_at IS NOT OLD.issued_at)
BEGIN
    SELECT RAISE(ABORT, 'an issued document cannot be changed; correct it with a credit note');
END;

CREATE TRIGGER documents_issued_are_kept BEFORE DELETE ON documents
WHEN OLD.status <> 'draft'
BEGIN
    SELECT RAISE(ABORT, 'an issued document cannot be deleted; cancel it with a credit note');
END;

CREATE TABLE payments (
    id           INTEGER PRIMARY KEY,
    document_id  INTEGER NOT NULL REFERENCES documents (id),
    paid_on      TEXT NOT NULL,
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    method       TEXT NOT NULL
                 CHECK (method IN ('bank_transfer', 'card', 'cash', 'cheque', 'direct_debit', 'other')),
    reference    TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL
) STRICT;
CREATE INDEX payments_by_document ON payments (document_id);
CREATE INDEX payments_by_date ON payments (paid_on DESC, id DESC);

CREATE TRIGGER payments_are_kept BEFORE DELETE ON payments
BEGIN SELECT RAISE(ABORT, 'a recorded payment cannot be deleted'); END;
CREATE TRIGGER payments_are_frozen BEFORE UPDATE ON payments
BEGIN SELECT RAISE(ABORT, 'a recorded payment cannot be changed'); END;

CREATE TABLE reminders (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents (id),
    level       INTEGER NOT NULL CHECK (level BETWEEN 1 AND 3),
    fee_minor   INTEGER NOT NULL DEFAULT 0 CHECK (fee_minor >= 0),
    sent_on     TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    UNIQUE (document_id, level)
) STRICT;

-- Full-text search over numbers, buyer names and line descriptions (contentless:
-- the text stays in `documents`; the index holds tokens only).
CREATE VIRTUAL TABLE documents_fts USING fts5 (
    number, buyer, lines, content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
    INSERT INTO documents_fts (rowid, number, buyer, lines) VALUES (
        NEW.id, coalesce(NEW.number, ''), json_extract(NEW.content, '$.buyer.name'),
        (SELECT group_concat(json_extract(value, '$.description'), ' ')
           FROM json_each(NEW.content, '$.lines')));
END;
CREATE TRIGGER documents_fts_update AFTER UPDATE OF number, content ON documents BEGIN
    DELETE FROM documents_fts WHERE rowid = OLD.id;
    INSERT INTO documents_fts (rowid, number, buyer, lines) VALUES (
        NEW.id, coalesce(NEW.number, ''), json_extract(NEW.content, '$.buyer.name'),
        (SELECT group_concat(json_extract(value, '$.description'), ' ')
           FROM json_each(NEW.content, '$.lines')));
END;
CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN
    DELETE FROM documents_fts WHERE rowid = OLD.id;
END;

CREATE VIRTUAL TABLE clients_fts USING fts5 (
    name, email, vat_id, city, content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER clients_fts_insert AFTER INSERT ON clients BEGIN
    INSERT INTO clients_fts (rowid, name, email, vat_id, city)
    VALUES (NEW.id, NEW.name, NEW.email, NEW.vat_id, NEW.city);
END;
CREATE TRIGGER clients_fts_update AFTER UPDATE ON clients BEGIN
    DELETE FROM clients_fts WHERE rowid = OLD.id;
    INSERT INTO clients_fts (rowid, name, email, vat_id, city)
    VALUES (NEW.id, NEW.name, NEW.email, NEW.vat_id, NEW.city);
END;
