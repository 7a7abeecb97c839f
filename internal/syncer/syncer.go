// Package syncer decides when to sync: on start, on a timer and on demand.
// It keeps the online/offline state, derived from the results of real
// requests, and reports state changes and landed changes to one listener.
// What a sync does is the service's business.
package syncer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"servicedesk/internal/gitlab"
	"servicedesk/internal/model"
)

// State is what the status bar shows.
type State struct {
	Syncing     bool
	Online      bool
	LastSyncAt  time.Time
	LastError   string
	ErrorKind   string // auth, forbidden, offline, not-found, other; "" without an error
	Progress    int    // tickets stored so far by the running sync
	LastSummary string // what the last finished sync changed, e.g. "3 new, 12 updated"; "" for nothing
}

// Listener receives state changes and every stored batch of changes. Calls
// come from the syncer's goroutine.
type Listener interface {
	StateChanged(State)
	Synced(model.SyncResult)
}

// SyncFunc runs one sync of every project, reporting each stored batch of
// changes to onPage as it lands.
type SyncFunc func(ctx context.Context, onPage func(model.SyncResult)) ([]model.SyncResult, error)

// Syncer runs SyncFunc on a schedule.
type Syncer struct {
	sync     SyncFunc
	interval time.Duration
	listen   Listener
	log      *slog.Logger
	kick     chan struct{}

	mu    sync.Mutex
	state State
}

// New returns a syncer that syncs every interval and on Trigger.
func New(fn SyncFunc, interval time.Duration, l Listener, log *slog.Logger) *Syncer {
	return &Syncer{sync: fn, interval: interval, listen: l, log: log, kick: make(chan struct{}, 1),
		state: State{Online: true}}
}

// State returns the current state.
func (s *Syncer) State() State {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state
}

// Trigger asks for a sync as soon as possible; it never blocks.
func (s *Syncer) Trigger() {
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

// Run syncs at once, then on the timer and on Trigger, until ctx ends.
func (s *Syncer) Run(ctx context.Context) {
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("syncer panicked", "panic", r, "stack", string(debug.Stack()))
		}
	}()
	t := time.NewTicker(s.interval)
	defer t.Stop()
	for {
		s.once(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-s.kick:
		}
	}
}

func (s *Syncer) once(ctx context.Context) {
	s.update(func(st *State) { st.Syncing, st.Progress = true, 0 })
	res, err := s.sync(ctx, func(page model.SyncResult) {
		s.listen.Synced(page)
		s.update(func(st *State) { st.Progress += page.TicketsChanged })
	})
	if ctx.Err() != nil {
		return
	}
	changed := 0
	for _, r := range res {
		changed += r.TicketsChanged
	}
	if errors.Is(err, model.ErrNoAccount) {
		s.update(func(st *State) { st.Syncing = false }) // nothing synced, nothing failed
		return
	}
	s.log.Info("sync finished", "tickets_changed", changed, "ok", err == nil)
	s.update(func(st *State) {
		st.Syncing, st.Progress = false, 0
		st.Online = err == nil || !errors.Is(err, gitlab.ErrUnreachable)
		if sum := summary(res); sum != "" || err == nil {
			st.LastSummary = sum
		}
		if err != nil {
			st.LastError, st.ErrorKind = err.Error(), errorKind(err)
			s.log.Warn("sync failed", "err", err)
			return
		}
		st.LastError, st.ErrorKind = "", ""
		st.LastSyncAt = time.Now().UTC()
	})
}

// summary says what a sync changed, for the status bar.
func summary(res []model.SyncResult) string {
	var added, updated, gone, mail int
	for _, r := range res {
		added, updated, gone, mail = added+r.Added, updated+r.Updated, gone+r.Gone, mail+r.MessagesNew
	}
	var parts []string
	for _, p := range []struct {
		n    int
		what string
	}{{added, "new"}, {updated, "updated"}, {gone, "gone"}, {mail, "new mail"}} {
		if p.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", p.n, p.what))
		}
	}
	return strings.Join(parts, ", ")
}

// errorKind sorts a sync error by what the agent can do about it.
func errorKind(err error) string {
	switch {
	case errors.Is(err, gitlab.ErrUnauthorized):
		return "auth"
	case errors.Is(err, gitlab.ErrForbidden), errors.Is(err, gitlab.ErrScope):
		return "forbidden"
	case errors.Is(err, gitlab.ErrUnreachable):
		return "offline"
	case errors.Is(err, gitlab.ErrProjectNotFound):
		return "not-found"
	}
	return "other"
}

func (s *Syncer) update(fn func(*State)) {
	s.mu.Lock()
	fn(&s.state)
	st := s.state
	s.mu.Unlock()
	s.listen.StateChanged(st)
}
