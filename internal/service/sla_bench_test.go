package service

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"servicedesk/internal/model"
	"servicedesk/internal/secrets"
	"servicedesk/internal/sla"
	"servicedesk/internal/store"
	"servicedesk/internal/store/storefixture"
)

// slaFixture is a profile of n tickets with a business-hours policy in its
// team folder, made once per machine and schema in the temporary folder
// and copied for each benchmark.
func slaFixture(b *testing.B, n int) (*Service, model.Project) {
	b.Helper()
	ctx := context.Background()
	cache := filepath.Join(os.TempDir(), "servicedesk-bench-sla-"+strconv.Itoa(n)+"-schema"+strconv.Itoa(store.SchemaVersion()))
	if _, err := os.Stat(filepath.Join(cache, store.FileName)); err != nil {
		tmp := cache + ".tmp"
		os.RemoveAll(tmp)
		s, err := store.Open(ctx, tmp)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := storefixture.Fill(ctx, s, storefixture.Options{Tickets: n, Seed: 1, Now: time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)}); err != nil {
			b.Fatal(err)
		}
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
		if err := os.Rename(tmp, cache); err != nil {
			b.Fatal(err)
		}
	}
	dir := b.TempDir()
	data, err := os.ReadFile(filepath.Join(cache, store.FileName))
	if err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, store.FileName), data, 0o600); err != nil {
		b.Fatal(err)
	}
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
