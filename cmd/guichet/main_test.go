package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The test binary doubles as guichet when GUICHET_TEST_MAIN is set, so that
// serve runs as a real process that can be signalled.
func TestMain(m *testing.M) {
	if os.Getenv("GUICHET_TEST_MAIN") == "1" {
		if dir := os.Getenv("GUICHET_TEST_CHANNELS"); dir != "" {
			useFileChannels(dir)
		}
		if d, err := time.ParseDuration(os.Getenv("GUICHET_TEST_SYNC_TICK")); err == nil {
			syncTick = d // how often serve's sync looks for due work
		}
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func TestServeStartsPrintsAdminAndStopsOnSIGTERM(t *testing.T) {
	data := t.TempDir()
	cmd := exec.Command(os.Args[0], "serve", "--addr", "127.0.0.1:0", "--data", data)
	cmd.Env = append(os.Environ(), "GUICHET_TEST_MAIN=1", "GUICHET_SECRET_KEY=")
	out, _ := cmd.StdoutPipe()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	lines := bufio.NewScanner(out)
	var url, password string
	for lines.Scan() {
		line := lines.Text()
		if m := regexp.MustCompile(`mot de passe : (\S+)`).FindStringSubmatch(line); m != nil {
			password = m[1]
		}
		if u, ok := strings.CutPrefix(line, "guichet écoute sur "); ok {
			url = u
			break
		}
	}
	if url == "" || len(password) < 12 {
		t.Fatalf("no URL or password printed (url %q, password %q); stderr: %s", url, password, stderr.String())
	}
	res, err := http.Get(url + "/healthz")
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("healthz: %v %v", res, err)
	}
	if _, err := os.Stat(filepath.Join(data, "guichet.db")); err != nil {
		t.Errorf("no database in --data: %v", err)
	}
	if fi, err := os.Stat(filepath.Join(data, "secret.key")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("no settings key (mode 0600) in --data: %v %v", fi, err)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v; stderr: %s", err, stderr.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop after SIGTERM")
	}
	if !strings.Contains(stderr.String(), "arrêté") {
		t.Errorf("no clean stop logged: %s", stderr.String())
	}
}

func TestUserAndTokenCommands(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	var out, errs bytes.Buffer
	must := func(args ...string) string {
		t.Helper()
		out.Reset()
		if err := run(ctx, append(args, "--data", data), &out, &errs); err != nil {
			t.Fatalf("%v: %v (%s)", args, err, errs.String())
		}
		return out.String()
	}
	if o := must("migrate"); !strings.Contains(o, "appliquée : 0001_init.sql") {
		t.Errorf("migrate printed %q", o)
	}
	if o := must("migrate"); !strings.Contains(o, "base à jour") {
		t.Errorf("second migrate printed %q", o)
	}
	o := must("user", "add", "--email", "Lea@Example.fr", "--name", "Léa Martin")
	if !strings.Contains(o, "agent créé : lea@example.fr") || !strings.Contains(o, "mot de passe : ") {
		t.Errorf("user add printed %q", o)
	}
	if o := must("user", "list"); !strings.Contains(o, "Léa Martin") {
		t.Errorf("user list printed %q", o)
	}
	o = must("token", "add", "--email", "lea@example.fr", "--name", "bouton PrestaShop")
	if !regexp.MustCompile(`\ngch_[A-Za-z0-9_-]{43}\n`).MatchString(o) {
		t.Errorf("token add printed %q", o)
	}
	o = must("token", "add", "--integration", "--name", "bouton PrestaShop")
	if !strings.Contains(o, "jeton d'intégration « bouton PrestaShop »") || !regexp.MustCompile(`\ngch_[A-Za-z0-9_-]{43}\n`).MatchString(o) {
		t.Errorf("token add --integration printed %q", o)
	}
	o = must("token", "list")
	if !regexp.MustCompile(`(?m)^2 +intégration +bouton PrestaShop .* jamais$`).MatchString(o) || !regexp.MustCompile(`(?m)^1 +lea@example.fr +bouton PrestaShop`).MatchString(o) {
		t.Errorf("token list printed %q", o)
	}
	if o := must("token", "list", "--email", "lea@example.fr"); strings.Contains(o, "intégration") || !strings.Contains(o, "lea@example.fr") {
		t.Errorf("token list --email printed %q", o)
	}
	if o := must("token", "revoke", "--id", "2"); !strings.Contains(o, "jeton 2 « bouton PrestaShop » révoqué") {
		t.Errorf("token revoke printed %q", o)
	}
	if o := must("token", "list"); strings.Contains(o, "intégration") {
		t.Errorf("revoked token still listed: %q", o)
	}
	for _, bad := range [][]string{
		{"token", "revoke", "--id", "2"},
		{"token", "revoke"},
		{"token", "add", "--integration", "--email", "lea@example.fr", "--name", "x"},
		{"token", "add", "--integration"},
		{"serve", "--trusted-proxies", "proxy.local"},
		{"user", "add", "--email", "pas-un-email", "--name", "X"},
		{"user", "add", "--email", "lea@example.fr", "--name", "Doublon"},
		{"user", "add", "--email", "x@example.fr", "--name", "X", "--role", "chef"},
		{"token", "add", "--email", "nobody@example.fr", "--name", "x"},
		{"nope"},
	} {
		if err := run(ctx, append(bad, "--data", data), &out, &errs); err == nil {
			t.Errorf("%v succeeded; want an error", bad)
		}
	}
}

