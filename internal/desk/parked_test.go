package desk_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"guichet/internal/desk"
)

func parked(t *testing.T, f *fixture) []desk.ParkedMessage {
	t.Helper()
	ps, n, err := f.d.ParkedMessages(ctx, f.admin)
	if err != nil || n != len(ps) {
		t.Fatalf("parked messages: %d of %d, %v", len(ps), n, err)
	}
	return ps
}

// TestIngestParksAFileOverTheLimit: the message with the big file waits
// aside, described (its file's name and size, not its bytes); the others are
// stored; nothing is written for it.
func TestIngestParksAFileOverTheLimit(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		d, blobs := f.withBlobs(t)
		big := incoming(f.kaufland, "K-BIG", "big-1", "Voici la photo du carton")
		big.Files = []desk.IncomingFile{{Name: "ok.txt", ContentType: "text/plain", Data: []byte("petit")},
			{Name: "carton.jpg", ContentType: "image/jpeg", Data: make([]byte, 26<<20)}}
		res, err := d.Ingest(ctx, []desk.Incoming{incoming(f.kaufland, "K-1", "s-1", "Bonjour"), big, incoming(f.kaufland, "K-2", "s-2", "Hallo")})
		if err != nil {
			t.Fatal(err)
		}
		if res.Stored != 2 || len(res.Parked) != 1 || res.Parked[0].Index != 1 || res.Parked[0].Code != desk.ETooLarge ||
			res.Parked[0].Field != "files[1]" || res.Parked[0].Error != "fichier trop volumineux : carton.jpg (26 Mo, 25 Mo au plus)" {
			t.Fatalf("ingest: %+v", res)
		}
		if n := blobs.count(); n != 0 {
			t.Errorf("%d files written for a parked message", n)
		}
		if _, err := f.d.LookupTicket(ctx, f.admin, "K-BIG"); !desk.IsNotFound(err) {
			t.Errorf("a ticket was opened for the parked message: %v", err)
		}
		ps := parked(t, f)
		if len(ps) != 1 {
			t.Fatalf("parked: %+v", ps)
		}
		p := ps[0]
		if p.ChannelID != f.kaufland.ID || p.SourceID != "big-1" || p.OrderRef != "K-BIG" || p.Code != desk.ETooLarge || p.TimesSeen != 1 ||
			!p.FirstSeen.Equal(monday) || p.Content.Body != "Voici la photo du carton" || p.Content.Customer.Name != "Jean Client" || p.Retryable() {
			t.Errorf("parked row %+v", p)
		}
		if len(p.Content.Files) != 2 || p.Content.Files[1] != (desk.ParkedFile{Name: "carton.jpg", ContentType: "image/jpeg", Size: 26 << 20}) {
			t.Errorf("parked files %+v", p.Content.Files)
		}
	})
}

