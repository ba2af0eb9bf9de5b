package desk

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"
)

// ImportState is where a CSV import of customers stands.
type ImportState string

const (
	ImportPreview ImportState = "preview" // read and shown, not written
	ImportRunning ImportState = "running"
	ImportDone    ImportState = "done"
	ImportFailed  ImportState = "failed"
)

// CustomerImport is a CSV file of customers for a shop channel: kept from
// its preview to its import, then the import's progress and report.
type CustomerImport struct {
	ID         int64          `json:"id"`
	AgentID    int64          `json:"agent_id"`
	ChannelID  int64          `json:"channel_id"`
	FileName   string         `json:"file_name"`
	Data       []byte         `json:"-"` // nil once imported
	State      ImportState    `json:"state"`
	Total      int            `json:"total"`   // good lines
	Done       int            `json:"done"`    // lines written so far
	Written    int            `json:"written"` // customers created or brought up to date
	Rejected   []RejectedLine `json:"rejected"`
	Error      string         `json:"error,omitempty"`
	CreatedAt  time.Time      `json:"created_at"`
	FinishedAt time.Time      `json:"finished_at,omitzero"`
	// Preview and Encoding are read from Data, not stored.
	Preview  []CSVCustomer `json:"-"`
	Encoding string        `json:"encoding,omitempty"`
}

// RejectedJSON and SetRejectedJSON are how the store keeps the report.
func (im *CustomerImport) RejectedJSON() string {
	b, _ := json.Marshal(im.Rejected)
	if im.Rejected == nil {
		return "[]"
	}
	return string(b)
}

func (im *CustomerImport) SetRejectedJSON(s string) error {
	return json.Unmarshal([]byte(s), &im.Rejected)
}

// CustomerImportTx keeps imports and writes the shop's customers.
type CustomerImportTx interface {
	InsertCustomerImport(ctx context.Context, im *CustomerImport) error
	CustomerImportByID(ctx context.Context, id int64, withData bool) (CustomerImport, error)
	UpdateCustomerImport(ctx context.Context, im *CustomerImport) error
	// CountCustomerImport adds a written chunk to an import's progress.
	CountCustomerImport(ctx context.Context, id int64, done, written int) error
	// UpsertShopCustomers stores customers of one channel by external id:
	// new ones inserted, known ones brought up to date (their note and
	// links kept). It returns how many rows it wrote.
	UpsertShopCustomers(ctx context.Context, cs []Customer) (int, error)
}

// importChunk: each transaction rewrites, at its commit, the pages of the
// customers' fifteen indexes that its lines touched, which for random names
// and addresses is most of them: for 100 000 lines, chunks of 1 000 took
// 8.7 s of CPU on SQLite, 2 000 7.4 s, 5 000 6.4 s. A chunk holds SQLite's
// writer some 0.3 s, and progress moves by 5 000 lines.
const (
	maxImportBytes   = 64 << 20
	importPreview    = 20
	importChunk      = 5000  // lines a transaction (see below)
	maxImportReasons = 10000 // rejected lines kept in the report
)

// PreviewCustomerImport reads a file without writing a customer: its good
// lines (the first few shown), its rejected lines with their reasons. The
// file is kept for StartCustomerImport.
func (d *Desk) PreviewCustomerImport(ctx context.Context, actor Actor, channelID int64, fileName string, data []byte) (CustomerImport, error) {
	if actor.AgentID == 0 {
		return CustomerImport{}, Errorf(EForbidden, "réservé aux agents")
	}
	if len(data) > maxImportBytes {
		return CustomerImport{}, Invalid("file", "fichier trop gros (64 Mio au plus)")
	}
	good, rejected, enc, err := ParseCustomerCSV(data)
	if err != nil {
		return CustomerImport{}, err
	}
	name, _ := checkLine("file_name", cleanName(fileName), maxLine, false)
	im := CustomerImport{AgentID: actor.AgentID, ChannelID: channelID, FileName: name, Data: data,
		State: ImportPreview, Total: len(good), Rejected: capRejected(rejected), CreatedAt: d.Now(), Encoding: enc}
	im.Preview = good[:min(len(good), importPreview)]
	err = d.store.Write(ctx, func(tx Tx) error {
		ch, err := tx.ChannelByID(ctx, channelID)
		if IsNotFound(err) || (err == nil && ch.Kind != ChannelPrestaShop) {
			return Invalid("channel_id", "choisissez la boutique (un canal PrestaShop) dont viennent ces clients")
		}
		if err != nil {
			return err
		}
		return tx.InsertCustomerImport(ctx, &im)
	})
	if err != nil {
		return CustomerImport{}, err
	}
	return im, nil
}

func cleanName(s string) string {
	s, _ = cleanText(s)
	return clip(s, maxLine)
}

func capRejected(r []RejectedLine) []RejectedLine {
	if len(r) > maxImportReasons {
		return r[:maxImportReasons]
	}
	return r
}

// CustomerImportStatus returns an import, with its preview while it has one.
func (d *Desk) CustomerImportStatus(ctx context.Context, actor Actor, id int64) (CustomerImport, error) {
	if actor.AgentID == 0 {
		return CustomerImport{}, Errorf(EForbidden, "réservé aux agents")
	}
	var im CustomerImport
	err := d.store.Read(ctx, func(tx Tx) error {
		var err error
		im, err = tx.CustomerImportByID(ctx, id, true)
		return err
	})
	if err != nil {
		return im, err
	}
	if im.State == ImportPreview && im.Data != nil {
		good, _, enc, _ := ParseCustomerCSV(im.Data)
		im.Preview, im.Encoding = good[:min(len(good), importPreview)], enc
	}
	im.Data = nil
	return im, nil
}

