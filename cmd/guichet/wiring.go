package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"text/tabwriter"
	"time"

	"guichet/internal/blob"
	"guichet/internal/demo"
	"guichet/internal/desk"
	"guichet/internal/store"
	"guichet/internal/web/live"
	"guichet/internal/web/ui"
)

// uiRoutes registers the agents' pages.
func uiRoutes(d *desk.Desk, hub *live.Hub, log *slog.Logger, secure bool) func(*http.ServeMux) {
	return func(mux *http.ServeMux) {
		ui.Register(mux, ui.Deps{Desk: d, Hub: hub, Log: log, SecureCookies: secure})
	}
}

// loadDemo fills an empty database with the demo data and prints its logins;
// on a database that has tickets it does nothing (serve --demo at every start).
func loadDemo(ctx context.Context, s *store.Store, blobs *blob.Local, stdout io.Writer) error {
	sum, err := demo.Load(ctx, s, blobs, time.Now())
	if errors.Is(err, demo.ErrNotEmpty) {
		fmt.Fprintln(stdout, "Démonstration : la base contient déjà des tickets, rien n'est ajouté.")
		return nil
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Démonstration chargée : %d canaux, %d agents, %d réponses par défaut, %d tickets, %d messages.\nComptes :\n",
		sum.Channels, sum.Agents, sum.Templates, sum.Tickets, sum.Messages)
	tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
	for _, l := range sum.Logins {
		fmt.Fprintf(tw, "  %s\t%s\t%s\tmot de passe : %s\n", l.Email, l.Name, l.Role, l.Password)
	}
	return tw.Flush()
}

func benchCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return fmt.Errorf("bench : pas encore disponible")
}
