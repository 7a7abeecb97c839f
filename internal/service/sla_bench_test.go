package service

import (
	"context"
	"testing"
	"time"

	"servicedesk/internal/model"
	"servicedesk/internal/secrets"
	"servicedesk/internal/sla"
	"servicedesk/internal/store"
	"servicedesk/internal/store/storefixture"
)

// slaFixture is a copy of the cached profile of n tickets with a
// business-hours policy in its team folder.
func slaFixture(b *testing.B, n int) (*Service, model.Project) {
	b.Helper()
	ctx := context.Background()
	dir := storefixture.CachedCopy(b, n)
	st, err := store.Open(ctx, dir)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	ps, err := st.Projects(ctx)
	if err != nil || len(ps) != 1 {
		b.Fatalf("projects %v %v", ps, err)
	}
	policy := "version: 1\ntimezone: Europe/Berlin\nhours:\n  mon-fri: 09:00-17:30\nholidays:\n  - 2026-12-25 Christmas\n" +
		"first_response: 4h\nresolution: 40h\npause_while_waiting_on_customer: true\nlabels:\n  urgent:\n    first_response: 1h\n"
	if err := st.SetRepoFiles(ctx, ps[0].ID, []string{sla.DefaultPath},
		[]store.RepoFile{{ProjectID: ps[0].ID, Path: sla.DefaultPath, BlobID: "v1", Content: []byte(policy)}}); err != nil {
		b.Fatal(err)
	}
	return New(st, secrets.NewMemory(), Options{}), ps[0]
}

// BenchmarkRefreshSLA50k: every open ticket's clocks computed and stored,
// as after a change of the policy (or the first sync with one).
func BenchmarkRefreshSLA50k(b *testing.B) {
	s, p := slaFixture(b, 50_000)
	ctx := context.Background()
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		if _, err := s.store.ClearSLA(ctx, p.ID); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		n, err := s.refreshSLA(ctx, p.ID, now)
		if err != nil || n == 0 {
			b.Fatalf("%d computed, %v", n, err)
		}
		b.ReportMetric(float64(n), "tickets")
	}
}

// BenchmarkSLAViews50k: the view counts with Breach soon and Breached,
// and the first page of Breached in due order.
func BenchmarkSLAViews50k(b *testing.B) {
	s, p := slaFixture(b, 50_000)
	ctx := context.Background()
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	if _, err := s.refreshSLA(ctx, p.ID, now); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		c, err := s.store.CountViews(ctx, 0, "alex.morgan", now)
		if err != nil || c.SLABreached == 0 {
			b.Fatalf("%+v %v", c, err)
		}
		page, err := s.store.ListTickets(ctx, model.TicketFilter{SLA: model.SLABreached, Now: now, State: model.StateOpened, Sort: model.SortDue, Limit: 200})
		if err != nil || len(page.Tickets) == 0 {
			b.Fatalf("%d rows, %v", len(page.Tickets), err)
		}
	}
}

// BenchmarkSortDueOpen50k: the first page of All open (of 50,000 tickets) in SLA
// due order.
func BenchmarkSortDueOpen50k(b *testing.B) {
	s, p := slaFixture(b, 50_000)
	ctx := context.Background()
	if _, err := s.refreshSLA(ctx, p.ID, time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		page, err := s.store.ListTickets(ctx, model.TicketFilter{State: model.StateOpened, Sort: model.SortDue, Limit: 200})
		if err != nil || len(page.Tickets) != 200 || page.SLA[page.Tickets[0].ID].DueAt.IsZero() {
			b.Fatalf("%d rows, %v", len(page.Tickets), err)
		}
	}
}
