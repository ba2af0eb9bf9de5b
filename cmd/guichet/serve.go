package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"guichet/internal/store"
	"guichet/internal/web"
	"guichet/internal/web/live"
	"guichet/internal/web/request"
)

// adminEmail is the first admin's sign-in, created on first start.
const adminEmail = "admin@guichet.local"

func serve(ctx context.Context, args []string, demoData bool, stdout, stderr io.Writer) error {
	fs, c := newFlags("serve", stderr)
	addr := fs.String("addr", env("GUICHET_ADDR", "127.0.0.1:8080"), "adresse d'écoute")
	fs.BoolVar(&demoData, "demo", demoData, "charger les données de démonstration si la base est vide")
	secure := fs.Bool("secure-cookies", env("GUICHET_SECURE_COOKIES", "") == "1", "cookies Secure (HTTPS)")
	proxyList := fs.String("trusted-proxies", env("GUICHET_TRUSTED_PROXIES", ""),
		"proxys inverses dont X-Forwarded-For est cru (IP ou CIDR, séparés par des virgules)")
	metricsToken := fs.String("metrics-token", env("GUICHET_METRICS_TOKEN", ""), "jeton exigé par /metrics (Authorization: Bearer …) ; ouvert si vide")
	if err := fs.Parse(args); err != nil {
		return err
	}
	proxies, err := request.ParseProxies(*proxyList)
	if err != nil {
		return fmt.Errorf("--trusted-proxies : %w", err)
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))

	hub := live.New()
	s, d, blobs, err := c.openDesk(ctx, hub)
	if err != nil {
		return err
	}
	defer s.Close()
	fmt.Fprintf(stdout, "guichet %s — base %s\n", version, c.describe())

	password, err := d.EnsureAdmin(ctx, adminEmail)
	if err != nil {
		return err
	}
	if password != "" {
		fmt.Fprintf(stdout, "Premier démarrage : compte administrateur créé.\n  email : %s\n  mot de passe : %s\n  (affiché une seule fois : notez-le)\n", adminEmail, password)
	}
	if demoData {
		if err := loadDemo(ctx, s, blobs, stdout); err != nil {
			return err
		}
	}

	cs, err := openConnectors(c, d, log)
	if err != nil {
		return err
	}
	runner := newRunner(s, d, cs, cs.Registry(), log)
	handler := web.New(web.Config{Desk: d, Hub: hub, DB: s, Log: log, UI: uiRoutes(d, cs, hub, log, *secure, proxies), MetricsToken: *metricsToken,
		Metrics: runner.Collectors()})
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	base, cancel := context.WithCancel(context.WithoutCancel(ctx))
	defer cancel()
	srv := web.NewHTTPServer(handler, web.DefaultTimeouts, log)
	srv.BaseContext = func(net.Listener) context.Context { return base }
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	go compact(base, s, log)
	if s.Shared() {
		hub.Link(base, s, log) // several processes on PostgreSQL: each page hears of every change
	}
	synced := runner.Start(base)
	jobsDone := startServiceJobs(base, d, log)
	automatic := startAutomatic(base, d, log)
	mailed := sendEmails(base, d, cs, blobs, log)
	fmt.Fprintf(stdout, "guichet écoute sur http://%s\n", ln.Addr())

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("arrêt demandé : fin des requêtes en cours")
	hub.Close() // open event streams end, so that Shutdown need not wait for them
	shutdownCtx, done := context.WithTimeout(context.Background(), 30*time.Second)
	defer done()
	err = srv.Shutdown(shutdownCtx)
	cancel()
	<-synced // the sync's runs record their outcome before the database closes
	<-jobsDone
	<-automatic
	<-mailed
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("arrêt : %w", err)
	}
	log.Info("arrêté")
	return nil
}

// compact folds the ticket counters' delta rows (PostgreSQL) and prunes the
// search queue (SQLite) every minute until ctx ends.
func compact(ctx context.Context, s *store.Store, log *slog.Logger) {
	tick := time.NewTicker(time.Minute)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if err := s.Compact(ctx); err != nil && ctx.Err() == nil {
				log.Warn("compacting", "err", err)
			}
		}
	}
}
