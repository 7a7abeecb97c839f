package sla

import (
	"slices"
	"time"
)

// Ticket is what Status needs of a ticket. The caller derives it from the
// issue, its notes and the mailbox: customer messages are support-bot notes
// and inbound mail, replies are our public notes and mailed replies (not
// internal notes). The slices need not be sorted; times after now are
// ignored, so Status can be asked about the past.
type Ticket struct {
	// Created is when the ticket was opened: the customer's first message.
	Created time.Time

	// Labels are the ticket's labels now.
	Labels []string

	// CustomerMessages are the customer's later messages.
	CustomerMessages []time.Time

	// Replies are our public replies.
	Replies []time.Time

	// Closures are the times the ticket was closed, each with the time it
	// was reopened (zero while it stays closed).
	Closures []Closure
}

// Closure is one close of a ticket and the reopen that ended it.
type Closure struct {
	Closed   time.Time
	Reopened time.Time // zero: still closed
}

// State is where a clock stands. States are ordered by urgency: a larger
// State needs attention sooner, so a queue sorts by it.
type State int

// The states of a clock.
const (
	None     State = iota // no target applies
	Met                   // stopped within its target
	Paused                // stopped for now, short of its target: waiting on the customer
	OK                    // running, more than the warning left
	Soon                  // running, within the warning, not yet due
	Breached              // the due time passed before the clock stopped (or it still runs)
)

var stateNames = [...]string{"none", "met", "paused", "ok", "soon", "breached"}

// String is the state's name in lower case, as shown and as in JSON.
func (s State) String() string {
	if s < 0 || int(s) >= len(stateNames) {
		return "unknown"
	}
	return stateNames[s]
}

// MarshalText is the state's name.
func (s State) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Clock is one service-level clock of a ticket, as of the now Status was
// given. Durations are business time.
type Clock struct {
	State State

	// Target is the business time allowed; zero when no target applies
	// (State None; the other fields still tell the clock's history).
	Target time.Duration

	// Elapsed is the business time the clock has run: until Achieved, or
	// until now while it runs.
	Elapsed time.Duration

	// Left is Target less Elapsed, never below zero.
	Left time.Duration

	// Due is when the clock reaches Target: the instant it did, or, if it
	// has not, the instant it would running on from now or from when it
	// stopped. Zero without a target, and when the clock stopped short of
	// its target while waiting on the customer (Paused, or closed then).
	Due time.Time

	// SoonAt is when the clock turns Soon under the policy's warning: the
	// instant it did, or, while it runs short of it, the instant it will if
	// nothing stops it. Zero without a target or a warning, and when the
	// clock stopped (Met, Paused) short of it.
	SoonAt time.Time

	// Achieved is when the clock stopped for good; zero while it runs.
	Achieved time.Time

	// Late is how much business time past Target the clock ran when
	// Breached. It can be zero: a ticket due at 17:30 on Friday and still
	// unanswered on Saturday is breached, by no business time yet.
	Late time.Duration
}

// Status is a ticket's service-level standing at one instant.
type Status struct {
	// State is the most urgent state of the clocks still running (OK, Soon,
	// Breached, Paused), or, when both have stopped, of the stopped ones (Met
	// or Breached), or None.
	State State

	FirstResponse Clock
	Resolution    Clock

	// WaitingSince is the customer's oldest message that we have not
	// answered with a public reply; zero when none is waiting, or the
	// ticket is closed. Waiting is the business time since then.
	WaitingSince time.Time
	Waiting      time.Duration
}

