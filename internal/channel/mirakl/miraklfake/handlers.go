package miraklfake

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

func (s *Server) handle(w http.ResponseWriter, r *http.Request, body []byte) {
	p, q := r.URL.Path, r.URL.Query()
	rest, inbox := strings.CutPrefix(p, "/api/inbox/threads/")
	switch {
	case r.Method == "GET" && p == "/api/account":
		s.account(w)
	case r.Method == "GET" && p == "/api/inbox/threads":
		s.listThreads(w, q)
	case r.Method == "POST" && p == "/api/inbox/threads":
		s.post(w, r, body, "M14", "")
	case inbox && r.Method == "GET" && strings.HasSuffix(rest, "/download"):
		s.download(w, strings.TrimSuffix(rest, "/download"))
	case inbox && r.Method == "POST" && strings.HasSuffix(rest, "/message"):
		s.post(w, r, body, "M12", strings.TrimSuffix(rest, "/message"))
	case inbox && r.Method == "GET" && !strings.Contains(rest, "/"):
		s.getThread(w, rest)
	case r.Method == "GET" && p == "/api/orders":
		s.listOrders(w, q)
	case r.Method == "PUT" && p == "/api/orders/refund":
		s.refund(w, body)
	case r.Method == "PUT" && p == "/api/orders/cancel":
		s.cancelLines(w, body)
	case r.Method == "PUT" && strings.HasPrefix(p, "/api/orders/") && strings.HasSuffix(p, "/cancel"):
		s.cancelOrder(w, strings.TrimSuffix(strings.TrimPrefix(p, "/api/orders/"), "/cancel"))
	case r.Method == "POST" && strings.HasPrefix(p, "/api/orders/") && strings.HasSuffix(p, "/threads"):
		s.post(w, r, body, "OR43", strings.TrimSuffix(strings.TrimPrefix(p, "/api/orders/"), "/threads"))
	case r.Method == "GET" && p == "/api/reasons":
		s.reasons(w)
	default:
		writeJSON(w, http.StatusNotFound, apiError{Message: "Not Found", Status: 404})
	}
}

func fail(w http.ResponseWriter, status int, format string, a ...any) {
	writeJSON(w, status, apiError{Message: fmt.Sprintf(format, a...), Status: status})
}

func stamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

func money(cents int64) float64 { return float64(cents) / 100 }

func (s *Server) account(w http.ResponseWriter) {
	id := int64(2001)
	if s.shopID != "" {
		id, _ = strconv.ParseInt(s.shopID, 10, 64)
	}
	writeJSON(w, 200, s.fill("A01_Response_200", map[string]any{"shop_id": id, "shop_name": "Ma Boutique",
		"shop_state": "OPEN", "currency_iso_code": "EUR"}))
}

func participants(ps []Participant) []map[string]any {
	out := []map[string]any{}
	for _, p := range ps {
		m := map[string]any{"type": p.Type, "display_name": p.Name}
		if p.Type != "OPERATOR" && p.ID != "" {
			m["id"] = p.ID // Mirakl gives no id for the operator
		}
		out = append(out, m)
	}
	return out
}

// threadJSON is a thread as M10 and M11 give it, with its last messages
// (all of them when last is 0).
func (s *Server) threadJSON(t *Thread, withMessages bool, last int) map[string]any {
	current := []Participant{}
	seen := map[string]bool{}
	for _, m := range t.Messages {
		typ := strings.TrimSuffix(m.From, "_USER")
		if !seen[typ] {
			seen[typ] = true
			for _, p := range t.Participants {
				if p.Type == typ {
					current = append(current, p)
				}
			}
		}
	}
	meta := map[string]any{"total_count": len(t.Messages), "last_message_date": stamp(t.Updated),
		"last_sender":             map[string]any{"type": "SHOP_USER", "display_name": "Ma Boutique"},
		"shop_reply_needed_since": nil}
	if n := len(t.Messages); n > 0 {
		lm := t.Messages[n-1]
		meta["last_message_date"] = stamp(lm.At)
		meta["last_sender"] = map[string]any{"type": lm.From, "display_name": lm.FromName}
		if lm.From != "SHOP_USER" {
			meta["shop_reply_needed_since"] = stamp(lm.At)
		}
	}
	out := map[string]any{"id": t.ID, "date_created": stamp(t.Created), "date_updated": stamp(t.Updated),
		"authorized_participants": participants(t.Participants), "current_participants": participants(current),
		"entities": []map[string]any{{"type": t.EntityType, "id": t.EntityID, "label": t.EntityLabel}},
		"topic":    map[string]any{"type": t.TopicType, "value": t.Topic}, "metadata": meta}
	if withMessages {
		msgs := t.Messages
		if last > 0 && len(msgs) > last {
			msgs = msgs[len(msgs)-last:]
		}
		list := []map[string]any{}
		for _, m := range msgs {
			typ := strings.TrimSuffix(m.From, "_USER")
			org := map[string]any{"type": typ, "display_name": m.FromName}
			atts := []map[string]any{}
			for _, f := range m.Files {
				atts = append(atts, map[string]any{"id": f.ID, "name": f.Name, "size": len(f.Data)})
			}
			list = append(list, map[string]any{"id": m.ID, "body": m.Body, "date_created": stamp(m.At),
				"from": map[string]any{"type": m.From, "display_name": m.FromName, "organization_details": org},
				"to":   participants(m.To), "attachments": atts})
		}
		out["messages"] = list
		out["no_store_reply_needed"] = []any{}
	}
	return out
}

