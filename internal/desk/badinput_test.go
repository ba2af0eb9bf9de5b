package desk_test

import (
	"bytes"
	"context"
	"io"
	"strings"
	"sync"
	"testing"

	"guichet/internal/blob"
	"guichet/internal/desk"
)

func TestNormalizeContentType(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"application/pdf", "application/pdf"},
		{"Application/PDF", "application/pdf"},
		{"  image/JPEG  ", "image/jpeg"},
		{"text/plain; charset=UTF-8", "text/plain; charset=utf-8"},
		{"text/html; charset=\"ISO-8859-1\"; format=flowed", "text/html; charset=iso-8859-1"},
		{"text/plain", "text/plain"},
		{"image/png; charset=utf-8", "image/png"},               // a charset only for text
		{"application/json; charset=utf-8", "application/json"}, // idem
		{"image/png; name=\"photo.png\"", "image/png"},
		{"text/plain; garbage", "text/plain"}, // the type parses, the parameter does not: the type is kept
		{"", "application/octet-stream"},
		{"pdf", "application/octet-stream"},
		{"image/", "application/octet-stream"},
		{"/png", "application/octet-stream"},
		{"*/*", "application/octet-stream"},
		{"a/b/c", "application/octet-stream"},
		{"text/html\r\nX-Injected: 1", "application/octet-stream"},
		{"text/html\nContent-Disposition: inline", "application/octet-stream"},
		{"image/png\x00", "application/octet-stream"},
		{"imäge/png", "application/octet-stream"},
		{"application/" + strings.Repeat("x", 200), "application/octet-stream"},
	} {
		if got := desk.NormalizeContentType(tt.in); got != tt.want {
			t.Errorf("NormalizeContentType(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

// TestTextFromPeopleWithNULOrBrokenUTF8IsRefused: everything an agent types
// is refused with the field named, on both engines alike (PostgreSQL cannot
// store a NUL, SQLite can), and nothing is written.
func TestTextFromPeopleWithNULOrBrokenUTF8IsRefused(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		tk, _, err := f.d.OpenTicket(ctx, f.lea, desk.OpenInput{ChannelID: f.shop.ID, OrderRef: "NUL-1"})
		if err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct {
			name, field string
			call        func() error
		}{
			{"reply body with NUL", "body", func() error {
				_, err := f.d.Reply(ctx, f.lea, desk.ReplyInput{TicketID: tk.ID, Body: "Bonjour\x00", Status: desk.StatusClosed})
				return err
			}},
			{"reply body not UTF-8", "body", func() error {
				_, err := f.d.Reply(ctx, f.lea, desk.ReplyInput{TicketID: tk.ID, Body: "Caf\xe9", Status: desk.StatusClosed})
				return err
			}},
			{"attachment name with NUL", "attachments[0].name", func() error {
				_, err := f.d.Reply(ctx, f.lea, desk.ReplyInput{TicketID: tk.ID, Body: "Voici", Status: desk.StatusClosed,
					Attachments: []desk.NewAttachment{{Name: "a\x00.pdf", Data: strings.NewReader("%PDF")}}})
				return err
			}},
			{"note with NUL", "body", func() error {
				_, err := f.d.AddNote(ctx, f.lea, tk.ID, "note\x00")
				return err
			}},
			{"order ref not UTF-8", "order_ref", func() error {
				_, _, err := f.d.OpenTicket(ctx, f.lea, desk.OpenInput{ChannelID: f.shop.ID, OrderRef: "BAD-\xff"})
				return err
			}},
			{"customer name with NUL", "customer.name", func() error {
				_, _, err := f.d.OpenTicket(ctx, f.lea, desk.OpenInput{ChannelID: f.shop.ID, OrderRef: "NUL-2", Customer: desk.CustomerInput{Name: "Jean\x00"}})
				return err
			}},
			{"customer email with NUL", "customer.email", func() error {
				_, _, err := f.d.OpenTicket(ctx, f.lea, desk.OpenInput{ChannelID: f.shop.ID, OrderRef: "NUL-3", Customer: desk.CustomerInput{Email: "a\x00@b.fr"}})
				return err
			}},
			{"problem with NUL", "customer_problem", func() error {
				p := "Colis\x00"
				_, err := f.d.UpdateTicket(ctx, f.lea, tk.ID, desk.TicketPatch{Problem: &p})
				return err
			}},
			{"real email not UTF-8", "real_email", func() error {
				e := "jean@exa\xffmple.fr"
				_, err := f.d.UpdateTicket(ctx, f.lea, tk.ID, desk.TicketPatch{RealEmail: &e})
				return err
			}},
			{"template body with NUL", "body", func() error {
				_, err := f.d.SaveTemplate(ctx, f.admin, desk.Template{Name: "T", Body: "Bonjour\x00"})
				return err
			}},
			{"template language with NUL", "lang", func() error {
				_, err := f.d.SaveTemplate(ctx, f.admin, desk.Template{Name: "T", Body: "Bonjour", Lang: "fr\x00"})
				return err
			}},
			{"channel name not UTF-8", "name", func() error {
				_, err := f.d.SaveChannel(ctx, f.admin, desk.Channel{Kind: desk.ChannelAmazon, Name: "Ama\xffzon", DeadlinePolicy: "24h"})
				return err
			}},
			{"agent name with NUL", "name", func() error {
				_, err := f.d.SaveAgent(ctx, f.admin, desk.AgentInput{Email: "n@example.fr", Name: "N\x00", Role: desk.RoleADV, Password: "0123456789ab"})
				return err
			}},
			{"search with NUL", "q", func() error {
				_, err := f.d.FindTickets(ctx, f.lea, desk.TicketFilter{Text: "colis\x00"})
				return err
			}},
			{"reason filter not UTF-8", "reason", func() error {
				_, err := f.d.FindTickets(ctx, f.lea, desk.TicketFilter{Reason: "\xff"})
				return err
			}},
			{"lookup with NUL", "q", func() error {
				_, err := f.d.LookupTicket(ctx, f.lea, "NUL-1\x00")
				return err
			}},
		} {
			err := tt.call()
			if desk.ErrorCode(err) != desk.EInvalid || desk.ErrorField(err) != tt.field || !strings.Contains(desk.ErrorMessage(err), "illisible") {
				t.Errorf("%s: %v; want invalid on %s", tt.name, err, tt.field)
			}
		}
		v := f.view(t, tk.ID)
		if len(v.Messages) != 0 || len(v.Events) != 2 || v.Ticket.Problem != "" {
			t.Errorf("refused input was written: %d messages, %d events, problem %q", len(v.Messages), len(v.Events), v.Ticket.Problem)
		}
		ts, _ := f.d.Templates(ctx)
		if len(ts) != 0 {
			t.Errorf("refused templates stored: %+v", ts)
		}
	})
}

// countingBlobs counts Put calls and can fail them.
type countingBlobs struct {
	desk.Blobs
	mu   sync.Mutex
	puts int
	fail error
}

func (c *countingBlobs) Put(ctx context.Context, r io.Reader) (string, int64, error) {
	c.mu.Lock()
	c.puts++
	fail := c.fail
	c.mu.Unlock()
	if fail != nil {
		io.Copy(io.Discard, r)
		return "", 0, fail
	}
	return c.Blobs.Put(ctx, r)
}

func (c *countingBlobs) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.puts
}

