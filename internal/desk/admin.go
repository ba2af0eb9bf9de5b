package desk

import (
	"context"
	"net/url"
	"strings"

	"guichet/internal/deadline"
)

// ChannelTx reads and stores channels.
type ChannelTx interface {
	Channels(ctx context.Context) ([]Channel, error)
	ChannelByID(ctx context.Context, id int64) (Channel, error)
	InsertChannel(ctx context.Context, c *Channel) error
	UpdateChannel(ctx context.Context, c *Channel) error
}

// AgentTx reads and stores agents and their passwords.
type AgentTx interface {
	Agents(ctx context.Context) ([]Agent, error)
	AgentByID(ctx context.Context, id int64) (Agent, error)
	// AgentByEmail returns the agent and its password hash.
	AgentByEmail(ctx context.Context, email string) (Agent, string, error)
	InsertAgent(ctx context.Context, a *Agent, passwordHash string) error
	UpdateAgent(ctx context.Context, a *Agent) error
	SetPassword(ctx context.Context, agentID int64, passwordHash string) error
}

// TemplateTx reads and stores default replies.
type TemplateTx interface {
	Templates(ctx context.Context) ([]Template, error)
	TemplateByID(ctx context.Context, id int64) (Template, error)
	InsertTemplate(ctx context.Context, t *Template) error
	UpdateTemplate(ctx context.Context, t *Template) error
	DeleteTemplate(ctx context.Context, id int64) error
}

func requireAdmin(actor Actor) error {
	if !actor.IsAdmin() {
		return Errorf(EForbidden, "réservé aux administrateurs")
	}
	return nil
}

// Channels lists every channel.
func (d *Desk) Channels(ctx context.Context) ([]Channel, error) {
	var cs []Channel
	err := d.store.Read(ctx, func(tx Tx) error {
		var err error
		cs, err = tx.Channels(ctx)
		return err
	})
	return cs, err
}

// SaveChannel creates a channel (ID 0) or updates one. Admins only.
func (d *Desk) SaveChannel(ctx context.Context, actor Actor, c Channel) (Channel, error) {
	if err := requireAdmin(actor); err != nil {
		return Channel{}, err
	}
	if err := checkChannel(&c); err != nil {
		return Channel{}, err
	}
	err := d.store.Write(ctx, func(tx Tx) error {
		if c.ResponsibleID != 0 {
			if _, err := tx.AgentByID(ctx, c.ResponsibleID); IsNotFound(err) {
				return Invalid("responsible_id", "responsable inconnu")
			} else if err != nil {
				return err
			}
		}
		if err := checkBackofficeChannel(ctx, tx, c); err != nil {
			return err
		}
		if err := checkChannelCalendar(ctx, tx, &c); err != nil {
			return err
		}
		if c.ID == 0 {
			if c.Kind == ChannelKaufland && c.Language == "" {
				c.Language = "de" // Kaufland's customers write German; the admin may choose otherwise
			}
			c.CreatedAt = d.Now()
			return tx.InsertChannel(ctx, &c)
		}
		old, err := tx.ChannelByID(ctx, c.ID)
		if err != nil {
			return err
		}
		c.CreatedAt = old.CreatedAt
		return tx.UpdateChannel(ctx, &c)
	})
	return c, err
}

func checkChannel(c *Channel) error {
	var err error
	if c.Name, err = checkLine("name", c.Name, maxNameChars, true); err != nil {
		return err
	}
	if !c.Kind.Valid() {
		return Invalid("kind", "type de canal inconnu : %q", c.Kind)
	}
	p, err := deadline.ParsePolicy(c.DeadlinePolicy)
	if err != nil {
		return Invalid("deadline_policy", "%v", err)
	}
	c.DeadlinePolicy = p.String()
	if c.Language = strings.ToLower(strings.TrimSpace(c.Language)); c.Language != "" && !validLanguage(c.Language) {
		return Invalid("language", "langue inconnue : %q (fr, de, en, it, es, nl)", c.Language)
	}
	if c.OrderURL, err = checkLine("order_url", c.OrderURL, 500, false); err != nil {
		return err
	}
	if c.OrderURL != "" {
		u, err := url.Parse(strings.ReplaceAll(c.OrderURL, "{order}", "x"))
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || !strings.Contains(c.OrderURL, "{order}") {
			return Invalid("order_url", "adresse http(s) contenant {order} attendue")
		}
	}
	names := c.GuardNames[:0:0]
	for _, n := range c.GuardNames {
		n, err := checkLine("guard_names", n, maxNameChars, false)
		if err != nil {
			return err
		}
		if n != "" {
			names = append(names, n)
		}
	}
	c.GuardNames = names
	return checkBackoffice(&c.Backoffice)
}

