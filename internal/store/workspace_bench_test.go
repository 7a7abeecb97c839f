package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"servicedesk/internal/model"
	"servicedesk/internal/store"
	"servicedesk/internal/store/storefixture"
)

// fixture50k is a copy of the cached profile of 50,000 tickets.
func fixture50k(b *testing.B) string { return storefixture.CachedCopy(b, 50_000) }

// What the window asks for at start with 50,000 tickets: open the profile,
// count the views, and read the first page of Needs reply.
func BenchmarkColdStart50k(b *testing.B) {
	dir := fixture50k(b)
	ctx := context.Background()
	for b.Loop() {
		s, err := store.Open(ctx, dir)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.CountViews(ctx, 0, "alex.morgan", time.Now()); err != nil {
			b.Fatal(err)
		}
		if _, err := s.CountUnlinkedMail(ctx); err != nil {
			b.Fatal(err)
		}
		p, err := s.ListTickets(ctx, model.TicketFilter{NeedsReply: true, Limit: 200})
		if err != nil || len(p.Tickets) != 200 {
			b.Fatalf("%d rows, %v", len(p.Tickets), err)
		}
		s.Close()
	}
}

// A page of 200 rows anywhere in the 50,000 (scrolling the All view).
func BenchmarkListPage50k(b *testing.B) {
	dir := fixture50k(b)
	ctx := context.Background()
	s, err := store.Open(ctx, dir)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	i := 0
	for b.Loop() {
		off := (i * 7919) % 49_800
		i++
		if p, err := s.ListTickets(ctx, model.TicketFilter{Offset: off, Limit: 200}); err != nil || len(p.Tickets) != 200 {
			b.Fatalf("%d rows, %v", len(p.Tickets), err)
		}
	}
}

// searchMix is what agents type: a customer, an order number, a subject
// word, two body words, a word in most tickets, filters with and without
// words, a prefix being typed.
var searchMix = []string{
	"from:northwind", "48213", "saml", "refund charged", "finance team", "the", "label:billing is:open",
	"label:refund assignee:priya.natarajan", "export is:open after:30d", "zür", "webho", "sso -label:bug",
	"is:unassigned is:needs-reply", "before:2025-06-01 invoice", "from:gmail.com card",
}

// The search box over 50,000 tickets and their notes: the first page of
// results for each query of the mix; p50 and p95 are reported in ms.
func BenchmarkSearchMix50k(b *testing.B) {
	dir := fixture50k(b)
	ctx := context.Background()
	s, err := store.Open(ctx, dir)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	var took []time.Duration
	for b.Loop() {
		for _, q := range searchMix {
			start := time.Now()
			f, err := store.ParseQuery(q, "alex.morgan", now)
			if err != nil {
				b.Fatal(err)
			}
			f.Limit = 200
			if _, err := s.ListTickets(ctx, f); err != nil {
				b.Fatal(err)
			}
			took = append(took, time.Since(start))
		}
	}
	slices.Sort(took)
	pct := func(p float64) float64 { return float64(took[int(p*float64(len(took)-1))].Microseconds()) / 1000 }
	b.ReportMetric(pct(0.5), "p50-ms")
	b.ReportMetric(pct(0.95), "p95-ms")
	b.ReportMetric(pct(1), "max-ms")
}
