package demo_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	_ "image/jpeg"
	_ "image/png"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"

	"guichet/internal/blob"
	"guichet/internal/demo"
	"guichet/internal/desk"
	"guichet/internal/store"
	"guichet/internal/store/storetest"
)

var ctx = context.Background()

// Wednesday 18 March 2026, 16:30 in Paris.
var now = time.Date(2026, 3, 18, 15, 30, 0, 0, time.UTC)

func newBlobs(t *testing.T) *blob.Local {
	t.Helper()
	b, err := blob.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func deskAt(s *store.Store, blobs desk.Blobs, at time.Time) *desk.Desk {
	return desk.New(desk.Config{Store: s, Blobs: blobs, Now: func() time.Time { return at }})
}

// allTickets pages through the whole inbox.
func allTickets(t *testing.T, d *desk.Desk) []desk.TicketRow {
	t.Helper()
	var rows []desk.TicketRow
	f := desk.TicketFilter{Sort: desk.SortOpened, Limit: desk.MaxPageSize}
	for {
		page, err := d.FindTickets(ctx, desk.System, f)
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, page.Tickets...)
		if page.Next == "" {
			return rows
		}
		f.After = page.Next
	}
}

func TestLoad(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		blobs := newBlobs(t)
		start := time.Now()
		sum, err := demo.Load(ctx, s, blobs, now)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("Load: %v; %+v", time.Since(start).Round(time.Millisecond), sum)
		d := deskAt(s, blobs, now)

		checkSummary(t, d, sum)
		rows := allTickets(t, d)
		if len(rows) != sum.Tickets {
			t.Fatalf("%d tickets in the inbox; summary says %d", len(rows), sum.Tickets)
		}
		checkInbox(t, d, rows)
		checkTickets(t, d, rows, sum)
		checkDeliveries(t, d)

		// A second load finds tickets: it refuses and changes nothing.
		before, _ := d.Counts(ctx, desk.System, 0)
		agentsBefore, _ := d.Agents(ctx)
		if _, err := demo.Load(ctx, s, blobs, now); !errors.Is(err, demo.ErrNotEmpty) {
			t.Fatalf("second Load: %v; want ErrNotEmpty", err)
		}
		after, _ := d.Counts(ctx, desk.System, 0)
		agentsAfter, _ := d.Agents(ctx)
		if !reflect.DeepEqual(before, after) || !reflect.DeepEqual(agentsBefore, agentsAfter) || len(allTickets(t, d)) != len(rows) {
			t.Errorf("second Load changed the data: counts %+v → %+v, %d → %d agents", before, after, len(agentsBefore), len(agentsAfter))
		}
	})
}

// The demo's replies were delivered, as a connected channel's would be,
// but for a few a marketplace refused: nothing stays queued for ever.
func checkDeliveries(t *testing.T, d *desk.Desk) {
	t.Helper()
	counts, err := d.OutboxCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if counts[desk.OutboxQueued] != 0 || counts[desk.OutboxSending] != 0 || counts[desk.OutboxFailed] == 0 {
		t.Errorf("outbox %v; want nothing queued and a few failed", counts)
	}
	agents, _ := d.Agents(ctx)
	var admin desk.Actor
	for _, a := range agents {
		if a.Role == desk.RoleAdmin {
			admin = desk.ActorOf(a)
		}
	}
	failed, err := d.Deliveries(ctx, admin, desk.DeliveryFilter{})
	if err != nil || len(failed) == 0 || failed[0].LastError == "" {
		t.Errorf("failed deliveries %+v, %v; want some, with their reason", failed, err)
	}
}

func checkSummary(t *testing.T, d *desk.Desk, sum demo.Summary) {
	t.Helper()
	if sum.Tickets != demo.DefaultTickets || sum.Agents < 5 || sum.Channels != 9 || sum.Templates < 10 || sum.Messages < 3*sum.Tickets {
		t.Errorf("summary %+v", sum)
	}
	if len(sum.Logins) != sum.Agents {
		t.Fatalf("%d logins for %d agents", len(sum.Logins), sum.Agents)
	}
	roles := map[desk.Role]int{}
	for _, l := range sum.Logins {
		roles[l.Role]++
		if len(l.Password) < 10 {
			t.Errorf("%s: password %q too short", l.Email, l.Password)
		}
	}
	if roles[desk.RoleAdmin] != 1 || roles[desk.RoleADV] < 4 {
		t.Errorf("roles %v; want one admin and 4+ ADVs", roles)
	}
	// The printed passwords work.
	for _, l := range []demo.Login{sum.Logins[0], sum.Logins[len(sum.Logins)-1]} {
		if _, err := d.SignIn(ctx, desk.SignInInput{Email: l.Email, Password: l.Password}); err != nil {
			t.Errorf("sign in as %s: %v", l.Email, err)
		}
	}
	channels, _ := d.Channels(ctx)
	for _, c := range channels {
		if c.ResponsibleID == 0 || !c.Active {
			t.Errorf("channel %s: responsible %d, active %v", c.Name, c.ResponsibleID, c.Active)
		}
	}
	templates, _ := d.Templates(ctx)
	restricted := 0
	for _, tpl := range templates {
		if len(tpl.ChannelIDs) > 0 {
			restricted++
		}
	}
	if restricted == 0 || restricted == len(templates) {
		t.Errorf("%d of %d default replies restricted to some channels; want some", restricted, len(templates))
	}
}

