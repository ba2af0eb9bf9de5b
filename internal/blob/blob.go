// Package blob keeps attachment bytes on local disk, named by their SHA-256:
// the same file stored twice takes the room of one. An object store can
// implement the same two methods later.
package blob

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// MaxSize bounds one file; a larger one is refused, nothing is kept.
const MaxSize = 25 << 20

// ErrTooLarge is returned by Put for a file over MaxSize.
var ErrTooLarge error = refusal("fichier trop volumineux (25 Mo au plus)")

// refusal is an error by which the store declines a file, as opposed to
// failing to keep it: whoever sent it must not simply try again.
type refusal string

func (r refusal) Error() string { return string(r) }

// Refused tells desk that the file, not the store, is at fault.
func (refusal) Refused() bool { return true }

// Local stores files under a folder.
type Local struct {
	dir string
}

// NewLocal returns a store under dir, creating it if needed.
func NewLocal(dir string) (*Local, error) {
	if err := os.MkdirAll(filepath.Join(dir, "tmp"), 0o750); err != nil {
		return nil, fmt.Errorf("blob folder: %w", err)
	}
	return &Local{dir: dir}, nil
}

// Put writes r to disk and returns its key (the hex SHA-256) and size. The
// file appears under its final name only once complete and synced; a file
// already there under that name is the same bytes, and is left as it is
// (neither rewritten nor synced again: a channel fetches the same files
// again and again).
func (l *Local) Put(ctx context.Context, r io.Reader) (string, int64, error) {
	tmp, err := os.CreateTemp(filepath.Join(l.dir, "tmp"), "put-*")
	if err != nil {
		return "", 0, err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), io.LimitReader(r, MaxSize+1))
	if err == nil && n > MaxSize {
		err = ErrTooLarge
	}
	if err != nil {
		return "", 0, err
	}
	key := hex.EncodeToString(h.Sum(nil))
	path := l.path(key)
	if _, err := os.Stat(path); err == nil {
		return key, n, nil
	}
	if err := tmp.Sync(); err != nil {
		return "", 0, err
	}
	if err := tmp.Close(); err != nil {
		return "", 0, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return "", 0, err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return "", 0, err
	}
	return key, n, nil
}

// Open returns the bytes stored under key.
func (l *Local) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	if len(key) != 64 {
		return nil, fmt.Errorf("blob key %q: %w", key, os.ErrNotExist)
	}
	if _, err := hex.DecodeString(key); err != nil {
		return nil, fmt.Errorf("blob key %q: %w", key, os.ErrNotExist)
	}
	return os.Open(l.path(key))
}

func (l *Local) path(key string) string {
	return filepath.Join(l.dir, key[:2], key[2:4], key)
}
