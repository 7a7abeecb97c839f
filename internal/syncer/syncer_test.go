package syncer

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"servicedesk/internal/gitlab"
	"servicedesk/internal/model"
)

type recorder struct {
	mu     sync.Mutex
	states []State
	pages  []model.SyncResult
}

func (r *recorder) StateChanged(s State) { r.mu.Lock(); r.states = append(r.states, s); r.mu.Unlock() }
func (r *recorder) Synced(p model.SyncResult) {
	r.mu.Lock()
	r.pages = append(r.pages, p)
	r.mu.Unlock()
}

func (r *recorder) last() (State, int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.states) == 0 {
		return State{}, 0
	}
	return r.states[len(r.states)-1], len(r.pages)
}

var _ Listener = (*recorder)(nil)

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met before the deadline")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestSyncerReportsPagesStateAndOnlineness(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	fail := error(nil)
	calls := 0
	fn := func(ctx context.Context, onPage func(model.SyncResult)) ([]model.SyncResult, error) {
		mu.Lock()
		defer mu.Unlock()
		calls++
		if fail != nil {
			return nil, fail
		}
		r := model.SyncResult{Project: "acme/support", ProjectID: 1, TicketsChanged: 3}
		onPage(r)
		return []model.SyncResult{r}, nil
	}
	rec := &recorder{}
	s := New(fn, time.Hour, rec, slog.New(slog.NewTextHandler(io.Discard, nil)))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go s.Run(ctx)

	// The first sync runs at once: a page is reported and the state ends
	// online, not syncing, with a sync time.
	waitFor(t, func() bool { st, pages := rec.last(); return pages == 1 && !st.Syncing && !st.LastSyncAt.IsZero() })
	if st := s.State(); !st.Online || st.LastError != "" {
		t.Fatalf("after a good sync: %+v", st)
	}

	// A network failure turns the state offline with a sentence.
	mu.Lock()
	fail = fmt.Errorf("cannot reach GitLab: %w", gitlab.ErrUnreachable)
	mu.Unlock()
	s.Trigger()
	waitFor(t, func() bool { st, _ := rec.last(); return !st.Syncing && !st.Online })
	if st := s.State(); st.LastError == "" {
		t.Fatal("offline without a reason")
	}

	// Another failure (a refused token) is an error while online.
	mu.Lock()
	fail = fmt.Errorf("refused the token: %w", gitlab.ErrUnauthorized)
	mu.Unlock()
	s.Trigger()
	waitFor(t, func() bool { st, _ := rec.last(); return !st.Syncing && st.Online && st.LastError != "" })

	mu.Lock()
	fail = nil
	mu.Unlock()
	s.Trigger()
	waitFor(t, func() bool { st, pages := rec.last(); return pages == 2 && st.LastError == "" && !st.Syncing })
}

// Without an account a sync neither fails nor claims a sync time.
func TestSyncerWithoutAccountClaimsNothing(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	s := New(func(context.Context, func(model.SyncResult)) ([]model.SyncResult, error) {
		return nil, model.ErrNoAccount
	}, time.Hour, rec, slog.New(slog.NewTextHandler(io.Discard, nil)))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go s.Run(ctx)
	waitFor(t, func() bool {
		st, _ := rec.last()
		rec.mu.Lock()
		n := len(rec.states)
		rec.mu.Unlock()
		return n >= 2 && !st.Syncing
	})
	if st := s.State(); !st.LastSyncAt.IsZero() || st.LastError != "" || !st.Online {
		t.Fatalf("state without an account: %+v", st)
	}
}