// checkInbox looks at the inbox as a team lead would.
func checkInbox(t *testing.T, d *desk.Desk, rows []desk.TicketRow) {
	t.Helper()
	counts, err := d.Counts(ctx, desk.System, 0)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, st := range desk.Statuses {
		total += counts.ByStatus[st]
		if counts.ByStatus[st] == 0 {
			t.Errorf("no ticket in status %s", st)
		}
	}
	if total != len(rows) || counts.Overdue == 0 {
		t.Errorf("counts %+v for %d tickets; want them all counted and some overdue", counts, len(rows))
	}
	t.Logf("counts %v, overdue %d", counts.ByStatus, counts.Overdue)

	channels, _ := d.Channels(ctx)
	perChannel := map[int64]int{}
	var p2, unassigned, noOrder, dueSoon, delivery, realEmail, early int
	for _, r := range rows {
		perChannel[r.ChannelID]++
		if r.Priority == desk.P2 {
			p2++
		}
		if r.AssigneeID == 0 {
			unassigned++
		}
		if r.OrderRef == "" {
			noOrder++
		}
		if r.Status == desk.StatusWaitingAdmin && r.Deadline.After(now) && r.Deadline.Before(now.Add(24*time.Hour)) {
			dueSoon++
		}
		if r.DeliveryDate != "" {
			delivery++
		}
		if r.RealEmail != "" {
			realEmail++
		}
		if r.OpenedAt.After(now) || r.OpenedAt.Before(now.Add(-50*24*time.Hour)) {
			t.Errorf("ticket %s opened at %v, outside the last weeks", r.Number, r.OpenedAt)
		}
		if r.OpenedAt.Before(now.Add(-30 * 24 * time.Hour)) {
			early++
		}
	}
	for _, c := range channels {
		if perChannel[c.ID] == 0 {
			t.Errorf("channel %s has no ticket", c.Name)
		}
	}
	if p2 == 0 || unassigned == 0 || noOrder < 2 || dueSoon == 0 || delivery == 0 || realEmail == 0 || early == 0 {
		t.Errorf("P2 %d, unassigned %d, without order %d, due within 24 h %d, with delivery date %d, with real email %d, older than 30 days %d: want some of each",
			p2, unassigned, noOrder, dueSoon, delivery, realEmail, early)
	}
}

