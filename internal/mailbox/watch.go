package mailbox

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"servicedesk/internal/neterr"
)

// The defaults of WatchTimings' zero fields.
const (
	DefaultDebounce    = 300 * time.Millisecond
	DefaultIdleRestart = 25 * time.Minute // RFC 2177: servers may drop an IDLE after 30 minutes
	DefaultPollEvery   = time.Minute
	DefaultMinBackoff  = time.Second
	DefaultMaxBackoff  = 5 * time.Minute
)

// stableAfter is how long a connection must have lasted for the next
// reconnect to start again at MinBackoff: a server that drops every
// connection at once is retried ever more slowly, not every second.
const stableAfter = time.Minute

// WatchTimings tune a Watcher; zero fields take the defaults above.
type WatchTimings struct {
	// Debounce gathers the server's updates: several within this window
	// make one OnChange.
	Debounce time.Duration
	// IdleRestart is how often IDLE is ended and issued again, before the
	// server's 30-minute inactivity limit.
	IdleRestart time.Duration
	// PollEvery is how often a NOOP asks a server without IDLE for news.
	PollEvery time.Duration
	// MinBackoff and MaxBackoff bound the wait before a reconnect: it starts
	// at MinBackoff, doubles on every failure up to MaxBackoff, and is
	// jittered into its upper half. A refused password waits MaxBackoff.
	MinBackoff, MaxBackoff time.Duration
}

// Watcher keeps one connection to a mailbox open and says when a folder
// changed: new mail, expunged mail or changed flags. It IDLEs (RFC 2177) on
// the folder, opened read-only, or polls with NOOP when the server has no
// IDLE; it reconnects when the connection drops. What to do about a change
// (a sync) is the caller's business.
type Watcher struct {
	Config Config
	Folder string // "" means INBOX
	// OnChange is called, from a goroutine of the watcher's own, when the
	// folder changed and after a reconnect (mail may have arrived while
	// the connection was down). Several updates within Debounce make one call.
	OnChange func()
	// OnState, when set, hears every change of the connection's state, from
	// Run's goroutine (and a panic of OnChange, from OnChange's).
	OnState func(WatchState)
	WatchTimings
}

// WatchState is what a Watcher reports: connected, or waiting to reconnect
// and why.
type WatchState struct {
	Connected bool // signed in with the folder open, waiting for news
	Polling   bool // connected to a server without IDLE: NOOP every PollEvery
	// Err says, when not connected, why the connection ended or the last
	// attempt failed: a *neterr.Problem when connecting failed (its sentence
	// is for the agent), a wrapped error when an open connection dropped.
	Err      error
	RetryIn  time.Duration // when not connected: the wait before the next attempt
	Failures int           // when not connected: failures in a row, a dropped connection the first
}

