package app

import (
	"context"
	"log/slog"
	"runtime/debug"
	"slices"
	"sync"
	"time"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"servicedesk/internal/model"
	"servicedesk/internal/syncer"
)

// batchDelay is how long changes gather before one event goes to the page.
const batchDelay = 100 * time.Millisecond

// emitter is the only caller of runtime.EventsEmit. The syncer reports to it;
// one goroutine batches the reports on a short timer and emits typed events
// after the commits that made them.
type emitter struct {
	log     *slog.Logger
	mu      sync.Mutex
	latest  *syncer.State // the newest state not yet emitted
	kick    chan struct{} // a new state is waiting (capacity 1)
	changes chan model.SyncResult
	ops     chan model.OutboxOp
	status  func(syncer.State) StatusDTO
	online  func() // called when the syncer finds the network back
	added   func() // called after a sync that added tickets
	wasOff  bool
}

func newEmitter(log *slog.Logger, status func(syncer.State) StatusDTO) *emitter {
	return &emitter{log: log, status: status, kick: make(chan struct{}, 1), changes: make(chan model.SyncResult, 64),
		ops: make(chan model.OutboxOp, 256)}
}

// StateChanged implements syncer.Listener. Only the newest state matters:
// it replaces one not emitted yet, and is never dropped.
func (e *emitter) StateChanged(s syncer.State) {
	e.mu.Lock()
	e.latest = &s
	back := e.wasOff && s.Online
	e.wasOff = !s.Online
	e.mu.Unlock()
	if back && e.online != nil {
		go e.online() // never from under the syncer's feet
	}
	select {
	case e.kick <- struct{}{}:
	default: // a kick is already waiting
	}
}

// ticketsChanged tells the page to reload everything (an account was
// removed, or the window switched profiles).
func (e *emitter) ticketsChanged() { e.changes <- model.SyncResult{} }

// outboxChanged reports an op that moved; a finished one changed its
// ticket too (the outbox read it back).
func (e *emitter) outboxChanged(op model.OutboxOp) { e.ops <- op }

// Synced implements syncer.Listener.
func (e *emitter) Synced(r model.SyncResult) {
	e.changes <- r
	if r.Added > 0 && e.added != nil {
		go e.added()
	}
}

func (e *emitter) start(ctx context.Context) {
	go func() {
		defer func() {
			if r := recover(); r != nil {
				e.log.Error("event pump panicked", "panic", r, "stack", string(debug.Stack()))
			}
		}()
		e.pump(ctx)
	}()
}

func (e *emitter) pump(ctx context.Context) {
	var (
		timer   <-chan time.Time
		state   *syncer.State
		changed = TicketsChangedDTO{ProjectIDs: []int64{}}
		dirty   bool
		ops     []OutboxOpDTO // in the order they moved, one per op
	)
	for {
		select {
		case <-ctx.Done():
			return
		case <-e.kick:
			e.mu.Lock()
			if e.latest != nil {
				state, e.latest = e.latest, nil
			}
			e.mu.Unlock()
		case r := <-e.changes:
			changed.Count += r.TicketsChanged
			if r.ProjectID != 0 && !slices.Contains(changed.ProjectIDs, r.ProjectID) {
				changed.ProjectIDs = append(changed.ProjectIDs, r.ProjectID)
			}
			dirty = true
		case op := <-e.ops:
			ops = slices.DeleteFunc(ops, func(o OutboxOpDTO) bool { return o.ID == op.ID })
			ops = append(ops, opDTO(op))
			if op.State == model.OpDone {
				if !slices.Contains(changed.ProjectIDs, op.ProjectID) {
					changed.ProjectIDs = append(changed.ProjectIDs, op.ProjectID)
				}
				changed.Count++
				dirty = true
			}
		case <-timer:
			if len(ops) > 0 {
				runtime.EventsEmit(ctx, EventOutboxChanged, ops)
				ops = nil
			}
			if dirty {
				runtime.EventsEmit(ctx, EventTicketsChanged, changed)
				changed, dirty = TicketsChangedDTO{ProjectIDs: []int64{}}, false
			}
			if state != nil {
				runtime.EventsEmit(ctx, EventSyncState, e.status(*state))
				state = nil
			}
			timer = nil
			continue
		}
		if timer == nil {
			timer = time.After(batchDelay)
		}
	}
}
