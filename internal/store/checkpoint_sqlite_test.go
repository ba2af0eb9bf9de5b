package store

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The write-ahead log stays bounded under writes that never stop (no
// reader lets SQLite reuse it: the search indexer reads after every commit)
// and is emptied once the writes rest.
func TestCheckpointerBoundsTheLog(t *testing.T) {
	old := walLimit
	walLimit = 1 << 20
	t.Cleanup(func() { walLimit = old })
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "guichet.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.wdb.ExecContext(ctx, `CREATE TABLE filler (id INTEGER PRIMARY KEY, body TEXT)`); err != nil {
		t.Fatal(err)
	}
	walSize := func() int64 {
		fi, err := os.Stat(path + "-wal")
		if err != nil {
			return 0
		}
		return fi.Size()
	}
	// Short reads one after the other, as the search indexer's after each
	// commit: SQLite never finds the log free to start it over by itself.
	stop, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		for {
			select {
			case <-stop:
				return
			default:
			}
			tx, err := s.rdb.BeginTx(ctx, nil)
			if err != nil {
				continue
			}
			var n int
			tx.QueryRowContext(ctx, `SELECT count(*) FROM filler`).Scan(&n)
			time.Sleep(40 * time.Millisecond)
			tx.Rollback()
		}
	}()
	body := strings.Repeat("x", 64<<10)
	write := func() { // some 70 kB of log
		t.Helper()
		if _, err := s.wdb.ExecContext(ctx, `INSERT INTO filler (body) VALUES ($1)`, body); err != nil {
			t.Fatal(err)
		}
	}
	for walSize() <= 2*walLimit {
		write()
	}
	// Writes that go on, 1 MB/s for some seconds (the checkpointer looks
	// every second): the log is never truncated before four times the limit
	// (a truncation holds the writer), and stays within about that (SQLite
	// may also start it over by itself between two reads).
	var peak, most int64
	for range 8 * walLimit / (64 << 10) {
		write()
		size := walSize()
		if size < peak && peak <= 4*walLimit {
			t.Fatalf("truncated at %d bytes while writes went on: the writer waited for it before 4 × %d", peak, walLimit)
		}
		peak = size
		most = max(most, size)
		time.Sleep(60 * time.Millisecond)
	}
	if most > 6*walLimit {
		t.Errorf("the log grew to %d bytes under steady writes; want it kept near 4 × %d", most, walLimit)
	}
	// Writes that rest (and the reads with them): the log is emptied.
	for walSize() <= walLimit {
		write()
	}
	close(stop)
	<-stopped
	deadline := time.Now().Add(30 * time.Second)
	for walSize() != 0 {
		if time.Now().After(deadline) {
			t.Fatalf("the log still holds %d bytes after the writes stopped", walSize())
		}
		time.Sleep(50 * time.Millisecond)
	}
}
