package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"servicedesk/internal/model"
)

// TicketWithNotes is one ticket as a sync read it. Notes is its whole thread
// when NotesRead is true; otherwise the stored notes are kept.
type TicketWithNotes struct {
	Ticket    model.Ticket
	Notes     []model.Note
	NotesRead bool
}

// SaveTickets stores a batch of tickets of one project, their notes and the
// search rows, and moves the project's cursor, all in one transaction: a sync
// interrupted between batches resumes from the last stored cursor.
func (s *Store) SaveTickets(ctx context.Context, projectID int64, batch []TicketWithNotes, cursorKind, cursor string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		w, err := newTicketWriter(ctx, tx)
		if err != nil {
			return err
		}
		defer w.close()
		for i := range batch {
			if err := w.save(ctx, tx, projectID, &batch[i]); err != nil {
				return fmt.Errorf("save ticket #%d: %w", batch[i].Ticket.IID, err)
			}
		}
		if err := w.fts.flush(ctx, w.insFTS); err != nil {
			return fmt.Errorf("index the batch for search: %w", err)
		}
		if cursorKind == "" {
			return nil
		}
		return setCursor(ctx, tx, projectID, cursorKind, cursor)
	})
}

// ticketWriter holds the statements of a batch, prepared once: a sync
// writes tens of thousands of rows, and parsing each statement again would
// cost more than writing.
type ticketWriter struct {
	upsert, setDerived, delNotes, insNote, docsOf, delDoc, insDoc, insFTS *sql.Stmt
	fts                                                                   ftsBatch
}

// ftsBatch gathers a transaction's search rows for one INSERT: FTS5 flushes
// its pending index at every statement that writes to it, so a row per
// statement would cost a flush and then merges per document.
type ftsBatch struct {
	rows []ftsRow
	at   map[int64]int // index in rows by document id: a re-saved item's reused id replaces its row
}

type ftsRow struct {
	ID    int64  `json:"i"`
	Title string `json:"t"`
	Body  string `json:"b"`
}

// insertFTS is the statement that writes an ftsBatch.
const insertFTS = `INSERT INTO search (rowid, title, body)
	SELECT j.value ->> 'i', j.value ->> 't', j.value ->> 'b' FROM json_each(?) j
	JOIN search_docs d ON d.id = j.value ->> 'i'` // an item saved twice in a batch leaves no orphan

func (b *ftsBatch) add(id int64, title, body string) {
	row := ftsRow{ID: id, Title: title, Body: body}
	if i, ok := b.at[id]; ok {
		b.rows[i] = row
		return
	}
	if b.at == nil {
		b.at = map[int64]int{}
	}
	b.at[id] = len(b.rows)
	b.rows = append(b.rows, row)
}

// flush writes the gathered rows with stmt (prepared from insertFTS).
func (b *ftsBatch) flush(ctx context.Context, stmt *sql.Stmt) error {
	if len(b.rows) == 0 {
		return nil
	}
	rows, err := json.Marshal(b.rows)
	if err != nil {
		return err
	}
	b.rows, b.at = b.rows[:0], nil
	_, err = stmt.ExecContext(ctx, string(rows))
	return err
}

