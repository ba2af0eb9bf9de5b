package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"guichet/internal/channel"
	"guichet/internal/channel/kaufland"
	"guichet/internal/channel/mail"
	"guichet/internal/channel/mirakl"
	"guichet/internal/channel/prestashop"
	"guichet/internal/desk"
	"guichet/internal/secret"
)

const channelUsage = `usage :
  guichet channel list                                  les canaux (jamais la valeur des secrets)
  guichet channel add --kind K --name N [--responsible EMAIL] [--deadline "48h business"]
                      [--setting clé=valeur ...]        crée un canal et règle sa connexion
  guichet channel set ID [--name N] [--responsible EMAIL] [--setting clé=valeur ...]
                                                        change un canal ; les réglages non donnés sont gardés
Les réglages de connexion (--setting) sont ceux du type de canal, vérifiés comme dans la page
d'administration ; ils sont chiffrés avec la clé GUICHET_SECRET_KEY, ou le fichier secret.key
du dossier --data (créé au premier usage, mode 0600). Plusieurs serveurs sur une même base
PostgreSQL partagent la même clé : donnez-la par GUICHET_SECRET_KEY.`

// channelRegistry lists the channel kinds guichet has a connector for. A
// kind without one takes its messages through POST
// /api/v1/channels/{id}/messages.
func channelRegistry() *channel.Registry {
	return channel.NewRegistry(kaufland.Kind(), mirakl.Kind(), prestashop.Kind(), mail.Kind(), mail.AmazonKind())
}

// registry is channelRegistry, replaced by tests.
var registry = channelRegistry

// settingFlags collects repeated --setting key=value.
type settingFlags map[string]string

func (s settingFlags) String() string { return "" }

func (s settingFlags) Set(v string) error {
	key, value, ok := strings.Cut(v, "=")
	if !ok || strings.TrimSpace(key) == "" {
		return fmt.Errorf("clé=valeur attendu, reçu %q", v)
	}
	s[strings.TrimSpace(key)] = value
	return nil
}

// openConnectors opens the settings' key in the data folder (or from the
// environment) and builds the channels' connectors over d.
func openConnectors(c *common, d *desk.Desk, log *slog.Logger) (*channel.Connectors, error) {
	box, err := secret.Load(os.Getenv(secret.EnvKey), c.data)
	if err != nil {
		return nil, err
	}
	return channel.NewConnectors(channel.ConnectorsConfig{Registry: registry(), Sealer: box, Desk: d, Log: log}), nil
}

func channelCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "list" && args[0] != "add" && args[0] != "set") {
		return fmt.Errorf("%s", channelUsage)
	}
	verb, rest := args[0], args[1:]
	var id int64
	if verb == "set" {
		if len(rest) == 0 {
			return fmt.Errorf("guichet channel set ID … : l'identifiant du canal (voir guichet channel list)")
		}
		var err error
		if id, err = strconv.ParseInt(rest[0], 10, 64); err != nil || id <= 0 {
			return fmt.Errorf("identifiant de canal invalide : %q", rest[0])
		}
		rest = rest[1:]
	}
	fs, c := newFlags("channel "+verb, stderr)
	kind := fs.String("kind", "", "type : "+kindList())
	name := fs.String("name", "", "nom affiché")
	responsible := fs.String("responsible", "", "email de l'ADV responsable (les nouveaux tickets lui sont attribués)")
	deadline := fs.String("deadline", "48h business", "délai de réponse (ex. « 48h business », « 24h »)")
	settings := settingFlags{}
	fs.Var(settings, "setting", "réglage de connexion clé=valeur (répétable)")
	if err := fs.Parse(rest); err != nil {
		return err
	}
	s, d, _, err := c.openDesk(ctx, nil)
	if err != nil {
		return err
	}
	defer s.Close()
	cs, err := openConnectors(c, d, nil)
	if err != nil {
		return err
	}
	cmd := &channelCLI{d: d, cs: cs, out: stdout}
	switch verb {
	case "list":
		return cmd.list(ctx)
	case "add":
		if desk.ChannelKind(*kind) == desk.ChannelAmazon && !flagGiven(fs, "deadline") {
			*deadline = "" // Amazon's own: 24 h around the clock
		}
		return cmd.save(ctx, desk.Channel{Kind: desk.ChannelKind(*kind), Name: *name, DeadlinePolicy: *deadline, Active: true}, *responsible, settings)
	}
	ch, err := d.Channel(ctx, id)
	if err != nil {
		return cliError(err)
	}
	if *name != "" {
		ch.Name = *name
	}
	return cmd.save(ctx, ch, *responsible, settings)
}