// StartCustomerImport marks a previewed import as running; the caller then
// runs RunCustomerImport in the background. Only once: a second start is refused.
func (d *Desk) StartCustomerImport(ctx context.Context, actor Actor, id int64) error {
	if actor.AgentID == 0 {
		return Errorf(EForbidden, "réservé aux agents")
	}
	return d.store.Write(ctx, func(tx Tx) error {
		im, err := tx.CustomerImportByID(ctx, id, false)
		if err != nil {
			return err
		}
		if im.State != ImportPreview {
			return Errorf(EConflict, "cet import est déjà lancé")
		}
		im.State = ImportRunning
		return tx.UpdateCustomerImport(ctx, &im)
	})
}

// RunCustomerImport writes a running import's customers, a chunk per
// transaction with its progress, so that a page shows it as it goes. The
// file is read while the chunks before are written, and on a store that
// takes several writers at once (PostgreSQL) chunks are written side by
// side. A line is one row: a bad line was rejected before, whole; a failing
// chunk stops the import (state failed) and keeps the chunks written.
func (d *Desk) RunCustomerImport(ctx context.Context, id int64) error {
	var im CustomerImport
	err := d.store.Read(ctx, func(tx Tx) error {
		var err error
		im, err = tx.CustomerImportByID(ctx, id, true)
		return err
	})
	if err != nil {
		return err
	}
	if im.State != ImportRunning {
		return Errorf(EConflict, "cet import n'est pas en cours")
	}
	writers := 1
	if w, ok := d.store.(interface{ ConcurrentWrites() int }); ok {
		writers = max(1, w.ConcurrentWrites())
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	now := d.Now()
	batches := make(chan []Customer, writers)
	var rejected []RejectedLine
	var readErr error
	read := make(chan struct{})
	go func() {
		defer close(read)
		defer close(batches)
		rejected, _, readErr = scanCustomerCSV(im.Data, importChunk, func(good []CSVCustomer) error {
			batch := make([]Customer, len(good))
			for i, g := range good {
				batch[i] = g.Customer
				batch[i].ChannelID, batch[i].CreatedAt = im.ChannelID, now
			}
			select {
			case batches <- batch:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}()
	var mu sync.Mutex
	var writeErr error
	var wg sync.WaitGroup
	for range writers {
		wg.Go(func() {
			for batch := range batches {
				var n int
				err := d.store.Write(ctx, func(tx Tx) error {
					var err error
					if n, err = tx.UpsertShopCustomers(ctx, batch); err != nil {
						return err
					}
					return tx.CountCustomerImport(ctx, im.ID, len(batch), n)
				})
				mu.Lock()
				if err == nil {
					im.Done += len(batch)
					im.Written += n
				} else if writeErr == nil {
					writeErr = err
					cancel()
				}
				mu.Unlock()
				if err != nil {
					return
				}
			}
		})
	}
	wg.Wait()
	<-read
	im.Rejected = capRejected(rejected)
	switch {
	case writeErr != nil:
		return d.failImport(ctx, im, writeErr)
	case readErr != nil:
		return d.failImport(ctx, im, readErr)
	}
	im.State, im.FinishedAt, im.Data = ImportDone, d.Now(), nil
	return d.store.Write(ctx, func(tx Tx) error { return tx.UpdateCustomerImport(ctx, &im) })
}

// failImport records an import's failure. Its counts are the database's,
// written with each chunk: a chunk whose commit crossed the cancellation
// that another's failure made may be stored and counted there while its
// writer saw an error.
func (d *Desk) failImport(ctx context.Context, im CustomerImport, cause error) error {
	ctx = context.WithoutCancel(ctx) // recorded even when the import was stopped
	err := d.store.Write(ctx, func(tx Tx) error {
		stored, err := tx.CustomerImportByID(ctx, im.ID, false)
		if err != nil {
			return err
		}
		im.Done, im.Written = stored.Done, stored.Written
		im.State, im.FinishedAt, im.Data = ImportFailed, d.Now(), nil
		im.Error = ErrorMessage(cause)
		if ErrorCode(cause) == EInternal {
			im.Error = fmt.Sprintf("erreur interne après %d lignes : réessayez", im.Done)
		}
		return tx.UpdateCustomerImport(ctx, &im)
	})
	if err != nil {
		return err
	}
	return cause
}

// ExportCustomers writes a shop channel's customers (and those of the
// records linked to them) in PrestaShop's CSV format, in id order.
func (d *Desk) ExportCustomers(ctx context.Context, actor Actor, channelID int64, each func([]Customer) error) error {
	if actor.AgentID == 0 {
		return Errorf(EForbidden, "réservé aux agents")
	}
	f := CustomerFilter{ChannelID: channelID, IncludeMerged: true, Limit: maxCustomerPage}
	for {
		var page []Customer
		err := d.store.Read(ctx, func(tx Tx) error {
			var err error
			page, err = tx.FindCustomers(ctx, f)
			return err
		})
		if err != nil {
			return err
		}
		more := len(page) > f.Limit
		if more {
			page = page[:f.Limit]
		}
		if err := each(page); err != nil {
			return err
		}
		if !more {
			return nil
		}
		f.After = &CustomerCursor{ID: page[len(page)-1].ID}
	}
}
