package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"servicedesk/internal/model"
)

// Ops keep their order, move only from the states a step expects, and a
// queued reply replaces the ticket's draft in the same transaction.
func TestOutboxOpsAndDrafts(t *testing.T) {
	t.Parallel()
	s, _ := openTest(t)
	p := seedProject(t, s)
	ctx := context.Background()
	if _, err := s.SaveDraft(ctx, model.Draft{ProjectID: p.ID, IID: 7, Body: "Dear Zoë,", AnswersAt: t0}); err != nil {
		t.Fatal(err)
	}
	if d, ok, err := s.Draft(ctx, p.ID, 7); err != nil || !ok || d.Body != "Dear Zoë," || !d.AnswersAt.Equal(t0) || d.SavedAt.IsZero() {
		t.Fatalf("draft %+v %v %v", d, ok, err)
	}
	ops, err := s.EnqueueOps(ctx, []model.OutboxOp{
		{ProjectID: p.ID, IID: 7, Kind: model.OpReply, State: model.OpQueued, Payload: model.OpPayload{Body: "Dear Zoë, done."},
			NotBefore: t0.Add(time.Minute), AnswersAt: t0, Delivery: model.DeliverySMTP, MessageID: "abc@acme.com"},
		{ProjectID: p.ID, IID: 7, Kind: model.OpLabels, State: model.OpQueued, Payload: model.OpPayload{AddLabels: []string{"billing"}}},
	}, true)
	if err != nil || len(ops) != 2 || ops[0].Seq >= ops[1].Seq || len(ops[0].ID) != 16 {
		t.Fatalf("enqueue: %+v %v", ops, err)
	}
	if _, ok, _ := s.Draft(ctx, p.ID, 7); ok {
		t.Fatal("the draft stayed after its reply was queued")
	}
	got, err := s.Ops(ctx, OpFilter{ProjectID: p.ID, IID: 7})
	if err != nil || len(got) != 2 || got[0].Payload.Body != "Dear Zoë, done." || got[0].MessageID != "abc@acme.com" ||
		!got[0].NotBefore.Equal(t0.Add(time.Minute)) || got[1].Payload.AddLabels[0] != "billing" {
		t.Fatalf("read back: %+v %v", got, err)
	}
	// A step that expects another state does nothing.
	if _, err := s.UpdateOp(ctx, ops[0].ID, []string{model.OpSending}, func(o *model.OutboxOp) { o.State = model.OpSent }); !errors.Is(err, ErrOpMoved) {
		t.Fatalf("a step from the wrong state: %v", err)
	}
	op, err := s.UpdateOp(ctx, ops[0].ID, []string{model.OpQueued}, func(o *model.OutboxOp) { o.State, o.Attempts = model.OpSending, 1 })
	if err != nil || op.State != model.OpSending || op.Attempts != 1 {
		t.Fatalf("to sending: %+v %v", op, err)
	}
	// The mail's bytes and the DATA mark are kept with the op.
	if err := s.SetOpRaw(ctx, op.ID, []byte("From: support@acme.com\r\n\r\nhi")); err != nil {
		t.Fatal(err)
	}
	if started, _ := s.OpDataStarted(ctx, op.ID); started {
		t.Fatal("DATA marked before MarkOpData")
	}
	if err := s.MarkOpData(ctx, op.ID); err != nil {
		t.Fatal(err)
	}
	if started, _ := s.OpDataStarted(ctx, op.ID); !started {
		t.Fatal("DATA mark lost")
	}
	if raw, _ := s.OpRaw(ctx, op.ID); string(raw) != "From: support@acme.com\r\n\r\nhi" {
		t.Fatalf("raw %q", raw)
	}
	// Undo only while queued.
	if err := s.DeleteOp(ctx, op.ID, model.OpQueued); !errors.Is(err, ErrOpMoved) {
		t.Fatalf("undo of a sending op: %v", err)
	}
	if err := s.DeleteOp(ctx, ops[1].ID, model.OpQueued); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Op(ctx, ops[1].ID); !errors.Is(err, model.ErrNotFound) {
		t.Fatalf("an undone op is still there: %v", err)
	}
	// Done ops are listed only on request, and pruned when old.
	if _, err := s.UpdateOp(ctx, op.ID, nil, func(o *model.OutboxOp) { o.State = model.OpDone }); err != nil {
		t.Fatal(err)
	}
	if open, _ := s.Ops(ctx, OpFilter{}); len(open) != 0 {
		t.Fatalf("unfinished ops: %+v", open)
	}
	if all, _ := s.Ops(ctx, OpFilter{WithDone: true}); len(all) != 1 {
		t.Fatalf("all ops: %+v", all)
	}
	if n, err := s.PruneOps(ctx, time.Now().Add(time.Hour)); err != nil || n != 1 {
		t.Fatalf("prune: %d %v", n, err)
	}
}
