-- A project's labels and members, for the label and assign pickers. Read
-- with the deletion pass (every 30 minutes) and when a project is added.
CREATE TABLE labels (
    project_id   INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    name         TEXT    NOT NULL,
    color        TEXT    NOT NULL DEFAULT '',
    description  TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (project_id, name)
);

CREATE TABLE members (
    project_id  INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL,
    username    TEXT    NOT NULL,
    name        TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (project_id, user_id)
);
