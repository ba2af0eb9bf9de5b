package web_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"guichet/internal/web"
)

// A handler still working at its write deadline has its context ended (its
// answer could not be written any more); an event stream has no deadline.
func TestRequestContextEndsAtTheWriteDeadline(t *testing.T) {
	ended := make(chan error, 1)
	streamDeadline := make(chan bool, 1)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/events" {
			_, has := r.Context().Deadline()
			streamDeadline <- has
			return
		}
		<-r.Context().Done() // stuck, as on a connection that never comes
		ended <- r.Context().Err()
	})
	srv := httptest.NewUnstartedServer(nil)
	srv.Config = web.NewHTTPServer(h, web.Timeouts{ReadHeader: time.Second, Read: time.Second, Write: 100 * time.Millisecond, Idle: time.Second}, nil)
	srv.Start()
	defer srv.Close()

	go func() {
		if res, err := http.Get(srv.URL + "/stuck"); err == nil {
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
		}
	}()
	select {
	case err := <-ended:
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("stuck handler's context ended with %v; want its deadline", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("a stuck handler's context never ended")
	}

	req, _ := http.NewRequest("GET", srv.URL+"/events", nil)
	req.Header.Set("Accept", "text/event-stream")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if <-streamDeadline {
		t.Error("an event stream's context has a deadline")
	}
}
