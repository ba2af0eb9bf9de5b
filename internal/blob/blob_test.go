package blob

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
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
