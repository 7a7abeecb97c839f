package service

import (
	"context"
	"errors"
	"fmt"
	"mime"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"servicedesk/internal/compose"
	"servicedesk/internal/gitlab"
	"servicedesk/internal/model"
	"servicedesk/internal/outbox"
	"servicedesk/internal/store"
)

// The outbox's use cases: queueing what the agent did on a ticket, undoing
// it while it waits, deciding about ops that stopped, and the Runner that
// sends them (internal/outbox).

// ReplyRequest is a reply or internal note the agent sends.
type ReplyRequest struct {
	ProjectID int64
	IID       int64
	Body      string // Markdown
	Internal  bool
	SendAt    time.Time     // zero: after the undo window
	Undo      time.Duration // the undo window; 0 means outbox.DefaultUndo, negative none
	Files     []string      // paths of files to attach; copied into the outbox when queued
}

// maxAttachments is what a reply may carry in total: GitLab sends larger
// ones as links, and many mail servers refuse mail over 25 MB.
const maxAttachments = 20 << 20

// Reply queues a reply (or an internal note) and removes the ticket's
// draft with it. The reply answers what the draft answered, or the newest
// public word on the ticket now.
func (s *Service) Reply(ctx context.Context, r ReplyRequest) (model.OutboxOp, error) {
	op, err := s.replyOp(ctx, r)
	if err != nil {
		return op, err
	}
	ops, err := s.store.EnqueueOps(ctx, []model.OutboxOp{op}, true)
	if err != nil {
		return model.OutboxOp{}, err
	}
	s.kickOutbox()
	return ops[0], nil
}

// replyOp makes the op of a reply, its template variables filled in and its
// files copied, without queueing it.
func (s *Service) replyOp(ctx context.Context, r ReplyRequest) (model.OutboxOp, error) {
	body := strings.TrimSpace(r.Body)
	if body == "" {
		return model.OutboxOp{}, inputError("write something first: the reply is empty")
	}
	t, err := s.store.Ticket(ctx, r.ProjectID, r.IID)
	if err != nil {
		return model.OutboxOp{}, err
	}
	answers := t.LastPublicAt
	if d, ok, err := s.store.Draft(ctx, r.ProjectID, r.IID); err != nil {
		return model.OutboxOp{}, err
	} else if ok && !d.AnswersAt.IsZero() {
		answers = d.AnswersAt
	}
	id, hasID, err := s.identity(ctx, r.ProjectID)
	if err != nil {
		return model.OutboxOp{}, err
	}
	if body, err = s.expand(ctx, body, t, id); err != nil {
		return model.OutboxOp{}, inputError("%s", err.Error())
	}
	op := model.OutboxOp{ProjectID: r.ProjectID, IID: r.IID, Kind: model.OpReply, Payload: model.OpPayload{Body: body},
		State: model.OpQueued, AnswersAt: answers, Delivery: model.DeliveryGitLab}
	if r.Internal {
		op.Kind, op.Delivery = model.OpNote, ""
	} else if hasID && id.Delivery == model.DeliverySMTP {
		op.Delivery, op.MessageID = model.DeliverySMTP, newMessageID(id.FromAddress)
	}
	if len(r.Files) > 0 {
		if r.Internal || op.Delivery != model.DeliverySMTP {
			return model.OutboxOp{}, inputError("attachments go with replies mailed by the app (an identity with delivery smtp); " +
				"for GitLab delivery or internal notes, upload the file in GitLab")
		}
		if op.Payload.Attachments, err = s.copyFiles(r.Files); err != nil {
			return model.OutboxOp{}, err
		}
	}
	undo := r.Undo
	if undo == 0 {
		undo = outbox.DefaultUndo
	}
	op.NotBefore = time.Now().Add(max(undo, 0))
	if !r.SendAt.IsZero() {
		if r.SendAt.Before(time.Now()) {
			return model.OutboxOp{}, inputError("the send-later time has passed: pick a time ahead")
		}
		op.NotBefore = r.SendAt
	}
	return op, nil
}

// copyFiles copies the files of a reply into the blob folder, so the reply
// sends what the agent attached even if the file changes or goes.
func (s *Service) copyFiles(paths []string) ([]model.OpFile, error) {
	var out []model.OpFile
	var total int64
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, inputError("cannot attach %s: %v", filepath.Base(p), err)
		}
		sum, size, err := s.store.WriteBlob(f)
		f.Close()
		if err != nil {
			return nil, err
		}
		if total += size; total > maxAttachments {
			return nil, inputError("the attachments add up to more than %d MB: send large files as links", maxAttachments>>20)
		}
		out = append(out, model.OpFile{Name: filepath.Base(p), ContentType: mime.TypeByExtension(filepath.Ext(p)), Size: size, SHA256: sum})
	}
	return out, nil
}

