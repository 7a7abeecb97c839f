package app

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"servicedesk/internal/model"
	"servicedesk/internal/service"
	"servicedesk/internal/store"
)

// The built-in views, in the order of the left pane.
var builtinViews = []struct{ id, name string }{
	{"needs_reply", "Needs reply"},
	{"soon", "Breach soon"}, // only with a service-level policy
	{"breached", "Breached"},
	{"waiting", "Waiting on customer"},
	{"unassigned", "Unassigned"},
	{"mine", "Mine"},
	{"open", "All open"},
	{"closed", "Closed"},
	{"all", "All"},
	{"unlinked", "Mail without a ticket"},
}

// Overview returns the projects, the views with their counts for one
// project (0: all projects), the agent's saved views and the status.
func (a *App) Overview(projectID int64) (OverviewDTO, error) {
	ctx := context.Background()
	svc := a.current()
	ps, err := svc.Projects(ctx)
	if err != nil {
		return OverviewDTO{}, err
	}
	c, err := svc.CountViews(ctx, projectID)
	if err != nil {
		return OverviewDTO{}, err
	}
	unlinked, err := svc.CountUnlinkedMail(ctx)
	if err != nil {
		return OverviewDTO{}, err
	}
	counts := map[string]int{"needs_reply": c.NeedsReply, "waiting": c.Waiting, "unassigned": c.Unassigned, "mine": c.Mine,
		"open": c.Open, "closed": c.Closed, "all": c.All, "unlinked": unlinked, "soon": c.SLASoon, "breached": c.SLABreached}
	out := OverviewDTO{Projects: make([]ProjectDTO, 0, len(ps)), Status: a.statusOf(a.syncer().State(), len(ps) > 0),
		SLA: SLAInfoDTO{Problems: []string{}}}
	policies, err := svc.SLAPolicies(ctx, projectID)
	if err != nil {
		return OverviewDTO{}, err
	}
	for _, p := range policies {
		if p.Problem == "" {
			out.SLA.Active = true
			continue
		}
		// The file has the same path in every project: say whose.
		for _, pr := range ps {
			if pr.ID == p.ProjectID {
				out.SLA.Problems = append(out.SLA.Problems, pr.Path+": "+p.Problem)
			}
		}
	}
	if out.SLA.Active {
		next, err := svc.NextSLAChange(ctx, projectID, time.Now())
		if err != nil {
			return OverviewDTO{}, err
		}
		out.SLA.NextChangeAt = timeString(next)
	}
	for _, v := range builtinViews {
		if (v.id == "soon" || v.id == "breached") && !out.SLA.Active {
			continue
		}
		out.Views = append(out.Views, ViewDTO{ID: v.id, Name: v.name, Count: counts[v.id]})
	}
	saved, err := svc.SavedViews(ctx)
	if err != nil {
		return OverviewDTO{}, err
	}
	for _, v := range saved {
		d := ViewDTO{ID: savedViewID(v.ID), Name: v.Name, Query: v.Query}
		f, err := svc.ParseQuery(ctx, v.Query)
		if err == nil {
			// Counted with its words too: the search stops at
			// store.SearchCap, so a count stays quick.
			f.ProjectID, f.Limit = projectID, 1
			var p store.TicketPage
			if p, err = svc.ListTickets(ctx, f, ""); err == nil {
				d.Count, d.Capped = p.Total, p.Capped
			}
		}
		if err != nil {
			d.Error = err.Error()
		}
		out.Views = append(out.Views, d)
	}
	infos, err := svc.ProjectInfos(ctx)
	if err != nil {
		return OverviewDTO{}, err
	}
	for _, p := range infos {
		d := ProjectDTO{ID: p.ID, Path: p.Path, Name: p.Name, Labels: []LabelDTO{}, Members: []MemberDTO{}}
		for _, l := range p.Labels {
			d.Labels = append(d.Labels, LabelDTO{Name: l.Name, Color: l.Color})
		}
		for _, m := range p.Members {
			d.Members = append(d.Members, MemberDTO{Username: m.Username, Name: m.Name})
		}
		out.Projects = append(out.Projects, d)
	}
	return out, nil
}

func savedViewID(id int64) string { return "view:" + strconv.FormatInt(id, 10) }

