package mailbox_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"

	"servicedesk/internal/mailbox"
	"servicedesk/internal/neterr"
	"servicedesk/internal/neterr/neterrtest"
	"servicedesk/internal/sandbox"
)

// patience bounds every wait for an event; tests never assert how soon
// something happens, only that it does.
const patience = 10 * time.Second

// fast are timings short enough for tests.
var fast = mailbox.WatchTimings{Debounce: 20 * time.Millisecond, MinBackoff: 10 * time.Millisecond,
	MaxBackoff: 200 * time.Millisecond, PollEvery: 20 * time.Millisecond}

// watching is a Watcher running for a test, with what it reported.
type watching struct {
	t       *testing.T
	changes atomic.Int64
	cancel  context.CancelFunc
	done    chan error

	mu     sync.Mutex
	states []mailbox.WatchState
}

// watch runs w until the test ends (or stop), recording its reports.
func watch(t *testing.T, w mailbox.Watcher) *watching {
	t.Helper()
	wt := &watching{t: t, done: make(chan error, 1)}
	w.OnChange = func() { wt.changes.Add(1) }
	w.OnState = func(s mailbox.WatchState) {
		wt.mu.Lock()
		wt.states = append(wt.states, s)
		wt.mu.Unlock()
	}
	ctx, cancel := context.WithCancel(context.Background())
	wt.cancel = cancel
	go func() { wt.done <- w.Run(ctx) }()
	t.Cleanup(func() {
		if err := wt.stop(); err != nil {
			t.Error(err)
		}
	})
	return wt
}

// stop cancels the watcher and waits for Run to return.
func (wt *watching) stop() error {
	wt.cancel()
	select {
	case err, ok := <-wt.done:
		if ok && !errors.Is(err, context.Canceled) {
			return fmt.Errorf("Run returned %v, want context.Canceled", err)
		}
		if ok {
			close(wt.done) // a second stop returns at once
		}
		return nil
	case <-time.After(patience):
		return fmt.Errorf("Run did not return within %v of the cancel", patience)
	}
}

// reported returns the states reported so far.
func (wt *watching) reported() []mailbox.WatchState {
	wt.mu.Lock()
	defer wt.mu.Unlock()
	return append([]mailbox.WatchState(nil), wt.states...)
}

// waitState waits for a state from the from-th report on that matches, and
// returns its index.
func (wt *watching) waitState(from int, what string, match func(mailbox.WatchState) bool) int {
	wt.t.Helper()
	i := from
	eventually(wt.t, what, func() bool {
		states := wt.reported()
		for ; i < len(states); i++ {
			if match(states[i]) {
				return true
			}
		}
		return false
	})
	return i
}

// connected waits for the watcher to be connected (from the from-th report).
func (wt *watching) connected(from int) int {
	wt.t.Helper()
	return wt.waitState(from, "connected", func(s mailbox.WatchState) bool { return s.Connected })
}

// waitChanges waits for at least n calls of OnChange in all.
func (wt *watching) waitChanges(n int64, after string) {
	wt.t.Helper()
	eventually(wt.t, fmt.Sprintf("OnChange call %d, after %s", n, after), func() bool { return wt.changes.Load() >= n })
}

