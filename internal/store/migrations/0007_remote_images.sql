-- Remote images the agent allowed in mail: for one message (keyed by its
-- RFC Message-ID like message_links, so the choice survives a UIDVALIDITY
-- change or the message expunged and appended again), or for every mail
-- from a sender address (lower-case).
CREATE TABLE remote_images_messages (
    message_id  TEXT    PRIMARY KEY,
    allowed_at  INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE remote_images_senders (
    address     TEXT    PRIMARY KEY,
    allowed_at  INTEGER NOT NULL
) WITHOUT ROWID;
