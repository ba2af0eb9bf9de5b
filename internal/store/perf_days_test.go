package store_test

import (
	"reflect"
	"testing"

	"guichet/internal/store"
)

// Migration 0013 rolls up the hours there were into days, and its
// triggers keep the days equal to their hours as the hours are inserted,
// upserted and deleted.
func TestPerfDaysRollUpTheHours(t *testing.T) {
	unmigrated(t, func(t *testing.T, s *store.Store) {
		if _, err := s.MigrateBefore(ctx, "0013"); err != nil {
			t.Fatal(err)
		}
		db := s.DB()
		exec := func(q string, args ...any) {
			t.Helper()
			if _, err := db.ExecContext(ctx, q, args...); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		// Day 20000 (hours 480000-480023) and 20001, two channels, an agent.
		exec(`INSERT INTO perf_hours (hour, channel_id, agent_id, msgs_in, msgs_out, closed) VALUES
			(480000, 1, 0, 3, 0, 0), (480023, 1, 0, 2, 0, 0), (480023, 1, 7, 0, 4, 1),
			(480024, 1, 0, 5, 0, 0), (480030, 2, 7, 0, 1, 2)`)
		if _, err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		check := func(when string, want map[[3]int64][3]int64) {
			t.Helper()
			rows, err := db.QueryContext(ctx, `SELECT day, channel_id, agent_id, msgs_in, msgs_out, closed FROM perf_days
				WHERE msgs_in <> 0 OR msgs_out <> 0 OR closed <> 0`)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			got := map[[3]int64][3]int64{}
			for rows.Next() {
				var k, v [3]int64
				if err := rows.Scan(&k[0], &k[1], &k[2], &v[0], &v[1], &v[2]); err != nil {
					t.Fatal(err)
				}
				got[k] = v
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s: days = %v; want %v", when, got, want)
			}
		}
		check("backfilled", map[[3]int64][3]int64{
			{20000, 1, 0}: {5, 0, 0}, {20000, 1, 7}: {0, 4, 1}, {20001, 1, 0}: {5, 0, 0}, {20001, 2, 7}: {0, 1, 2}})
		// The triggers' upserts, as messages and closings write them.
		exec(`INSERT INTO perf_hours (hour, channel_id, agent_id, msgs_in) VALUES (480001, 1, 0, 1)
			ON CONFLICT (hour, channel_id, agent_id) DO UPDATE SET msgs_in = perf_hours.msgs_in + 1`)
		exec(`INSERT INTO perf_hours (hour, channel_id, agent_id, msgs_in) VALUES (480000, 1, 0, 1)
			ON CONFLICT (hour, channel_id, agent_id) DO UPDATE SET msgs_in = perf_hours.msgs_in + 1`)
		exec(`INSERT INTO perf_hours (hour, channel_id, agent_id, closed) VALUES (480030, 2, 7, 1)
			ON CONFLICT (hour, channel_id, agent_id) DO UPDATE SET closed = perf_hours.closed + 1`)
		exec(`INSERT INTO perf_hours (hour, channel_id, agent_id, msgs_out) VALUES (480047, 3, 9, 1)
			ON CONFLICT (hour, channel_id, agent_id) DO UPDATE SET msgs_out = perf_hours.msgs_out + 1`)
		exec(`DELETE FROM perf_hours WHERE hour = 480023 AND agent_id = 7`)
		check("kept", map[[3]int64][3]int64{
			{20000, 1, 0}: {7, 0, 0}, {20001, 1, 0}: {5, 0, 0}, {20001, 2, 7}: {0, 1, 3}, {20001, 3, 9}: {0, 1, 0}})
	})
}
