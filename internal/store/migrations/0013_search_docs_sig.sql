-- What a search document was indexed from (a digest of its title and
-- body): re-saving a ticket re-indexes only the documents whose text
-- changed, not its whole thread. Documents from before have none and are
-- indexed again once.
ALTER TABLE search_docs ADD COLUMN sig TEXT NOT NULL DEFAULT '';
