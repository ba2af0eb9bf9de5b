package desk_test

import (
	"bytes"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"

	"guichet/internal/desk"
)

// importCSV previews then runs an import of data into the channel.
func (f *fixture) importCSV(t testing.TB, ch desk.Channel, data string) desk.CustomerImport {
	t.Helper()
	im, err := f.d.PreviewCustomerImport(ctx, f.lea, ch.ID, "clients.csv", []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.d.StartCustomerImport(ctx, f.lea, im.ID); err != nil {
		t.Fatal(err)
	}
	if err := f.d.RunCustomerImport(ctx, im.ID); err != nil {
		t.Fatal(err)
	}
	im, err = f.d.CustomerImportStatus(ctx, f.lea, im.ID)
	if err != nil {
		t.Fatal(err)
	}
	return im
}

func (f *fixture) export(t testing.TB, ch desk.Channel) string {
	t.Helper()
	var all []desk.Customer
	err := f.d.ExportCustomers(ctx, f.lea, ch.ID, func(cs []desk.Customer) error { all = append(all, cs...); return nil })
	if err != nil {
		t.Fatal(err)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].ExternalID > all[j].ExternalID }) // as the seed: newest first
	var b bytes.Buffer
	if err := desk.WriteCustomerCSV(&b, all); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

const seedCSV = `ID;Title;Last name;First Name;Email address;Age;Enabled;News.;Opt.;Registration;Last visit;
2;1;Gorred;Francis;francis@example.com;-;1;0;0;2013-07-04 15:20:02;2013-07-04 15:18:50;
1;1;DOE;John;pub@prestashop.com;43;1;1;1;2013-07-02 17:36:07;2013-07-03 16:04:15;
`

// The seed's file imports as the shop shows it, and exporting gives it back
// byte for byte; imported again elsewhere, it gives the same customers.
func TestCustomerCSVRoundTrip(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		im := f.importCSV(t, f.shop, seedCSV)
		if im.State != desk.ImportDone || im.Total != 2 || im.Done != 2 || len(im.Rejected) != 0 {
			t.Fatalf("import = %+v", im)
		}
		page, err := f.d.Customers(ctx, f.lea, desk.CustomerFilter{Query: "doe"})
		if err != nil || len(page.Customers) != 1 {
			t.Fatalf("search doe = %+v, %v", page, err)
		}
		john := page.Customers[0]
		paris, _ := time.LoadLocation("Europe/Paris")
		if john.FirstName != "John" || john.LastName != "DOE" || john.Age != 43 || !john.Newsletter || !john.Optin ||
			!john.RegisteredAt.Equal(time.Date(2013, 7, 2, 17, 36, 7, 0, paris)) || john.RealEmail != "pub@prestashop.com" {
			t.Fatalf("john = %+v", john)
		}
		out := f.export(t, f.shop)
		if out != seedCSV {
			t.Fatalf("export:\n%s\nwant:\n%s", out, seedCSV)
		}
		other := f.channel(t, desk.Channel{Kind: desk.ChannelPrestaShop, Name: "Boutique 2", Active: true, GuardNames: []string{}})
		f.importCSV(t, other, out)
		if again := f.export(t, other); again != seedCSV {
			t.Fatalf("re-import's export:\n%s", again)
		}
		// importing the same file twice brings them up to date, never twice
		f.importCSV(t, f.shop, strings.Replace(seedCSV, "43;1;1;1", "44;1;0;1", 1))
		all, _ := f.d.Customers(ctx, f.lea, desk.CustomerFilter{Email: "pub@"})
		if len(all.Customers) != 2 || all.Customers[0].Age != 44 || all.Customers[0].Newsletter {
			t.Fatalf("after re-import = %+v", all.Customers)
		}
	})
}

