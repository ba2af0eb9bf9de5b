package mailtest

import (
	"bytes"
	"io"
	"log"
	"net"
	"strconv"
	"testing"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
)

// IMAP is a running IMAP server with in-memory mailboxes.
type IMAP struct {
	Host     string
	Port     int
	Security Security
	mem      *imapmemserver.Server
	users    map[string]*imapmemserver.User
}

// StartIMAP starts an IMAP server on loopback, stopped at the test's end.
func StartIMAP(t testing.TB, sec Security) *IMAP {
	t.Helper()
	mem := imapmemserver.New()
	opts := &imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Caps:         imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapIMAP4rev2: {}},
		InsecureAuth: true,
		Logger:       log.New(io.Discard, "", 0),
	}
	if sec == StartTLS {
		opts.TLSConfig = serverTLS(t)
	}
	srv := imapserver.New(opts)
	ln := listen(t, sec)
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	host, port, _ := net.SplitHostPort(ln.Addr().String())
	p, _ := strconv.Atoi(port)
	return &IMAP{Host: host, Port: p, Security: sec, mem: mem, users: map[string]*imapmemserver.User{}}
}

// Addr is host:port.
func (s *IMAP) Addr() string { return net.JoinHostPort(s.Host, strconv.Itoa(s.Port)) }

// AddUser creates a mailbox account with an INBOX.
func (s *IMAP) AddUser(t testing.TB, username, password string) {
	t.Helper()
	u := imapmemserver.NewUser(username, password)
	if err := u.Create("INBOX", nil); err != nil {
		t.Fatal(err)
	}
	s.mem.AddUser(u)
	s.users[username] = u
}

// Append puts a raw message into a user's folder (created if need be).
func (s *IMAP) Append(t testing.TB, username, folder string, raw []byte) {
	t.Helper()
	u := s.users[username]
	if u == nil {
		t.Fatalf("mailtest: no user %q", username)
	}
	if _, err := u.Append(folder, &literal{Reader: bytes.NewReader(raw), size: int64(len(raw))}, &imap.AppendOptions{}); err != nil {
		if err := u.Create(folder, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := u.Append(folder, &literal{Reader: bytes.NewReader(raw), size: int64(len(raw))}, &imap.AppendOptions{}); err != nil {
			t.Fatal(err)
		}
	}
}

// Count is the number of messages in a user's folder.
func (s *IMAP) Count(t testing.TB, username, folder string) int {
	t.Helper()
	st, err := s.users[username].Status(folder, &imap.StatusOptions{NumMessages: true})
	if err != nil {
		t.Fatal(err)
	}
	return int(*st.NumMessages)
}

type literal struct {
	*bytes.Reader
	size int64
}

func (l *literal) Size() int64 { return l.size }
