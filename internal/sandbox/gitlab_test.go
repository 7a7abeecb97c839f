package sandbox

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	gitlab "gitlab.com/gitlab-org/api/client-go"
)

func newTestGitLab(t *testing.T, tickets int) (*GitLab, *gitlab.Client, string) {
	t.Helper()
	w := NewWorld(Options{Seed: 7, Tickets: tickets, Now: time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)})
	g := NewGitLab(w)
	srv := httptest.NewServer(g)
	t.Cleanup(srv.Close)
	c, err := gitlab.NewClient(g.Token(), gitlab.WithBaseURL(srv.URL), gitlab.WithCustomRetryMax(0))
	if err != nil {
		t.Fatal(err)
	}
	return g, c, srv.URL
}

func listAll(t *testing.T, c *gitlab.Client, opt gitlab.ListProjectIssuesOptions) []*gitlab.Issue {
	t.Helper()
	var all []*gitlab.Issue
	opt.PerPage = 100
	opt.Page = 1
	for {
		page, resp, err := c.Issues.ListProjectIssues("acme/support", &opt)
		if err != nil {
			t.Fatalf("list issues page %d: %v", opt.Page, err)
		}
		all = append(all, page...)
		if resp.NextPage == 0 {
			return all
		}
		opt.Page = resp.NextPage
	}
}

func TestListIssuesAllPages(t *testing.T) {
	t.Parallel()
	g, c, _ := newTestGitLab(t, 0)
	all := listAll(t, c, gitlab.ListProjectIssuesOptions{AuthorUsername: gitlab.Ptr("support-bot"), State: gitlab.Ptr("all"),
		OrderBy: gitlab.Ptr("updated_at"), Sort: gitlab.Ptr("asc")})
	if len(all) != 240 {
		t.Fatalf("got %d issues, want 240", len(all))
	}
	open, seen := 0, map[int64]bool{}
	for i, is := range all {
		if seen[is.IID] {
			t.Fatalf("iid %d twice", is.IID)
		}
		seen[is.IID] = true
		if i > 0 && is.UpdatedAt.Before(*all[i-1].UpdatedAt) {
			t.Fatalf("not sorted by updated_at asc at %d", i)
		}
		if is.Author.Username != "support-bot" || is.ServiceDeskReplyTo == "" || is.References.Full == "" {
			t.Fatalf("issue %d lacks service desk fields: %+v", is.IID, is)
		}
		if is.State == "opened" {
			open++
		}
	}
	if open < 100 || open > 190 {
		t.Errorf("%d of 240 open, want about 60%%", open)
	}
	if g.Requests() != 3 {
		t.Errorf("served %d requests, want 3 pages", g.Requests())
	}
}

func TestUpdatedAfterInclusive(t *testing.T) {
	t.Parallel()
	_, c, _ := newTestGitLab(t, 60)
	all := listAll(t, c, gitlab.ListProjectIssuesOptions{OrderBy: gitlab.Ptr("updated_at"), Sort: gitlab.Ptr("asc")})
	pivot := all[30]
	got := listAll(t, c, gitlab.ListProjectIssuesOptions{UpdatedAfter: pivot.UpdatedAt, OrderBy: gitlab.Ptr("updated_at"), Sort: gitlab.Ptr("asc")})
	if len(got) == 0 || got[0].IID != pivot.IID {
		t.Fatalf("updated_after=%s: first is %v, want #%d", pivot.UpdatedAt, got[0].IID, pivot.IID)
	}
	if len(got) != len(all)-30 {
		t.Errorf("got %d, want %d", len(got), len(all)-30)
	}
	desc := listAll(t, c, gitlab.ListProjectIssuesOptions{OrderBy: gitlab.Ptr("created_at")})
	for i := 1; i < len(desc); i++ {
		if desc[i].CreatedAt.After(*desc[i-1].CreatedAt) {
			t.Fatalf("default sort is not desc at %d", i)
		}
	}
}

func TestKeysetPaginationSameSet(t *testing.T) {
	t.Parallel()
	_, c, _ := newTestGitLab(t, 130)
	want := listAll(t, c, gitlab.ListProjectIssuesOptions{})
	opt := &gitlab.ListProjectIssuesOptions{ListOptions: gitlab.ListOptions{Pagination: "keyset", PerPage: 25, OrderBy: "updated_at", Sort: "asc"}}
	var got []*gitlab.Issue
	opts := []gitlab.RequestOptionFunc{}
	for pages := 0; pages < 20; pages++ {
		page, resp, err := c.Issues.ListProjectIssues(42, opt, opts...)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, page...)
		if resp.NextLink == "" {
			break
		}
		opts = []gitlab.RequestOptionFunc{gitlab.WithKeysetPaginationParameters(resp.NextLink)}
	}
	if len(got) != len(want) {
		t.Fatalf("keyset walk gave %d issues, offset gave %d", len(got), len(want))
	}
	seen := map[int64]bool{}
	for i, is := range got {
		seen[is.IID] = true
		if i > 0 && is.UpdatedAt.Before(*got[i-1].UpdatedAt) {
			t.Fatalf("keyset page not in order at %d", i)
		}
	}
	for _, is := range want {
		if !seen[is.IID] {
			t.Errorf("keyset walk missed #%d", is.IID)
		}
	}
}

