// Package report computes a support team's figures for a date range from
// tickets and their public messages: tickets opened and closed, first
// response and resolution times, replies per agent and the busiest hours.
// It is pure: the caller reads the tickets (store) and formats the result.
package report

import (
	"cmp"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"
)

// Message kinds.
const (
	Customer = "customer" // the customer wrote (the ticket's mail, a follow-up)
	Reply    = "reply"    // an agent answered in public (a public note, a mailed reply)
)

// Message is one public message of a ticket.
type Message struct {
	At     time.Time
	Kind   string // Customer or Reply
	Author string // the agent's username for a reply
}

// Ticket is a ticket with its public messages, oldest first: the
// customer's first message (the mail that opened it) included.
type Ticket struct {
	IID      int64
	Created  time.Time
	Closed   *time.Time // nil while open
	Messages []Message
	// FirstResponseSLA and ResolutionSLA are how the ticket's clocks stand
	// against its service-level targets, judged by the caller (package
	// sla); Pending leaves a ticket out of the SLA counts.
	FirstResponseSLA, ResolutionSLA Verdict
}

// Verdict is how a service-level clock stands.
type Verdict int

// The verdicts.
const (
	Pending  Verdict = iota // no target, or running short of it
	Met                     // stopped within its target
	Breached                // past its target
)

// SLACount counts the clocks that met and breached their targets.
type SLACount struct {
	Met      int `json:"met"`
	Breached int `json:"breached"`
}

// Day is the tickets opened and closed on one day.
type Day struct {
	Date   string `json:"date"` // 2026-11-02, in Options.Location
	Opened int    `json:"opened"`
	Closed int    `json:"closed"`
}

// Options say what to count.
type Options struct {
	From, To time.Time // [From, To): a ticket counts as opened when created in it, and so on
	// Location is where the busiest hours are counted; nil is UTC.
	Location *time.Location
	// Elapsed measures a wait (nil: wall-clock time); an SLA's business
	// calendar makes it business time.
	Elapsed func(from, to time.Time) time.Duration
	// Calendar describes Elapsed's business hours for the report's
	// readers ("Europe/Berlin, Mon-Fri 09:00-17:30"); "" with wall-clock time.
	Calendar string
}

// Stats sums up durations.
type Stats struct {
	Count  int           `json:"count"`
	Median time.Duration `json:"median_ns"`
	Mean   time.Duration `json:"mean_ns"`
	P90    time.Duration `json:"p90_ns"`
}

// AgentCount is how many public replies an agent wrote.
type AgentCount struct {
	Agent   string `json:"agent"`
	Replies int    `json:"replies"`
}

// Report is the figures of one range.
type Report struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
	// Calendar is the business hours the times are measured in
	// (Options.Calendar); "" for wall-clock time.
	Calendar string `json:"calendar,omitempty"`
	Opened   int    `json:"opened"`
	Closed   int    `json:"closed"`
	// FirstResponse: from creation to the first public reply, over the
	// tickets opened in the range that got one; Unanswered counts those
	// opened in the range still without one.
	FirstResponse Stats `json:"first_response"`
	Unanswered    int   `json:"unanswered"`
	// Resolution: from creation to closing, over the tickets closed in the
	// range.
	Resolution Stats `json:"resolution"`
	// RepliesByAgent: public replies written in the range, most first.
	RepliesByAgent []AgentCount `json:"replies_by_agent"`
	// BusiestHours counts the customers' messages in the range (those that
	// opened tickets and follow-ups) by weekday (0 Sunday) and hour.
	BusiestHours [7][24]int `json:"busiest_hours"`
	// Days are the range's days in order, with the tickets opened and
	// closed on each.
	Days []Day `json:"days"`
	// FirstResponseSLA judges the tickets opened in the range (an
	// unanswered one counts once it is breached); ResolutionSLA those
	// closed in it.
	FirstResponseSLA SLACount `json:"first_response_sla"`
	ResolutionSLA    SLACount `json:"resolution_sla"`
}

// count adds a verdict.
func (c *SLACount) count(v Verdict) {
	switch v {
	case Met:
		c.Met++
	case Breached:
		c.Breached++
	}
}

// days are the calendar days of [from, to) in loc, at most maxDays.
func days(from, to time.Time, loc *time.Location) []Day {
	out := []Day{}
	y, m, d := from.In(loc).Date()
	for day := time.Date(y, m, d, 0, 0, 0, 0, loc); day.Before(to) && len(out) < maxDays; day = day.AddDate(0, 0, 1) {
		out = append(out, Day{Date: day.Format(time.DateOnly)})
	}
	return out
}

// maxDays bounds the per-day series (about three years).
const maxDays = 1100

// dayIndex is the index in days of t's day, or -1.
func dayIndex(ds []Day, t time.Time, loc *time.Location) int {
	if len(ds) == 0 {
		return -1
	}
	first, _ := time.ParseInLocation(time.DateOnly, ds[0].Date, loc)
	y, m, d := t.In(loc).Date()
	// Calendar days between, counted on dates so clock changes do not shift them.
	n := int(time.Date(y, m, d, 12, 0, 0, 0, time.UTC).Sub(time.Date(first.Year(), first.Month(), first.Day(), 12, 0, 0, 0, time.UTC)).Hours() / 24)
	if n < 0 || n >= len(ds) {
		return -1
	}
	return n
}

func (o Options) in(t time.Time) bool { return !t.Before(o.From) && t.Before(o.To) }

