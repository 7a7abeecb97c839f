package service

import (
	"context"
	"errors"
	"time"

	"servicedesk/internal/model"
	"servicedesk/internal/report"
	"servicedesk/internal/sla"
)

// Report computes the team's figures for [from, to) in one project (0: all)
// from the local copy: a reply is a public note by an agent or a reply the
// app mailed; the customer's messages are the ticket's mail and
// support-bot's follow-ups. Busiest hours are counted in loc. With one
// project that has a service-level policy, times are business time on its
// calendar and each ticket's clocks are judged against its targets as of
// now, as the durations count replies after the range too.
func (s *Service) Report(ctx context.Context, projectID int64, from, to time.Time, loc *time.Location) (report.Report, error) {
	if !to.After(from) {
		return report.Report{}, errors.New("the range is empty: --to must come after --from")
	}
	var policy *sla.Policy
	if projectID != 0 {
		p, ok, err := s.SLAPolicy(ctx, projectID)
		if err != nil {
			return report.Report{}, err
		}
		if ok && p.Problem == "" {
			policy = &p.Policy
		}
	}
	ts, err := s.store.ReportTickets(ctx, projectID, from, to)
	if err != nil {
		return report.Report{}, err
	}
	now := time.Now()
	tickets := make([]report.Ticket, 0, len(ts))
	for _, t := range ts {
		rt := report.Ticket{IID: t.Ticket.IID, Created: t.Ticket.CreatedAt, Closed: t.Ticket.ClosedAt,
			Messages: []report.Message{{At: t.Ticket.CreatedAt, Kind: report.Customer}}}
		if t.Ticket.State != model.StateClosed {
			rt.Closed = nil
		}
		for _, n := range t.Notes {
			switch n.Kind() {
			case model.KindCustomer:
				rt.Messages = append(rt.Messages, report.Message{At: n.CreatedAt, Kind: report.Customer})
			case model.KindReply:
				rt.Messages = append(rt.Messages, report.Message{At: n.CreatedAt, Kind: report.Reply, Author: n.Author})
			}
		}
		if policy != nil {
			st := policy.Status(slaTicket(t), asOf(t.Ticket, now))
			rt.FirstResponseSLA, rt.ResolutionSLA = verdict(st.FirstResponse), verdict(st.Resolution)
		}
		tickets = append(tickets, rt)
	}
	opt := report.Options{From: from, To: to, Location: loc}
	if policy != nil {
		opt.Elapsed, opt.Calendar = policy.Calendar.BusinessTime, policy.Calendar.String()
	}
	return report.Compute(tickets, opt), nil
}

// verdict is how a clock stands for a report: running short of its target
// is not yet a verdict.
func verdict(k sla.Clock) report.Verdict {
	switch k.State {
	case sla.Met:
		return report.Met
	case sla.Breached:
		return report.Breached
	}
	return report.Pending
}
