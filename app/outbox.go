package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"servicedesk/internal/model"
	"servicedesk/internal/service"
)

// The composer's and the Outbox view's bindings: replies and changes are
// queued (shown at once as pending), leave after their undo window, and
// come back as outbox:changed events as they move.

// OutboxOpDTO is one op of the outbox.
type OutboxOpDTO struct {
	ID        string   `json:"id"`
	ProjectID int64    `json:"project_id"`
	IID       int64    `json:"iid"`
	Kind      string   `json:"kind"`  // reply, note, labels, assign, state, cc
	State     string   `json:"state"` // queued, sending, sent, recorded, failed, delivery unknown, conflict
	Reason    string   `json:"reason"`
	Retryable bool     `json:"retryable"`
	Attempts  int      `json:"attempts"`
	Body      string   `json:"body"`
	Labels    []string `json:"add_labels"`
	Unlabels  []string `json:"remove_labels"`
	Assignees []string `json:"assignees"`
	Change    string   `json:"state_change"` // close, reopen
	MergeInto int64    `json:"merge_into"`   // merge: the ticket it goes into
	AddCC     []string `json:"add_cc"`
	RemoveCC  []string `json:"remove_cc"`
	Delivery  string   `json:"delivery"`
	SendAt    string   `json:"send_at"`     // end of the undo window or the send-later time (RFC 3339)
	NextTryAt string   `json:"next_try_at"` // a retryable failure's next try; "" for none
	CreatedAt string   `json:"created_at"`
	UpdatedAt string   `json:"updated_at"`
}

func opDTO(op model.OutboxOp) OutboxOpDTO {
	return OutboxOpDTO{ID: op.ID, ProjectID: op.ProjectID, IID: op.IID, Kind: op.Kind, State: op.State, Reason: op.Reason,
		Retryable: op.Retryable, Attempts: op.Attempts, Body: op.Payload.Body, Labels: nonNil(op.Payload.AddLabels),
		Unlabels: nonNil(op.Payload.RemoveLabels), Assignees: nonNil(op.Payload.Assignees), Change: op.Payload.State,
		MergeInto: op.Payload.MergeInto, AddCC: nonNil(op.Payload.AddCC), RemoveCC: nonNil(op.Payload.RemoveCC), Delivery: op.Delivery, SendAt: timeString(op.NotBefore),
		NextTryAt: timeString(op.NextTryAt), CreatedAt: timeString(op.CreatedAt), UpdatedAt: timeString(op.UpdatedAt)}
}

// ReplyDTO is a reply or internal note from the composer.
type ReplyDTO struct {
	ProjectID int64    `json:"project_id"`
	IID       int64    `json:"iid"`
	Body      string   `json:"body"`
	Internal  bool     `json:"internal"`
	SendAt    string   `json:"send_at"`     // RFC 3339 for send-later; "" for after the undo window
	Files     []string `json:"attachments"` // tokens from PickAttachments
}

// PickedFileDTO is a file the agent chose to attach, by token: the page
// never names a path, so nothing in it can attach a file the agent did not
// pick in the system's dialog.
type PickedFileDTO struct {
	Token string `json:"token"`
	Name  string `json:"name"`
	Size  int64  `json:"size"`
}

// PickAttachments opens the system's file dialog; the chosen files come
// back as tokens for Reply.
func (a *App) PickAttachments() ([]PickedFileDTO, error) {
	ctx, err := a.windowContext()
	if err != nil {
		return nil, err
	}
	paths, err := runtime.OpenMultipleFilesDialog(ctx, runtime.OpenDialogOptions{Title: "Attach files"})
	if err != nil {
		return nil, err
	}
	out := []PickedFileDTO{}
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil || !fi.Mode().IsRegular() {
			return nil, fmt.Errorf("cannot attach %s: not a readable file", filepath.Base(p))
		}
		out = append(out, PickedFileDTO{Token: a.picked.add(p), Name: filepath.Base(p), Size: fi.Size()})
	}
	return out, nil
}

// pickedFiles are the files the agent picked, by token.
type pickedFiles struct {
	mu    sync.Mutex
	paths map[string]string
}

func (f *pickedFiles) add(path string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.paths == nil {
		f.paths = map[string]string{}
	}
	var b [12]byte
	_, _ = rand.Read(b[:])
	token := hex.EncodeToString(b[:])
	f.paths[token] = path
	return token
}

func (f *pickedFiles) resolve(tokens []string) ([]string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, t := range tokens {
		p, ok := f.paths[t]
		if !ok {
			return nil, fmt.Errorf("an attachment was not picked in this window: pick it again")
		}
		out = append(out, p)
	}
	return out, nil
}