// checkBackofficeChannel checks that a rule points at a PrestaShop channel.
func checkBackofficeChannel(ctx context.Context, tx Tx, c Channel) error {
	if !c.Backoffice.Set() {
		return nil
	}
	bo, err := tx.ChannelByID(ctx, c.Backoffice.ChannelID)
	switch {
	case IsNotFound(err):
		return Invalid("backoffice_channel", "canal du back-office inconnu")
	case err != nil:
		return err
	case bo.Kind != ChannelPrestaShop || bo.ID == c.ID:
		return Invalid("backoffice_channel", "le back-office doit être un canal PrestaShop")
	}
	return nil
}

// Agents lists every agent.
func (d *Desk) Agents(ctx context.Context) ([]Agent, error) {
	var as []Agent
	err := d.store.Read(ctx, func(tx Tx) error {
		var err error
		as, err = tx.Agents(ctx)
		return err
	})
	return as, err
}

// AgentInput creates or changes an agent. An empty Password keeps the old
// one. An agent changing their own password gives the current one
// (CurrentPassword); their other sessions end, the one whose hash is in
// KeepSession stays open. A password an admin sets for another agent ends
// all of that agent's sessions, and needs no knowledge of the old one.
type AgentInput struct {
	ID              int64
	Email           string
	Name            string
	Role            Role
	Lang            string
	Active          bool
	Password        string
	CurrentPassword string
	KeepSession     []byte
}

// SaveAgent creates an agent (ID 0) or updates one. Admins only, except an
// agent changing their own language or password.
func (d *Desk) SaveAgent(ctx context.Context, actor Actor, in AgentInput) (Agent, error) {
	self := in.ID != 0 && in.ID == actor.AgentID
	if !self {
		if err := requireAdmin(actor); err != nil {
			return Agent{}, err
		}
	}
	a := Agent{ID: in.ID, Role: in.Role, Lang: in.Lang, Active: in.Active}
	var err error
	if a.Email, err = checkEmail("email", in.Email); err != nil {
		return Agent{}, err
	}
	if a.Email == "" {
		return Agent{}, Invalid("email", "champ obligatoire")
	}
	if a.Name, err = checkLine("name", in.Name, maxNameChars, true); err != nil {
		return Agent{}, err
	}
	if !a.Role.Valid() {
		return Agent{}, Invalid("role", "rôle inconnu : %q", a.Role)
	}
	if a.Lang == "" {
		a.Lang = "fr"
	}
	if a.Lang != "fr" && a.Lang != "en" {
		return Agent{}, Invalid("lang", "langue fr ou en")
	}
	if in.Password != "" && len(in.Password) < 10 {
		return Agent{}, Invalid("password", "10 caractères au moins")
	}
	if in.ID == 0 && in.Password == "" {
		return Agent{}, Invalid("password", "mot de passe obligatoire")
	}
	var verified string // the hash the current password was checked against
	if self && in.Password != "" {
		if verified, err = d.checkCurrentPassword(ctx, in.ID, in.CurrentPassword); err != nil {
			return Agent{}, err
		}
	}
	var newHash string
	if in.Password != "" { // hashed before the transaction: a hash slot is never awaited holding a connection
		if newHash, err = d.hashPassword(ctx, in.Password); err != nil {
			return Agent{}, err
		}
	}
	err = d.store.Write(ctx, func(tx Tx) error {
		if other, _, err := tx.AgentByEmail(ctx, a.Email); err == nil && other.ID != a.ID {
			return Invalid("email", "adresse déjà utilisée par %s", other.Name)
		} else if err != nil && !IsNotFound(err) {
			return err
		}
		if a.ID == 0 {
			a.CreatedAt = d.Now()
			return tx.InsertAgent(ctx, &a, newHash)
		}
		old, err := tx.AgentByID(ctx, a.ID)
		if err != nil {
			return err
		}
		if self && !actor.IsAdmin() { // an ADV may not promote or rename themself
			a.Role, a.Active, a.Email, a.Name = old.Role, old.Active, old.Email, old.Name
		}
		a.CreatedAt = old.CreatedAt
		if verified != "" {
			if _, hash, err := tx.AgentByEmail(ctx, old.Email); err != nil {
				return err
			} else if hash != verified {
				return Errorf(EConflict, "le mot de passe vient d'être changé ailleurs : recommencez")
			}
		}
		if err := tx.UpdateAgent(ctx, &a); err != nil {
			return err
		}
		if newHash == "" {
			return nil
		}
		if err := tx.SetPassword(ctx, a.ID, newHash); err != nil {
			return err
		}
		// A new password ends the agent's sessions, but for the one making
		// the change when it is their own.
		var keep []byte
		if self {
			keep = in.KeepSession
		}
		return tx.EndSessions(ctx, a.ID, keep)
	})
	return a, err
}

