package store

import (
	"context"
	"database/sql/driver"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// broadcastChannel is the PostgreSQL channel guichet's processes tell each
// other about committed changes on. Channels are per database, not per
// schema: the schema's name keeps two deployments (or two tests) sharing a
// database from hearing each other.
func (s *Store) broadcastChannel(ctx context.Context) (string, error) {
	s.channelMu.Lock()
	defer s.channelMu.Unlock()
	if s.channelName == "" {
		var schema string
		if err := s.wdb.QueryRowContext(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
			return "", err
		}
		s.channelName = "guichet_live_" + schema
	}
	return s.channelName, nil
}

// Shared reports whether other processes may write to this database
// (PostgreSQL), so that what one commits must be told to the others.
func (s *Store) Shared() bool { return s.dialect.name() == "postgres" }

// Broadcast sends payload to every process listening on this database
// (PostgreSQL NOTIFY, at most 8 000 bytes); on SQLite, which one process
// owns, it does nothing.
func (s *Store) Broadcast(ctx context.Context, payload string) error {
	if !s.Shared() {
		return nil
	}
	name, err := s.broadcastChannel(ctx)
	if err != nil {
		return fmt.Errorf("broadcast: %w", err)
	}
	if _, err := s.wdb.ExecContext(ctx, `SELECT pg_notify($1, $2)`, name, payload); err != nil {
		return fmt.Errorf("broadcast: %w", err)
	}
	return nil
}

// Listen calls fn with every payload broadcast on this database, its own
// included, until ctx ends. It holds one connection of the pool while it
// listens and takes another when that one breaks. On SQLite it returns at
// once.
func (s *Store) Listen(ctx context.Context, fn func(payload string)) error {
	if !s.Shared() {
		return nil
	}
	wait := time.Second
	for ctx.Err() == nil {
		err := s.listenOnce(ctx, fn)
		if ctx.Err() != nil {
			break
		}
		s.log("listen for broadcasts", err)
		select {
		case <-time.After(wait):
		case <-ctx.Done():
		}
		wait = min(2*wait, 30*time.Second)
	}
	return ctx.Err()
}

func (s *Store) listenOnce(ctx context.Context, fn func(payload string)) error {
	name, err := s.broadcastChannel(ctx)
	if err != nil {
		return err
	}
	conn, err := s.wdb.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	// However it ends, the connection is dropped rather than handed back
	// to the pool still listening (it would pile notifications up).
	return conn.Raw(func(dc any) error {
		c := dc.(*stdlib.Conn).Conn()
		if _, err := c.Exec(ctx, `LISTEN `+pgx.Identifier{name}.Sanitize()); err != nil {
			return fmt.Errorf("%w (%w)", err, driver.ErrBadConn)
		}
		for {
			n, err := c.WaitForNotification(ctx)
			if err != nil {
				return fmt.Errorf("%w (%w)", err, driver.ErrBadConn)
			}
			fn(n.Payload)
		}
	})
}
