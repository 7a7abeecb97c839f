// Package outbox sends what the agent did: every reply, internal note,
// label, assignment, state and CC change is an op in the store first
// (store.EnqueueOps), shown at once as pending, and the Runner makes it
// happen on GitLab or by SMTP when its undo window is over and the servers
// can be reached. DESIGN section 5.
//
// Never twice, never lost: each step is a durable transaction. A note
// carries a hidden marker with the op's id, and a note that may have been
// posted (a crash, a lost answer) is looked for before it is posted again.
// A mail's raw bytes and the mark "DATA may have begun" are on disk before
// the SMTP server can receive it; after a crash between the end of DATA and
// the server's answer the op is "delivery unknown": the Runner looks for its
// Message-ID in the mailbox (the Sent folder), and otherwise the agent
// decides. It is never sent again silently.
//
// Ops of one ticket leave in the order they were queued; an op that stops
// (failed for good, conflict, delivery unknown) holds back the later ops of
// its ticket until the agent decides.
package outbox

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"time"

	"servicedesk/internal/gitlab"
	"servicedesk/internal/model"
	"servicedesk/internal/store"
)

// DefaultUndo is the undo window of a reply or note when the settings name
// none.
const DefaultUndo = 10 * time.Second

// Backoff bounds: a retryable failure waits MinBackoff after the first
// attempt, doubling up to MaxBackoff (or what GitLab's Retry-After says).
const (
	MinBackoff = 2 * time.Second
	MaxBackoff = 5 * time.Minute
)

// GitLab is what the Runner asks of GitLab (internal/gitlab's Client and
// Syncer provide it).
type GitLab interface {
	PostNote(ctx context.Context, p model.Project, iid int64, body string, internal bool, opID string) (model.Note, error)
	FindNote(ctx context.Context, p model.Project, iid int64, opID string) (model.Note, bool, error)
	Update(ctx context.Context, p model.Project, iid int64, ch gitlab.Change) (model.Ticket, error)
	AddParticipants(ctx context.Context, p model.Project, iid int64, emails ...string) error
	RemoveParticipants(ctx context.Context, p model.Project, iid int64, emails ...string) error
	MarkDuplicate(ctx context.Context, p model.Project, iid, of int64) error
	// NotesWith lists the notes containing s, oldest first; DeleteNote
	// deletes one (a rule's withdrawn claim).
	NotesWith(ctx context.Context, p model.Project, iid int64, s string) ([]model.Note, error)
	DeleteNote(ctx context.Context, p model.Project, iid, noteID int64) error
	// Refresh reads the ticket and its notes into the store.
	Refresh(ctx context.Context, p model.Project, iid int64) (model.Ticket, error)
}

// Mail composes and sends a reply as the brand (delivery smtp).
type Mail interface {
	// Compose builds the mail of a reply op (its MessageID is set).
	Compose(ctx context.Context, op model.OutboxOp) ([]byte, error)
	// Send hands raw to the brand's SMTP server; beforeData runs just
	// before the DATA command. Errors wrap ErrTemporary, ErrUnknown or
	// neither (a refusal that will not heal).
	Send(ctx context.Context, op model.OutboxOp, raw []byte, beforeData func() error) error
}

// Errors a Mail's Send wraps to say what happened.
var (
	// ErrTemporary: the mail did not leave and may leave on a later try.
	ErrTemporary = errors.New("temporary")
	// ErrUnknown: the connection ended after the whole mail was written
	// and before the server answered: it may have been accepted.
	ErrUnknown = errors.New("delivery unknown")
)

// Target is how the ops of one project leave.
type Target struct {
	Project  model.Project
	GitLab   GitLab
	Delivery string // the project's identity's delivery mode for replies
	Mail     Mail   // for delivery smtp; nil otherwise
}

