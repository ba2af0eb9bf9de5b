package prestashopfake

import "strconv"

// MessageRow is one customer message the shop holds, as the fault tests
// count them.
type MessageRow struct {
	ID       int
	Thread   int
	Employee bool // written by an employee
	Private  bool // an employees' note
	Text     string
}

// MessageRows lists the shop's customer messages, oldest first.
func (s *Server) MessageRows() []MessageRow {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []MessageRow
	for _, r := range s.st.tables["customer_messages"].rows {
		th, _ := strconv.Atoi(r.f["id_customer_thread"])
		out = append(out, MessageRow{ID: r.id, Thread: th, Employee: r.f["id_employee"] != "0" && r.f["id_employee"] != "",
			Private: r.f["private"] == "1", Text: r.f["message"]})
	}
	return out
}
