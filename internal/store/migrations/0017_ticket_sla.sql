-- Each open ticket's running service-level clocks under its project's
-- policy (sla.yml in the team folder), derived from the ticket and its
-- notes: when the first of them turns soon and when the first falls due.
-- Kept so the Breach soon and Breached views and their counts are lookups;
-- a row is recomputed when the ticket's updated_at or the policy's blob id
-- differs from the ones it was computed from.
CREATE TABLE ticket_sla (
    ticket_id   INTEGER PRIMARY KEY REFERENCES tickets(id) ON DELETE CASCADE,
    updated_at  INTEGER NOT NULL, -- the ticket's updated_at it was computed from
    policy      TEXT    NOT NULL, -- the policy file's blob id
    clock       TEXT    NOT NULL DEFAULT '', -- first_response or resolution: the one due first; '' when none runs
    soon_at     INTEGER,          -- the first running clock's warning; NULL: none
    due_at      INTEGER           -- the first running clock's due time; NULL: none runs
);
CREATE INDEX ticket_sla_by_due ON ticket_sla (due_at) WHERE due_at IS NOT NULL;
CREATE INDEX ticket_sla_by_soon ON ticket_sla (soon_at) WHERE soon_at IS NOT NULL;
