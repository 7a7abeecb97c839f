package sandbox

import (
	"fmt"
	"time"
)

// gitlabTime formats t as GitLab's REST API does: 2026-11-20T09:15:02.123Z.
func gitlabTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

func timePtr(t *time.Time) any {
	if t == nil {
		return nil
	}
	return gitlabTime(*t)
}

func (g *GitLab) webURL(path string) string { return "https://" + gitlabHost + "/" + path }

func (g *GitLab) userJSON(u User) map[string]any {
	return map[string]any{
		"id": u.ID, "username": u.Username, "name": u.Name, "state": "active", "locked": false,
		"avatar_url": "https://secure.gravatar.com/avatar/" + fmt.Sprintf("%032x", u.ID) + "?s=80&d=identicon",
		"web_url":    g.webURL(u.Username),
	}
}

func (g *GitLab) projectJSON(p Project) map[string]any {
	return map[string]any{
		"id": p.ID, "name": p.Name, "path": p.Path, "path_with_namespace": p.PathWithNamespace(),
		"name_with_namespace": "Acme / " + p.Name, "description": "Customer support queue for Acme Invoicing",
		"default_branch": "main", "visibility": "private", "archived": false,
		"web_url":    g.webURL(p.PathWithNamespace()),
		"namespace":  map[string]any{"id": 7, "name": "Acme", "path": p.Namespace, "kind": "group", "full_path": p.Namespace},
		"created_at": gitlabTime(g.w.now.AddDate(-2, 0, 0)), "last_activity_at": gitlabTime(g.w.now),
		"issues_enabled": true, "service_desk_enabled": true,
		"service_desk_address": fmt.Sprintf("contact-project+%s-%s-%d-issue-@incoming.%s", p.Namespace, p.Path, p.ID, gitlabHost),
		"open_issues_count":    g.openCount(),
	}
}

func (g *GitLab) openCount() int {
	n := 0
	for _, is := range g.w.Issues() {
		if is.State == "opened" {
			n++
		}
	}
	return n
}

// issueJSON renders an issue in the shape of GET /projects/:id/issues/:iid.
// The caller holds the world's lock.
func (g *GitLab) issueJSON(is *Issue) map[string]any {
	assignees := []any{}
	var assignee any
	for _, id := range is.AssigneeIDs {
		if u, ok := g.w.userByID(id); ok {
			assignees = append(assignees, g.userJSON(u))
		}
	}
	if len(assignees) > 0 {
		assignee = assignees[0]
	}
	var closedBy any
	if is.ClosedByID != 0 {
		if u, ok := g.w.userByID(is.ClosedByID); ok {
			closedBy = g.userJSON(u)
		}
	}
	var moved any
	if is.MovedToID != 0 {
		moved = is.MovedToID
	}
	p := g.w.project
	web := fmt.Sprintf("%s/-/issues/%d", g.webURL(p.PathWithNamespace()), is.IID)
	api := fmt.Sprintf("%s/api/v4/projects/%d/issues/%d", "https://"+gitlabHost, p.ID, is.IID)
	return map[string]any{
		"id": is.ID, "iid": is.IID, "project_id": is.ProjectID, "title": is.Title, "description": is.Description,
		"state": is.State, "created_at": gitlabTime(is.CreatedAt), "updated_at": gitlabTime(is.UpdatedAt),
		"closed_at": timePtr(is.ClosedAt), "closed_by": closedBy, "labels": append([]string{}, is.Labels...),
		"milestone": nil, "assignees": assignees, "assignee": assignee, "author": g.userJSON(g.w.bot),
		"type": "ISSUE", "issue_type": "issue", "user_notes_count": g.w.userNotesCountLocked(is.IID),
		"merge_requests_count": 0, "upvotes": 0, "downvotes": 0, "due_date": nil, "confidential": is.Confidential,
		"discussion_locked": nil, "web_url": web, "weight": nil, "health_status": nil, "subscribed": false,
		"has_tasks": false, "blocking_issues_count": 0, "severity": "UNKNOWN", "task_status": "",
		"references": map[string]any{
			"short": fmt.Sprintf("#%d", is.IID), "relative": fmt.Sprintf("#%d", is.IID),
			"full": fmt.Sprintf("%s#%d", p.PathWithNamespace(), is.IID),
		},
		"time_stats":             map[string]any{"time_estimate": 0, "total_time_spent": 0, "human_time_estimate": nil, "human_total_time_spent": nil},
		"task_completion_status": map[string]any{"count": 0, "completed_count": 0},
		"service_desk_reply_to":  is.Customer.Email, "moved_to_id": moved,
		"_links": map[string]any{"self": api, "notes": api + "/notes", "award_emoji": api + "/award_emoji",
			"project": fmt.Sprintf("https://%s/api/v4/projects/%d", gitlabHost, p.ID), "closed_as_duplicate_of": nil},
	}
}

// noteJSON renders a note in the shape of GET .../issues/:iid/notes.
func (g *GitLab) noteJSON(n *Note, is *Issue) map[string]any {
	author, _ := g.w.userByID(n.AuthorID)
	return map[string]any{
		"id": n.ID, "type": nil, "body": n.Body, "attachment": nil, "author": g.userJSON(author),
		"created_at": gitlabTime(n.CreatedAt), "updated_at": gitlabTime(n.UpdatedAt), "system": n.System,
		"noteable_id": is.ID, "noteable_type": "Issue", "noteable_iid": is.IID, "project_id": n.ProjectID,
		"resolvable": false, "confidential": n.Internal, "internal": n.Internal, "imported": false,
		"imported_from": "none", "commands_changes": map[string]any{},
	}
}
