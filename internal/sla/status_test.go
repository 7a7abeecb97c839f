package sla

import (
	"reflect"
	"sync"
	"testing"
	"time"
)

// policy is the status tests' policy on the office calendar (Berlin,
// Mon-Fri 09:00-17:30): first response 4h, resolution 16h, warning at 25%
// left; urgent 1h/8h, vip 2h first response, feature-request no resolution
// target.
func policy() *Policy {
	return &Policy{
		Calendar:      office,
		FirstResponse: 4 * time.Hour,
		Resolution:    16 * time.Hour,
		Warn:          Warning{Percent: 25},
		Labels: []LabelTargets{
			{Label: "urgent", FirstResponse: time.Hour, Resolution: 8 * time.Hour},
			{Label: "vip", FirstResponse: 2 * time.Hour},
			{Label: "feature-request", Resolution: NoTarget},
		},
	}
}

func berlinTimes(ss ...string) []time.Time {
	ts := make([]time.Time, len(ss))
	for i, s := range ss {
		ts[i] = tm(berlin, s)
	}
	return ts
}

func TestTargets(t *testing.T) {
	t.Parallel()
	p := policy()
	tests := []struct {
		labels     []string
		first, res time.Duration
	}{
		{nil, 4 * time.Hour, 16 * time.Hour},
		{[]string{"billing"}, 4 * time.Hour, 16 * time.Hour},
		{[]string{"urgent"}, time.Hour, 8 * time.Hour},
		{[]string{"URGENT"}, time.Hour, 8 * time.Hour},
		{[]string{"vip"}, 2 * time.Hour, 16 * time.Hour},
		// The tightest of the labels' targets, in whatever order.
		{[]string{"vip", "urgent"}, time.Hour, 8 * time.Hour},
		{[]string{"feature-request"}, 4 * time.Hour, 0},
		// A label's duration beats another's none.
		{[]string{"feature-request", "urgent"}, time.Hour, 8 * time.Hour},
		{[]string{"feature-request", "vip"}, 2 * time.Hour, 0},
	}
	for _, tt := range tests {
		first, res := p.Targets(tt.labels)
		if first != tt.first || res != tt.res {
			t.Errorf("Targets(%q) = %v, %v; want %v, %v", tt.labels, first, res, tt.first, tt.res)
		}
	}
}

