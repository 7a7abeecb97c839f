-- A message the linker has tried since it was stored. Linking runs at the
-- end of a mail sync; a sync that stops before it (killed, cancelled, an
-- error) leaves its new messages unchecked, and the next sync tries them.
ALTER TABLE messages ADD COLUMN link_checked INTEGER NOT NULL DEFAULT 0;
UPDATE messages SET link_checked = 1;
CREATE INDEX messages_link_unchecked ON messages (id) WHERE link_checked = 0;