// TestIngestParksTheBadOneOnce: a batch with bad messages among good ones
// stores the good ones and parks the bad ones; the same batch fetched again
// duplicates nothing and parks each bad one once more, in its row.
func TestIngestParksTheBadOneOnce(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		badThread := incoming(f.kaufland, "K-3", "bad-thread", "Bonjour")
		badThread.ThreadKind = "whatsapp"
		noSource := incoming(f.kaufland, "K-4", "", "Sans identifiant")
		longRef := incoming(f.fnac, strings.Repeat("R", 80), "long-ref", "Référence trop longue")
		batch := []desk.Incoming{incoming(f.kaufland, "K-1", "s-1", "Bonjour"), badThread, noSource,
			incoming(f.kaufland, "K-2", "s-2", "Hallo"), longRef, incoming(f.fnac, "F-1", "f-1", "Salut")}
		res, err := f.d.Ingest(ctx, batch)
		if err != nil {
			t.Fatal(err)
		}
		if res.Stored != 3 || res.Duplicates != 0 || len(res.Parked) != 3 {
			t.Fatalf("first ingest %+v", res)
		}
		for i, want := range []struct {
			index int
			field string
		}{{1, "thread_kind"}, {2, "source_id"}, {4, "order_ref"}} {
			if p := res.Parked[i]; p.Index != want.index || p.Field != want.field || p.Code != desk.EInvalid || p.Error == "" {
				t.Errorf("parked[%d] = %+v; want index %d on %s", i, p, want.index, want.field)
			}
		}
		f.clock.Add(time.Hour)
		res, err = f.d.Ingest(ctx, batch) // the sync fetched an overlapping window
		if err != nil {
			t.Fatal(err)
		}
		if res.Stored != 0 || res.Duplicates != 3 || len(res.Parked) != 3 || res.Opened != 0 {
			t.Fatalf("second ingest %+v", res)
		}
		ps := parked(t, f)
		if len(ps) != 3 {
			t.Fatalf("%d parked rows; want 3", len(ps))
		}
		for _, p := range ps {
			if p.TimesSeen != 2 || !p.FirstSeen.Equal(monday) || !p.LastSeen.Equal(monday.Add(time.Hour)) {
				t.Errorf("parked %s (%s): seen %d times, %v to %v", p.SourceID, p.Field, p.TimesSeen, p.FirstSeen, p.LastSeen)
			}
		}
		for _, ref := range []string{"K-1", "K-2", "F-1"} {
			tk, err := f.d.LookupTicket(ctx, f.admin, ref)
			if err != nil || tk.MessageCount != 1 {
				t.Errorf("%s: %+v, %v; want one message", ref, tk, err)
			}
		}
		// The channel sends it right at last: stored, and it leaves the list.
		fixed := badThread
		fixed.ThreadKind = desk.ThreadCustomer
		if res, err := f.d.Ingest(ctx, []desk.Incoming{fixed}); err != nil || res.Stored != 1 {
			t.Fatalf("fixed message: %+v, %v", res, err)
		}
		if ps := parked(t, f); len(ps) != 2 {
			t.Errorf("after the fix, %d parked; want 2", len(ps))
		}
		// An admin deletes one.
		if err := f.d.DeleteParked(ctx, f.lea, ps[0].ID); desk.ErrorCode(err) != desk.EForbidden {
			t.Errorf("an ADV deleted a parked message: %v", err)
		}
		if err := f.d.DeleteParked(ctx, f.admin, ps[0].ID); err != nil {
			t.Fatal(err)
		}
		if err := f.d.DeleteParked(ctx, f.admin, ps[0].ID); !desk.IsNotFound(err) {
			t.Errorf("deleted twice: %v", err)
		}
		if n, _ := f.d.CountParked(ctx, f.admin); n != 1 {
			t.Errorf("count after delete: %d", n)
		}
	})
}

