package ui

// deadlineMessages are the labels of the inbox's deadline views, the
// calendars' and the automatic messages' admin pages.
var deadlineMessages = map[string]text{
	"inbox.due_soon": {"Dans moins de 4 h", "Due within 4 h"},
	"inbox.tabs":     {"Vues", "Views"},
	"inbox.tab_todo": {"À traiter", "To do"},

	"history.deadline_stopped": {"%s : plus de délai en cours (le ticket n'attend plus d'action d'un ADV)", "%s: no deadline running (the ticket no longer waits for an ADV)"},
	"history.deadline_rule":    {"Délai fixé au %s — %s", "Deadline set to %s — %s"},
}

func init() {
	for k, v := range deadlineMessages {
		if _, dup := messages[k]; dup {
			panic("label defined twice: " + k)
		}
		messages[k] = v
	}
}
