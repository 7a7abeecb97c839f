package app

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"servicedesk/internal/model"
	"servicedesk/internal/secrets"
	"servicedesk/internal/service"
	"servicedesk/internal/store"
)

// A new ticket that needs a reply shows one notification, once; the tickets
// of a profile's first sync and those we answered show none, and with the
// preference off none shows.
func TestNotifyNewTicketsThatNeedAReply(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	acct, _ := st.CreateAccount(ctx, model.Account{Kind: model.AccountGitLab, Name: "gitlab", URL: "https://gitlab.example"})
	p, _ := st.UpsertProject(ctx, model.Project{AccountID: acct.ID, GitLabID: 1, Path: "acme/support", Name: "Support"})
	save := func(iid int64, created time.Time, lastBy string) {
		t.Helper()
		tk := model.Ticket{GitLabID: 100 + iid, IID: iid, Title: "Refund please", State: model.StateOpened, Customer: "ana@example.org",
			CreatedAt: created, UpdatedAt: created}
		notes := []model.Note{{ID: 1000 + iid, Author: lastBy, Body: "…", CreatedAt: created.Add(time.Second)}}
		if err := st.SaveTickets(ctx, p.ID, []store.TicketWithNotes{{Ticket: tk, NotesRead: true, Notes: notes}}, "", ""); err != nil {
			t.Fatal(err)
		}
	}
	var mu sync.Mutex
	var shown []string
	a := New(Config{Service: service.New(st, secrets.NewMemory(), service.Options{}), Log: slog.New(slog.DiscardHandler),
		Notify: func(title, body string) error {
			mu.Lock()
			defer mu.Unlock()
			shown = append(shown, title+" | "+body)
			return nil
		}})
	got := func() []string {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(shown)
	}

	save(1, time.Now().Add(-time.Hour), model.SupportBot)
	a.notifyNew() // the first sync: nothing is new
	if n := got(); len(n) != 0 {
		t.Fatalf("first sync notified %v", n)
	}
	save(2, time.Now().Add(time.Second), model.SupportBot) // new, needs a reply
	save(3, time.Now().Add(2*time.Second), "alex")         // new, answered already
	a.notifyNew()
	a.notifyNew() // nothing new since
	if n := got(); !slices.Equal(n, []string{"New ticket #2 | ana@example.org: Refund please"}) {
		t.Fatalf("notified %v", n)
	}
	if err := a.SavePrefs(PrefsDTO{Notify: false}); err != nil {
		t.Fatal(err)
	}
	save(4, time.Now().Add(3*time.Second), model.SupportBot)
	a.notifyNew()
	if n := got(); len(n) != 1 {
		t.Fatalf("with notifications off: %v", n)
	}
	// Turned on again, #4 stays seen: only what comes after shows.
	if err := a.SavePrefs(PrefsDTO{Notify: true}); err != nil {
		t.Fatal(err)
	}
	a.notifyNew()
	if n := got(); len(n) != 1 {
		t.Fatalf("after turning them on again: %v", n)
	}
}