func TestNotesPostAndPut(t *testing.T) {
	t.Parallel()
	g, c, _ := newTestGitLab(t, 40)
	var iid int64
	for _, is := range g.World().Issues() {
		if len(g.Notes(is.IID)) >= 3 {
			iid = is.IID
			break
		}
	}
	notes, _, err := c.Notes.ListIssueNotes("acme/support", iid, &gitlab.ListIssueNotesOptions{OrderBy: gitlab.Ptr("created_at"), Sort: gitlab.Ptr("asc")})
	if err != nil {
		t.Fatal(err)
	}
	if len(notes) != len(g.Notes(iid)) || notes[0].NoteableIID != iid || notes[0].NoteableType != "Issue" {
		t.Fatalf("notes of #%d: got %d, want %d", iid, len(notes), len(g.Notes(iid)))
	}
	before, _, err := c.Issues.GetIssue("acme/support", iid)
	if err != nil {
		t.Fatal(err)
	}
	n, resp, err := c.Notes.CreateIssueNote("acme/support", iid, &gitlab.CreateIssueNoteOptions{Body: gitlab.Ptr("Hi, we are on it.")})
	if err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("create note: %v", err)
	}
	if n.Author.Username != "alex.morgan" || n.System {
		t.Errorf("note by %s", n.Author.Username)
	}
	after, _, err := c.Issues.GetIssue("acme/support", iid)
	if err != nil {
		t.Fatal(err)
	}
	if !after.UpdatedAt.After(*before.UpdatedAt) || after.UserNotesCount != before.UserNotesCount+1 {
		t.Errorf("after note: updated_at %s→%s, user_notes_count %d→%d", before.UpdatedAt, after.UpdatedAt, before.UserNotesCount, after.UserNotesCount)
	}
	if _, _, err := c.Issues.UpdateIssue("acme/support", iid, &gitlab.UpdateIssueOptions{AddLabels: &gitlab.LabelOptions{"refund"}}); err != nil {
		t.Fatal(err)
	}
	last := g.Notes(iid)[len(g.Notes(iid))-1]
	if !last.System || last.Body != `added ~"refund" label` {
		t.Errorf("system note after PUT: %+v", last)
	}
}

func TestErrors(t *testing.T) {
	t.Parallel()
	g, c, url := newTestGitLab(t, 20)
	bad, _ := gitlab.NewClient("glpat-wrong", gitlab.WithBaseURL(url), gitlab.WithCustomRetryMax(0))
	if _, resp, err := bad.Users.CurrentUser(); err == nil || resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("wrong token: %v", err)
	}
	if err := g.DeleteIssue(3); err != nil {
		t.Fatal(err)
	}
	_, resp, err := c.Issues.GetIssue("acme/support", 3)
	if err == nil || resp.StatusCode != http.StatusNotFound || !errors.Is(err, gitlab.ErrNotFound) {
		t.Errorf("deleted issue: %v", err)
	}
	g.FailNext("/projects/42/issues", http.StatusTooManyRequests, 1, 30*time.Second)
	req, _ := http.NewRequest("GET", url+"/api/v4/projects/42/issues", nil)
	req.Header.Set("PRIVATE-TOKEN", g.Token())
	r, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var body map[string]string
	_ = json.NewDecoder(r.Body).Decode(&body)
	r.Body.Close()
	if r.StatusCode != 429 || r.Header.Get("Retry-After") != "30" || !strings.HasPrefix(body["message"], "429") {
		t.Errorf("fault: %d Retry-After=%q %v", r.StatusCode, r.Header.Get("Retry-After"), body)
	}
	r, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode != 200 || r.Header.Get("X-Total") != "19" {
		t.Errorf("after fault: %d X-Total=%s", r.StatusCode, r.Header.Get("X-Total"))
	}
	p, _, err := c.Projects.GetProject("acme/support", nil)
	if err != nil || !p.ServiceDeskEnabled || p.ID != 42 {
		t.Errorf("project: %v %+v", err, p)
	}
	if _, resp, _ := c.Projects.GetProject("acme/nothing", nil); resp.StatusCode != 404 {
		t.Errorf("unknown project: %d", resp.StatusCode)
	}
}