// Reply queues a reply or note; it leaves after the undo window.
func (a *App) Reply(r ReplyDTO) (OutboxOpDTO, error) {
	files, err := a.picked.resolve(r.Files)
	if err != nil {
		return OutboxOpDTO{}, err
	}
	req := service.ReplyRequest{ProjectID: r.ProjectID, IID: r.IID, Body: r.Body, Internal: r.Internal, Files: files}
	if r.SendAt != "" {
		at, err := time.Parse(time.RFC3339, r.SendAt)
		if err != nil {
			return OutboxOpDTO{}, fmt.Errorf("send-later time %q: %w", r.SendAt, err)
		}
		req.SendAt = at
	}
	op, err := a.current().Reply(context.Background(), req)
	if err != nil {
		return OutboxOpDTO{}, err
	}
	a.events.outboxChanged(op)
	return opDTO(op), nil
}

// TriageDTO changes a ticket's labels, assignees, state or CC list; only
// what is set changes.
type TriageDTO struct {
	ProjectID    int64     `json:"project_id"`
	IID          int64     `json:"iid"`
	AddLabels    []string  `json:"add_labels"`
	RemoveLabels []string  `json:"remove_labels"`
	Assignees    *[]string `json:"assignees"` // null: unchanged; []: unassign
	State        string    `json:"state"`     // close, reopen or ""
	AddCC        []string  `json:"add_cc"`
	RemoveCC     []string  `json:"remove_cc"`
}

// Triage queues the changes; they leave at once.
func (a *App) Triage(t TriageDTO) ([]OutboxOpDTO, error) {
	ops, err := a.current().Triage(context.Background(), service.TriageRequest{ProjectID: t.ProjectID, IID: t.IID,
		AddLabels: t.AddLabels, RemoveLabels: t.RemoveLabels, Assignees: t.Assignees, State: t.State, AddCC: t.AddCC, RemoveCC: t.RemoveCC})
	if err != nil {
		return nil, err
	}
	return a.queued(ops), nil
}

// queued tells the window of ops just queued (outbox:changed) and returns
// them as the bound method's answer.
func (a *App) queued(ops []model.OutboxOp) []OutboxOpDTO {
	out := make([]OutboxOpDTO, len(ops))
	for i, op := range ops {
		a.events.outboxChanged(op)
		out[i] = opDTO(op)
	}
	return out
}

// Merge closes ticket from as a duplicate of ticket into, its content
// copied there as an internal note (the offer of TicketDTO.merge_into).
func (a *App) Merge(projectID, from, into int64) (OutboxOpDTO, error) {
	op, err := a.current().Merge(context.Background(), projectID, from, into)
	if err != nil {
		return OutboxOpDTO{}, err
	}
	a.events.outboxChanged(op)
	return opDTO(op), nil
}

// Outbox lists the ops that have not finished (with done: the recorded
// ones kept too).
func (a *App) Outbox(withDone bool) ([]OutboxOpDTO, error) {
	ops, err := a.current().Outbox(context.Background(), withDone)
	if err != nil {
		return nil, err
	}
	out := make([]OutboxOpDTO, len(ops))
	for i, op := range ops {
		out[i] = opDTO(op)
	}
	return out, nil
}

// Undo takes back a reply or change that has not left; a reply's text goes
// back to the ticket's draft.
func (a *App) Undo(opID string) error {
	op, err := a.current().Undo(context.Background(), opID)
	if err != nil {
		return err
	}
	op.State = "undone"
	a.events.outboxChanged(op)
	return nil
}

// Decide applies the agent's decision about an op that stopped: retry,
// send-anyway, edit, discard, send-again, delivered.
func (a *App) Decide(opID, decision string) error {
	op, err := a.current().Decide(context.Background(), opID, decision)
	if err != nil {
		return err
	}
	if decision == service.DecideDiscard || decision == service.DecideEdit {
		op.State = "undone"
	}
	a.events.outboxChanged(op)
	return nil
}

// DraftDTO is the reply being written on a ticket.
type DraftDTO struct {
	ProjectID int64  `json:"project_id"`
	IID       int64  `json:"iid"`
	Body      string `json:"body"`
	Internal  bool   `json:"internal"`
	SavedAt   string `json:"saved_at"` // "" when there is none
}

// SaveDraft stores what the agent is typing (the composer calls it
// debounced); an empty body removes the draft.
func (a *App) SaveDraft(d DraftDTO) (DraftDTO, error) {
	saved, err := a.current().SaveDraft(context.Background(), d.ProjectID, d.IID, d.Body, d.Internal)
	if err != nil {
		return DraftDTO{}, err
	}
	return draftDTO(saved), nil
}

// GetDraft returns the draft of a ticket (empty when none).
func (a *App) GetDraft(projectID, iid int64) (DraftDTO, error) {
	d, err := a.current().Draft(context.Background(), projectID, iid)
	if err != nil {
		return DraftDTO{}, err
	}
	return draftDTO(d), nil
}

func draftDTO(d model.Draft) DraftDTO {
	return DraftDTO{ProjectID: d.ProjectID, IID: d.IID, Body: d.Body, Internal: d.Internal, SavedAt: timeString(d.SavedAt)}
}
