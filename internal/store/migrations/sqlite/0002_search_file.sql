-- Full-text search moves to a file of its own (guichet.search.db), fed after
-- the fact by an indexer (store/search_sqlite.go): written in each use
-- case's transaction, FTS5's segment merges were most of an ingest's time.
-- The indexer finds new messages by id; tickets whose own fields changed are
-- queued here, in the transaction of the change. The new file is built from
-- the main database at the first start.
DROP TABLE search_fts;
DROP TABLE search_terms;
CREATE TABLE search_queue (
	id        INTEGER PRIMARY KEY,
	ticket_id INTEGER NOT NULL
);
