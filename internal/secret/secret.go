// Package secret seals and opens small values (channel settings) with
// AES-256-GCM from the standard library. A sealed value is a version byte,
// a random nonce and the ciphertext with its tag: tampering with any byte
// makes Open fail.
package secret

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// EnvKey is the environment variable that holds the key (base64 or hex of
// 32 bytes); without it the key lives in KeyFile in the data folder.
const (
	EnvKey  = "GUICHET_SECRET_KEY"
	KeyFile = "secret.key"
)

// version 1: AES-256-GCM, 12-byte nonce.
const version1 byte = 1

// ErrOpen is Open's error for bytes that were not sealed by this key.
var ErrOpen = errors.New("secret : impossible d'ouvrir la valeur (clé différente ou données altérées)")

// Box seals and opens with one key. It is safe for concurrent use.
type Box struct {
	aead cipher.AEAD
}

// New returns a box for a 32-byte key.
func New(key []byte) (*Box, error) {
	if len(key) != 32 {
		return nil, fmt.Errorf("secret : clé de %d octets, 32 attendus", len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Box{aead: aead}, nil
}

// Seal encrypts plain with a fresh random nonce.
func (b *Box) Seal(plain []byte) ([]byte, error) {
	out := make([]byte, 1+b.aead.NonceSize(), 1+b.aead.NonceSize()+len(plain)+b.aead.Overhead())
	out[0] = version1
	if _, err := rand.Read(out[1:]); err != nil {
		return nil, err
	}
	// The version byte is authenticated too.
	return b.aead.Seal(out, out[1:], plain, out[:1]), nil
}

// Open decrypts what Seal returned; anything else is ErrOpen.
func (b *Box) Open(sealed []byte) ([]byte, error) {
	n := b.aead.NonceSize()
	if len(sealed) < 1+n+b.aead.Overhead() || sealed[0] != version1 {
		return nil, ErrOpen
	}
	plain, err := b.aead.Open(nil, sealed[1:1+n], sealed[1+n:], sealed[:1])
	if err != nil {
		return nil, ErrOpen
	}
	return plain, nil
}

// ParseKey reads a key written in base64 (standard or URL, padded or not)
// or in hex.
func ParseKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if k, err := hex.DecodeString(s); err == nil && len(k) == 32 {
		return k, nil
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if k, err := enc.DecodeString(s); err == nil && len(k) == 32 {
			return k, nil
		}
	}
	return nil, errors.New("clé invalide : 32 octets attendus, en base64 (44 caractères) ou en hexadécimal (64 caractères)")
}

// Load returns the box of the key in env (GUICHET_SECRET_KEY's value, ""
// when unset), or else of the key file in dir, created (mode 0600) if
// missing. A key file readable by group or others is refused.
func Load(env, dir string) (*Box, error) {
	if env != "" {
		k, err := ParseKey(env)
		if err != nil {
			return nil, fmt.Errorf("%s : %w", EnvKey, err)
		}
		return New(k)
	}
	path := filepath.Join(dir, KeyFile)
	k, err := readKeyFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		k, err = createKeyFile(dir, path)
	}
	if err != nil {
		return nil, err
	}
	return New(k)
}

func readKeyFile(path string) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("%s : lisible par d'autres que son propriétaire (mode %04o) ; corrigez avec « chmod 600 %s »", path, fi.Mode().Perm(), path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	k, err := ParseKey(string(data))
	if err != nil {
		return nil, fmt.Errorf("%s : %w", path, err)
	}
	return k, nil
}

func createKeyFile(dir, path string) ([]byte, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, err
	}
	k := make([]byte, 32)
	if _, err := rand.Read(k); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) { // another process made it first
		return readKeyFile(path)
	}
	if err != nil {
		return nil, err
	}
	_, err = f.WriteString(base64.StdEncoding.EncodeToString(k) + "\n")
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return nil, err
	}
	return k, nil
}
