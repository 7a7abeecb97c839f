package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"servicedesk/internal/model"
)

// The outbox's rows. Every write here is its own transaction on a
// connection with synchronous=FULL: when a call returns, the step is on
// disk, so a crash never forgets that a reply was queued, began to leave or
// left.

const opColumns = `seq, id, project_id, iid, kind, payload, state, reason, retryable, attempts, not_before,
	next_try_at, delivery, message_id, answers_at, note_id, created_at, updated_at`

// durableTx runs fn in a transaction that is synced to disk before it
// returns (the rest of the store syncs only at checkpoints).
func (s *Store) durableTx(ctx context.Context, fn func(*sql.Tx) error) (err error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "PRAGMA synchronous = FULL"); err != nil {
		return err
	}
	defer func() {
		if _, rerr := conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA synchronous = NORMAL"); rerr != nil {
			_ = conn.Raw(func(any) error { return driver.ErrBadConn }) // never back to the pool like this
			if err == nil {
				err = rerr
			}
		}
	}()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// NewOpID returns a random op id: 16 lower-case hex characters.
func NewOpID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// EnqueueOps stores new ops (IDs are made when empty) in one transaction,
// and with them removes the ticket's draft when clearDraft is set (the
// draft became the reply). It returns them with their queue positions.
func (s *Store) EnqueueOps(ctx context.Context, ops []model.OutboxOp, clearDraft bool) ([]model.OutboxOp, error) {
	now := time.Now().UTC()
	err := s.durableTx(ctx, func(tx *sql.Tx) error {
		for i := range ops {
			op := &ops[i]
			if op.ID == "" {
				op.ID = NewOpID()
			}
			op.CreatedAt, op.UpdatedAt = now, now
			payload, err := json.Marshal(op.Payload)
			if err != nil {
				return err
			}
			err = tx.QueryRowContext(ctx, `INSERT INTO outbox_ops (id, project_id, iid, kind, payload, state, reason, retryable,
				attempts, not_before, next_try_at, delivery, message_id, answers_at, note_id, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq`,
				op.ID, op.ProjectID, op.IID, op.Kind, string(payload), op.State, op.Reason, op.Retryable, op.Attempts,
				ms(op.NotBefore), ms(op.NextTryAt), op.Delivery, op.MessageID, ms(op.AnswersAt), op.NoteID,
				ms(op.CreatedAt), ms(op.UpdatedAt)).Scan(&op.Seq)
			if err != nil {
				return fmt.Errorf("queue %s on #%d: %w", op.Kind, op.IID, err)
			}
			if clearDraft {
				if _, err := tx.ExecContext(ctx, `DELETE FROM drafts WHERE project_id = ? AND iid = ?`, op.ProjectID, op.IID); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return ops, err
}

func scanOp(sc interface{ Scan(...any) error }) (model.OutboxOp, error) {
	var op model.OutboxOp
	var payload string
	var notBefore, nextTry, answers, created, updated int64
	err := sc.Scan(&op.Seq, &op.ID, &op.ProjectID, &op.IID, &op.Kind, &payload, &op.State, &op.Reason, &op.Retryable,
		&op.Attempts, &notBefore, &nextTry, &op.Delivery, &op.MessageID, &answers, &op.NoteID, &created, &updated)
	if err != nil {
		return op, err
	}
	if err := json.Unmarshal([]byte(payload), &op.Payload); err != nil {
		return op, fmt.Errorf("op %s: %w", op.ID, err)
	}
	op.NotBefore, op.NextTryAt, op.AnswersAt = fromMS(notBefore), fromMS(nextTry), fromMS(answers)
	op.CreatedAt, op.UpdatedAt = fromMS(created), fromMS(updated)
	return op, nil
}

// OpFilter selects ops; the zero value selects every unfinished op.
type OpFilter struct {
	ProjectID int64 // with IID: one ticket's
	IID       int64
	WithDone  bool // include recorded ops
}

// Ops lists ops in queue order.
func (s *Store) Ops(ctx context.Context, f OpFilter) ([]model.OutboxOp, error) {
	q := `SELECT ` + opColumns + ` FROM outbox_ops WHERE (? OR state <> ?)`
	args := []any{f.WithDone, model.OpDone}
	if f.ProjectID != 0 {
		q += ` AND project_id = ? AND iid = ?`
		args = append(args, f.ProjectID, f.IID)
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY seq`, args...)
	if err != nil {
		return nil, fmt.Errorf("list the outbox: %w", err)
	}
	defer rows.Close()
	out := []model.OutboxOp{}
	for rows.Next() {
		op, err := scanOp(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, op)
	}
	return out, rows.Err()
}

// Op returns one op by id.
func (s *Store) Op(ctx context.Context, id string) (model.OutboxOp, error) {
	op, err := scanOp(s.db.QueryRowContext(ctx, `SELECT `+opColumns+` FROM outbox_ops WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return op, fmt.Errorf("outbox op %s: %w", id, model.ErrNotFound)
	}
	return op, err
}

// ErrOpMoved reports that an op was not in the state a change expected:
// another step (or the agent) moved it first.
var ErrOpMoved = errors.New("the op changed meanwhile")

// UpdateOp applies change to op id if its state is one of from (any state
// when from is empty), durably, and returns the op as stored.
func (s *Store) UpdateOp(ctx context.Context, id string, from []string, change func(*model.OutboxOp)) (model.OutboxOp, error) {
	var op model.OutboxOp
	err := s.durableTx(ctx, func(tx *sql.Tx) error {
		var err error
		op, err = scanOp(tx.QueryRowContext(ctx, `SELECT `+opColumns+` FROM outbox_ops WHERE id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("outbox op %s: %w", id, model.ErrNotFound)
		}
		if err != nil {
			return err
		}
		if len(from) > 0 && !slices.Contains(from, op.State) {
			return fmt.Errorf("op %s is %s: %w", id, op.State, ErrOpMoved)
		}
		change(&op)
		op.UpdatedAt = time.Now().UTC()
		payload, err := json.Marshal(op.Payload)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE outbox_ops SET payload = ?, state = ?, reason = ?, retryable = ?, attempts = ?,
			not_before = ?, next_try_at = ?, delivery = ?, message_id = ?, answers_at = ?, note_id = ?, updated_at = ?
			WHERE id = ?`, string(payload), op.State, op.Reason, op.Retryable, op.Attempts, ms(op.NotBefore), ms(op.NextTryAt),
			op.Delivery, op.MessageID, ms(op.AnswersAt), op.NoteID, ms(op.UpdatedAt), id)
		return err
	})
	return op, err
}

// DeleteOp removes an op if its state is one of from (undo before it left,
// or the agent discarding a failed one).
func (s *Store) DeleteOp(ctx context.Context, id string, from ...string) error {
	return s.durableTx(ctx, func(tx *sql.Tx) error {
		var state string
		err := tx.QueryRowContext(ctx, `SELECT state FROM outbox_ops WHERE id = ?`, id).Scan(&state)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("outbox op %s: %w", id, model.ErrNotFound)
		}
		if err != nil {
			return err
		}
		if len(from) > 0 && !slices.Contains(from, state) {
			return fmt.Errorf("op %s is %s: %w", id, state, ErrOpMoved)
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM outbox_ops WHERE id = ?`, id)
		return err
	})
}

// SetOpRaw stores the mail of a reply as composed, before it is sent.
func (s *Store) SetOpRaw(ctx context.Context, id string, raw []byte) error {
	return s.durableTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE outbox_ops SET raw = ?, updated_at = ? WHERE id = ?`, raw, ms(time.Now()), id)
		return err
	})
}

// OpRaw returns the mail of a reply as composed (nil before).
func (s *Store) OpRaw(ctx context.Context, id string) ([]byte, error) {
	var raw []byte
	err := s.db.QueryRowContext(ctx, `SELECT raw FROM outbox_ops WHERE id = ?`, id).Scan(&raw)
	return raw, err
}

// MarkOpData records, durably, that the SMTP DATA of a reply may begin:
// from here on a crash leaves its delivery unknown.
func (s *Store) MarkOpData(ctx context.Context, id string) error {
	return s.durableTx(ctx, func(tx *sql.Tx) error {
		now := ms(time.Now())
		_, err := tx.ExecContext(ctx, `UPDATE outbox_ops SET data_at = ?, updated_at = ? WHERE id = ?`, now, now, id)
		return err
	})
}

// OpDataStarted reports whether MarkOpData ran for the op's current
// attempt (ClearOpData resets it).
func (s *Store) OpDataStarted(ctx context.Context, id string) (bool, error) {
	var at int64
	err := s.db.QueryRowContext(ctx, `SELECT data_at FROM outbox_ops WHERE id = ?`, id).Scan(&at)
	return at != 0, err
}

// ClearOpData forgets a DATA mark: the server refused the mail (so it did
// not take it), or the agent chose to send it again.
func (s *Store) ClearOpData(ctx context.Context, id string) error {
	return s.durableTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE outbox_ops SET data_at = 0, updated_at = ? WHERE id = ?`, ms(time.Now()), id)
		return err
	})
}

// PruneOps removes recorded ops finished before a time; the rest stay.
func (s *Store) PruneOps(ctx context.Context, before time.Time) (int, error) {
	res, err := s.db.ExecContext(ctx, `DELETE FROM outbox_ops WHERE state = ? AND updated_at < ?`, model.OpDone, ms(before))
	if err != nil {
		return 0, err
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// SaveDraft stores the draft of a ticket (one per ticket), replacing the
// one before.
func (s *Store) SaveDraft(ctx context.Context, d model.Draft) (model.Draft, error) {
	d.SavedAt = time.Now().UTC()
	_, err := s.db.ExecContext(ctx, `INSERT INTO drafts (project_id, iid, body, internal, answers_at, saved_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (project_id, iid) DO UPDATE SET body = excluded.body,
		internal = excluded.internal, answers_at = excluded.answers_at, saved_at = excluded.saved_at`,
		d.ProjectID, d.IID, d.Body, d.Internal, ms(d.AnswersAt), ms(d.SavedAt))
	if err != nil {
		return d, fmt.Errorf("save the draft of #%d: %w", d.IID, err)
	}
	return d, nil
}

// Draft returns the draft of a ticket; ok is false when there is none.
func (s *Store) Draft(ctx context.Context, projectID, iid int64) (d model.Draft, ok bool, err error) {
	var answers, saved int64
	err = s.db.QueryRowContext(ctx, `SELECT project_id, iid, body, internal, answers_at, saved_at FROM drafts
		WHERE project_id = ? AND iid = ?`, projectID, iid).Scan(&d.ProjectID, &d.IID, &d.Body, &d.Internal, &answers, &saved)
	if errors.Is(err, sql.ErrNoRows) {
		return d, false, nil
	}
	d.AnswersAt, d.SavedAt = fromMS(answers), fromMS(saved)
	return d, err == nil, err
}

// DeleteDraft removes the draft of a ticket (it was queued or discarded).
func (s *Store) DeleteDraft(ctx context.Context, projectID, iid int64) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM drafts WHERE project_id = ? AND iid = ?`, projectID, iid)
	return err
}

// NewestPublicNote returns the newest public note of a ticket (the
// customer's mail as GitLab filed it, or an agent's public reply) created
// after a time, leaving out the notes this app posted for its own ops; ok
// is false when there is none. The outbox's collision check.
func (s *Store) NewestPublicNote(ctx context.Context, projectID, iid int64, after time.Time) (n model.Note, ok bool, err error) {
	var created, updated int64
	err = s.db.QueryRowContext(ctx, `SELECT n.id, n.author, n.author_name, n.body, n.created_at, n.updated_at
		FROM notes n JOIN tickets t ON t.id = n.ticket_id
		WHERE t.project_id = ? AND t.iid = ? AND n.system = 0 AND n.internal = 0 AND n.created_at > ?
		AND NOT EXISTS (SELECT 1 FROM outbox_ops o WHERE o.project_id = t.project_id AND o.iid = t.iid
			AND (o.note_id = n.id OR instr(n.body, 'servicedesk:op=' || o.id || ' ') > 0))
		ORDER BY n.created_at DESC LIMIT 1`, projectID, iid, ms(after)).
		Scan(&n.ID, &n.Author, &n.AuthorName, &n.Body, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return n, false, nil
	}
	n.CreatedAt, n.UpdatedAt = fromMS(created), fromMS(updated)
	return n, err == nil, err
}

// HaveMessage reports whether a message with this Message-ID is in the
// synced mailbox (in any folder).
func (s *Store) HaveMessage(ctx context.Context, messageID string) (bool, error) {
	var found bool
	err := s.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM messages WHERE message_id = ?)`, messageID).Scan(&found)
	return found, err
}

// ReplyKeysOf returns the GitLab reply keys learned for a ticket (from its
// mail), oldest first.
func (s *Store) ReplyKeysOf(ctx context.Context, projectID, iid int64) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT key FROM reply_keys WHERE project_id = ? AND iid = ? ORDER BY rowid`, projectID, iid)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var keys []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, err
		}
		keys = append(keys, k)
	}
	return keys, rows.Err()
}

