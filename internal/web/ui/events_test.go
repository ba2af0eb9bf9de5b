package ui_test

import (
	"bufio"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"guichet/internal/web"
	"guichet/internal/web/ui"
)

// openStream opens /events on base for c's session and returns the answer.
func (c *client) openStream(base string) *http.Response {
	c.t.Helper()
	req, _ := http.NewRequest("GET", base+"/events", nil)
	req.Header.Set("Accept", "text/event-stream") // as EventSource sends
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	return res
}

// The server's read and write timeouts bound requests, not the live
// stream: it stays open, and delivers, long after both.
func TestLiveStreamOutlivesTheServerTimeouts(t *testing.T) {
	e := newEnv(t)
	tk := e.customerMessage(e.kaufland, "KA-9", "Jean Dupont", "Bonjour")
	short := web.Timeouts{ReadHeader: time.Second, Read: 150 * time.Millisecond, Write: 150 * time.Millisecond, Idle: time.Second}
	srv := httptest.NewUnstartedServer(nil)
	srv.Config = web.NewHTTPServer(e.srv.Config.Handler, short, nil)
	srv.Start()
	defer srv.Close()

	c := e.client().signIn("lea@example.fr") // the jar's cookie is for the host, whatever the port
	res := c.openStream(srv.URL)
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("events: %d", res.StatusCode)
	}
	lines := bufio.NewReader(res.Body)
	if l, err := lines.ReadString('\n'); err != nil || !strings.HasPrefix(l, "retry:") {
		t.Fatalf("first line %q, %v", l, err)
	}
	time.Sleep(4 * short.Write) // both deadlines would have passed
	if _, err := e.d.AddNote(ctx, e.marc, tk.ID, "note"); err != nil {
		t.Fatal(err)
	}
	for {
		l, err := lines.ReadString('\n')
		if err != nil {
			t.Fatalf("the stream ended past the server's timeouts: %v", err)
		}
		if strings.Contains(l, `"kind":"note"`) {
			break
		}
	}
	// Ordinary pages on that server still answer.
	req, _ := http.NewRequest("GET", srv.URL+"/", nil)
	if page, err := c.http.Do(req); err != nil || page.StatusCode != http.StatusOK {
		t.Errorf("inbox on the short-timeout server: %v %v", page, err)
	} else {
		io.Copy(io.Discard, page.Body)
		page.Body.Close()
	}
}

// A session holds a few live streams (tabs), not any number: beyond the
// cap /events answers 429; other sessions are not affected, and a closed
// tab frees its place.
func TestLiveStreamsPerSessionAreCapped(t *testing.T) {
	e := newEnv(t)
	lea := e.client().signIn("lea@example.fr")
	var open []*http.Response
	defer func() {
		for _, res := range open {
			res.Body.Close()
		}
	}()
	for i := range ui.DefaultStreamsPerSession {
		res := lea.openStream(e.srv.URL)
		open = append(open, res)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("stream %d: %d", i+1, res.StatusCode)
		}
	}
	res := lea.openStream(e.srv.URL)
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" || !strings.Contains(string(body), "onglets") {
		t.Errorf("stream beyond the cap: %d, Retry-After %q\n%s", res.StatusCode, res.Header.Get("Retry-After"), body)
	}
	// Léa's second browser is another session; Marc is another agent.
	for _, c := range []*client{e.client().signIn("lea@example.fr"), e.client().signIn("marc@example.fr")} {
		res := c.openStream(e.srv.URL)
		open = append(open, res)
		if res.StatusCode != http.StatusOK {
			t.Errorf("another session's stream: %d", res.StatusCode)
		}
	}
	// A tab closes: its place is free once the server sees it gone.
	open[0].Body.Close()
	for tries := 0; ; tries++ {
		res := lea.openStream(e.srv.URL)
		if res.StatusCode == http.StatusOK {
			open = append(open, res)
			break
		}
		res.Body.Close()
		if tries == 200 {
			t.Fatalf("the closed stream's place never came back: %d", res.StatusCode)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