// Every ticket below is created on Mon 23 Nov 2026 at 09:00 unless it says
// otherwise; business hours are 09:00-17:30 (8h30m a day).
func TestStatus(t *testing.T) {
	t.Parallel()
	mon9 := tm(berlin, "2026-11-23 09:00")
	paused := policy()
	paused.PauseWhileWaitingOnCustomer = true
	absolute := policy()
	absolute.Warn = Warning{Before: 30 * time.Minute}
	silent := policy()
	silent.Warn = Warning{}

	tests := []struct {
		name   string
		policy *Policy
		ticket Ticket
		now    string
		want   Status
	}{{
		// 1h of 4h used; resolution due after Monday's 8h30m and 7h30m of
		// Tuesday: Tue 16:30.
		name: "new ticket", ticket: Ticket{Created: mon9}, now: "2026-11-23 10:00",
		want: Status{
			State:         OK,
			FirstResponse: Clock{State: OK, Target: 4 * time.Hour, Elapsed: time.Hour, Left: 3 * time.Hour, Due: tm(berlin, "2026-11-23 13:00")},
			Resolution:    Clock{State: OK, Target: 16 * time.Hour, Elapsed: time.Hour, Left: 15 * time.Hour, Due: tm(berlin, "2026-11-24 16:30")},
			WaitingSince:  mon9, Waiting: time.Hour,
		},
	}, {
		// 1h of 4h left is the 25% warning, exactly.
		name: "soon", ticket: Ticket{Created: mon9}, now: "2026-11-23 12:00",
		want: Status{
			State:         Soon,
			FirstResponse: Clock{State: Soon, Target: 4 * time.Hour, Elapsed: 3 * time.Hour, Left: time.Hour, Due: tm(berlin, "2026-11-23 13:00")},
			Resolution:    Clock{State: OK, Target: 16 * time.Hour, Elapsed: 3 * time.Hour, Left: 13 * time.Hour, Due: tm(berlin, "2026-11-24 16:30")},
			WaitingSince:  mon9, Waiting: 3 * time.Hour,
		},
	}, {
		name: "unanswered past due", ticket: Ticket{Created: mon9}, now: "2026-11-23 14:00",
		want: Status{
			State:         Breached,
			FirstResponse: Clock{State: Breached, Target: 4 * time.Hour, Elapsed: 5 * time.Hour, Late: time.Hour, Due: tm(berlin, "2026-11-23 13:00")},
			Resolution:    Clock{State: OK, Target: 16 * time.Hour, Elapsed: 5 * time.Hour, Left: 11 * time.Hour, Due: tm(berlin, "2026-11-24 16:30")},
			WaitingSince:  mon9, Waiting: 5 * time.Hour,
		},
	}, {
		// The reply stops the first-response clock at 2h; the ticket's state
		// is the running resolution clock's.
		name: "answered in time", ticket: Ticket{Created: mon9, Replies: berlinTimes("2026-11-23 11:00")}, now: "2026-11-23 15:00",
		want: Status{
			State:         OK,
			FirstResponse: Clock{State: Met, Target: 4 * time.Hour, Elapsed: 2 * time.Hour, Left: 2 * time.Hour, Due: tm(berlin, "2026-11-23 13:00"), Achieved: tm(berlin, "2026-11-23 11:00")},
			Resolution:    Clock{State: OK, Target: 16 * time.Hour, Elapsed: 6 * time.Hour, Left: 10 * time.Hour, Due: tm(berlin, "2026-11-24 16:30")},
		},
	}, {
		name: "answered late", ticket: Ticket{Created: mon9, Replies: berlinTimes("2026-11-23 14:00")}, now: "2026-11-23 15:00",
		want: Status{
			State:         OK,
			FirstResponse: Clock{State: Breached, Target: 4 * time.Hour, Elapsed: 5 * time.Hour, Late: time.Hour, Due: tm(berlin, "2026-11-23 13:00"), Achieved: tm(berlin, "2026-11-23 14:00")},
			Resolution:    Clock{State: OK, Target: 16 * time.Hour, Elapsed: 6 * time.Hour, Left: 10 * time.Hour, Due: tm(berlin, "2026-11-24 16:30")},
		},
	}, {
		// Created Fri 13:30: 4h is due at closing time, Fri 17:30. On
		// Saturday it is breached, by no business time yet.
		name: "due Friday at closing, unanswered on Saturday", ticket: Ticket{Created: tm(berlin, "2026-11-27 13:30")}, now: "2026-11-28 10:00",
		want: Status{
			State:         Breached,
			FirstResponse: Clock{State: Breached, Target: 4 * time.Hour, Elapsed: 4 * time.Hour, Late: 0, Due: tm(berlin, "2026-11-27 17:30")},
			// Fri 4h, then 12h: Mon 8h30m and Tue 3h30m: Tue 12:30.
			Resolution:   Clock{State: OK, Target: 16 * time.Hour, Elapsed: 4 * time.Hour, Left: 12 * time.Hour, Due: tm(berlin, "2026-12-01 12:30")},
			WaitingSince: tm(berlin, "2026-11-27 13:30"), Waiting: 4 * time.Hour,
		},
	}, {
		name: "answered at the due instant", ticket: Ticket{Created: tm(berlin, "2026-11-27 13:30"), Replies: berlinTimes("2026-11-27 17:30")}, now: "2026-11-28 10:00",
		want: Status{
			State:         OK,
			FirstResponse: Clock{State: Met, Target: 4 * time.Hour, Elapsed: 4 * time.Hour, Due: tm(berlin, "2026-11-27 17:30"), Achieved: tm(berlin, "2026-11-27 17:30")},
			Resolution:    Clock{State: OK, Target: 16 * time.Hour, Elapsed: 4 * time.Hour, Left: 12 * time.Hour, Due: tm(berlin, "2026-12-01 12:30")},
		},
	}, {
		// Monday 09:00 is no business time after Friday 17:30, but it is
		// after the due instant.
		name: "answered at Monday's opening after a Friday due", ticket: Ticket{Created: tm(berlin, "2026-11-27 13:30"), Replies: berlinTimes("2026-11-30 09:00")}, now: "2026-11-30 10:00",
		want: Status{
			State:         OK,
			FirstResponse: Clock{State: Breached, Target: 4 * time.Hour, Elapsed: 4 * time.Hour, Due: tm(berlin, "2026-11-27 17:30"), Achieved: tm(berlin, "2026-11-30 09:00")},
			Resolution:    Clock{State: OK, Target: 16 * time.Hour, Elapsed: 5 * time.Hour, Left: 11 * time.Hour, Due: tm(berlin, "2026-12-01 12:30")},
		},
	}, {
		// urgent: 1h first response, due 10:00, breached by 30m; 8h
		// resolution due 17:00, 6h30m left (the warning is at 2h).
		name: "urgent label", ticket: Ticket{Created: mon9, Labels: []string{"Urgent"}}, now: "2026-11-23 10:30",
		want: Status{
			State:         Breached,
			FirstResponse: Clock{State: Breached, Target: time.Hour, Elapsed: 90 * time.Minute, Late: 30 * time.Minute, Due: tm(berlin, "2026-11-23 10:00")},
			Resolution:    Clock{State: OK, Target: 8 * time.Hour, Elapsed: 90 * time.Minute, Left: 6*time.Hour + 30*time.Minute, Due: tm(berlin, "2026-11-23 17:00")},
			WaitingSince:  mon9, Waiting: 90 * time.Minute,
		},
	}, {
		name: "feature request has no resolution target", ticket: Ticket{Created: mon9, Labels: []string{"feature-request"}}, now: "2026-11-25 10:00",
		want: Status{
			State: Breached,
			// Mon 8h30m + Tue 8h30m + Wed 1h = 18h.
			FirstResponse: Clock{State: Breached, Target: 4 * time.Hour, Elapsed: 18 * time.Hour, Late: 14 * time.Hour, Due: tm(berlin, "2026-11-23 13:00")},
			Resolution:    Clock{State: None, Elapsed: 18 * time.Hour},
			WaitingSince:  mon9, Waiting: 18 * time.Hour,
		},
	}, {
		// Closed Tue 10:00 after 8h30m + 1h = 9h30m: met; nothing waits.
		name: "resolved", ticket: Ticket{Created: mon9, Replies: berlinTimes("2026-11-23 11:00"),
			Closures: []Closure{{Closed: tm(berlin, "2026-11-24 10:00")}}}, now: "2026-11-26 10:00",
		want: Status{
			State:         Met,
			FirstResponse: Clock{State: Met, Target: 4 * time.Hour, Elapsed: 2 * time.Hour, Left: 2 * time.Hour, Due: tm(berlin, "2026-11-23 13:00"), Achieved: tm(berlin, "2026-11-23 11:00")},
			Resolution:    Clock{State: Met, Target: 16 * time.Hour, Elapsed: 9*time.Hour + 30*time.Minute, Left: 6*time.Hour + 30*time.Minute, Due: tm(berlin, "2026-11-24 16:30"), Achieved: tm(berlin, "2026-11-24 10:00")},
		},
	}, {
		// Closed Tue 10:00, reopened Wed 10:00 by the customer: the clock
		// counts the day it sat closed (Mon 8h30m + Tue 8h30m + Wed 2h =
		// 19h) and was due Tue 16:30.
		name: "reopened: the clock continues", ticket: Ticket{Created: mon9, Replies: berlinTimes("2026-11-23 11:00"),
			CustomerMessages: berlinTimes("2026-11-25 10:00"),
			Closures:         []Closure{{Closed: tm(berlin, "2026-11-24 10:00"), Reopened: tm(berlin, "2026-11-25 10:00")}}}, now: "2026-11-25 11:00",
		want: Status{
			State:         Breached,
			FirstResponse: Clock{State: Met, Target: 4 * time.Hour, Elapsed: 2 * time.Hour, Left: 2 * time.Hour, Due: tm(berlin, "2026-11-23 13:00"), Achieved: tm(berlin, "2026-11-23 11:00")},
			Resolution:    Clock{State: Breached, Target: 16 * time.Hour, Elapsed: 19 * time.Hour, Late: 3 * time.Hour, Due: tm(berlin, "2026-11-24 16:30")},
			WaitingSince:  tm(berlin, "2026-11-25 10:00"), Waiting: time.Hour,
		},
	}, {
		// Closed again Wed 12:00: resolved at the last close, 20h, late.
		name: "reopened and closed again", ticket: Ticket{Created: mon9, Replies: berlinTimes("2026-11-23 11:00", "2026-11-25 11:30"),
			CustomerMessages: berlinTimes("2026-11-25 10:00"),
			Closures: []Closure{
				{Closed: tm(berlin, "2026-11-25 12:00")}, // unsorted on purpose
				{Closed: tm(berlin, "2026-11-24 10:00"), Reopened: tm(berlin, "2026-11-25 10:00")},
			}}, now: "2026-11-26 10:00",
		want: Status{
			State:         Breached,
			FirstResponse: Clock{State: Met, Target: 4 * time.Hour, Elapsed: 2 * time.Hour, Left: 2 * time.Hour, Due: tm(berlin, "2026-11-23 13:00"), Achieved: tm(berlin, "2026-11-23 11:00")},
			Resolution:    Clock{State: Breached, Target: 16 * time.Hour, Elapsed: 20 * time.Hour, Late: 4 * time.Hour, Due: tm(berlin, "2026-11-24 16:30"), Achieved: tm(berlin, "2026-11-25 12:00")},
		},
	}, {
		// Closed unanswered at 10:00 (the first-response clock stops),
		// reopened at 11:00: resolution runs on, 3h.
		name: "closed without a reply, reopened", ticket: Ticket{Created: mon9,
			Closures: []Closure{{Closed: tm(berlin, "2026-11-23 10:00"), Reopened: tm(berlin, "2026-11-23 11:00")}}}, now: "2026-11-23 12:00",
		want: Status{
			State:         OK,
			FirstResponse: Clock{State: Met, Target: 4 * time.Hour, Elapsed: time.Hour, Left: 3 * time.Hour, Due: tm(berlin, "2026-11-23 13:00"), Achieved: tm(berlin, "2026-11-23 10:00")},
			Resolution:    Clock{State: OK, Target: 16 * time.Hour, Elapsed: 3 * time.Hour, Left: 13 * time.Hour, Due: tm(berlin, "2026-11-24 16:30")},
			WaitingSince:  mon9, Waiting: 3 * time.Hour,
		},
	}, {
		// Paused from our reply at 11:00; no due time while paused.
		name: "paused while waiting on the customer", policy: paused,
		ticket: Ticket{Created: mon9, Replies: berlinTimes("2026-11-23 11:00")}, now: "2026-11-23 15:00",
		want: Status{
			State:         Paused,
			FirstResponse: Clock{State: Met, Target: 4 * time.Hour, Elapsed: 2 * time.Hour, Left: 2 * time.Hour, Due: tm(berlin, "2026-11-23 13:00"), Achieved: tm(berlin, "2026-11-23 11:00")},
			Resolution:    Clock{State: Paused, Target: 16 * time.Hour, Elapsed: 2 * time.Hour, Left: 14 * time.Hour},
		},
	}, {
		// A second reply while paused changes nothing: still 2h.
		name: "two replies in a row", policy: paused,
		ticket: Ticket{Created: mon9, Replies: berlinTimes("2026-11-23 11:00", "2026-11-23 14:00")}, now: "2026-11-23 15:00",
		want: Status{
			State:         Paused,
			FirstResponse: Clock{State: Met, Target: 4 * time.Hour, Elapsed: 2 * time.Hour, Left: 2 * time.Hour, Due: tm(berlin, "2026-11-23 13:00"), Achieved: tm(berlin, "2026-11-23 11:00")},
			Resolution:    Clock{State: Paused, Target: 16 * time.Hour, Elapsed: 2 * time.Hour, Left: 14 * time.Hour},
		},
	}, {
		// Closed while waiting on the customer: met after 2h, and no due
		// time, since the clock had stopped at 11:00.
		name: "closed while paused", policy: paused,
		ticket: Ticket{Created: mon9, Replies: berlinTimes("2026-11-23 11:00"), Closures: []Closure{{Closed: tm(berlin, "2026-11-23 12:00")}}}, now: "2026-11-23 15:00",
		want: Status{
			State:         Met,
			FirstResponse: Clock{State: Met, Target: 4 * time.Hour, Elapsed: 2 * time.Hour, Left: 2 * time.Hour, Due: tm(berlin, "2026-11-23 13:00"), Achieved: tm(berlin, "2026-11-23 11:00")},
			Resolution:    Clock{State: Met, Target: 16 * time.Hour, Elapsed: 2 * time.Hour, Left: 14 * time.Hour, Achieved: tm(berlin, "2026-11-23 12:00")},
		},
	}, {
		// Mon 09:00-11:00 ours (2h), the customer's until Tue 10:00, ours
		// since (2h): 4h used, 12h left from Tue 12:00: 5h30m on Tuesday,
		// 6h30m of Wednesday: Wed 15:30.
		name: "resumed when the customer writes", policy: paused,
		ticket: Ticket{Created: mon9, Replies: berlinTimes("2026-11-23 11:00"), CustomerMessages: berlinTimes("2026-11-24 10:00")}, now: "2026-11-24 12:00",
		want: Status{
			State:         OK,
			FirstResponse: Clock{State: Met, Target: 4 * time.Hour, Elapsed: 2 * time.Hour, Left: 2 * time.Hour, Due: tm(berlin, "2026-11-23 13:00"), Achieved: tm(berlin, "2026-11-23 11:00")},
			Resolution:    Clock{State: OK, Target: 16 * time.Hour, Elapsed: 4 * time.Hour, Left: 12 * time.Hour, Due: tm(berlin, "2026-11-25 15:30")},
			WaitingSince:  tm(berlin, "2026-11-24 10:00"), Waiting: 2 * time.Hour,
		},
	}, {
		// urgent's 8h resolution ran out at 17:00 Monday, before our reply
		// paused it at Tue 10:00: a paused clock stays breached.
		name: "breached before the pause", policy: paused,
		ticket: Ticket{Created: mon9, Labels: []string{"urgent"}, Replies: berlinTimes("2026-11-24 10:00")}, now: "2026-11-24 12:00",
		want: Status{
			State:         Breached,
			FirstResponse: Clock{State: Breached, Target: time.Hour, Elapsed: 9*time.Hour + 30*time.Minute, Late: 8*time.Hour + 30*time.Minute, Due: tm(berlin, "2026-11-23 10:00"), Achieved: tm(berlin, "2026-11-24 10:00")},
			Resolution:    Clock{State: Breached, Target: 8 * time.Hour, Elapsed: 9*time.Hour + 30*time.Minute, Late: 90 * time.Minute, Due: tm(berlin, "2026-11-23 17:00")},
		},
	}, {
		// A reply after now has not happened yet.
		name: "times after now are ignored", ticket: Ticket{Created: mon9, Replies: berlinTimes("2026-11-23 16:00"),
			Closures: []Closure{{Closed: tm(berlin, "2026-11-23 17:00")}}}, now: "2026-11-23 12:00",
		want: Status{
			State:         Soon,
			FirstResponse: Clock{State: Soon, Target: 4 * time.Hour, Elapsed: 3 * time.Hour, Left: time.Hour, Due: tm(berlin, "2026-11-23 13:00")},
			Resolution:    Clock{State: OK, Target: 16 * time.Hour, Elapsed: 3 * time.Hour, Left: 13 * time.Hour, Due: tm(berlin, "2026-11-24 16:30")},
			WaitingSince:  mon9, Waiting: 3 * time.Hour,
		},
	}, {
		// Our reply at 10:00 answered the opening mail; the customer wrote
		// again at 16:00 and 10:00: waiting since 16:00 (1h30m + 2h).
		name: "waiting since the oldest unanswered message", ticket: Ticket{Created: mon9, Replies: berlinTimes("2026-11-23 10:00"),
			CustomerMessages: berlinTimes("2026-11-24 10:00", "2026-11-23 16:00")}, now: "2026-11-24 11:00",
		want: Status{
			State:         OK,
			FirstResponse: Clock{State: Met, Target: 4 * time.Hour, Elapsed: time.Hour, Left: 3 * time.Hour, Due: tm(berlin, "2026-11-23 13:00"), Achieved: tm(berlin, "2026-11-23 10:00")},
			Resolution:    Clock{State: OK, Target: 16 * time.Hour, Elapsed: 10*time.Hour + 30*time.Minute, Left: 5*time.Hour + 30*time.Minute, Due: tm(berlin, "2026-11-24 16:30")},
			WaitingSince:  tm(berlin, "2026-11-23 16:00"), Waiting: 3*time.Hour + 30*time.Minute,
		},
	}, {
		// A message at the same instant as our reply counts as answered.
		name: "a message at the instant of our reply", ticket: Ticket{Created: mon9, Replies: berlinTimes("2026-11-23 10:00"),
			CustomerMessages: berlinTimes("2026-11-23 10:00")}, now: "2026-11-23 11:00",
		want: Status{
			State:         OK,
			FirstResponse: Clock{State: Met, Target: 4 * time.Hour, Elapsed: time.Hour, Left: 3 * time.Hour, Due: tm(berlin, "2026-11-23 13:00"), Achieved: tm(berlin, "2026-11-23 10:00")},
			Resolution:    Clock{State: OK, Target: 16 * time.Hour, Elapsed: 2 * time.Hour, Left: 14 * time.Hour, Due: tm(berlin, "2026-11-24 16:30")},
		},
	}, {
		name: "absolute warning not yet", policy: absolute, ticket: Ticket{Created: mon9}, now: "2026-11-23 12:00",
		want: Status{
			State:         OK,
			FirstResponse: Clock{State: OK, Target: 4 * time.Hour, Elapsed: 3 * time.Hour, Left: time.Hour, Due: tm(berlin, "2026-11-23 13:00")},
			Resolution:    Clock{State: OK, Target: 16 * time.Hour, Elapsed: 3 * time.Hour, Left: 13 * time.Hour, Due: tm(berlin, "2026-11-24 16:30")},
			WaitingSince:  mon9, Waiting: 3 * time.Hour,
		},
	}, {
		name: "absolute warning", policy: absolute, ticket: Ticket{Created: mon9}, now: "2026-11-23 12:30",
		want: Status{
			State:         Soon,
			FirstResponse: Clock{State: Soon, Target: 4 * time.Hour, Elapsed: 3*time.Hour + 30*time.Minute, Left: 30 * time.Minute, Due: tm(berlin, "2026-11-23 13:00")},
			Resolution:    Clock{State: OK, Target: 16 * time.Hour, Elapsed: 3*time.Hour + 30*time.Minute, Left: 12*time.Hour + 30*time.Minute, Due: tm(berlin, "2026-11-24 16:30")},
			WaitingSince:  mon9, Waiting: 3*time.Hour + 30*time.Minute,
		},
	}, {
		name: "no warning", policy: silent, ticket: Ticket{Created: mon9}, now: "2026-11-23 12:59",
		want: Status{
			State:         OK,
			FirstResponse: Clock{State: OK, Target: 4 * time.Hour, Elapsed: 3*time.Hour + 59*time.Minute, Left: time.Minute, Due: tm(berlin, "2026-11-23 13:00")},
			Resolution:    Clock{State: OK, Target: 16 * time.Hour, Elapsed: 3*time.Hour + 59*time.Minute, Left: 12*time.Hour + time.Minute, Due: tm(berlin, "2026-11-24 16:30")},
			WaitingSince:  mon9, Waiting: 3*time.Hour + 59*time.Minute,
		},
	}, {
		name: "created after now", ticket: Ticket{Created: mon9}, now: "2026-11-23 08:00",
		want: Status{},
	}, {
		// No calendar, no targets: 24/7 UTC, clocks with history only.
		name: "zero policy", policy: &Policy{}, ticket: Ticket{Created: mon9}, now: "2026-11-23 10:00",
		want: Status{
			FirstResponse: Clock{Elapsed: time.Hour},
			Resolution:    Clock{Elapsed: time.Hour},
			WaitingSince:  mon9, Waiting: time.Hour,
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := tt.policy
			if p == nil {
				p = policy()
			}
			got := p.Status(tt.ticket, tm(berlin, tt.now))
			if !statusEqual(got, tt.want) {
				t.Errorf("Status =\n%s\nwant\n%s", describe(got), describe(tt.want))
			}
		})
	}
}

