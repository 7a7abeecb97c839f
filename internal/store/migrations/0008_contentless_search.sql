-- The search index keeps no copy of the text it indexes: every document's
-- text already lives in its own row (tickets, notes, messages), and the
-- copy doubled what a mail sync wrote. Snippets are cut from those rows
-- (store.Search). contentless_delete lets a document be removed by rowid.
DROP TRIGGER search_docs_delete;
DROP TABLE search;
CREATE VIRTUAL TABLE search USING fts5(
    title,
    body,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);

INSERT INTO search (rowid, title, body)
    SELECT d.id, t.title || ' ' || t.customer || ' ' || coalesce((SELECT group_concat(value, ' ') FROM json_each(t.labels)), ''),
        t.description
    FROM search_docs d JOIN tickets t ON t.id = d.ref WHERE d.kind = 'ticket';
INSERT INTO search (rowid, title, body)
    SELECT d.id, '', n.body FROM search_docs d JOIN notes n ON n.id = d.ref WHERE d.kind = 'note';
INSERT INTO search (rowid, title, body)
    SELECT d.id, m.subject || ' ' || m.from_name || ' ' || m.from_addr || ' ' ||
        coalesce((SELECT group_concat((j.value ->> 'name') || ' ' || (j.value ->> 'email'), ' ') FROM json_each(m.to_addrs) j), '') || ' ' ||
        coalesce((SELECT group_concat((j.value ->> 'name') || ' ' || (j.value ->> 'email'), ' ') FROM json_each(m.cc_addrs) j), '') || ' ' ||
        coalesce((SELECT group_concat(a.name, ' ') FROM attachments a WHERE a.message_row = m.id), ''),
        m.body_text
    FROM search_docs d JOIN messages m ON m.id = d.ref WHERE d.kind = 'mail';

CREATE TRIGGER search_docs_delete AFTER DELETE ON search_docs BEGIN
    DELETE FROM search WHERE rowid = old.id;
END;