// Run watches until ctx ends and returns ctx's error. Every goroutine it
// starts has ended when it returns.
func (w *Watcher) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	defer wg.Wait()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	pokes := make(chan struct{}, 1)
	wg.Add(1)
	go func() {
		defer wg.Done()
		w.debounce(ctx, pokes)
	}()
	poke := func() {
		select {
		case pokes <- struct{}{}:
		default: // a poke is already waiting
		}
	}

	var delay time.Duration // the backoff before jitter; 0: none yet
	failures := 0
	for attempt := 0; ; attempt++ {
		var since time.Time
		err := w.session(ctx, poke, func(polling bool) {
			since, failures = time.Now(), 0
			if attempt > 0 {
				poke() // mail may have arrived while the connection was down
			}
			w.report(WatchState{Connected: true, Polling: polling})
		})
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if !since.IsZero() && time.Since(since) >= stableAfter {
			delay = 0
		}
		failures++
		wait := w.backoff(&delay, err)
		w.report(WatchState{Err: err, RetryIn: wait, Failures: failures})
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// backoff returns the wait before the next attempt after err, and moves
// delay on.
func (w *Watcher) backoff(delay *time.Duration, err error) time.Duration {
	lo, hi := orDefault(w.MinBackoff, DefaultMinBackoff), orDefault(w.MaxBackoff, DefaultMaxBackoff)
	var p *neterr.Problem
	if errors.As(err, &p) && (p.Kind == neterr.Auth || p.Kind == neterr.Insecure) {
		*delay = hi // retrying sooner changes nothing and may lock the account
		return hi
	}
	if *delay == 0 {
		*delay = lo
	} else {
		*delay = min(2**delay, hi)
	}
	d := *delay
	return d - rand.N(d/2+1)
}

// session connects, opens the folder and watches it until the connection
// ends or ctx does. connected is called once news can come: when the server
// has acknowledged IDLE, or the folder is open for polling. (A change
// before IDLE may be told only with the next one, as go-imap's memory
// server does: a sync asked for after connected misses nothing.)
func (w *Watcher) session(ctx context.Context, poke func(), connected func(polling bool)) error {
	cfg := w.Config
	cfg.unilateral = &imapclient.UnilateralDataHandler{
		Mailbox: func(d *imapclient.UnilateralDataMailbox) {
			if d.NumMessages != nil { // EXISTS: new mail
				poke()
			}
		},
		Expunge: func(uint32) { poke() },
		Fetch: func(m *imapclient.FetchMessageData) { // FLAGS of a message changed
			_, _ = m.Collect() // the client waits until the data is read
			poke()
		},
	}
	c, err := Dial(ctx, cfg)
	if err != nil {
		return err
	}
	stop := context.AfterFunc(ctx, func() { _ = c.Close() })
	defer stop()
	defer c.Close()

	folder := w.folder()
	err = w.within(c, func() error {
		_, err := c.Select(folder, &imap.SelectOptions{ReadOnly: true}).Wait()
		return err
	})
	if err != nil {
		return fail(ctx, cfg, "opening "+folder, err)
	}
	var caps imap.CapSet // when no answer comes, c is closed and the watch below ends at once
	_ = w.within(c, func() error { caps = c.Caps(); return nil })
	if caps.Has(imap.CapIdle) || caps.Has(imap.CapIMAP4rev2) {
		idling := false
		err = w.idle(ctx, c, func() { idling = true; connected(false) })
		var refused *imap.Error
		if idling || !errors.As(err, &refused) || ctx.Err() != nil {
			return w.dropped(err)
		} // offered, yet refused: ask instead
	}
	connected(true)
	return w.dropped(w.poll(ctx, c))
}

// idle runs IDLE until the connection ends, issuing it again every
// IdleRestart; started is called when the server first acknowledges it.
func (w *Watcher) idle(ctx context.Context, c *imapclient.Client, started func()) error {
	every := orDefault(w.IdleRestart, DefaultIdleRestart)
	for first := true; ; first = false {
		var cmd *imapclient.IdleCommand
		if err := w.within(c, func() (err error) { cmd, err = c.Idle(); return err }); err != nil {
			return fmt.Errorf("start IDLE: %w", err)
		}
		if first {
			started()
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }() // returns once the connection ends, or after Close
		t := time.NewTimer(every)
		select {
		case err := <-done:
			t.Stop()
			return err
		case <-ctx.Done():
			t.Stop()
			_ = c.Close()
			<-done
			return ctx.Err()
		case <-t.C:
		}
		err := w.within(c, func() error {
			if err := cmd.Close(); err != nil {
				return err
			}
			return <-done
		})
		if err != nil {
			return fmt.Errorf("end IDLE: %w", err)
		}
	}
}

// poll sends a NOOP every PollEvery; the server answers with what changed.
func (w *Watcher) poll(ctx context.Context, c *imapclient.Client) error {
	t := time.NewTicker(orDefault(w.PollEvery, DefaultPollEvery))
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-c.Closed():
			return nil // dropped's "closed" error
		case <-t.C:
		}
		if err := w.within(c, c.Noop().Wait); err != nil {
			return fmt.Errorf("NOOP: %w", err)
		}
	}
}

// within runs wait and closes c when no answer comes within the config's
// timeout: a peer gone silent would block wait for good.
func (w *Watcher) within(c *imapclient.Client, wait func() error) error {
	d := w.Config.timeout()
	t := time.AfterFunc(d, func() { _ = c.Close() })
	err := wait()
	if !t.Stop() && err != nil {
		return fmt.Errorf("no answer in %v: %w", d, err)
	}
	return err
}

// dropped wraps the end of an open connection for the log (it is not a
// connection problem the agent has to act on).
func (w *Watcher) dropped(err error) error {
	if err == nil {
		err = io.ErrUnexpectedEOF
	}
	return fmt.Errorf("the connection to the IMAP server at %s ended while watching %s: %w", w.Config.addr(), w.folder(), err)
}

// debounce calls OnChange at most once per Debounce, after the first poke
// of a window; pokes during the window are covered by that call.
func (w *Watcher) debounce(ctx context.Context, pokes <-chan struct{}) {
	window := orDefault(w.Debounce, DefaultDebounce)
	for {
		select {
		case <-ctx.Done():
			return
		case <-pokes:
		}
		t := time.NewTimer(window)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		select {
		case <-pokes:
		default:
		}
		w.changed()
	}
}

// changed calls OnChange; a panic in it is reported, and watching goes on.
func (w *Watcher) changed() {
	defer func() {
		if r := recover(); r != nil {
			w.report(WatchState{Err: fmt.Errorf("mailbox watch: OnChange panicked: %v\n%s", r, debug.Stack())})
		}
	}()
	if w.OnChange != nil {
		w.OnChange()
	}
}

func (w *Watcher) report(s WatchState) {
	if w.OnState != nil {
		w.OnState(s)
	}
}

func (w *Watcher) folder() string {
	if strings.TrimSpace(w.Folder) == "" {
		return "INBOX"
	}
	return w.Folder
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}
