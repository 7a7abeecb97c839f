package gitlab

import (
	"context"
	"errors"
	"fmt"
	"net/http"
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
	start, began := s.Client.Requests(), time.Now()
	defer func() {
		res.Requests = int(s.Client.Requests() - start)
		res.DurationMS = time.Since(began).Milliseconds()
	}()

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
	// Keyset pagination (GitLab 18.3+) walks (updated_at, id) with a
	// cursor, so a ticket updated during the sync moves ahead of the cursor
	// and is read again later, and a 100-page project costs 100 requests.
	// Without it each query starts at the newest updated_at stored so far,
	// so a ticket updated during the sync never makes offsets shift over
	// another; offset pages are used only while a whole page shares one
	// updated_at.
	next := ""
	useKeyset := !s.Client.noKeyset.Load()
	pageNo := int64(1)
	for {
		var issues []*gl.Issue
		var resp *gl.Response
		if useKeyset {
			issues, resp, err = s.listKeyset(ctx, p, since, next)
			if err != nil && next == "" && keysetRefused(err) {
				s.Client.noKeyset.Store(true)
				useKeyset = false
				continue
			}
		} else {
			issues, resp, err = s.listPage(ctx, p, since, pageNo)
		}
		if err != nil {
			return res, s.Client.explain(err, "list the tickets of "+p.Path)
		}
		newest, got, err := s.storePage(ctx, p, issues)
		if err != nil {
			return res, err
		}
		res.Added += got.Added
		res.Updated += got.Updated
		res.TicketsChanged += got.TicketsChanged
		res.NotesRead += got.NotesRead
		if s.OnPage != nil && got.TicketsChanged > 0 {
			s.OnPage(got)
		}
		if useKeyset {
			if resp.NextLink != "" {
				next = resp.NextLink
				continue
			}
			if resp.NextPage == 0 || len(issues) < perPage {
				break
			}
			// The server ignored pagination=keyset and paged by offset:
			// go on the offset way from what is stored.
			s.Client.noKeyset.Store(true)
			useKeyset = false
		}
		if len(issues) < perPage {
			break
		}
		if newest.After(since) {
			since, pageNo = newest, 1
		} else {
			pageNo++
		}
	}
	res.FinishedAt = time.Now().UTC()
	return res, nil
}

// listKeyset reads one keyset page: the first from the filters, the next
// ones from the Link the previous page gave.
func (s *Syncer) listKeyset(ctx context.Context, p model.Project, since time.Time, next string) ([]*gl.Issue, *gl.Response, error) {
	opt := issueQuery(since, 0)
	opt.Pagination = "keyset"
	opts := []gl.RequestOptionFunc{gl.WithContext(ctx)}
	if next != "" {
		opts = append(opts, gl.WithKeysetPaginationParameters(next))
	}
	return s.Client.api.Issues.ListProjectIssues(p.GitLabID, opt, opts...)
}

// keysetRefused reports whether GitLab turned down keyset pagination (older
// versions answer 400 or 405).
func keysetRefused(err error) bool {
	var er *gl.ErrorResponse
	return errors.As(err, &er) && er.Response != nil &&
		(er.Response.StatusCode == http.StatusBadRequest || er.Response.StatusCode == http.StatusMethodNotAllowed)
}

func issueQuery(since time.Time, page int64) *gl.ListProjectIssuesOptions {
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
	return opt
}

func (s *Syncer) listPage(ctx context.Context, p model.Project, since time.Time, page int64) ([]*gl.Issue, *gl.Response, error) {
	return s.Client.api.Issues.ListProjectIssues(p.GitLabID, issueQuery(since, page), gl.WithContext(ctx))
}

// storePage fetches the notes of the issues that changed since they were
// stored and saves the page in one transaction with the new cursor.
func (s *Syncer) storePage(ctx context.Context, p model.Project, issues []*gl.Issue) (newest time.Time, page model.SyncResult, err error) {
	page = model.SyncResult{Project: p.Path, ProjectID: p.ID}
	iids := make([]int64, len(issues))
	for i, is := range issues {
		iids[i] = is.IID
	}
	known, err := s.Store.TicketVersions(ctx, p.ID, iids)
	if err != nil {
		return newest, page, err
	}
	batch := make([]store.TicketWithNotes, 0, len(issues))
	for _, is := range issues {
		t := ticketFrom(p, is)
		if t.UpdatedAt.After(newest) {
			newest = t.UpdatedAt
		}
		v, ok := known[t.IID]
		if ok && v.Equal(t.UpdatedAt) {
			continue // seen again through the overlap; unchanged
		}
		if ok {
			page.Updated++
		} else {
			page.Added++
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
		return newest, page, err
	}
	for _, b := range batch {
		page.NotesRead += len(b.Notes)
	}
	if err := s.Store.SaveTickets(ctx, p.ID, batch, CursorKind, newest.Format(time.RFC3339Nano)); err != nil {
		return newest, page, err
	}
	page.TicketsChanged = len(batch)
	page.FinishedAt = time.Now().UTC()
	return newest, page, nil
}

// CheckGone asks GitLab for every stored ticket of p by iid, a hundred a
// request, and marks those it no longer returns: deletions never show up
// under updated_after. Moved tickets are not gone: GitLab closes them and
// sets moved_to_id, which the incremental sync reads.
func (s *Syncer) CheckGone(ctx context.Context, p model.Project) (int, error) {
	iids, err := s.Store.TicketIIDs(ctx, p.ID)
	if err != nil {
		return 0, err
	}
	gone := 0
	for len(iids) > 0 {
		n := min(len(iids), perPage)
		batch := iids[:n]
		iids = iids[n:]
		opt := &gl.ListProjectIssuesOptions{ListOptions: gl.ListOptions{PerPage: perPage}, IIDs: &batch, State: gl.Ptr("all")}
		found, _, err := s.Client.api.Issues.ListProjectIssues(p.GitLabID, opt, gl.WithContext(ctx))
		if err != nil {
			return gone, s.Client.explain(err, "check the tickets of "+p.Path)
		}
		seen := make(map[int64]bool, len(found))
		for _, is := range found {
			seen[is.IID] = true
		}
		var missing []int64
		for _, iid := range batch {
			if !seen[iid] {
				missing = append(missing, iid)
			}
		}
		if err := s.Store.MarkGone(ctx, p.ID, missing); err != nil {
			return gone, err
		}
		gone += len(missing)
	}
	return gone, nil
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
