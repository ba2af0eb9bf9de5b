package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"guichet/internal/desk"
)

// The channels' sync rows and their leases. Claims run in a write
// transaction: on PostgreSQL they lock the rows they take with SKIP LOCKED,
// so that two processes never take the same channel nor wait on each other;
// on SQLite the single writer (an IMMEDIATE transaction) does the same.

const syncColumns = `s.channel_id, s.cursor, s.every, s.next_run_at, s.last_run_at, s.last_ok_at, s.last_error,
	s.last_error_at, s.failures, s.last_fetched, s.fetched, s.lease_owner, s.lease_until, s.requested_at`

func scanSync(r scanner) (desk.SyncState, error) {
	var st desk.SyncState
	var every, next, run, ok, errAt, until, requested int64
	err := r.Scan(&st.ChannelID, &st.Cursor, &every, &next, &run, &ok, &st.LastError, &errAt, &st.Failures,
		&st.LastFetched, &st.Fetched, &st.LeaseOwner, &until, &requested)
	st.Every = time.Duration(every) * time.Millisecond
	st.NextRunAt, st.LastRunAt, st.LastOKAt, st.LastErrorAt = fromMS(next), fromMS(run), fromMS(ok), fromMS(errAt)
	st.LeaseUntil, st.Requested = fromMS(until), requested != 0
	return st, err
}

// skipLocked takes rows that no other transaction holds, and skips the
// others (PostgreSQL); SQLite's one writer needs no clause.
func (t *tx) skipLocked(of string) string {
	if t.s.dialect.name() == "postgres" {
		return " FOR UPDATE OF " + of + " SKIP LOCKED"
	}
	return ""
}

func (t *tx) SyncState(ctx context.Context, channelID int64) (desk.SyncState, error) {
	st, err := scanSync(t.queryRow(ctx, `SELECT `+syncColumns+` FROM channel_sync s WHERE s.channel_id = $1`, channelID))
	if err == sql.ErrNoRows {
		return desk.SyncState{ChannelID: channelID}, nil
	}
	return st, err
}

