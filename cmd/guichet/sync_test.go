package main

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"guichet/internal/channel"
	"guichet/internal/desk"
	"guichet/internal/store"
	gsync "guichet/internal/sync"
)

type cliFake struct{ fail bool }

func (f cliFake) Fetch(ctx context.Context, cursor string) (channel.Batch, error) {
	if f.fail {
		return channel.Batch{}, &channel.Error{Kind: channel.Unauthorized, Status: 401, Message: "clé refusée"}
	}
	if cursor != "" {
		return channel.Batch{Cursor: cursor}, nil
	}
	return channel.Batch{Cursor: "1", Messages: []desk.Incoming{
		{OrderRef: "K-1", SourceID: "a", Body: "Bonjour"},
		{OrderRef: "K-2", SourceID: "b", Body: "Salut"},
	}}, nil
}

func (cliFake) Send(ctx context.Context, r channel.Reply) (channel.Sent, error) {
	return channel.Sent{SourceID: "s"}, nil
}

func TestSyncOnceCommand(t *testing.T) {
	data := t.TempDir()
	ctx := context.Background()
	s, err := store.Open(ctx, filepath.Join(data, "guichet.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	d := desk.New(desk.Config{Store: s})
	for _, name := range []string{"Kaufland", "Cassé", "Boutique"} {
		_, err := d.SaveChannel(ctx, cliAdmin, desk.Channel{Kind: desk.ChannelKaufland, Name: name, DeadlinePolicy: "48h business", GuardNames: []string{}, Active: true})
		if err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	defer func() { testConnectors = nil }()
	testConnectors = gsync.ConnectorsFunc(func(ctx context.Context, ch desk.Channel) (channel.Connector, error) {
		switch ch.Name {
		case "Kaufland":
			return cliFake{}, nil
		case "Cassé":
			return cliFake{fail: true}, nil
		}
		return nil, channel.ErrNotSupported
	})
	var out, errs bytes.Buffer
	err = run(ctx, []string{"sync", "--once", "--data", data, "--channel", "1"}, &out, &errs)
	if err != nil || !strings.Contains(out.String(), "Kaufland (canal 1) : 2 récupéré(s), 2 enregistré(s)") {
		t.Fatalf("one channel: %v\n%s%s", err, out.String(), errs.String())
	}
	out.Reset()
	err = run(ctx, []string{"sync", "--once", "--data", data}, &out, &errs)
	if err == nil || !strings.Contains(out.String(), "identifiants refusés") || !strings.Contains(out.String(), "Boutique (canal 3) : pas de connecteur") {
		t.Fatalf("every channel: %v\n%s", err, out.String())
	}
	if err := run(ctx, []string{"sync", "--data", data}, &out, &errs); err == nil || errors.Is(err, context.Canceled) {
		t.Errorf("sync without --once: %v", err)
	}
}
