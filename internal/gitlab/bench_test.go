package gitlab

import (
	"context"
	"net/http/httptest"
	"testing"

	"servicedesk/internal/model"
	"servicedesk/internal/sandbox"
	"servicedesk/internal/store"
)

// BenchmarkFirstSync240 is the demo's first sync: 240 tickets and their
// notes from the sandbox GitLab over loopback HTTP into a fresh store, with
// no rate-limit pacing (a self-managed GitLab with limits off).
func BenchmarkFirstSync240(b *testing.B) {
	g := sandbox.NewGitLab(sandbox.NewWorld(sandbox.Options{Seed: 1, Tickets: 240, Now: now}))
	srv := httptest.NewServer(g)
	defer srv.Close()
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		st, err := store.Open(ctx, b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		c, _ := NewClient(srv.URL, g.Token(), Options{})
		a, _ := st.CreateAccount(ctx, model.Account{Kind: "gitlab", Name: "b", URL: srv.URL})
		p, err := c.Project(ctx, "acme/support")
		if err != nil {
			b.Fatal(err)
		}
		p.AccountID = a.ID
		p, _ = st.UpsertProject(ctx, p)
		b.StartTimer()
		res, err := (&Syncer{Client: c, Store: st}).Sync(ctx, p)
		if err != nil || res.TicketsChanged != 240 {
			b.Fatalf("%+v %v", res, err)
		}
		b.StopTimer()
		st.Close()
		b.StartTimer()
	}
}