// The README's run command with --demo: the demo data shows up through the API.
func TestDemoDataShowsThroughTheAPI(t *testing.T) {
	data := t.TempDir()
	url, stop := startServe(t, "demo", "--data", data)
	defer stop()
	var out, errs bytes.Buffer
	if err := run(context.Background(), []string{"token", "add", "--email", "lea.martin@example.com", "--name", "test", "--data", data}, &out, &errs); err != nil {
		t.Fatalf("token for the demo's ADV: %v", err)
	}
	token := regexp.MustCompile(`gch_\S+`).FindString(out.String())
	get := func(path string, v any) {
		t.Helper()
		req, _ := http.NewRequest("GET", url+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := http.DefaultClient.Do(req)
		if err != nil || res.StatusCode != 200 {
			t.Fatalf("GET %s: %v %v", path, res, err)
		}
		defer res.Body.Close()
		if err := json.NewDecoder(res.Body).Decode(v); err != nil {
			t.Fatal(err)
		}
	}
	var counts struct {
		ByStatus map[string]int `json:"by_status"`
	}
	get("/api/v1/counts", &counts)
	total := 0
	for _, st := range []string{"waiting_admin", "waiting_customer", "closed"} {
		if counts.ByStatus[st] == 0 {
			t.Errorf("no %s tickets in the demo: %v", st, counts.ByStatus)
		}
		total += counts.ByStatus[st]
	}
	if total < 200 {
		t.Errorf("demo has %d tickets; want a few hundred", total)
	}
	var page struct {
		Tickets []struct {
			ID int64 `json:"id"`
		} `json:"tickets"`
	}
	get("/api/v1/tickets?status=open&limit=5", &page)
	if len(page.Tickets) != 5 {
		t.Fatalf("inbox page: %+v", page)
	}
	var view struct {
		Messages []json.RawMessage `json:"messages"`
		Events   []json.RawMessage `json:"events"`
	}
	get(fmt.Sprintf("/api/v1/tickets/%d", page.Tickets[0].ID), &view)
	if len(view.Messages) == 0 || len(view.Events) == 0 {
		t.Errorf("demo ticket without messages or history: %d, %d", len(view.Messages), len(view.Events))
	}
}

// startServe runs guichet with args in a process of its own and returns its
// URL and a function that stops it with SIGTERM.
func startServe(t *testing.T, args ...string) (string, func()) {
	t.Helper()
	cmd := exec.Command(os.Args[0], append(args, "--addr", "127.0.0.1:0")...)
	cmd.Env = append(os.Environ(), "GUICHET_TEST_MAIN=1")
	out, _ := cmd.StdoutPipe()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(out)
	for lines.Scan() {
		if u, ok := strings.CutPrefix(lines.Text(), "guichet écoute sur "); ok {
			go io.Copy(io.Discard, out)
			return u, func() {
				cmd.Process.Signal(syscall.SIGTERM)
				cmd.Wait()
			}
		}
	}
	cmd.Process.Kill()
	t.Fatalf("guichet %v did not start: %s", args, stderr.String())
	return "", nil
}

// TestBenchCommand runs `guichet bench` on a tiny set, in a file of its own
// beside (never in) the desk's database, and reads its JSON report.
func TestBenchCommand(t *testing.T) {
	data := t.TempDir()
	var out, errOut bytes.Buffer
	args := []string{"bench", "--data", data, "--tickets", "300", "--samples", "3", "--batches", "2", "--batch-size", "20", "--json"}
	if err := run(context.Background(), args, &out, &errOut); err != nil {
		t.Fatalf("%v\n%s", err, errOut.String())
	}
	var rep struct {
		Tickets  int
		Messages int64
		Ingest   struct{ Messages int }
	}
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("report: %v\n%s", err, out.String())
	}
	if rep.Tickets != 300 || rep.Messages != 3000 || rep.Ingest.Messages != 40 {
		t.Errorf("report: %+v", rep)
	}
	if !strings.Contains(errOut.String(), "summary") {
		t.Errorf("no summary on stderr:\n%s", errOut.String())
	}
	if _, err := os.Stat(filepath.Join(data, "bench.db")); err != nil {
		t.Error(err)
	}
	if _, err := os.Stat(filepath.Join(data, "guichet.db")); err == nil {
		t.Error("bench wrote to the desk's database")
	}
	// A second run without --reuse refuses the filled database.
	if err := run(context.Background(), args, io.Discard, io.Discard); err == nil {
		t.Error("a second run without --reuse filled a database that is not empty")
	}
}

