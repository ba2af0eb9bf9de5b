package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"

	"guichet/internal/blob"
	"guichet/internal/desk"
	"guichet/internal/store"
	"guichet/internal/web/live"
)

// uiRoutes registers the agents' pages. (Wired once the ui package lands.)
func uiRoutes(d *desk.Desk, hub *live.Hub, log *slog.Logger, secure bool) func(*http.ServeMux) {
	return nil
}

func loadDemo(ctx context.Context, s *store.Store, blobs *blob.Local, stdout io.Writer) error {
	fmt.Fprintln(stdout, "données de démonstration : pas encore disponibles")
	return nil
}

func benchCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return fmt.Errorf("bench : pas encore disponible")
}
