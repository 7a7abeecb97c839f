package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// ReportTickets returns the tickets a report of [from, to) may count, with
// their notes: those created before to and active since from.
func (s *Store) ReportTickets(ctx context.Context, projectID int64, from, to time.Time) ([]TicketWithNotes, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+ticketColumns+` FROM tickets t JOIN projects p ON p.id = t.project_id
		WHERE t.gone_at IS NULL AND (? = 0 OR t.project_id = ?) AND t.created_at < ? AND t.updated_at >= ?
		ORDER BY t.id`, projectID, projectID, ms(to), ms(from))
	if err != nil {
		return nil, fmt.Errorf("report tickets: %w", err)
	}
	var out []TicketWithNotes
	byID := map[int64]int{}
	for rows.Next() {
		t, err := scanTicket(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		byID[t.ID] = len(out)
		out = append(out, TicketWithNotes{Ticket: t, NotesRead: true})
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	ids := make([]int64, 0, len(out))
	for _, t := range out {
		ids = append(ids, t.Ticket.ID)
	}
	b, _ := json.Marshal(ids)
	nrows, err := s.db.QueryContext(ctx, `SELECT `+noteColumns+` FROM notes
		WHERE ticket_id IN (SELECT value FROM json_each(?)) ORDER BY ticket_id, created_at, id`, string(b))
	if err != nil {
		return nil, fmt.Errorf("report notes: %w", err)
	}
	notes, err := scanNotes(nrows)
	if err != nil {
		return nil, err
	}
	for _, n := range notes {
		i := byID[n.TicketID]
		out[i].Notes = append(out[i].Notes, n)
	}
	return out, nil
}
