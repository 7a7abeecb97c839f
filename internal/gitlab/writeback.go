package gitlab

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	gl "gitlab.com/gitlab-org/api/client-go"

	"servicedesk/internal/model"
	"servicedesk/internal/store"
)

// The write-back functions the outbox calls. A note is posted once: the
// transport never repeats a POST, and each note the app posts carries a
// hidden marker with the outbox op's id, so after a crash or a lost answer
// FindNote tells whether it arrived. The other changes are idempotent (set
// labels, assignees, state; quick actions that add or remove a participant)
// and may be retried.

// Marker is the hidden idempotency marker of the note for outbox op opID.
// GitLab keeps HTML comments in the note's Markdown and does not render them.
func Marker(opID string) string { return "<!-- servicedesk:op=" + opID + " -->" }

// PostNote posts a note (internal or public: a public one is e-mailed to
// the customer by GitLab) with the op's marker. An error that is not a
// refusal from GitLab means the outcome is unknown: call FindNote before
// posting again.
func (c *Client) PostNote(ctx context.Context, p model.Project, iid int64, body string, internal bool, opID string) (model.Note, error) {
	if strings.TrimSpace(opID) == "" || strings.ContainsAny(opID, "<>-\n") {
		return model.Note{}, fmt.Errorf("op id %q cannot be a marker", opID)
	}
	opt := &gl.CreateIssueNoteOptions{Body: gl.Ptr(body + "\n\n" + Marker(opID)), Internal: gl.Ptr(internal)}
	n, _, err := c.api.Notes.CreateIssueNote(p.GitLabID, iid, opt, gl.WithContext(withoutRetry(ctx)))
	if err != nil {
		return model.Note{}, c.explain(err, fmt.Sprintf("post a note on %s#%d", p.Path, iid))
	}
	return noteFrom(n), nil
}

// FindNote looks for the note of outbox op opID on a ticket, newest notes
// first.
func (c *Client) FindNote(ctx context.Context, p model.Project, iid int64, opID string) (model.Note, bool, error) {
	var found *gl.Note
	err := c.eachNote(ctx, p, iid, "desc", func(n *gl.Note) bool {
		if strings.Contains(n.Body, Marker(opID)) {
			found = n
			return false
		}
		return true
	})
	if err != nil || found == nil {
		return model.Note{}, false, err
	}
	return noteFrom(found), true, nil
}

// eachNote calls fn with the notes of an issue in creation order (sort asc
// or desc) until fn returns false.
func (c *Client) eachNote(ctx context.Context, p model.Project, iid int64, sort string, fn func(*gl.Note) bool) error {
	opt := &gl.ListIssueNotesOptions{ListOptions: gl.ListOptions{PerPage: perPage, Page: 1},
		OrderBy: gl.Ptr("created_at"), Sort: gl.Ptr(sort)}
	for {
		ns, resp, err := c.api.Notes.ListIssueNotes(p.GitLabID, iid, opt, gl.WithContext(ctx))
		if err != nil {
			return c.explain(err, fmt.Sprintf("read the notes of %s#%d", p.Path, iid))
		}
		for _, n := range ns {
			if !fn(n) {
				return nil
			}
		}
		if resp.NextPage == 0 {
			return nil
		}
		opt.Page = resp.NextPage
	}
}

// RuleMarker marks the internal note by which one agent's app claims a
// team rule on a ticket: the oldest such note wins.
func RuleMarker(rule string) string { return "<!-- servicedesk:rule=" + rule + " -->" }

// NotesWith lists the notes of an issue whose body contains s, oldest
// first.
func (c *Client) NotesWith(ctx context.Context, p model.Project, iid int64, s string) ([]model.Note, error) {
	var out []model.Note
	err := c.eachNote(ctx, p, iid, "asc", func(n *gl.Note) bool {
		if strings.Contains(n.Body, s) {
			out = append(out, noteFrom(n))
		}
		return true
	})
	return out, err
}

// DeleteNote deletes a note of an issue; one already gone is no error.
func (c *Client) DeleteNote(ctx context.Context, p model.Project, iid, noteID int64) error {
	resp, err := c.api.Notes.DeleteIssueNote(p.GitLabID, iid, noteID, gl.WithContext(ctx))
	if resp != nil && resp.StatusCode == http.StatusNotFound {
		return nil
	}
	if err != nil {
		return c.explain(err, fmt.Sprintf("delete a note of %s#%d", p.Path, iid))
	}
	return nil
}

