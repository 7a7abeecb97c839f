package gitlab

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"servicedesk/internal/model"
	"servicedesk/internal/sandbox"
	"servicedesk/internal/store"
)

var now = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

// fixture is a fake GitLab (the sandbox's, over real HTTP) and an empty
// profile with its project.
type fixture struct {
	gl    *sandbox.GitLab
	store *store.Store
	sync  *Syncer
	proj  model.Project
	hook  *listHook
}

// listHook runs a function once, right after the first answer to a ticket
// list request, while the sync is still walking the pages.
type listHook struct {
	mu   sync.Mutex
	once func()
}

func (h *listHook) set(fn func()) { h.mu.Lock(); h.once = fn; h.mu.Unlock() }

func (h *listHook) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err == nil && r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/issues") {
		h.mu.Lock()
		fn := h.once
		h.once = nil
		h.mu.Unlock()
		if fn != nil {
			fn()
		}
	}
	return resp, err
}

func newFixture(t *testing.T, tickets int) *fixture {
	t.Helper()
	g := sandbox.NewGitLab(sandbox.NewWorld(sandbox.Options{Seed: 7, Tickets: tickets, Now: now}))
	srv := httptest.NewServer(g)
	t.Cleanup(srv.Close)
	hook := &listHook{}
	st, c, p := newProfile(t, srv.URL, g.Token(), Options{Transport: hook})
	t.Cleanup(func() { st.Close() })
	return &fixture{gl: g, store: st, sync: &Syncer{Client: c, Store: st}, proj: p, hook: hook}
}

// newProfile is an empty profile with a GitLab account and the sandbox's
// project, and a client for it. The caller closes the store.
func newProfile(tb testing.TB, url, token string, opts Options) (*store.Store, *Client, model.Project) {
	tb.Helper()
	ctx := context.Background()
	c, err := NewClient(url, token, opts)
	if err != nil {
		tb.Fatal(err)
	}
	st, err := store.Open(ctx, tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	a, err := st.CreateAccount(ctx, model.Account{Kind: "gitlab", Name: "t", URL: url})
	if err != nil {
		tb.Fatal(err)
	}
	p, err := c.Project(ctx, "acme/support")
	if err != nil {
		tb.Fatal(err)
	}
	p.AccountID = a.ID
	if p, err = st.UpsertProject(ctx, p); err != nil {
		tb.Fatal(err)
	}
	return st, c, p
}

// checkMirrors asserts the store holds exactly GitLab's live tickets, each
// with GitLab's notes.
func (f *fixture) checkMirrors(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	stored, err := f.store.Tickets(ctx, model.TicketFilter{})
	if err != nil {
		t.Fatal(err)
	}
	live := 0
	for _, is := range f.gl.World().Issues() {
		if is.Deleted {
			continue
		}
		live++
		tk, err := f.store.Ticket(ctx, f.proj.ID, is.IID)
		if err != nil {
			t.Fatalf("#%d missing from the store: %v", is.IID, err)
		}
		if tk.Title != is.Title || tk.State != is.State || tk.Customer != is.Customer.Email || !tk.UpdatedAt.Equal(is.UpdatedAt.Truncate(time.Millisecond)) {
			t.Fatalf("#%d stored as %q/%s/%s/%v, GitLab has %q/%s/%s/%v", is.IID, tk.Title, tk.State, tk.Customer, tk.UpdatedAt,
				is.Title, is.State, is.Customer.Email, is.UpdatedAt)
		}
		notes, err := f.store.Notes(ctx, tk.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := f.gl.Notes(is.IID)
		if len(notes) != len(want) {
			t.Fatalf("#%d has %d notes stored, GitLab has %d", is.IID, len(notes), len(want))
		}
	}
	if len(stored) != live {
		t.Fatalf("store has %d tickets, GitLab %d", len(stored), live)
	}
}

func TestFirstSyncCopiesEveryTicketAndNote(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 130) // two pages of 100
	res, err := f.sync.Sync(context.Background(), f.proj)
	if err != nil {
		t.Fatal(err)
	}
	if res.TicketsChanged != 130 || res.Requests < 130 {
		t.Fatalf("result %+v: want 130 tickets changed and a notes request each", res)
	}
	f.checkMirrors(t)
	// A second sync finds nothing new and reads no notes.
	again, err := f.sync.Sync(context.Background(), f.proj)
	if err != nil {
		t.Fatal(err)
	}
	if again.TicketsChanged != 0 || again.NotesRead != 0 || again.Requests > 2 {
		t.Fatalf("idle sync %+v: want nothing changed in one or two requests", again)
	}
}

func TestIncrementalSyncReadsOnlyChangedTickets(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 40)
	ctx := context.Background()
	if _, err := f.sync.Sync(ctx, f.proj); err != nil {
		t.Fatal(err)
	}
	if _, err := f.gl.AddCustomerReply(3, "Still broken after the update, see attached."); err != nil {
		t.Fatal(err)
	}
	fresh := f.gl.AddCustomerTicket(sandbox.Customer{}, "", "")
	res, err := f.sync.Sync(ctx, f.proj)
	if err != nil {
		t.Fatal(err)
	}
	if res.TicketsChanged != 2 {
		t.Fatalf("%d tickets changed, want 2 (#3 and #%d)", res.TicketsChanged, fresh.IID)
	}
	f.checkMirrors(t)
	tk, _ := f.store.Ticket(ctx, f.proj.ID, 3)
	if tk.LastPublicKind != model.KindCustomer || tk.Snippet != "Still broken after the update, see attached." {
		t.Fatalf("#3 after the customer's reply: %s %q", tk.LastPublicKind, tk.Snippet)
	}
}

