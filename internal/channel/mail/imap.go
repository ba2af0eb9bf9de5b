package mail

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"guichet/internal/channel"
)

// Bounds of one Fetch: a batch holds at most so many messages and so many
// bytes (but always one message, whatever its size).
const (
	batchMessages = 100
	batchBytes    = 48 << 20
)

// session is a logged-in IMAP connection whose every command is bounded:
// the connection's deadline covers the whole session, and ctx ending
// closes it.
type session struct {
	c    *imapclient.Client
	stop func() bool
}

func (s *session) close() {
	s.stop()
	_ = s.c.Logout().Wait()
	_ = s.c.Close()
}

// dialIMAP connects, logs in, and bounds the session by m.timeout per
// command (the deadline moves with each call of touch) and by ctx.
func (m *Connector) dialIMAP(ctx context.Context) (*session, error) {
	sv := m.imap
	dctx, cancel := context.WithTimeout(ctx, m.timeout)
	defer cancel()
	raw, err := (&net.Dialer{}).DialContext(dctx, "tcp", sv.addr())
	if err != nil {
		return nil, failure("connexion IMAP", err, false)
	}
	// ctx ending closes the connection, whatever step it is in (a server
	// that hangs during the greeting or the TLS handshake included).
	stop := context.AfterFunc(ctx, func() { raw.Close() })
	fail := func(what string, err error, unauthorized bool) (*session, error) {
		stop()
		raw.Close()
		return nil, failure(what, err, unauthorized)
	}
	conn := &deadlineConn{Conn: raw, timeout: m.timeout}
	conn.touch()
	opts := &imapclient.Options{TLSConfig: sv.tlsConfig()}
	var c *imapclient.Client
	switch sv.security {
	case "tls":
		tc := tls.Client(conn, sv.tlsConfig())
		if err := tc.HandshakeContext(dctx); err != nil {
			return fail("connexion IMAP (TLS)", err, isCertificate(err))
		}
		c = imapclient.New(tc, opts)
	case "starttls":
		if c, err = imapclient.NewStartTLS(conn, opts); err != nil {
			return fail("connexion IMAP (STARTTLS)", err, isCertificate(err))
		}
	default:
		c = imapclient.New(conn, opts)
	}
	s := &session{c: c, stop: stop}
	if err := c.WaitGreeting(); err != nil {
		c.Close()
		return fail("connexion IMAP", err, false)
	}
	if err := c.Login(sv.username, sv.password).Wait(); err != nil {
		c.Close()
		var ie *imap.Error
		return fail("identification IMAP refusée", err, errors.As(err, &ie))
	}
	return s, nil
}

// isCertificate says whether a TLS failure is the server's certificate
// (self-signed, wrong name): an admin must change a setting.
func isCertificate(err error) bool {
	var unknown x509.UnknownAuthorityError
	var host x509.HostnameError
	var cv *tls.CertificateVerificationError
	return errors.As(err, &cv) || errors.As(err, &unknown) || errors.As(err, &host)
}

// deadlineConn moves its deadline forward at each read or write: a server
// that stops answering costs m.timeout, not for ever.
type deadlineConn struct {
	net.Conn
	timeout time.Duration
}

func (c *deadlineConn) touch() { _ = c.Conn.SetDeadline(time.Now().Add(c.timeout)) }

func (c *deadlineConn) Read(p []byte) (int, error) {
	c.touch()
	return c.Conn.Read(p)
}

func (c *deadlineConn) Write(p []byte) (int, error) {
	c.touch()
	return c.Conn.Write(p)
}

// cursor is where a mailbox's sync is: its UIDVALIDITY and the last UID
// taken. A new UIDVALIDITY (the folder was rebuilt) starts again from the
// first message; desk stores each Message-ID once.
type cursor struct {
	validity uint32
	last     imap.UID
}

func parseCursor(s string) cursor {
	var c cursor
	parts := strings.Split(s, ":")
	if len(parts) != 3 || parts[0] != "v1" {
		return c
	}
	v, err1 := strconv.ParseUint(parts[1], 10, 32)
	u, err2 := strconv.ParseUint(parts[2], 10, 32)
	if err1 != nil || err2 != nil {
		return c
	}
	return cursor{validity: uint32(v), last: imap.UID(u)}
}

func (c cursor) String() string { return fmt.Sprintf("v1:%d:%d", c.validity, c.last) }

