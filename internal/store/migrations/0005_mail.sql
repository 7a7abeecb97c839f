-- The brand's mailbox: folders with their IMAP cursors, messages (parsed;
-- the raw message lives in the content-addressed folder beside the
-- database), attachments, the links from mail to tickets and the reply keys
-- learned from mail. Links are keyed by the RFC Message-ID, so they survive
-- a UIDVALIDITY change or a message expunged and appended again.

CREATE TABLE mail_folders (
    id             INTEGER PRIMARY KEY,
    account_id     INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name           TEXT    NOT NULL,
    special_use    TEXT    NOT NULL DEFAULT '',
    uidvalidity    INTEGER NOT NULL DEFAULT 0,
    uidnext        INTEGER NOT NULL DEFAULT 0,
    highestmodseq  INTEGER NOT NULL DEFAULT 0,
    UNIQUE (account_id, name)
);

CREATE TABLE messages (
    id              INTEGER PRIMARY KEY,
    folder_id       INTEGER NOT NULL REFERENCES mail_folders(id) ON DELETE CASCADE,
    uidvalidity     INTEGER NOT NULL,
    uid             INTEGER NOT NULL,
    message_id      TEXT    NOT NULL, -- without <>; derived from the content when the mail has none
    flags           TEXT    NOT NULL DEFAULT '[]',
    size            INTEGER NOT NULL DEFAULT 0,
    raw_sha256      TEXT    NOT NULL,
    subject         TEXT    NOT NULL DEFAULT '',
    from_name       TEXT    NOT NULL DEFAULT '',
    from_addr       TEXT    NOT NULL DEFAULT '',
    to_addrs        TEXT    NOT NULL DEFAULT '[]', -- JSON [{name, email}]
    cc_addrs        TEXT    NOT NULL DEFAULT '[]',
    date            INTEGER NOT NULL DEFAULT 0,
    in_reply_to     TEXT    NOT NULL DEFAULT '[]',
    refs            TEXT    NOT NULL DEFAULT '[]',
    reply_keys      TEXT    NOT NULL DEFAULT '[]',
    auto_submitted  INTEGER NOT NULL DEFAULT 0,
    body_text       TEXT    NOT NULL DEFAULT '',
    stripped        TEXT    NOT NULL DEFAULT '',
    has_html        INTEGER NOT NULL DEFAULT 0,
    broken          INTEGER NOT NULL DEFAULT 0,
    problem         TEXT    NOT NULL DEFAULT '',
    UNIQUE (folder_id, uidvalidity, uid)
);
CREATE INDEX messages_by_message_id ON messages (message_id);
CREATE INDEX messages_by_date ON messages (date DESC);

CREATE TABLE attachments (
    message_row   INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    name          TEXT    NOT NULL,
    content_type  TEXT    NOT NULL DEFAULT '',
    content_id    TEXT    NOT NULL DEFAULT '',
    inline        INTEGER NOT NULL DEFAULT 0,
    size          INTEGER NOT NULL DEFAULT 0,
    sha256        TEXT    NOT NULL
);
CREATE INDEX attachments_by_message ON attachments (message_row);

CREATE TABLE message_links (
    message_id  TEXT    PRIMARY KEY,
    project_id  INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    iid         INTEGER NOT NULL,
    rule        TEXT    NOT NULL,
    linked_at   INTEGER NOT NULL
);
CREATE INDEX message_links_by_ticket ON message_links (project_id, iid);

CREATE TABLE reply_keys (
    key         TEXT    PRIMARY KEY, -- 32 lower-case hex
    project_id  INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    iid         INTEGER NOT NULL
);

-- The linker's "customer and time window" rule.
CREATE INDEX tickets_by_customer ON tickets (project_id, lower(customer), created_at);

-- A message that goes (expunged, or its folder reset) takes its search
-- document with it, and that its FTS row.
CREATE TRIGGER messages_delete AFTER DELETE ON messages BEGIN
    DELETE FROM search_docs WHERE kind = 'mail' AND ref = old.id;
END;