// Every kind of bad line is rejected, whole, with its number and reason;
// the good lines around it are imported.
func TestCustomerCSVBadLines(t *testing.T) {
	lines := []struct {
		line, reason string
	}{
		{"x;1;Doe;John;a@example.com;-;1;0;0;2013-07-04 15:20:02;;", "ID"},
		{"-4;1;Doe;John;a@example.com;-;1;0;0;2013-07-04 15:20:02;;", "ID"},
		{"11;M;Doe;John;a@example.com;-;1;0;0;;;", "Title"},
		{"12;1;;John;a@example.com;-;1;0;0;;;", "Last name"},
		{"13;1;Doe;;a@example.com;-;1;0;0;;;", "First Name"},
		{"14;1;Doe;John;pas-une-adresse;-;1;0;0;;;", "Email address"},
		{"15;1;Doe;John;a@example.com;trois;1;0;0;;;", "Age"},
		{"16;1;Doe;John;a@example.com;-;oui;0;0;;;", "Enabled"},
		{"17;1;Doe;John;a@example.com;-;1;2;0;;;", "News."},
		{"18;1;Doe;John;a@example.com;-;1;0;x;;;", "Opt."},
		{"19;1;Doe;John;a@example.com;-;1;0;0;04/07/2013;;", "Registration"},
		{"20;1;Doe;John;a@example.com;-;1;0;0;;2013-13-01 00:00:00;", "Last visit"},
		{"21;1;Doe;John;a@example.com;-;1;0;0;", "colonnes"},
		{"1;1;Doe;Jane;jane@example.com;-;1;0;0;;;", "déjà vu ligne 2"},
		{"22;1;Doe\x00;John;a@example.com;-;1;0;0;;;", "caractère nul"},
	}
	var b strings.Builder
	b.WriteString(desk.CustomerCSVHeader + "\n")
	b.WriteString("1;1;Good;First;first@example.com;-;1;0;0;;;\n")
	for _, l := range lines {
		b.WriteString(l.line + "\n")
	}
	b.WriteString("99;2;Good;Last;last@example.com;30;0;1;0;2020-01-02 03:04:05;;\n")
	each(t, func(t *testing.T, f *fixture) {
		im := f.importCSV(t, f.shop, b.String())
		if im.Total != 2 || im.Done != 2 || len(im.Rejected) != len(lines) {
			t.Fatalf("import total %d done %d rejected %+v", im.Total, im.Done, im.Rejected)
		}
		for i, l := range lines {
			r := im.Rejected[i]
			if r.Line != i+3 || !strings.Contains(r.Reason, l.reason) {
				t.Errorf("line %d (%q) rejected as %+v; want line %d, reason with %q", i+3, l.line, r, i+3, l.reason)
			}
		}
		page, _ := f.d.Customers(ctx, f.lea, desk.CustomerFilter{IncludeMerged: true, Limit: 100})
		var names []string
		for _, c := range page.Customers {
			names = append(names, c.FirstName+" "+c.LastName)
		}
		if !slices.Equal(names, []string{"First Good", "Last Good"}) {
			t.Fatalf("customers = %v", names)
		}
	})
}

func TestCustomerCSVFileErrors(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		for _, data := range []string{"", "Nom;Prénom\nDoe;John\n", "ID;Title;Last name\n"} {
			_, err := f.d.PreviewCustomerImport(ctx, f.lea, f.shop.ID, "x.csv", []byte(data))
			wantCode(t, err, desk.EInvalid, "file")
		}
		_, err := f.d.PreviewCustomerImport(ctx, f.lea, f.kaufland.ID, "x.csv", []byte(seedCSV))
		wantCode(t, err, desk.EInvalid, "channel_id")
		im, err := f.d.PreviewCustomerImport(ctx, f.lea, f.shop.ID, "x.csv", []byte(seedCSV))
		if err != nil || im.Total != 2 || len(im.Preview) != 2 {
			t.Fatalf("preview = %+v, %v", im, err)
		}
		if page, _ := f.d.Customers(ctx, f.lea, desk.CustomerFilter{}); len(page.Customers) != 0 {
			t.Fatalf("a preview wrote customers: %+v", page.Customers)
		}
		if err := f.d.StartCustomerImport(ctx, f.lea, im.ID); err != nil {
			t.Fatal(err)
		}
		wantCode(t, f.d.StartCustomerImport(ctx, f.lea, im.ID), desk.EConflict, "")
	})
}

