package gitlab

import (
	"context"
	"fmt"
	"time"

	gl "gitlab.com/gitlab-org/api/client-go"
	"golang.org/x/sync/errgroup"

	"servicedesk/internal/model"
	"servicedesk/internal/store"
)

// CursorKind names the store cursor that holds the newest issue updated_at
// seen for a project.
const CursorKind = "gitlab-issues"

// cursorOverlap is how far before the stored cursor a sync starts again, so
// an issue whose update committed on GitLab's side while our previous sync
// read that second is not missed. updated_after is inclusive.
const cursorOverlap = 2 * time.Minute

const perPage = 100

// Syncer copies a project's Service Desk tickets and their notes into the
// store.
type Syncer struct {
	Client      *Client
	Store       *store.Store
	Concurrency int // note fetches in flight; 0 means 4
	// OnPage, when set, is called after each page of tickets is stored, so
	// the window can show the first tickets of a long first sync at once.
	OnPage func(model.SyncResult)
}

// Sync reads every ticket of p changed since the stored cursor (all tickets
// on the first run), re-reads the notes of those that changed, and stores
// them page by page with the cursor, so an interrupted sync resumes where it
// stopped.
func (s *Syncer) Sync(ctx context.Context, p model.Project) (res model.SyncResult, err error) {
	res = model.SyncResult{Project: p.Path, ProjectID: p.ID}
	start := s.Client.Requests()
	defer func() { res.Requests = int(s.Client.Requests() - start) }()

	cur, err := s.Store.Cursor(ctx, p.ID, CursorKind)
	if err != nil {
		return res, err
	}
	var since time.Time
	if cur != "" {
		if since, err = time.Parse(time.RFC3339Nano, cur); err != nil {
			return res, fmt.Errorf("stored cursor %q of %s: %w", cur, p.Path, err)
		}
		since = since.Add(-cursorOverlap)
	}
	// Each query starts at the newest updated_at stored so far, so a ticket
	// updated during the sync (it moves to the end of the order) is never
	// skipped by shifting offsets. Offset pages are used only while a whole
	// page shares one updated_at.
	page := int64(1)
	for {
		issues, err := s.listPage(ctx, p, since, page)
		if err != nil {
			return res, err
		}
		if len(issues) == 0 {
			break
		}
		newest, changed, notes, err := s.storePage(ctx, p, issues)
		if err != nil {
			return res, err
		}
		res.TicketsChanged += changed
		res.NotesRead += notes
		if s.OnPage != nil && changed > 0 {
			s.OnPage(model.SyncResult{Project: p.Path, ProjectID: p.ID, TicketsChanged: changed, NotesRead: notes, FinishedAt: time.Now().UTC()})
		}
		if len(issues) < perPage {
			break
		}
		if newest.After(since) {
			since, page = newest, 1
		} else {
			page++
		}
	}
	res.FinishedAt = time.Now().UTC()
	return res, nil
}

func (s *Syncer) listPage(ctx context.Context, p model.Project, since time.Time, page int64) ([]*gl.Issue, error) {
	opt := &gl.ListProjectIssuesOptions{
		ListOptions:    gl.ListOptions{PerPage: perPage, Page: page},
		AuthorUsername: gl.Ptr(model.SupportBot),
		State:          gl.Ptr("all"),
		OrderBy:        gl.Ptr("updated_at"),
		Sort:           gl.Ptr("asc"),
	}
	if !since.IsZero() {
		opt.UpdatedAfter = gl.Ptr(since)
	}
	issues, _, err := s.Client.api.Issues.ListProjectIssues(p.GitLabID, opt, gl.WithContext(ctx))
	if err != nil {
		return nil, s.Client.explain(err, "list the tickets of "+p.Path)
	}
	return issues, nil
}

