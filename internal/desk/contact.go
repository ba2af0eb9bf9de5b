package desk

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// Contact is whom the public contact form writes to (« Service client »,
// « Webmaster »): its messages open tickets on its email channel, or, when
// SaveMessages is off, are only forwarded by email to its address.
type Contact struct {
	ID           int64     `json:"id"`
	Name         string    `json:"name"`
	Email        string    `json:"email,omitempty"`
	ChannelID    int64     `json:"channel_id,omitempty"` // an email channel
	SaveMessages bool      `json:"save_messages"`
	Description  string    `json:"description,omitempty"` // one line, shown on the form
	Position     int       `json:"position"`
	CreatedAt    time.Time `json:"created_at"`
}

// ServiceOptions are the customer-service options (« Options de SAV »),
// shared by every contact.
type ServiceOptions struct {
	AllowUpload  bool   `json:"allow_upload"`  // the form takes a file
	DefaultReply string `json:"default_reply"` // pre-filled in the reply box of form tickets
	// FrameAncestors: the sites allowed to show the form in a frame (the
	// shop's pages), as CSP frame-ancestors sources; "" allows none.
	FrameAncestors string `json:"frame_ancestors,omitempty"`
	// SendingChannelID: the email channel that sends what is not a reply
	// (forwards, notifications); 0: the first active email channel.
	SendingChannelID int64 `json:"sending_channel_id,omitempty"`
}

// ContactTx reads and stores contacts and the customer-service options.
type ContactTx interface {
	Contacts(ctx context.Context) ([]Contact, error)
	ContactByID(ctx context.Context, id int64) (Contact, error)
	InsertContact(ctx context.Context, c *Contact) error
	UpdateContact(ctx context.Context, c *Contact) error
	DeleteContact(ctx context.Context, id int64) error
	ServiceSettings(ctx context.Context) (map[string]string, error)
	SetServiceSetting(ctx context.Context, key, value string) error
}

// Contacts lists the contacts in the form's order. Anyone may read them:
// the public form shows them.
func (d *Desk) Contacts(ctx context.Context) ([]Contact, error) {
	var cs []Contact
	err := d.store.Read(ctx, func(tx Tx) error {
		var err error
		cs, err = tx.Contacts(ctx)
		return err
	})
	return cs, err
}

// Contact returns one contact.
func (d *Desk) Contact(ctx context.Context, id int64) (Contact, error) {
	var c Contact
	err := d.store.Read(ctx, func(tx Tx) error {
		var err error
		c, err = tx.ContactByID(ctx, id)
		return err
	})
	return c, err
}

// SaveContact creates (ID 0) or changes a contact. Admins only.
func (d *Desk) SaveContact(ctx context.Context, actor Actor, c Contact) (Contact, error) {
	if err := requireAdmin(actor); err != nil {
		return Contact{}, err
	}
	var err error
	if c.Name, err = checkLine("name", c.Name, maxNameChars, true); err != nil {
		return Contact{}, err
	}
	if c.Email, err = checkEmail("email", c.Email); err != nil {
		return Contact{}, err
	}
	if c.Description, err = checkLine("description", c.Description, 200, false); err != nil {
		return Contact{}, err
	}
	if !c.SaveMessages && c.Email == "" {
		return Contact{}, Invalid("email", "une adresse est nécessaire quand les messages ne sont pas enregistrés : ils lui sont transférés")
	}
	err = d.store.Write(ctx, func(tx Tx) error {
		if c.ChannelID != 0 {
			if err := checkEmailChannel(ctx, tx, "channel_id", c.ChannelID); err != nil {
				return err
			}
		}
		if c.ID == 0 {
			c.CreatedAt = d.Now()
			return tx.InsertContact(ctx, &c)
		}
		old, err := tx.ContactByID(ctx, c.ID)
		if err != nil {
			return err
		}
		c.CreatedAt = old.CreatedAt
		return tx.UpdateContact(ctx, &c)
	})
	return c, err
}