// UTF-8 with or without BOM and Windows-1252 give the same customer.
func TestCustomerCSVEncodings(t *testing.T) {
	text := desk.CustomerCSVHeader + "\r\n3;2;Dubonnet;Jérémie;jd@prestashop.com;-;1;0;0;2012-10-25 10:00:00;;\r\n"
	win, err := charmap.Windows1252.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, data, enc string }{
		{"utf8", text, "UTF-8"},
		{"bom", "\xef\xbb\xbf" + text, "UTF-8 (BOM)"},
		{"windows-1252", win, "Windows-1252"},
	} {
		good, rejected, enc, err := desk.ParseCustomerCSV([]byte(c.data))
		if err != nil || len(rejected) != 0 || len(good) != 1 || enc != c.enc {
			t.Fatalf("%s: %+v %+v %s %v", c.name, good, rejected, enc, err)
		}
		if g := good[0].Customer; g.FirstName != "Jérémie" || g.LastName != "Dubonnet" || g.Title != "2" {
			t.Fatalf("%s: %+v", c.name, g)
		}
	}
}

// The directory: every filter, every sort in both directions, paged by
// keyset, gives what sorting all the people by hand gives.
func TestCustomerDirectory(t *testing.T) {
	var b strings.Builder
	b.WriteString(desk.CustomerCSVHeader + "\n")
	first := []string{"Jean", "Marie", "Émile", "Zoé", "jean-luc", "Anne"}
	last := []string{"Dupont", "Martin", "Durand", "Leroy", "dubois", "Zola", "Martinez"}
	for i := 1; i <= 60; i++ {
		fmt.Fprintf(&b, "%d;1;%s;%s;c%02d@example.com;%d;%d;%d;%d;2020-01-%02d 10:00:00;%s;\n", i, last[i%len(last)], first[i%len(first)], i,
			20+i%40, (i/2)%2, i%2, (i/3)%2, 1+i%28, map[bool]string{true: "", false: fmt.Sprintf("2024-02-%02d 09:00:00", 1+i%27)}[i%5 == 0])
	}
	each(t, func(t *testing.T, f *fixture) {
		f.importCSV(t, f.shop, b.String())
		var all []desk.Customer
		page, err := f.d.Customers(ctx, f.lea, desk.CustomerFilter{Limit: 200})
		if err != nil || len(page.Customers) != 60 {
			t.Fatalf("all = %d, %v", len(page.Customers), err)
		}
		all = page.Customers
		yes := true
		filters := map[string]struct {
			f    desk.CustomerFilter
			keep func(c desk.Customer) bool
		}{
			"none":       {desk.CustomerFilter{}, func(c desk.Customer) bool { return true }},
			"last name":  {desk.CustomerFilter{LastName: "mart"}, func(c desk.Customer) bool { return strings.HasPrefix(c.LastName, "Mart") }},
			"first name": {desk.CustomerFilter{FirstName: "JEAN"}, func(c desk.Customer) bool { return strings.HasPrefix(strings.ToLower(c.FirstName), "jean") }},
			"email":      {desk.CustomerFilter{Email: "c1"}, func(c desk.Customer) bool { return strings.HasPrefix(c.Email, "c1") }},
			"enabled":    {desk.CustomerFilter{Enabled: &yes}, func(c desk.Customer) bool { return c.Enabled }},
			"newsletter": {desk.CustomerFilter{Newsletter: &yes}, func(c desk.Customer) bool { return c.Newsletter }},
			"optin":      {desk.CustomerFilter{Optin: &yes}, func(c desk.Customer) bool { return c.Optin }},
			"registered": {desk.CustomerFilter{RegisteredFrom: time.Date(2020, 1, 10, 0, 0, 0, 0, time.UTC), RegisteredTo: time.Date(2020, 1, 20, 0, 0, 0, 0, time.UTC)},
				func(c desk.Customer) bool {
					return !c.RegisteredAt.Before(time.Date(2020, 1, 10, 0, 0, 0, 0, time.UTC)) && c.RegisteredAt.Before(time.Date(2020, 1, 20, 0, 0, 0, 0, time.UTC))
				}},
			"visited": {desk.CustomerFilter{LastVisitFrom: time.Date(2024, 2, 15, 0, 0, 0, 0, time.UTC)}, func(c desk.Customer) bool {
				return !c.LastVisitAt.IsZero() && !c.LastVisitAt.Before(time.Date(2024, 2, 15, 0, 0, 0, 0, time.UTC))
			}},
			"search word": {desk.CustomerFilter{Query: "jean"}, func(c desk.Customer) bool { return strings.HasPrefix(strings.ToLower(c.FirstName), "jean") }},
			"search last": {desk.CustomerFilter{Query: "du"}, func(c desk.Customer) bool { return strings.HasPrefix(strings.ToLower(c.LastName), "du") }},
		}
		for name, fl := range filters {
			for _, sortKey := range desk.CustomerSorts {
				for _, desc := range []bool{false, true} {
					var want []int64
					keep := slices.Clone(all)
					sort.SliceStable(keep, func(i, j int) bool {
						a, b := desk.CustomerSortValue(keep[i], sortKey), desk.CustomerSortValue(keep[j], sortKey)
						text := sortKey == desk.SortCustomerLastName || sortKey == desk.SortCustomerFirstName || sortKey == desk.SortCustomerEmail
						if len(a) != len(b) && !text {
							return (len(a) < len(b)) != desc
						}
						if text { // without regard to case: « dubois » before « Dupont »
							a, b = strings.ToLower(a), strings.ToLower(b)
						}
						if a != b {
							return (a < b) != desc
						}
						return (keep[i].ID < keep[j].ID) != desc
					})
					for _, c := range keep {
						if fl.keep(c) {
							want = append(want, c.ID)
						}
					}
					q := fl.f
					q.Sort, q.Desc, q.Limit = sortKey, desc, 7
					var got []int64
					for range 20 {
						p, err := f.d.Customers(ctx, f.lea, q)
						if err != nil {
							t.Fatal(err)
						}
						for _, c := range p.Customers {
							got = append(got, c.ID)
						}
						if p.Next == nil {
							break
						}
						q.After = p.Next
					}
					if !slices.Equal(got, want) {
						t.Fatalf("%s sorted by %s desc=%v:\n got %v\nwant %v", name, sortKey, desc, got, want)
					}
				}
			}
		}
		// search by id, by email, by IP; two words are refused clearly
		if p, _ := f.d.Customers(ctx, f.lea, desk.CustomerFilter{Query: fmt.Sprint(all[9].ID)}); len(p.Customers) != 1 || p.Customers[0].ID != all[9].ID {
			t.Fatalf("by id: %+v", p.Customers)
		}
		if p, _ := f.d.Customers(ctx, f.lea, desk.CustomerFilter{Query: "C07@Example.com"}); len(p.Customers) != 1 || p.Customers[0].ExternalID != "7" {
			t.Fatalf("by email: %+v", p.Customers)
		}
		if _, err := f.s.DB().ExecContext(ctx, `UPDATE customers SET last_ip = '82.64.10.3' WHERE external_id = '12'`); err != nil {
			t.Fatal(err)
		}
		if p, _ := f.d.Customers(ctx, f.lea, desk.CustomerFilter{Query: "82.64.10.3"}); len(p.Customers) != 1 || p.Customers[0].ExternalID != "12" {
			t.Fatalf("by ip: %+v", p.Customers)
		}
		_, err = f.d.Customers(ctx, f.lea, desk.CustomerFilter{Query: "john doe"})
		wantCode(t, err, desk.EInvalid, "q")
		_, err = f.d.Customers(ctx, f.lea, desk.CustomerFilter{Sort: "password"})
		wantCode(t, err, desk.EInvalid, "sort")
	})
}

