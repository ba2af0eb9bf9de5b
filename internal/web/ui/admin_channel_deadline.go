package ui

import (
	"context"
	"net/http"
	"strconv"

	"guichet/internal/desk"
)

// deadlineForm fills the channel form's calendar, language and the problem
// of its stored deadline policy or calendar, if any.
func (h *adminChannels) deadlineForm(ctx context.Context, d *channelData) error {
	var err error
	if d.Calendars, err = h.desk.Calendars(ctx); err != nil {
		return err
	}
	d.Languages = desk.Languages
	if d.Form.ID == 0 {
		return nil
	}
	problems, err := h.desk.DeadlineProblems(ctx)
	d.DeadlineProblem = problems[d.Form.ID]
	return err
}

// formID reads an optional id of a form; 0 when absent or unreadable (the
// desk then refuses or defaults it).
func formID(r *http.Request, name string) int64 {
	id, _ := strconv.ParseInt(r.PostFormValue(name), 10, 64)
	return id
}
