package report

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"
)

func at(s string) time.Time {
	t, err := time.Parse("2006-01-02 15:04", s)
	if err != nil {
		panic(err)
	}
	return t
}

func ptr(t time.Time) *time.Time { return &t }

// A week with known answers, worked out by hand in the comments.
func TestComputeKnownWeek(t *testing.T) {
	tickets := []Ticket{
		// Opened Mon 09:00, answered in 30 min, closed after 24 h.
		{IID: 1, Created: at("2026-11-02 09:00"), Closed: ptr(at("2026-11-03 09:00")), FirstResponseSLA: Met, ResolutionSLA: Breached, Messages: []Message{
			{At: at("2026-11-02 09:00"), Kind: Customer},
			{At: at("2026-11-02 09:30"), Kind: Reply, Author: "alex"},
			{At: at("2026-11-02 10:00"), Kind: Customer},
			{At: at("2026-11-02 11:00"), Kind: Reply, Author: "priya"},
		}},
		// Opened Tue 14:00, answered in 2 h, closed after 48 h.
		{IID: 2, Created: at("2026-11-03 14:00"), Closed: ptr(at("2026-11-05 14:00")), FirstResponseSLA: Met, ResolutionSLA: Met, Messages: []Message{
			{At: at("2026-11-03 14:00"), Kind: Customer},
			{At: at("2026-11-03 16:00"), Kind: Reply, Author: "alex"},
		}},
		// Opened Wed 08:15, never answered.
		{IID: 3, Created: at("2026-11-04 08:15"), FirstResponseSLA: Breached, Messages: []Message{{At: at("2026-11-04 08:15"), Kind: Customer}}},
		// Opened the week before, answered and closed in this one: 74 h.
		{IID: 4, Created: at("2026-10-30 10:00"), Closed: ptr(at("2026-11-02 12:00")), FirstResponseSLA: Breached, ResolutionSLA: Met, Messages: []Message{
			{At: at("2026-10-30 10:00"), Kind: Customer},
			{At: at("2026-11-02 08:00"), Kind: Reply, Author: "alex"},
		}},
		// Opened when the range has ended (To is exclusive).
		{IID: 5, Created: at("2026-11-09 00:00"), FirstResponseSLA: Breached, Messages: []Message{{At: at("2026-11-09 00:00"), Kind: Customer}}},
	}
	r := Compute(tickets, Options{From: at("2026-11-02 00:00"), To: at("2026-11-09 00:00")})
	if r.Opened != 3 || r.Closed != 3 || r.Unanswered != 1 {
		t.Errorf("opened %d closed %d unanswered %d, want 3 3 1", r.Opened, r.Closed, r.Unanswered)
	}
	// First responses 30 min and 2 h: median and mean 75 min, p90 the 2nd of 2.
	if want := (Stats{Count: 2, Median: 75 * time.Minute, Mean: 75 * time.Minute, P90: 2 * time.Hour}); r.FirstResponse != want {
		t.Errorf("first response %+v, want %+v", r.FirstResponse, want)
	}
	// Resolutions 24, 48 and 74 h: median 48 h, mean 146/3 h = 48 h 40 min, p90 the 3rd.
	if want := (Stats{Count: 3, Median: 48 * time.Hour, Mean: 48*time.Hour + 40*time.Minute, P90: 74 * time.Hour}); r.Resolution != want {
		t.Errorf("resolution %+v, want %+v", r.Resolution, want)
	}
	if len(r.RepliesByAgent) != 2 || r.RepliesByAgent[0] != (AgentCount{"alex", 3}) || r.RepliesByAgent[1] != (AgentCount{"priya", 1}) {
		t.Errorf("replies by agent %+v", r.RepliesByAgent)
	}
	// Customers wrote Mon 09 and 10, Tue 14, Wed 08 (UTC).
	h := r.BusiestHours
	if h[time.Monday][9] != 1 || h[time.Monday][10] != 1 || h[time.Tuesday][14] != 1 || h[time.Wednesday][8] != 1 {
		t.Errorf("busiest hours wrong: %v", h)
	}
	total := 0
	for _, d := range h {
		for _, n := range d {
			total += n
		}
	}
	if total != 4 {
		t.Errorf("%d customer messages counted, want 4", total)
	}
	// In Berlin (UTC+1 in November) Monday 09:00 UTC is 10:00.
	rb := Compute(tickets, Options{From: at("2026-11-02 00:00"), To: at("2026-11-09 00:00"), Location: time.FixedZone("CET", 3600)})
	if rb.BusiestHours[time.Monday][10] != 1 || rb.BusiestHours[time.Monday][11] != 1 || rb.BusiestHours[time.Monday][9] != 0 {
		t.Errorf("Berlin hours: Mon 10 %d, Mon 11 %d", rb.BusiestHours[time.Monday][10], rb.BusiestHours[time.Monday][11])
	}
	// Waits measured by the caller's clock (a business calendar): here, half.
	half := Compute(tickets, Options{From: at("2026-11-02 00:00"), To: at("2026-11-09 00:00"),
		Elapsed: func(a, b time.Time) time.Duration { return b.Sub(a) / 2 }})
	if half.FirstResponse.Median != 75*time.Minute/2 {
		t.Errorf("elapsed not used: %v", half.FirstResponse.Median)
	}

	// SLA: #1–#3 were opened in the range (met, met, breached; #4's and
	// #5's first responses belong to other ranges); #1, #2, #4 closed in it
	// (breached, met, met).
	if r.FirstResponseSLA != (SLACount{Met: 2, Breached: 1}) || r.ResolutionSLA != (SLACount{Met: 2, Breached: 1}) {
		t.Errorf("SLA first response %+v resolution %+v, want 2 met 1 breached each", r.FirstResponseSLA, r.ResolutionSLA)
	}
	// Per day, Mon to Sun: opened Mon #1, Tue #2, Wed #3; closed Mon #4,
	// Tue #1, Thu #2.
	wantDays := []Day{{"2026-11-02", 1, 1}, {"2026-11-03", 1, 1}, {"2026-11-04", 1, 0}, {"2026-11-05", 0, 1},
		{"2026-11-06", 0, 0}, {"2026-11-07", 0, 0}, {"2026-11-08", 0, 0}}
	if !slices.Equal(r.Days, wantDays) {
		t.Errorf("days %+v, want %+v", r.Days, wantDays)
	}

	var buf bytes.Buffer
	if err := r.CSV(&buf); err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{"section,name,value", "tickets,opened,3", "first_response_minutes,median,75.0",
		"resolution_minutes,p90,4440.0", "replies_by_agent,alex,3", "customer_messages_by_hour,mon 09:00,1",
		"first_response_sla,breached,1", "opened_by_day,2026-11-03,1", "closed_by_day,2026-11-05,1"} {
		if !strings.Contains(buf.String(), line+"\n") {
			t.Errorf("CSV lacks %q:\n%s", line, buf.String())
		}
	}
}

func TestEmptyRange(t *testing.T) {
	r := Compute(nil, Options{From: at("2026-11-02 00:00"), To: at("2026-11-09 00:00")})
	if r.Opened != 0 || r.FirstResponse.Count != 0 || r.RepliesByAgent == nil {
		t.Fatalf("%+v", r)
	}
}

// Days follow the calendar across a clock change: Berlin's 2026-10-25 has
// 25 hours, and a ticket created at 23:30 that day still counts on it.
func TestDaysAcrossClockChange(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	from := time.Date(2026, 10, 24, 0, 0, 0, 0, berlin)
	to := time.Date(2026, 10, 27, 0, 0, 0, 0, berlin)
	late := time.Date(2026, 10, 25, 23, 30, 0, 0, berlin)
	r := Compute([]Ticket{{IID: 1, Created: late}}, Options{From: from, To: to, Location: berlin})
	want := []Day{{"2026-10-24", 0, 0}, {"2026-10-25", 1, 0}, {"2026-10-26", 0, 0}}
	if !slices.Equal(r.Days, want) {
		t.Errorf("days %+v, want %+v", r.Days, want)
	}
}
