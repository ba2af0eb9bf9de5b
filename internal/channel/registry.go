package channel

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"guichet/internal/desk"
)

// SettingKind is how a setting is entered and checked.
type SettingKind string

const (
	SettingText   SettingKind = "text"
	SettingURL    SettingKind = "url"
	SettingNumber SettingKind = "number"
	SettingBool   SettingKind = "bool" // "true" or "false"
	SettingSelect SettingKind = "select"
)

// Setting describes one connection setting of a kind. The admin form, the
// CLI (--setting key=value) and the API use the same keys.
type Setting struct {
	Key      string      `json:"key"`
	Label    string      `json:"label"` // French
	Help     string      `json:"help,omitempty"`
	Kind     SettingKind `json:"kind"`
	Options  []Option    `json:"options,omitempty"`
	Default  string      `json:"default,omitempty"`
	Required bool        `json:"required,omitempty"`
	// Secret settings are never shown back (masked; leave empty to keep).
	// Every setting is stored sealed; Secret is about display.
	Secret bool `json:"secret,omitempty"`
}

// Config is what a connector is built from.
type Config struct {
	Channel  desk.Channel
	Settings map[string]string // checked by Kind.Check, defaults applied
	HTTP     *http.Client      // nil: a client with sane timeouts
	Now      func() time.Time  // nil: time.Now
	Log      *slog.Logger      // nil: discard
}

// Kind is a channel kind guichet has a connector for.
type Kind struct {
	Kind     desk.ChannelKind
	Name     string // « Kaufland »
	Settings []Setting
	// Every is the default time between two fetches.
	Every time.Duration
	New   func(Config) (Connector, error)
}

// Check validates values against the kind's settings: unknown keys and
// missing required ones are refused, defaults fill what is empty, and
// values are trimmed. It returns the settings to store.
func (k Kind) Check(values map[string]string) (map[string]string, error) {
	out := map[string]string{}
	for key := range values {
		if !slices.ContainsFunc(k.Settings, func(s Setting) bool { return s.Key == key }) {
			return nil, desk.Invalid(key, "réglage inconnu pour %s : %q", k.Name, key)
		}
	}
	for _, s := range k.Settings {
		v := strings.TrimSpace(values[s.Key])
		if v == "" {
			v = s.Default
		}
		if v == "" {
			if s.Required {
				return nil, desk.Invalid(s.Key, "%s : obligatoire", s.Label)
			}
			continue
		}
		if err := s.check(v); err != nil {
			return nil, err
		}
		out[s.Key] = v
	}
	return out, nil
}

func (s Setting) check(v string) error {
	switch s.Kind {
	case SettingURL:
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return desk.Invalid(s.Key, "%s : adresse http(s):// attendue", s.Label)
		}
	case SettingNumber:
		if _, err := strconv.Atoi(v); err != nil {
			return desk.Invalid(s.Key, "%s : nombre attendu", s.Label)
		}
	case SettingBool:
		if v != "true" && v != "false" {
			return desk.Invalid(s.Key, "%s : true ou false attendu", s.Label)
		}
	case SettingSelect:
		if !slices.ContainsFunc(s.Options, func(o Option) bool { return o.Value == v }) {
			return desk.Invalid(s.Key, "%s : valeur inconnue %q", s.Label, v)
		}
	}
	if len(v) > 4096 {
		return desk.Invalid(s.Key, "%s : trop long", s.Label)
	}
	return nil
}

// Registry maps channel kinds to their connectors.
type Registry struct {
	kinds []Kind
}

// NewRegistry returns a registry of the given kinds.
func NewRegistry(kinds ...Kind) *Registry {
	return &Registry{kinds: kinds}
}

// Kind returns the kind's description; ok is false for a kind without a
// connector (its channel takes messages through the API only).
func (r *Registry) Kind(k desk.ChannelKind) (Kind, bool) {
	for _, x := range r.kinds {
		if x.Kind == k {
			return x, true
		}
	}
	return Kind{}, false
}

// Kinds lists the kinds that have a connector.
func (r *Registry) Kinds() []Kind { return slices.Clone(r.kinds) }

// New builds the connector of a channel from its opened settings.
func (r *Registry) New(c Config) (Connector, error) {
	k, ok := r.Kind(c.Channel.Kind)
	if !ok {
		return nil, fmt.Errorf("canal %s : %w", c.Channel.Kind, ErrNotSupported)
	}
	s, err := k.Check(c.Settings)
	if err != nil {
		return nil, err
	}
	c.Settings = s
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
	if c.HTTP == nil {
		c.HTTP = DefaultHTTPClient()
	}
	return k.New(c)
}

// DefaultHTTPClient is the client connectors use unless told otherwise:
// a whole request never takes more than a minute.
func DefaultHTTPClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.ResponseHeaderTimeout = 30 * time.Second
	t.MaxIdleConnsPerHost = 8
	return &http.Client{Transport: t, Timeout: time.Minute}
}