func (s *Server) getThread(w http.ResponseWriter, id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.st.threads[id]
	if t == nil {
		fail(w, 404, "Thread with id '%s' not found", id)
		return
	}
	writeJSON(w, 200, s.threadJSON(t, true, 0))
}

// pageToken is the fake's seek position: opaque to the client, it holds
// the filters of the first page, the page size and the last thread seen
// (threads are listed by date_updated, then id, oldest first).
type pageToken struct {
	Limit        int       `json:"limit"`
	Since        time.Time `json:"since,omitzero"`
	EntityType   string    `json:"entity_type,omitempty"`
	EntityIDs    []string  `json:"entity_id,omitempty"`
	WithMessages bool      `json:"with_messages,omitempty"`
	AfterDate    time.Time `json:"after_date"`
	AfterID      string    `json:"after_id"`
}

func (s *Server) listThreads(w http.ResponseWriter, q url.Values) {
	var tok pageToken
	if raw := q.Get("page_token"); raw != "" {
		b, err := base64.RawURLEncoding.DecodeString(raw)
		if err != nil || json.Unmarshal(b, &tok) != nil || tok.Limit <= 0 {
			fail(w, 400, "Invalid page token")
			return
		}
	} else {
		tok.Limit = DefaultLimit
		if l := q.Get("limit"); l != "" {
			n, err := strconv.Atoi(l)
			if err != nil || n < 1 || n > MaxLimit {
				fail(w, 400, "limit must be between 1 and %d", MaxLimit)
				return
			}
			tok.Limit = n
		}
		if v := q.Get("updated_since"); v != "" {
			t, err := time.Parse(time.RFC3339Nano, v)
			if err != nil {
				fail(w, 400, "Invalid updated_since")
				return
			}
			tok.Since = t
		}
		tok.EntityType = q.Get("entity_type")
		if v := q.Get("entity_id"); v != "" {
			if tok.EntityType == "" {
				fail(w, 400, "entity_type is required with entity_id")
				return
			}
			tok.EntityIDs = strings.Split(v, ",")
		}
		tok.WithMessages = q.Get("with_messages") == "true"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var list []*Thread
	for _, t := range s.st.threads {
		if (!tok.Since.IsZero() && t.Updated.Before(tok.Since)) ||
			(tok.EntityType != "" && t.EntityType != tok.EntityType) ||
			(len(tok.EntityIDs) > 0 && !slices.Contains(tok.EntityIDs, t.EntityID)) {
			continue
		}
		if !tok.AfterDate.IsZero() && (t.Updated.Before(tok.AfterDate) || t.Updated.Equal(tok.AfterDate) && t.ID <= tok.AfterID) {
			continue
		}
		list = append(list, t)
	}
	slices.SortFunc(list, func(a, b *Thread) int {
		if c := a.Updated.Compare(b.Updated); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	out := map[string]any{}
	data := []map[string]any{}
	for i, t := range list {
		if i == tok.Limit {
			next := tok
			prev := list[i-1]
			next.AfterDate, next.AfterID = prev.Updated, prev.ID
			b, _ := json.Marshal(next)
			out["next_page_token"] = base64.RawURLEncoding.EncodeToString(b)
			break
		}
		data = append(data, s.threadJSON(t, tok.WithMessages, 100))
	}
	out["data"] = data
	writeJSON(w, 200, out)
}

func (s *Server) download(w http.ResponseWriter, id string) {
	s.mu.Lock()
	f, ok := s.st.attachments[id]
	s.mu.Unlock()
	if !ok {
		fail(w, 404, "Attachment '%s' not found", id)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": f.Name}))
	w.WriteHeader(200)
	w.Write(f.Data)
}

type topicInput struct {
	Type  string `json:"type"`
	Value string `json:"value"`
}

type partInput struct {
	Body   string          `json:"body"`
	To     json.RawMessage `json:"to"`
	Topic  *topicInput     `json:"topic"`
	Entity *struct {
		Type string `json:"type"`
	} `json:"entity"`
}

// readMultipart reads a multipart body: its JSON part (message_input or
// thread_input) and its files.
func readMultipart(r *http.Request, body []byte, jsonPart string) (partInput, []File, error) {
	var in partInput
	_, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || params["boundary"] == "" {
		return in, nil, fmt.Errorf("multipart/form-data expected")
	}
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	var files []File
	found := false
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return in, nil, fmt.Errorf("malformed multipart body: %v", err)
		}
		data, _ := io.ReadAll(p)
		switch p.FormName() {
		case jsonPart:
			found = true
			dec := json.NewDecoder(bytes.NewReader(data))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&in); err != nil {
				return in, nil, fmt.Errorf("%s: invalid JSON: %v", jsonPart, err)
			}
		case "files":
			if p.FileName() == "" {
				return in, nil, fmt.Errorf("files: a file part needs a file name")
			}
			files = append(files, File{Name: p.FileName(), Data: data})
		default:
			return in, nil, fmt.Errorf("unknown part %q", p.FormName())
		}
	}
	if !found {
		return in, nil, fmt.Errorf("%s is required", jsonPart)
	}
	if n := len([]rune(in.Body)); n < 3 || n > 50000 {
		return in, nil, fmt.Errorf("%s.body: between 3 and 50000 characters", jsonPart)
	}
	if in.Topic != nil && in.Topic.Type != "" && in.Topic.Type != "FREE_TEXT" && in.Topic.Type != "REASON_CODE" {
		return in, nil, fmt.Errorf("%s.topic.type: FREE_TEXT or REASON_CODE", jsonPart)
	}
	if in.Topic != nil && in.Topic.Type == "FREE_TEXT" && (len([]rune(in.Topic.Value)) < 3 || len([]rune(in.Topic.Value)) > 200) {
		return in, nil, fmt.Errorf("%s.topic.value: between 3 and 200 characters", jsonPart)
	}
	return in, files, nil
}

// post is M12 (a reply), OR43 (a thread on an order) and M14 (a thread
// with the operator).
func (s *Server) post(w http.ResponseWriter, r *http.Request, body []byte, op, id string) {
	part := "thread_input"
	if op == "M12" {
		part = "message_input"
	}
	in, files, err := readMultipart(r, body, part)
	if err != nil {
		fail(w, 400, "%v", err)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var t *Thread
	var to []Participant
	switch op {
	case "M12":
		if t = s.st.threads[id]; t == nil {
			fail(w, 404, "Thread with id '%s' not found", id)
			return
		}
		if len(t.Messages) >= 1000 {
			fail(w, 400, "Maximum of 1000 messages on a thread reached")
			return
		}
		var rcpt []struct{ Type, ID string }
		if json.Unmarshal(in.To, &rcpt) != nil || len(rcpt) == 0 {
			fail(w, 400, "message_input.to: at least one recipient {type, id}")
			return
		}
		for _, x := range rcpt {
			i := slices.IndexFunc(t.Participants, func(p Participant) bool { return p.Type == x.Type && x.Type != "SHOP" })
			if i < 0 || x.ID != "" && x.ID != t.Participants[i].ID {
				fail(w, 400, "Recipient %s %s is not a participant of the thread", x.Type, x.ID)
				return
			}
			to = append(to, t.Participants[i])
		}
		if in.Topic != nil && in.Topic.Value != "" {
			t.TopicType, t.Topic = in.Topic.Type, in.Topic.Value
		}
	case "OR43":
		if s.st.orders[id] == nil {
			fail(w, 404, "Order with id '%s' not found", id)
			return
		}
		var rcpt []string
		if json.Unmarshal(in.To, &rcpt) != nil || len(rcpt) == 0 || in.Topic == nil || in.Topic.Value == "" {
			fail(w, 400, "thread_input: to (OPERATOR, CUSTOMER) and topic are required")
			return
		}
		for _, x := range rcpt {
			if x != "CUSTOMER" && x != "OPERATOR" {
				fail(w, 400, "thread_input.to: unknown participant %q", x)
				return
			}
		}
		t = s.addThread(id, rcpt, in.Topic.Type, in.Topic.Value)
		for _, p := range t.Participants[1:] {
			to = append(to, p)
		}
	case "M14":
		if in.Entity == nil || in.Entity.Type == "" || in.Topic == nil || in.Topic.Value == "" {
			fail(w, 400, "thread_input: entity and topic are required")
			return
		}
		if len(in.To) > 0 {
			fail(w, 400, "thread_input.to: unknown field")
			return
		}
		t = s.addThread("", []string{"OPERATOR"}, in.Topic.Type, in.Topic.Value)
		to = t.Participants[1:]
	}
	m := s.addMessage(t, "SHOP", in.Body, s.now(), to, files)
	post := Post{Op: op, Thread: t.ID, Message: m.ID, Body: in.Body, To: to, Files: files, ShopID: r.URL.Query().Get("shop_id")}
	if in.Topic != nil {
		post.Topic = in.Topic.Value
	}
	s.st.posts = append(s.st.posts, post)
	writeJSON(w, 201, map[string]any{"message_id": m.ID, "thread_id": t.ID})
}
