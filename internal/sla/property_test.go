package sla

import (
	"math/rand/v2"
	"testing"
	"time"
)

// openByWallClock is an independent, slow answer to "is t business time?":
// it reads t's wall clock and date in loc and checks hours as written
// (overnight ones included) and holidays, with no interval arithmetic. It
// agrees with Calendar wherever no span boundary falls strictly inside an
// hour that a fall-back repeats (there the wall clock reads a boundary
// twice; Calendar takes the first).
func openByWallClock(loc *time.Location, hours []Hours, holidays []Holiday, t time.Time) bool {
	local := t.In(loc)
	y, m, d := local.Date()
	for _, h := range holidays {
		if h.Date == (Date{y, m, d}) {
			return false
		}
	}
	wd := local.Weekday()
	tod := At(local.Hour(), local.Minute())
	for _, h := range hours {
		end := h.End
		if end == 0 {
			end = EndOfDay
		}
		switch {
		case h.Start < end:
			if wd == h.Day && tod >= h.Start && tod < end {
				return true
			}
		case wd == h.Day && tod >= h.Start, wd == (h.Day+1)%7 && tod < end:
			return true
		}
	}
	return false
}

// randomCalendar is a calendar of up to two spans a day on a quarter-hour
// grid, overnight spans included; boundaries avoid 01:15-02:45 (the hours a
// fall-back repeats in Berlin and New York). ok is false when the spans
// overlap or leave the week closed.
func randomCalendar(r *rand.Rand, loc *time.Location) (c *Calendar, hours []Hours, holidays []Holiday, ok bool) {
	boundary := func() TimeOfDay {
		for {
			b := TimeOfDay(r.IntN(96)) * 15
			if b < At(1, 15) || b > At(2, 45) {
				return b
			}
		}
	}
	for d := time.Sunday; d <= time.Saturday; d++ {
		for range r.IntN(3) {
			h := Hours{Day: d, Start: boundary(), End: boundary()}
			if h.Start != h.End {
				hours = append(hours, h)
			}
		}
	}
	// Holidays around the clock changes and the year's end.
	for range r.IntN(4) {
		base := []Date{{2026, 3, 29}, {2026, 10, 25}, {2026, 11, 1}, {2026, 12, 25}}[r.IntN(4)]
		holidays = append(holidays, Holiday{Date: Date{base.Year, base.Month, base.Day + r.IntN(5) - 2}})
	}
	c, err := NewCalendar(loc, hours, holidays)
	return c, hours, holidays, err == nil
}

// TestAgainstWallClock checks Open, BusinessTime and AddBusiness on random
// calendars and ranges around the 2026 clock changes against counting
// minute by minute with openByWallClock.
func TestAgainstWallClock(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(2026, 11))
	starts := []time.Time{
		tm(berlin, "2026-03-26 00:00"), tm(berlin, "2026-10-22 00:00"),
		tm(newYork, "2026-03-05 00:00"), tm(newYork, "2026-10-29 00:00"),
		tm(berlin, "2026-12-21 00:00"),
	}
	cases := 0
	for cases < 60 {
		start := starts[r.IntN(len(starts))]
		c, hours, holidays, ok := randomCalendar(r, start.Location())
		if !ok {
			continue
		}
		cases++
		from := start.Add(time.Duration(r.IntN(3*24*60)) * time.Minute)
		to := from.Add(time.Duration(r.IntN(6*24*60)) * time.Minute)
		var want time.Duration
		for m := from; m.Before(to); m = m.Add(time.Minute) {
			open := openByWallClock(start.Location(), hours, holidays, m)
			if open {
				want += time.Minute
			}
			if c.Open(m) != open {
				t.Fatalf("%s: Open(%s) = %v, want %v", c, m, !open, open)
			}
		}
		if got := c.BusinessTime(from, to); got != want {
			t.Fatalf("%s: BusinessTime(%s, %s) = %v, want %v", c, from, to, got, want)
		}
		if want == 0 {
			continue
		}
		// The deadline of the business time just counted is the earliest
		// instant that many minutes in: at or before to, and exact.
		due := c.AddBusiness(from, want)
		if due.After(to) || c.BusinessTime(from, due) != want || c.BusinessTime(from, due.Add(-time.Nanosecond)) != want-time.Nanosecond {
			t.Fatalf("%s: AddBusiness(%s, %v) = %s, not the earliest instant with that much business time (to %s)", c, from, want, due, to)
		}
	}
}

// TestLongRanges checks that week jumps agree with walking day by day:
// BusinessTime is additive, and AddBusiness inverts it, over a year of
// random calendars in zones with clock changes.
func TestLongRanges(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(7, 7))
	zones := []*time.Location{berlin, newYork, santiago, time.UTC}
	for cases := 0; cases < 40; {
		loc := zones[r.IntN(len(zones))]
		c, _, _, ok := randomCalendar(r, loc)
		if !ok {
			continue
		}
		cases++
		a := time.Date(2026, 1, 1, 0, 0, 0, 0, loc).Add(time.Duration(r.Int64N(int64(365 * 24 * time.Hour))))
		b := a.Add(time.Duration(r.Int64N(int64(200 * 24 * time.Hour))))
		mid := a.Add(b.Sub(a) / 3)
		whole, parts := c.BusinessTime(a, b), c.BusinessTime(a, mid)+c.BusinessTime(mid, b)
		if whole != parts {
			t.Fatalf("%s: BusinessTime(%s, %s) = %v, but %v in two parts", c, a, b, whole, parts)
		}
		if whole == 0 {
			continue
		}
		if due := c.AddBusiness(a, whole); c.BusinessTime(a, due) != whole || due.After(b) {
			t.Fatalf("%s: AddBusiness(%s, %v) = %s, after %s or not exact", c, a, whole, due, b)
		}
		d := time.Duration(r.Int64N(int64(whole)))
		if due := c.AddBusiness(a, d); c.BusinessTime(a, due) != d {
			t.Fatalf("%s: BusinessTime(from, AddBusiness(from, %v)) = %v", c, d, c.BusinessTime(a, due))
		}
	}
}
