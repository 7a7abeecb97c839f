-- The search index keeps no copy of the text it indexes: every document's
-- text already lives in its own row (tickets, notes, messages), and the
-- copy doubled what a mail sync wrote. Snippets are cut from those rows
-- (store.Search). contentless_delete lets a document be removed by rowid;
-- detail = column keeps no word positions (search matches words, not
-- phrases), which halves what a query reads.
DROP TRIGGER search_docs_delete;
DROP TABLE search;

-- Document ids grow with the document's date (store.docIDAt: Unix ms
-- times 2^20, then the next free id), so search lists the newest matches
-- without ranking them all.
UPDATE search_docs SET id = -id;
CREATE TEMP TABLE doc_dates AS
    SELECT d.id AS old, max(coalesce(CASE d.kind
        WHEN 'ticket' THEN (SELECT created_at FROM tickets WHERE id = d.ref)
        WHEN 'note' THEN (SELECT created_at FROM notes WHERE id = d.ref)
        ELSE (SELECT date FROM messages WHERE id = d.ref) END, 0), 0) AS at
    FROM search_docs d;
UPDATE search_docs SET id = (SELECT (r.at << 20) + r.seq FROM
    (SELECT old, at, row_number() OVER (PARTITION BY at ORDER BY old DESC) - 1 AS seq FROM doc_dates) r
    WHERE r.old = search_docs.id);
DROP TABLE doc_dates;
CREATE VIRTUAL TABLE search USING fts5(
    title,
    body,
    content = '',
    contentless_delete = 1,
    detail = column,
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
