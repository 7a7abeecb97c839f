package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"servicedesk/internal/model"
)

// SearchCap is how many tickets a text search collects at most, newest
// match first: enough to page through, and a word found in every ticket
// costs no more than a rare one.
const SearchCap = 1000

// TicketPage is one page of the ticket list.
type TicketPage struct {
	Tickets []model.Ticket
	Total   int  // tickets matching the filter in all
	Capped  bool // a text search stopped at SearchCap: there may be more
	// Matches holds, by ticket id, the text search's newest matching
	// passage with the words between [ and ].
	Matches map[int64]string
	Unread  map[int64]bool   // by ticket id: the customer wrote since the agent last read it
	SLA     map[int64]SLADue // by ticket id: the open ticket's first running service-level clock
}

// Tickets lists the tickets matching f (all of them when f.Limit is 0).
func (s *Store) Tickets(ctx context.Context, f model.TicketFilter) ([]model.Ticket, error) {
	p, err := s.ListTickets(ctx, f)
	return p.Tickets, err
}

// ListTickets returns the page of tickets f asks for (f.Offset, f.Limit)
// in f.Sort's order, with the number matching in all. With a text query,
// tickets match when their title, description, a note or a linked mail has
// every word.
func (s *Store) ListTickets(ctx context.Context, f model.TicketFilter) (TicketPage, error) {
	page := TicketPage{Tickets: []model.Ticket{}, Matches: map[int64]string{}, Unread: map[int64]bool{}, SLA: map[int64]SLADue{}}
	if f.None {
		return page, nil
	}
	where, args := filterWhere(f)
	var docs map[int64]int64 // ticket id → its newest matching document
	if strings.TrimSpace(f.Query) != "" {
		match := MatchExpr(f.Query)
		if match == "" {
			return page, nil // only punctuation: nothing can match
		}
		var ids []int64
		var err error
		ids, docs, page.Capped, err = s.searchTickets(ctx, match, f.CreatedAfter, where, args)
		if err != nil {
			return page, err
		}
		page.Total = len(ids)
		if len(ids) == 0 {
			return page, nil
		}
		b, _ := json.Marshal(ids)
		where = append(where, `t.id IN (SELECT value FROM json_each(?))`)
		args = append(args, string(b))
	}
	// The page's ids first, from the tickets table alone (the sort's index
	// walks past the offset without reading whole rows), then their rows.
	from := `tickets t`
	if f.Sort == model.SortDue {
		from += ` LEFT JOIN ticket_sla s ON s.ticket_id = t.id` // sortOrder orders by s.due_at
	}
	q := `SELECT t.id FROM ` + from + ` WHERE ` + strings.Join(where, ` AND `) + ` ORDER BY ` + sortOrder(f.Sort)
	var ids []int64
	var err error
	switch {
	case docs == nil && costlyFilter(f):
		// Text matched in every row (address, labels, assignees): one scan
		// of the table in its own order (not the sort's index, which would
		// read the rows in random order) gives the count and the page.
		all := `SELECT t.id FROM ` + from + ` WHERE ` + strings.Join(where, ` AND `) + ` ORDER BY +` + sortOrder(f.Sort)
		if ids, err = s.ids(ctx, all, args...); err != nil {
			return page, fmt.Errorf("list tickets: %w", err)
		}
		page.Total = len(ids)
		lo := min(max(f.Offset, 0), len(ids))
		hi := len(ids)
		if f.Limit > 0 {
			hi = min(lo+f.Limit, len(ids))
		}
		ids = ids[lo:hi]
	default:
		if docs == nil {
			if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM tickets t WHERE `+strings.Join(where, ` AND `), args...).
				Scan(&page.Total); err != nil {
				return page, fmt.Errorf("count tickets: %w", err)
			}
		}
		if f.Limit > 0 {
			q += fmt.Sprintf(` LIMIT %d OFFSET %d`, f.Limit, max(f.Offset, 0))
		}
		if ids, err = s.ids(ctx, q, args...); err != nil {
			return page, fmt.Errorf("list tickets: %w", err)
		}
	}
	if len(ids) == 0 {
		return page, nil
	}
	b, _ := json.Marshal(ids)
	rows, err := s.db.QueryContext(ctx, `SELECT `+ticketColumns+`, `+unreadExpr+` FROM tickets t JOIN projects p ON p.id = t.project_id
		LEFT JOIN ticket_reads r ON r.ticket_id = t.id
		WHERE t.id IN (SELECT value FROM json_each(?))`, string(b))
	if err != nil {
		return page, fmt.Errorf("list tickets: %w", err)
	}
	defer rows.Close()
	byID := make(map[int64]model.Ticket, len(ids))
	for rows.Next() {
		var unread bool
		t, err := scanTicket(scanPlus{rows, []any{&unread}})
		if err != nil {
			return page, err
		}
		byID[t.ID] = t
		if unread {
			page.Unread[t.ID] = true
		}
	}
	if err := rows.Err(); err != nil {
		return page, err
	}
	for _, id := range ids {
		page.Tickets = append(page.Tickets, byID[id])
	}
	if page.SLA, err = s.slaDues(ctx, ids); err != nil {
		return page, err
	}
	if docs != nil {
		return page, s.matchSnippets(ctx, f.Query, page, docs)
	}
	return page, nil
}

// ids runs a query of one integer column.
func (s *Store) ids(ctx context.Context, q string, args ...any) ([]int64, error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// costlyFilter says whether f matches text inside every row (the
// customer's address, labels, assignees), so that counting and paging
// should share one scan.
func costlyFilter(f model.TicketFilter) bool {
	return len(f.Customer)+len(f.Labels)+len(f.NotLabels) > 0 || f.Assignee != ""
}

// unreadExpr is true when the customer's newest public message is newer
// than the agent's last reading (needs ticket_reads r joined).
const unreadExpr = `(t.last_public_kind = 'customer' AND t.last_public_at > coalesce(r.read_at, 0))`

// scanPlus scans a ticket row followed by more columns.
type scanPlus struct {
	sc   interface{ Scan(...any) error }
	more []any
}

func (p scanPlus) Scan(dest ...any) error { return p.sc.Scan(append(dest, p.more...)...) }

// filterWhere is f's WHERE clause over tickets t, without the text query.
func filterWhere(f model.TicketFilter) ([]string, []any) {
	where := []string{`t.gone_at IS NULL`}
	var args []any
	add := func(cond string, a ...any) {
		where = append(where, cond)
		args = append(args, a...)
	}
	if f.ProjectID != 0 {
		add(`t.project_id = ?`, f.ProjectID)
	}
	if f.State != "" {
		add(`t.state = ?`, f.State)
	}
	if f.Unassigned {
		add(`t.assignees = '[]'`)
	}
	if f.NeedsReply {
		add(`t.state = 'opened' AND t.last_public_kind = 'customer'`)
	}
	if f.Waiting {
		add(`t.state = 'opened' AND t.last_public_kind = 'reply'`)
	}
	if f.Assignee != "" {
		add(`instr(lower(t.assignees), lower(?)) > 0`, jsonElem(f.Assignee))
	}
	if f.Unread {
		add(`t.last_public_kind = 'customer' AND t.last_public_at > coalesce((SELECT read_at FROM ticket_reads WHERE ticket_id = t.id), 0)`)
	}
	for _, c := range f.Customer {
		add(`instr(lower(t.customer), ?) > 0`, strings.ToLower(c))
	}
	for _, l := range f.Labels {
		add(`instr(lower(t.labels), lower(?)) > 0`, jsonElem(l))
	}
	for _, l := range f.NotLabels {
		add(`instr(lower(t.labels), lower(?)) = 0`, jsonElem(l))
	}
	switch f.SLA {
	case model.SLABreached:
		add(`t.state = 'opened' AND t.id IN (SELECT ticket_id FROM ticket_sla WHERE due_at <= ?)`, ms(f.Now))
	case model.SLASoon:
		add(`t.state = 'opened' AND t.id IN (SELECT ticket_id FROM ticket_sla WHERE soon_at <= ? AND due_at > ?)`, ms(f.Now), ms(f.Now))
	}
	if !f.CreatedAfter.IsZero() {
		add(`t.created_at >= ?`, ms(f.CreatedAfter))
	}
	if !f.CreatedBefore.IsZero() {
		add(`t.created_at < ?`, ms(f.CreatedBefore))
	}
	return where, args
}

// jsonElem is how a name appears as an element of a stored JSON array of
// names (labels, assignees): quoted, so "bug" never matches "bugfix". Both
// sides are encoded by encoding/json and compared through SQLite's lower().
func jsonElem(name string) string {
	b, _ := json.Marshal(name)
	return string(b)
}

func sortOrder(sort string) string {
	switch sort {
	case model.SortCreated:
		return `t.created_at DESC, t.id DESC`
	case model.SortOldest:
		return `t.created_at, t.id`
	case model.SortWaiting:
		return `(t.state = 'opened' AND t.last_public_kind = 'customer') DESC, t.last_public_at, t.id`
	case model.SortDue: // needs ticket_sla s joined
		return `s.due_at IS NULL, s.due_at, t.id`
	default:
		return `t.updated_at DESC, t.id DESC`
	}
}

// searchTickets walks the search index from the newest match and collects
// the distinct tickets passing the filter (where, args), up to SearchCap,
// with each one's newest matching document. A mail counts for the ticket
// it is linked to.
func (s *Store) searchTickets(ctx context.Context, match string, after time.Time, where []string, args []any) ([]int64, map[int64]int64, bool, error) {
	// A ticket created after a time has no document much older than it
	// (the mail that opened it came a little before): the walk stops there.
	floor := int64(0)
	if !after.IsZero() {
		floor = docBase(after.Add(-24 * time.Hour))
	}
	rows, err := s.db.QueryContext(ctx, `
		SELECT t.id, d.id FROM search
		JOIN search_docs d ON d.id = search.rowid
		LEFT JOIN messages m ON d.kind = 'mail' AND m.id = d.ref
		LEFT JOIN message_links l ON d.kind = 'mail' AND l.message_id = m.message_id
		JOIN tickets t ON t.id = coalesce(d.ticket_id, (SELECT lt.id FROM tickets lt WHERE lt.project_id = l.project_id AND lt.iid = l.iid))
		WHERE search MATCH ? AND search.rowid >= ? AND `+strings.Join(where, ` AND `)+`
		ORDER BY search.rowid DESC`, append([]any{match, floor}, args...)...)
	if err != nil {
		return nil, nil, false, fmt.Errorf("search tickets: %w", err)
	}
	defer rows.Close()
	var ids []int64
	docs := map[int64]int64{}
	for rows.Next() {
		var id, doc int64
		if err := rows.Scan(&id, &doc); err != nil {
			return nil, nil, false, err
		}
		if _, seen := docs[id]; seen {
			continue
		}
		if len(ids) == SearchCap {
			return ids, docs, true, nil
		}
		docs[id] = doc
		ids = append(ids, id)
	}
	return ids, docs, false, rows.Err()
}

// matchSnippets fills page.Matches from each ticket's newest matching
// document.
func (s *Store) matchSnippets(ctx context.Context, input string, page TicketPage, docs map[int64]int64) error {
	want := make([]int64, 0, len(page.Tickets))
	for _, t := range page.Tickets {
		want = append(want, docs[t.ID])
	}
	b, _ := json.Marshal(want)
	rows, err := s.db.QueryContext(ctx, `
		SELECT d.id,
			CASE d.kind WHEN 'ticket' THEN t.title WHEN 'mail' THEN m.subject ELSE '' END,
			CASE d.kind WHEN 'ticket' THEN t.description WHEN 'note' THEN n.body ELSE m.body_text END
		FROM search_docs d
		LEFT JOIN tickets t ON d.kind = 'ticket' AND t.id = d.ticket_id
		LEFT JOIN notes n ON d.kind = 'note' AND n.id = d.ref
		LEFT JOIN messages m ON d.kind = 'mail' AND m.id = d.ref
		WHERE d.id IN (SELECT value FROM json_each(?))`, string(b))
	if err != nil {
		return fmt.Errorf("search snippets: %w", err)
	}
	defer rows.Close()
	byDoc := map[int64]string{}
	words := queryWords(input)
	for rows.Next() {
		var doc int64
		var title, body sql.NullString
		if err := rows.Scan(&doc, &title, &body); err != nil {
			return err
		}
		byDoc[doc] = highlight(words, body.String, title.String)
	}
	for _, t := range page.Tickets {
		if snip, ok := byDoc[docs[t.ID]]; ok {
			page.Matches[t.ID] = snip
		}
	}
	return rows.Err()
}

// MarkRead records that the agent read a ticket now (read false: marks it
// unread again).
func (s *Store) MarkRead(ctx context.Context, projectID, iid int64, read bool) error {
	var err error
	if read {
		_, err = s.db.ExecContext(ctx, `INSERT INTO ticket_reads (ticket_id, read_at)
			SELECT id, max(?, last_public_at) FROM tickets WHERE project_id = ? AND iid = ?
			ON CONFLICT (ticket_id) DO UPDATE SET read_at = excluded.read_at`, ms(time.Now()), projectID, iid)
	} else {
		_, err = s.db.ExecContext(ctx, `DELETE FROM ticket_reads WHERE ticket_id = (SELECT id FROM tickets WHERE project_id = ? AND iid = ?)`, projectID, iid)
	}
	if err != nil {
		return fmt.Errorf("mark #%d read: %w", iid, err)
	}
	return nil
}
