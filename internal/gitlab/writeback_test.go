package gitlab

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
)

func (f *fixture) posts() int {
	n := 0
	for _, r := range f.gl.RequestLog() {
		if r.Method == http.MethodPost {
			n++
		}
	}
	return n
}

// A note is posted once with its marker, and FindNote finds it again;
// a failed POST is never repeated by the transport.
func TestPostNoteOnceAndFindItAgain(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 12)
	ctx := context.Background()
	n, err := f.sync.Client.PostNote(ctx, f.proj, 3, "Thanks, the refund is on its way.", false, "op42")
	if err != nil {
		t.Fatal(err)
	}
	found, ok, err := f.sync.Client.FindNote(ctx, f.proj, 3, "op42")
	if err != nil || !ok || found.ID != n.ID {
		t.Fatalf("FindNote = %+v %v %v, want note %d", found, ok, err, n.ID)
	}
	if _, ok, _ := f.sync.Client.FindNote(ctx, f.proj, 3, "op43"); ok {
		t.Fatal("found a note for an op never posted")
	}
	notes := f.gl.Notes(3)
	last := notes[len(notes)-1]
	if !strings.Contains(last.Body, Marker("op42")) || last.Internal {
		t.Fatalf("posted note: %+v", last)
	}

	before := f.posts()
	f.gl.FailNext(f.issuesPath()+"/4/notes", http.StatusInternalServerError, 1, 0)
	if _, err := f.sync.Client.PostNote(ctx, f.proj, 4, "Internal: checked Stripe", true, "op44"); err == nil {
		t.Fatal("a failed POST reported success")
	}
	f.gl.DropNext(f.issuesPath()+"/4/notes", 1)
	if _, err := f.sync.Client.PostNote(ctx, f.proj, 4, "Internal: checked Stripe", true, "op44"); err == nil {
		t.Fatal("a dropped POST reported success")
	}
	if got := f.posts() - before; got != 2 {
		t.Fatalf("%d POSTs for two attempts: the transport repeated a write", got)
	}
}

func TestUpdateAndQuickActions(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 12)
	ctx := context.Background()
	agents := f.gl.World().Agents()
	ids := []int64{agents[1].ID}
	tk, err := f.sync.Client.Update(ctx, f.proj, 5, Change{AddLabels: []string{"urgent"}, AssigneeIDs: &ids, StateEvent: "close"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(tk.Labels, "urgent") || len(tk.Assignees) != 1 || tk.Assignees[0] != agents[1].Username || tk.State != "closed" {
		t.Fatalf("updated ticket: %+v", tk)
	}
	none := []int64{}
	if tk, err = f.sync.Client.Update(ctx, f.proj, 5, Change{RemoveLabels: []string{"urgent"}, AssigneeIDs: &none, StateEvent: "reopen"}); err != nil {
		t.Fatal(err)
	}
	if slices.Contains(tk.Labels, "urgent") || len(tk.Assignees) != 0 || tk.State != "opened" {
		t.Fatalf("reverted ticket: %+v", tk)
	}
	if err := f.sync.Client.AddParticipants(ctx, f.proj, 5, "cfo@example.org", "it@example.org"); err != nil {
		t.Fatal(err)
	}
	if err := f.sync.Client.RemoveParticipants(ctx, f.proj, 5, "it@example.org"); err != nil {
		t.Fatal(err)
	}
	if is, _ := f.gl.Issue(5); !slices.Equal(is.Participants, []string{"cfo@example.org"}) {
		t.Fatalf("participants: %v", is.Participants)
	}
	if err := f.sync.Client.MarkDuplicate(ctx, f.proj, 6, 5); err != nil {
		t.Fatal(err)
	}
	refreshed, err := f.sync.Refresh(ctx, f.proj, 6)
	if err != nil || refreshed.State != "closed" {
		t.Fatalf("duplicate: %+v %v", refreshed, err)
	}
	notes, _ := f.store.Notes(ctx, mustTicketID(t, f, 6))
	if last := notes[len(notes)-1]; !last.System || !strings.Contains(notes[len(notes)-2].Body+last.Body, "duplicate of #5") {
		t.Fatalf("the stored thread lacks the duplicate note: %+v", last)
	}
	if err := f.sync.Client.QuickActions(ctx, f.proj, 5, "/add_email not-an-address"); err == nil {
		t.Fatal("GitLab's refusal of a bad address was not reported")
	}
	if err := f.sync.Client.QuickActions(ctx, f.proj, 5, "/close\n/reopen"); err == nil {
		t.Fatal("two lines in one action were accepted")
	}
}

func mustTicketID(t *testing.T, f *fixture, iid int64) int64 {
	t.Helper()
	tk, err := f.store.Ticket(context.Background(), f.proj.ID, iid)
	if err != nil {
		t.Fatal(err)
	}
	return tk.ID
}
