-- The agent's workspace: window and pane sizes and other preferences
-- (one JSON value per key), saved views (a name and a query in the search
-- box's language), and when the agent last read each ticket.
CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);

CREATE TABLE saved_views (
    id        INTEGER PRIMARY KEY,
    name      TEXT    NOT NULL UNIQUE,
    query     TEXT    NOT NULL,
    position  INTEGER NOT NULL DEFAULT 0
);

-- A ticket is unread while the customer's newest public message is newer
-- than read_at (or it was never read).
CREATE TABLE ticket_reads (
    ticket_id  INTEGER PRIMARY KEY REFERENCES tickets(id) ON DELETE CASCADE,
    read_at    INTEGER NOT NULL
);

CREATE INDEX tickets_by_created ON tickets (created_at);
CREATE INDEX tickets_by_updated_all ON tickets (updated_at);

-- Mail the agent set aside from "Mail without a ticket" (a newsletter, a
-- bounce): by Message-ID, so it stays set aside when it is re-appended.
CREATE TABLE mail_dismissed (
    message_id    TEXT PRIMARY KEY,
    dismissed_at  INTEGER NOT NULL
);