// Runner sends the outbox.
type Runner struct {
	Store *store.Store
	// Connect returns how a project's ops leave; an error is the reason
	// the project's ops wait (no token in the keychain, no identity).
	Connect func(ctx context.Context, projectID int64) (Target, error)
	// OnChange is told of every op that changed state.
	OnChange func(model.OutboxOp)
	Log      *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Trace, when set, is told of each step of an op as it is taken:
	// "sending" (stored), "composed" (the mail's bytes stored), "data" (the
	// DATA mark stored), "accepted" (the SMTP server took it, not stored
	// yet), "sent" (stored), "posted" (GitLab took the note, not stored
	// yet), "recorded" (stored). The crash tests kill the process there.
	Trace func(op model.OutboxOp, step string)

	kick chan struct{}
	once sync.Once
}

func (r *Runner) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

func (r *Runner) init() { r.once.Do(func() { r.kick = make(chan struct{}, 1) }) }

// Kick asks the Runner to look at the outbox now (an op was queued, the
// network came back); it never blocks.
func (r *Runner) Kick() {
	r.init()
	select {
	case r.kick <- struct{}{}:
	default:
	}
}

// RetryNow makes the ops waiting after a retryable failure due at once
// (the network is back) and looks at the outbox.
func (r *Runner) RetryNow(ctx context.Context) error {
	ops, err := r.Store.Ops(ctx, store.OpFilter{})
	if err != nil {
		return err
	}
	for _, op := range ops {
		if op.State == model.OpFailed && op.Retryable {
			r.set(ctx, op.ID, []string{model.OpFailed}, func(o *model.OutboxOp) { o.NextTryAt = time.Time{} })
		}
	}
	r.Kick()
	return nil
}

// Lock makes this process the one that sends the profile's outbox (see
// store.LockOutbox): call it before Recover and Flush, and release when
// done. Two processes sending one outbox could send a mail twice.
func (r *Runner) Lock() (release func(), err error) { return r.Store.LockOutbox() }

// lockWait is how often Run tries again for the outbox while another
// process sends it.
const lockWait = 5 * time.Second

