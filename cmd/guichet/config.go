package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"guichet/internal/blob"
	"guichet/internal/desk"
	"guichet/internal/store"
)

// common holds the options every command shares.
type common struct {
	data     string
	database string
}

// newFlags returns a flag set with the common options, defaulting to the
// GUICHET_* environment variables.
func newFlags(name string, stderr io.Writer) (*flag.FlagSet, *common) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := &common{}
	fs.StringVar(&c.data, "data", env("GUICHET_DATA", "./data"), "dossier de la base SQLite et des pièces jointes")
	fs.StringVar(&c.database, "database", env("GUICHET_DATABASE", ""), "URL postgres:// (SQLite dans --data si vide)")
	return fs, c
}

func env(name, def string) string {
	if v, ok := os.LookupEnv(name); ok && v != "" {
		return v
	}
	return def
}

// dsn is the database to open: PostgreSQL when given, else SQLite in data.
func (c *common) dsn() string {
	if c.database != "" {
		return c.database
	}
	return filepath.Join(c.data, "guichet.db")
}

// describe names the database for people, without a password.
func (c *common) describe() string {
	if c.database != "" {
		return "PostgreSQL"
	}
	return "SQLite " + c.dsn()
}

// openDesk opens and migrates the database and builds the desk over it.
func (c *common) openDesk(ctx context.Context, notifier desk.Notifier) (*store.Store, *desk.Desk, *blob.Local, error) {
	if c.database != "" && !store.IsPostgres(c.database) {
		return nil, nil, nil, fmt.Errorf("--database : URL postgres:// attendue (SQLite : utilisez --data)")
	}
	s, err := store.Open(ctx, c.dsn())
	if err != nil {
		return nil, nil, nil, err
	}
	if _, err := s.Migrate(ctx); err != nil {
		s.Close()
		return nil, nil, nil, fmt.Errorf("migrations : %w", err)
	}
	blobs, err := blob.NewLocal(filepath.Join(c.data, "attachments"))
	if err != nil {
		s.Close()
		return nil, nil, nil, err
	}
	d := desk.New(desk.Config{Store: s, Blobs: blobs, Notifier: notifier})
	return s, d, blobs, nil
}