// Fetch reads the messages after the cursor, a bounded batch at a time.
// With delete_after_sync, it first deletes the messages up to the cursor
// it is given: sync stored them, and committed that cursor, before calling
// Fetch again, so nothing is deleted that guichet does not have.
func (m *Connector) Fetch(ctx context.Context, cur string) (channel.Batch, error) {
	s, err := m.dialIMAP(ctx)
	if err != nil {
		return channel.Batch{}, err
	}
	defer s.close()
	sel, err := s.c.Select(m.folder, nil).Wait()
	if err != nil {
		return channel.Batch{}, failure(fmt.Sprintf("dossier IMAP %q", m.folder), err, false)
	}
	c := parseCursor(cur)
	if c.validity != sel.UIDValidity {
		c = cursor{validity: sel.UIDValidity}
	} else if m.delete && c.last > 0 {
		if err := m.deleteUpTo(s.c, c.last); err != nil {
			return channel.Batch{}, err
		}
	}
	batch := channel.Batch{Cursor: c.String()}
	if sel.NumMessages == 0 {
		return batch, nil
	}
	found, err := s.c.UIDSearch(&imap.SearchCriteria{UID: []imap.UIDSet{{imap.UIDRange{Start: c.last + 1, Stop: 0}}}}, nil).Wait()
	if err != nil {
		return channel.Batch{}, failure("recherche IMAP", err, false)
	}
	uids := slices.DeleteFunc(found.AllUIDs(), func(u imap.UID) bool { return u <= c.last }) // n:* always names the last one
	slices.Sort(uids)
	if len(uids) == 0 {
		return batch, nil
	}
	if len(uids) > batchMessages {
		uids, batch.More = uids[:batchMessages], true
	}
	uids, cut, err := m.withinBytes(s.c, uids)
	if err != nil {
		return channel.Batch{}, err
	}
	batch.More = batch.More || cut
	section := &imap.FetchItemBodySection{Peek: true}
	msgs, err := s.c.Fetch(imap.UIDSetNum(uids...), &imap.FetchOptions{UID: true, InternalDate: true, BodySection: []*imap.FetchItemBodySection{section}}).Collect()
	if err != nil {
		return channel.Batch{}, failure("lecture IMAP", err, false)
	}
	slices.SortFunc(msgs, func(a, b *imapclient.FetchMessageBuffer) int { return int(a.UID) - int(b.UID) })
	for _, msg := range msgs {
		in := m.incoming(msg.FindBodySection(section), msg.InternalDate)
		batch.Messages = append(batch.Messages, in)
		c.last = max(c.last, msg.UID)
	}
	c.last = max(c.last, uids[len(uids)-1]) // a message gone meanwhile is not waited for
	batch.Cursor = c.String()
	return batch, nil
}

// withinBytes keeps the first UIDs whose messages fit in batchBytes (one at least).
func (m *Connector) withinBytes(c *imapclient.Client, uids []imap.UID) ([]imap.UID, bool, error) {
	sizes, err := c.Fetch(imap.UIDSetNum(uids...), &imap.FetchOptions{UID: true, RFC822Size: true}).Collect()
	if err != nil {
		return nil, false, failure("lecture IMAP", err, false)
	}
	size := map[imap.UID]int64{}
	for _, s := range sizes {
		size[s.UID] = s.RFC822Size
	}
	var total int64
	for i, u := range uids {
		total += size[u]
		if i > 0 && total > batchBytes {
			return uids[:i], true, nil
		}
	}
	return uids, false, nil
}

// deleteUpTo deletes the folder's messages up to UID last.
func (m *Connector) deleteUpTo(c *imapclient.Client, last imap.UID) error {
	set := imap.UIDSet{imap.UIDRange{Start: 1, Stop: last}}
	err := c.Store(set, &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagDeleted}}, nil).Close()
	if err != nil {
		return failure("suppression IMAP", err, false)
	}
	if c.Caps().Has(imap.CapUIDPlus) {
		err = c.UIDExpunge(set).Close()
	} else {
		err = c.Expunge().Close()
	}
	if err != nil {
		return failure("suppression IMAP", err, false)
	}
	return nil
}

// Test logs in and opens the folder.
func (m *Connector) Test(ctx context.Context) error {
	s, err := m.dialIMAP(ctx)
	if err != nil {
		return err
	}
	defer s.close()
	if _, err := s.c.Select(m.folder, &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
		return failure(fmt.Sprintf("dossier IMAP %q", m.folder), err, false)
	}
	return m.testSMTP(ctx)
}