// storePage fetches the notes of the issues that changed since they were
// stored and saves the page in one transaction with the new cursor.
func (s *Syncer) storePage(ctx context.Context, p model.Project, issues []*gl.Issue) (newest time.Time, changed, notesRead int, err error) {
	iids := make([]int64, len(issues))
	for i, is := range issues {
		iids[i] = is.IID
	}
	known, err := s.Store.TicketVersions(ctx, p.ID, iids)
	if err != nil {
		return newest, 0, 0, err
	}
	batch := make([]store.TicketWithNotes, 0, len(issues))
	for _, is := range issues {
		t := ticketFrom(p, is)
		if t.UpdatedAt.After(newest) {
			newest = t.UpdatedAt
		}
		if v, ok := known[t.IID]; ok && v.Equal(t.UpdatedAt) {
			continue // seen again through the overlap; unchanged
		}
		batch = append(batch, store.TicketWithNotes{Ticket: t})
	}
	g, gctx := errgroup.WithContext(ctx)
	limit := s.Concurrency
	if limit <= 0 {
		limit = 4
	}
	g.SetLimit(limit)
	for i := range batch {
		g.Go(func() error {
			notes, err := s.notes(gctx, p, batch[i].Ticket.IID)
			batch[i].Notes, batch[i].NotesRead = notes, err == nil
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return newest, 0, 0, err
	}
	for _, b := range batch {
		notesRead += len(b.Notes)
	}
	if err := s.Store.SaveTickets(ctx, p.ID, batch, CursorKind, newest.Format(time.RFC3339Nano)); err != nil {
		return newest, 0, 0, err
	}
	return newest, len(batch), notesRead, nil
}

// notes reads every page of one issue's notes, oldest first.
func (s *Syncer) notes(ctx context.Context, p model.Project, iid int64) ([]model.Note, error) {
	opt := &gl.ListIssueNotesOptions{
		ListOptions: gl.ListOptions{PerPage: perPage, Page: 1},
		OrderBy:     gl.Ptr("created_at"),
		Sort:        gl.Ptr("asc"),
	}
	var out []model.Note
	for {
		ns, resp, err := s.Client.api.Notes.ListIssueNotes(p.GitLabID, iid, opt, gl.WithContext(ctx))
		if err != nil {
			return nil, s.Client.explain(err, fmt.Sprintf("read the notes of %s#%d", p.Path, iid))
		}
		for _, n := range ns {
			out = append(out, noteFrom(n))
		}
		if resp.NextPage == 0 {
			return out, nil
		}
		opt.Page = resp.NextPage
	}
}

func ticketFrom(p model.Project, is *gl.Issue) model.Ticket {
	t := model.Ticket{
		ProjectID:      p.ID,
		Project:        p.Path,
		GitLabID:       is.ID,
		IID:            is.IID,
		Title:          is.Title,
		Description:    is.Description,
		State:          is.State,
		Customer:       is.ServiceDeskReplyTo,
		Labels:         append([]string{}, is.Labels...),
		Assignees:      []string{},
		Confidential:   is.Confidential,
		WebURL:         is.WebURL,
		UserNotesCount: int(is.UserNotesCount),
		MovedToID:      is.MovedToID,
		ClosedAt:       is.ClosedAt,
	}
	for _, a := range is.Assignees {
		if a != nil {
			t.Assignees = append(t.Assignees, a.Username)
		}
	}
	if is.Milestone != nil {
		t.Milestone = is.Milestone.Title
	}
	if is.IssueType != nil {
		t.IssueType = *is.IssueType
	}
	if is.CreatedAt != nil {
		t.CreatedAt = is.CreatedAt.UTC()
	}
	if is.UpdatedAt != nil {
		t.UpdatedAt = is.UpdatedAt.UTC()
	}
	return t
}

func noteFrom(n *gl.Note) model.Note {
	m := model.Note{
		ID:         n.ID,
		Author:     n.Author.Username,
		AuthorName: n.Author.Name,
		Body:       n.Body,
		System:     n.System,
		Internal:   n.Internal,
	}
	if n.CreatedAt != nil {
		m.CreatedAt = n.CreatedAt.UTC()
	}
	if n.UpdatedAt != nil {
		m.UpdatedAt = n.UpdatedAt.UTC()
	}
	return m
}
