package service

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"

	"servicedesk/internal/mailbox"
	"servicedesk/internal/model"
	"servicedesk/internal/neterr"
)

// DefaultRescan is how often WatchMailboxes reads the accounts again when
// WatchOptions.Rescan is 0.
const DefaultRescan = 30 * time.Second

// WatchOptions tune WatchMailboxes.
type WatchOptions struct {
	// OnChange is called when a watched mailbox changed, came back after
	// the connection dropped, or was added or edited: the caller syncs.
	// Calls may come from several goroutines at once.
	OnChange func()
	// OnState, when set, hears every watcher's state changes, for the log.
	// Calls may come from several goroutines at once.
	OnState func(MailboxWatch)
	// Rescan is how often the accounts are read again, to watch new and
	// edited mailboxes and stop watching removed ones; 0 means DefaultRescan.
	Rescan time.Duration
	// Timings tune the watchers (tests shorten them); zero fields take
	// mailbox's defaults.
	Timings mailbox.WatchTimings
}

// MailboxWatch is the state of the watcher of one mailbox account.
type MailboxWatch struct {
	AccountID int64
	Mailbox   string // the account's name
	Folder    string // the folder watched
	mailbox.WatchState
}

// WatchMailboxes keeps one connection to every IMAP account open and calls
// OnChange when one of them has news, until ctx ends; it returns when every
// watcher has stopped. A mailbox's first folder is watched (INBOX when the
// account names it or none); the others are synced with it.
func (s *Service) WatchMailboxes(ctx context.Context, opt WatchOptions) {
	w := &watchers{svc: s, opt: opt, running: map[int64]*watcher{}}
	defer w.stopAll()
	t := time.NewTicker(orDefault(opt.Rescan, DefaultRescan))
	defer t.Stop()
	for first := true; ; first = false {
		w.rescan(ctx, !first)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// watchers are the running watchers of WatchMailboxes, by account id.
type watchers struct {
	svc     *Service
	opt     WatchOptions
	running map[int64]*watcher
	wg      sync.WaitGroup
}

// watcher is one account's watcher: what it was started with, and how to
// stop it. A watcher whose password could not be read has no goroutine.
type watcher struct {
	key      watchKey
	password string
	problem  string // why it could not start; "" once started
	cancel   context.CancelFunc

	mu   sync.Mutex
	auth bool // the server refused the password on the last attempt
}

// watchKey is what of an account the connection depends on, but the
// password.
type watchKey struct {
	host     string
	port     int
	security string
	login    string
	folder   string
}

func keyOf(a model.Account) watchKey {
	return watchKey{host: a.Host, port: a.Port, security: a.Security, login: a.Login, folder: watchedFolder(a)}
}

// watchedFolder is INBOX, unless the account names folders without it.
func watchedFolder(a model.Account) string {
	if len(a.Folders) == 0 || slices.ContainsFunc(a.Folders, func(f string) bool { return strings.EqualFold(f, "INBOX") }) {
		return "INBOX"
	}
	return a.Folders[0]
}

// rescan starts a watcher for every mailbox account without one, restarts
// those whose settings changed (or whose refused password was replaced),
// and stops those of removed accounts. With announce, a started watcher
// also calls OnChange: a new or edited mailbox is synced at once.
func (w *watchers) rescan(ctx context.Context, announce bool) {
	accounts, err := w.svc.store.Accounts(ctx)
	if err != nil {
		return // the store is closing, or busy: the next rescan tries again
	}
	seen := map[int64]bool{}
	for _, a := range accounts {
		if a.Kind != model.AccountIMAP {
			continue
		}
		seen[a.ID] = true
		old := w.running[a.ID]
		key := keyOf(a)
		if old != nil && old.key == key && old.problem == "" && !old.refused() {
			continue
		}
		cfg, err := w.svc.savedMailbox(a)
		if err != nil {
			if old == nil || old.problem != err.Error() { // say it once, not every rescan
				w.report(a, key.folder, mailbox.WatchState{Err: err})
			}
			w.stop(a.ID)
			w.running[a.ID] = &watcher{key: key, problem: err.Error()}
			continue
		}
		if old != nil && old.key == key && old.problem == "" && old.password == cfg.Password {
			continue // still refused with the same password: it retries on its own, slowly
		}
		w.stop(a.ID)
		w.start(ctx, a, cfg)
		if announce && w.opt.OnChange != nil {
			w.opt.OnChange()
		}
	}
	for id := range w.running {
		if !seen[id] {
			w.stop(id)
		}
	}
}

func (w *watchers) start(ctx context.Context, a model.Account, cfg mailbox.Config) {
	ctx, cancel := context.WithCancel(ctx)
	wr := &watcher{key: keyOf(a), password: cfg.Password, cancel: cancel}
	w.running[a.ID] = wr
	mw := mailbox.Watcher{Config: cfg, Folder: wr.key.folder, OnChange: w.opt.OnChange, WatchTimings: w.opt.Timings,
		OnState: func(st mailbox.WatchState) {
			var p *neterr.Problem
			wr.mu.Lock()
			wr.auth = errors.As(st.Err, &p) && p.Kind == neterr.Auth
			wr.mu.Unlock()
			w.report(a, wr.key.folder, st)
		}}
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		defer func() {
			if r := recover(); r != nil {
				w.report(a, wr.key.folder, mailbox.WatchState{Err: fmt.Errorf("the watcher of %s panicked: %v\n%s", a.Name, r, debug.Stack())})
			}
		}()
		_ = mw.Run(ctx) // it returns when ctx ends
	}()
}

func (w *watchers) stop(id int64) {
	if wr := w.running[id]; wr != nil && wr.cancel != nil {
		wr.cancel()
	}
	delete(w.running, id)
}

func (w *watchers) stopAll() {
	for id := range w.running {
		w.stop(id)
	}
	w.wg.Wait()
}

func (w *watchers) report(a model.Account, folder string, st mailbox.WatchState) {
	if w.opt.OnState != nil {
		w.opt.OnState(MailboxWatch{AccountID: a.ID, Mailbox: a.Name, Folder: folder, WatchState: st})
	}
}

func (wr *watcher) refused() bool {
	wr.mu.Lock()
	defer wr.mu.Unlock()
	return wr.auth
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}