// expand fills a reply's template variables ({{customer.name}} …); an
// unknown variable refuses the reply before it is queued.
func (s *Service) expand(ctx context.Context, body string, t model.Ticket, id model.Account) (string, error) {
	if !strings.Contains(body, "{{") {
		return body, nil
	}
	v := compose.Vars{CustomerEmail: t.Customer, TicketIID: t.IID, TicketTitle: t.Title, BrandName: id.FromName, BrandAddress: id.FromAddress}
	msgs, err := s.store.Messages(ctx, store.MessageFilter{ProjectID: t.ProjectID, IID: t.IID})
	if err != nil {
		return "", err
	}
	v.CustomerName = customerName(msgs, t.Customer)
	p, err := s.store.Project(ctx, t.ProjectID)
	if err != nil {
		return "", err
	}
	a, err := s.store.Account(ctx, p.AccountID)
	if err != nil {
		return "", err
	}
	members, err := s.store.Members(ctx, p.ID)
	if err != nil {
		return "", err
	}
	v.AgentName = a.Username
	for _, m := range members {
		if m.Username == a.Username && m.Name != "" {
			v.AgentName = m.Name
		}
	}
	return compose.Expand(body, v)
}

// TriageRequest is a change of a ticket's labels, assignees, state or CC
// list; only the fields set change.
type TriageRequest struct {
	ProjectID    int64
	IID          int64
	AddLabels    []string
	RemoveLabels []string
	Assignees    *[]string // nil: unchanged; empty: unassign
	State        string    // "close", "reopen" or ""
	AddCC        []string
	RemoveCC     []string
}

// Triage queues the changes of a request, one op per kind, in one
// transaction; they leave at once (no undo window: each is undone by
// another change).
func (s *Service) Triage(ctx context.Context, r TriageRequest) ([]model.OutboxOp, error) {
	ops, err := s.triageOps(ctx, r)
	if err != nil {
		return nil, err
	}
	if len(ops) == 0 {
		return nil, inputError("nothing to change")
	}
	ops, err = s.store.EnqueueOps(ctx, ops, false)
	if err != nil {
		return nil, err
	}
	s.kickOutbox()
	return ops, nil
}

// triageOps makes the ops of a triage request (none when it changes
// nothing), without queueing them.
func (s *Service) triageOps(ctx context.Context, r TriageRequest) ([]model.OutboxOp, error) {
	if _, err := s.store.Ticket(ctx, r.ProjectID, r.IID); err != nil {
		return nil, err
	}
	base := model.OutboxOp{ProjectID: r.ProjectID, IID: r.IID, State: model.OpQueued, NotBefore: time.Now()}
	var ops []model.OutboxOp
	add := func(kind string, p model.OpPayload) {
		op := base
		op.Kind, op.Payload = kind, p
		ops = append(ops, op)
	}
	if len(r.AddLabels)+len(r.RemoveLabels) > 0 {
		add(model.OpLabels, model.OpPayload{AddLabels: r.AddLabels, RemoveLabels: r.RemoveLabels})
	}
	if r.Assignees != nil {
		add(model.OpAssign, model.OpPayload{Assignees: *r.Assignees})
	}
	switch r.State {
	case "":
	case "close", "reopen":
		add(model.OpState, model.OpPayload{State: r.State})
	default:
		return nil, inputError("%q is not a state change: use close or reopen", r.State)
	}
	for _, a := range append(slices.Clone(r.AddCC), r.RemoveCC...) {
		if !strings.Contains(a, "@") || strings.ContainsAny(a, " \t\r\n,;<>") {
			return nil, inputError("%q is not an e-mail address", a)
		}
	}
	if len(r.AddCC)+len(r.RemoveCC) > 0 {
		add(model.OpCC, model.OpPayload{AddCC: r.AddCC, RemoveCC: r.RemoveCC})
	}
	return ops, nil
}

