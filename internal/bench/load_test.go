package bench

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"guichet/internal/blob"
	"guichet/internal/demo"
	"guichet/internal/desk"
	"guichet/internal/store/storetest"
	"guichet/internal/web"
	"guichet/internal/web/live"
	"guichet/internal/web/ui"
)

// demoDesk serves a desk over a real SQLite store holding a small demo
// dataset (the demo team, so the default logins work), as `guichet serve
// --demo` does.
func demoDesk(t *testing.T, metricsToken string) *httptest.Server {
	t.Helper()
	ctx := context.Background()
	s := storetest.SQLite(t)
	blobs, err := blob.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.LoadWith(ctx, s, blobs, time.Now(), demo.Options{Tickets: 80}); err != nil {
		t.Fatal(err)
	}
	hub := live.New()
	d := desk.New(desk.Config{Store: s, Blobs: blobs, Notifier: hub})
	srv := httptest.NewServer(web.New(web.Config{Desk: d, Hub: hub, DB: s, MetricsToken: metricsToken, UI: func(mux *http.ServeMux) {
		ui.Register(mux, ui.Deps{Desk: d, Hub: hub})
	}}))
	t.Cleanup(func() { hub.Close(); srv.Close() })
	return srv
}

// TestLoadAgainstADemoDesk drives a demo desk with a few agents for a
// couple of seconds: every kind of request is made, none fails, the streams
// carry the replies' events and /metrics is read with its token.
func TestLoadAgainstADemoDesk(t *testing.T) {
	srv := demoDesk(t, "jeton-des-metriques")
	opt := LoadOptions{URL: srv.URL, Agents: 5, Duration: 2 * time.Second, Think: 20 * time.Millisecond,
		ReplyRate: 5, MetricsToken: "jeton-des-metriques"}
	var progress bytes.Buffer
	rep, err := RunLoad(context.Background(), opt, &progress)
	if err != nil {
		t.Fatalf("%v\n%s", err, progress.String())
	}
	var out bytes.Buffer
	rep.Write(&out)
	t.Log("\n" + progress.String() + out.String())
	for _, k := range rep.Kinds {
		if k.Requests == 0 {
			t.Errorf("no %s requests", k.Kind)
		}
		if k.Errors != 0 || k.Timeouts != 0 {
			t.Errorf("%s: %d errors, %d timeouts", k.Kind, k.Errors, k.Timeouts)
		}
	}
	if len(rep.Kinds) != len(loadKinds) || rep.Total.Requests == 0 || rep.Failed() || len(rep.Failures) != 0 {
		t.Errorf("report: %d kinds, %d requests, failed %v, failures %v", len(rep.Kinds), rep.Total.Requests, rep.Failed(), rep.Failures)
	}
	if rep.Streams.Opened != opt.Agents || rep.Streams.Received == 0 {
		t.Errorf("streams: %+v; want %d opened, the replies' events received", rep.Streams, opt.Agents)
	}
	if rep.Memory.Samples == 0 || rep.Memory.PeakBytes == 0 {
		t.Errorf("memory: %+v", rep.Memory)
	}
	if !strings.Contains(out.String(), "reply") || !strings.Contains(out.String(), "peak RSS") {
		t.Errorf("text report:\n%s", out.String())
	}
}

// A desk that refuses the metrics without the token: the run still works and
// says why memory is unknown; a wrong password is an error before the clock.
func TestLoadWithoutMetricsTokenAndWithABadLogin(t *testing.T) {
	srv := demoDesk(t, "secret")
	opt := LoadOptions{URL: srv.URL, Agents: 1, Duration: 200 * time.Millisecond, Think: -1, ReplyRate: -1, NoEvents: true}
	rep, err := RunLoad(context.Background(), opt, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Memory.Samples != 0 || !strings.Contains(rep.Memory.Error, "401") {
		t.Errorf("memory without the token: %+v", rep.Memory)
	}
	if rep.Failed() || rep.Total.Requests == 0 {
		t.Errorf("report: %+v", rep.Total)
	}
	opt.Logins = []LoadLogin{{Email: "lea.martin@example.com", Password: "pas le bon"}}
	if _, err := RunLoad(context.Background(), opt, &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "refusée") {
		t.Errorf("bad password: %v", err)
	}
}

func TestPromGauge(t *testing.T) {
	text := []byte("# HELP process_resident_memory_bytes Resident memory size in bytes.\n" +
		"# TYPE process_resident_memory_bytes gauge\nprocess_resident_memory_bytes_total 1\n" +
		"process_resident_memory_bytes 4.2385408e+07\n")
	if v, ok := promGauge(text, "process_resident_memory_bytes"); !ok || v != 42385408 {
		t.Errorf("promGauge = %v, %v", v, ok)
	}
}

func TestOpenView(t *testing.T) {
	for path, want := range map[string]bool{
		"/": true, "/?status=open&assignee=me": true, "/?after=abc&status=waiting_admin": true, "/?overdue=1": true,
		"/?status=closed": false, "/?status=": false, "/?after=abc&status=": false, "/?status=open,closed": false,
	} {
		if got := openView(path); got != want {
			t.Errorf("openView(%q) = %v; want %v", path, got, want)
		}
	}
}
