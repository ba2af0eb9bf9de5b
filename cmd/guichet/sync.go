package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"guichet/internal/channel"
	"guichet/internal/desk"
	"guichet/internal/store"
	gsync "guichet/internal/sync"
)

// newConnectors builds the channels' connectors from their sealed
// settings, and says which kinds have one.
func newConnectors(c *common, d *desk.Desk, log *slog.Logger) (gsync.Connectors, *channel.Registry, error) {
	cs, err := openConnectors(c, d, log)
	if err != nil {
		return nil, nil, err
	}
	return cs, cs.Registry(), nil
}

// testConnectors, when set, stands for every channel's connector, and
// syncTick for the runner's tick (0: its default): tests set them.
var (
	testConnectors gsync.Connectors
	syncTick       time.Duration
)

// newRunner builds the sync runner over an open desk and the channels'
// connectors.
func newRunner(s *store.Store, d *desk.Desk, conns gsync.Connectors, kinds *channel.Registry, log *slog.Logger) *gsync.Runner {
	if testConnectors != nil {
		conns = testConnectors
	}
	return gsync.New(gsync.Config{Desk: d, Leases: s, Connectors: conns, Kinds: kinds, Log: log, Tick: syncTick})
}

// syncCommand runs one fetch and one outbox pass, for the command line.
func syncCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, c := newFlags("sync", stderr)
	once := fs.Bool("once", false, "un seul passage : récupérer les messages, envoyer les réponses en attente, puis s'arrêter")
	channelID := fs.Int64("channel", 0, "ID du canal (tous les canaux actifs si 0)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if !*once {
		return fmt.Errorf("usage : guichet sync --once [--channel ID] (la synchronisation continue tourne dans guichet serve)")
	}
	s, d, _, err := c.openDesk(ctx, nil)
	if err != nil {
		return err
	}
	defer s.Close()
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	conns, kinds, err := newConnectors(c, d, log)
	if err != nil {
		return err
	}
	rep, err := newRunner(s, d, conns, kinds, log).Once(ctx, *channelID)
	printReport(stdout, rep)
	if err != nil {
		return cliError(err)
	}
	if rep.Failed() {
		return fmt.Errorf("la synchronisation a échoué sur au moins un canal")
	}
	return nil
}

func printReport(w io.Writer, rep gsync.Report) {
	if len(rep.Channels) == 0 {
		fmt.Fprintln(w, "Aucun canal actif.")
	}
	for _, c := range rep.Channels {
		fmt.Fprintf(w, "%s (canal %d) : ", c.Name, c.ChannelID)
		switch {
		case c.Skipped && c.Delivered+c.Failed+c.Retrying+c.Unknown == 0:
			fmt.Fprintln(w, "pas de connecteur configuré, rien à faire.")
			continue
		case c.Busy:
			fmt.Fprint(w, "déjà en cours dans un autre processus ; ")
		}
		fmt.Fprintf(w, "%d récupéré(s), %d enregistré(s), %d doublon(s), %d écho(s) de nos réponses, %d mis de côté ; "+
			"%d réponse(s) envoyée(s), %d à réessayer, %d en échec, %d incertaine(s).\n",
			c.Fetched, c.Stored, c.Duplicates, c.Echoes, c.Parked, c.Delivered, c.Retrying, c.Failed, c.Unknown)
		for _, e := range c.Errors {
			fmt.Fprintf(w, "  erreur : %s\n", strings.TrimSpace(e))
		}
	}
}