// viewFilter is the filter of a view id.
func (a *App) viewFilter(ctx context.Context, view string) (model.TicketFilter, error) {
	var f model.TicketFilter
	switch view {
	case "needs_reply":
		f.NeedsReply = true
	case "waiting":
		f.Waiting = true
	case "unassigned":
		f.State, f.Unassigned = model.StateOpened, true
	case "mine":
		me, err := a.current().Me(ctx)
		if err != nil {
			return f, err
		}
		f.State, f.Assignee, f.None = model.StateOpened, me, me == "" // no GitLab account yet: nothing is anyone's
	case "open", "":
		f.State = model.StateOpened
	case "closed":
		f.State = model.StateClosed
	case "soon":
		f.State, f.SLA, f.Now = model.StateOpened, model.SLASoon, time.Now()
	case "breached":
		f.State, f.SLA, f.Now = model.StateOpened, model.SLABreached, time.Now()
	case "all":
	default:
		rest, ok := strings.CutPrefix(view, "view:")
		id, err := strconv.ParseInt(rest, 10, 64)
		if !ok || err != nil {
			return f, fmt.Errorf("unknown view %q", view)
		}
		saved, err := a.current().SavedViews(ctx)
		if err != nil {
			return f, err
		}
		for _, v := range saved {
			if v.ID == id {
				return a.current().ParseQuery(ctx, v.Query)
			}
		}
		return f, fmt.Errorf("the saved view %d is gone: pick another view", id)
	}
	return f, nil
}

// ListTickets returns a page of a view, narrowed by the search box.
func (a *App) ListTickets(q TicketQuery) (TicketPageDTO, error) {
	ctx := context.Background()
	if len(q.Search) > 500 {
		return TicketPageDTO{}, fmt.Errorf("the search is too long (%d characters; at most 500)", len(q.Search))
	}
	switch q.Sort {
	case "", model.SortUpdated, model.SortCreated, model.SortOldest, model.SortWaiting, model.SortDue:
	default:
		return TicketPageDTO{}, fmt.Errorf("unknown order %q", q.Sort)
	}
	if q.Limit <= 0 {
		q.Limit = 200
	}
	q.Limit = min(q.Limit, 1000)
	f, err := a.viewFilter(ctx, q.View)
	if err != nil {
		return TicketPageDTO{}, err
	}
	f.ProjectID, f.Sort, f.Offset, f.Limit = q.ProjectID, q.Sort, max(q.Offset, 0), q.Limit
	p, err := a.current().ListTickets(ctx, f, q.Search)
	if err != nil {
		return TicketPageDTO{}, err
	}
	out := TicketPageDTO{Rows: make([]TicketRowDTO, len(p.Tickets)), Offset: f.Offset, Total: p.Total, Capped: p.Capped}
	for i, t := range p.Tickets {
		out.Rows[i] = rowDTO(t)
		out.Rows[i].Unread = p.Unread[t.ID]
		out.Rows[i].Match = p.Matches[t.ID]
		if d, ok := p.SLA[t.ID]; ok {
			out.Rows[i].SLA = &SLADueDTO{Clock: d.Clock, SoonAt: timeString(d.SoonAt), DueAt: timeString(d.DueAt)}
		}
	}
	return out, nil
}

// SavedViews lists the agent's saved views.
func (a *App) SavedViews() ([]SavedViewDTO, error) {
	vs, err := a.current().SavedViews(context.Background())
	if err != nil {
		return nil, err
	}
	out := make([]SavedViewDTO, len(vs))
	for i, v := range vs {
		out[i] = SavedViewDTO(v)
	}
	return out, nil
}

// SaveView stores a saved view (id 0: a new one) after checking its query.
func (a *App) SaveView(v SavedViewDTO) (SavedViewDTO, error) {
	saved, err := a.current().SaveView(context.Background(), store.SavedView(v))
	if err != nil {
		return SavedViewDTO{}, err
	}
	a.events.ticketsChanged()
	return SavedViewDTO(saved), nil
}

// DeleteView removes a saved view.
func (a *App) DeleteView(id int64) error {
	if err := a.current().DeleteView(context.Background(), id); err != nil {
		return err
	}
	a.events.ticketsChanged()
	return nil
}

// MarkRead marks a ticket read (when the agent opens it) or unread.
func (a *App) MarkRead(projectID, iid int64, read bool) error {
	return a.current().MarkRead(context.Background(), projectID, iid, read)
}

