package store

import (
	"slices"
	"strings"
	"testing"
	"time"

	"servicedesk/internal/model"
)

func TestParseQuery(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	f, err := ParseQuery(`refund from:Ana@ label:"needs info" -label:spam assignee:me is:open after:7d before:2026-11-25 re:order`, "alex", now)
	if err != nil {
		t.Fatal(err)
	}
	if f.Query != "refund re:order" {
		t.Errorf("text %q: unknown prefixes stay text", f.Query)
	}
	if !slices.Equal(f.Customer, []string{"ana@"}) || !slices.Equal(f.Labels, []string{"needs info"}) || !slices.Equal(f.NotLabels, []string{"spam"}) {
		t.Errorf("from/label: %+v", f)
	}
	if f.Assignee != "alex" || f.State != model.StateOpened {
		t.Errorf("assignee %q state %q", f.Assignee, f.State)
	}
	if !f.CreatedAfter.Equal(now.AddDate(0, 0, -7)) || !f.CreatedBefore.Equal(time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("dates %v %v", f.CreatedAfter, f.CreatedBefore)
	}

	for input, check := range map[string]func(model.TicketFilter) bool{
		"assignee:none":             func(f model.TicketFilter) bool { return f.Unassigned },
		"assignee:@priya":           func(f model.TicketFilter) bool { return f.Assignee == "priya" },
		"is:unread is:needs-reply":  func(f model.TicketFilter) bool { return f.Unread && f.NeedsReply },
		"is:open is:closed":         func(f model.TicketFilter) bool { return f.None },
		"is:breached":               func(f model.TicketFilter) bool { return f.SLA == model.SLABreached && f.Now.Equal(now) },
		"is:due-soon":               func(f model.TicketFilter) bool { return f.SLA == model.SLASoon && !f.None },
		"is:due-soon is:breached":   func(f model.TicketFilter) bool { return f.None },
		"IS:Closed":                 func(f model.TicketFilter) bool { return f.State == model.StateClosed },
		"after:12h":                 func(f model.TicketFilter) bool { return f.CreatedAfter.Equal(now.Add(-12 * time.Hour)) },
		"http://x.example/a":        func(f model.TicketFilter) bool { return f.Query == "http://x.example/a" },
		`"two words" label:billing`: func(f model.TicketFilter) bool { return f.Query == `"two words"` && f.Labels[0] == "billing" },
	} {
		f, err := ParseQuery(input, "alex", now)
		if err != nil || !check(f) {
			t.Errorf("%q: %+v, %v", input, f, err)
		}
	}
	// assignee:me without a GitLab account matches nothing.
	if f, _ := ParseQuery("assignee:me", "", now); !f.None {
		t.Errorf("assignee:me with no account: %+v", f)
	}
	for input, want := range map[string]string{
		"is:pending":   "is:pending is not a filter",
		"before:soon":  "not a date or an age",
		"label:":       "needs a value",
		"-from:ana":    "only labels can be excluded",
		`label:""`:     "needs a value",
		"after:2026-1": "not a date",
	} {
		if _, err := ParseQuery(input, "alex", now); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want %q", input, err, want)
		}
	}
}

func TestMergeNarrows(t *testing.T) {
	t.Parallel()
	view := model.TicketFilter{State: model.StateClosed, Labels: []string{"a"}, CreatedBefore: t0}
	got := Merge(view, model.TicketFilter{State: model.StateOpened})
	if !got.None {
		t.Errorf("closed view and is:open: %+v", got)
	}
	got = Merge(view, model.TicketFilter{Labels: []string{"b"}, CreatedBefore: t0.Add(-time.Hour), Query: "x"})
	if !slices.Equal(got.Labels, []string{"a", "b"}) || !got.CreatedBefore.Equal(t0.Add(-time.Hour)) || got.Query != "x" || got.None {
		t.Errorf("merged %+v", got)
	}
	if len(view.Labels) != 1 {
		t.Errorf("Merge changed the view's labels: %v", view.Labels)
	}
}

func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{`from:a label:"x y" -label:z is:open after:3d`, `"unclosed label:`, "is:", "before:2026-13-45"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, input string) {
		q, err := ParseQuery(input, "me", t0)
		if err != nil {
			return
		}
		_ = MatchExpr(q.Query) // whatever is left is safe for FTS5
	})
}
