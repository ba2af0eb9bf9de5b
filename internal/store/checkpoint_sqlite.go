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
// walLimit (readers kept it from being reused) is checkpointed in full and
// truncated.
type checkpointer struct {
	db   *sql.DB
	wal  string
	stop chan struct{}
	done chan struct{}
}

const walLimit = 256 << 20

func startCheckpointer(path, pragmas string) (*checkpointer, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?"+pragmas)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	c := &checkpointer{db: db, wal: path + "-wal", stop: make(chan struct{}), done: make(chan struct{})}
	go c.run()
	return c, nil
}

func (c *checkpointer) run() {
	defer close(c.done)
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-c.stop:
			return
		case <-tick.C:
		}
		mode := "PASSIVE"
		if fi, err := os.Stat(c.wal); err == nil && fi.Size() > walLimit {
			mode = "TRUNCATE"
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		c.db.ExecContext(ctx, `PRAGMA wal_checkpoint(`+mode+`)`) // best effort: the next tick tries again
		cancel()
	}
}

// close stops the checkpointer and checkpoints what is left.
func (c *checkpointer) close() error {
	close(c.stop)
	<-c.done
	c.db.Exec(`PRAGMA wal_checkpoint(PASSIVE)`)
	return c.db.Close()
}
