package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"guichet/internal/desk"
)

const tokenUsage = `usage :
  guichet token add --email <agent> --name <usage>     un jeton qui agit au nom de l'agent
  guichet token add --integration --name <usage>       un jeton d'intégration (agit comme le système)
  guichet token list [--email <agent>]                 les jetons (d'un agent)
  guichet token revoke --id <n>                        révoque un jeton, tout de suite`

// cliAdmin is the command line's actor: trusted like an administrator.
var cliAdmin = desk.Actor{Name: "ligne de commande", Role: desk.RoleAdmin}

func tokenCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "add" && args[0] != "list" && args[0] != "revoke") {
		return fmt.Errorf("%s", tokenUsage)
	}
	fs, c := newFlags("token "+args[0], stderr)
	email := fs.String("email", "", "l'agent au nom duquel le jeton agit")
	name := fs.String("name", "", "à quoi sert le jeton (ex. « bouton PrestaShop »)")
	integration := fs.Bool("integration", false, "jeton d'intégration : agit comme le système, pas comme un agent")
	id := fs.Int64("id", 0, "le jeton à révoquer (voir token list)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	s, d, _, err := c.openDesk(ctx, nil)
	if err != nil {
		return err
	}
	defer s.Close()
	agents, err := d.Agents(ctx)
	if err != nil {
		return err
	}
	byEmail := func() (desk.Agent, error) {
		for _, a := range agents {
			if strings.EqualFold(a.Email, strings.TrimSpace(*email)) {
				return a, nil
			}
		}
		return desk.Agent{}, fmt.Errorf("aucun agent avec l'email %q", *email)
	}
	switch args[0] {
	case "add":
		if *integration == (*email != "") {
			return fmt.Errorf("--email <agent> ou --integration, l'un des deux")
		}
		if *integration {
			token, err := d.CreateIntegrationToken(ctx, cliAdmin, *name)
			if err != nil {
				return cliError(err)
			}
			fmt.Fprintf(stdout, "jeton d'intégration « %s » (affiché une seule fois) :\n%s\n", strings.TrimSpace(*name), token)
			return nil
		}
		a, err := byEmail()
		if err != nil {
			return err
		}
		token, err := d.CreateAPIToken(ctx, cliAdmin, a.ID, *name)
		if err != nil {
			return cliError(err)
		}
		fmt.Fprintf(stdout, "jeton pour %s (affiché une seule fois) :\n%s\n", a.Email, token)
		return nil
	case "revoke":
		if *id <= 0 {
			return fmt.Errorf("--id <n> : le jeton à révoquer (voir guichet token list)")
		}
		t, err := d.RevokeAPIToken(ctx, cliAdmin, *id)
		if err != nil {
			return cliError(err)
		}
		fmt.Fprintf(stdout, "jeton %d « %s » révoqué\n", t.ID, t.Name)
		return nil
	}
	var f desk.TokenFilter
	if *email != "" {
		a, err := byEmail()
		if err != nil {
			return err
		}
		f.AgentID = a.ID
	}
	ts, err := d.APITokens(ctx, cliAdmin, f)
	if err != nil {
		return cliError(err)
	}
	names := map[int64]string{}
	for _, a := range agents {
		names[a.ID] = a.Email
	}
	tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tAGIT COMME\tNOM\tCRÉÉ\tDERNIER USAGE")
	for _, t := range ts {
		who := "intégration"
		if !t.IsIntegration() {
			who = names[t.AgentID]
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", t.ID, who, t.Name, cliTime(t.CreatedAt), cliTime(t.LastUsedAt))
	}
	return tw.Flush()
}

func cliTime(t time.Time) string {
	if t.IsZero() {
		return "jamais"
	}
	return t.Local().Format("2006-01-02 15:04")
}
