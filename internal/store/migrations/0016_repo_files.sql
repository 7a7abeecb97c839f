-- The team's files from each project's repository (shared templates,
-- macros, rules, SLA under .gitlab/service_desk_desktop/), cached for
-- offline use and re-read only when their blob id changes.
CREATE TABLE repo_files (
    project_id  INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    path        TEXT    NOT NULL,
    blob_id     TEXT    NOT NULL,
    content     BLOB    NOT NULL,
    fetched_at  INTEGER NOT NULL,
    PRIMARY KEY (project_id, path)
);

-- The team rules this app queued for a ticket (once each; which app applies
-- it is settled on GitLab by the rule's claim note).
CREATE TABLE rule_runs (
    project_id  INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    iid         INTEGER NOT NULL,
    rule        TEXT    NOT NULL,
    queued_at   INTEGER NOT NULL,
    PRIMARY KEY (project_id, iid, rule)
);
