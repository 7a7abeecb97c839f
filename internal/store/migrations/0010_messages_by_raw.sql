-- Raw messages no message refers to any more are removed after a sync
-- (store.CollectGarbage); this finds a raw message's users without a scan.
CREATE INDEX messages_by_raw ON messages (raw_sha256);