// statusEqual compares statuses by instant, not by time.Location.
func statusEqual(a, b Status) bool {
	clockEq := func(x, y Clock) bool {
		return x.State == y.State && x.Target == y.Target && x.Elapsed == y.Elapsed && x.Left == y.Left &&
			x.Late == y.Late && x.Due.Equal(y.Due) && x.Achieved.Equal(y.Achieved)
	}
	return a.State == b.State && clockEq(a.FirstResponse, b.FirstResponse) && clockEq(a.Resolution, b.Resolution) &&
		a.WaitingSince.Equal(b.WaitingSince) && a.Waiting == b.Waiting
}

func describe(s Status) string {
	clock := func(k Clock) string {
		return k.State.String() + " target " + k.Target.String() + " elapsed " + k.Elapsed.String() + " left " + k.Left.String() +
			" late " + k.Late.String() + " due " + stamp(k.Due) + " achieved " + stamp(k.Achieved)
	}
	return "  " + s.State.String() + "\n  first response: " + clock(s.FirstResponse) + "\n  resolution: " + clock(s.Resolution) +
		"\n  waiting " + s.Waiting.String() + " since " + stamp(s.WaitingSince)
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.In(berlin).Format("Mon 2006-01-02 15:04 MST")
}

func TestStateText(t *testing.T) {
	t.Parallel()
	want := []string{"none", "met", "paused", "ok", "soon", "breached"}
	for i, w := range want {
		b, err := State(i).MarshalText()
		if err != nil || string(b) != w || State(i).String() != w {
			t.Errorf("State(%d) = %q, %v; want %q", i, b, err, w)
		}
	}
	if got := State(42).String(); got != "unknown" {
		t.Errorf("State(42) = %q", got)
	}
}

