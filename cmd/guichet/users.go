package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"

	"guichet/internal/desk"
)

func userCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "add" && args[0] != "list") {
		return fmt.Errorf("usage : guichet user add|list [options]")
	}
	fs, c := newFlags("user "+args[0], stderr)
	email := fs.String("email", "", "email de connexion")
	name := fs.String("name", "", "nom affiché")
	role := fs.String("role", "adv", "adv ou admin")
	lang := fs.String("lang", "fr", "fr ou en")
	password := fs.String("password", "", "mot de passe (généré si vide)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	s, d, _, err := c.openDesk(ctx, nil)
	if err != nil {
		return err
	}
	defer s.Close()
	if args[0] == "list" {
		agents, err := d.Agents(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tEMAIL\tNOM\tRÔLE\tACTIF")
		for _, a := range agents {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%v\n", a.ID, a.Email, a.Name, a.Role, a.Active)
		}
		return tw.Flush()
	}
	pw := *password
	if pw == "" {
		pw = desk.NewPassword()
	}
	a, err := d.SaveAgent(ctx, cliAdmin,
		desk.AgentInput{Email: *email, Name: *name, Role: desk.Role(*role), Lang: *lang, Active: true, Password: pw})
	if err != nil {
		return cliError(err)
	}
	fmt.Fprintf(stdout, "agent créé : %s (%s, %s)\n", a.Email, a.Name, a.Role)
	if *password == "" {
		fmt.Fprintf(stdout, "mot de passe : %s\n", pw)
	}
	return nil
}

// cliError shows a desk error the way a person reads it.
func cliError(err error) error {
	if f := desk.ErrorField(err); f != "" {
		return fmt.Errorf("--%s : %s", f, desk.ErrorMessage(err))
	}
	if desk.ErrorCode(err) != desk.EInternal {
		return fmt.Errorf("%s", desk.ErrorMessage(err))
	}
	return err
}
