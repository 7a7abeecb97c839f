package service

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"servicedesk/internal/mailbox"
	"servicedesk/internal/neterr"
	"servicedesk/internal/neterr/neterrtest"
	"servicedesk/internal/sandbox"
	"servicedesk/internal/secrets"
)

const patience = 10 * time.Second

var fastWatch = mailbox.WatchTimings{Debounce: 20 * time.Millisecond, MinBackoff: 10 * time.Millisecond, MaxBackoff: time.Hour}

// watchRun is WatchMailboxes running for a test, with what it reported.
type watchRun struct {
	changes atomic.Int64
	mu      sync.Mutex
	states  []MailboxWatch
	stop    func()
}

func watchMailboxes(t *testing.T, svc *Service, onChange func()) *watchRun {
	t.Helper()
	r := &watchRun{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		svc.WatchMailboxes(ctx, WatchOptions{Rescan: 20 * time.Millisecond, Timings: fastWatch,
			OnChange: func() {
				r.changes.Add(1)
				if onChange != nil {
					onChange()
				}
			},
			OnState: func(w MailboxWatch) {
				r.mu.Lock()
				r.states = append(r.states, w)
				r.mu.Unlock()
			}})
	}()
	var once sync.Once
	r.stop = func() {
		once.Do(func() {
			cancel()
			select {
			case <-done:
			case <-time.After(patience):
				t.Errorf("WatchMailboxes did not return within %v of the cancel", patience)
			}
		})
	}
	t.Cleanup(r.stop)
	return r
}

// waitState waits for a report from the from-th on that matches, and
// returns its index.
func (r *watchRun) waitState(t *testing.T, from int, what string, match func(MailboxWatch) bool) int {
	t.Helper()
	var found int
	eventually(t, what, func() bool {
		r.mu.Lock()
		defer r.mu.Unlock()
		for i := from; i < len(r.states); i++ {
			if match(r.states[i]) {
				found = i
				return true
			}
		}
		return false
	})
	return found
}

func (r *watchRun) reported() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.states)
}

func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(patience)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited %v for %s", patience, what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// A customer writes while the app runs: the mailbox's watcher says so, the
// sync it asks for stores the mail, linked to the customer's new ticket.
func TestWatchedMailboxAsksForTheSyncThatStoresNewMail(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	f.connectAll(t)
	if _, err := f.svc.Sync(ctx, SyncOptions{}); err != nil {
		t.Fatal(err)
	}
	kick := make(chan struct{}, 1)
	r := watchMailboxes(t, f.svc, func() {
		select {
		case kick <- struct{}{}:
		default:
		}
	})
	r.waitState(t, 0, "the mailbox connected", func(w MailboxWatch) bool { return w.Connected })

	issue := f.sb.World().AddCustomerTicket(sandbox.Customer{}, "Watch test: the printer is on fire", "")
	deadline := time.After(patience)
	for {
		select {
		case <-kick:
		case <-deadline:
			t.Fatalf("no sync asked for within %v of the customer's mail", patience)
		}
		if _, err := f.svc.Sync(ctx, SyncOptions{}); err != nil {
			t.Fatal(err)
		}
		msgs, err := f.svc.Messages(ctx, false)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range msgs {
			if m.Subject == issue.Title {
				if m.Ticket == nil || *m.Ticket != issue.IID {
					t.Fatalf("the new mail is linked to %v, want #%d", m.Ticket, issue.IID)
				}
				return
			}
		}
		t.Logf("sync after a change did not find %q yet; waiting for the next", issue.Title)
	}
}

// Mailboxes given a new password, added or removed while the app runs
// are watched again, watched, or left alone, without a restart.
func TestWatchFollowsTheAccounts(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	proxy := neterrtest.NewProxy(t, f.info.IMAPAddr)
	form := f.mailboxForm(t, f.info.IMAPPassword)
	form.Host, form.Port = hostPort(t, proxy.Addr())
	a, err := f.svc.SaveMailbox(ctx, form)
	if err != nil {
		t.Fatal(err)
	}
	// The password stopped working (changed on the server, say): the
	// watcher is refused and waits; the agent enters the new one.
	if err := f.keys.Set(a.ID, secrets.IMAPPassword, "no-longer-"+f.info.IMAPPassword); err != nil {
		t.Fatal(err)
	}
	r := watchMailboxes(t, f.svc, nil)
	refused := r.waitState(t, 0, "the refused password reported", func(w MailboxWatch) bool {
		var p *neterr.Problem
		return w.AccountID == a.ID && errors.As(w.Err, &p) && p.Kind == neterr.Auth
	})
	if err := f.keys.Set(a.ID, secrets.IMAPPassword, f.info.IMAPPassword); err != nil {
		t.Fatal(err)
	}
	r.waitState(t, refused, "the new password used", func(w MailboxWatch) bool { return w.AccountID == a.ID && w.Connected })
	eventually(t, "a sync asked for with the new password", func() bool { return r.changes.Load() >= 1 })

	// Added: watched, and synced at once.
	before := r.changes.Load()
	b, err := f.svc.SaveMailbox(ctx, f.mailboxForm(t, f.info.IMAPPassword))
	if err != nil {
		t.Fatal(err)
	}
	r.waitState(t, 0, "the added mailbox watched", func(w MailboxWatch) bool { return w.AccountID == b.ID && w.Connected })
	eventually(t, "a sync asked for the added mailbox", func() bool { return r.changes.Load() > before })

	// Removed: its connection is closed and nothing reconnects it.
	if err := f.svc.RemoveAccount(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	time.Sleep(10 * 20 * time.Millisecond) // ten rescans
	accepted, from := proxy.Accepted(), r.reported()
	proxy.CutAll()
	time.Sleep(10 * 20 * time.Millisecond)
	if n := proxy.Accepted(); n != accepted || r.reported() != from {
		t.Errorf("after removing the mailbox: %d connections (was %d), %d reports (was %d); want no watcher", n, accepted, r.reported(), from)
	}
}

// A mailbox whose password the keychain lacks is reported once, and
// watched as soon as the password is there.
func TestWatchWaitsForAMissingPassword(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	a, err := f.svc.SaveMailbox(ctx, f.mailboxForm(t, f.info.IMAPPassword))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.keys.Delete(a.ID, secrets.IMAPPassword); err != nil {
		t.Fatal(err)
	}
	r := watchMailboxes(t, f.svc, nil)
	r.waitState(t, 0, "the missing password reported", func(w MailboxWatch) bool { return w.Err != nil })
	time.Sleep(10 * 20 * time.Millisecond) // ten rescans
	r.mu.Lock()
	states := append([]MailboxWatch(nil), r.states...)
	r.mu.Unlock()
	if len(states) != 1 || states[0].Mailbox != a.Name {
		t.Errorf("reports %+v, want one, for %s", states, a.Name)
	} else if want := fmt.Sprintf("the keychain has no password for the mailbox %s", a.Name); !strings.Contains(states[0].Err.Error(), want) {
		t.Errorf("report %q, want it to say %q", states[0].Err, want)
	}
	if err := f.keys.Set(a.ID, secrets.IMAPPassword, f.info.IMAPPassword); err != nil {
		t.Fatal(err)
	}
	r.waitState(t, 1, "the mailbox watched", func(w MailboxWatch) bool { return w.Connected })
}
