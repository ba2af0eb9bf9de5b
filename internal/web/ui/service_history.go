package ui

import "guichet/internal/desk"

// serviceHistory is the history line of a forward to an agent or by email.
func serviceHistory(tr translator, e desk.Event, who string) string {
	switch {
	case e.Kind == desk.EventForwarded:
		return tr.T("history.forwarded", who, e.New)
	case e.Old == desk.EmailFailed:
		return tr.T("history.email_failed", e.New)
	}
	return tr.T("history.emailed", who, e.New)
}

// serviceNotice is the confirmation after a thread action.
func serviceNotice(tr translator, ok string) string {
	return tr.T(map[string]string{"handled": "service.ok_handled", "reopened": "service.ok_reopened",
		"forwarded": "service.ok_forwarded", "emailed": "service.ok_emailed"}[ok])
}
