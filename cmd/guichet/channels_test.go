package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"guichet/internal/channel"
	"guichet/internal/channel/fakechannel"
	"guichet/internal/desk"
	"guichet/internal/secret"
)

func TestChannelCommands(t *testing.T) {
	registry = func() *channel.Registry {
		return channel.NewRegistry(fakechannel.Kind(desk.ChannelKaufland, &fakechannel.Recorder{}))
	}
	t.Cleanup(func() { registry = channelRegistry })
	t.Setenv(secret.EnvKey, "")
	ctx := context.Background()
	data := t.TempDir()
	var out, errs bytes.Buffer
	call := func(args ...string) (string, error) {
		out.Reset()
		err := run(ctx, append(args, "--data", data), &out, &errs)
		return out.String(), err
	}
	must := func(args ...string) string {
		t.Helper()
		o, err := call(args...)
		if err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		return o
	}
	must("user", "add", "--email", "lea@example.fr", "--name", "Léa Martin")
	o := must("channel", "add", "--kind", "kaufland", "--name", "Kaufland", "--responsible", "lea@example.fr",
		"--setting", "client_key=ck-1", "--setting", "secret_key=tr3s-secret")
	if o != "canal 1 « Kaufland » (kaufland) créé\n" {
		t.Errorf("add printed %q", o)
	}
	must("channel", "add", "--kind", "cdiscount", "--name", "Cdiscount")
	o = must("channel", "list")
	if !regexp.MustCompile(`(?m)^1 +kaufland +Kaufland +lea@example.fr +oui +réglée$`).MatchString(o) ||
		!regexp.MustCompile(`(?m)^2 +cdiscount +Cdiscount +— +oui +par l'API$`).MatchString(o) || strings.Contains(o, "tr3s-secret") {
		t.Errorf("list printed %q", o)
	}
	if fi, err := os.Stat(filepath.Join(data, secret.KeyFile)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("key file: %v %v", fi, err)
	}
	o = must("channel", "set", "1", "--name", "Kaufland.de", "--setting", "storefront=fr")
	if o != "canal 1 « Kaufland.de » (kaufland) modifié\n" {
		t.Errorf("set printed %q", o)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"channel", "set", "1", "--setting", "base_url=ftp://x"}, "--setting base_url : Adresse de l'API : adresse http(s):// attendue"},
		{[]string{"channel", "set", "1", "--setting", "storefront=xx"}, "--setting storefront"},
		{[]string{"channel", "set", "1", "--setting", "nope=1"}, "--setting nope"},
		{[]string{"channel", "set", "1", "--setting", "sans-egal"}, "clé=valeur"},
		{[]string{"channel", "set", "2", "--setting", "a=b"}, "par l'API"},
		{[]string{"channel", "set", "9", "--name", "x"}, "canal"},
		{[]string{"channel", "set", "x"}, "identifiant"},
		{[]string{"channel", "add", "--kind", "kaufland", "--name", "K2", "--setting", "client_key=a"}, "--setting secret_key : Clé secrète : obligatoire"},
		{[]string{"channel", "add", "--kind", "ebay", "--name", "eBay"}, "--kind"},
		{[]string{"channel", "add", "--kind", "amazon", "--name", "A", "--responsible", "nobody@example.fr"}, "--responsible"},
		{[]string{"channel"}, "usage"},
	} {
		if _, err := call(c.args...); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v; want %q", c.args, err, c.want)
		}
	}
	if o := must("channel", "list"); strings.Contains(o, "K2") || !strings.Contains(o, "Kaufland.de") {
		t.Errorf("a refused add left a channel: %q", o)
	}
	// The stored settings, opened with the key file: the secret kept, the change made.
	s, d, _, err := (&common{data: data}).openDesk(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sealed, _ := d.SealedSettings(ctx, 1)
	box, _ := secret.Load("", data)
	plain, err := box.Open(sealed)
	if err != nil || !strings.Contains(string(plain), `"secret_key":"tr3s-secret"`) || !strings.Contains(string(plain), `"storefront":"fr"`) {
		t.Errorf("stored settings: %s %v", plain, err)
	}
}
