package desk_test

import (
	"fmt"
	"testing"

	"guichet/internal/desk"
	"guichet/internal/store/storetest"
)

// BenchmarkSubmitContactForm measures a form message end to end on each
// engine: validation, the ticket opened or extended (half the posts come
// back to a ticket of the same address), the form's record, the
// acknowledgement queued. go test ./internal/desk -run '^$' -bench SubmitContactForm
func BenchmarkSubmitContactForm(b *testing.B) {
	for _, e := range storetest.Engines() {
		b.Run(e.Name, func(b *testing.B) {
			f := newFixture(b, e.Open(b))
			mail := f.channel(b, desk.Channel{Kind: desk.ChannelEmail, Name: "SAV", GuardNames: []string{}, Active: true})
			cs, _ := f.d.Contacts(ctx)
			cs[0].ChannelID = mail.ID
			if _, err := f.d.SaveContact(ctx, f.admin, cs[0]); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for i := range b.N {
				in := desk.FormInput{ContactID: cs[0].ID, Email: fmt.Sprintf("client%d@example.fr", i/2), Body: "Bonjour, ma commande n'est pas arrivée.",
					UserAgent: "Mozilla/5.0", Address: fmt.Sprintf("10.0.%d.%d", i>>8&255, i&255)}
				if _, err := f.d.SubmitContactForm(ctx, in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkServiceOverview measures the overview's read (counters, the
// contacts' new messages) over a desk of 2 000 form tickets.
func BenchmarkServiceOverview(b *testing.B) {
	for _, e := range storetest.Engines() {
		b.Run(e.Name, func(b *testing.B) {
			f := newFixture(b, e.Open(b))
			mail := f.channel(b, desk.Channel{Kind: desk.ChannelEmail, Name: "SAV", GuardNames: []string{}, Active: true})
			cs, _ := f.d.Contacts(ctx)
			cs[0].ChannelID = mail.ID
			f.d.SaveContact(ctx, f.admin, cs[0])
			for i := range 2000 {
				if _, err := f.d.SubmitContactForm(ctx, desk.FormInput{ContactID: cs[i%2].ID, Email: fmt.Sprintf("c%d@example.fr", i), Body: "Bonjour",
					Address: fmt.Sprintf("10.1.%d.%d", i>>8&255, i&255)}); err != nil {
					b.Fatal(err)
				}
			}
			b.ResetTimer()
			for range b.N {
				if _, err := f.d.ServiceOverview(ctx, f.lea); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
