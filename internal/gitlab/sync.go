package gitlab

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"runtime/debug"
	"sync"
	"time"

	gl "gitlab.com/gitlab-org/api/client-go"

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
	// Three stages run at once, so that listing, reading notes and writing
	// overlap: the lister walks the ticket pages, the fetcher reads the
	// notes of changed tickets (Concurrency requests in flight across page
	// boundaries), and this goroutine stores each page with the cursor, in
	// order.
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer func() { cancel(); wg.Wait() }()
	works := s.fetch(ctx, &wg, p, s.list(ctx, &wg, p, since))
	for w := range works {
		if err := w.wait(); err != nil {
			return res, err
		}
		page, err := s.save(ctx, p, w)
		if err != nil {
			return res, err
		}
		res.Added += page.Added
		res.Updated += page.Updated
		res.TicketsChanged += page.TicketsChanged
		res.NotesRead += page.NotesRead
		if s.OnPage != nil && page.TicketsChanged > 0 {
			s.OnPage(page)
		}
	}
	if err := ctx.Err(); err != nil {
		return res, err
	}
	res.FinishedAt = time.Now().UTC()
	return res, nil
}

// listed is one page of tickets, or the error that ended the walk.
type listed struct {
	issues []*gl.Issue
	err    error
}

// list walks the ticket pages from since. Keyset pagination (GitLab 18.3+)
// walks (updated_at, id) with a cursor, so a ticket updated during the sync
// moves ahead of the cursor and is read again later, and a 100-page project
// costs 100 requests. Without it each query starts at the newest updated_at
// listed so far, so a ticket updated during the sync never makes offsets
// shift over another; offset pages are used only while a whole page shares
// one updated_at.
func (s *Syncer) list(ctx context.Context, wg *sync.WaitGroup, p model.Project, since time.Time) <-chan listed {
	out := make(chan listed, 1)
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(out)
		defer recoverTo(func(err error) {
			select {
			case out <- listed{err: err}:
			case <-ctx.Done():
			}
		})
		send := func(l listed) bool {
			select {
			case out <- l:
				return true
			case <-ctx.Done():
				return false
			}
		}
		next := ""
		useKeyset := !s.Client.noKeyset.Load()
		pageNo := int64(1)
		for {
			var issues []*gl.Issue
			var resp *gl.Response
			var err error
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
				send(listed{err: s.Client.explain(err, "list the tickets of "+p.Path)})
				return
			}
			if !send(listed{issues: issues}) {
				return
			}
			if useKeyset {
				if resp.NextLink != "" {
					next = resp.NextLink
					continue
				}
				if resp.NextPage == 0 || len(issues) < perPage {
					return
				}
				// The server ignored pagination=keyset and paged by
				// offset: go on the offset way from what was listed.
				s.Client.noKeyset.Store(true)
				useKeyset = false
			}
			if len(issues) < perPage {
				return
			}
			if newest := newestOf(issues); newest.After(since) {
				since, pageNo = newest, 1
			} else {
				pageNo++
			}
		}
	}()
	return out
}

func newestOf(issues []*gl.Issue) time.Time {
	var newest time.Time
	for _, is := range issues {
		if is.UpdatedAt != nil && is.UpdatedAt.After(newest) {
			newest = *is.UpdatedAt
		}
	}
	return newest
}

// pageWork is one listed page on its way to the store: its changed tickets,
// whose notes are being read.
type pageWork struct {
	batch   []store.TicketWithNotes
	newest  time.Time
	added   int
	updated int
	err     error // the walk's error, or the first notes error
	pending sync.WaitGroup
	mu      sync.Mutex
}

func (w *pageWork) fail(err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err == nil {
		w.err = err
	}
}

// wait returns once every notes request of the page has answered.
func (w *pageWork) wait() error {
	w.pending.Wait()
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

// fetch turns listed pages into pageWork, in order, starting the notes
// requests of each changed ticket as soon as a slot is free.
func (s *Syncer) fetch(ctx context.Context, wg *sync.WaitGroup, p model.Project, lists <-chan listed) <-chan *pageWork {
	out := make(chan *pageWork, 2)
	limit := s.Concurrency
	if limit <= 0 {
		limit = 4
	}
	slots := make(chan struct{}, limit)
	seen := map[int64]time.Time{} // listed in this sync, maybe not stored yet
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(out)
		defer recoverTo(func(err error) {
			select {
			case out <- &pageWork{err: err}:
			case <-ctx.Done():
			}
		})
		for l := range lists {
			w := &pageWork{err: l.err}
			if l.err == nil {
				w.err = s.prepare(ctx, p, l.issues, seen, w)
			}
			if w.err == nil {
				for i := range w.batch {
					select {
					case slots <- struct{}{}:
					case <-ctx.Done():
						w.fail(ctx.Err())
					}
					if ctx.Err() != nil {
						break
					}
					w.pending.Add(1)
					wg.Add(1)
					go func() {
						defer wg.Done()
						defer w.pending.Done()
						defer func() { <-slots }()
						notes, err := s.notes(ctx, p, w.batch[i].Ticket.IID)
						if err != nil {
							w.fail(err)
							return
						}
						w.batch[i].Notes, w.batch[i].NotesRead = notes, true
					}()
				}
			}
			select {
			case out <- w:
			case <-ctx.Done():
				return
			}
			if w.err != nil {
				return
			}
		}
	}()
	return out
}

// prepare keeps the tickets of a page that changed since they were stored
// (or listed earlier in this sync).
func (s *Syncer) prepare(ctx context.Context, p model.Project, issues []*gl.Issue, seen map[int64]time.Time, w *pageWork) error {
	iids := make([]int64, len(issues))
	for i, is := range issues {
		iids[i] = is.IID
	}
	known, err := s.Store.TicketVersions(ctx, p.ID, iids)
	if err != nil {
		return err
	}
	w.batch = make([]store.TicketWithNotes, 0, len(issues))
	for _, is := range issues {
		t := ticketFrom(p, is)
		if t.UpdatedAt.After(w.newest) {
			w.newest = t.UpdatedAt
		}
		if v, ok := seen[t.IID]; ok && v.Equal(t.UpdatedAt) {
			continue // listed twice at a page boundary
		}
		stored, ok := known[t.IID]
		if ok && stored.Equal(t.UpdatedAt) {
			continue // seen again through the overlap; unchanged
		}
		if _, again := seen[t.IID]; ok || again {
			w.updated++
		} else {
			w.added++
		}
		seen[t.IID] = t.UpdatedAt
		w.batch = append(w.batch, store.TicketWithNotes{Ticket: t})
	}
	return nil
}

// save stores a page with its notes and moves the cursor to its newest
// updated_at, in one transaction.
func (s *Syncer) save(ctx context.Context, p model.Project, w *pageWork) (model.SyncResult, error) {
	page := model.SyncResult{Project: p.Path, ProjectID: p.ID, Added: w.added, Updated: w.updated, TicketsChanged: len(w.batch)}
	for _, b := range w.batch {
		page.NotesRead += len(b.Notes)
	}
	if w.newest.IsZero() {
		return page, nil // an empty page: nothing to store, the cursor stays
	}
	if err := s.Store.SaveTickets(ctx, p.ID, w.batch, CursorKind, w.newest.Format(time.RFC3339Nano)); err != nil {
		return page, err
	}
	page.FinishedAt = time.Now().UTC()
	return page, nil
}

// recoverTo turns a panic in a sync goroutine into an error for report.
func recoverTo(report func(error)) {
	if r := recover(); r != nil {
		report(fmt.Errorf("sync stopped by an internal error: %v\n%s", r, debug.Stack()))
	}
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