// MergeCandidate returns the ticket a ticket seems to continue: mail from
// its customer, dated around its creation (2 hours before to 10 minutes
// after, as GitLab opens a ticket from a mail), that answers a reply the
// app mailed on another ticket of the project. ok is false when none.
func (s *Store) MergeCandidate(ctx context.Context, projectID int64, t model.Ticket) (into int64, ok bool, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT l.iid FROM messages m JOIN message_links l ON l.message_id = m.message_id
		WHERE l.project_id = ? AND l.iid <> ? AND l.rule = 'our-message-id' AND lower(m.from_addr) = lower(?)
		AND m.date BETWEEN ? AND ? ORDER BY m.date DESC LIMIT 1`,
		projectID, t.IID, t.Customer, ms(t.CreatedAt.Add(-2*time.Hour)), ms(t.CreatedAt.Add(10*time.Minute))).Scan(&into)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	return into, err == nil, err
}

// ErrOutboxBusy reports that another process (the window, or a command)
// is sending this profile's outbox.
var ErrOutboxBusy = errors.New("another Service Desk process is sending this profile's outbox")

// LockOutbox makes this process the only one that sends the profile's
// outbox, until release is called or the process ends (the lock is the
// operating system's, on a file beside the database, so a crash frees it).
// It returns ErrOutboxBusy at once when another process holds it.
func (s *Store) LockOutbox() (release func(), err error) {
	f, err := os.OpenFile(filepath.Join(s.dir, "outbox.lock"), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	ok, err := tryLock(f)
	if err != nil || !ok {
		f.Close()
		if err == nil {
			err = ErrOutboxBusy
		}
		return nil, err
	}
	return func() { f.Close() }, nil // closing the file releases the lock
}
