package service

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"servicedesk/internal/gitlab"
	"servicedesk/internal/model"
	"servicedesk/internal/sandbox"
	"servicedesk/internal/sla"
)

// The policy comes from the team folder with the sync; the stored clocks
// agree with each ticket's fresh status, drive the Breach soon and
// Breached views, follow the ticket and the policy when they change, and
// a broken or removed policy runs no clocks.
func TestSLAFromTheTeamFolder(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	if _, err := f.svc.SaveGitLab(ctx, f.gitlabForm()); err != nil {
		t.Fatal(err)
	}
	w := f.sb.World()
	policy := "version: 1\ntimezone: UTC\nhours: 24/7\nfirst_response: 1h\nresolution: 2000h\nwarn_before: 30m\n"
	w.SetRepoFile(sandbox.TeamDir+"/sla.yml", &policy)
	fresh := w.AddCustomerTicket(sandbox.Customer{}, "Where is my parcel?", "It has not come.")
	sync := func() {
		t.Helper()
		if _, err := f.svc.Sync(ctx, SyncOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	sync()
	p, ok, err := f.svc.SLAPolicy(ctx, 0)
	if err != nil || !ok || p.Problem != "" || p.Policy.FirstResponse != time.Hour {
		t.Fatalf("policy %+v %v %v", p, ok, err)
	}
	projectID := p.ProjectID
	now := time.Now()
	view := func(which string, at time.Time) []int64 {
		t.Helper()
		page, err := f.svc.ListTickets(ctx, model.TicketFilter{ProjectID: projectID, SLA: which, Now: at, Sort: model.SortDue}, "")
		if err != nil {
			t.Fatal(err)
		}
		var iids []int64
		for _, tk := range page.Tickets {
			iids = append(iids, tk.IID)
		}
		return iids
	}

	// Every open ticket's stored clocks say what its fresh status says.
	open, err := f.svc.ListTickets(ctx, model.TicketFilter{ProjectID: projectID, State: model.StateOpened}, "")
	if err != nil {
		t.Fatal(err)
	}
	breached, soon := view(model.SLABreached, now), view(model.SLASoon, now)
	var wantBreached, wantSoon []int64
	for _, tk := range open.Tickets {
		d, err := f.svc.ticketAt(ctx, projectID, tk.IID, now)
		if err != nil || d.SLA == nil {
			t.Fatalf("#%d: %v, clocks %v", tk.IID, err, d.SLA)
		}
		st := *d.SLA
		switch st.State {
		case sla.Breached:
			if st.FirstResponse.Achieved.IsZero() && st.FirstResponse.State == sla.Breached || st.Resolution.Achieved.IsZero() && st.Resolution.State == sla.Breached {
				wantBreached = append(wantBreached, tk.IID)
			}
		case sla.Soon:
			wantSoon = append(wantSoon, tk.IID)
		}
	}
	slices.Sort(breached)
	slices.Sort(wantBreached)
	if len(wantBreached) == 0 || !slices.Equal(breached, wantBreached) {
		t.Errorf("Breached view %v; the tickets' status says %v", breached, wantBreached)
	}
	if !slices.Equal(soon, wantSoon) {
		t.Errorf("Breach soon view %v; the tickets' status says %v", soon, wantSoon)
	}
	c, err := f.svc.CountViews(ctx, projectID)
	if err != nil || c.SLABreached != len(breached) || c.SLASoon != len(soon) {
		t.Errorf("counts %+v %v; views have %d breached, %d soon", c, err, len(breached), len(soon))
	}
	// The new ticket is due an hour after it came, and warned half an
	// hour before.
	if slices.Contains(breached, fresh.IID) || slices.Contains(soon, fresh.IID) {
		t.Errorf("#%d is due in an hour, yet listed breached or soon", fresh.IID)
	}
	if !slices.Contains(view(model.SLASoon, fresh.CreatedAt.Add(45*time.Minute)), fresh.IID) {
		t.Errorf("#%d is not due soon 45 minutes after it came", fresh.IID)
	}
	if !slices.Contains(view(model.SLABreached, fresh.CreatedAt.Add(61*time.Minute)), fresh.IID) {
		t.Errorf("#%d is not breached 61 minutes after it came", fresh.IID)
	}
	page, err := f.svc.ListTickets(ctx, model.TicketFilter{ProjectID: projectID, State: model.StateOpened}, "")
	if err != nil {
		t.Fatal(err)
	}
	var due time.Time
	for _, tk := range page.Tickets {
		if tk.IID == fresh.IID {
			d := page.SLA[tk.ID]
			due = d.DueAt
			if d.Clock != model.ClockFirstResponse || !d.SoonAt.Equal(fresh.CreatedAt.Add(30*time.Minute)) {
				t.Errorf("the list's clock of #%d: %+v", fresh.IID, d)
			}
		}
	}
	if !due.Equal(fresh.CreatedAt.Add(time.Hour)) {
		t.Errorf("#%d due %v, want an hour after %v", fresh.IID, due, fresh.CreatedAt)
	}
	// Nothing changed: nothing is computed again.
	if n, err := f.svc.refreshSLA(ctx, projectID, time.Now()); err != nil || n != 0 {
		t.Errorf("a second pass computed %d tickets (%v)", n, err)
	}

	// The customer writes again on an old breached ticket: only that one
	// is computed again.
	if _, err := w.AddCustomerReply(breached[0], "Any news?"); err != nil {
		t.Fatal(err)
	}
	ticketsOnly(t, f.svc) // the sync's ticket part, without its SLA pass
	if n, err := f.svc.refreshSLA(ctx, projectID, time.Now()); err != nil || n != 1 {
		t.Errorf("after one ticket changed, %d were computed (%v)", n, err)
	}

	// A reply and a close through the outbox take their tickets out of
	// Breached as they land, before any sync: the outbox's read-back
	// brings the clocks up to date.
	page, err = f.svc.ListTickets(ctx, model.TicketFilter{ProjectID: projectID, SLA: model.SLABreached, Now: time.Now()}, "")
	if err != nil {
		t.Fatal(err)
	}
	var answer, closeIID int64
	for _, tk := range page.Tickets {
		switch {
		case answer == 0 && page.SLA[tk.ID].Clock == model.ClockFirstResponse:
			answer = tk.IID
		case closeIID == 0 && tk.IID != answer:
			closeIID = tk.IID
		}
	}
	if answer == 0 || closeIID == 0 {
		t.Fatalf("no breached tickets to answer and close: %d", len(page.Tickets))
	}
	if _, err := f.svc.Reply(ctx, ReplyRequest{ProjectID: projectID, IID: answer, Body: "Sorry for the wait: it is fixed.", Undo: -1}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Triage(ctx, TriageRequest{ProjectID: projectID, IID: closeIID, State: "close"}); err != nil {
		t.Fatal(err)
	}
	r := f.svc.OutboxRunner(nil)
	for range 3 {
		if _, err := r.Flush(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if ops, _ := f.svc.Outbox(ctx, false); len(ops) != 0 {
		t.Fatalf("ops left: %+v", ops)
	}
	after := view(model.SLABreached, time.Now())
	if slices.Contains(after, answer) || slices.Contains(after, closeIID) {
		t.Errorf("answered #%d or closed #%d still breached: %v", answer, closeIID, after)
	}
	if d, err := f.svc.Ticket(ctx, projectID, answer); err != nil || d.SLA == nil ||
		d.SLA.FirstResponse.State != sla.Breached || d.SLA.FirstResponse.Achieved.IsZero() {
		t.Errorf("#%d's first response: %v (answered late, so stopped and breached)", answer, d.SLA)
	}
	if c, _ := f.svc.CountViews(ctx, projectID); c.SLABreached != len(after) {
		t.Errorf("Breached counts %d, lists %d", c.SLABreached, len(after))
	}

	// A new policy moves every clock.
	policy = "version: 1\ntimezone: UTC\nhours: 24/7\nfirst_response: 8760h\nwarn_before: 30m\n"
	w.SetRepoFile(sandbox.TeamDir+"/sla.yml", &policy)
	sync()
	if got := view(model.SLABreached, fresh.CreatedAt.Add(61*time.Minute)); slices.Contains(got, fresh.IID) {
		t.Errorf("under a one-year target #%d is still breached after an hour", fresh.IID)
	}

	// A broken file is reported with its line and runs no clocks.
	broken := "version: 1\ntimezone: UTC\nhours: 24/7\nfirst_response: 1 hour\n"
	w.SetRepoFile(sandbox.TeamDir+"/sla.yml", &broken)
	sync()
	p, ok, err = f.svc.SLAPolicy(ctx, projectID)
	if err != nil || !ok || !strings.Contains(p.Problem, "sla.yml:4:") {
		t.Errorf("broken policy: %+v %v", p, err)
	}
	if got := view(model.SLABreached, now.Add(10000*time.Hour)); len(got) != 0 {
		t.Errorf("a broken policy still lists %d breached tickets", len(got))
	}
	w.SetRepoFile(sandbox.TeamDir+"/sla.yml", &policy)
	sync()
	if got := view(model.SLABreached, now.Add(10000*time.Hour)); len(got) == 0 {
		t.Fatal("the mended policy runs no clocks")
	}
	w.SetRepoFile(sandbox.TeamDir+"/sla.yml", nil)
	sync()
	if _, ok, _ := f.svc.SLAPolicy(ctx, projectID); ok {
		t.Error("the removed policy is still read")
	}
	if got := view(model.SLABreached, now.Add(10000*time.Hour)); len(got) != 0 {
		t.Errorf("without a policy %d tickets are still breached", len(got))
	}
}

// With a project's policy the report measures business time on its
// calendar and judges the clocks; across all projects it is wall-clock.
func TestReportWithSLA(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	if _, err := f.svc.SaveGitLab(ctx, f.gitlabForm()); err != nil {
		t.Fatal(err)
	}
	policy := "version: 1\ntimezone: Europe/Berlin\nhours:\n  mon-fri: 09:00-17:00\nfirst_response: 4h\nresolution: 40h\n"
	f.sb.World().SetRepoFile(sandbox.TeamDir+"/sla.yml", &policy)
	if _, err := f.svc.Sync(ctx, SyncOptions{}); err != nil {
		t.Fatal(err)
	}
	p, _, _ := f.svc.SLAPolicy(ctx, 0)
	from, to := time.Now().AddDate(-1, 0, 0), time.Now().Add(time.Hour)
	wall, err := f.svc.Report(ctx, 0, from, to, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	biz, err := f.svc.Report(ctx, p.ProjectID, from, to, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if wall.Calendar != "" || !strings.Contains(biz.Calendar, "Europe/Berlin") {
		t.Errorf("calendars %q and %q", wall.Calendar, biz.Calendar)
	}
	if wall.Opened == 0 || biz.Opened != wall.Opened || biz.FirstResponse.Count != wall.FirstResponse.Count {
		t.Fatalf("the same tickets should count: %+v / %+v", wall, biz)
	}
	// Eight business hours a weekday are at most a third of the clock's,
	// so business medians come out shorter.
	if biz.Resolution.Count > 0 && biz.Resolution.Median >= wall.Resolution.Median {
		t.Errorf("business median %v not below wall-clock %v", biz.Resolution.Median, wall.Resolution.Median)
	}
	if j := biz.FirstResponseSLA; j.Met+j.Breached == 0 {
		t.Errorf("no first response judged: %+v", j)
	}
	if j := wall.FirstResponseSLA; j.Met+j.Breached != 0 {
		t.Errorf("judged without a policy: %+v", j)
	}
}

// ticketsOnly syncs the tickets of every project, as Sync does before it
// reads the team folder and computes the clocks.
func ticketsOnly(t *testing.T, s *Service) {
	t.Helper()
	ctx := context.Background()
	accounts, err := s.store.Accounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	projects, err := s.store.Projects(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range accounts {
		if a.Kind != model.AccountGitLab {
			continue
		}
		c, err := s.client(a)
		if err != nil {
			t.Fatal(err)
		}
		sy := gitlab.Syncer{Client: c, Store: s.store}
		for _, p := range projects {
			if p.AccountID == a.ID {
				if _, err := s.syncProject(ctx, &sy, p, false); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
}