func kindList() string {
	names := make([]string, len(desk.ChannelKinds))
	for i, k := range desk.ChannelKinds {
		names[i] = string(k)
	}
	return strings.Join(names, ", ")
}

// channelCLI runs the channel commands.
type channelCLI struct {
	d   *desk.Desk
	cs  *channel.Connectors
	out io.Writer
}

func (c *channelCLI) list(ctx context.Context) error {
	channels, err := c.d.Channels(ctx)
	if err != nil {
		return err
	}
	agents, err := c.d.Agents(ctx)
	if err != nil {
		return err
	}
	emails := map[int64]string{}
	for _, a := range agents {
		emails[a.ID] = a.Email
	}
	tw := tabwriter.NewWriter(c.out, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tTYPE\tNOM\tRESPONSABLE\tACTIF\tCONNEXION")
	for _, ch := range channels {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", ch.ID, ch.Kind, ch.Name, orDash(emails[ch.ResponsibleID]), yesNo(ch.Active), c.connection(ctx, ch))
	}
	return tw.Flush()
}

// connection says whether a channel's connection is set, never how.
func (c *channelCLI) connection(ctx context.Context, ch desk.Channel) string {
	if _, ok := c.cs.Registry().Kind(ch.Kind); !ok {
		return "par l'API"
	}
	sealed, err := c.d.SealedSettings(ctx, ch.ID)
	switch {
	case err != nil:
		return "illisible"
	case len(sealed) == 0:
		return "à régler"
	}
	return "réglée"
}

func (c *channelCLI) save(ctx context.Context, ch desk.Channel, responsible string, settings settingFlags) error {
	if responsible != "" {
		agents, err := c.d.Agents(ctx)
		if err != nil {
			return err
		}
		ch.ResponsibleID = 0
		for _, a := range agents {
			if strings.EqualFold(a.Email, strings.TrimSpace(responsible)) {
				ch.ResponsibleID = a.ID
			}
		}
		if ch.ResponsibleID == 0 {
			return fmt.Errorf("--responsible : aucun agent avec l'email %q", responsible)
		}
	}
	if len(settings) > 0 {
		if _, ok := c.cs.Registry().Kind(ch.Kind); !ok {
			return fmt.Errorf("--setting : le type %q n'a pas de connecteur ; ses messages arrivent par l'API (POST /api/v1/channels/{id}/messages)", ch.Kind)
		}
	}
	created := ch.ID == 0
	// Settings are checked before the channel is saved: a refused one
	// changes nothing.
	if k, _ := c.cs.Registry().Kind(ch.Kind); created && len(settings) > 0 {
		if _, err := k.Check(settings); err != nil {
			return settingError(err)
		}
	} else if len(settings) > 0 {
		if err := c.cs.SaveSettings(ctx, cliAdmin, ch.ID, settings); err != nil {
			return settingError(err)
		}
	}
	ch, err := c.d.SaveChannel(ctx, cliAdmin, ch)
	if err != nil {
		return cliError(err)
	}
	if created && len(settings) > 0 {
		if err := c.cs.SaveSettings(ctx, cliAdmin, ch.ID, settings); err != nil {
			return settingError(err)
		}
	}
	what := "modifié"
	if created {
		what = "créé"
	}
	fmt.Fprintf(c.out, "canal %d « %s » (%s) %s\n", ch.ID, ch.Name, ch.Kind, what)
	return nil
}

func settingError(err error) error {
	if f := desk.ErrorField(err); f != "" {
		return fmt.Errorf("--setting %s : %s", f, desk.ErrorMessage(err))
	}
	return cliError(err)
}

func yesNo(b bool) string {
	if b {
		return "oui"
	}
	return "non"
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// flagGiven says whether the command line set the flag.
func flagGiven(fs *flag.FlagSet, name string) bool {
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	return given
}
