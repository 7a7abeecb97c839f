package app

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"servicedesk/internal/model"
	"servicedesk/internal/secrets"
	"servicedesk/internal/service"
	"servicedesk/internal/store"
)

// The page attaches files only by the tokens PickAttachments handed out: a
// path or a made-up token is refused.
func TestAttachmentsOnlyByPickedToken(t *testing.T) {
	t.Parallel()
	var p pickedFiles
	tok := p.add("/home/alex/Rechnung.pdf")
	if got, err := p.resolve([]string{tok}); err != nil || len(got) != 1 || got[0] != "/home/alex/Rechnung.pdf" {
		t.Fatalf("resolve(picked) = %v, %v", got, err)
	}
	for _, bad := range []string{"/home/alex/.ssh/id_ed25519", "0123456789abcdef01234567", ""} {
		if _, err := p.resolve([]string{tok, bad}); err == nil || !strings.Contains(err.Error(), "pick it again") {
			t.Errorf("resolve(%q) = %v, want a refusal", bad, err)
		}
	}
	if again := p.add("/home/alex/Rechnung.pdf"); again == tok || len(again) != 24 {
		t.Errorf("a second pick of the same file got token %q (first %q)", again, tok)
	}
}

// The Waiting on customer and Mine views: counted in the overview and
// listed, Mine by the GitLab account's user.
func TestWaitingAndMineViews(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	acct, _ := st.CreateAccount(ctx, model.Account{Kind: model.AccountGitLab, Name: "gitlab", URL: "https://gitlab.example", Username: "alex"})
	p, _ := st.UpsertProject(ctx, model.Project{AccountID: acct.ID, GitLabID: 1, Path: "acme/support", Name: "Support"})
	at := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	tk := func(iid int64, assignees []string, lastBy string) store.TicketWithNotes {
		t := model.Ticket{GitLabID: 100 + iid, IID: iid, Title: "t", State: model.StateOpened, Customer: "c@example.org",
			Labels: []string{}, Assignees: assignees, CreatedAt: at, UpdatedAt: at.Add(time.Duration(iid) * time.Hour)}
		return store.TicketWithNotes{Ticket: t, NotesRead: true, Notes: []model.Note{{ID: 1000 + iid, Author: lastBy, Body: "…", CreatedAt: at.Add(time.Hour)}}}
	}
	if err := st.SaveTickets(ctx, p.ID, []store.TicketWithNotes{
		tk(1, []string{"alex"}, "alex"),            // mine, waiting on the customer
		tk(2, []string{"priya"}, model.SupportBot), // someone else's, needs a reply
		tk(3, nil, "alex"),                         // waiting, unassigned
	}, "", ""); err != nil {
		t.Fatal(err)
	}
	a := New(Config{Service: service.New(st, secrets.NewMemory(), service.Options{}), Log: slog.New(slog.DiscardHandler)})
	o, err := a.Overview(0)
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, v := range o.Views {
		counts[v.ID] = v.Count
	}
	if counts["waiting"] != 2 || counts["mine"] != 1 || counts["needs_reply"] != 1 {
		t.Fatalf("counts %v", counts)
	}
	for view, want := range map[string][]int64{"waiting": {3, 1}, "mine": {1}} {
		page, err := a.ListTickets(TicketQuery{View: view})
		if err != nil {
			t.Fatal(err)
		}
		var iids []int64
		for _, r := range page.Rows {
			iids = append(iids, r.IID)
		}
		if !slices.Equal(iids, want) {
			t.Errorf("%s lists %v, want %v", view, iids, want)
		}
	}
}
