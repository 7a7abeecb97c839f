package service

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"servicedesk/internal/model"
	"servicedesk/internal/sandbox"
)

// A macro from the team folder queues all its actions at once, held for
// the undo window: Undo takes all of them back; left alone, they all land
// on GitLab, the ticket closed last. A broken macro file is listed with its
// line and refused.
func TestMacroAppliedThroughTheOutbox(t *testing.T) {
	t.Parallel()
	f := newOutboxFixture(t)
	ctx := context.Background()
	w := f.sb.World()
	refund := "name: Refund approved\ndescription: Refund issued; tell the customer and close.\n" +
		"reply: refund-approved\nnote: Refunded in Stripe.\nadd_labels: [refund]\nassign: [priya.natarajan]\nstate: close\n"
	broken := "name: Broken\nadd_labels: [x]\nasign: [alex.morgan]\n"
	missing := "reply: no-such-template\n"
	w.SetRepoFile(sandbox.TeamDir+"/macros/refund-approved.yml", &refund)
	w.SetRepoFile(sandbox.TeamDir+"/macros/broken.yml", &broken)
	w.SetRepoFile(sandbox.TeamDir+"/macros/missing.yaml", &missing)
	if _, err := f.svc.Sync(ctx, SyncOptions{}); err != nil {
		t.Fatal(err)
	}
	ms, err := f.svc.Macros(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]Macro{}
	for _, m := range ms {
		byName[m.Name] = m
	}
	if m := byName["Refund approved"]; m.Problem != "" ||
		!slices.Equal(m.Actions, []string{"add labels refund", "assign priya.natarajan", "internal note", "reply with refund-approved", "close"}) {
		t.Fatalf("refund macro %+v", m)
	}
	if p := byName["Broken"].Problem; !strings.Contains(p, "macros/broken.yml") || !strings.Contains(p, "line 3") || !strings.Contains(p, "asign") {
		t.Errorf("broken macro says %q", p)
	}
	if p := byName["Missing"].Problem; !strings.Contains(p, "no team template \"no-such-template\"") {
		t.Errorf("macro with a missing template says %q", p)
	}

	tk := f.openTicket(t)
	if _, err := f.svc.ApplyMacro(ctx, MacroRequest{ProjectID: f.p.ID, IID: tk.IID, Name: "broken"}); err == nil || !strings.Contains(err.Error(), "line 3") {
		t.Fatalf("a broken macro applied: %v", err)
	}
	if ops, _ := f.svc.Outbox(ctx, false); len(ops) != 0 {
		t.Fatalf("a refused macro queued %d ops", len(ops))
	}

	// Applied, then undone before it leaves: nothing reaches GitLab.
	ops, err := f.svc.ApplyMacro(ctx, MacroRequest{ProjectID: f.p.ID, IID: tk.IID, Name: "Refund approved"})
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, op := range ops {
		kinds = append(kinds, op.Kind)
		if time.Until(op.NotBefore) < 5*time.Second {
			t.Errorf("%s leaves at %v: not held for the undo window", op.Kind, op.NotBefore)
		}
	}
	if !slices.Equal(kinds, []string{model.OpLabels, model.OpAssign, model.OpNote, model.OpReply, model.OpState}) {
		t.Fatalf("ops %v", kinds)
	}
	f.flush(t)
	for _, op := range ops {
		if _, err := f.svc.Undo(ctx, op.ID); err != nil {
			t.Fatalf("undo %s: %v", op.Kind, err)
		}
	}
	f.clock = time.Minute
	f.flush(t)
	if is, _ := f.sb.GitLab().Issue(tk.IID); is.State != "opened" || slices.Contains(is.Labels, "refund") || len(f.sb.GitLab().Notes(tk.IID)) != len(w.Notes(tk.IID)) {
		t.Fatalf("an undone macro changed GitLab: %+v", is)
	}
	notesBefore := len(f.sb.GitLab().Notes(tk.IID))

	// Applied and left alone: every action lands.
	f.clock = 0
	if _, err := f.svc.ApplyMacro(ctx, MacroRequest{ProjectID: f.p.ID, IID: tk.IID, Name: "refund-approved"}); err != nil {
		t.Fatal(err)
	}
	f.clock = time.Minute
	f.flush(t)
	is, _ := f.sb.GitLab().Issue(tk.IID)
	if is.State != "closed" || !slices.Contains(is.Labels, "refund") {
		t.Fatalf("after the macro: state %s labels %v", is.State, is.Labels)
	}
	var priya int64
	for _, a := range w.Agents() {
		if a.Username == "priya.natarajan" {
			priya = a.ID
		}
	}
	if priya == 0 || !slices.Equal(is.AssigneeIDs, []int64{priya}) {
		t.Fatalf("assignees %v, want priya (%d)", is.AssigneeIDs, priya)
	}
	notes := f.sb.GitLab().Notes(tk.IID)[notesBefore:]
	var internal, public int
	for _, n := range notes {
		switch {
		case n.System:
		case n.Internal && strings.Contains(n.Body, "Refunded in Stripe."):
			internal++
		case !n.Internal && strings.Contains(n.Body, "we have refunded the duplicate charge"):
			public++
			if strings.Contains(n.Body, "{{") {
				t.Errorf("the reply kept a variable: %q", n.Body)
			}
		}
	}
	if internal != 1 || public != 1 {
		t.Fatalf("%d internal notes, %d replies from the macro", internal, public)
	}
	if left, _ := f.svc.Outbox(ctx, false); len(left) != 0 {
		t.Fatalf("%d ops left", len(left))
	}
}
