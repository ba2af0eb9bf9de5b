package desk

import "time"

// Role is what an agent may do.
type Role string

const (
	RoleAdmin Role = "admin"
	RoleADV   Role = "adv"
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r == RoleAdmin || r == RoleADV }

// Agent is a person who signs in: an ADV or an admin.
type Agent struct {
	ID        int64     `json:"id"`
	Email     string    `json:"email"`
	Name      string    `json:"name"`
	Role      Role      `json:"role"`
	Lang      string    `json:"lang"` // "fr" or "en"
	Active    bool      `json:"active"`
	CreatedAt time.Time `json:"created_at"`
}

// Actor is who performs a use case: an agent, or the system itself (ID 0).
type Actor struct {
	AgentID int64
	Name    string
	Role    Role
}

// System is the actor for work guichet does by itself (fetching, scheduling).
var System = Actor{Name: "système"}

// ActorOf returns the actor for a signed-in agent.
func ActorOf(a Agent) Actor { return Actor{AgentID: a.ID, Name: a.Name, Role: a.Role} }

// IsAdmin reports whether the actor may administer guichet.
func (a Actor) IsAdmin() bool { return a.Role == RoleAdmin }

// Customer is the person behind orders, as known from channels and the shop.
type Customer struct {
	ID         int64     `json:"id"`
	ChannelID  int64     `json:"channel_id,omitempty"`
	ExternalID string    `json:"external_id,omitempty"` // the channel's customer id
	Name       string    `json:"name"`
	Email      string    `json:"email,omitempty"` // often a marketplace relay address
	Phone      string    `json:"phone,omitempty"`
	Note       string    `json:"note,omitempty"` // private
	CreatedAt  time.Time `json:"created_at"`
	Profile              // the person's directory columns (customer_person.go)
}

// Template is a default reply.
type Template struct {
	ID         int64   `json:"id"`
	Name       string  `json:"name"`
	Body       string  `json:"body"`
	Lang       string  `json:"lang"`
	ChannelIDs []int64 `json:"channel_ids"` // empty: every channel
}

// AllowedOn reports whether the template may be used on the channel.
func (t *Template) AllowedOn(channelID int64) bool {
	if len(t.ChannelIDs) == 0 {
		return true
	}
	for _, id := range t.ChannelIDs {
		if id == channelID {
			return true
		}
	}
	return false
}