// Status is t's standing at now under the policy (see the package comment
// for the definitions). A ticket with no creation time, or created after
// now, has the zero Status.
func (p *Policy) Status(t Ticket, now time.Time) Status {
	now = now.Round(0)
	created := t.Created.Round(0)
	if created.IsZero() || now.Before(created) {
		return Status{}
	}
	cal := p.Calendar
	firstTarget, resTarget := p.Targets(t.Labels)
	cl := closures(t.Closures, created, now)
	firstReply, lastReply := replies(t.Replies, created, now)

	var st Status

	// First response: from creation to the first public reply, or the
	// first close if that came first.
	fr := Clock{Target: firstTarget, Achieved: earliest(firstReply, cl.first)}
	frEnd := orNow(fr.Achieved, now)
	fr.run(cal, []segment{{created, frEnd}}, frEnd, p.Warn)
	fr.judge(p.Warn, now, false)
	st.FirstResponse = fr

	// Resolution: from creation to the last close, less the time spent
	// waiting on the customer when the policy pauses for that.
	res := Clock{Target: resTarget, Achieved: cl.last}
	end := orNow(res.Achieved, now)
	var paused bool
	if p.PauseWhileWaitingOnCustomer {
		var segs []segment
		segs, paused = ourTurns(t, created, end)
		res.run(cal, segs, end, p.Warn)
		paused = paused && res.Achieved.IsZero()
	} else {
		res.run(cal, []segment{{created, end}}, end, p.Warn)
	}
	res.judge(p.Warn, now, paused)
	st.Resolution = res

	if cl.last.IsZero() {
		st.WaitingSince = waitingSince(t.CustomerMessages, created, lastReply, now)
		if !st.WaitingSince.IsZero() {
			st.Waiting = cal.BusinessTime(st.WaitingSince, now)
		}
	}
	st.State = overall(fr, res)
	return st
}

// segment is a stretch [from, to) during which a clock runs.
type segment struct{ from, to time.Time }

// run sets Elapsed, Due and SoonAt from the stretches the clock ran, in
// order, up to stop: Due is where Elapsed reached Target (SoonAt where it
// reached the warning), or, if it has not and the clock was running at
// stop, where it would running on from there.
func (k *Clock) run(cal *Calendar, segs []segment, stop time.Time, w Warning) {
	if k.Target > 0 {
		k.Due = reach(cal, segs, stop, k.Target)
		if amount, ok := w.amount(k.Target); ok {
			k.SoonAt = reach(cal, segs, stop, k.Target-amount)
		}
	}
	for _, s := range segs {
		k.Elapsed += cal.BusinessTime(s.from, s.to)
	}
}

// reach is the instant a clock running over segs, in order, has run d of
// business time; past the last segment it runs on only if that one ended
// at stop (the clock was running then). Zero if it never does.
func reach(cal *Calendar, segs []segment, stop time.Time, d time.Duration) time.Time {
	var ran time.Duration
	var last time.Time
	for _, s := range segs {
		bt := cal.BusinessTime(s.from, s.to)
		if ran+bt >= d {
			return cal.AddBusiness(s.from, d-ran)
		}
		ran += bt
		last = s.to
	}
	if last.Equal(stop) {
		return cal.AddBusiness(last, d-ran)
	}
	return time.Time{}
}

// judge sets State, Left and Late. A clock is Breached when it reached its
// target at an instant before it stopped (or before now, while it runs):
// stopping exactly at the due time meets the target.
func (k *Clock) judge(w Warning, now time.Time, paused bool) {
	if k.Target <= 0 {
		k.State, k.Due, k.SoonAt = None, time.Time{}, time.Time{}
		return
	}
	stop := orNow(k.Achieved, now)
	if k.Elapsed >= k.Target && k.Due.Before(stop) {
		k.State, k.Late = Breached, k.Elapsed-k.Target
		return
	}
	k.Left = max(k.Target-k.Elapsed, 0)
	switch {
	case !k.Achieved.IsZero():
		k.State = Met
		if k.SoonAt.After(k.Achieved) {
			k.SoonAt = time.Time{}
		}
	case paused:
		k.State, k.Due = Paused, time.Time{}
		if k.SoonAt.After(now) {
			k.SoonAt = time.Time{}
		}
	case w.soon(k.Target, k.Left):
		k.State = Soon
	default:
		k.State = OK
	}
}