func newTicketWriter(ctx context.Context, tx *sql.Tx) (*ticketWriter, error) {
	w := &ticketWriter{}
	err := prepare(ctx, tx, []stmtSpec{
		{&w.upsert, `INSERT INTO tickets (project_id, gitlab_id, iid, title, description, state, customer, labels, assignees,
			milestone, confidential, issue_type, web_url, user_notes_count, moved_to_id, created_at, updated_at, closed_at,
			last_public_kind, last_public_at, snippet)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (project_id, iid) DO UPDATE SET gitlab_id = excluded.gitlab_id, title = excluded.title,
			description = excluded.description, state = excluded.state, customer = excluded.customer,
			labels = excluded.labels, assignees = excluded.assignees, milestone = excluded.milestone,
			confidential = excluded.confidential, issue_type = excluded.issue_type, web_url = excluded.web_url,
			user_notes_count = excluded.user_notes_count, moved_to_id = excluded.moved_to_id,
			created_at = excluded.created_at, updated_at = excluded.updated_at, closed_at = excluded.closed_at,
			last_public_kind = excluded.last_public_kind, last_public_at = excluded.last_public_at,
			snippet = excluded.snippet, gone_at = NULL
		RETURNING id`},
		{&w.setDerived, `UPDATE tickets SET last_public_kind = ?, last_public_at = ?, snippet = ? WHERE id = ?`},
		{&w.delNotes, `DELETE FROM notes WHERE ticket_id = ?`},
		{&w.insNote, `INSERT INTO notes (id, ticket_id, author, author_name, body, system, internal, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET ticket_id = excluded.ticket_id, author = excluded.author,
				author_name = excluded.author_name, body = excluded.body, system = excluded.system,
				internal = excluded.internal, created_at = excluded.created_at, updated_at = excluded.updated_at`},
		// The delete trigger on search_docs removes the FTS rows. A statement
		// that fires it opens a savepoint, which makes FTS5 flush its
		// pending index: only documents whose text changed are deleted, and
		// a ticket never indexed (a first sync) deletes none.
		{&w.docsOf, `SELECT id, kind, ref, sig FROM search_docs WHERE ticket_id = ?`},
		{&w.delDoc, `DELETE FROM search_docs WHERE id = ?`},
		{&w.insDoc, `INSERT INTO search_docs (id, kind, ref, ticket_id, sig) VALUES (` + docIDAt + `, ?, ?, ?, ?) RETURNING id`},
		{&w.insFTS, insertFTS},
	})
	return w, err
}

func (w *ticketWriter) close() {
	closeStmts(w.upsert, w.setDerived, w.delNotes, w.insNote, w.docsOf, w.delDoc, w.insDoc, w.insFTS)
}

// stmtSpec is a statement to prepare into dst.
type stmtSpec struct {
	dst **sql.Stmt
	sql string
}

// prepare prepares every statement of a batch writer, or none.
func prepare(ctx context.Context, tx *sql.Tx, specs []stmtSpec) error {
	for i, sp := range specs {
		stmt, err := tx.PrepareContext(ctx, sp.sql)
		if err != nil {
			for _, done := range specs[:i] {
				(*done.dst).Close()
			}
			return err
		}
		*sp.dst = stmt
	}
	return nil
}

func closeStmts(stmts ...*sql.Stmt) {
	for _, st := range stmts {
		if st != nil {
			st.Close()
		}
	}
}

func (w *ticketWriter) save(ctx context.Context, tx *sql.Tx, projectID int64, tw *TicketWithNotes) error {
	t := tw.Ticket
	labels, _ := json.Marshal(nonNil(t.Labels))
	assignees, _ := json.Marshal(nonNil(t.Assignees))
	var closed any
	if t.ClosedAt != nil {
		closed = ms(*t.ClosedAt)
	}
	last := lastPublic(t, tw.Notes)
	var id int64
	err := w.upsert.QueryRowContext(ctx,
		projectID, t.GitLabID, t.IID, t.Title, t.Description, t.State, t.Customer, string(labels), string(assignees),
		t.Milestone, t.Confidential, t.IssueType, t.WebURL, t.UserNotesCount, t.MovedToID,
		ms(t.CreatedAt), ms(t.UpdatedAt), closed, last.Kind, ms(last.CreatedAt), Snippet(last.Body)).Scan(&id)
	if err != nil {
		return err
	}
	notes := tw.Notes
	if tw.NotesRead {
		if _, err := w.delNotes.ExecContext(ctx, id); err != nil {
			return err
		}
		for _, n := range notes {
			if _, err := w.insNote.ExecContext(ctx, n.ID, id, n.Author, n.AuthorName, n.Body, n.System, n.Internal,
				ms(n.CreatedAt), ms(n.UpdatedAt)); err != nil {
				return fmt.Errorf("note %d: %w", n.ID, err)
			}
		}
	} else {
		// The stored thread decides what the list shows.
		if notes, err = notesOf(ctx, tx, id); err != nil {
			return err
		}
		last = lastPublic(t, notes)
		if _, err := w.setDerived.ExecContext(ctx, last.Kind, ms(last.CreatedAt), Snippet(last.Body), id); err != nil {
			return err
		}
	}
	return w.reindex(ctx, id, t, notes)
}