// Compute makes the report of tickets for opt's range.
func Compute(tickets []Ticket, opt Options) Report {
	if opt.Location == nil {
		opt.Location = time.UTC
	}
	elapsed := opt.Elapsed
	if elapsed == nil {
		elapsed = func(from, to time.Time) time.Duration { return to.Sub(from) }
	}
	r := Report{From: opt.From, To: opt.To, Calendar: opt.Calendar, Days: days(opt.From, opt.To, opt.Location)}
	var first, resolution []time.Duration
	agents := map[string]int{}
	for _, t := range tickets {
		if opt.in(t.Created) {
			r.Opened++
			r.FirstResponseSLA.count(t.FirstResponseSLA)
			if i := dayIndex(r.Days, t.Created, opt.Location); i >= 0 {
				r.Days[i].Opened++
			}
			answered := false
			for _, m := range t.Messages {
				if m.Kind == Reply && !m.At.Before(t.Created) {
					first = append(first, elapsed(t.Created, m.At))
					answered = true
					break
				}
			}
			if !answered {
				r.Unanswered++
			}
		}
		if t.Closed != nil && opt.in(*t.Closed) {
			r.Closed++
			r.ResolutionSLA.count(t.ResolutionSLA)
			if i := dayIndex(r.Days, *t.Closed, opt.Location); i >= 0 {
				r.Days[i].Closed++
			}
			resolution = append(resolution, elapsed(t.Created, *t.Closed))
		}
		for _, m := range t.Messages {
			if !opt.in(m.At) {
				continue
			}
			switch m.Kind {
			case Reply:
				agents[m.Author]++
			case Customer:
				at := m.At.In(opt.Location)
				r.BusiestHours[at.Weekday()][at.Hour()]++
			}
		}
	}
	r.FirstResponse, r.Resolution = stats(first), stats(resolution)
	for a, n := range agents {
		r.RepliesByAgent = append(r.RepliesByAgent, AgentCount{Agent: a, Replies: n})
	}
	slices.SortFunc(r.RepliesByAgent, func(a, b AgentCount) int {
		return cmp.Or(cmp.Compare(b.Replies, a.Replies), cmp.Compare(a.Agent, b.Agent))
	})
	if r.RepliesByAgent == nil {
		r.RepliesByAgent = []AgentCount{}
	}
	return r
}

// stats sums up durations: the median of an even count is the mean of the
// two middle ones; p90 is the nearest rank.
func stats(ds []time.Duration) Stats {
	s := Stats{Count: len(ds)}
	if len(ds) == 0 {
		return s
	}
	slices.Sort(ds)
	var sum time.Duration
	for _, d := range ds {
		sum += d
	}
	s.Mean = sum / time.Duration(len(ds))
	if n := len(ds); n%2 == 1 {
		s.Median = ds[n/2]
	} else {
		s.Median = (ds[n/2-1] + ds[n/2]) / 2
	}
	rank := (9*len(ds) + 9) / 10 // ceil(0.9 n)
	s.P90 = ds[rank-1]
	return s
}

// CSV writes the report as rows of section, name and value, for a
// spreadsheet: durations in minutes.
func (r Report) CSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	mins := func(d time.Duration) string { return strconv.FormatFloat(d.Minutes(), 'f', 1, 64) }
	rows := [][]string{
		{"section", "name", "value"},
		{"range", "from", r.From.Format(time.RFC3339)},
		{"range", "to", r.To.Format(time.RFC3339)},
		{"range", "business_hours", cmp.Or(r.Calendar, "none (wall-clock time)")},
		{"tickets", "opened", strconv.Itoa(r.Opened)},
		{"tickets", "closed", strconv.Itoa(r.Closed)},
		{"tickets", "unanswered", strconv.Itoa(r.Unanswered)},
		{"first_response_minutes", "count", strconv.Itoa(r.FirstResponse.Count)},
		{"first_response_minutes", "median", mins(r.FirstResponse.Median)},
		{"first_response_minutes", "mean", mins(r.FirstResponse.Mean)},
		{"first_response_minutes", "p90", mins(r.FirstResponse.P90)},
		{"resolution_minutes", "count", strconv.Itoa(r.Resolution.Count)},
		{"resolution_minutes", "median", mins(r.Resolution.Median)},
		{"resolution_minutes", "mean", mins(r.Resolution.Mean)},
		{"resolution_minutes", "p90", mins(r.Resolution.P90)},
		{"first_response_sla", "met", strconv.Itoa(r.FirstResponseSLA.Met)},
		{"first_response_sla", "breached", strconv.Itoa(r.FirstResponseSLA.Breached)},
		{"resolution_sla", "met", strconv.Itoa(r.ResolutionSLA.Met)},
		{"resolution_sla", "breached", strconv.Itoa(r.ResolutionSLA.Breached)},
	}
	for _, d := range r.Days {
		rows = append(rows, []string{"opened_by_day", d.Date, strconv.Itoa(d.Opened)},
			[]string{"closed_by_day", d.Date, strconv.Itoa(d.Closed)})
	}
	for _, a := range r.RepliesByAgent {
		rows = append(rows, []string{"replies_by_agent", a.Agent, strconv.Itoa(a.Replies)})
	}
	days := []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}
	for d, hours := range r.BusiestHours {
		for h, n := range hours {
			if n > 0 {
				rows = append(rows, []string{"customer_messages_by_hour", fmt.Sprintf("%s %02d:00", days[d], h), strconv.Itoa(n)})
			}
		}
	}
	if err := cw.WriteAll(rows); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}
