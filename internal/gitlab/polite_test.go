package gitlab

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"servicedesk/internal/model"
)

func (f *fixture) issuesPath() string {
	return "/api/v4/projects/" + strconv.FormatInt(f.proj.GitLabID, 10) + "/issues"
}

// The first sync costs exactly the floor: one list request per 100
// tickets (keyset) and one notes page per ticket. An idle sync costs one.
func TestFirstSyncMakesTheFloorOfRequests(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 250)
	before := f.gl.Requests()
	res, err := f.sync.Sync(context.Background(), f.proj)
	if err != nil {
		t.Fatal(err)
	}
	if floor := 3 + 250; res.Requests != floor || f.gl.Requests()-before != floor {
		t.Fatalf("%d requests (fake saw %d), want the floor %d", res.Requests, f.gl.Requests()-before, floor)
	}
	if res.Added != 250 || res.Updated != 0 {
		t.Fatalf("added %d updated %d", res.Added, res.Updated)
	}
	idle, err := f.sync.Sync(context.Background(), f.proj)
	if err != nil || idle.Requests != 1 || idle.TicketsChanged != 0 {
		t.Fatalf("idle sync: %+v %v", idle, err)
	}
}

// Without keyset (GitLab before 18.3 answers 405), the sync falls back to
// updated_after queries and still mirrors everything, a ticket changed
// mid-sync included.
func TestOffsetFallbackMirrorsEverything(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 230)
	f.gl.SetKeyset(false)
	f.hook.set(func() {
		if _, err := f.gl.AddCustomerReply(4, "Hello again"); err != nil {
			t.Error(err)
		}
	})
	if _, err := f.sync.Sync(context.Background(), f.proj); err != nil {
		t.Fatal(err)
	}
	f.checkMirrors(t)
}

// A 429 with Retry-After is waited out (the retry comes no sooner), then
// the sync goes on.
func TestRetryAfterIsHonoured(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 10)
	f.gl.FailNext(f.issuesPath(), http.StatusTooManyRequests, 1, time.Second)
	if _, err := f.sync.Sync(context.Background(), f.proj); err != nil {
		t.Fatal(err)
	}
	var limited, retry time.Time
	for _, r := range f.gl.RequestLog() {
		if strings.HasSuffix(r.Path, "/issues") {
			if r.Status == http.StatusTooManyRequests {
				limited = r.At
			} else if !limited.IsZero() && retry.IsZero() {
				retry = r.At
			}
		}
	}
	if limited.IsZero() || retry.IsZero() {
		t.Fatalf("no 429 followed by a retry in the log")
	}
	if gap := retry.Sub(limited); gap < time.Second {
		t.Fatalf("retried %v after a 429 that asked for 1s", gap)
	}
	f.checkMirrors(t)
}

// Against an enforced limit the sync paces itself: not a single 429.
func TestSyncStaysUnderTheRateLimit(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 45)
	f.gl.SetRateLimitWindow(20, time.Second) // announced as 1,200 a minute
	if _, err := f.sync.Sync(context.Background(), f.proj); err != nil {
		t.Fatal(err)
	}
	if n := f.gl.RateLimited(); n != 0 {
		t.Fatalf("%d requests went over the limit", n)
	}
	f.checkMirrors(t)
}

// Reads survive dropped connections and 5xx answers.
func TestReadsSurviveDropsAndServerErrors(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 30)
	f.gl.DropNext(f.issuesPath()+"/5/notes", 2)
	f.gl.FailNext(f.issuesPath()+"/9/notes", http.StatusBadGateway, 2, 0)
	if _, err := f.sync.Sync(context.Background(), f.proj); err != nil {
		t.Fatal(err)
	}
	f.checkMirrors(t)
}

// A deleted ticket is marked gone by the check over all ids; a moved one
// arrives closed with moved_to_id through the incremental sync.
func TestDeletedAndMovedTickets(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 120)
	ctx := context.Background()
	if _, err := f.sync.Sync(ctx, f.proj); err != nil {
		t.Fatal(err)
	}
	if err := f.gl.DeleteIssue(7); err != nil {
		t.Fatal(err)
	}
	if _, err := f.gl.MoveIssue(8); err != nil {
		t.Fatal(err)
	}
	res, err := f.sync.Sync(ctx, f.proj)
	if err != nil {
		t.Fatal(err)
	}
	gone, err := f.sync.CheckGone(ctx, f.proj)
	if err != nil || gone != 1 {
		t.Fatalf("CheckGone = %d, %v; want 1", gone, err)
	}
	if res.TicketsChanged != 1 {
		t.Fatalf("incremental sync changed %d tickets, want the moved one", res.TicketsChanged)
	}
	deleted, _ := f.store.Ticket(ctx, f.proj.ID, 7)
	moved, _ := f.store.Ticket(ctx, f.proj.ID, 8)
	if !deleted.Gone || moved.Gone || moved.MovedToID == 0 || moved.State != model.StateClosed {
		t.Fatalf("deleted %+v / moved %+v", deleted.Gone, moved)
	}
	f.checkMirrors(t) // the mirror leaves gone tickets out of every list
}

// A GitLab slower than the per-request timeout fails the sync with a
// sentence (after the retries), and the next sync resumes once it answers.
func TestSlowGitLabTimesOutThenResumes(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 20)
	slow, err := NewClient(f.sync.Client.BaseURL(), f.gl.Token(), Options{Timeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	sy := &Syncer{Client: slow, Store: f.store}
	f.gl.SetLatency(300 * time.Millisecond)
	_, err = sy.Sync(context.Background(), f.proj)
	if !errors.Is(err, ErrUnreachable) || !strings.Contains(err.Error(), "did not answer in time") {
		t.Fatalf("sync against a slow GitLab: %v", err)
	}
	f.gl.SetLatency(0)
	if _, err := sy.Sync(context.Background(), f.proj); err != nil {
		t.Fatal(err)
	}
	f.checkMirrors(t)
}
