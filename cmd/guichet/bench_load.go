package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"guichet/internal/bench"
)

// loadArgs says whether bench is asked to drive a running desk (--load)
// rather than to measure a generated database.
func loadArgs(args []string) bool {
	for _, a := range args {
		if a == "--" {
			return false
		}
		name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if strings.HasPrefix(a, "-") && name == "load" {
			return true
		}
	}
	return false
}

// loadCommand drives a running desk over HTTP with signed-in agents
// (bench.RunLoad) and prints what happened. It fails, after the report,
// when a request erred or timed out.
func loadCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench --load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var opt bench.LoadOptions
	var asJSON bool
	rate := "2/s"
	fs.StringVar(&opt.URL, "load", "", "le guichet à charger, ex. http://127.0.0.1:8080")
	fs.IntVar(&opt.Agents, "agents", 20, "agents connectés en même temps (une session chacun)")
	fs.DurationVar(&opt.Duration, "duration", time.Minute, "durée du travail, connexions non comprises")
	fs.Func("login", "compte email:mot-de-passe (répétable ; les agents se les partagent) ; défaut : l'équipe de démonstration", func(s string) error {
		email, password, ok := strings.Cut(s, ":")
		if !ok || email == "" || password == "" {
			return fmt.Errorf("email:mot-de-passe attendu")
		}
		opt.Logins = append(opt.Logins, bench.LoadLogin{Email: email, Password: password})
		return nil
	})
	fs.StringVar(&rate, "reply-rate", rate, "réponses envoyées, tous agents confondus : 2/s, 30/min ; 0 : aucune")
	fs.DurationVar(&opt.Think, "think", time.Second, "pause moyenne d'un agent entre deux requêtes (0 : aucune)")
	fs.DurationVar(&opt.Timeout, "timeout", 15*time.Second, "délai d'une requête, au-delà compté comme « timeout »")
	events := fs.Bool("events", true, "chaque agent garde un flux /events ouvert, comme un onglet")
	fs.StringVar(&opt.MetricsToken, "metrics-token", env("GUICHET_METRICS_TOKEN", ""), "jeton de /metrics (mémoire du serveur, chaque seconde)")
	fs.IntVar(&opt.PID, "pid", 0, "processus du serveur sur cette machine : son pic de mémoire (VmHWM) à la fin")
	fs.Uint64Var(&opt.Seed, "seed", 1, "graine des choix des agents")
	fs.BoolVar(&asJSON, "json", false, "écrire le rapport en JSON sur la sortie standard (la progression va sur l'erreur)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "guichet bench --load URL [options] : des agents connectés travaillent sur un guichet en marche ; rapport par sorte de requête.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("argument inattendu : %q", fs.Arg(0))
	}
	perSecond, err := parseRate(rate)
	if err != nil {
		return fmt.Errorf("--reply-rate : %w", err)
	}
	opt.ReplyRate = perSecond
	if perSecond == 0 {
		opt.ReplyRate = -1 // bench.LoadOptions: zero is the default, negative is none
	}
	if opt.Think == 0 {
		opt.Think = -1
	}
	opt.NoEvents = !*events
	progress := stdout
	if asJSON {
		progress = stderr
	}
	rep, err := bench.RunLoad(ctx, opt, progress)
	if err != nil {
		return err
	}
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else {
		rep.Write(stdout)
	}
	if rep.Failed() {
		return fmt.Errorf("charge : %d erreurs, %d délais dépassés, %d flux coupés ou refusés", rep.Total.Errors, rep.Total.Timeouts, rep.Streams.Broken+rep.Streams.Refused)
	}
	return nil
}

// parseRate reads "2/s", "30/min", "120/h" or a plain number per second.
func parseRate(s string) (float64, error) {
	n, unit, _ := strings.Cut(strings.TrimSpace(s), "/")
	v, err := strconv.ParseFloat(strings.TrimSpace(n), 64)
	if err != nil || v < 0 {
		return 0, fmt.Errorf("débit attendu comme 2/s ou 30/min, pas %q", s)
	}
	switch strings.TrimSpace(unit) {
	case "", "s":
		return v, nil
	case "m", "min":
		return v / 60, nil
	case "h":
		return v / 3600, nil
	}
	return 0, fmt.Errorf("unité inconnue dans %q (s, min ou h)", s)
}
