package secret

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSealOpen(t *testing.T) {
	b, err := New(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	plain := []byte(`{"client_key":"abc","secret_key":"s3cr3t"}`)
	s1, _ := b.Seal(plain)
	s2, _ := b.Seal(plain)
	if bytes.Equal(s1, s2) {
		t.Error("two seals of the same value are equal: the nonce is not random")
	}
	if bytes.Contains(s1, []byte("s3cr3t")) {
		t.Error("sealed bytes hold the plain text")
	}
	if s1[0] != version1 {
		t.Errorf("version byte %d", s1[0])
	}
	got, err := b.Open(s1)
	if err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("open: %q %v", got, err)
	}
	for i := range s1 {
		bad := bytes.Clone(s1)
		bad[i] ^= 1
		if _, err := b.Open(bad); err != ErrOpen {
			t.Fatalf("byte %d flipped: open gave %v", i, err)
		}
	}
	if _, err := b.Open(s1[:10]); err != ErrOpen {
		t.Errorf("short: %v", err)
	}
	other, _ := New(bytes.Repeat([]byte{8}, 32))
	if _, err := other.Open(s1); err != ErrOpen {
		t.Errorf("other key: %v", err)
	}
}

func TestParseKey(t *testing.T) {
	k := bytes.Repeat([]byte{0xab}, 32)
	for _, s := range []string{hex.EncodeToString(k), base64.StdEncoding.EncodeToString(k), base64.RawURLEncoding.EncodeToString(k) + "\n"} {
		got, err := ParseKey(s)
		if err != nil || !bytes.Equal(got, k) {
			t.Errorf("%q: %x %v", s, got, err)
		}
	}
	for _, s := range []string{"", "court", hex.EncodeToString(k[:16]), base64.StdEncoding.EncodeToString(k[:31])} {
		if _, err := ParseKey(s); err == nil || !strings.Contains(err.Error(), "32 octets") {
			t.Errorf("%q accepted or unclear: %v", s, err)
		}
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	b1, err := Load("", dir)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, KeyFile)
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", fi, err)
	}
	sealed, _ := b1.Seal([]byte("x"))
	b2, err := Load("", dir) // the same key at the next start
	if err != nil {
		t.Fatal(err)
	}
	if got, err := b2.Open(sealed); err != nil || string(got) != "x" {
		t.Errorf("second start: %q %v", got, err)
	}
	os.Chmod(path, 0o640)
	if _, err := Load("", dir); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Errorf("group-readable key file: %v", err)
	}
	if _, err := Load("pas une clé", dir); err == nil || !strings.Contains(err.Error(), EnvKey) {
		t.Errorf("bad env key: %v", err)
	}
	k := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{1}, 32))
	if _, err := Load(k, t.TempDir()); err != nil {
		t.Errorf("env key: %v", err)
	}
}