// Change is an edit of a ticket's labels, assignees or state.
type Change struct {
	AddLabels    []string
	RemoveLabels []string
	AssigneeIDs  *[]int64 // nil: unchanged; empty: unassign everyone
	StateEvent   string   // "close", "reopen" or ""
}

// Update applies a change and returns the ticket as GitLab has it now.
func (c *Client) Update(ctx context.Context, p model.Project, iid int64, ch Change) (model.Ticket, error) {
	opt := &gl.UpdateIssueOptions{}
	if len(ch.AddLabels) > 0 {
		opt.AddLabels = (*gl.LabelOptions)(&ch.AddLabels)
	}
	if len(ch.RemoveLabels) > 0 {
		opt.RemoveLabels = (*gl.LabelOptions)(&ch.RemoveLabels)
	}
	if ch.AssigneeIDs != nil {
		ids := *ch.AssigneeIDs
		if len(ids) == 0 {
			ids = []int64{0} // GitLab unassigns with 0
		}
		opt.AssigneeIDs = &ids
	}
	switch ch.StateEvent {
	case "":
	case "close", "reopen":
		opt.StateEvent = gl.Ptr(ch.StateEvent)
	default:
		return model.Ticket{}, fmt.Errorf("unknown state change %q", ch.StateEvent)
	}
	is, _, err := c.api.Issues.UpdateIssue(p.GitLabID, iid, opt, gl.WithContext(ctx))
	if err != nil {
		return model.Ticket{}, c.explain(err, fmt.Sprintf("change %s#%d", p.Path, iid))
	}
	return ticketFrom(p, is), nil
}

// QuickActions posts quick actions (one per line, such as "/add_email
// a@b.example") as a note of their own; GitLab runs them and keeps no note.
// They are idempotent, so a retry after a lost answer is safe.
func (c *Client) QuickActions(ctx context.Context, p model.Project, iid int64, actions ...string) error {
	for _, a := range actions {
		if !strings.HasPrefix(a, "/") || strings.ContainsAny(a, "\r\n") {
			return fmt.Errorf("%q is not one quick action", a)
		}
	}
	opt := &gl.CreateIssueNoteOptions{Body: gl.Ptr(strings.Join(actions, "\n"))}
	_, _, err := c.api.Notes.CreateIssueNote(p.GitLabID, iid, opt, gl.WithContext(ctx))
	if err != nil {
		return c.explain(err, fmt.Sprintf("change %s#%d", p.Path, iid))
	}
	return nil
}

// AddParticipants adds external participants (CC) who receive the public
// replies; GitLab allows ten per ticket.
func (c *Client) AddParticipants(ctx context.Context, p model.Project, iid int64, emails ...string) error {
	return c.QuickActions(ctx, p, iid, "/add_email "+strings.Join(emails, " "))
}

// RemoveParticipants removes external participants.
func (c *Client) RemoveParticipants(ctx context.Context, p model.Project, iid int64, emails ...string) error {
	return c.QuickActions(ctx, p, iid, "/remove_email "+strings.Join(emails, " "))
}

// MarkDuplicate closes a ticket as a duplicate of another of the project.
func (c *Client) MarkDuplicate(ctx context.Context, p model.Project, iid, of int64) error {
	return c.QuickActions(ctx, p, iid, fmt.Sprintf("/duplicate #%d", of))
}

// Refresh reads one ticket and its notes and stores them, so the local copy
// is right at once after a write.
func (s *Syncer) Refresh(ctx context.Context, p model.Project, iid int64) (model.Ticket, error) {
	is, _, err := s.Client.api.Issues.GetIssue(p.GitLabID, iid, gl.WithContext(ctx))
	if errors.Is(err, gl.ErrNotFound) {
		return model.Ticket{}, s.Store.MarkGone(ctx, p.ID, []int64{iid})
	}
	if err != nil {
		return model.Ticket{}, s.Client.explain(err, fmt.Sprintf("read %s#%d", p.Path, iid))
	}
	t := ticketFrom(p, is)
	notes, err := s.notes(ctx, p, iid)
	if err != nil {
		return t, err
	}
	return t, s.Store.SaveTickets(ctx, p.ID, []store.TicketWithNotes{{Ticket: t, Notes: notes, NotesRead: true}}, "", "")
}