func (t *tx) SyncStates(ctx context.Context) ([]desk.SyncState, error) {
	rows, err := t.query(ctx, `SELECT `+syncColumns+` FROM channel_sync s ORDER BY s.channel_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []desk.SyncState
	for rows.Next() {
		st, err := scanSync(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, rows.Err()
}

func (t *tx) ensureSync(ctx context.Context, channelID int64) error {
	_, err := t.exec(ctx, `INSERT INTO channel_sync (channel_id) VALUES ($1) ON CONFLICT (channel_id) DO NOTHING`, channelID)
	return err
}

func (t *tx) SaveSyncCursor(ctx context.Context, channelID int64, lease, cursor string, stored int, now time.Time) (bool, error) {
	res, err := t.exec(ctx, `UPDATE channel_sync SET cursor = $1, last_fetched = last_fetched + $2, fetched = fetched + $2
		WHERE channel_id = $3 AND lease_owner = $4 AND lease_until > $5`, cursor, stored, channelID, lease, ms(now))
	if err != nil {
		return false, fmt.Errorf("save sync cursor: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

func (t *tx) RequestSync(ctx context.Context, channelID int64, now time.Time) error {
	if err := t.ensureSync(ctx, channelID); err != nil {
		return err
	}
	_, err := t.exec(ctx, `UPDATE channel_sync SET requested_at = $1, next_run_at = $1 WHERE channel_id = $2`, ms(now), channelID)
	return err
}

func (t *tx) SetSyncEvery(ctx context.Context, channelID int64, every time.Duration) error {
	if err := t.ensureSync(ctx, channelID); err != nil {
		return err
	}
	_, err := t.exec(ctx, `UPDATE channel_sync SET every = $1 WHERE channel_id = $2`, every.Milliseconds(), channelID)
	return err
}

func (t *tx) SetThreadState(ctx context.Context, threadID int64, subject, status, label string) error {
	_, err := t.exec(ctx, `UPDATE threads SET subject = CASE WHEN $1 = '' THEN subject ELSE $1 END, status = $2, status_label = $3
		WHERE id = $4`, subject, status, label, threadID)
	return err
}

func (t *tx) SetThreadExternalID(ctx context.Context, threadID int64, externalID string) error {
	_, err := t.exec(ctx, `UPDATE threads SET external_id = $1 WHERE id = $2 AND external_id = ''`, externalID, threadID)
	return err
}

// MergeThread moves a thread's messages into another thread of the same
// ticket and deletes it.
func (t *tx) MergeThread(ctx context.Context, from, into int64) error {
	if _, err := t.exec(ctx, `UPDATE messages SET thread_id = $1 WHERE thread_id = $2
		AND ticket_id = (SELECT ticket_id FROM threads WHERE id = $1)`, into, from); err != nil {
		return err
	}
	_, err := t.exec(ctx, `DELETE FROM threads WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM messages WHERE thread_id = $1)`, from)
	return err
}

// ClaimDueChannels leases up to limit active channels whose run is due at
// now and that no live lease holds, until `until`, for owner.
func (s *Store) ClaimDueChannels(ctx context.Context, owner string, now, until time.Time, limit int) ([]desk.SyncState, error) {
	var out []desk.SyncState
	err := s.Write(ctx, func(dt desk.Tx) error {
		t := dt.(*tx)
		out = nil
		if _, err := t.exec(ctx, `INSERT INTO channel_sync (channel_id) SELECT id FROM channels WHERE active = 1
			ON CONFLICT (channel_id) DO NOTHING`); err != nil {
			return err
		}
		rows, err := t.query(ctx, `SELECT `+syncColumns+` FROM channel_sync s JOIN channels c ON c.id = s.channel_id
			WHERE c.active = 1 AND s.next_run_at <= $1 AND s.lease_until <= $1
			ORDER BY s.next_run_at, s.channel_id LIMIT $2`+t.skipLocked("s"), ms(now), limit)
		if err != nil {
			return err
		}
		for rows.Next() {
			st, err := scanSync(rows)
			if err != nil {
				rows.Close()
				return err
			}
			out = append(out, st)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for i := range out {
			if err := t.leaseChannel(ctx, &out[i], owner, now, until); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

func (t *tx) leaseChannel(ctx context.Context, st *desk.SyncState, owner string, now, until time.Time) error {
	_, err := t.exec(ctx, `UPDATE channel_sync SET lease_owner = $1, lease_until = $2, last_run_at = $3, last_fetched = 0 WHERE channel_id = $4`,
		owner, ms(until), ms(now), st.ChannelID)
	st.LeaseOwner, st.LeaseUntil, st.LastRunAt = owner, until, now
	return err
}

// ClaimChannel leases one channel whatever its schedule (a run asked from
// the command line), unless a live lease holds it: ok is false then.
func (s *Store) ClaimChannel(ctx context.Context, channelID int64, owner string, now, until time.Time) (desk.SyncState, bool, error) {
	var st desk.SyncState
	var ok bool
	err := s.Write(ctx, func(dt desk.Tx) error {
		t := dt.(*tx)
		ok = false
		if err := t.ensureSync(ctx, channelID); err != nil {
			return err
		}
		var err error
		st, err = scanSync(t.queryRow(ctx, `SELECT `+syncColumns+` FROM channel_sync s
			WHERE s.channel_id = $1 AND s.lease_until <= $2`+t.skipLocked("s"), channelID, ms(now)))
		if err == sql.ErrNoRows {
			return nil
		}
		if err != nil {
			return err
		}
		ok = true
		return t.leaseChannel(ctx, &st, owner, now, until)
	})
	return st, ok, err
}

// RenewChannel extends owner's lease; false when it was lost.
func (s *Store) RenewChannel(ctx context.Context, channelID int64, owner string, now, until time.Time) (bool, error) {
	var held bool
	err := s.Write(ctx, func(dt desk.Tx) error {
		res, err := dt.(*tx).exec(ctx, `UPDATE channel_sync SET lease_until = $1 WHERE channel_id = $2 AND lease_owner = $3 AND lease_until > $4`,
			ms(until), channelID, owner, ms(now))
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		held = n == 1
		return err
	})
	return held, err
}

// FinishSyncRun records a run's outcome and drops owner's lease. A request
// made while the run went on keeps the channel due now.
func (s *Store) FinishSyncRun(ctx context.Context, channelID int64, owner string, r desk.SyncRun) error {
	return s.Write(ctx, func(dt desk.Tx) error {
		t := dt.(*tx)
		var err error
		switch {
		case r.Skipped:
			_, err = t.exec(ctx, `UPDATE channel_sync SET next_run_at = $1, lease_owner = '', lease_until = 0
				WHERE channel_id = $2 AND lease_owner = $3`, ms(r.NextRunAt), channelID, owner)
		case r.Err == "":
			_, err = t.exec(ctx, `UPDATE channel_sync SET last_ok_at = $1, failures = 0, last_error = '',
				next_run_at = CASE WHEN requested_at > $2 THEN requested_at ELSE $3 END,
				requested_at = CASE WHEN requested_at > $2 THEN requested_at ELSE 0 END,
				lease_owner = '', lease_until = 0
				WHERE channel_id = $4 AND lease_owner = $5`, ms(r.EndedAt), ms(r.StartedAt), ms(r.NextRunAt), channelID, owner)
		default:
			failures := `failures + 1`
			if r.Progressed {
				failures = `1`
			}
			_, err = t.exec(ctx, `UPDATE channel_sync SET last_error = $1, last_error_at = $2, failures = `+failures+`,
				next_run_at = $3, requested_at = CASE WHEN requested_at > $4 THEN requested_at ELSE 0 END,
				lease_owner = '', lease_until = 0
				WHERE channel_id = $5 AND lease_owner = $6`, r.Err, ms(r.EndedAt), ms(r.NextRunAt), ms(r.StartedAt), channelID, owner)
		}
		return err
	})
}
