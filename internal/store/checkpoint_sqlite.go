package store

import (
	"context"
	"database/sql"
	"os"
	"time"
)

// checkpointer copies SQLite's write-ahead log into the database file from a
// connection of its own, every second, instead of the writer doing it inside
// the commit that crosses the log's threshold (a third of a small ingest's
// commit time): on two cores it runs beside the next write. A log grown past
// walLimit is checkpointed in full and truncated, when a second goes by
// without a commit or once it is four times that.
//
// Under a steady ingest the log is never reused by itself: SQLite starts it
// over only when a commit finds it all copied and no reader in it, and the
// search indexer reads after every commit. TRUNCATE holds off the writer
// while it copies what is left, and it first waits for the writer's lock
// while commits keep coming: a second's log to copy, a stall of half a
// second. So the log is truncated when the writer rests, or it is first
// copied without a lock, then truncated on the writer's own connection,
// taken from its pool between two commits, the indexer paused between two
// of its runs when it can be: what is left is one commit's pages and the
// web's short reads.
type checkpointer struct {
	db     *sql.DB
	writer *sql.DB      // the store's one writing connection
	search *searchIndex // its reads of the log are paused for a truncation
	wal    string
	stop   chan struct{}
	done   chan struct{}
}

// walLimit is a variable for the tests.
var walLimit int64 = 256 << 20

func startCheckpointer(path, pragmas string, writer *sql.DB, search *searchIndex) (*checkpointer, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?"+pragmas)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	c := &checkpointer{db: db, writer: writer, search: search, wal: path + "-wal", stop: make(chan struct{}), done: make(chan struct{})}
	go c.run()
	return c, nil
}

func (c *checkpointer) run() {
	defer close(c.done)
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	var lastWrite time.Time
	for {
		select {
		case <-c.stop:
			return
		case <-tick.C:
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		c.db.ExecContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`) // best effort: the next tick tries again
		if fi, err := os.Stat(c.wal); err == nil {
			// Past the limit, at the first second without a commit (the
			// file unchanged since the last tick), or at once four times
			// past it.
			if size := fi.Size(); size > 4*walLimit || (size > walLimit && fi.ModTime().Equal(lastWrite)) {
				c.truncate(ctx)
			}
			lastWrite = fi.ModTime()
		}
		cancel()
	}
}

// truncate checkpoints the log in full and empties it, on the writer's
// connection: no commit waits longer than that takes.
func (c *checkpointer) truncate(ctx context.Context) {
	// Between two of the indexer's runs if it rests (TRUNCATE then waits for
	// no reader of it), else beside it. Not its lock (mu): a search takes
	// that inside its read transaction, which TRUNCATE would wait for.
	if c.search != nil && c.search.pause.TryLock() {
		defer c.search.pause.Unlock()
	}
	conn, err := c.writer.Conn(ctx)
	if err != nil {
		return
	}
	defer conn.Close()
	// Waiting for readers holds the writer: a tenth of a second at most,
	// else the next tick tries again.
	if _, err := conn.ExecContext(ctx, `PRAGMA busy_timeout = 100`); err != nil {
		return
	}
	conn.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	conn.ExecContext(ctx, `PRAGMA busy_timeout = 10000`) // the writer's, as opened
}

// close stops the checkpointer and checkpoints what is left.
func (c *checkpointer) close() error {
	close(c.stop)
	<-c.done
	c.db.Exec(`PRAGMA wal_checkpoint(PASSIVE)`)
	return c.db.Close()
}
