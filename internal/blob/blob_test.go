package blob

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestPutOpen(t *testing.T) {
	ctx := context.Background()
	l, err := NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	key, n, err := l.Put(ctx, bytes.NewReader([]byte("facture")))
	if err != nil || n != 7 || len(key) != 64 {
		t.Fatalf("Put = %q, %d, %v", key, n, err)
	}
	key2, _, _ := l.Put(ctx, bytes.NewReader([]byte("facture")))
	if key2 != key {
		t.Errorf("same bytes, different keys %q %q", key, key2)
	}
	r, err := l.Open(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(r)
	r.Close()
	if string(b) != "facture" {
		t.Errorf("Open read %q", b)
	}
	if _, err := l.Open(ctx, "../../etc/passwd"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Open of a bad key: %v", err)
	}
}

func TestPutTooLarge(t *testing.T) {
	dir := t.TempDir()
	l, _ := NewLocal(dir)
	_, _, err := l.Put(context.Background(), io.LimitReader(zeros{}, MaxSize+10))
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("Put of a big file: %v", err)
	}
	left, _ := filepath.Glob(filepath.Join(dir, "tmp", "*"))
	if len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// A file already stored is not written again: same inode, same time.
func TestPutKeepsAFileAlreadyThere(t *testing.T) {
	ctx := context.Background()
	l, _ := NewLocal(t.TempDir())
	key, _, err := l.Put(ctx, bytes.NewReader([]byte("photo du colis")))
	if err != nil {
		t.Fatal(err)
	}
	path := l.path(key)
	old := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
	if err := os.Chtimes(path, old, old); err != nil {
		t.Fatal(err)
	}
	before, _ := os.Stat(path)
	if _, _, err := l.Put(ctx, bytes.NewReader([]byte("photo du colis"))); err != nil {
		t.Fatal(err)
	}
	after, err := os.Stat(path)
	if err != nil || !os.SameFile(before, after) || !after.ModTime().Equal(old) {
		t.Errorf("the file was rewritten: %v, mtime %v", err, after.ModTime())
	}
	left, _ := filepath.Glob(filepath.Join(l.dir, "tmp", "*"))
	if len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

func TestTooLargeIsARefusal(t *testing.T) {
	var r interface{ Refused() bool }
	if !errors.As(ErrTooLarge, &r) || !r.Refused() {
		t.Error("ErrTooLarge does not say it is a refusal")
	}
}
