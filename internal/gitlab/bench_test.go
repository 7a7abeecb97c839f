package gitlab

import (
	"context"
	"net/http/httptest"
	"runtime"
	"testing"
	"time"

	"servicedesk/internal/heapwatch"
	"servicedesk/internal/sandbox"
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
		st, c, p := newProfile(b, srv.URL, g.Token(), Options{})
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

// BenchmarkInitialSync10k is issue 4's budget: the first sync of 10,000
// tickets from the fake GitLab with 20 ms added to every answer, at the
// default concurrency of 4. It reports the requests made, the floor (one
// list request per 100 tickets plus one notes page per ticket), the wall
// time the floor allows at that concurrency, and the peak heap growth.
func BenchmarkInitialSync10k(b *testing.B) {
	const tickets, latency = 10_000, 20 * time.Millisecond
	g := sandbox.NewGitLab(sandbox.NewWorld(sandbox.Options{Seed: 3, Tickets: tickets, Now: now}))
	g.SetLatency(latency)
	srv := httptest.NewServer(g)
	defer srv.Close()
	ctx := context.Background()
	notes := 0
	for _, is := range g.World().Issues() {
		notes += len(g.Notes(is.IID))
	}
	for b.Loop() {
		b.StopTimer()
		st, c, p := newProfile(b, srv.URL, g.Token(), Options{})
		runtime.GC()
		var base runtime.MemStats
		runtime.ReadMemStats(&base)
		peak := heapwatch.Start()
		b.StartTimer()
		began := time.Now()
		res, err := (&Syncer{Client: c, Store: st}).Sync(ctx, p)
		wall := time.Since(began)
		b.StopTimer()
		if err != nil || res.TicketsChanged != tickets {
			b.Fatalf("%+v %v", res, err)
		}
		floor := tickets/perPage + tickets
		b.ReportMetric(float64(res.Requests), "requests")
		b.ReportMetric(float64(floor), "floor")
		b.ReportMetric(wall.Seconds(), "wall-s")
		b.ReportMetric((time.Duration(floor) * latency / 4).Seconds(), "floor-wall-s")
		b.ReportMetric(float64(peak()-base.HeapAlloc)/1e6, "peak-heap-MB")
		b.ReportMetric(float64(notes), "notes")
		st.Close()
		b.StartTimer()
	}
}

// BenchmarkIncrementalSync50 is the budget's incremental sync: 50 tickets
// changed since the last sync, 20 ms per answer.
func BenchmarkIncrementalSync50(b *testing.B) {
	g := sandbox.NewGitLab(sandbox.NewWorld(sandbox.Options{Seed: 3, Tickets: 2_000, Now: now}))
	srv := httptest.NewServer(g)
	defer srv.Close()
	ctx := context.Background()
	st, c, p := newProfile(b, srv.URL, g.Token(), Options{})
	defer st.Close()
	sy := &Syncer{Client: c, Store: st}
	if _, err := sy.Sync(ctx, p); err != nil {
		b.Fatal(err)
	}
	g.SetLatency(20 * time.Millisecond)
	next := int64(1)
	for b.Loop() {
		b.StopTimer()
		for range 50 {
			if _, err := g.AddCustomerReply(next, "Any update on this?"); err != nil {
				b.Fatal(err)
			}
			next = next%2_000 + 1
		}
		b.StartTimer()
		res, err := sy.Sync(ctx, p)
		if err != nil || res.TicketsChanged != 50 {
			b.Fatalf("%+v %v", res, err)
		}
		b.ReportMetric(float64(res.Requests), "requests")
	}
}
