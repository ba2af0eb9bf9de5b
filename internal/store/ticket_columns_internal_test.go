package store

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
)

// TestTicketTableCoversTickets: ticketTable names every column of the
// tickets table, in order, so that a new column cannot be left out of the
// statements built from it.
func TestTicketTableCoversTickets(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "guichet.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	rows, err := s.DB().QueryContext(ctx, `SELECT * FROM tickets LIMIT 0`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, ticketAllColumns) {
		t.Errorf("tickets has columns %v\nticketTable names %v", got, ticketAllColumns)
	}
}