// TestBenchLoadCommand: `guichet serve --demo` with a metrics token, then
// `guichet bench --load URL` with no login (the demo team's) drives it and
// reports, in JSON, every kind of request and the server's memory.
func TestBenchLoadCommand(t *testing.T) {
	url, stop := startServe(t, "serve", "--demo", "--data", t.TempDir(), "--metrics-token", "jeton-metriques")
	defer stop()
	if res, err := http.Get(url + "/metrics"); err != nil || res.StatusCode != http.StatusUnauthorized {
		t.Errorf("/metrics without the token: %v %v; want 401", res, err)
	}
	var out, errOut bytes.Buffer
	args := []string{"bench", "--load=" + url, "--agents", "3", "--duration", "1s", "--think", "50ms",
		"--reply-rate", "120/min", "--metrics-token", "jeton-metriques", "--json"}
	if err := run(context.Background(), args, &out, &errOut); err != nil {
		t.Fatalf("%v\n%s\n%s", err, errOut.String(), out.String())
	}
	var rep struct {
		Kinds []struct {
			Kind     string
			Requests int
			Errors   int
		}
		Memory struct {
			PeakBytes int64 `json:"peak_bytes"`
		}
	}
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("report: %v\n%s", err, out.String())
	}
	if len(rep.Kinds) != 5 || rep.Memory.PeakBytes == 0 {
		t.Errorf("report: %+v", rep)
	}
	for _, k := range rep.Kinds {
		if k.Requests == 0 || k.Errors != 0 {
			t.Errorf("%s: %d requests, %d errors", k.Kind, k.Requests, k.Errors)
		}
	}
	if !strings.Contains(errOut.String(), "signed in 3 sessions") {
		t.Errorf("progress on stderr:\n%s", errOut.String())
	}
	// A desk that is not there: an error, not a report.
	if err := run(context.Background(), []string{"bench", "--load", "http://127.0.0.1:1", "--agents", "1"}, io.Discard, io.Discard); err == nil {
		t.Error("loading a desk that does not answer succeeded")
	}
}

func TestParseRate(t *testing.T) {
	for in, want := range map[string]float64{"2/s": 2, "2": 2, "30/min": 0.5, "30/m": 0.5, "360/h": 0.1, "0": 0} {
		if got, err := parseRate(in); err != nil || got != want {
			t.Errorf("parseRate(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "vite", "-1/s", "2/jour"} {
		if _, err := parseRate(bad); err == nil {
			t.Errorf("parseRate(%q) accepted", bad)
		}
	}
}
