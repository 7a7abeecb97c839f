package service

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"servicedesk/internal/gitlab"
	"servicedesk/internal/model"
	"servicedesk/internal/sandbox"
	"servicedesk/internal/secrets"
	"servicedesk/internal/store"
)

// Two agents' apps share one GitLab and both queue the team's rule for the
// same tickets; the claims on GitLab let exactly one apply it to each
// ticket, however their sends interleave.
func TestRuleAppliedOnceByTwoApps(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	sb, err := sandbox.Start(ctx, sandbox.Options{Seed: 5, Tickets: 25})
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	rules := "- name: Urgent words to Priya\n  when:\n    words: [urgent, asap, blocked]\n  do:\n" +
		"    add_labels: [urgent]\n    round_robin: [priya.natarajan, tom.becker]\n    note: Routed by the team's rule.\n"
	sb.World().SetRepoFile(sandbox.TeamDir+"/rules.yml", &rules)
	info := sb.Info()

	apps := make([]*Service, 2)
	for i := range apps {
		st, err := store.Open(ctx, t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		apps[i] = New(st, secrets.NewMemory(), Options{})
		if _, err := apps[i].SaveGitLab(ctx, GitLabForm{URL: info.GitLabURL, Project: info.Project, Token: info.GitLabToken}); err != nil {
			t.Fatal(err)
		}
		if _, err := apps[i].Sync(ctx, SyncOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	rs, err := apps[0].Rules(ctx, 0)
	if err != nil || len(rs) != 1 || rs[0].Problem != "" || rs[0].When != "mentions urgent or asap or blocked" {
		t.Fatalf("rules %+v %v", rs, err)
	}
	queued := func(s *Service) []model.OutboxOp {
		ops, err := s.Outbox(ctx, false)
		if err != nil {
			t.Fatal(err)
		}
		return ops
	}
	a, b := queued(apps[0]), queued(apps[1])
	if len(a) == 0 || len(a) != len(b) {
		t.Fatalf("queued %d and %d rule ops", len(a), len(b))
	}
	// Both send at once.
	var wg sync.WaitGroup
	for _, s := range apps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := s.OutboxRunner(nil)
			for range 5 {
				if _, err := r.Flush(ctx); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	for _, op := range a {
		marker := gitlab.RuleMarker(op.Payload.Rule)
		var claims []sandbox.Note
		for _, n := range sb.GitLab().Notes(op.IID) {
			if strings.Contains(n.Body, marker) {
				claims = append(claims, n)
			}
		}
		if len(claims) != 1 || !claims[0].Internal || !strings.Contains(claims[0].Body, "Routed by the team's rule.") {
			t.Errorf("#%d has %d claims of the rule", op.IID, len(claims))
		}
		is, _ := sb.GitLab().Issue(op.IID)
		n := 0
		for _, l := range is.Labels {
			if l == "urgent" {
				n++
			}
		}
		if n != 1 || len(is.AssigneeIDs) != 1 {
			t.Errorf("#%d: labels %v assignees %v", op.IID, is.Labels, is.AssigneeIDs)
		}
	}
	for _, s := range apps {
		if left := queued(s); len(left) != 0 {
			t.Errorf("%d rule ops left: %+v", len(left), left[0])
		}
		// A later sync queues nothing again.
		if _, err := s.Sync(ctx, SyncOptions{}); err != nil {
			t.Fatal(err)
		}
		if again := queued(s); len(again) != 0 {
			t.Errorf("the rule was queued again: %d ops", len(again))
		}
	}
}

// A broken rules file is reported with its line and runs nothing.
func TestBrokenRulesRunNothing(t *testing.T) {
	t.Parallel()
	for input, want := range map[string]string{
		"- name: X\n  when:\n    wrods: [a]\n  do:\n    add_labels: [b]\n":  "line 3",
		"- name: X\n  when:\n    new: true\n  do: {}\n":                     "do has no action",
		"- name: X\n  when: {}\n  do:\n    add_labels: [b]\n":               "would change every ticket",
		"- name: X\n  when:\n    no_reply_for: soon\n  do:\n    note: hi\n": "not a duration",
	} {
		if _, err := parseRules([]byte(input)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", input, err, want)
		}
	}
}

// no_reply_for counts business hours when the project has service levels:
// a customer who wrote on Friday at 16:00 has waited 2 business hours on
// Monday at 10:00 (Mon-Fri 09:00-17:00), though 66 hours went by.
func TestNoReplyForInBusinessHours(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	if _, err := f.svc.SaveGitLab(ctx, f.gitlabForm()); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Sync(ctx, SyncOptions{}); err != nil {
		t.Fatal(err)
	}
	p, _, err := f.svc.SLAPolicy(ctx, 0)
	if err != nil || p.ProjectID == 0 {
		t.Fatalf("the demo's policy: %+v %v", p, err)
	}
	specs, err := parseRules([]byte("- name: Waited\n  when:\n    no_reply_for: 4h\n  do:\n    note: chase\n"))
	if err != nil {
		t.Fatal(err)
	}
	friday := time.Date(2026, 11, 27, 16, 0, 0, 0, time.UTC)
	monday := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	tk := model.Ticket{State: model.StateOpened, LastPublicKind: model.KindCustomer, LastPublicAt: friday}

	// The demo's policy is round the clock: 66 hours.
	wall, err := f.svc.waitClock(ctx, p.ProjectID, monday)
	if err != nil {
		t.Fatal(err)
	}
	if !specs[0].matches(tk, false, wall) {
		t.Error("66 hours of waiting round the clock do not match no_reply_for: 4h")
	}
	office := "version: 1\ntimezone: UTC\nhours:\n  mon-fri: 09:00-17:00\nfirst_response: 8h\n"
	f.sb.World().SetRepoFile(sandbox.TeamDir+"/sla.yml", &office)
	if _, err := f.svc.Sync(ctx, SyncOptions{}); err != nil {
		t.Fatal(err)
	}
	biz, err := f.svc.waitClock(ctx, p.ProjectID, monday)
	if err != nil {
		t.Fatal(err)
	}
	if got := biz(friday); got != 2*time.Hour {
		t.Fatalf("waited %v in business hours, want 2h", got)
	}
	if specs[0].matches(tk, false, biz) {
		t.Error("2 business hours match no_reply_for: 4h")
	}
	if !specs[0].matches(tk, false, func(time.Time) time.Duration { return 4 * time.Hour }) {
		t.Error("4 hours do not match no_reply_for: 4h")
	}
}