// Merge queues closing ticket from as a duplicate of ticket into, with
// from's content copied to into as an internal note: the customer's answer
// that GitLab opened as a new ticket goes back where it belongs.
func (s *Service) Merge(ctx context.Context, projectID, from, into int64) (model.OutboxOp, error) {
	if from == into {
		return model.OutboxOp{}, inputError("a ticket cannot be merged into itself")
	}
	for _, iid := range []int64{from, into} {
		if _, err := s.store.Ticket(ctx, projectID, iid); err != nil {
			return model.OutboxOp{}, err
		}
	}
	ops, err := s.store.EnqueueOps(ctx, []model.OutboxOp{{ProjectID: projectID, IID: from, Kind: model.OpMerge,
		State: model.OpQueued, NotBefore: time.Now(), Payload: model.OpPayload{MergeInto: into}}}, false)
	if err != nil {
		return model.OutboxOp{}, err
	}
	s.kickOutbox()
	return ops[0], nil
}

// Outbox lists the ops that have not finished (with done: all kept).
func (s *Service) Outbox(ctx context.Context, withDone bool) ([]model.OutboxOp, error) {
	return s.store.Ops(ctx, store.OpFilter{WithDone: withDone})
}

// Undo takes back a reply or change that has not left yet. A reply's text
// goes back to the ticket's draft (the draft being typed, if any, is kept
// and the reply's text put under it).
func (s *Service) Undo(ctx context.Context, opID string) (model.OutboxOp, error) {
	op, err := s.store.Op(ctx, opID)
	if err != nil {
		return op, err
	}
	if err := s.store.DeleteOp(ctx, opID, model.OpQueued); err != nil {
		if errors.Is(err, store.ErrOpMoved) {
			return op, fmt.Errorf("too late to undo: it is already %s", op.State)
		}
		return op, err
	}
	if op.Kind == model.OpReply || op.Kind == model.OpNote {
		if err := s.restoreDraft(ctx, op); err != nil {
			return op, err
		}
	}
	return op, nil
}

// restoreDraft puts an op's text back into the ticket's draft.
func (s *Service) restoreDraft(ctx context.Context, op model.OutboxOp) error {
	d, ok, err := s.store.Draft(ctx, op.ProjectID, op.IID)
	if err != nil {
		return err
	}
	body := op.Payload.Body
	if ok && strings.TrimSpace(d.Body) != "" {
		body = d.Body + "\n\n" + body
	}
	_, err = s.store.SaveDraft(ctx, model.Draft{ProjectID: op.ProjectID, IID: op.IID, Body: body, Internal: op.Kind == model.OpNote,
		AnswersAt: op.AnswersAt})
	return err
}

// Decisions the agent makes about an op that stopped.
const (
	DecideRetry      = "retry"       // a failed op: try again now
	DecideSendAnyway = "send-anyway" // a conflict: it answers the newer message too
	DecideEdit       = "edit"        // a conflict or failure: back to the draft
	DecideDiscard    = "discard"     // drop it
	DecideSendAgain  = "send-again"  // delivery unknown: it did not arrive, send it again
	DecideDelivered  = "delivered"   // delivery unknown: it did arrive
)

// Decide applies the agent's decision about an op.
func (s *Service) Decide(ctx context.Context, opID, decision string) (model.OutboxOp, error) {
	op, err := s.store.Op(ctx, opID)
	if err != nil {
		return op, err
	}
	ready := func(o *model.OutboxOp) {
		o.State, o.Reason, o.Retryable, o.NextTryAt, o.NotBefore = model.OpReady, "", false, time.Time{}, time.Time{}
	}
	switch decision {
	case DecideRetry:
		op, err = s.store.UpdateOp(ctx, opID, []string{model.OpFailed}, ready)
	case DecideSendAnyway:
		op, err = s.store.UpdateOp(ctx, opID, []string{model.OpConflict}, func(o *model.OutboxOp) {
			ready(o)
			o.AnswersAt = time.Now()
		})
	case DecideEdit:
		if op.Kind != model.OpReply && op.Kind != model.OpNote {
			return op, inputError("only a reply or note can be edited")
		}
		if err = s.store.DeleteOp(ctx, opID, model.OpConflict, model.OpFailed); err == nil {
			err = s.restoreDraft(ctx, op)
		}
	case DecideDiscard:
		err = s.store.DeleteOp(ctx, opID, model.OpQueued, model.OpFailed, model.OpConflict, model.OpUnknown)
	case DecideSendAgain:
		if err = s.store.ClearOpData(ctx, opID); err == nil {
			op, err = s.store.UpdateOp(ctx, opID, []string{model.OpUnknown}, ready)
		}
	case DecideDelivered:
		op, err = s.store.UpdateOp(ctx, opID, []string{model.OpUnknown}, func(o *model.OutboxOp) {
			o.State, o.Reason = model.OpSent, ""
		})
	default:
		return op, inputError("%q is not a decision", decision)
	}
	if errors.Is(err, store.ErrOpMoved) {
		return op, fmt.Errorf("it changed meanwhile: it is now %s", op.State)
	}
	if err == nil {
		s.kickOutbox()
	}
	return op, err
}

