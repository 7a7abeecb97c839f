package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"servicedesk/internal/model"
	"servicedesk/internal/outbox"
	"servicedesk/internal/store"
)

// flushJSON is what `outbox flush --json` prints.
type flushJSON struct {
	Sent    []opJSON `json:"sent"`    // recorded during this flush
	Failed  []opJSON `json:"failed"`  // failed, conflict or delivery unknown: the agent decides (or a retry waits)
	Waiting []opJSON `json:"waiting"` // queued, ready, sending, or mailed and not yet recorded on the ticket
}

// outboxFlush sends what is due now with the outbox runner; with --wait it
// keeps at it until nothing waits to leave or the time is up, so ops in
// their undo window or with a retry ahead go too. It fails (exit 1) when an
// op is failed, in conflict or of unknown delivery afterwards, with one line
// each on stderr.
func (c *command) outboxFlush(args []string) error {
	fs := newFlags("outbox flush")
	wait := fs.Duration("wait", 0, "keep sending until nothing waits to leave or this long has passed")
	asJSON := fs.Bool("json", false, "print the summary as JSON")
	if pos, err := parse(fs, args); err != nil {
		return err
	} else if len(pos) > 0 {
		return misuse("unexpected argument %q", pos[0])
	}
	if *wait < 0 {
		return misuse("--wait must not be negative")
	}
	ctx, cancel := c.signalContext()
	defer cancel()
	svc, err := c.service(ctx)
	if err != nil {
		return err
	}
	before, err := svc.Outbox(ctx, false)
	if err != nil {
		return err
	}
	r := svc.OutboxRunner(nil)
	release, err := r.Lock()
	if errors.Is(err, store.ErrOutboxBusy) {
		return fmt.Errorf("the app has this profile open and sends its outbox itself; close it, or let it send")
	}
	if err != nil {
		return err
	}
	defer release()
	if err := r.Recover(ctx); err != nil {
		return err
	}
	deadline := time.Now().Add(*wait)
	for {
		next, err := r.Flush(ctx)
		if ctx.Err() != nil {
			break // interrupted: say where things stand, then fail
		}
		if err != nil {
			return err
		}
		if *wait == 0 {
			break
		}
		ops, err := svc.Outbox(ctx, false)
		if err != nil {
			return err
		}
		left := time.Until(deadline)
		if !waitsToLeave(ops) || left <= 0 {
			break
		}
		pause := outbox.MinBackoff // a mailed reply whose note is tried again at every flush
		if !next.IsZero() {
			pause = max(time.Until(next), 10*time.Millisecond)
		}
		if !sleep(ctx, min(pause, left)) {
			break
		}
	}
	interrupted := ctx.Err() != nil
	ctx = context.WithoutCancel(ctx)
	after, err := svc.Outbox(ctx, true)
	if err != nil {
		return err
	}
	paths, err := projectPaths(ctx, svc)
	if err != nil {
		return err
	}
	if err := c.flushReport(before, after, paths, *asJSON); err != nil || !interrupted {
		return err
	}
	return errors.New("interrupted: what was in flight is settled by the next flush or the app")
}

// flushReport prints what a flush did and fails when an op stopped.
func (c *command) flushReport(before, after []model.OutboxOp, paths map[int64]string, asJSON bool) error {
	pending := map[string]bool{}
	for _, op := range before {
		pending[op.ID] = true
	}
	var sent, failed, waiting []model.OutboxOp
	for _, op := range after {
		switch {
		case op.State == model.OpDone:
			if pending[op.ID] {
				sent = append(sent, op)
			}
		case stopped(op):
			failed = append(failed, op)
		default:
			waiting = append(waiting, op)
		}
	}
	if asJSON {
		if err := c.printJSON(flushJSON{Sent: toOpsJSON(sent, paths), Failed: toOpsJSON(failed, paths),
			Waiting: toOpsJSON(waiting, paths)}); err != nil {
			return err
		}
	} else {
		if len(sent)+len(failed)+len(waiting) > 0 {
			w := c.table(opHeader)
			writeOps(w, sent)
			writeOps(w, failed)
			writeOps(w, waiting)
			if err := w.Flush(); err != nil {
				return err
			}
		}
		fmt.Fprintf(c.env.Stdout, "Sent %d, failed %d, waiting %d.\n", len(sent), len(failed), len(waiting))
	}
	if len(failed) == 0 {
		return nil
	}
	for _, op := range failed {
		fmt.Fprintf(c.env.Stderr, "servicedesk: %s (#%d %s) %s: %s\n", op.ID, op.IID, op.Kind, op.State, oneLine(op.Reason))
	}
	return reported{}
}

// stopped is an op that does not leave until the agent decides, or (a
// retryable failure) until its next try.
func stopped(op model.OutboxOp) bool {
	switch op.State {
	case model.OpFailed, model.OpConflict, model.OpUnknown:
		return true
	}
	return false
}

// waitsToLeave reports whether an op will leave without the agent: it is
// queued, ready, in flight, mailed but not recorded, or failed with a retry
// ahead, and no stopped op of its ticket holds it back. ops are in queue
// order.
func waitsToLeave(ops []model.OutboxOp) bool {
	held := map[[2]int64]bool{}
	for _, op := range ops {
		key := [2]int64{op.ProjectID, op.IID}
		if held[key] {
			continue
		}
		if op.State == model.OpFailed && op.Retryable || !stopped(op) {
			return true
		}
		held[key] = true
	}
	return false
}

// sleep waits d; false when ctx ended first.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