// Two channels' customers are one person once an agent links them: one
// page, both tickets, every identity, a line in each ticket's history;
// unlinking gives back the two people as they were.
func TestLinkAndUnlinkCustomers(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		if _, err := f.d.Ingest(ctx, []desk.Incoming{incoming(f.kaufland, "K-1", "m1", "Bonjour")}); err != nil {
			t.Fatal(err)
		}
		in := incoming(f.fnac, "F-9", "m2", "Où est mon colis ?")
		in.Customer = desk.CustomerInput{ExternalID: "fnac-55", Name: "Jean Client", Email: "relay-55@fnac.example", Phone: "0611223344"}
		if _, err := f.d.Ingest(ctx, []desk.Incoming{in}); err != nil {
			t.Fatal(err)
		}
		k, _ := f.d.Ticket(ctx, f.lea, ticketOf(t, f, f.kaufland, "K-1"))
		fn, _ := f.d.Ticket(ctx, f.lea, ticketOf(t, f, f.fnac, "F-9"))
		a, b := k.Ticket.CustomerID, fn.Ticket.CustomerID
		if a == 0 || b == 0 || a == b {
			t.Fatalf("customers %d %d", a, b)
		}
		if p, _ := f.d.Customers(ctx, f.lea, desk.CustomerFilter{Query: "jean"}); len(p.Customers) != 2 {
			t.Fatalf("before linking, two people: %+v", p.Customers)
		}
		if err := f.d.LinkCustomers(ctx, f.lea, a, b); err != nil {
			t.Fatal(err)
		}
		wantCode(t, f.d.LinkCustomers(ctx, f.lea, a, b), desk.EInvalid, "other")
		for _, id := range []int64{a, b} {
			file, err := f.d.CustomerFile(ctx, f.lea, id)
			if err != nil {
				t.Fatal(err)
			}
			if file.Person.ID != a || len(file.Tickets) != 2 || len(file.Records) != 2 {
				t.Fatalf("file of %d = person %d, %d tickets, %d records", id, file.Person.ID, len(file.Tickets), len(file.Records))
			}
			var kinds []string
			for _, i := range file.Identities {
				kinds = append(kinds, string(i.Kind)+":"+i.Value)
			}
			for _, want := range []string{"buyer:c-K-1", "buyer:fnac-55", "relay:relay-55@fnac.example", "phone:0611223344"} {
				if !slices.Contains(kinds, want) {
					t.Fatalf("identities %v lack %s", kinds, want)
				}
			}
		}
		if p, _ := f.d.Customers(ctx, f.lea, desk.CustomerFilter{Query: "relay-55@fnac.example"}); len(p.Customers) != 1 || p.Customers[0].ID != a {
			t.Fatalf("a linked record's address finds the person: %+v", p.Customers)
		}
		for _, id := range []int64{k.Ticket.ID, fn.Ticket.ID} {
			if ks := eventKinds(f.view(t, id)); !slices.Contains(ks, desk.EventCustomerLinked) {
				t.Fatalf("ticket %d history %v", id, ks)
			}
		}
		// the next message from Fnac still lands on the same record, shown as the person
		more := in
		more.SourceID = "m3"
		if _, err := f.d.Ingest(ctx, []desk.Incoming{more}); err != nil {
			t.Fatal(err)
		}
		if err := f.d.UnlinkCustomer(ctx, f.lea, b); err != nil {
			t.Fatal(err)
		}
		wantCode(t, f.d.UnlinkCustomer(ctx, f.lea, b), desk.EInvalid, "record")
		fa, _ := f.d.CustomerFile(ctx, f.lea, a)
		fb, _ := f.d.CustomerFile(ctx, f.lea, b)
		if fa.Person.ID != a || len(fa.Tickets) != 1 || fb.Person.ID != b || len(fb.Tickets) != 1 || fb.Tickets[0].ID != fn.Ticket.ID {
			t.Fatalf("after unlink: %+v / %+v", fa, fb)
		}
		for _, id := range []int64{k.Ticket.ID, fn.Ticket.ID} {
			if ks := eventKinds(f.view(t, id)); !slices.Contains(ks, desk.EventCustomerUnlinked) {
				t.Fatalf("ticket %d history %v", id, ks)
			}
		}
		// a private note is the person's, kept on its page
		if err := f.d.SetCustomerNote(ctx, f.lea, a, "Préfère être appelé le matin"); err != nil {
			t.Fatal(err)
		}
		wantCode(t, f.d.SetCustomerNote(ctx, f.lea, a, "bad\x00"), desk.EInvalid, "note")
		if fa, _ := f.d.CustomerFile(ctx, f.lea, a); fa.Person.Note != "Préfère être appelé le matin" {
			t.Fatalf("note = %q", fa.Person.Note)
		}
	})
}

