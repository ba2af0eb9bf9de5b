package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"runtime/pprof"
	"text/tabwriter"
	"time"

	"guichet/internal/bench"
	"guichet/internal/blob"
	"guichet/internal/channel"
	"guichet/internal/demo"
	"guichet/internal/desk"
	"guichet/internal/store"
	"guichet/internal/web/live"
	"guichet/internal/web/request"
	"guichet/internal/web/ui"
)

// uiRoutes registers the agents' pages. Sync and Deliveries (ui.SyncControl,
// ui.DeliveryControl) stay nil until the sync engine is in: then both are d.
func uiRoutes(d *desk.Desk, cs *channel.Connectors, hub *live.Hub, log *slog.Logger, secure bool, proxies request.Proxies) func(*http.ServeMux) {
	return func(mux *http.ServeMux) {
		ui.Register(mux, ui.Deps{Desk: d, Connectors: cs, Sync: d, Deliveries: d, Hub: hub, Log: log, SecureCookies: secure, TrustedProxies: proxies})
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

// benchCommand fills a database of its own with generated tickets and
// measures the inbox, search, ticket views and ingestion on it.
func benchCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if loadArgs(args) {
		return loadCommand(ctx, args, stdout, stderr)
	}
	fs, c := newFlags("bench", stderr)
	var opt bench.Options
	var asJSON bool
	fs.IntVar(&opt.Tickets, "tickets", 1_000_000, "tickets générés (10 messages chacun)")
	fs.IntVar(&opt.SpanDays, "span-days", 730, "jours couverts par les tickets générés (moins : des mois plus denses)")
	fs.BoolVar(&opt.Reuse, "reuse", false, "mesurer une base remplie par un passage précédent (la compléter s'il le faut)")
	fs.Uint64Var(&opt.Seed, "seed", 1, "graine des données et des tirages")
	fs.IntVar(&opt.Samples, "samples", 500, "appels mesurés par sorte de requête")
	fs.IntVar(&opt.IngestBatches, "batches", 20, "lots ingérés à la fin (0 : aucun)")
	fs.IntVar(&opt.BatchSize, "batch-size", 500, "messages par lot")
	fs.BoolVar(&opt.SkipQueries, "skip-queries", false, "mesurer l'ingestion seulement")
	fs.StringVar(&opt.Only, "only", "", "mesurer ces requêtes seulement : inbox, search, view, dashboard (séparées par des virgules)")
	fs.BoolVar(&asJSON, "json", false, "écrire le rapport en JSON sur la sortie standard (la progression va sur l'erreur)")
	cpuProfile := fs.String("cpuprofile", "", "écrire un profil CPU (pprof) des mesures dans ce fichier")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "guichet bench [options] : remplit une base à part (--data/bench.db, ou --database) et la mesure.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if opt.IngestBatches == 0 {
		opt.IngestBatches = -1 // bench.Options: zero is the default, negative is none
	}
	opt.DSN = c.database
	if opt.DSN == "" {
		if err := os.MkdirAll(c.data, 0o755); err != nil {
			return err
		}
		opt.DSN = filepath.Join(c.data, "bench.db") // never the desk's own database
	} else if !store.IsPostgres(opt.DSN) {
		return fmt.Errorf("--database : URL postgres:// attendue (SQLite : utilisez --data)")
	}
	progress := stdout
	if asJSON {
		progress = stderr
	}
	if *cpuProfile != "" {
		opt.Profile = func() (stop func(), err error) {
			f, err := os.Create(*cpuProfile)
			if err != nil {
				return nil, err
			}
			if err := pprof.StartCPUProfile(f); err != nil {
				f.Close()
				return nil, err
			}
			return func() { pprof.StopCPUProfile(); f.Close() }, nil
		}
	}
	rep, err := bench.Run(ctx, opt, progress)
	if err != nil {
		return err
	}
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	return nil
}
