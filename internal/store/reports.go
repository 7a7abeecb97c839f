package store

import (
	"context"
	"fmt"
	"time"

	"servicedesk/internal/model"
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
	defer rows.Close()
	var tickets []model.Ticket
	for rows.Next() {
		t, err := scanTicket(rows)
		if err != nil {
			return nil, err
		}
		tickets = append(tickets, t)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return s.WithNotes(ctx, tickets)
}
