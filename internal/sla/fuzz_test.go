package sla

import (
	"bytes"
	"os"
	"testing"
	"time"
)

// FuzzParse: Parse never panics; a refusal is made of *ParseErrors naming
// the file and a line within it, with nothing applied; what it takes is a
// usable policy whose deadlines invert BusinessTime.
func FuzzParse(f *testing.F) {
	if data, err := os.ReadFile("testdata/sla.yml"); err == nil {
		f.Add(data)
	}
	for _, s := range []string{
		minimal,
		"timezone: UTC\nhours: 24/7\nfirst_response: 1h\nholidays: [2026-12-25]\n",
		"timezone: America/New_York\nhours:\n  mon-fri: 22:00-06:00\n  sun: 20:00-00:00\nresolution: 90m\nwarn_before: 1h\n",
		"timezone: UTC\nhours:\n  fri: 22:00-06:00\n  sat: 05:00-12:00\nfirst_response: 4h\n",
		"timezone: UTC\nhours:\n  Mnday: 09:00-17:00\nfirst_response: 2d\nlabels:\n  urgent: {first_response: none}\n",
		"timezone: UTC\nhours: 24/7\nfirst_response: &t 4h\nresolution: *t\n",
		"a: [\n",
	} {
		f.Add([]byte(s))
	}
	from := time.Date(2026, 11, 27, 13, 30, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse("sla.yml", data)
		if err != nil {
			lines := bytes.Count(data, []byte("\n")) + bytes.Count(data, []byte("\r")) + 1 // YAML breaks lines at a lone CR too
			errs := parseErrors(err)
			if len(errs) == 0 {
				t.Fatalf("error %T is no *ParseError: %v", err, err)
			}
			for _, e := range errs {
				if e.File != "sla.yml" || e.Line < 0 || e.Line > lines+1 || e.Msg == "" {
					t.Fatalf("error at %q line %d of %d: %q", e.File, e.Line, lines, e.Msg)
				}
			}
			if p.Calendar != nil || p.FirstResponse != 0 || p.Resolution != 0 || p.Labels != nil {
				t.Fatalf("a refused file applied: %+v", p)
			}
			return
		}
		if p.Calendar == nil || p.Calendar.zero() || p.Calendar.WeeklyHours() <= 0 {
			t.Fatalf("took a file with no calendar: %+v", p)
		}
		targets := []time.Duration{p.FirstResponse, p.Resolution}
		for _, lt := range p.Labels {
			targets = append(targets, lt.FirstResponse, lt.Resolution)
		}
		some := false
		for _, d := range targets {
			if d > maxTarget || d < 0 && d != NoTarget {
				t.Fatalf("target %v out of range", d)
			}
			some = some || d > 0
		}
		if !some {
			t.Fatalf("took a file with no target: %+v", p)
		}
		if p.Warn.Percent < 0 || p.Warn.Percent > 99 || p.Warn.Before < 0 {
			t.Fatalf("warning %+v", p.Warn)
		}
		due := p.Calendar.AddBusiness(from, time.Hour)
		if got := p.Calendar.BusinessTime(from, due); got != time.Hour {
			t.Fatalf("%s: BusinessTime(from, AddBusiness(from, 1h)) = %v", p.Calendar, got)
		}
		if !p.Calendar.Open(due.Add(-time.Nanosecond)) {
			t.Fatalf("%s: closed just before the deadline %s", p.Calendar, due)
		}
	})
}

// FuzzCalendar: on any calendar NewCalendar takes, in a zone with clock
// changes, deadlines invert BusinessTime and BusinessTime adds up.
func FuzzCalendar(f *testing.F) {
	f.Add(uint16(540), uint16(1050), uint8(0x3e), uint16(60), uint16(200), int64(0), uint8(0))
	f.Add(uint16(1320), uint16(360), uint8(0x3e), uint16(30), uint16(8*60), int64(3600*24*200), uint8(1))
	f.Add(uint16(0), uint16(1440), uint8(0x7f), uint16(0), uint16(1), int64(3600*24*85), uint8(2))
	f.Add(uint16(150), uint16(240), uint8(0x01), uint16(90), uint16(12*60), int64(3600*24*86), uint8(0))
	zones := []*time.Location{berlin, newYork, santiago}
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, start, end uint16, dayMask uint8, holidayDay uint16, minutes uint16, offset int64, zone uint8) {
		loc := zones[int(zone)%len(zones)]
		var hours []Hours
		for d := time.Sunday; d <= time.Saturday; d++ {
			if dayMask&(1<<d) != 0 {
				hours = append(hours, Hours{Day: d, Start: TimeOfDay(start % 1441), End: TimeOfDay(end % 1441)})
			}
		}
		y, m, d := time.Date(2026, 1, 1+int(holidayDay%365), 0, 0, 0, 0, time.UTC).Date()
		holidays := []Holiday{{Date: Date{y, m, d}}}
		c, err := NewCalendar(loc, hours, holidays)
		if err != nil {
			return
		}
		from := base.Add(time.Duration(offset%(400*24*3600)) * time.Second).In(loc)
		dur := time.Duration(minutes) * time.Minute
		due := c.AddBusiness(from, dur)
		if got := c.BusinessTime(from, due); got != dur {
			t.Fatalf("%s: BusinessTime(%s, AddBusiness(.., %v) = %s) = %v", c, from, dur, due, got)
		}
		if dur > 0 && c.BusinessTime(from, due.Add(-time.Nanosecond)) != dur-time.Nanosecond {
			t.Fatalf("%s: AddBusiness(%s, %v) = %s is not the earliest such instant", c, from, dur, due)
		}
		mid := from.Add(due.Sub(from) / 2)
		if a, b := c.BusinessTime(from, mid), c.BusinessTime(mid, due); a+b != dur {
			t.Fatalf("%s: %v + %v != %v", c, a, b, dur)
		}
		if next := c.NextOpen(from); next.Before(from) || !c.Open(next) {
			t.Fatalf("%s: NextOpen(%s) = %s", c, from, next)
		}
	})
}
