-- Accounts, projects, tickets, notes, sync cursors and the search index.
-- Times are Unix milliseconds (UTC). No table holds a secret.

CREATE TABLE accounts (
    id          INTEGER PRIMARY KEY,
    kind        TEXT    NOT NULL CHECK (kind IN ('gitlab')),
    name        TEXT    NOT NULL,
    url         TEXT    NOT NULL,
    username    TEXT    NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL
);

CREATE TABLE projects (
    id                    INTEGER PRIMARY KEY,
    account_id            INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    gitlab_id             INTEGER NOT NULL,
    path                  TEXT    NOT NULL,
    name                  TEXT    NOT NULL,
    web_url               TEXT    NOT NULL DEFAULT '',
    service_desk_enabled  INTEGER NOT NULL DEFAULT 0,
    service_desk_address  TEXT    NOT NULL DEFAULT '',
    UNIQUE (account_id, gitlab_id)
);

CREATE TABLE tickets (
    id                INTEGER PRIMARY KEY,
    project_id        INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    gitlab_id         INTEGER NOT NULL,
    iid               INTEGER NOT NULL,
    title             TEXT    NOT NULL,
    description       TEXT    NOT NULL DEFAULT '',
    state             TEXT    NOT NULL,
    customer          TEXT    NOT NULL DEFAULT '',
    labels            TEXT    NOT NULL DEFAULT '[]', -- JSON array of names
    assignees         TEXT    NOT NULL DEFAULT '[]', -- JSON array of usernames
    milestone         TEXT    NOT NULL DEFAULT '',
    confidential      INTEGER NOT NULL DEFAULT 0,
    issue_type        TEXT    NOT NULL DEFAULT '',
    web_url           TEXT    NOT NULL DEFAULT '',
    user_notes_count  INTEGER NOT NULL DEFAULT 0,
    moved_to_id       INTEGER NOT NULL DEFAULT 0,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    closed_at         INTEGER,
    last_public_kind  TEXT    NOT NULL DEFAULT 'customer',
    last_public_at    INTEGER NOT NULL DEFAULT 0,
    snippet           TEXT    NOT NULL DEFAULT '',
    UNIQUE (project_id, iid)
);
CREATE INDEX tickets_by_activity ON tickets (state, last_public_at DESC);
CREATE INDEX tickets_by_updated ON tickets (project_id, updated_at);

CREATE TABLE notes (
    id           INTEGER PRIMARY KEY, -- GitLab's note id
    ticket_id    INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    author       TEXT    NOT NULL,
    author_name  TEXT    NOT NULL DEFAULT '',
    body         TEXT    NOT NULL,
    system       INTEGER NOT NULL DEFAULT 0,
    internal     INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE INDEX notes_by_ticket ON notes (ticket_id, created_at);

-- One cursor per project and kind of sync ("issues"): an opaque value the
-- syncer owns (for GitLab, the newest updated_at seen).
CREATE TABLE sync_cursors (
    project_id  INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    kind        TEXT    NOT NULL,
    value       TEXT    NOT NULL,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (project_id, kind)
);

-- Full-text search over tickets (title + description) and notes. kind is
-- 'ticket' or 'note'; ref is the ticket id or the note id.
CREATE VIRTUAL TABLE search USING fts5(
    kind UNINDEXED,
    ref UNINDEXED,
    ticket_id UNINDEXED,
    title,
    body,
    tokenize = 'unicode61 remove_diacritics 2'
);