// lastPublic is the newest public word: the ticket body, a customer
// follow-up (or one merged in from the ticket GitLab opened for it) or a
// public reply.
func lastPublic(t model.Ticket, notes []model.Note) model.ThreadEntry {
	last := model.ThreadEntry{Kind: model.KindCustomer, Body: t.Description, CreatedAt: t.CreatedAt}
	for _, n := range notes {
		if k := n.Public(); k != "" && !n.CreatedAt.Before(last.CreatedAt) {
			body := n.Body
			if mailed, ok := n.MailedReply(); ok {
				body = mailed
			}
			last = model.ThreadEntry{Kind: k, Body: body, CreatedAt: n.CreatedAt}
		}
	}
	return last
}

// Snippet is the start of a message as one line, for the ticket list.
func Snippet(body string) string {
	const max = 160
	var b strings.Builder
	for _, line := range strings.Split(body, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, ">") {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(line)
		if b.Len() >= max {
			break
		}
	}
	s := b.String()
	if len(s) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

// reindex brings a ticket's search documents up to date: the ticket's and
// one per note, each re-indexed only when its text changed.
func (w *ticketWriter) reindex(ctx context.Context, ticketID int64, t model.Ticket, notes []model.Note) error {
	type docKey struct {
		kind string
		ref  int64
	}
	type doc struct {
		id  int64
		sig string
	}
	have := map[docKey]doc{}
	rows, err := w.docsOf.QueryContext(ctx, ticketID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var k docKey
		var d doc
		if err := rows.Scan(&d.id, &k.kind, &k.ref, &d.sig); err != nil {
			rows.Close()
			return err
		}
		have[k] = d
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	want := func(kind string, ref int64, at time.Time, title, body string) error {
		k, sig := docKey{kind, ref}, docSig(title, body)
		if d, ok := have[k]; ok {
			delete(have, k)
			if d.sig == sig {
				return nil
			}
			if _, err := w.delDoc.ExecContext(ctx, d.id); err != nil {
				return err
			}
		}
		var id int64
		if err := w.insDoc.QueryRowContext(ctx, docBase(at), kind, ref, ticketID, sig).Scan(&id); err != nil {
			return err
		}
		w.fts.add(id, title, body)
		return nil
	}
	if err := want("ticket", ticketID, t.CreatedAt, t.Title+" "+t.Customer+" "+strings.Join(t.Labels, " "), t.Description); err != nil {
		return err
	}
	for _, n := range notes {
		if n.System {
			continue
		}
		if err := want("note", n.ID, n.CreatedAt, "", n.Body); err != nil {
			return err
		}
	}
	for _, d := range have { // notes gone
		if _, err := w.delDoc.ExecContext(ctx, d.id); err != nil {
			return err
		}
	}
	return nil
}

// docSig is what a search document was indexed from, in 16 hex digits.
func docSig(title, body string) string {
	h := fnv.New64a()
	h.Write([]byte(title))
	h.Write([]byte{0})
	h.Write([]byte(body))
	return strconv.FormatUint(h.Sum64(), 16)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

const ticketColumns = `t.id, t.project_id, p.path, t.gitlab_id, t.iid, t.title, t.description, t.state, t.customer,
	t.labels, t.assignees, t.milestone, t.confidential, t.issue_type, t.web_url, t.user_notes_count, t.moved_to_id,
	t.created_at, t.updated_at, t.closed_at, t.last_public_kind, t.last_public_at, t.snippet, t.gone_at IS NOT NULL`

func scanTicket(sc interface{ Scan(...any) error }) (model.Ticket, error) {
	var t model.Ticket
	var labels, assignees string
	var created, updated, lastAt int64
	var closed sql.NullInt64
	err := sc.Scan(&t.ID, &t.ProjectID, &t.Project, &t.GitLabID, &t.IID, &t.Title, &t.Description, &t.State, &t.Customer,
		&labels, &assignees, &t.Milestone, &t.Confidential, &t.IssueType, &t.WebURL, &t.UserNotesCount, &t.MovedToID,
		&created, &updated, &closed, &t.LastPublicKind, &lastAt, &t.Snippet, &t.Gone)
	if err != nil {
		return t, err
	}
	if err := json.Unmarshal([]byte(labels), &t.Labels); err != nil {
		return t, fmt.Errorf("labels of #%d: %w", t.IID, err)
	}
	if err := json.Unmarshal([]byte(assignees), &t.Assignees); err != nil {
		return t, fmt.Errorf("assignees of #%d: %w", t.IID, err)
	}
	t.CreatedAt, t.UpdatedAt, t.LastPublicAt = fromMS(created), fromMS(updated), fromMS(lastAt)
	if closed.Valid {
		c := fromMS(closed.Int64)
		t.ClosedAt = &c
	}
	return t, nil
}

// Ticket returns one ticket by project and iid, or model.ErrNotFound.
func (s *Store) Ticket(ctx context.Context, projectID, iid int64) (model.Ticket, error) {
	t, err := scanTicket(s.db.QueryRowContext(ctx, `SELECT `+ticketColumns+`
		FROM tickets t JOIN projects p ON p.id = t.project_id WHERE t.project_id = ? AND t.iid = ?`, projectID, iid))
	if errors.Is(err, sql.ErrNoRows) {
		return t, fmt.Errorf("ticket #%d: %w", iid, model.ErrNotFound)
	}
	return t, err
}

// Notes returns a ticket's notes, oldest first.
func (s *Store) Notes(ctx context.Context, ticketID int64) ([]model.Note, error) {
	return notesOf(ctx, s.db, ticketID)
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func notesOf(ctx context.Context, q querier, ticketID int64) ([]model.Note, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+noteColumns+` FROM notes WHERE ticket_id = ? ORDER BY created_at, id`, ticketID)
	if err != nil {
		return nil, fmt.Errorf("notes of ticket %d: %w", ticketID, err)
	}
	return scanNotes(rows)
}

// noteColumns are the columns scanNotes reads.
const noteColumns = `id, ticket_id, author, author_name, body, system, internal, created_at, updated_at`

// scanNotes reads rows of noteColumns and closes them.
func scanNotes(rows *sql.Rows) ([]model.Note, error) {
	defer rows.Close()
	var out []model.Note
	for rows.Next() {
		var n model.Note
		var created, updated int64
		if err := rows.Scan(&n.ID, &n.TicketID, &n.Author, &n.AuthorName, &n.Body, &n.System, &n.Internal, &created, &updated); err != nil {
			return nil, err
		}
		n.CreatedAt, n.UpdatedAt = fromMS(created), fromMS(updated)
		out = append(out, n)
	}
	return out, rows.Err()
}

// TicketVersions returns the stored updated_at of the given tickets of a
// project, by iid; tickets not stored yet are absent.
func (s *Store) TicketVersions(ctx context.Context, projectID int64, iids []int64) (map[int64]time.Time, error) {
	out := make(map[int64]time.Time, len(iids))
	if len(iids) == 0 {
		return out, nil
	}
	ids, _ := json.Marshal(iids)
	rows, err := s.db.QueryContext(ctx, `SELECT iid, updated_at FROM tickets
		WHERE project_id = ? AND iid IN (SELECT value FROM json_each(?))`, projectID, string(ids))
	if err != nil {
		return nil, fmt.Errorf("read ticket versions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var iid, updated int64
		if err := rows.Scan(&iid, &updated); err != nil {
			return nil, err
		}
		out[iid] = fromMS(updated)
	}
	return out, rows.Err()
}

// MarkGone marks tickets that GitLab no longer has (deleted, or hidden from
// the token) and returns nothing else; their rows and notes stay readable.
func (s *Store) MarkGone(ctx context.Context, projectID int64, iids []int64) error {
	if len(iids) == 0 {
		return nil
	}
	ids, _ := json.Marshal(iids)
	_, err := s.db.ExecContext(ctx, `UPDATE tickets SET gone_at = ? WHERE project_id = ? AND gone_at IS NULL
		AND iid IN (SELECT value FROM json_each(?))`, ms(time.Now()), projectID, string(ids))
	if err != nil {
		return fmt.Errorf("mark tickets gone: %w", err)
	}
	return nil
}

// TicketIIDs lists the iids of a project's tickets not marked gone.
func (s *Store) TicketIIDs(ctx context.Context, projectID int64) ([]int64, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT iid FROM tickets WHERE project_id = ? AND gone_at IS NULL ORDER BY iid`, projectID)
	if err != nil {
		return nil, fmt.Errorf("list ticket iids: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var iid int64
		if err := rows.Scan(&iid); err != nil {
			return nil, err
		}
		out = append(out, iid)
	}
	return out, rows.Err()
}