// quietly asserts that OnChange was called exactly n times, after a few
// debounce windows in which an extra call would have come.
func (wt *watching) quietly(n int64, why string) {
	wt.t.Helper()
	time.Sleep(5 * fast.Debounce)
	if got := wt.changes.Load(); got != n {
		wt.t.Errorf("%s: OnChange called %d times, want %d", why, got, n)
	}
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

// via returns c pointed at addr ("host:port").
func via(t *testing.T, c mailbox.Config, addr string) mailbox.Config {
	t.Helper()
	c.Host, c.Port = splitAddr(t, addr)
	return c
}

func someMail(n int) []sandbox.Mail {
	return sandbox.NewWorld(sandbox.Options{Seed: 5, Tickets: 5}).Mails(sandbox.FolderInbox)[:n]
}

// watchScenario is what the agent relies on, against a real server: news in
// the folder (new mail, a flag change, an expunge) makes OnChange, and a
// dropped connection comes back by itself with one OnChange. admin reaches
// the server directly; the watcher goes through a proxy that drops
// connections. folder must hold no message yet.
func watchScenario(t *testing.T, admin mailbox.Config, folder string) {
	proxy := neterrtest.NewProxy(t, neterr.Addr(admin.Host, admin.Port))
	wt := watch(t, mailbox.Watcher{Config: via(t, admin, proxy.Addr()), Folder: folder, WatchTimings: fast})
	at := wt.connected(0)
	if s := wt.reported()[at]; s.Polling {
		t.Errorf("state %+v: polling, want IDLE (the server has it)", s)
	}

	c, err := mailbox.Dial(context.Background(), admin)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	appendMails(t, c, folder, someMail(2))
	wt.waitChanges(1, "new mail")

	if _, err := c.Select(folder, nil).Wait(); err != nil {
		t.Fatal(err)
	}
	before := wt.changes.Load()
	flags := &imap.StoreFlags{Op: imap.StoreFlagsAdd, Flags: []imap.Flag{imap.FlagFlagged}, Silent: true}
	if err := c.Store(imap.SeqSetNum(1), flags, nil).Close(); err != nil {
		t.Fatal(err)
	}
	wt.waitChanges(before+1, "a flag change")

	before = wt.changes.Load()
	flags.Flags = []imap.Flag{imap.FlagDeleted}
	if err := c.Store(imap.SeqSetNum(1), flags, nil).Close(); err != nil {
		t.Fatal(err)
	}
	wt.waitChanges(before+1, "marking a message deleted")
	time.Sleep(5 * fast.Debounce) // the flag change is told; the expunge is on its own
	before = wt.changes.Load()
	if err := c.Expunge().Close(); err != nil {
		t.Fatal(err)
	}
	wt.waitChanges(before+1, "an expunge")

	time.Sleep(5 * fast.Debounce) // settle, then count from here
	before = wt.changes.Load()
	seen := len(wt.reported())
	proxy.CutAll()
	down := wt.waitState(seen, "a report of the dropped connection", func(s mailbox.WatchState) bool { return !s.Connected && s.Err != nil })
	t.Logf("after the cut: %v (retry in %v)", wt.reported()[down].Err, wt.reported()[down].RetryIn)
	wt.connected(down)
	wt.waitChanges(before+1, "the reconnect")
	wt.quietly(before+1, "one reconnect")
	if proxy.Accepted() < 2 {
		t.Errorf("the proxy forwarded %d connections, want a second one after the cut", proxy.Accepted())
	}

	appendMails(t, c, folder, someMail(1)) // the new connection watches too
	wt.waitChanges(before+2, "new mail after the reconnect")
}

func TestWatchSandbox(t *testing.T) {
	t.Parallel()
	_, cfg := startSandbox(t)
	c, err := mailbox.Dial(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	folder := "WatchTest"
	if err := c.Create(folder, nil).Wait(); err != nil {
		t.Fatal(err)
	}
	watchScenario(t, cfg, folder)
}

// A failed first attempt (the connection cut during the greeting) is
// retried, and the connection that follows says "maybe news" once.
func TestWatchRetriesAFailedFirstAttempt(t *testing.T) {
	t.Parallel()
	_, cfg := startSandbox(t)
	proxy := neterrtest.NewProxy(t, neterr.Addr(cfg.Host, cfg.Port))
	proxy.CutAfter(5) // "* OK " and no more
	wt := watch(t, mailbox.Watcher{Config: via(t, cfg, proxy.Addr()), WatchTimings: fast})
	at := wt.connected(0)
	states := wt.reported()
	if at == 0 || states[0].Err == nil || states[0].Failures != 1 {
		t.Fatalf("states %+v, want a failure before the connection", states)
	}
	var p *neterr.Problem
	if !errors.As(states[0].Err, &p) {
		t.Errorf("first failure %v (%T), want a *neterr.Problem", states[0].Err, states[0].Err)
	}
	t.Logf("first failure: %v", states[0].Err)
	wt.waitChanges(1, "connecting after a failure")
	wt.quietly(1, "one connection")
}

// While the network is gone, attempts back off (growing, never past the
// maximum); when it is back, the watcher connects and says so once.
func TestWatchBacksOffWhileTheNetworkIsGone(t *testing.T) {
	t.Parallel()
	_, cfg := startSandbox(t)
	proxy := neterrtest.NewProxy(t, neterr.Addr(cfg.Host, cfg.Port))
	timings := fast
	timings.MinBackoff, timings.MaxBackoff = 5*time.Millisecond, 40*time.Millisecond
	wt := watch(t, mailbox.Watcher{Config: via(t, cfg, proxy.Addr()), WatchTimings: timings})
	wt.connected(0)

	proxy.Refuse(true)
	seen := len(wt.reported())
	proxy.CutAll()
	last := wt.waitState(seen, "six failed attempts", func(s mailbox.WatchState) bool { return s.Failures >= 6 })
	var longest time.Duration
	for _, s := range wt.reported()[seen : last+1] {
		if s.Connected {
			t.Fatalf("connected while the proxy refuses: %+v", s)
		}
		if s.RetryIn > timings.MaxBackoff || s.RetryIn < timings.MinBackoff/2 {
			t.Errorf("retry in %v, want within [%v, %v]", s.RetryIn, timings.MinBackoff/2, timings.MaxBackoff)
		}
		longest = max(longest, s.RetryIn)
	}
	if longest < timings.MaxBackoff/2 {
		t.Errorf("the longest wait was %v: the backoff did not grow towards %v", longest, timings.MaxBackoff)
	}
	if got := wt.changes.Load(); got != 0 {
		t.Errorf("OnChange called %d times while offline, want 0", got)
	}

	proxy.Refuse(false)
	wt.connected(last)
	wt.waitChanges(1, "the network came back")
	wt.quietly(1, "one reconnect")
}

// A refused password is not retried soon: the watcher reports it and waits
// the maximum.
func TestWatchWrongPasswordWaitsTheMaximum(t *testing.T) {
	t.Parallel()
	_, cfg := startSandbox(t)
	proxy := neterrtest.NewProxy(t, neterr.Addr(cfg.Host, cfg.Port))
	bad := via(t, cfg, proxy.Addr())
	bad.Password = "wrong-" + cfg.Password
	timings := fast
	timings.MinBackoff, timings.MaxBackoff = time.Millisecond, time.Hour
	wt := watch(t, mailbox.Watcher{Config: bad, WatchTimings: timings})
	i := wt.waitState(0, "a failure", func(s mailbox.WatchState) bool { return s.Err != nil })
	s := wt.reported()[i]
	neterrtest.WantProblem(t, s.Err, neterr.Auth, bad.Password, "refused the user name or password")
	if s.RetryIn != time.Hour || s.Failures != 1 {
		t.Errorf("retry in %v after %d failures, want 1h after 1", s.RetryIn, s.Failures)
	}
	time.Sleep(100 * time.Millisecond) // a spinning watcher would try dozens of times
	if n := proxy.Accepted(); n != 1 {
		t.Errorf("%d connections, want 1: a refused password must not be retried soon", n)
	}
}

// IDLE is ended and issued again every IdleRestart on the same connection,
// and the new one still hears news.
func TestWatchReissuesIdle(t *testing.T) {
	t.Parallel()
	_, cfg := startSandbox(t)
	var dones atomic.Int64
	relay := rewriting(t, neterr.Addr(cfg.Host, cfg.Port), func(line string) string {
		if line == "DONE\r\n" {
			dones.Add(1)
		}
		return line
	}, nil)
	timings := fast
	timings.IdleRestart = 20 * time.Millisecond
	wt := watch(t, mailbox.Watcher{Config: via(t, cfg, relay), WatchTimings: timings})
	wt.connected(0)
	eventually(t, "IDLE issued three more times", func() bool { return dones.Load() >= 3 })
	c, err := mailbox.Dial(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	appendMails(t, c, "INBOX", someMail(1))
	wt.waitChanges(1, "new mail")
	if states := wt.reported(); len(states) != 1 {
		t.Errorf("states %+v, want one connection all along", states)
	}
}

// A server without IDLE, or one that offers it and then refuses it, is
// polled with NOOP, with the same result.
func TestWatchPollsAServerWithoutIdle(t *testing.T) {
	t.Parallel()
	var refusals atomic.Int64
	t.Cleanup(func() { // after the parallel subtests
		if refusals.Load() == 0 {
			t.Error("the watcher never asked for IDLE where it was offered and refused")
		}
	})
	for _, tt := range []struct {
		name       string
		fromClient func(string) string
		fromServer func(string) string
	}{
		{"not offered", nil, func(line string) string {
			if strings.Contains(line, "CAPABILITY") {
				return strings.ReplaceAll(line, " IDLE", "")
			}
			return line
		}},
		{"refused", func(line string) string {
			if strings.HasSuffix(line, " IDLE\r\n") {
				refusals.Add(1)
				return strings.TrimSuffix(line, "\r\n") + "X\r\n" // an unknown command: BAD
			}
			return line
		}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, cfg := startSandbox(t)
			relay := rewriting(t, neterr.Addr(cfg.Host, cfg.Port), tt.fromClient, tt.fromServer)
			wt := watch(t, mailbox.Watcher{Config: via(t, cfg, relay), WatchTimings: fast})
			wt.waitState(0, "polling", func(s mailbox.WatchState) bool { return s.Connected && s.Polling })
			c, err := mailbox.Dial(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			appendMails(t, c, "INBOX", someMail(1))
			wt.waitChanges(1, "new mail")
			if states := wt.reported(); len(states) != 1 {
				t.Errorf("states %+v, want one connection, polling", states)
			}
		})
	}
}

// Cancelling stops the watcher at once, connected or waiting to
// reconnect, and leaves no goroutine behind. Not parallel: it counts the
// process's goroutines.
func TestWatchStopsWithItsContext(t *testing.T) {
	for _, tt := range []struct {
		name    string
		offline bool
	}{{"connected", false}, {"waiting to reconnect", true}} {
		t.Run(tt.name, func(t *testing.T) {
			_, cfg := startSandbox(t)
			proxy := neterrtest.NewProxy(t, neterr.Addr(cfg.Host, cfg.Port))
			baseline := runtime.NumGoroutine()
			timings := fast
			timings.MaxBackoff = time.Hour
			wt := watch(t, mailbox.Watcher{Config: via(t, cfg, proxy.Addr()), WatchTimings: timings})
			wt.connected(0)
			if tt.offline {
				proxy.Refuse(true)
				seen := len(wt.reported())
				proxy.CutAll()
				wt.waitState(seen, "a failure", func(s mailbox.WatchState) bool { return s.Err != nil })
			}
			if err := wt.stop(); err != nil {
				t.Fatal(err)
			}
			proxy.CutAll() // the proxy's own goroutines for the closed connection
			deadline := time.Now().Add(patience)
			for runtime.NumGoroutine() > baseline {
				if time.Now().After(deadline) {
					buf := make([]byte, 1<<20)
					t.Fatalf("%d goroutines, %d before the watcher:\n%s", runtime.NumGoroutine(), baseline, buf[:runtime.Stack(buf, true)])
				}
				time.Sleep(5 * time.Millisecond)
			}
		})
	}
}

// rewriting relays to target, passing each line from the client through
// fromClient and each from the server through fromServer (nil: as is): a
// server that says or hears something else, otherwise the same.
func rewriting(t *testing.T, target string, fromClient, fromServer func(string) string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	t.Cleanup(func() {
		_ = ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			_ = c.Close()
		}
	})
	pipe := func(dst, src net.Conn, rewrite func(string) string) {
		defer dst.Close()
		r := bufio.NewReader(src)
		for {
			line, err := r.ReadString('\n')
			if rewrite != nil {
				line = rewrite(line)
			}
			if _, werr := io.WriteString(dst, line); werr != nil || err != nil {
				return
			}
		}
	}
	go func() {
		for {
			client, err := ln.Accept()
			if err != nil {
				return
			}
			server, err := net.Dial("tcp", target)
			if err != nil {
				_ = client.Close()
				continue
			}
			mu.Lock()
			conns = append(conns, client, server)
			mu.Unlock()
			go pipe(server, client, fromClient)
			go pipe(client, server, fromServer)
		}
	}()
	return ln.Addr().String()
}