// A ticket updated while a sync is running moves to the end of GitLab's
// updated_at order; offset paging would then skip another ticket.
func TestTicketChangedDuringSyncIsNotSkipped(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 250)
	f.hook.set(func() {
		if _, err := f.gl.AddCustomerReply(2, "Any news?"); err != nil {
			t.Error(err)
		}
	})
	if _, err := f.sync.Sync(context.Background(), f.proj); err != nil {
		t.Fatal(err)
	}
	f.checkMirrors(t)
}

func TestInterruptedSyncResumes(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 150)
	ctx := context.Background()
	// Page two of the issue list fails for as long as the client retries
	// (one try and every retry).
	f.hook.set(func() {
		f.gl.FailNext("/api/v4/projects/"+strconv.FormatInt(f.proj.GitLabID, 10)+"/issues$", 500, retryMax+1, 0)
	})
	_, err := f.sync.Sync(ctx, f.proj)
	if err == nil {
		t.Fatal("sync through a failing GitLab reported success")
	}
	stored, _ := f.store.Tickets(ctx, model.TicketFilter{})
	if len(stored) != 100 {
		t.Fatalf("after the failure %d tickets stored, want the first page of 100", len(stored))
	}
	res, err := f.sync.Sync(ctx, f.proj)
	if err != nil {
		t.Fatalf("resumed sync: %v", err)
	}
	if res.TicketsChanged != 50 {
		t.Fatalf("resumed sync changed %d tickets, want the 50 not yet stored", res.TicketsChanged)
	}
	f.checkMirrors(t)
}

func TestWrongTokenIsOneClearSentence(t *testing.T) {
	t.Parallel()
	g := sandbox.NewGitLab(sandbox.NewWorld(sandbox.Options{Seed: 1, Tickets: 5, Now: now}))
	srv := httptest.NewServer(g)
	defer srv.Close()
	c, err := NewClient(srv.URL, "glpat-wrong", Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = c.CurrentUser(context.Background())
	if !errors.Is(err, ErrUnauthorized) {
		t.Fatalf("err = %v, want ErrUnauthorized", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "refused the token") || strings.Contains(msg, "glpat-wrong") {
		t.Fatalf("message %q: want a sentence without the token", msg)
	}
}

func TestUnreachableAndBadURLs(t *testing.T) {
	t.Parallel()
	if _, err := NewClient("gitlab.com", "x", Options{}); err == nil {
		t.Fatal("a URL without a scheme was accepted")
	}
	if _, err := NewClient("http://gitlab.example.com", "x", Options{}); err == nil {
		t.Fatal("plain http to a remote host was accepted")
	}
	if _, err := NewClient("https://alex:hunter22@gitlab.example.com", "x", Options{}); err == nil || strings.Contains(err.Error(), "hunter22") {
		t.Fatalf("a URL with a password: %v", err)
	}
	srv := httptest.NewServer(nil)
	url := srv.URL
	srv.Close() // nothing listens there now
	c, err := NewClient(url, "x", Options{Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Project(context.Background(), "acme/support")
	if !errors.Is(err, ErrUnreachable) {
		t.Fatalf("err = %v, want ErrUnreachable", err)
	}
}
