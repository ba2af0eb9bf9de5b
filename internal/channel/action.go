package channel

// Action is something the channel lets the seller do on a ticket's order.
type Action struct {
	ID      string  `json:"id"`      // "refund", "cancel_unit", "close", "order", "customer_service"
	Label   string  `json:"label"`   // French, as the seeds name it (« Rembourser une partie du montant »)
	Confirm string  `json:"confirm"` // the question asked before running it
	Params  []Param `json:"params,omitempty"`
	// URL, when set, makes the action a link (opened in a new tab) rather
	// than a call: what the API cannot do, the channel's portal can.
	URL string `json:"url,omitempty"`
	// ReadOnly actions (order details) change nothing and need no confirmation.
	ReadOnly bool `json:"read_only,omitempty"`
}

// ParamKind is how a parameter is asked for.
type ParamKind string

const (
	ParamText   ParamKind = "text"
	ParamLong   ParamKind = "long"   // several lines: a message
	ParamAmount ParamKind = "amount" // in the order's currency, "12,50" or "12.50"; sent to RunAction as cents
	ParamSelect ParamKind = "select"
)

// Param is one input of an action.
type Param struct {
	Key      string    `json:"key"`
	Label    string    `json:"label"`
	Kind     ParamKind `json:"kind"`
	Options  []Option  `json:"options,omitempty"` // ParamSelect
	Required bool      `json:"required,omitempty"`
	Default  string    `json:"default,omitempty"`
}

// Option is a choice of a select: the value sent, the label shown.
type Option struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

// ActionResult is the channel's answer to an action, shown to the agent
// and recorded in the ticket's history.
type ActionResult struct {
	Message string `json:"message"`
	Order   *Order `json:"order,omitempty"` // for the order-details action
}
