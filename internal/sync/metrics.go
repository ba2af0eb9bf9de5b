package sync

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"guichet/internal/desk"
)

type metrics struct {
	fetched    *prometheus.CounterVec
	syncErrors *prometheus.CounterVec
	deliveries *prometheus.CounterVec
	backlog    *backlog
}

func newMetrics(d *desk.Desk) *metrics {
	return &metrics{
		fetched: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "guichet_sync_messages_stored_total", Help: "Messages fetched from a channel and stored, by channel.",
		}, []string{"channel"}),
		syncErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "guichet_sync_errors_total", Help: "Failed sync runs, by channel.",
		}, []string{"channel"}),
		deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "guichet_outbox_deliveries_total", Help: "Delivery attempts of replies, by outcome.",
		}, []string{"outcome"}),
		backlog: &backlog{d: d, desc: prometheus.NewDesc("guichet_outbox_backlog",
			"Replies not sent yet, by outbox state (the database's count, shared by every process).", []string{"state"}, nil)},
	}
}

// Collectors are the runner's metrics, for the /metrics registry.
func (r *Runner) Collectors() []prometheus.Collector {
	return []prometheus.Collector{r.metrics.fetched, r.metrics.syncErrors, r.metrics.deliveries, r.metrics.backlog}
}

// backlog reads the outbox's counts when scraped: they are the database's,
// whichever process delivers.
type backlog struct {
	d    *desk.Desk
	desc *prometheus.Desc
}

func (b *backlog) Describe(ch chan<- *prometheus.Desc) { ch <- b.desc }

func (b *backlog) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	counts, err := b.d.OutboxCounts(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(b.desc, err)
		return
	}
	for state, n := range counts {
		ch <- prometheus.MustNewConstMetric(b.desc, prometheus.GaugeValue, float64(n), string(state))
	}
}