// checkTickets opens every ticket, as an ADV would, and checks its content.
func checkTickets(t *testing.T, d *desk.Desk, rows []desk.TicketRow, sum demo.Summary) {
	t.Helper()
	authors := map[desk.AuthorKind]int{}
	threads := map[desk.ThreadKind]int{}
	events := map[desk.EventKind]int{}
	fileKinds := map[desk.AttachmentKind]int{}
	var messages, templated, notes, html int
	var checkedFiles = map[string]bool{}
	for _, r := range rows {
		v, err := d.Ticket(ctx, desk.System, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		messages += len(v.Messages)
		if len(v.Messages) == 0 || len(v.Messages) > 14 {
			t.Errorf("ticket %s has %d messages", r.Number, len(v.Messages))
		}
		for _, th := range v.Threads {
			threads[th.Kind]++
		}
		var last time.Time
		for _, m := range v.Messages {
			authors[m.AuthorKind]++
			if m.TemplateID != 0 && m.TemplateName != "" {
				templated++
				if strings.ContainsAny(m.Body, "{}") {
					t.Errorf("ticket %s: template message with a variable left: %q", r.Number, m.Body)
				}
			}
			if m.Internal {
				notes++
			}
			if m.CreatedAt.Before(last) || m.CreatedAt.After(now) {
				t.Errorf("ticket %s: message %d at %v, after %v or in the future", r.Number, m.Seq, m.CreatedAt, last)
			}
			last = m.CreatedAt
			if m.BodyHTML != "" {
				html++
				low := strings.ToLower(m.BodyHTML)
				for _, bad := range []string{"<script", "onerror", "javascript:"} {
					if strings.Contains(low, bad) {
						t.Errorf("ticket %s: sanitized HTML still holds %q", r.Number, bad)
					}
				}
			}
			for _, a := range m.Attachments {
				fileKinds[a.Kind]++
				if !checkedFiles[a.ContentType] {
					checkedFiles[a.ContentType] = true
					checkFile(t, d, a)
				}
			}
		}
		for _, e := range v.Events {
			events[e.Kind]++
		}
		if v.Events[0].Kind != desk.EventCreated {
			t.Errorf("ticket %s: history starts with %s", r.Number, v.Events[0].Kind)
		}
	}
	if messages != sum.Messages {
		t.Errorf("%d messages in the tickets; summary says %d", messages, sum.Messages)
	}
	for _, k := range []desk.AuthorKind{desk.AuthorCustomer, desk.AuthorAgent, desk.AuthorOperator, desk.AuthorSystem} {
		if authors[k] == 0 {
			t.Errorf("no message by a %s", k)
		}
	}
	for _, k := range []desk.ThreadKind{desk.ThreadCustomer, desk.ThreadOperator, desk.ThreadEmail} {
		if threads[k] == 0 {
			t.Errorf("no %s thread", k)
		}
	}
	for _, k := range []desk.AttachmentKind{"", "invoice", "photo", "return_label"} {
		if fileKinds[k] == 0 {
			t.Errorf("no attachment of kind %q", k)
		}
	}
	for _, k := range []desk.EventKind{desk.EventCreated, desk.EventStatus, desk.EventPriority, desk.EventAssignee, desk.EventDeadline,
		desk.EventProblem, desk.EventRealEmail, desk.EventDeliveryDate, desk.EventMessageIn, desk.EventMessageOut, desk.EventNote} {
		if events[k] == 0 {
			t.Errorf("no %s event in any history", k)
		}
	}
	if templated == 0 || notes == 0 || html == 0 {
		t.Errorf("%d messages from default replies, %d notes, %d HTML messages: want some of each", templated, notes, html)
	}
	t.Logf("authors %v, threads %v, files %v, templated %d, notes %d, html %d", authors, threads, fileKinds, templated, notes, html)
}

// checkFile opens an attachment and checks it is a file of its type.
func checkFile(t *testing.T, d *desk.Desk, a desk.Attachment) {
	t.Helper()
	_, rc, err := d.Attachment(ctx, desk.System, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil || int64(len(data)) != a.Size {
		t.Fatalf("%s: %d bytes, %v; want %d", a.Name, len(data), err, a.Size)
	}
	switch a.ContentType {
	case "application/pdf":
		if !bytes.HasPrefix(data, []byte("%PDF-")) || !bytes.HasSuffix(data, []byte("%%EOF\n")) {
			t.Errorf("%s is not a PDF", a.Name)
		}
	case "image/png", "image/jpeg":
		if _, _, err := image.Decode(bytes.NewReader(data)); err != nil {
			t.Errorf("%s: %v", a.Name, err)
		}
	default:
		t.Errorf("%s: unexpected type %s", a.Name, a.ContentType)
	}
}

func TestLoadIsDeterministic(t *testing.T) {
	load := func() []string {
		s := storetest.SQLite(t)
		blobs := newBlobs(t)
		if _, err := demo.LoadWith(ctx, s, blobs, now, demo.Options{Tickets: 60}); err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range allTickets(t, deskAt(s, blobs, now)) {
			out = append(out, strings.Join([]string{r.OrderRef, string(r.Status), string(r.Priority), r.Deadline.String(), r.Preview}, "|"))
		}
		return out
	}
	if a, b := load(), load(); !reflect.DeepEqual(a, b) {
		t.Errorf("two loads differ:\n%v\n%v", a, b)
	}
}

// TestLoadAfterFirstStart is what `guichet serve --demo` does: the first admin
// exists already; the demo keeps it and adds its team.
func TestLoadAfterFirstStart(t *testing.T) {
	s := storetest.SQLite(t)
	blobs := newBlobs(t)
	d := deskAt(s, blobs, now)
	password, err := d.EnsureAdmin(ctx, "admin@guichet.local")
	if err != nil {
		t.Fatal(err)
	}
	sum, err := demo.LoadWith(ctx, s, blobs, now, demo.Options{Tickets: 40})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.SignIn(ctx, desk.SignInInput{Email: "admin@guichet.local", Password: password}); err != nil {
		t.Errorf("the first admin can no longer sign in: %v", err)
	}
	agents, _ := d.Agents(ctx)
	if len(agents) != sum.Agents+1 || sum.Tickets != 40 {
		t.Errorf("%d agents (summary %+v); want the first admin and the demo team", len(agents), sum)
	}
	for _, l := range sum.Logins {
		if l.Email == "admin@guichet.local" {
			t.Errorf("the first admin's login is listed with a demo password")
		}
	}
}
