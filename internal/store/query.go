package store

import (
	"context"
	"fmt"
	"strings"
	"unicode"

	"servicedesk/internal/model"
)

// Tickets lists tickets matching f, most recently updated first, or by
// relevance when f.Query is set.
func (s *Store) Tickets(ctx context.Context, f model.TicketFilter) ([]model.Ticket, error) {
	where := []string{`t.gone_at IS NULL`}
	var args []any
	from := `tickets t JOIN projects p ON p.id = t.project_id`
	order := `t.updated_at DESC, t.id DESC`
	if q := MatchExpr(f.Query); q != "" {
		from += ` JOIN (SELECT d.ticket_id, min(search.rank) AS r FROM search JOIN search_docs d ON d.id = search.rowid
			WHERE search MATCH ? GROUP BY d.ticket_id) s ON s.ticket_id = t.id`
		args = append(args, q)
		order = `s.r, t.updated_at DESC`
	} else if strings.TrimSpace(f.Query) != "" {
		return nil, nil // only punctuation: nothing can match
	}
	if f.ProjectID != 0 {
		where = append(where, `t.project_id = ?`)
		args = append(args, f.ProjectID)
	}
	if f.State != "" {
		where = append(where, `t.state = ?`)
		args = append(args, f.State)
	}
	if f.Unassigned {
		where = append(where, `t.assignees = '[]'`)
	}
	if f.NeedsReply {
		where = append(where, `t.state = 'opened' AND t.last_public_kind = 'customer'`)
	}
	q := `SELECT ` + ticketColumns + ` FROM ` + from + ` WHERE ` + strings.Join(where, ` AND `)
	q += ` ORDER BY ` + order
	if f.Limit > 0 {
		q += fmt.Sprintf(` LIMIT %d`, f.Limit)
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list tickets: %w", err)
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

// ViewCounts are the live counts of the left pane.
type ViewCounts struct {
	NeedsReply, Unassigned, Open, Closed, All int
}

// CountViews counts tickets per view, for one project or all (projectID 0).
func (s *Store) CountViews(ctx context.Context, projectID int64) (ViewCounts, error) {
	var c ViewCounts
	err := s.db.QueryRowContext(ctx, `SELECT
		coalesce(sum(state = 'opened' AND last_public_kind = 'customer'), 0),
		coalesce(sum(state = 'opened' AND assignees = '[]'), 0),
		coalesce(sum(state = 'opened'), 0),
		coalesce(sum(state = 'closed'), 0),
		count(*)
		FROM tickets WHERE gone_at IS NULL AND (? = 0 OR project_id = ?)`, projectID, projectID).
		Scan(&c.NeedsReply, &c.Unassigned, &c.Open, &c.Closed, &c.All)
	if err != nil {
		return c, fmt.Errorf("count views: %w", err)
	}
	return c, nil
}

// MatchExpr turns what an agent typed into a safe FTS5 expression: every word
// must match, each as a prefix. FTS5 syntax in the input is not interpreted.
func MatchExpr(input string) string {
	words := strings.FieldsFunc(input, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsNumber(r) && r != '_'
	})
	for i, w := range words {
		words[i] = `"` + w + `"*`
	}
	return strings.Join(words, " ")
}