// Run takes the outbox (waiting while another process has it), recovers
// what a crash left halfway, then sends ops as they become due, until ctx
// ends.
func (r *Runner) Run(ctx context.Context) error {
	r.init()
	var release func()
	for logged := false; ; logged = true {
		var err error
		if release, err = r.Lock(); err == nil {
			break
		}
		if !errors.Is(err, store.ErrOutboxBusy) {
			return err
		}
		if !logged && r.Log != nil {
			r.Log.Warn("outbox: another process is sending it; waiting", "err", err)
		}
		t := time.NewTimer(lockWait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
	defer release()
	if err := r.Recover(ctx); err != nil {
		return err
	}
	for {
		next, err := r.Flush(ctx)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil && r.Log != nil {
			r.Log.Warn("outbox", "err", err)
		}
		wait := time.Minute
		if !next.IsZero() {
			wait = max(next.Sub(r.now()), 10*time.Millisecond)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-r.kick:
			t.Stop()
		case <-t.C:
		}
	}
}

// Recover settles the ops a crash left in flight: a mail whose DATA may
// have begun is "delivery unknown"; anything else in flight is ready again
// (a note is looked for before it is posted again, as for every try after
// the first).
func (r *Runner) Recover(ctx context.Context) error {
	ops, err := r.Store.Ops(ctx, store.OpFilter{})
	if err != nil {
		return err
	}
	for _, op := range ops {
		if op.State != model.OpSending {
			continue
		}
		data, err := r.Store.OpDataStarted(ctx, op.ID)
		if err != nil {
			return err
		}
		if op.Kind == model.OpReply && op.Delivery == model.DeliverySMTP && data {
			r.set(ctx, op.ID, []string{model.OpSending}, func(o *model.OutboxOp) {
				o.State, o.Reason = model.OpUnknown, "The app stopped while the mail server was taking this reply: it may have reached the customer. "+
					"The app looks for it in the mailbox's Sent folder; if it is not there, choose whether to send it again."
			})
			continue
		}
		r.set(ctx, op.ID, []string{model.OpSending}, func(o *model.OutboxOp) { o.State = model.OpReady })
	}
	return nil
}

// Flush sends every op that is due now, in queue order per ticket, and
// returns when the next one will be due (zero: none waits for a time).
func (r *Runner) Flush(ctx context.Context) (time.Time, error) {
	ctx = gitlab.NoRetry(ctx) // a failed try is retried here, with backoff, not in the transport
	var next time.Time
	due := func(t time.Time) {
		if next.IsZero() || t.Before(next) {
			next = t
		}
	}
	targets := map[int64]*targetOrErr{}
	for round := 0; ; round++ {
		ops, err := r.Store.Ops(ctx, store.OpFilter{})
		if err != nil {
			return next, err
		}
		progressed := false
		// An earlier op of a ticket that has not finished holds back the
		// later ones; a reply or note still waiting for its time (the undo
		// window, send-later) holds back only the later replies and notes:
		// a label or a close need not wait until tomorrow's reply leaves.
		held, heldWords := map[[2]int64]bool{}, map[[2]int64]bool{}
		next = time.Time{}
		for _, op := range ops {
			if ctx.Err() != nil {
				return next, ctx.Err()
			}
			key := [2]int64{op.ProjectID, op.IID}
			words := op.Kind == model.OpReply || op.Kind == model.OpNote
			if held[key] || words && heldWords[key] {
				continue
			}
			now := r.now()
			if op.State == model.OpQueued && now.Before(op.NotBefore) {
				due(op.NotBefore)
				if words {
					heldWords[key] = true
				} else {
					held[key] = true
				}
				continue
			}
			held[key] = true
			switch {
			case op.State == model.OpFailed && op.Retryable && now.Before(op.NextTryAt):
				due(op.NextTryAt)
				continue
			case op.State == model.OpFailed && !op.Retryable, op.State == model.OpConflict:
				continue // the agent decides
			case op.State == model.OpUnknown:
				if r.resolveUnknown(ctx, op) {
					progressed = true
				}
				continue
			}
			t := targets[op.ProjectID]
			if t == nil {
				t = &targetOrErr{}
				t.Target, t.err = r.Connect(ctx, op.ProjectID)
				targets[op.ProjectID] = t
			}
			if t.err != nil {
				if op.State == model.OpSent {
					r.retryLater(ctx, op, t.err)
				} else {
					r.fail(ctx, op, t.err)
				}
				continue
			}
			if done := r.step(ctx, t.Target, op); done {
				progressed = true
			}
		}
		if !progressed || round > 10_000 {
			return next, nil
		}
	}
}

type targetOrErr struct {
	Target
	err error
}

// step takes one op as far as it goes now; it returns true when the op
// finished, so the next op of its ticket may go in the same flush.
func (r *Runner) step(ctx context.Context, t Target, op model.OutboxOp) bool {
	if op.State == model.OpSent {
		return r.record(ctx, t, op, false)
	}
	op, ok := r.set(ctx, op.ID, []string{model.OpQueued, model.OpReady, model.OpFailed}, func(o *model.OutboxOp) {
		o.State, o.Attempts = model.OpSending, o.Attempts+1
	})
	if !ok {
		return false
	}
	r.trace(op, "sending")
	if op.Kind == model.OpReply {
		if stop, err := r.collides(ctx, t, op); err != nil {
			r.fail(ctx, op, err)
			return false
		} else if stop != "" {
			r.set(ctx, op.ID, []string{model.OpSending}, func(o *model.OutboxOp) { o.State, o.Reason = model.OpConflict, stop })
			return false
		}
	}
	var err error
	switch op.Kind {
	case model.OpReply:
		if t.Delivery == model.DeliverySMTP {
			if t.Mail == nil {
				r.fail(ctx, op, permanent(errors.New("the project's identity sends by e-mail but has no mail server: check it in Accounts")))
				return false
			}
			return r.mail(ctx, t, op)
		}
		err = r.note(ctx, t, op, false)
	case model.OpNote:
		err = r.note(ctx, t, op, true)
	case model.OpLabels:
		_, err = t.GitLab.Update(ctx, t.Project, op.IID, gitlab.Change{AddLabels: op.Payload.AddLabels, RemoveLabels: op.Payload.RemoveLabels})
	case model.OpAssign:
		err = r.assign(ctx, t, op)
	case model.OpState:
		_, err = t.GitLab.Update(ctx, t.Project, op.IID, gitlab.Change{StateEvent: op.Payload.State})
	case model.OpCC:
		err = r.cc(ctx, t, op)
	case model.OpMerge:
		err = r.merge(ctx, t, op)
	case model.OpRule:
		err = r.rule(ctx, t, op)
	default:
		err = fmt.Errorf("unknown op kind %q", op.Kind)
	}
	if err != nil {
		r.fail(ctx, op, err)
		return false
	}
	if op.Kind != model.OpReply && op.Kind != model.OpNote {
		r.refresh(ctx, t, op)
		r.set(ctx, op.ID, []string{model.OpSending}, func(o *model.OutboxOp) { o.State, o.Reason = model.OpDone, "" })
	}
	return true
}

// note posts a reply (public) or an internal note, unless a try before
// this one already did.
func (r *Runner) note(ctx context.Context, t Target, op model.OutboxOp, internal bool) error {
	if op.Attempts > 1 {
		if n, found, err := t.GitLab.FindNote(ctx, t.Project, op.IID, op.ID); err != nil {
			return err
		} else if found {
			r.done(ctx, t, op, n.ID)
			return nil
		}
	}
	n, err := t.GitLab.PostNote(ctx, t.Project, op.IID, op.Payload.Body, internal, op.ID)
	if err != nil {
		return err
	}
	r.trace(op, "posted")
	r.done(ctx, t, op, n.ID)
	return nil
}

func (r *Runner) done(ctx context.Context, t Target, op model.OutboxOp, noteID int64) {
	r.refresh(ctx, t, op)
	if op, ok := r.set(ctx, op.ID, []string{model.OpSending}, func(o *model.OutboxOp) { o.State, o.Reason, o.NoteID = model.OpDone, "", noteID }); ok {
		r.trace(op, "recorded")
	}
}

func (r *Runner) trace(op model.OutboxOp, step string) {
	if r.Trace != nil {
		r.Trace(op, step)
	}
}

// refresh reads the ticket back so the local copy shows what GitLab has;
// a failure only leaves it to the next sync.
func (r *Runner) refresh(ctx context.Context, t Target, op model.OutboxOp) {
	if _, err := t.GitLab.Refresh(ctx, t.Project, op.IID); err != nil && r.Log != nil {
		r.Log.Info("outbox: read back", "ticket", op.IID, "err", err)
	}
}

// mail sends a reply by SMTP: compose (once; the bytes are kept), mark DATA
// durably just before it, and record the outcome.
func (r *Runner) mail(ctx context.Context, t Target, op model.OutboxOp) bool {
	raw, err := r.Store.OpRaw(ctx, op.ID)
	if err == nil && raw == nil {
		if raw, err = t.Mail.Compose(ctx, op); err == nil {
			if err = r.Store.SetOpRaw(ctx, op.ID, raw); err == nil {
				r.trace(op, "composed")
			}
		}
	}
	if err != nil {
		r.fail(ctx, op, err)
		return false
	}
	err = t.Mail.Send(ctx, op, raw, func() error {
		if err := r.Store.MarkOpData(ctx, op.ID); err != nil {
			return err
		}
		r.trace(op, "data")
		return nil
	})
	switch {
	case err == nil:
		r.trace(op, "accepted")
		op, ok := r.set(ctx, op.ID, []string{model.OpSending}, func(o *model.OutboxOp) { o.State, o.Reason = model.OpSent, "" })
		if ok {
			r.trace(op, "sent")
		}
		return ok && r.record(ctx, t, op, true)
	case errors.Is(err, ErrUnknown):
		r.set(ctx, op.ID, []string{model.OpSending}, func(o *model.OutboxOp) {
			o.State, o.Reason = model.OpUnknown, sentenceOf(err)+" The app looks for the reply in the mailbox's Sent folder; "+
				"if it is not there, choose whether to send it again."
		})
		return false
	default:
		if cerr := r.Store.ClearOpData(ctx, op.ID); cerr != nil {
			r.fail(ctx, op, cerr)
			return false
		}
		if errors.Is(err, ErrTemporary) {
			r.fail(ctx, op, temporary{err})
		} else {
			r.fail(ctx, op, err)
		}
		return false
	}
}

// record posts the internal note that records a mailed reply on the
// ticket (with the op's marker, so GitLab does not mail it and a crash
// does not post it twice: unless fresh, the note is looked for first).
func (r *Runner) record(ctx context.Context, t Target, op model.OutboxOp, fresh bool) bool {
	if fresh {
		// Sent just now by this process: no earlier try can have posted it.
	} else if n, found, err := t.GitLab.FindNote(ctx, t.Project, op.IID, op.ID); err != nil {
		r.retryLater(ctx, op, err)
		return false
	} else if found {
		r.refresh(ctx, t, op)
		r.set(ctx, op.ID, []string{model.OpSent}, func(o *model.OutboxOp) { o.State, o.Reason, o.NoteID = model.OpDone, "", n.ID })
		return true
	}
	body := model.MailedReplyNote(op.MessageID, op.Payload.Body)
	n, err := t.GitLab.PostNote(ctx, t.Project, op.IID, body, true, op.ID)
	if err != nil {
		r.retryLater(ctx, op, err)
		return false
	}
	r.trace(op, "posted")
	r.refresh(ctx, t, op)
	if op, ok := r.set(ctx, op.ID, []string{model.OpSent}, func(o *model.OutboxOp) { o.State, o.Reason, o.NoteID = model.OpDone, "", n.ID }); ok {
		r.trace(op, "recorded")
	}
	return true
}

// retryLater keeps a sent mail's op in "sent" with a reason while its note
// cannot be posted; the next flush tries again.
func (r *Runner) retryLater(ctx context.Context, op model.OutboxOp, err error) {
	r.set(ctx, op.ID, []string{model.OpSent}, func(o *model.OutboxOp) {
		o.Reason = "Sent to the customer; recording it on the ticket failed and is tried again: " + sentenceOf(err)
	})
}

// resolveUnknown ends "delivery unknown" when the mail is in the mailbox
// (the Sent folder, or a copy that came back): it left.
func (r *Runner) resolveUnknown(ctx context.Context, op model.OutboxOp) bool {
	if op.MessageID == "" {
		return false
	}
	found, err := r.Store.HaveMessage(ctx, op.MessageID)
	if err != nil || !found {
		return false
	}
	_, ok := r.set(ctx, op.ID, []string{model.OpUnknown}, func(o *model.OutboxOp) {
		o.State, o.Reason = model.OpSent, ""
	})
	return ok
}

func (r *Runner) assign(ctx context.Context, t Target, op model.OutboxOp) error {
	members, err := r.Store.Members(ctx, op.ProjectID)
	if err != nil {
		return err
	}
	ids := []int64{}
	for _, name := range op.Payload.Assignees {
		id := int64(0)
		for _, m := range members {
			if strings.EqualFold(m.Username, name) {
				id = m.UserID
			}
		}
		if id == 0 {
			return permanent(fmt.Errorf("%s is not a member of %s: assign someone else", name, t.Project.Path))
		}
		ids = append(ids, id)
	}
	_, err = t.GitLab.Update(ctx, t.Project, op.IID, gitlab.Change{AssigneeIDs: &ids})
	return err
}

// rule applies a team rule exactly once however many agents' apps queued
// it: each posts its claim (an internal note with the rule's marker, once
// per op), then reads the claims back; GitLab's note ids grow, so the
// oldest claim is the same for every app. Its app applies the rule's
// labels and assignees; the others delete their claim and are done.
func (r *Runner) rule(ctx context.Context, t Target, op model.OutboxOp) error {
	marker := gitlab.RuleMarker(op.Payload.Rule)
	mine := func(n model.Note) bool { return strings.Contains(n.Body, gitlab.Marker(op.ID)) }
	claims, err := t.GitLab.NotesWith(ctx, t.Project, op.IID, marker)
	if err != nil {
		return err
	}
	if len(claims) > 0 && !slices.ContainsFunc(claims, mine) {
		r.trace(op, "claimed elsewhere")
		return nil // another app claimed it before this one tried
	}
	if len(claims) == 0 {
		if _, err := t.GitLab.PostNote(ctx, t.Project, op.IID, op.Payload.Body+"\n\n"+marker, true, op.ID); err != nil {
			return err
		}
		r.trace(op, "posted")
		if claims, err = t.GitLab.NotesWith(ctx, t.Project, op.IID, marker); err != nil {
			return err
		}
	}
	if len(claims) == 0 {
		return errors.New("the rule's claim note is not on the ticket after posting it")
	}
	if oldest := slices.MinFunc(claims, func(a, b model.Note) int { return cmp.Compare(a.ID, b.ID) }); !mine(oldest) {
		for _, n := range claims {
			if mine(n) {
				if err := t.GitLab.DeleteNote(ctx, t.Project, op.IID, n.ID); err != nil {
					return err
				}
			}
		}
		r.trace(op, "claimed elsewhere")
		return nil
	}
	if len(op.Payload.AddLabels)+len(op.Payload.RemoveLabels) > 0 {
		ch := gitlab.Change{AddLabels: op.Payload.AddLabels, RemoveLabels: op.Payload.RemoveLabels}
		if _, err := t.GitLab.Update(ctx, t.Project, op.IID, ch); err != nil {
			return err
		}
	}
	if len(op.Payload.Assignees) > 0 {
		return r.assign(ctx, t, op)
	}
	return nil
}

// merge copies a ticket's content to the one it continues (an internal
// note there, with the op's marker: posted once) and closes it as a
// duplicate of that one.
func (r *Runner) merge(ctx context.Context, t Target, op model.OutboxOp) error {
	into := op.Payload.MergeInto
	found := false
	if op.Attempts > 1 {
		var err error
		if _, found, err = t.GitLab.FindNote(ctx, t.Project, into, op.ID); err != nil {
			return err
		}
	}
	if !found {
		from, err := r.Store.Ticket(ctx, op.ProjectID, op.IID)
		if err != nil {
			return err
		}
		body := model.MergedAnswerNote(from.Customer, op.IID, quote(from.Description))
		if _, err := t.GitLab.PostNote(ctx, t.Project, into, body, true, op.ID); err != nil {
			return err
		}
	}
	if err := t.GitLab.MarkDuplicate(ctx, t.Project, op.IID, into); err != nil {
		return err
	}
	if _, err := t.GitLab.Refresh(ctx, t.Project, into); err != nil && r.Log != nil {
		r.Log.Info("outbox: read back", "ticket", into, "err", err)
	}
	return nil
}

// quote is Markdown text as a block quote.
func quote(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for i, l := range lines {
		lines[i] = "> " + l
	}
	return strings.Join(lines, "\n")
}

func (r *Runner) cc(ctx context.Context, t Target, op model.OutboxOp) error {
	if len(op.Payload.AddCC) > 0 {
		if err := t.GitLab.AddParticipants(ctx, t.Project, op.IID, op.Payload.AddCC...); err != nil {
			return err
		}
	}
	if len(op.Payload.RemoveCC) > 0 {
		return t.GitLab.RemoveParticipants(ctx, t.Project, op.IID, op.Payload.RemoveCC...)
	}
	return nil
}

// collides checks, just before a reply leaves, whether the ticket got a
// customer message or public note newer than the one the reply answers
// (read from GitLab first when it can be reached); it returns the reason
// for the conflict, or "".
func (r *Runner) collides(ctx context.Context, t Target, op model.OutboxOp) (string, error) {
	if _, err := t.GitLab.Refresh(ctx, t.Project, op.IID); err != nil {
		return "", err
	}
	n, ok, err := r.Store.NewestPublicNote(ctx, op.ProjectID, op.IID, op.AnswersAt)
	if err != nil || !ok {
		return "", err
	}
	who := n.AuthorName
	if who == "" {
		who = n.Author
	}
	if n.Author == model.SupportBot {
		who = "the customer"
	}
	return fmt.Sprintf("#%d got a newer message from %s (%s) after this reply was written: send it anyway, edit it, or discard it.",
		op.IID, who, n.CreatedAt.Local().Format("2 Jan 15:04")), nil
}

// fail records a failed try: retried with backoff when the error may heal
// (the network, 429, 5xx), stopped with the reason otherwise.
func (r *Runner) fail(ctx context.Context, op model.OutboxOp, err error) {
	if ctx.Err() != nil {
		return // stopping: Recover puts it right at the next start
	}
	retry := isTemporary(err)
	wait := backoff(op.Attempts)
	if d, ok := gitlab.RetryAfter(err); ok {
		wait = max(wait, d)
	}
	// Never from "sent": that mail left, and failing it could send it again.
	r.set(ctx, op.ID, []string{model.OpQueued, model.OpReady, model.OpSending, model.OpFailed}, func(o *model.OutboxOp) {
		o.State, o.Reason, o.Retryable = model.OpFailed, sentenceOf(err), retry
		o.NextTryAt = time.Time{}
		if retry {
			o.NextTryAt = r.now().Add(wait)
		}
	})
	if r.Log != nil {
		r.Log.Info("outbox: op failed", "op", op.ID, "kind", op.Kind, "ticket", op.IID, "retry", retry, "err", err)
	}
}

// backoff is the wait after attempt n (1-based): MinBackoff doubling to
// MaxBackoff, with up to a quarter of jitter.
func backoff(n int) time.Duration {
	d := MinBackoff
	for i := 1; i < n && d < MaxBackoff; i++ {
		d *= 2
	}
	d = min(d, MaxBackoff)
	return d + time.Duration(rand.Int64N(int64(d)/4+1))
}

// set applies a durable change and tells OnChange; ok is false when the op
// moved meanwhile (or the store failed: logged).
func (r *Runner) set(ctx context.Context, id string, from []string, change func(*model.OutboxOp)) (model.OutboxOp, bool) {
	op, err := r.Store.UpdateOp(context.WithoutCancel(ctx), id, from, change)
	if err != nil {
		if r.Log != nil && !errors.Is(err, store.ErrOpMoved) {
			r.Log.Error("outbox: store", "op", id, "err", err)
		}
		return op, false
	}
	if r.OnChange != nil {
		r.OnChange(op)
	}
	return op, true
}

type temporary struct{ error }

func (t temporary) Unwrap() error { return t.error }

type permanentErr struct{ error }

func (p permanentErr) Unwrap() error { return p.error }

func permanent(err error) error { return permanentErr{err} }

// Temporary marks an error of a Mail's Send after which the mail did not
// leave and may on a later try; its text stays the error's.
func Temporary(err error) error { return kindErr{err, ErrTemporary} }

// Unknown marks an error of a Mail's Send after which the mail may have
// left (the connection ended after its end was written).
func Unknown(err error) error { return kindErr{err, ErrUnknown} }

type kindErr struct {
	error
	kind error
}

func (k kindErr) Unwrap() []error { return []error{k.error, k.kind} }

// Permanent marks an error that trying again will not heal (a Mail's or a
// Connect's): the op stops with it until the agent decides.
func Permanent(err error) error { return permanentErr{err} }

func isTemporary(err error) bool {
	var p permanentErr
	if errors.As(err, &p) {
		return false
	}
	var t temporary
	return errors.As(err, &t) || errors.Is(err, ErrTemporary) || gitlab.Temporary(err)
}

// sentenceOf is an error as one line for the agent.
func sentenceOf(err error) string {
	s := strings.Join(strings.Fields(err.Error()), " ")
	if s != "" && !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}