// UnlinkedMail returns a page of the inbound mail without a ticket.
func (a *App) UnlinkedMail(offset, limit int) (MailPageDTO, error) {
	ctx := context.Background()
	if limit <= 0 {
		limit = 200
	}
	limit = min(limit, 1000)
	svc := a.current()
	total, err := svc.CountUnlinkedMail(ctx)
	if err != nil {
		return MailPageDTO{}, err
	}
	msgs, err := svc.UnlinkedMail(ctx, max(offset, 0), limit)
	if err != nil {
		return MailPageDTO{}, err
	}
	out := MailPageDTO{Rows: make([]MailRowDTO, 0, len(msgs)), Offset: max(offset, 0), Total: total}
	seen := map[string]bool{}
	for _, m := range msgs {
		if seen[m.MessageID] {
			continue // one mail in two folders
		}
		seen[m.MessageID] = true
		r := MailRowDTO{MessageID: m.MessageID, Subject: m.Subject, FromName: m.From.Name, FromEmail: m.From.Email,
			Date: timeString(m.Date), Body: m.Stripped, Folder: m.Folder, HasHTML: m.HasHTML, Attachments: []AttachmentDTO{}}
		if r.Body == "" {
			r.Body = m.Text
		}
		if r.Body != m.Text {
			r.Quoted = m.Text
		}
		r.Snippet = store.Snippet(r.Body)
		for j, at := range m.Attachments {
			r.Attachments = append(r.Attachments, AttachmentDTO{Index: j, Name: at.Name, ContentType: at.ContentType, Size: at.Size, Inline: at.Inline})
		}
		out.Rows = append(out.Rows, r)
	}
	return out, nil
}

// LinkMail links a mail without a ticket to the ticket the agent chose.
func (a *App) LinkMail(messageID string, projectID, iid int64) error {
	if err := a.current().LinkMail(context.Background(), messageID, projectID, iid); err != nil {
		return err
	}
	a.events.ticketsChanged()
	return nil
}

// DismissMail sets a mail without a ticket aside (dismiss false: back).
func (a *App) DismissMail(messageID string, dismiss bool) error {
	if err := a.current().DismissMail(context.Background(), messageID, dismiss); err != nil {
		return err
	}
	a.events.ticketsChanged()
	return nil
}

// BulkTriage makes one change to several tickets, each through the outbox.
// Tickets are queued one by one: a ticket that refuses the change (gone
// meanwhile) is reported after the others were queued.
func (a *App) BulkTriage(b BulkTriageDTO) ([]OutboxOpDTO, error) {
	if len(b.Tickets) == 0 {
		return nil, fmt.Errorf("no tickets selected")
	}
	if len(b.Tickets) > 1000 {
		return nil, fmt.Errorf("%d tickets selected; change at most 1000 at once", len(b.Tickets))
	}
	out := []OutboxOpDTO{}
	var failed []string
	for _, k := range b.Tickets {
		ops, err := a.current().Triage(context.Background(), service.TriageRequest{ProjectID: k.ProjectID, IID: k.IID,
			AddLabels: b.AddLabels, RemoveLabels: b.RemoveLabels, Assignees: b.Assignees, State: b.State})
		if err != nil {
			failed = append(failed, fmt.Sprintf("#%d: %v", k.IID, err))
			continue
		}
		out = append(out, a.queued(ops)...)
	}
	if len(failed) > 0 {
		return out, fmt.Errorf("%d of %d tickets were not changed: %s", len(failed), len(b.Tickets), strings.Join(failed, "; "))
	}
	return out, nil
}

// prefsKey is the setting holding PrefsDTO.
const prefsKey = "window"

// GetPrefs returns the window's remembered preferences (notifications on by
// default).
func (a *App) GetPrefs() (PrefsDTO, error) {
	p := PrefsDTO{Notify: true}
	_, err := a.current().Setting(context.Background(), prefsKey, &p)
	return p, err
}

// SavePrefs remembers the pane widths and the notification choice; the
// window's size is kept from what it was.
func (a *App) SavePrefs(p PrefsDTO) error {
	old, err := a.GetPrefs()
	if err != nil {
		return err
	}
	if p.SidebarWidth < 0 || p.ListWidth < 0 || p.SidebarWidth > 2000 || p.ListWidth > 4000 {
		return fmt.Errorf("pane widths out of range: %d, %d", p.SidebarWidth, p.ListWidth)
	}
	p.WindowWidth, p.WindowHeight = old.WindowWidth, old.WindowHeight
	return a.current().SetSetting(context.Background(), prefsKey, p)
}