// TestIngestCleansBrokenText: NUL and invalid UTF-8 from a channel are
// cleaned and stored, every text field, the message flagged; cleaned the
// same way each time, so that the next fetch is a duplicate.
func TestIngestCleansBrokenText(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		bad := desk.Incoming{ChannelID: f.kaufland.ID, OrderRef: "BAD-\xff", SourceID: "src-\x00\xfe", ThreadExternalID: "conv\x00-1",
			ThreadSubject: "Sujet\xc3", AuthorName: "Jean\x00 Dupont", Body: "Bonjour\x00, o\xf9 est mon colis ?", BodyHTML: "<p>Bonjour\x00 \xff</p>",
			Reason: "Livraison\xff", Subject: "Colis\x00",
			Customer: desk.CustomerInput{ExternalID: "c\x00-1", Name: "Jean\xff Dupont", Email: "jean\x00@relay.example", Phone: "06\x0001"},
			Files:    []desk.IncomingFile{{Name: "fac\x00ture\xff.pdf", ContentType: "application/pdf\x00", Data: []byte("%PDF-1.4")}}}
		batch := []desk.Incoming{incoming(f.kaufland, "K-1", "s-1", "Bonjour"), bad, incoming(f.kaufland, "K-2", "s-2", "Hallo")}
		res, err := f.d.Ingest(ctx, batch)
		if err != nil || res.Stored != 3 || res.Altered != 1 || len(res.Parked) != 0 {
			t.Fatalf("ingest %+v, %v", res, err)
		}
		tk, err := f.d.LookupTicket(ctx, f.admin, "BAD-\uFFFD")
		if err != nil {
			t.Fatal(err)
		}
		v := f.view(t, tk.ID)
		m := v.Messages[0]
		if !m.Altered || m.SourceID != "src-\uFFFD" || m.Body != "Bonjour, o\uFFFD est mon colis ?" || m.AuthorName != "Jean Dupont" ||
			strings.ContainsRune(m.BodyHTML, 0) {
			t.Errorf("message %+v", m)
		}
		if len(m.Attachments) != 1 || m.Attachments[0].Name != "facture\uFFFD.pdf" || m.Attachments[0].ContentType != "application/octet-stream" {
			t.Errorf("attachment %+v", m.Attachments)
		}
		if v.Customer == nil || v.Customer.Name != "Jean\uFFFD Dupont" || v.Customer.Email != "jean@relay.example" || v.Customer.ExternalID != "c-1" {
			t.Errorf("customer %+v", v.Customer)
		}
		if v.Ticket.Reason != "Livraison\uFFFD" || v.Ticket.Subject != "Colis" || v.Threads[0].ExternalID != "conv-1" || v.Threads[0].Subject != "Sujet\uFFFD" {
			t.Errorf("ticket %+v, thread %+v", v.Ticket, v.Threads[0])
		}
		for _, other := range v.Messages[1:] {
			t.Errorf("unexpected message %+v", other)
		}
		k1, _ := f.d.LookupTicket(ctx, f.admin, "K-1")
		if m := f.view(t, k1.ID).Messages[0]; m.Altered {
			t.Error("a clean message is flagged")
		}
		res, err = f.d.Ingest(ctx, batch)
		if err != nil || res.Stored != 0 || res.Duplicates != 3 {
			t.Errorf("second ingest %+v, %v; want three duplicates", res, err)
		}
	})
}

// TestIngestWritesNoFileForDuplicates: the delivered messages are known
// before any file is written, so fetching a window again writes nothing.
func TestIngestWritesNoFileForDuplicates(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		d, blobs := f.withBlobs(t)
		var batch []desk.Incoming
		for i, ref := range []string{"K-1", "K-2", "K-1"} {
			in := incoming(f.kaufland, ref, "s-"+string(rune('a'+i)), "Photo jointe")
			in.Files = []desk.IncomingFile{{Name: "photo.jpg", ContentType: "image/jpeg", Data: []byte("jpeg " + ref + in.SourceID)}}
			batch = append(batch, in)
		}
		batch = append(batch, batch[0]) // twice in the batch: stored and written once
		res, err := d.Ingest(ctx, batch)
		if err != nil || res.Stored != 3 || res.Duplicates != 1 {
			t.Fatalf("first ingest %+v, %v", res, err)
		}
		if n := blobs.count(); n != 3 {
			t.Errorf("first ingest wrote %d files; want 3", n)
		}
		res, err = d.Ingest(ctx, batch)
		if err != nil || res.Stored != 0 || res.Duplicates != 4 {
			t.Fatalf("second ingest %+v, %v", res, err)
		}
		if n := blobs.count(); n != 3 {
			t.Errorf("the second ingest wrote %d files; want none", n-3)
		}
		// A new message among the old ones: only its file.
		fresh := incoming(f.kaufland, "K-3", "s-new", "Autre photo")
		fresh.Files = []desk.IncomingFile{{Name: "b.jpg", Data: []byte("b")}}
		if res, err := d.Ingest(ctx, append(batch, fresh)); err != nil || res.Stored != 1 {
			t.Fatalf("third ingest %+v, %v", res, err)
		}
		if n := blobs.count(); n != 4 {
			t.Errorf("the third ingest wrote %d files; want 1", n-3)
		}
	})
}

