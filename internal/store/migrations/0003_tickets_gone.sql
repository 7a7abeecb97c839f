-- Tickets deleted on GitLab (or no longer visible to the token) are marked
-- with the time the app found out, not dropped: their local history stays
-- readable, and every list leaves them out.
ALTER TABLE tickets ADD COLUMN gone_at INTEGER;