// checkCurrentPassword checks the password an agent gives to change theirs,
// counted against the account's sign-in limit (a stolen session must not
// become a way to guess the password), and returns the hash it matched.
func (d *Desk) checkCurrentPassword(ctx context.Context, agentID int64, current string) (string, error) {
	if current == "" {
		return "", Invalid("current_password", "mot de passe actuel obligatoire pour le changer")
	}
	var hash, email string
	err := d.store.Read(ctx, func(tx Tx) error {
		a, err := tx.AgentByID(ctx, agentID)
		if err != nil {
			return err
		}
		email = a.Email
		_, hash, err = tx.AgentByEmail(ctx, a.Email)
		return err
	})
	if err != nil {
		return "", err
	}
	res, ok := d.throttle.reserve(d.now(), limit{accountKey(email), d.limits.Account})
	if !ok {
		return "", ErrTooManyAttempts
	}
	good, err := d.checkPassword(ctx, hash, current)
	switch {
	case err != nil:
		res.release()
		return "", err
	case !good:
		res.fail(d.now())
		return "", Invalid("current_password", "mot de passe actuel incorrect")
	}
	res.release()
	return hash, nil
}

// Templates lists every default reply.
func (d *Desk) Templates(ctx context.Context) ([]Template, error) {
	var ts []Template
	err := d.store.Read(ctx, func(tx Tx) error {
		var err error
		ts, err = tx.Templates(ctx)
		return err
	})
	return ts, err
}

// SaveTemplate creates a default reply (ID 0) or updates one. Admins only.
func (d *Desk) SaveTemplate(ctx context.Context, actor Actor, t Template) (Template, error) {
	if err := requireAdmin(actor); err != nil {
		return Template{}, err
	}
	var err error
	if t.Name, err = checkLine("name", t.Name, maxNameChars, true); err != nil {
		return Template{}, err
	}
	if t.Body, err = checkBody("body", t.Body, maxBody); err != nil {
		return Template{}, err
	}
	if t.Body == "" {
		return Template{}, Invalid("body", "texte obligatoire (64 Kio au plus)")
	}
	if t.Lang, err = checkLine("lang", t.Lang, 10, false); err != nil {
		return Template{}, err
	}
	if t.Lang == "" {
		t.Lang = "fr"
	}
	err = d.store.Write(ctx, func(tx Tx) error {
		for _, id := range t.ChannelIDs {
			if _, err := tx.ChannelByID(ctx, id); IsNotFound(err) {
				return Invalid("channel_ids", "canal inconnu : %d", id)
			} else if err != nil {
				return err
			}
		}
		if t.ID == 0 {
			return tx.InsertTemplate(ctx, &t)
		}
		if _, err := tx.TemplateByID(ctx, t.ID); err != nil {
			return err
		}
		return tx.UpdateTemplate(ctx, &t)
	})
	return t, err
}

// DeleteTemplate removes a default reply; messages made from it keep its name.
func (d *Desk) DeleteTemplate(ctx context.Context, actor Actor, id int64) error {
	if err := requireAdmin(actor); err != nil {
		return err
	}
	return d.store.Write(ctx, func(tx Tx) error {
		if _, err := tx.TemplateByID(ctx, id); err != nil {
			return err
		}
		return tx.DeleteTemplate(ctx, id)
	})
}

// EnsureAdmin creates a first admin when there is no agent at all and returns
// its password (once); it returns "" when agents exist.
func (d *Desk) EnsureAdmin(ctx context.Context, email string) (string, error) {
	empty := func(tx Tx) (bool, error) {
		as, err := tx.Agents(ctx)
		return len(as) == 0, err
	}
	var none bool
	if err := d.store.Read(ctx, func(tx Tx) (err error) { none, err = empty(tx); return err }); err != nil || !none {
		return "", err
	}
	password := NewPassword()
	hash, err := d.hashPassword(ctx, password)
	if err != nil {
		return "", err
	}
	err = d.store.Write(ctx, func(tx Tx) error {
		if none, err = empty(tx); err != nil || !none { // another process was first
			return err
		}
		a := Agent{Email: normalizeEmail(email), Name: "Administrateur", Role: RoleAdmin, Lang: "fr", Active: true, CreatedAt: d.Now()}
		return tx.InsertAgent(ctx, &a, hash)
	})
	if err != nil || !none {
		return "", err
	}
	return password, nil
}