// SaveDraft stores what the agent is typing on a ticket. A new draft
// remembers the newest public word on the ticket: the message it answers.
func (s *Service) SaveDraft(ctx context.Context, projectID, iid int64, body string, internal bool) (model.Draft, error) {
	d, ok, err := s.store.Draft(ctx, projectID, iid)
	if err != nil {
		return d, err
	}
	if !ok || d.AnswersAt.IsZero() {
		t, err := s.store.Ticket(ctx, projectID, iid)
		if err != nil {
			return d, err
		}
		d.AnswersAt = t.LastPublicAt
	}
	if strings.TrimSpace(body) == "" {
		return model.Draft{ProjectID: projectID, IID: iid}, s.store.DeleteDraft(ctx, projectID, iid)
	}
	d.ProjectID, d.IID, d.Body, d.Internal = projectID, iid, body, internal
	return s.store.SaveDraft(ctx, d)
}

// Draft returns the draft of a ticket (an empty one when there is none).
func (s *Service) Draft(ctx context.Context, projectID, iid int64) (model.Draft, error) {
	d, _, err := s.store.Draft(ctx, projectID, iid)
	d.ProjectID, d.IID = projectID, iid
	return d, err
}

// identity returns the sending identity of a project; ok is false when it
// has none (replies then go as public notes).
func (s *Service) identity(ctx context.Context, projectID int64) (model.Account, bool, error) {
	accounts, err := s.store.Accounts(ctx)
	if err != nil {
		return model.Account{}, false, err
	}
	for _, a := range accounts {
		if a.Kind == model.AccountSMTP && a.ProjectID == projectID {
			return a, true, nil
		}
	}
	return model.Account{}, false, nil
}

// OutboxRunner returns the runner that sends this profile's outbox; run it
// (Run) while the profile is open. onChange hears of every op that moved.
func (s *Service) OutboxRunner(onChange func(model.OutboxOp)) *outbox.Runner {
	r := &outbox.Runner{Store: s.store, Connect: s.outboxTarget, OnChange: onChange, Log: s.log}
	s.runnerMu.Lock()
	s.runner = r
	s.runnerMu.Unlock()
	return r
}

func (s *Service) kickOutbox() {
	s.runnerMu.Lock()
	r := s.runner
	s.runnerMu.Unlock()
	if r != nil {
		r.Kick()
	}
}

// outboxTarget is how a project's ops leave: its GitLab account, and its
// identity's delivery.
func (s *Service) outboxTarget(ctx context.Context, projectID int64) (outbox.Target, error) {
	p, err := s.store.Project(ctx, projectID)
	if err != nil {
		return outbox.Target{}, err
	}
	a, err := s.store.Account(ctx, p.AccountID)
	if err != nil {
		return outbox.Target{}, err
	}
	c, err := s.client(a)
	if err != nil {
		return outbox.Target{}, err
	}
	t := outbox.Target{Project: p, GitLab: glTarget{Client: c, sync: &gitlab.Syncer{Client: c, Store: s.store}, svc: s}, Delivery: model.DeliveryGitLab}
	id, ok, err := s.identity(ctx, projectID)
	if err != nil {
		return t, err
	}
	if ok && id.Delivery == model.DeliverySMTP {
		t.Delivery = model.DeliverySMTP
		t.Mail = &mailer{svc: s, identity: id, project: p}
	}
	return t, nil
}

// glTarget is GitLab as the outbox sees it: the client's writes and the
// syncer's read-back of one ticket, with its service-level clocks.
type glTarget struct {
	*gitlab.Client
	sync *gitlab.Syncer
	svc  *Service
}

// Refresh reads the ticket back after a change and brings its clocks up to
// date (the reply stopped one), before the window hears the op is done.
func (g glTarget) Refresh(ctx context.Context, p model.Project, iid int64) (model.Ticket, error) {
	t, err := g.sync.Refresh(ctx, p, iid)
	if err != nil {
		return t, err
	}
	if _, err := g.svc.refreshSLA(ctx, p.ID, time.Now()); err != nil {
		g.svc.log.Warn("service levels after a change", "project", p.Path, "iid", iid, "err", err)
	}
	return t, nil
}
