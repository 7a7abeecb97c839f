package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"servicedesk/internal/model"
)

// SLADue is when an open ticket's first running service-level clock turns
// soon and falls due, as the list shows it.
type SLADue struct {
	Clock  string    // model.ClockFirstResponse or model.ClockResolution
	SoonAt time.Time // zero: the policy gives no warning
	DueAt  time.Time
}

// SLARow is a ticket's stored clocks; a zero Due.DueAt records that none
// runs (the policy sets no target for it, or it waits on the customer).
type SLARow struct {
	TicketID  int64
	UpdatedAt time.Time // the ticket's, as read by SLAStale
	Policy    string    // the policy's blob id
	Due       SLADue
}

// SLAStale returns the open tickets of a project whose clocks are not known
// under the policy (its blob id): never computed, or computed before the
// ticket last changed or under another policy. It forgets the clocks of
// tickets that are no longer open.
func (s *Store) SLAStale(ctx context.Context, projectID int64, policy string) ([]model.Ticket, error) {
	// From the stored rows (the open tickets), not the project's tickets.
	if _, err := s.db.ExecContext(ctx, `DELETE FROM ticket_sla WHERE ticket_id IN (SELECT s.ticket_id FROM ticket_sla s
		JOIN tickets t ON t.id = s.ticket_id WHERE t.project_id = ? AND (t.state <> 'opened' OR t.gone_at IS NOT NULL))`, projectID); err != nil {
		return nil, fmt.Errorf("forget service levels: %w", err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+ticketColumns+` FROM tickets t JOIN projects p ON p.id = t.project_id
		LEFT JOIN ticket_sla s ON s.ticket_id = t.id
		WHERE t.project_id = ? AND t.state = 'opened' AND t.gone_at IS NULL
			AND (s.ticket_id IS NULL OR s.updated_at <> t.updated_at OR s.policy <> ?)
		ORDER BY t.id`, projectID, policy)
	if err != nil {
		return nil, fmt.Errorf("service levels to compute: %w", err)
	}
	defer rows.Close()
	var out []model.Ticket
	for rows.Next() {
		t, err := scanTicket(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// SetSLA stores tickets' clocks in one transaction.
func (s *Store) SetSLA(ctx context.Context, rows []SLARow) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO ticket_sla (ticket_id, updated_at, policy, clock, soon_at, due_at)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (ticket_id) DO UPDATE SET updated_at = excluded.updated_at,
			policy = excluded.policy, clock = excluded.clock, soon_at = excluded.soon_at, due_at = excluded.due_at`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, r := range rows {
			if _, err := stmt.ExecContext(ctx, r.TicketID, ms(r.UpdatedAt), r.Policy, r.Due.Clock,
				nullMS(r.Due.SoonAt), nullMS(r.Due.DueAt)); err != nil {
				return fmt.Errorf("save the service levels: %w", err)
			}
		}
		return nil
	})
}

// ClearSLA forgets a project's clocks (it has no policy, or no more) and
// says how many tickets had some.
func (s *Store) ClearSLA(ctx context.Context, projectID int64) (int, error) {
	res, err := s.db.ExecContext(ctx, `DELETE FROM ticket_sla WHERE ticket_id IN
		(SELECT s.ticket_id FROM ticket_sla s JOIN tickets t ON t.id = s.ticket_id WHERE t.project_id = ?)`, projectID)
	if err != nil {
		return 0, fmt.Errorf("forget service levels: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// NextSLAChange is the next instant after now at which an open ticket's
// clock turns soon or falls due, in one project (0: all); zero when none
// will. The window reloads the views' counts then.
func (s *Store) NextSLAChange(ctx context.Context, projectID int64, now time.Time) (time.Time, error) {
	var next sql.NullInt64
	err := s.db.QueryRowContext(ctx, `SELECT min(at) FROM (
		SELECT min(s.soon_at) AS at FROM ticket_sla s JOIN tickets t ON t.id = s.ticket_id
			WHERE s.soon_at > ?1 AND (?2 = 0 OR t.project_id = ?2)
		UNION ALL SELECT min(s.due_at) FROM ticket_sla s JOIN tickets t ON t.id = s.ticket_id
			WHERE s.due_at > ?1 AND (?2 = 0 OR t.project_id = ?2))`, ms(now), projectID).Scan(&next)
	if err != nil {
		return time.Time{}, fmt.Errorf("next service-level change: %w", err)
	}
	return fromMS(next.Int64), nil
}

// slaDues reads the running clocks of tickets by id.
func (s *Store) slaDues(ctx context.Context, ids []int64) (map[int64]SLADue, error) {
	out := map[int64]SLADue{}
	b, _ := json.Marshal(ids)
	rows, err := s.db.QueryContext(ctx, `SELECT ticket_id, clock, coalesce(soon_at, 0), due_at FROM ticket_sla
		WHERE due_at IS NOT NULL AND ticket_id IN (SELECT value FROM json_each(?))`, string(b))
	if err != nil {
		return nil, fmt.Errorf("service levels: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, soon, due int64
		var d SLADue
		if err := rows.Scan(&id, &d.Clock, &soon, &due); err != nil {
			return nil, err
		}
		d.SoonAt, d.DueAt = fromMS(soon), fromMS(due)
		out[id] = d
	}
	return out, rows.Err()
}

// WithNotes returns tickets with their notes, oldest first, read in one
// query.
func (s *Store) WithNotes(ctx context.Context, tickets []model.Ticket) ([]TicketWithNotes, error) {
	out := make([]TicketWithNotes, len(tickets))
	byID := make(map[int64]int, len(tickets))
	ids := make([]int64, len(tickets))
	for i, t := range tickets {
		out[i] = TicketWithNotes{Ticket: t, NotesRead: true}
		byID[t.ID], ids[i] = i, t.ID
	}
	if len(ids) == 0 {
		return out, nil
	}
	b, _ := json.Marshal(ids)
	rows, err := s.db.QueryContext(ctx, `SELECT `+noteColumns+` FROM notes
		WHERE ticket_id IN (SELECT value FROM json_each(?)) ORDER BY ticket_id, created_at, id`, string(b))
	if err != nil {
		return nil, fmt.Errorf("read notes: %w", err)
	}
	notes, err := scanNotes(rows)
	if err != nil {
		return nil, err
	}
	for _, n := range notes {
		i := byID[n.TicketID]
		out[i].Notes = append(out[i].Notes, n)
	}
	return out, nil
}

func nullMS(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return ms(t)
}