// withBlobs is the fixture's desk over blobs counted by the returned value.
func (f *fixture) withBlobs(t *testing.T) (*desk.Desk, *countingBlobs) {
	t.Helper()
	local, err := blob.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	b := &countingBlobs{Blobs: local}
	return desk.New(desk.Config{Store: f.s, Blobs: b, Notifier: f.notes, Now: f.clock.Now}), b
}

// streamOnly hides a reader's size, as a body of unknown length.
type streamOnly struct{ io.Reader }

func TestReplyWithAFileOverTheLimitIsTooLarge(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		d, blobs := f.withBlobs(t)
		tk, _, _ := f.d.OpenTicket(ctx, f.lea, desk.OpenInput{ChannelID: f.shop.ID, OrderRef: "BIG-1"})
		big := make([]byte, 26<<20)
		reply := func(files ...desk.NewAttachment) error {
			_, err := d.Reply(ctx, f.lea, desk.ReplyInput{TicketID: tk.ID, Body: "Voici la facture", Status: desk.StatusWaitingCustomer, Attachments: files})
			return err
		}
		small := desk.NewAttachment{Name: "bon.pdf", Data: strings.NewReader("%PDF-1.4"), Size: 8}
		// The size is known (a form, the API): refused before any byte is stored.
		err := reply(small, desk.NewAttachment{Name: "facture.pdf", ContentType: "application/pdf", Data: bytes.NewReader(big), Size: int64(len(big))})
		wantCode(t, err, desk.ETooLarge, "attachments[1]")
		if msg := desk.ErrorMessage(err); msg != "fichier trop volumineux : facture.pdf (26 Mo, 25 Mo au plus)" {
			t.Errorf("message %q", msg)
		}
		if n := blobs.count(); n != 0 {
			t.Errorf("%d files stored before the size was checked", n)
		}
		// Unknown size: stopped while reading, past the limit.
		err = reply(desk.NewAttachment{Name: "photo.jpg", Data: streamOnly{bytes.NewReader(big)}})
		wantCode(t, err, desk.ETooLarge, "attachments[0]")
		if msg := desk.ErrorMessage(err); !strings.Contains(msg, "photo.jpg (plus de 25 Mo, 25 Mo au plus)") {
			t.Errorf("message %q", msg)
		}
		v := f.view(t, tk.ID)
		if len(v.Messages) != 0 || len(v.Events) != 2 { // created, deadline
			t.Errorf("a refused reply left %d messages, %d events", len(v.Messages), len(v.Events))
		}
		// Exactly the limit goes through, its type normalised.
		m, err := d.Reply(ctx, f.lea, desk.ReplyInput{TicketID: tk.ID, Body: "Voici", Status: desk.StatusWaitingCustomer,
			Attachments: []desk.NewAttachment{{Name: "limite.bin", ContentType: "Application/PDF\r\nX-Evil: 1", Data: streamOnly{bytes.NewReader(big[:desk.MaxFileSize])}}}})
		if err != nil || len(m.Attachments) != 1 || m.Attachments[0].Size != desk.MaxFileSize || m.Attachments[0].ContentType != "application/octet-stream" {
			t.Fatalf("file of exactly the limit: %+v, %v", m.Attachments, err)
		}
	})
}

// refusingError is a blob store declining a file.
type refusingError struct{}

func (refusingError) Error() string { return "virus found" }
func (refusingError) Refused() bool { return true }

func TestReplyWithAFileTheStoreRefusesIsInvalid(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		d, blobs := f.withBlobs(t)
		blobs.fail = refusingError{}
		tk, _, _ := f.d.OpenTicket(ctx, f.lea, desk.OpenInput{ChannelID: f.shop.ID, OrderRef: "REF-1"})
		_, err := d.Reply(ctx, f.lea, desk.ReplyInput{TicketID: tk.ID, Body: "Voici", Status: desk.StatusClosed,
			Attachments: []desk.NewAttachment{{Name: "x.exe", Data: strings.NewReader("MZ")}}})
		wantCode(t, err, desk.EInvalid, "attachments[0]")
	})
}
