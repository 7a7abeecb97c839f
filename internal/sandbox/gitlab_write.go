package sandbox

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// putIssue edits an issue as PUT /projects/:id/issues/:iid does, with the
// system notes GitLab writes for each change.
func (g *GitLab) putIssue(rw http.ResponseWriter, r *http.Request) {
	p, err := readParams(r)
	if err != nil {
		badRequest(rw, err.Error())
		return
	}
	w := g.w
	w.mu.Lock()
	defer w.mu.Unlock()
	is := g.issueByPath(rw, r)
	if is == nil {
		return
	}
	me := w.agents[0]
	at := w.clockLocked(w.lastChangeLocked())
	sys := func(body string) { w.addNoteLocked(is, me.ID, body, true, false, at) }
	changed := false
	if t := p.str("title"); p.has("title") && t != "" && t != is.Title {
		sys(fmt.Sprintf("changed title from **%s** to **%s**", is.Title, t))
		is.Title, changed = t, true
	}
	if p.has("description") && p.str("description") != is.Description {
		sys("changed the description")
		is.Description, changed = p.str("description"), true
	}
	labels := append([]string(nil), is.Labels...)
	if p.has("labels") {
		labels = p.list("labels")
	}
	for _, l := range p.list("add_labels") {
		if !slices.Contains(labels, l) {
			labels = append(labels, l)
		}
	}
	labels = slices.DeleteFunc(labels, func(l string) bool { return slices.Contains(p.list("remove_labels"), l) })
	if !labelsEqual(labels, is.Labels) {
		var added, removed []string
		for _, l := range labels {
			if !slices.Contains(is.Labels, l) {
				added = append(added, l)
			}
		}
		for _, l := range is.Labels {
			if !slices.Contains(labels, l) {
				removed = append(removed, l)
			}
		}
		switch {
		case len(added) > 0 && len(removed) > 0:
			sys(labelNote("added", added) + " and " + labelNote("removed", removed))
		case len(added) > 0:
			sys(labelNote("added", added))
		case len(removed) > 0:
			sys(labelNote("removed", removed))
		}
		is.Labels, changed = labels, true
	}
	if p.has("assignee_ids") || p.has("assignee_id") {
		ids := p.list("assignee_ids")
		if p.has("assignee_id") {
			ids = p.list("assignee_id")
		}
		var assignees []int64
		var names []string
		for _, s := range ids {
			id, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				badRequest(rw, "assignee_ids is invalid")
				return
			}
			if u, ok := w.userByID(id); ok && id != 0 {
				assignees = append(assignees, id)
				names = append(names, "@"+u.Username)
			}
		}
		if !slices.Equal(assignees, is.AssigneeIDs) {
			if len(assignees) == 0 {
				var old []string
				for _, id := range is.AssigneeIDs {
					u, _ := w.userByID(id)
					old = append(old, "@"+u.Username)
				}
				sys("unassigned " + strings.Join(old, ", "))
			} else {
				sys("assigned to " + strings.Join(names, ", "))
			}
			is.AssigneeIDs, changed = append([]int64{}, assignees...), true
		}
	}
	if p.has("confidential") && p.bool("confidential") != is.Confidential {
		is.Confidential, changed = p.bool("confidential"), true
		if is.Confidential {
			sys("made the issue confidential")
		} else {
			sys("made the issue visible to everyone")
		}
	}
	switch p.str("state_event") {
	case "close":
		if is.State != "closed" {
			w.closeLocked(is, me.ID, at)
			changed = true
		}
	case "reopen":
		if is.State == "closed" {
			sys("reopened")
			is.State, is.ClosedAt, is.ClosedByID, changed = "opened", nil, 0, true
		}
	case "":
	default:
		badRequest(rw, "state_event does not have a valid value")
		return
	}
	if changed {
		is.UpdatedAt = at
	}
	writeJSON(rw, http.StatusOK, g.issueJSON(is))
}

// postNote adds a comment as the token's user, as POST .../notes does.
func (g *GitLab) postNote(rw http.ResponseWriter, r *http.Request) {
	p, err := readParams(r)
	if err != nil {
		badRequest(rw, err.Error())
		return
	}
	body := p.str("body")
	if strings.TrimSpace(body) == "" {
		badRequest(rw, "body is missing")
		return
	}
	w := g.w
	w.mu.Lock()
	defer w.mu.Unlock()
	is := g.issueByPath(rw, r)
	if is == nil {
		return
	}
	internal := p.bool("internal") || p.bool("confidential")
	at := w.clockLocked(w.lastChangeLocked())
	body, summary, err := w.quickActions(is, body, w.agents[0].ID, at)
	if err != nil {
		badRequest(rw, err.Error())
		return
	}
	is.UpdatedAt = at
	if body == "" {
		// Only quick actions: GitLab answers 202 with what they did.
		writeJSON(rw, http.StatusAccepted, map[string]any{"commands_changes": map[string]any{}, "summary": summary})
		return
	}
	n := w.addNoteLocked(is, w.agents[0].ID, body, false, internal, at)
	if !internal {
		// GitLab's custom email sends the public note to the customer.
		m := replyMail(is, n, w.agents[0], "")
		n.MessageID = m.MessageID
		ls := w.addMailLocked(m)
		defer notify(ls, m)
	}
	writeJSON(rw, http.StatusCreated, g.noteJSON(n, is))
}

// deleteNote removes a comment, as DELETE .../notes/:note_id does (204).
func (g *GitLab) deleteNote(rw http.ResponseWriter, r *http.Request) {
	w := g.w
	w.mu.Lock()
	defer w.mu.Unlock()
	is := g.issueByPath(rw, r)
	if is == nil {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("note"), 10, 64)
	if err != nil {
		badRequest(rw, "note_id is not a number")
		return
	}
	notes := w.notes[is.IID]
	for i, n := range notes {
		if n.ID == id && !n.System {
			w.notes[is.IID] = append(notes[:i:i], notes[i+1:]...)
			is.UpdatedAt = w.clockLocked(w.lastChangeLocked())
			rw.WriteHeader(http.StatusNoContent)
			return
		}
	}
	writeJSON(rw, http.StatusNotFound, map[string]any{"message": "404 Not found"})
}
