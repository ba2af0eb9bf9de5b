package request

// SessionCookie names the cookie holding a browser's session token.
const SessionCookie = "guichet_session"

// CSRFField is the form field (and CSRFHeader the header) carrying the
// session's CSRF token on every state-changing request from a browser.
const (
	CSRFField  = "csrf"
	CSRFHeader = "X-CSRF-Token"
)