// overall is the most urgent state of the running clocks, else of all.
func overall(clocks ...Clock) State {
	var running, stopped State
	for _, k := range clocks {
		if k.Achieved.IsZero() && k.State != None {
			running = max(running, k.State)
		} else {
			stopped = max(stopped, k.State)
		}
	}
	if running != None {
		return running
	}
	return stopped
}

// closed is what the closures say as of now.
type closed struct {
	first time.Time // the first close, zero if none
	last  time.Time // the last close when the ticket is closed now, else zero
}

// closures reads cs as of now. The ticket is closed at now when a closure
// has begun and not been reopened by now; it counts as closed at the latest
// such close. Closes before created count as at created.
func closures(cs []Closure, created, now time.Time) closed {
	var c closed
	for _, x := range cs {
		at := x.Closed.Round(0)
		if at.IsZero() || at.After(now) {
			continue
		}
		if at.Before(created) {
			at = created
		}
		if c.first.IsZero() || at.Before(c.first) {
			c.first = at
		}
		if x.Reopened.IsZero() || x.Reopened.After(now) {
			if at.After(c.last) {
				c.last = at
			}
		}
	}
	return c
}

// replies is the first and the last of our replies in [created, now].
func replies(rs []time.Time, created, now time.Time) (first, last time.Time) {
	for _, r := range rs {
		r = r.Round(0)
		if r.Before(created) || r.After(now) {
			continue
		}
		if first.IsZero() || r.Before(first) {
			first = r
		}
		if r.After(last) {
			last = r
		}
	}
	return first, last
}

// waitingSince is the customer's oldest message after our last reply (the
// creation when we never replied), zero when none; messages after now are
// ignored. A message at the same instant as our reply counts as answered.
func waitingSince(msgs []time.Time, created, lastReply, now time.Time) time.Time {
	if lastReply.IsZero() {
		return created
	}
	var since time.Time
	for _, m := range msgs {
		m = m.Round(0)
		if !m.After(lastReply) || m.After(now) {
			continue
		}
		if since.IsZero() || m.Before(since) {
			since = m
		}
	}
	return since
}

// ourTurns is the stretches of [created, end) when the ball is in our court:
// from a customer message (the creation is the first) to our next public
// reply. waiting says whether the customer has the ball at end. At equal
// instants the customer's message comes first.
func ourTurns(t Ticket, created, end time.Time) (segs []segment, waiting bool) {
	type event struct {
		at    time.Time
		reply bool
	}
	events := make([]event, 0, len(t.CustomerMessages)+len(t.Replies))
	for _, m := range t.CustomerMessages {
		if m = m.Round(0); m.After(created) && !m.After(end) {
			events = append(events, event{m, false})
		}
	}
	for _, r := range t.Replies {
		if r = r.Round(0); !r.Before(created) && !r.After(end) {
			events = append(events, event{r, true})
		}
	}
	slices.SortFunc(events, func(a, b event) int {
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		switch {
		case a.reply == b.reply:
			return 0
		case a.reply:
			return 1
		}
		return -1
	})
	from, ours := created, true
	for _, e := range events {
		switch {
		case e.reply && ours:
			segs = append(segs, segment{from, e.at})
			ours = false
		case !e.reply && !ours:
			from, ours = e.at, true
		}
	}
	if ours {
		segs = append(segs, segment{from, end})
	}
	return segs, !ours
}

// earliest is the earlier of a and b, ignoring a zero time.
func earliest(a, b time.Time) time.Time {
	switch {
	case a.IsZero():
		return b
	case b.IsZero() || a.Before(b):
		return a
	}
	return b
}

// orNow is t, or now when t is zero.
func orNow(t, now time.Time) time.Time {
	if t.IsZero() {
		return now
	}
	return t
}
