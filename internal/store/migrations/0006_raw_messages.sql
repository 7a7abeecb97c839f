-- Small raw messages (the great majority) live in the database, written in
-- the same transaction as their parsed form: one file per message cost more
-- than fetching it. Large ones stay in the content-addressed folder.
CREATE TABLE raw_messages (
    sha256  TEXT PRIMARY KEY,
    data    BLOB NOT NULL
) WITHOUT ROWID;

-- A mail's search document is found by its message row (re-indexing, and
-- the delete trigger); without this every message written scanned them all.
CREATE INDEX search_docs_by_ref ON search_docs (kind, ref);
