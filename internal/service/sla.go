package service

import (
	"context"
	"strings"
	"time"

	"servicedesk/internal/model"
	"servicedesk/internal/sla"
	"servicedesk/internal/store"
)

// Policy is a project's service-level policy as the team folder gives it.
type Policy struct {
	ProjectID int64
	Path      string // the file in the repository
	BlobID    string // its version: the stored clocks were computed under it
	Policy    sla.Policy
	// Problem is what is wrong with the file (path, line and what); a
	// broken policy runs no clocks.
	Problem string
}

// SLAPolicy is a project's policy from its team folder (sla.DefaultPath);
// ok is false when the project has none.
func (s *Service) SLAPolicy(ctx context.Context, projectID int64) (Policy, bool, error) {
	ps, err := s.SLAPolicies(ctx, projectID)
	if err != nil || len(ps) == 0 || projectID == 0 && len(ps) > 1 {
		return Policy{}, false, err // all projects: no one policy
	}
	return ps[0], true, nil
}

// SLAPolicies are the policies of one project's team folder (0: of every
// project's), each parsed; a broken one carries its Problem.
func (s *Service) SLAPolicies(ctx context.Context, projectID int64) ([]Policy, error) {
	files, err := s.store.RepoFiles(ctx, projectID)
	if err != nil {
		return nil, err
	}
	var out []Policy
	for _, f := range files {
		if f.Path != sla.DefaultPath {
			continue
		}
		p := Policy{ProjectID: f.ProjectID, Path: f.Path, BlobID: f.BlobID}
		if p.Policy, err = sla.Parse(f.Path, f.Content); err != nil {
			p.Problem = err.Error()
		}
		out = append(out, p)
	}
	return out, nil
}

// slaBatch is how many tickets refreshSLA reads with their notes at once.
const slaBatch = 500

// refreshSLA brings the stored clocks of a project's open tickets up to
// date with its policy: those of tickets changed since, or of every ticket
// when the policy changed. Without a usable policy it forgets them. It
// returns how many tickets' clocks it computed or forgot.
func (s *Service) refreshSLA(ctx context.Context, projectID int64, now time.Time) (int, error) {
	p, ok, err := s.SLAPolicy(ctx, projectID)
	if err != nil {
		return 0, err
	}
	if !ok || p.Problem != "" {
		return s.store.ClearSLA(ctx, projectID)
	}
	stale, err := s.store.SLAStale(ctx, projectID, p.BlobID)
	if err != nil {
		return 0, err
	}
	for lo := 0; lo < len(stale); lo += slaBatch {
		batch, err := s.store.WithNotes(ctx, stale[lo:min(lo+slaBatch, len(stale))])
		if err != nil {
			return lo, err
		}
		rows := make([]store.SLARow, len(batch))
		for i, t := range batch {
			st := p.Policy.Status(slaTicket(t), asOf(t.Ticket, now))
			rows[i] = store.SLARow{TicketID: t.Ticket.ID, UpdatedAt: t.Ticket.UpdatedAt, Policy: p.BlobID, Due: firstDue(st)}
		}
		if err := s.store.SetSLA(ctx, rows); err != nil {
			return lo, err
		}
	}
	return len(stale), nil
}

// asOf is the instant a ticket's clocks are judged at: now, or the
// ticket's last change on GitLab when this computer's clock is behind
// GitLab's (a reply GitLab dated a minute "later" still counts; a stored
// row is not computed again until the ticket changes).
func asOf(t model.Ticket, now time.Time) time.Time {
	if t.UpdatedAt.After(now) {
		return t.UpdatedAt
	}
	return now
}

// firstDue is a ticket's running clock due first, and the first warning of
// its running clocks: together they say when the ticket turns soon and
// when it is breached, whichever clock does it.
func firstDue(st sla.Status) store.SLADue {
	var d store.SLADue
	for _, k := range []struct {
		name  string
		clock sla.Clock
	}{{model.ClockFirstResponse, st.FirstResponse}, {model.ClockResolution, st.Resolution}} {
		c := k.clock
		if c.Due.IsZero() || !c.Achieved.IsZero() || c.State == sla.Paused || c.State == sla.None {
			continue // stopped, waiting on the customer, or no target
		}
		if d.DueAt.IsZero() || c.Due.Before(d.DueAt) {
			d.Clock, d.DueAt = k.name, c.Due
		}
		if !c.SoonAt.IsZero() && (d.SoonAt.IsZero() || c.SoonAt.Before(d.SoonAt)) {
			d.SoonAt = c.SoonAt
		}
	}
	return d
}

// slaTicket is what the clocks need of a ticket: the customer's messages
// (support-bot's notes, and answers merged in from a ticket GitLab opened
// for them), our public replies (public notes, mailed replies) and its
// closes and reopens (GitLab's "closed" and "reopened" notes).
func slaTicket(t store.TicketWithNotes) sla.Ticket {
	st := sla.Ticket{Created: t.Ticket.CreatedAt, Labels: t.Ticket.Labels}
	for _, n := range t.Notes {
		switch {
		case n.Public() == model.KindCustomer:
			st.CustomerMessages = append(st.CustomerMessages, n.CreatedAt)
		case n.Public() == model.KindReply:
			st.Replies = append(st.Replies, n.CreatedAt)
		case n.Kind() == model.KindSystem:
			body := strings.ToLower(strings.TrimSpace(n.Body))
			switch {
			case strings.HasPrefix(body, "closed"):
				st.Closures = append(st.Closures, sla.Closure{Closed: n.CreatedAt})
			case strings.HasPrefix(body, "reopened") && len(st.Closures) > 0:
				st.Closures[len(st.Closures)-1].Reopened = n.CreatedAt
			}
		}
	}
	// The state wins over notes the copy may lack (an old ticket
	// synced without them).
	last := len(st.Closures) - 1
	closedNow := last >= 0 && st.Closures[last].Reopened.IsZero()
	switch {
	case t.Ticket.State == model.StateClosed && !closedNow && t.Ticket.ClosedAt != nil:
		st.Closures = append(st.Closures, sla.Closure{Closed: *t.Ticket.ClosedAt})
	case t.Ticket.State == model.StateOpened && closedNow:
		st.Closures[last].Reopened = st.Closures[last].Closed
	}
	return st
}

// NextSLAChange is when an open ticket's clock next turns soon or falls
// due, in one project (0: all); zero when none will.
func (s *Service) NextSLAChange(ctx context.Context, projectID int64, now time.Time) (time.Time, error) {
	return s.store.NextSLAChange(ctx, projectID, now)
}

// standing is a ticket's service-level status from the notes already read,
// and its policy's business hours in short; nil when the project has no
// policy that reads.
func (s *Service) standing(ctx context.Context, t model.Ticket, notes []model.Note, now time.Time) (*sla.Status, string, error) {
	p, ok, err := s.SLAPolicy(ctx, t.ProjectID)
	if err != nil || !ok || p.Problem != "" {
		return nil, "", err
	}
	st := p.Policy.Status(slaTicket(store.TicketWithNotes{Ticket: t, Notes: notes, NotesRead: true}), asOf(t, now))
	return &st, p.Policy.Calendar.String(), nil
}
