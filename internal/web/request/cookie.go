package request

// SessionCookie names the cookie holding a browser's session token.
const SessionCookie = "guichet_session"

// DeviceCookie names the long-lived cookie that marks a browser as one an
// agent signed in from (desk.Device): sent to /login only.
const DeviceCookie = "guichet_device"

// CSRFField is the form field (and CSRFHeader the header) carrying the
// session's CSRF token on every state-changing request from a browser.
const (
	CSRFField  = "csrf"
	CSRFHeader = "X-CSRF-Token"
)
