package deadline

import (
	"testing"
	"time"
)

// go test ./internal/deadline -bench Due -run XXX: the cost of one deadline,
// paid for each new or reopened ticket of an ingest batch.
func BenchmarkDue(b *testing.B) {
	c := France()
	from := time.Date(2026, 12, 23, 17, 30, 0, 0, c.Location())
	for _, p := range []Policy{{Clock, 24}, {WorkingDays, 48}, {OpeningHours, 8}, {OpeningHours, 72}} {
		b.Run(p.String(), func(b *testing.B) {
			for b.Loop() {
				c.Due(from, p)
			}
		})
	}
}
