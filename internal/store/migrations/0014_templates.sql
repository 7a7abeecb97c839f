-- The agent's own reply templates (Markdown with {{variables}}), kept in
-- this profile. Shared templates come from the project's repository later.
CREATE TABLE templates (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL UNIQUE,
    body        TEXT    NOT NULL,
    updated_at  INTEGER NOT NULL
);
