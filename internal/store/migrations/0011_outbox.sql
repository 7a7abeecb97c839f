-- The outbox (DESIGN section 5): every change the agent makes to a ticket
-- or sends to a customer is a row first, and leaves from here. Each step of
-- an op is its own transaction; see store/outbox.go.
ALTER TABLE accounts ADD COLUMN signature TEXT NOT NULL DEFAULT '';

CREATE TABLE outbox_ops (
    seq         INTEGER PRIMARY KEY,            -- queue order
    id          TEXT    NOT NULL UNIQUE,        -- random; the marker on the GitLab note
    project_id  INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    iid         INTEGER NOT NULL,
    kind        TEXT    NOT NULL,
    payload     TEXT    NOT NULL,               -- model.OpPayload as JSON
    state       TEXT    NOT NULL,
    reason      TEXT    NOT NULL DEFAULT '',
    retryable   INTEGER NOT NULL DEFAULT 0,
    attempts    INTEGER NOT NULL DEFAULT 0,
    not_before  INTEGER NOT NULL DEFAULT 0,     -- end of the undo window / send-later time (ms)
    next_try_at INTEGER NOT NULL DEFAULT 0,
    delivery    TEXT    NOT NULL DEFAULT '',
    message_id  TEXT    NOT NULL DEFAULT '',    -- fixed when queued (smtp)
    raw         BLOB,                           -- the mail as composed, stored before SMTP DATA
    data_at     INTEGER NOT NULL DEFAULT 0,     -- DATA may have begun: never resend silently
    answers_at  INTEGER NOT NULL DEFAULT 0,
    note_id     INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX outbox_by_ticket ON outbox_ops (project_id, iid);
CREATE INDEX outbox_by_state ON outbox_ops (state);

CREATE TABLE drafts (
    project_id  INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    iid         INTEGER NOT NULL,
    body        TEXT    NOT NULL DEFAULT '',
    internal    INTEGER NOT NULL DEFAULT 0,
    answers_at  INTEGER NOT NULL DEFAULT 0,
    saved_at    INTEGER NOT NULL,
    PRIMARY KEY (project_id, iid)
);