// TestStatusConcurrent asks one policy about many tickets from several
// goroutines (run with -race): the same answers as one at a time.
func TestStatusConcurrent(t *testing.T) {
	t.Parallel()
	p := policy()
	tickets := benchTickets(500)
	now := tm(berlin, "2026-12-01 12:00")
	want := make([]Status, len(tickets))
	for i, tk := range tickets {
		want[i] = p.Status(tk, now)
	}
	var wg sync.WaitGroup
	errs := make(chan int, len(tickets))
	for w := range 4 {
		wg.Go(func() {
			for i := w; i < len(tickets); i += 4 {
				if got := p.Status(tickets[i], now); !reflect.DeepEqual(got, want[i]) {
					errs <- i
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for i := range errs {
		t.Errorf("ticket %d: another answer concurrently", i)
	}
}

// TestSoonAt checks SoonAt against Status itself: asked just before a
// clock's SoonAt the clock is not yet Soon, and at SoonAt it is (or already
// Breached), for tickets with replies, follow-ups, closes and reopens, with
// the resolution clock paused or not.
func TestSoonAt(t *testing.T) {
	t.Parallel()
	paused := policy()
	paused.PauseWhileWaitingOnCustomer = true
	fixed := policy()
	fixed.Warn = Warning{Before: 90 * time.Minute}
	now := tm(berlin, "2026-12-04 12:00")
	checked := 0
	for _, p := range []*Policy{policy(), paused, fixed} {
		for i, tk := range benchTickets(300) {
			st := p.Status(tk, now)
			for name, pick := range map[string]func(Status) Clock{
				"first response": func(s Status) Clock { return s.FirstResponse },
				"resolution":     func(s Status) Clock { return s.Resolution },
			} {
				k := pick(st)
				if k.SoonAt.IsZero() || !k.SoonAt.After(tk.Created) || k.SoonAt.After(now) || closedAt(tk, k.SoonAt) {
					continue // asked while closed, the ticket's clocks had stopped then
				}
				checked++
				if at := pick(p.Status(tk, k.SoonAt)).State; at != Soon && at != Breached {
					t.Errorf("ticket %d %s: at SoonAt %s the clock is %v", i, name, stamp(k.SoonAt), at)
				}
				if before := pick(p.Status(tk, k.SoonAt.Add(-time.Second))).State; before == Soon || before == Breached {
					t.Errorf("ticket %d %s: a second before SoonAt %s the clock is already %v", i, name, stamp(k.SoonAt), before)
				}
			}
		}
	}
	if checked < 100 {
		t.Fatalf("only %d clocks had a SoonAt to check", checked)
	}
	// A running clock short of its warning says when it will turn.
	st := policy().Status(Ticket{Created: tm(berlin, "2026-11-23 09:00")}, tm(berlin, "2026-11-23 10:00"))
	if want := tm(berlin, "2026-11-23 12:00"); !st.FirstResponse.SoonAt.Equal(want) {
		t.Errorf("first response SoonAt = %s, want %s (1h of 4h left)", stamp(st.FirstResponse.SoonAt), stamp(want))
	}
	if want := tm(berlin, "2026-11-24 12:30"); !st.Resolution.SoonAt.Equal(want) {
		t.Errorf("resolution SoonAt = %s, want %s (4h of 16h left)", stamp(st.Resolution.SoonAt), stamp(want))
	}
}

// closedAt says whether the ticket was closed at (or a second before) t.
func closedAt(tk Ticket, t time.Time) bool {
	for _, c := range tk.Closures {
		if !c.Closed.After(t) && (c.Reopened.IsZero() || !c.Reopened.Before(t.Add(-time.Second))) {
			return true
		}
	}
	return false
}
