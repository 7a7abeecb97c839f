package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
	"unicode"
)

// ViewCounts are the live counts of the left pane.
type ViewCounts struct {
	NeedsReply, Waiting, Unassigned, Mine, Open, Closed, All int
	// SLASoon and SLABreached count the open tickets by their clocks
	// (model.SLASoon, model.SLABreached) at the time asked.
	SLASoon, SLABreached int
}

// CountViews counts tickets per view, for one project or all (projectID
// 0); Mine counts the open tickets assigned to me (a username; "" counts
// none); the service-level views are counted as of now.
func (s *Store) CountViews(ctx context.Context, projectID int64, me string, now time.Time) (ViewCounts, error) {
	var c ViewCounts
	err := s.db.QueryRowContext(ctx, `SELECT
		coalesce(sum(state = 'opened' AND last_public_kind = 'customer'), 0),
		coalesce(sum(state = 'opened' AND last_public_kind = 'reply'), 0),
		coalesce(sum(state = 'opened' AND assignees = '[]'), 0),
		coalesce(sum(state = 'opened' AND ? <> '' AND EXISTS (SELECT 1 FROM json_each(assignees) WHERE value = ?)), 0),
		coalesce(sum(state = 'opened'), 0),
		coalesce(sum(state = 'closed'), 0),
		count(*)
		FROM tickets WHERE gone_at IS NULL AND (? = 0 OR project_id = ?)`, me, me, projectID, projectID).
		Scan(&c.NeedsReply, &c.Waiting, &c.Unassigned, &c.Mine, &c.Open, &c.Closed, &c.All)
	if err != nil {
		return c, fmt.Errorf("count views: %w", err)
	}
	// Only open tickets have rows (SLAStale forgets the others).
	err = s.db.QueryRowContext(ctx, `SELECT
		coalesce(sum(s.soon_at <= ?1 AND s.due_at > ?1), 0), coalesce(sum(s.due_at <= ?1), 0)
		FROM ticket_sla s JOIN tickets t ON t.id = s.ticket_id
		WHERE s.due_at IS NOT NULL AND t.state = 'opened' AND t.gone_at IS NULL AND (?2 = 0 OR t.project_id = ?2)`,
		ms(now), projectID).Scan(&c.SLASoon, &c.SLABreached)
	if err != nil {
		return c, fmt.Errorf("count service levels: %w", err)
	}
	return c, nil
}

// MatchExpr turns what an agent typed into a safe FTS5 expression: every word
// must match, each as a prefix. FTS5 syntax in the input is not interpreted.
func MatchExpr(input string) string {
	words := splitWords(input)
	for i, w := range words {
		words[i] = `"` + w + `"*`
	}
	return strings.Join(words, " ")
}

// docIDAt is the SQL for a new search document's id: ids grow with the
// document's date (its first parameter is docBase of the date), so that
// search can list matches newest first without ranking them all; documents
// of the same millisecond take the next free id.
const docIDAt = `(SELECT coalesce(max(id) + 1, ?1) FROM search_docs WHERE id >= ?1 AND id < ?1 + 1048576)`

// docBase is the first search document id of a date: its Unix
// milliseconds times 2^20 (dates before 1970 count as 1970).
func docBase(at time.Time) int64 { return max(ms(at), 0) << 20 }

// splitWords splits what an agent typed into the words search looks for.
func splitWords(input string) []string {
	return strings.FieldsFunc(input, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsNumber(r) && r != '_'
	})
}

// Hit is one search result: a ticket, a note or a mail.
type Hit struct {
	Kind      string `json:"kind"` // ticket, note, mail
	Project   string `json:"project,omitempty"`
	IID       *int64 `json:"iid"`        // the ticket (of the note; the mail's linked ticket), or null
	MessageID string `json:"message_id"` // for mail
	Snippet   string `json:"snippet"`    // the matching words between [ and ]
}

// Search finds tickets, notes and mail matching what the agent typed,
// newest first.
func (s *Store) Search(ctx context.Context, input string, limit int) ([]Hit, error) {
	q := MatchExpr(input)
	if q == "" {
		return []Hit{}, nil
	}
	if limit <= 0 {
		limit = 50
	}
	// Newest first, as mail clients and notmuch list search results:
	// document ids grow with their dates (docIDAt), so the index walks its
	// matches from the newest and stops at the limit however many match.
	// Only those are joined to their rows; twice as many as asked, as a
	// removed ticket's documents are dropped after.
	rows, err := s.db.QueryContext(ctx, `
		WITH best AS (SELECT rowid AS id FROM search WHERE search MATCH ? ORDER BY rowid DESC LIMIT ?)
		SELECT d.kind, coalesce(p.path, lp.path, ''), coalesce(t.iid, l.iid), coalesce(m.message_id, ''),
			CASE d.kind WHEN 'ticket' THEN t.title WHEN 'mail' THEN m.subject ELSE '' END,
			CASE d.kind WHEN 'ticket' THEN t.description WHEN 'note' THEN n.body ELSE m.body_text END
		FROM best
		JOIN search_docs d ON d.id = best.id
		LEFT JOIN tickets t ON t.id = d.ticket_id
		LEFT JOIN notes n ON d.kind = 'note' AND n.id = d.ref
		LEFT JOIN projects p ON p.id = t.project_id
		LEFT JOIN messages m ON d.kind = 'mail' AND m.id = d.ref
		LEFT JOIN message_links l ON l.message_id = m.message_id
		LEFT JOIN projects lp ON lp.id = l.project_id
		WHERE t.id IS NULL OR t.gone_at IS NULL
		ORDER BY best.id DESC LIMIT ?`, q, 2*limit, limit)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	defer rows.Close()
	out := []Hit{}
	words := queryWords(input)
	for rows.Next() {
		var h Hit
		var iid sql.NullInt64
		var title, body sql.NullString
		if err := rows.Scan(&h.Kind, &h.Project, &iid, &h.MessageID, &title, &body); err != nil {
			return nil, err
		}
		h.Snippet = highlight(words, body.String, title.String)
		if iid.Valid {
			v := iid.Int64
			h.IID = &v
		}
		out = append(out, h)
	}
	return out, rows.Err()
}