// DeleteContact removes a contact; the messages it brought stay. Admins only.
func (d *Desk) DeleteContact(ctx context.Context, actor Actor, id int64) error {
	if err := requireAdmin(actor); err != nil {
		return err
	}
	return d.store.Write(ctx, func(tx Tx) error {
		if _, err := tx.ContactByID(ctx, id); err != nil {
			return err
		}
		return tx.DeleteContact(ctx, id)
	})
}

func checkEmailChannel(ctx context.Context, tx Tx, field string, id int64) error {
	ch, err := tx.ChannelByID(ctx, id)
	if IsNotFound(err) || (err == nil && ch.Kind != ChannelEmail) {
		return Invalid(field, "canal email inconnu")
	}
	return err
}

// Service settings' keys.
const (
	settingAllowUpload    = "allow_upload"
	settingDefaultReply   = "default_reply"
	settingFrameAncestors = "frame_ancestors"
	settingSendingChannel = "sending_channel_id"
)

// ServiceOptions returns the customer-service options.
func (d *Desk) ServiceOptions(ctx context.Context) (ServiceOptions, error) {
	var o ServiceOptions
	err := d.store.Read(ctx, func(tx Tx) error {
		var err error
		o, err = serviceOptions(ctx, tx)
		return err
	})
	return o, err
}

func serviceOptions(ctx context.Context, tx ContactTx) (ServiceOptions, error) {
	m, err := tx.ServiceSettings(ctx)
	if err != nil {
		return ServiceOptions{}, err
	}
	id, _ := strconv.ParseInt(m[settingSendingChannel], 10, 64)
	return ServiceOptions{AllowUpload: m[settingAllowUpload] == "1", DefaultReply: m[settingDefaultReply],
		FrameAncestors: m[settingFrameAncestors], SendingChannelID: id}, nil
}

// SetServiceOptions changes the customer-service options. Admins only.
func (d *Desk) SetServiceOptions(ctx context.Context, actor Actor, o ServiceOptions) (ServiceOptions, error) {
	if err := requireAdmin(actor); err != nil {
		return ServiceOptions{}, err
	}
	reply, err := checkBody("default_reply", o.DefaultReply, 8<<10)
	if err != nil {
		return ServiceOptions{}, err
	}
	ancestors, err := checkFrameAncestors(o.FrameAncestors)
	if err != nil {
		return ServiceOptions{}, err
	}
	o.DefaultReply, o.FrameAncestors = reply, ancestors
	err = d.store.Write(ctx, func(tx Tx) error {
		if o.SendingChannelID != 0 {
			if err := checkEmailChannel(ctx, tx, "sending_channel_id", o.SendingChannelID); err != nil {
				return err
			}
		}
		for k, v := range map[string]string{settingAllowUpload: boolText(o.AllowUpload), settingDefaultReply: o.DefaultReply,
			settingFrameAncestors: o.FrameAncestors, settingSendingChannel: strconv.FormatInt(o.SendingChannelID, 10)} {
			if err := tx.SetServiceSetting(ctx, k, v); err != nil {
				return err
			}
		}
		return nil
	})
	return o, err
}

func boolText(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// checkFrameAncestors accepts space-separated https origins (or hosts with
// a leading "*."), what a CSP frame-ancestors directive takes: nothing that
// could end the directive or add another.
func checkFrameAncestors(s string) (string, error) {
	if err := checkText("frame_ancestors", s); err != nil {
		return "", err
	}
	fields := strings.Fields(s)
	for _, f := range fields {
		ok := len(f) <= 200 && !strings.ContainsAny(f, ";,'\"")
		if ok {
			rest, found := strings.CutPrefix(f, "https://")
			if !found {
				rest, found = strings.CutPrefix(f, "http://")
			}
			ok = found && rest != "" && !strings.Contains(rest, "/")
		}
		if !ok {
			return "", Invalid("frame_ancestors", "origine invalide : %q (attendu : https://boutique.example)", f)
		}
	}
	return strings.Join(fields, " "), nil
}