// TestIngestFileStoreFailures: a file the store refuses parks its message;
// a store that fails (disk, network) fails the batch, so that the sync tries
// it again, and nothing of it is kept.
func TestIngestFileStoreFailures(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		d, blobs := f.withBlobs(t)
		withFile := incoming(f.kaufland, "K-F", "s-f", "Voici")
		withFile.Files = []desk.IncomingFile{{Name: "x.exe", Data: []byte("MZ")}}
		batch := []desk.Incoming{incoming(f.kaufland, "K-1", "s-1", "Bonjour"), withFile}

		blobs.fail = errors.New("disk on fire")
		if _, err := d.Ingest(ctx, batch); desk.ErrorCode(err) != desk.EInternal {
			t.Fatalf("failing store: %v; want an internal error", err)
		}
		if _, err := f.d.LookupTicket(ctx, f.admin, "K-1"); !desk.IsNotFound(err) {
			t.Errorf("a failed batch stored its first message: %v", err)
		}
		if ps := parked(t, f); len(ps) != 0 {
			t.Errorf("a failed batch parked %+v", ps)
		}

		blobs.fail = refusingError{}
		res, err := d.Ingest(ctx, batch)
		if err != nil || res.Stored != 1 || len(res.Parked) != 1 || res.Parked[0].Field != "files[0]" || !strings.Contains(res.Parked[0].Error, "x.exe") {
			t.Fatalf("refusing store: %+v, %v", res, err)
		}
	})
}

// TestRetryParked: an admin imports again a message parked by an earlier
// version (here written straight to the store); one whose files were not
// kept cannot be retried; one still wrong stays, seen once more.
func TestRetryParked(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ok := incoming(f.kaufland, "K-R", "r-1", "Bonjour, où en est ma commande ?")
		ok.At = monday.Add(-time.Hour)
		err := f.s.Write(ctx, func(tx desk.Tx) error {
			return tx.ParkMessages(ctx, []desk.ParkedMessage{{ChannelID: f.kaufland.ID, SourceKey: "r-1", SourceID: "r-1", OrderRef: "K-R",
				Code: desk.EInvalid, Field: "body", Reason: "message trop long", Content: desk.ParkedIncoming{Incoming: ok, Altered: true},
				FirstSeen: monday, LastSeen: monday}})
		})
		if err != nil {
			t.Fatal(err)
		}
		big := incoming(f.kaufland, "K-B", "b-1", "Photo")
		big.Files = []desk.IncomingFile{{Name: "p.jpg", Data: make([]byte, desk.MaxFileSize+1)}}
		still := incoming(f.kaufland, "K-S", "", "Sans identifiant")
		if res, err := f.d.Ingest(ctx, []desk.Incoming{big, still}); err != nil || len(res.Parked) != 2 {
			t.Fatalf("ingest %+v, %v", res, err)
		}
		byRef := map[string]desk.ParkedMessage{}
		for _, p := range parked(t, f) {
			byRef[p.OrderRef] = p
		}
		if _, err := f.d.RetryParked(ctx, f.lea, byRef["K-R"].ID); desk.ErrorCode(err) != desk.EForbidden {
			t.Errorf("an ADV retried: %v", err)
		}
		res, err := f.d.RetryParked(ctx, f.admin, byRef["K-R"].ID)
		if err != nil || res.Stored != 1 || res.Opened != 1 {
			t.Fatalf("retry: %+v, %v", res, err)
		}
		tk, err := f.d.LookupTicket(ctx, f.admin, "K-R")
		if err != nil {
			t.Fatal(err)
		}
		if m := f.view(t, tk.ID).Messages[0]; !m.Altered || !m.CreatedAt.Equal(ok.At) || m.Body != ok.Body {
			t.Errorf("retried message %+v", m)
		}
		if _, err := f.d.RetryParked(ctx, f.admin, byRef["K-B"].ID); desk.ErrorCode(err) != desk.EConflict {
			t.Errorf("retry without the files: %v; want a conflict", err)
		}
		if _, err := f.d.RetryParked(ctx, f.admin, byRef["K-S"].ID); desk.ErrorCode(err) != desk.EConflict || !strings.Contains(desk.ErrorMessage(err), "champ obligatoire") {
			t.Errorf("retry of a message still wrong: %v", err)
		}
		left := parked(t, f)
		if len(left) != 2 {
			t.Fatalf("left parked: %+v", left)
		}
		for _, p := range left {
			if p.OrderRef == "K-S" && p.TimesSeen != 2 {
				t.Errorf("retried and parked again: seen %d times", p.TimesSeen)
			}
		}
	})
}
