// Package mailtest runs real mail servers on loopback for tests: an IMAP
// server (go-imap's imapserver over its in-memory backend) whose folders a
// test fills, an SMTP server (go-smtp) that records what it receives, both
// in plain, SSL/TLS or STARTTLS with a self-signed certificate made for
// the test, and a server that accepts connections and never answers.
package mailtest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"math/big"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

var (
	certOnce sync.Once
	cert     tls.Certificate
	certErr  error
)

// Certificate is a self-signed certificate for 127.0.0.1 and localhost,
// made once per test binary.
func Certificate(t testing.TB) tls.Certificate {
	t.Helper()
	certOnce.Do(func() {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			certErr = err
			return
		}
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "guichet mailtest"},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
			KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
			DNSNames: []string{"localhost"}, IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
		if err != nil {
			certErr = err
			return
		}
		cert = tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
	})
	if certErr != nil {
		t.Fatal(certErr)
	}
	return cert
}

func serverTLS(t testing.TB) *tls.Config {
	return &tls.Config{Certificates: []tls.Certificate{Certificate(t)}, MinVersion: tls.VersionTLS12}
}

// Security is how a test server talks: "tls" (implicit), "starttls" or "none".
type Security string

const (
	TLS      Security = "tls"
	StartTLS Security = "starttls"
	None     Security = "none"
)

func listen(t testing.TB, sec Security) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if sec == TLS {
		ln = tls.NewListener(ln, serverTLS(t))
	}
	return ln
}

// Hang is a server that accepts connections and never answers: a mail
// server that hangs.
type Hang struct {
	Addr     string
	accepted atomic.Int64
	open     atomic.Int64
}

// Accepted is how many connections it took; Open, how many the clients
// have not closed yet (a client still waiting on it).
func (h *Hang) Accepted() int { return int(h.accepted.Load()) }
func (h *Hang) Open() int     { return int(h.open.Load()) }

// Hanging starts a server that accepts and never answers.
func Hanging(t testing.TB) *Hang {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	h := &Hang{Addr: ln.Addr().String()}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			h.accepted.Add(1)
			h.open.Add(1)
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			go func() {
				_, _ = io.Copy(io.Discard, c) // until the client gives up
				h.open.Add(-1)
			}()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return h
}

// Closed is an address where nothing listens: a server that is down.
func Closed(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}
