package service

import (
	"context"
	"errors"
	"time"

	"servicedesk/internal/model"
	"servicedesk/internal/report"
)

// Report computes the team's figures for [from, to) in one project (0: all)
// from the local copy: a reply is a public note by an agent or a reply the
// app mailed; the customer's messages are the ticket's mail and
// support-bot's follow-ups. Busiest hours are counted in loc.
func (s *Service) Report(ctx context.Context, projectID int64, from, to time.Time, loc *time.Location) (report.Report, error) {
	if !to.After(from) {
		return report.Report{}, errors.New("the range is empty: --to must come after --from")
	}
	ts, err := s.store.ReportTickets(ctx, projectID, from, to)
	if err != nil {
		return report.Report{}, err
	}
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
		tickets = append(tickets, rt)
	}
	return report.Compute(tickets, report.Options{From: from, To: to, Location: loc}), nil
}
