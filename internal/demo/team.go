package demo

import (
	"context"
	"fmt"

	"guichet/internal/desk"
)

// memberSpec is a demo agent. Passwords are known on purpose: the CLI prints
// them so that the person trying guichet can sign in as each of them.
type memberSpec struct {
	Email, Name string
	Role        desk.Role
	Password    string
}

// teamSpecs: the head of customer service (admin) first, then the ADVs.
var teamSpecs = []memberSpec{
	{"nathalie.roux@example.com", "Nathalie Roux", desk.RoleAdmin, "guichet-nathalie"},
	{"lea.martin@example.com", "Léa Martin", desk.RoleADV, "guichet-lea"},
	{"karim.benali@example.com", "Karim Benali", desk.RoleADV, "guichet-karim"},
	{"camille.lefevre@example.com", "Camille Lefèvre", desk.RoleADV, "guichet-camille"},
	{"thomas.girard@example.com", "Thomas Girard", desk.RoleADV, "guichet-thomas"},
	{"ines.moreau@example.com", "Inès Moreau", desk.RoleADV, "guichet-ines"},
}

// Logins is the demo team's accounts as Load creates them: what `guichet
// bench --load` signs in with when given none.
func Logins() []Login {
	out := make([]Login, len(teamSpecs))
	for i, s := range teamSpecs {
		out[i] = Login{Email: s.Email, Password: s.Password, Name: s.Name, Role: s.Role}
	}
	return out
}

// team is the demo team once saved.
type team struct {
	admin   desk.Actor
	advs    []desk.Actor
	byEmail map[string]desk.Actor
	members []desk.Actor
	logins  []Login
}

// setUpTeam saves the demo agents. On an empty database the first admin is
// created by EnsureAdmin, as on a real first start, and becomes Nathalie; when
// `serve` already created its admin, that admin saves the team.
func setUpTeam(ctx context.Context, d *desk.Desk) (*team, error) {
	if _, err := d.EnsureAdmin(ctx, teamSpecs[0].Email); err != nil {
		return nil, err
	}
	agents, err := d.Agents(ctx)
	if err != nil {
		return nil, err
	}
	existing := map[string]desk.Agent{}
	var boot desk.Actor
	for _, a := range agents {
		existing[a.Email] = a
		if a.Role == desk.RoleAdmin && a.Active && (boot.AgentID == 0 || a.Email == teamSpecs[0].Email) {
			boot = desk.ActorOf(a)
		}
	}
	if boot.AgentID == 0 {
		return nil, fmt.Errorf("aucun administrateur actif pour créer l'équipe")
	}
	t := &team{byEmail: map[string]desk.Actor{}}
	for _, spec := range teamSpecs {
		in := desk.AgentInput{Email: spec.Email, Name: spec.Name, Role: spec.Role, Lang: "fr", Active: true, Password: spec.Password}
		in.ID = existing[spec.Email].ID // a leftover of an interrupted load is updated, not duplicated
		by := boot
		if in.ID == boot.AgentID {
			// Loading the demo is trusted like the command line: the first
			// admin's password is set without the random one it replaces.
			by = desk.Actor{Name: boot.Name, Role: desk.RoleAdmin}
		}
		a, err := d.SaveAgent(ctx, by, in)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", spec.Email, err)
		}
		actor := desk.ActorOf(a)
		if a.ID == boot.AgentID {
			boot = actor
		}
		if spec.Role == desk.RoleAdmin {
			t.admin = actor
		} else {
			t.advs = append(t.advs, actor)
		}
		t.byEmail[spec.Email] = actor
		t.members = append(t.members, actor)
		t.logins = append(t.logins, Login{Email: spec.Email, Password: spec.Password, Name: spec.Name, Role: spec.Role})
	}
	return t, nil
}
