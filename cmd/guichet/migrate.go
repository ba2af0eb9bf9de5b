package main

import (
	"context"
	"fmt"
	"io"

	"guichet/internal/store"
)

func migrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, c := newFlags("migrate", stderr)
	if err := fs.Parse(args); err != nil {
		return err
	}
	s, err := store.Open(ctx, c.dsn())
	if err != nil {
		return err
	}
	defer s.Close()
	applied, err := s.Migrate(ctx)
	for _, name := range applied {
		fmt.Fprintln(stdout, "appliquée :", name)
	}
	if err != nil {
		return err
	}
	if len(applied) == 0 {
		fmt.Fprintln(stdout, "base à jour :", c.describe())
	}
	return nil
}