func ticketOf(t testing.TB, f *fixture, ch desk.Channel, order string) int64 {
	t.Helper()
	var id int64
	err := f.s.Read(ctx, func(tx desk.Tx) error {
		tk, err := tx.TicketByOrder(ctx, ch.ID, order)
		id = tk.ID
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// An agent opens a ticket to contact a customer: it is theirs, its first
// message is queued for the channel; an order that has a ticket gives that
// ticket; a message the guard stops leaves no empty ticket behind.
func TestNewTicketByHand(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		tk, existing, err := f.d.NewTicket(ctx, f.lea, desk.NewTicketInput{ChannelID: f.shop.ID, Body: "Bonjour, votre colis est reparti.", Status: desk.StatusWaitingCustomer})
		if err != nil || existing {
			t.Fatalf("new = %+v %v %v", tk, existing, err)
		}
		v := f.view(t, tk.ID)
		if v.Ticket.AssigneeID != f.lea.AgentID || v.Ticket.OrderRef != "" || v.Ticket.Status != desk.StatusWaitingCustomer {
			t.Fatalf("ticket = %+v", v.Ticket)
		}
		if len(v.Messages) != 1 || v.Messages[0].Direction != desk.Out || v.Messages[0].Delivery != desk.DeliveryQueued || v.Messages[0].AuthorAgentID != f.lea.AgentID {
			t.Fatalf("messages = %+v", v.Messages)
		}
		if _, err := f.d.Ingest(ctx, []desk.Incoming{incoming(f.kaufland, "K-7", "m1", "Bonjour")}); err != nil {
			t.Fatal(err)
		}
		old := ticketOf(t, f, f.kaufland, "K-7")
		got, existing, err := f.d.NewTicket(ctx, f.marc, desk.NewTicketInput{ChannelID: f.kaufland.ID, OrderRef: "K-7", Body: "Bonjour", Status: desk.StatusWaitingCustomer})
		if err != nil || !existing || got.ID != old {
			t.Fatalf("existing order = %+v %v %v", got, existing, err)
		}
		if n := len(f.view(t, old).Messages); n != 1 {
			t.Fatalf("the existing ticket got a message: %d", n)
		}
		_, _, err = f.d.NewTicket(ctx, f.lea, desk.NewTicketInput{ChannelID: f.kaufland.ID, OrderRef: "K-8", Body: "Commandez plutôt sur la Fnac", Status: desk.StatusWaitingCustomer})
		wantCode(t, err, desk.EConfirm, "")
		var none error
		f.s.Read(ctx, func(tx desk.Tx) error { _, none = tx.TicketByOrder(ctx, f.kaufland.ID, "K-8"); return nil })
		if !desk.IsNotFound(none) {
			t.Fatalf("a stopped message left a ticket: %v", none)
		}
		_, _, err = f.d.NewTicket(ctx, f.lea, desk.NewTicketInput{ChannelID: f.kaufland.ID, OrderRef: "K-8", Body: "  ", Status: desk.StatusWaitingCustomer})
		wantCode(t, err, desk.EInvalid, "body")
		_, _, err = f.d.NewTicket(ctx, f.lea, desk.NewTicketInput{ChannelID: f.kaufland.ID, OrderRef: "K-8", Body: "Bonjour"})
		wantCode(t, err, desk.EInvalid, "status")
		// from a customer's page: the ticket is that customer's
		cust := f.view(t, old).Ticket.CustomerID
		tk, _, err = f.d.NewTicket(ctx, f.lea, desk.NewTicketInput{ChannelID: f.kaufland.ID, OrderRef: "K-9", CustomerID: cust, Body: "Bonjour", Status: desk.StatusWaitingCustomer})
		if err != nil || f.view(t, tk.ID).Ticket.CustomerID != cust {
			t.Fatalf("from the customer's page: %+v %v", tk, err)
		}
		// the ticket's « Email client » becomes the person's, and starts the next ticket's
		email := "jean.client@example.fr"
		if _, err := f.d.UpdateTicket(ctx, f.lea, tk.ID, desk.TicketPatch{RealEmail: &email}); err != nil {
			t.Fatal(err)
		}
		if file, _ := f.d.CustomerFile(ctx, f.lea, cust); file.Person.RealEmail != email {
			t.Fatalf("person's real email = %q", file.Person.RealEmail)
		}
		tk, _, err = f.d.NewTicket(ctx, f.lea, desk.NewTicketInput{ChannelID: f.kaufland.ID, OrderRef: "K-10", CustomerID: cust, Body: "Bonjour", Status: desk.StatusWaitingCustomer})
		if err != nil || f.view(t, tk.ID).Ticket.RealEmail != email {
			t.Fatalf("next ticket's email: %+v %v", f.view(t, tk.ID).Ticket, err)
		}
	})
}

// A chunk that fails stops the import, whatever the writers running side
// by side: the import says failed and how far it got, every chunk it
// counts is there whole, and nothing of the failing one is.
func TestCustomerImportFailingChunk(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		boom := `CREATE TRIGGER boom BEFORE INSERT ON customers WHEN NEW.external_id = '7777' BEGIN SELECT RAISE(ABORT, 'boom'); END`
		if f.s.Dialect() == "postgres" {
			boom = `CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'boom'; END $$;
				CREATE TRIGGER boom BEFORE INSERT ON customers FOR EACH ROW WHEN (NEW.external_id = '7777') EXECUTE FUNCTION boom()`
		}
		if _, err := f.s.DB().ExecContext(ctx, boom); err != nil {
			t.Fatal(err)
		}
		im, err := f.d.PreviewCustomerImport(ctx, f.lea, f.shop.ID, "clients.csv", customerCSV(23_000)) // five chunks, the second failing
		if err != nil {
			t.Fatal(err)
		}
		if err := f.d.StartCustomerImport(ctx, f.lea, im.ID); err != nil {
			t.Fatal(err)
		}
		if err := f.d.RunCustomerImport(ctx, im.ID); err == nil {
			t.Fatal("an import whose chunk fails succeeded")
		}
		im, err = f.d.CustomerImportStatus(ctx, f.lea, im.ID)
		if err != nil {
			t.Fatal(err)
		}
		if im.State != desk.ImportFailed || !strings.Contains(im.Error, "réessayez") {
			t.Fatalf("import = %s %q", im.State, im.Error)
		}
		var n, failing int
		if err := f.s.DB().QueryRowContext(ctx, `SELECT count(*), coalesce(sum(CASE WHEN CAST(external_id AS INTEGER) BETWEEN 5001 AND 10000 THEN 1 ELSE 0 END), 0)
			FROM customers WHERE channel_id = $1`, f.shop.ID).Scan(&n, &failing); err != nil {
			t.Fatal(err)
		}
		if n != im.Done || n%5000 != 0 || failing != 0 {
			t.Fatalf("%d customers written (%d of the failing chunk); the import counts %d", n, failing, im.Done)
		}
	})
}
