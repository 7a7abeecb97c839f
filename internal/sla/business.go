package sla

import (
	"slices"
	"time"
)

// Business time is counted on intervals of instants, never on wall-clock
// readings: each day's spans become [start, end) instants through at, and the
// answers below are sums and walks over those intervals, a day at a time,
// jumping a whole week when the week has no holiday and no clock change.

// BusinessTime is the business time between from and to: how much of
// [from, to) falls in opening hours. It is zero when to is not after from.
func (c *Calendar) BusinessTime(from, to time.Time) time.Duration {
	from, to = from.Round(0), to.Round(0)
	if !to.After(from) {
		return 0
	}
	if c.always() {
		return to.Sub(from)
	}
	first, last := c.day(from), c.day(to)
	var total time.Duration
	for day := first; day <= last; {
		// A week strictly between the first and the last day counts whole.
		if day > first && day+7 <= last && c.plainWeek(day) {
			total += c.weekTotal
			day += 7
			continue
		}
		for _, s := range c.spansOn(day) {
			start, end := c.at(day, s.start), c.at(day, s.end)
			if start.Before(from) {
				start = from
			}
			if end.After(to) {
				end = to
			}
			if end.After(start) {
				total += end.Sub(start)
			}
		}
		day++
	}
	return total
}

// AddBusiness is the deadline d of business time after from: the earliest
// instant t with BusinessTime(from, t) == d. A deadline that uses up the last
// minute of a day falls at that day's closing time (17:30 on Friday), not at
// the next opening (09:00 on Monday). When from is outside opening hours the
// clock starts at the next opening. A d of zero or less gives from itself.
// The result is in the calendar's zone.
func (c *Calendar) AddBusiness(from time.Time, d time.Duration) time.Time {
	from = from.Round(0).In(c.Location())
	if d <= 0 {
		return from
	}
	if c.always() {
		return from.Add(d)
	}
	first := c.day(from)
	for day := first; ; {
		if day > first && d > c.weekTotal && c.plainWeek(day) {
			d -= c.weekTotal
			day += 7
			continue
		}
		for _, s := range c.spansOn(day) {
			start, end := c.at(day, s.start), c.at(day, s.end)
			if start.Before(from) {
				start = from
			}
			if !end.After(start) {
				continue
			}
			open := end.Sub(start)
			if d <= open {
				return start.Add(d)
			}
			d -= open
		}
		day++
	}
}

// Open says whether t is business time. Opening hours include their start
// and exclude their end: at 17:30 a 09:00–17:30 day is closed.
func (c *Calendar) Open(t time.Time) bool {
	if c.always() {
		return true
	}
	t = t.Round(0)
	day := c.day(t)
	for _, s := range c.spansOn(day) {
		if t.Before(c.at(day, s.start)) {
			return false
		}
		if t.Before(c.at(day, s.end)) {
			return true
		}
	}
	return false
}

// NextOpen is t when t is business time, else the next instant that is (the
// next opening). The result is in the calendar's zone.
func (c *Calendar) NextOpen(t time.Time) time.Time {
	t = t.Round(0).In(c.Location())
	if c.always() {
		return t
	}
	for day := c.day(t); ; day++ {
		for _, s := range c.spansOn(day) {
			start, end := c.at(day, s.start), c.at(day, s.end)
			if !end.After(t) || !end.After(start) {
				continue
			}
			if start.After(t) {
				return start
			}
			return t
		}
	}
}

// spansOn is the opening hours of a day by number: none on a holiday.
func (c *Calendar) spansOn(day int) []span {
	if len(c.holidayDays) > 0 {
		if _, ok := c.holidays[day]; ok {
			return nil
		}
	}
	return c.week[weekday(day)]
}

// plainWeek says whether the seven days from day count c.weekTotal: no
// holiday among them and no change of the zone's offset. A change at the
// week's first instant counts: where clocks jump at midnight (Santiago),
// the first day starts at the jump and is an hour short.
func (c *Calendar) plainWeek(day int) bool {
	if i, _ := slices.BinarySearch(c.holidayDays, day); i < len(c.holidayDays) && c.holidayDays[i] < day+7 {
		return false
	}
	start := c.at(day, 0)
	from, next := start.ZoneBounds()
	return !from.Equal(start) && (next.IsZero() || !next.Before(c.at(day+7, 0)))
}

// day is the number of t's date in the calendar's zone.
func (c *Calendar) day(t time.Time) int {
	y, m, d := t.In(c.loc).Date()
	return dayNumber(y, m, d)
}

// at is the instant the wall clock in the calendar's zone first reads
// minute min of the day numbered day (min may be 1440: the next midnight).
//
// Around a clock change a wall time may not exist or may occur twice, and
// time.Date's choice then depends on the zone's side of UTC. at is exact: a
// time skipped by a spring-forward resolves to the instant the clocks jump
// (02:30 on Berlin's spring-forward day is 03:00 CEST), and a time repeated
// by a fall-back resolves to its first occurrence (02:30 CEST, not CET).
// That is the earliest instant whose wall clock reads that time or later, so
// a day's spans stay in order and days never overlap.
func (c *Calendar) at(day int, min TimeOfDay) time.Time {
	y, m, d := civil(day)
	t := time.Date(y, m, d, 0, int(min), 0, 0, c.loc)
	want := int64(day)*86400 + int64(min)*60
	got := wallSeconds(t)
	start, end := t.ZoneBounds()
	switch {
	case got < want: // in a gap, and time.Date went back: the gap ends at end
		return end
	case got > want: // in a gap, and time.Date went forward past it
		return start
	}
	// An earlier instant with the same wall clock exists only just after a
	// fall-back, in the zone period before the one t is in.
	if !start.IsZero() && t.Sub(start) < 24*time.Hour {
		_, before := start.Add(-time.Nanosecond).Zone()
		if e := time.Unix(want-int64(before), 0).In(c.loc); e.Before(t) && wallSeconds(e) == want {
			return e
		}
	}
	return t
}

// wallSeconds is t's wall-clock reading in its zone as seconds since
// 1970-01-01 00:00 (of the wall clock).
func wallSeconds(t time.Time) int64 {
	_, off := t.Zone()
	return t.Unix() + int64(off)
}

// dayNumber numbers dates: 1970-01-01 is 0.
func dayNumber(y int, m time.Month, d int) int {
	return int(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// civil is the date numbered n.
func civil(n int) (int, time.Month, int) {
	return time.Unix(int64(n)*86400, 0).UTC().Date()
}

// weekday is the weekday of the date numbered n (1970-01-01 was a Thursday).
func weekday(n int) time.Weekday {
	return time.Weekday((n%7 + 7 + int(time.Thursday)) % 7)
}
