-- foreign_keys: off
-- Accounts of every kind (GitLab, IMAP mailbox, SMTP identity), and a search
-- index whose rows are found by ticket through an indexed table instead of
-- a scan of the FTS table. Rebuilds accounts (SQLite cannot alter a CHECK),
-- so it runs with foreign keys off and is checked before commit.

CREATE TABLE accounts_new (
    id            INTEGER PRIMARY KEY,
    kind          TEXT    NOT NULL CHECK (kind IN ('gitlab', 'imap', 'smtp')),
    name          TEXT    NOT NULL,
    url           TEXT    NOT NULL DEFAULT '',
    username      TEXT    NOT NULL DEFAULT '',
    host          TEXT    NOT NULL DEFAULT '',
    port          INTEGER NOT NULL DEFAULT 0,
    security      TEXT    NOT NULL DEFAULT '' CHECK (security IN ('', 'tls', 'starttls', 'none')),
    login         TEXT    NOT NULL DEFAULT '',
    project_id    INTEGER REFERENCES projects(id) ON DELETE SET NULL,
    folders       TEXT    NOT NULL DEFAULT '[]', -- JSON array of folder names (imap)
    from_address  TEXT    NOT NULL DEFAULT '',
    from_name     TEXT    NOT NULL DEFAULT '',
    delivery      TEXT    NOT NULL DEFAULT '' CHECK (delivery IN ('', 'gitlab', 'smtp')),
    created_at    INTEGER NOT NULL
);
INSERT INTO accounts_new (id, kind, name, url, username, created_at)
    SELECT id, kind, name, url, username, created_at FROM accounts;
DROP TABLE accounts;
ALTER TABLE accounts_new RENAME TO accounts;
CREATE INDEX accounts_by_project ON accounts (project_id);

-- Every row of the FTS index has a document here with the same id.
CREATE TABLE search_docs (
    id         INTEGER PRIMARY KEY,
    kind       TEXT    NOT NULL, -- ticket, note
    ref        INTEGER NOT NULL, -- ticket id or note id
    ticket_id  INTEGER REFERENCES tickets(id) ON DELETE CASCADE
);
CREATE INDEX search_docs_by_ticket ON search_docs (ticket_id);

DROP TABLE search;
CREATE VIRTUAL TABLE search USING fts5(
    title,
    body,
    tokenize = 'unicode61 remove_diacritics 2'
);

INSERT INTO search_docs (kind, ref, ticket_id) SELECT 'ticket', id, id FROM tickets;
INSERT INTO search_docs (kind, ref, ticket_id) SELECT 'note', id, ticket_id FROM notes WHERE system = 0;
INSERT INTO search (rowid, title, body)
    SELECT d.id, t.title || ' ' || t.customer || ' ' || (SELECT group_concat(value, ' ') FROM json_each(t.labels)), t.description
    FROM search_docs d JOIN tickets t ON t.id = d.ref WHERE d.kind = 'ticket';
INSERT INTO search (rowid, title, body)
    SELECT d.id, '', n.body FROM search_docs d JOIN notes n ON n.id = d.ref WHERE d.kind = 'note';

-- Removing a document (directly or by a cascade from its ticket) removes
-- its row from the FTS index.
CREATE TRIGGER search_docs_delete AFTER DELETE ON search_docs BEGIN
    DELETE FROM search WHERE rowid = old.id;
END;

-- The list pane's order within a view.
CREATE INDEX tickets_by_state_updated ON tickets (state, updated_at DESC, id DESC);

-- The profile's own key: keychain items are named with it, so two profiles
-- (two data folders) of one agent never share an item.
CREATE TABLE profile (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    key  TEXT    NOT NULL
);
INSERT INTO profile (id, key) VALUES (1, lower(hex(randomblob(8))));
