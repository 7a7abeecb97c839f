package sla

import (
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"
)

var (
	berlin   = mustZone("Europe/Berlin")
	newYork  = mustZone("America/New_York")
	santiago = mustZone("America/Santiago")
)

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err) // the embedded database has every zone
	}
	return loc
}

// tm is a wall-clock time in loc ("2026-11-27 13:30"), or an instant with
// its offset ("2026-10-25 02:30 +0200") where a fall-back makes the wall
// clock ambiguous.
func tm(loc *time.Location, s string) time.Time {
	layout := "2006-01-02 15:04"
	if len(s) > len(layout) {
		layout += " -0700"
	}
	t, err := time.ParseInLocation(layout, s, loc)
	if err != nil {
		panic(err)
	}
	return t
}

func mustCalendar(loc *time.Location, hours []Hours, holidays ...Holiday) *Calendar {
	c, err := NewCalendar(loc, hours, holidays)
	if err != nil {
		panic(err)
	}
	return c
}

func mustAlways(loc *time.Location, holidays ...Holiday) *Calendar {
	c, err := Always(loc, holidays)
	if err != nil {
		panic(err)
	}
	return c
}

func days(from, to time.Weekday, start, end TimeOfDay) []Hours {
	var hours []Hours
	for d := from; d <= to; d++ {
		hours = append(hours, Hours{Day: d, Start: start, End: end})
	}
	return hours
}

func holiday(y int, m time.Month, d int, name string) Holiday {
	return Holiday{Date: Date{y, m, d}, Name: name}
}

// The calendars of the known-answer tests. 2026 dates: Mon 23 Nov, Fri 27
// Nov, Wed 23 Dec, Thu 24 Dec, Fri 25 Dec. Berlin's clocks go forward on Sun
// 29 Mar (02:00 CET -> 03:00 CEST) and back on Sun 25 Oct (03:00 CEST ->
// 02:00 CET); New York's on Sun 8 Mar (02:00 EST -> 03:00 EDT) and Sun 1 Nov
// (02:00 EDT -> 01:00 EST); Santiago's back on Sat 4 Apr (24:00 -> 23:00)
// and forward at midnight starting Sun 6 Sep (00:00 -> 01:00).
var (
	// office: Mon-Fri 09:00-17:30 (8h30m a day, 42h30m a week), closed on
	// Christmas Eve and Christmas Day.
	office = mustCalendar(berlin, days(time.Monday, time.Friday, At(9, 0), At(17, 30)),
		holiday(2026, 12, 24, "Christmas Eve"), holiday(2026, 12, 25, "Christmas Day"))
	// night: Mon-Fri 22:00-06:00, so Tue-Sat 00:00-06:00 and Mon-Fri
	// 22:00-24:00; closed on Christmas Eve.
	night = mustCalendar(berlin, days(time.Monday, time.Friday, At(22, 0), At(6, 0)),
		holiday(2026, 12, 24, "Christmas Eve"))
	// nyOffice: Mon-Fri 09:00-17:00 in New York.
	nyOffice = mustCalendar(newYork, days(time.Monday, time.Friday, At(9, 0), At(17, 0)))
	// Round the clock, with a holiday so that the day-by-day walk (not plain
	// subtraction) does the counting.
	berlin247   = mustAlways(berlin, holiday(2026, 12, 25, "Christmas Day"))
	newYork247  = mustAlways(newYork, holiday(2026, 12, 25, "Christmas Day"))
	santiago247 = mustAlways(santiago, holiday(2026, 12, 25, "Navidad"))
	// Sunday spans around the clock changes.
	berlinSunNight = mustCalendar(berlin, []Hours{{time.Sunday, 0, At(6, 0)}})
	berlinSunGap   = mustCalendar(berlin, []Hours{{time.Sunday, At(2, 30), At(4, 0)}})
	nySunRepeat    = mustCalendar(newYork, []Hours{{time.Sunday, At(1, 30), At(3, 0)}})
	nySunGap       = mustCalendar(newYork, []Hours{{time.Sunday, At(2, 30), At(4, 0)}})
	santiagoSun    = mustCalendar(santiago, []Hours{{time.Sunday, 0, At(2, 0)}, {time.Saturday, 0, EndOfDay}})
	santiagoEarly  = mustCalendar(santiago, []Hours{{time.Sunday, 0, At(1, 0)}, {time.Monday, At(9, 0), At(10, 0)}})
)

func TestBusinessTime(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		cal      *Calendar
		from, to time.Time
		want     time.Duration
	}{
		{"within a day", office, tm(berlin, "2026-11-23 10:00"), tm(berlin, "2026-11-23 12:15"), 2*time.Hour + 15*time.Minute},
		// 09:00-17:30, whatever lies outside.
		{"a whole day from before opening to after closing", office, tm(berlin, "2026-11-23 08:00"), tm(berlin, "2026-11-23 18:00"), 8*time.Hour + 30*time.Minute},
		// Fri 16:00-17:30 (1h30m) + Mon 09:00-10:00 (1h).
		{"across a weekend", office, tm(berlin, "2026-11-27 16:00"), tm(berlin, "2026-11-30 10:00"), 2*time.Hour + 30*time.Minute},
		{"within a weekend", office, tm(berlin, "2026-11-28 10:00"), tm(berlin, "2026-11-29 20:00"), 0},
		// Wed 17:00-17:30 (30m), Thu and Fri holidays, weekend, Mon 09:00-09:30 (30m).
		{"across two holidays", office, tm(berlin, "2026-12-23 17:00"), tm(berlin, "2026-12-28 09:30"), time.Hour},
		{"to before from", office, tm(berlin, "2026-11-23 12:00"), tm(berlin, "2026-11-23 10:00"), 0},
		{"from equals to", office, tm(berlin, "2026-11-23 12:00"), tm(berlin, "2026-11-23 12:00"), 0},
		{"closing instant counts nothing", office, tm(berlin, "2026-11-23 17:30"), tm(berlin, "2026-11-23 23:00"), 0},
		// Four whole weeks of 42h30m.
		{"four weeks", office, tm(berlin, "2026-11-02 09:00"), tm(berlin, "2026-11-30 09:00"), 170 * time.Hour},
		// 52 weeks of 42h30m (2210h) less two 8h30m holidays.
		{"a year", office, tm(berlin, "2026-01-05 09:00"), tm(berlin, "2027-01-04 09:00"), 2193 * time.Hour},
		// Fri 16:00-17:30 CET (1h30m) + Mon 09:00-10:00 CEST (1h): opening
		// hours are wall-clock hours on either side of the change.
		{"office across Berlin spring-forward", office, tm(berlin, "2026-03-27 16:00"), tm(berlin, "2026-03-30 10:00"), 2*time.Hour + 30*time.Minute},
		// Ten days of 8h30m; the week of the change is walked day by day.
		{"two weeks across Berlin spring-forward", office, tm(berlin, "2026-03-23 09:00"), tm(berlin, "2026-04-06 09:00"), 85 * time.Hour},
		{"two weeks across Berlin fall-back", office, tm(berlin, "2026-10-19 09:00"), tm(berlin, "2026-11-02 09:00"), 85 * time.Hour},
		// Fri 16:00-17:00 EST (1h) + Mon 09:00-10:00 EDT (1h).
		{"office across New York spring-forward", nyOffice, tm(newYork, "2026-03-06 16:00"), tm(newYork, "2026-03-09 10:00"), 2 * time.Hour},
		// Mon 22:00-24:00 + Tue 00:00-06:00.
		{"overnight", night, tm(berlin, "2026-11-23 21:00"), tm(berlin, "2026-11-24 07:00"), 8 * time.Hour},
		// Fri 23:00-24:00 + Sat 00:00-05:00: Friday's shift runs into Saturday.
		{"overnight into Saturday", night, tm(berlin, "2026-11-27 23:00"), tm(berlin, "2026-11-28 05:00"), 6 * time.Hour},
		{"overnight calendar's weekend", night, tm(berlin, "2026-11-28 06:00"), tm(berlin, "2026-11-30 22:00"), 0},
		// Wed 22:00-24:00 (2h); Thu 24 Dec is a holiday: its 00:00-06:00
		// (Wednesday's tail) and 22:00-24:00 are closed; Fri 00:00-06:00 (6h).
		{"overnight across a holiday", night, tm(berlin, "2026-12-23 22:00"), tm(berlin, "2026-12-25 06:00"), 8 * time.Hour},
		// The Sunday of the change is 23h long, the next day 24h.
		{"24/7 Berlin spring-forward day", berlin247, tm(berlin, "2026-03-29 00:00"), tm(berlin, "2026-03-30 00:00"), 23 * time.Hour},
		{"24/7 Berlin fall-back day", berlin247, tm(berlin, "2026-10-25 00:00"), tm(berlin, "2026-10-26 00:00"), 25 * time.Hour},
		{"24/7 Berlin noon to noon over spring-forward", berlin247, tm(berlin, "2026-03-28 12:00"), tm(berlin, "2026-03-29 12:00"), 23 * time.Hour},
		{"24/7 New York spring-forward day", newYork247, tm(newYork, "2026-03-08 00:00"), tm(newYork, "2026-03-09 00:00"), 23 * time.Hour},
		{"24/7 New York fall-back day", newYork247, tm(newYork, "2026-11-01 00:00"), tm(newYork, "2026-11-02 00:00"), 25 * time.Hour},
		// 12h of the 24th, none of the 25th, 12h of the 26th.
		{"24/7 across a holiday", berlin247, tm(berlin, "2026-12-24 12:00"), tm(berlin, "2026-12-26 12:00"), 24 * time.Hour},
		// Santiago's clocks jump from Sat 24:00 to Sun 01:00: Sunday starts
		// at 01:00 and the 24h from Saturday noon end at Sunday 13:00.
		{"24/7 Santiago midnight spring-forward", santiago247, tm(santiago, "2026-09-05 12:00"), tm(santiago, "2026-09-06 13:00"), 24 * time.Hour},
		// Sat 00:00 (-03) to Sun 00:00 (-04): 25h.
		{"Santiago Saturday with the midnight fall-back", santiagoSun, tm(santiago, "2026-04-04 00:00"), tm(santiago, "2026-04-05 00:00"), 25 * time.Hour},
		// Sun 00:00-02:00 does not start at 00:00, which does not exist,
		// but at the jump (01:00 -03): 1h.
		{"Santiago Sunday span from a missing midnight", santiagoSun, tm(santiago, "2026-09-06 01:00"), tm(santiago, "2026-09-07 00:00"), time.Hour},
		// Sun 00:00-06:00 is 5h, 7h or 6h of real time.
		{"Berlin night span on spring-forward", berlinSunNight, tm(berlin, "2026-03-29 00:00"), tm(berlin, "2026-03-30 00:00"), 5 * time.Hour},
		{"Berlin night span on fall-back", berlinSunNight, tm(berlin, "2026-10-25 00:00"), tm(berlin, "2026-10-26 00:00"), 7 * time.Hour},
		{"Berlin night span on an ordinary Sunday", berlinSunNight, tm(berlin, "2026-11-01 00:00"), tm(berlin, "2026-11-02 00:00"), 6 * time.Hour},
		// Sun 02:30-04:00: on spring-forward 02:30 does not exist, the
		// span starts at the jump (03:00 CEST): 1h. On fall-back 02:30 is
		// its first occurrence (CEST): 30m CEST + 02:00-04:00 CET = 2h30m.
		{"Berlin span starting in the skipped hour", berlinSunGap, tm(berlin, "2026-03-29 00:00"), tm(berlin, "2026-03-30 00:00"), time.Hour},
		{"Berlin span starting in the repeated hour", berlinSunGap, tm(berlin, "2026-10-25 00:00"), tm(berlin, "2026-10-26 00:00"), 2*time.Hour + 30*time.Minute},
		// Sun 01:30-03:00: 01:30 EDT (first occurrence) to 03:00 EST is
		// 30m EDT + 01:00-03:00 EST = 2h30m.
		{"New York span starting in the repeated hour", nySunRepeat, tm(newYork, "2026-11-01 00:00"), tm(newYork, "2026-11-02 00:00"), 2*time.Hour + 30*time.Minute},
		// Sun 02:30-04:00 starts at the jump (03:00 EDT): 1h.
		{"New York span starting in the skipped hour", nySunGap, tm(newYork, "2026-03-08 00:00"), tm(newYork, "2026-03-09 00:00"), time.Hour},
		// Inside the repeated hour: 02:15 CET (the second 02:15) to 04:00
		// CET is 1h45m; the span started at 02:30 CEST, before.
		{"from inside the repeated hour", berlinSunGap, tm(berlin, "2026-10-25 02:15 +0100"), tm(berlin, "2026-10-25 04:00"), time.Hour + 45*time.Minute},
		// Fourteen days of 24h less the hour the clocks skip: the week of
		// the change is not counted as a plain week.
		{"24/7 two weeks across spring-forward", berlin247, tm(berlin, "2026-03-23 00:00"), tm(berlin, "2026-04-06 00:00"), 335 * time.Hour},
		{"24/7 two weeks across fall-back", berlin247, tm(berlin, "2026-10-19 00:00"), tm(berlin, "2026-11-02 00:00"), 337 * time.Hour},
		// Sundays 18 Oct (6h), 25 Oct (7h) and 1 Nov (6h).
		{"night span three weeks across fall-back", berlinSunNight, tm(berlin, "2026-10-12 00:00"), tm(berlin, "2026-11-02 00:00"), 19 * time.Hour},
		// Three weeks from a Wednesday afternoon to one: 3 x 42h30m.
		{"three weeks from mid-week", office, tm(berlin, "2026-11-04 13:00"), tm(berlin, "2026-11-25 13:00"), 127*time.Hour + 30*time.Minute},
		// Sun 00:00-01:00 on 6 Sep does not exist (the clocks jump from
		// 00:00 to 01:00), so the week from that Sunday is an hour short:
		// Mon 7 Sep, Sun 13 Sep, Mon 14 Sep, 1h each.
		{"Santiago week starting with a skipped midnight", santiagoEarly, tm(santiago, "2026-09-05 12:00"), tm(santiago, "2026-09-14 12:00"), 3 * time.Hour},
		{"zero calendar is 24/7", nil, tm(berlin, "2026-03-29 00:00"), tm(berlin, "2026-03-30 00:00"), 23 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.cal.BusinessTime(tt.from, tt.to); got != tt.want {
				t.Errorf("BusinessTime(%s, %s) = %v, want %v", tt.from, tt.to, got, tt.want)
			}
		})
	}
}

func TestAddBusiness(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cal  *Calendar
		from time.Time
		d    time.Duration
		want time.Time
	}{
		// Fri 13:30 + 4h uses up Friday exactly: due at closing, 17:30,
		// not at Monday's opening.
		{"deadline at closing time", office, tm(berlin, "2026-11-27 13:30"), 4 * time.Hour, tm(berlin, "2026-11-27 17:30")},
		{"a minute more is Monday", office, tm(berlin, "2026-11-27 13:30"), 4*time.Hour + time.Minute, tm(berlin, "2026-11-30 09:01")},
		{"from a weekend the clock starts Monday", office, tm(berlin, "2026-11-28 12:00"), time.Hour, tm(berlin, "2026-11-30 10:00")},
		{"from the closing instant", office, tm(berlin, "2026-11-30 17:30"), 30 * time.Minute, tm(berlin, "2026-12-01 09:30")},
		{"from before opening", office, tm(berlin, "2026-11-30 06:00"), 30 * time.Minute, tm(berlin, "2026-11-30 09:30")},
		// Wed 16:00-17:30 (1h30m), Thu and Fri holidays, Mon 09:00-09:30.
		{"over two holidays and a weekend", office, tm(berlin, "2026-12-23 16:00"), 2 * time.Hour, tm(berlin, "2026-12-28 09:30")},
		{"zero is from itself, even when closed", office, tm(berlin, "2026-11-28 12:00"), 0, tm(berlin, "2026-11-28 12:00")},
		// Mon-Thu 34h, then 6h of Friday.
		{"40 business hours", office, tm(berlin, "2026-11-23 09:00"), 40 * time.Hour, tm(berlin, "2026-11-27 15:00")},
		// Four weeks (170h) to Mon 30 Nov 09:00, then Mon, Tue, Wed (25h30m)
		// and 4h30m of Thursday.
		{"200 business hours", office, tm(berlin, "2026-11-02 09:00"), 200 * time.Hour, tm(berlin, "2026-12-03 13:30")},
		// Ten days of 8h30m end on the tenth day's closing.
		{"85h across Berlin spring-forward", office, tm(berlin, "2026-03-23 09:00"), 85 * time.Hour, tm(berlin, "2026-04-03 17:30")},
		// Fri 16:00-17:30 CET (1h30m), Mon 09:00-10:30 CEST.
		{"over the spring-forward weekend", office, tm(berlin, "2026-03-27 16:00"), 3 * time.Hour, tm(berlin, "2026-03-30 10:30")},
		// Fri 16:00-17:00 EST, Mon 09:00-10:00 EDT.
		{"over New York's spring-forward weekend", nyOffice, tm(newYork, "2026-03-06 16:00"), 2 * time.Hour, tm(newYork, "2026-03-09 10:00")},
		// 24h of real time: the wall clock says 25h later.
		{"24/7 over spring-forward", berlin247, tm(berlin, "2026-03-28 12:00"), 24 * time.Hour, tm(berlin, "2026-03-29 13:00")},
		{"24/7 over fall-back", newYork247, tm(newYork, "2026-10-31 12:00"), 24 * time.Hour, tm(newYork, "2026-11-01 11:00")},
		// 4h of the 24th, the 25th a holiday, then 2h of the 26th.
		{"24/7 over a holiday", berlin247, tm(berlin, "2026-12-24 20:00"), 6 * time.Hour, tm(berlin, "2026-12-26 02:00")},
		// Fri 23:00-24:00 and Sat 00:00-06:00 (7h), then Mon from 22:00.
		{"overnight shifts", night, tm(berlin, "2026-11-27 23:00"), 8 * time.Hour, tm(berlin, "2026-11-30 23:00")},
		// The 7h Sunday night: 00:00 CEST + 7h of real time is 06:00 CET.
		{"into the fall-back hour", berlinSunNight, tm(berlin, "2026-10-25 00:00"), 7 * time.Hour, tm(berlin, "2026-10-25 06:00")},
		{"24/7 two weeks across spring-forward", berlin247, tm(berlin, "2026-03-23 00:00"), 335 * time.Hour, tm(berlin, "2026-04-06 00:00")},
		// Sundays 00:00-06:00: 11 Oct 6h, 18 Oct 6h, 25 Oct 7h; 1 Nov 05:00.
		{"night span weeks across fall-back", berlinSunNight, tm(berlin, "2026-10-05 00:00"), 24 * time.Hour, tm(berlin, "2026-11-01 05:00")},
		{"zero calendar", nil, tm(berlin, "2026-11-28 12:00"), time.Hour, tm(berlin, "2026-11-28 13:00")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := tt.cal.AddBusiness(tt.from, tt.d)
			if !got.Equal(tt.want) {
				t.Errorf("AddBusiness(%s, %v) = %s, want %s", tt.from, tt.d, got, tt.want)
			}
			if bt := tt.cal.BusinessTime(tt.from, got); bt != tt.d {
				t.Errorf("BusinessTime(from, deadline) = %v, want %v", bt, tt.d)
			}
		})
	}
}

func TestOpen(t *testing.T) {
	t.Parallel()
	tests := []struct {
		cal      *Calendar
		at       time.Time
		open     bool
		nextOpen time.Time
	}{
		{office, tm(berlin, "2026-11-23 09:00"), true, tm(berlin, "2026-11-23 09:00")},
		{office, tm(berlin, "2026-11-23 08:59"), false, tm(berlin, "2026-11-23 09:00")},
		{office, tm(berlin, "2026-11-23 17:29"), true, tm(berlin, "2026-11-23 17:29")},
		{office, tm(berlin, "2026-11-23 17:30"), false, tm(berlin, "2026-11-24 09:00")},
		{office, tm(berlin, "2026-11-27 17:30"), false, tm(berlin, "2026-11-30 09:00")},
		{office, tm(berlin, "2026-11-28 11:00"), false, tm(berlin, "2026-11-30 09:00")},
		{office, tm(berlin, "2026-12-23 18:00"), false, tm(berlin, "2026-12-28 09:00")},
		{office, tm(berlin, "2026-12-24 11:00"), false, tm(berlin, "2026-12-28 09:00")},
		{night, tm(berlin, "2026-11-24 03:00"), true, tm(berlin, "2026-11-24 03:00")},
		{night, tm(berlin, "2026-11-28 05:59"), true, tm(berlin, "2026-11-28 05:59")},
		{night, tm(berlin, "2026-11-28 06:00"), false, tm(berlin, "2026-11-30 22:00")},
		{night, tm(berlin, "2026-11-23 03:00"), false, tm(berlin, "2026-11-23 22:00")},
		// Christmas Eve closes Wednesday night's tail.
		{night, tm(berlin, "2026-12-24 01:00"), false, tm(berlin, "2026-12-25 00:00")},
		{berlinSunGap, tm(berlin, "2026-10-25 02:45 +0200"), true, tm(berlin, "2026-10-25 02:45 +0200")},
		{berlinSunGap, tm(berlin, "2026-10-25 02:15 +0200"), false, tm(berlin, "2026-10-25 02:30 +0200")},
		{berlinSunGap, tm(berlin, "2026-03-29 01:59"), false, tm(berlin, "2026-03-29 03:00")},
		{santiagoSun, tm(santiago, "2026-09-06 01:30"), true, tm(santiago, "2026-09-06 01:30")},
		{santiagoSun, tm(santiago, "2026-09-06 02:00"), false, tm(santiago, "2026-09-12 00:00")},
		{berlin247, tm(berlin, "2026-12-25 12:00"), false, tm(berlin, "2026-12-26 00:00")},
		{nil, tm(berlin, "2026-12-25 12:00"), true, tm(berlin, "2026-12-25 12:00")},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%s", tt.cal, tt.at), func(t *testing.T) {
			t.Parallel()
			if got := tt.cal.Open(tt.at); got != tt.open {
				t.Errorf("Open = %v, want %v", got, tt.open)
			}
			if got := tt.cal.NextOpen(tt.at); !got.Equal(tt.nextOpen) {
				t.Errorf("NextOpen = %s, want %s", got, tt.nextOpen)
			}
		})
	}
}

func TestHoliday(t *testing.T) {
	t.Parallel()
	if name, ok := office.Holiday(tm(berlin, "2026-12-25 23:59")); !ok || name != "Christmas Day" {
		t.Errorf("Holiday(25 Dec 23:59) = %q, %v; want Christmas Day", name, ok)
	}
	// 23:30 UTC on the 25th is already the 26th in Berlin.
	if name, ok := office.Holiday(time.Date(2026, 12, 25, 23, 30, 0, 0, time.UTC)); ok {
		t.Errorf("Holiday(26 Dec 00:30 Berlin) = %q, want none", name)
	}
	want := []Holiday{holiday(2026, 12, 24, "Christmas Eve"), holiday(2026, 12, 25, "Christmas Day")}
	if got := office.Holidays(); !reflect.DeepEqual(got, want) {
		t.Errorf("Holidays = %v, want %v", got, want)
	}
}

func TestNewCalendar(t *testing.T) {
	t.Parallel()
	t.Run("touching spans join, overnight spans split", func(t *testing.T) {
		t.Parallel()
		c := mustCalendar(berlin, []Hours{
			{time.Monday, At(9, 0), At(12, 0)},
			{time.Monday, At(12, 0), At(17, 0)},
			{time.Saturday, At(22, 0), At(2, 0)},
			{time.Friday, At(20, 0), 0}, // 00:00 after a later start: midnight
		})
		want := []Hours{
			{time.Sunday, 0, At(2, 0)},
			{time.Monday, At(9, 0), At(17, 0)},
			{time.Friday, At(20, 0), EndOfDay},
			{time.Saturday, At(22, 0), EndOfDay},
		}
		if got := c.Hours(); !reflect.DeepEqual(got, want) {
			t.Errorf("Hours = %v, want %v", got, want)
		}
		if got := c.WeeklyHours(); got != 8*time.Hour+4*time.Hour+2*time.Hour+2*time.Hour {
			t.Errorf("WeeklyHours = %v, want 16h", got)
		}
	})
	refusals := []struct {
		name     string
		loc      *time.Location
		hours    []Hours
		holidays []Holiday
		want     string
		index    int // of the HoursError, -1 for another error
		other    int
	}{
		{"no zone", nil, days(time.Monday, time.Friday, At(9, 0), At(17, 0)), nil, "no time zone", -1, 0},
		{"no hours", berlin, nil, nil, errNoHours.Error(), -1, 0},
		{"zero length", berlin, []Hours{{time.Monday, At(9, 0), At(9, 0)}}, nil,
			"mon 09:00-09:00: starts and ends at the same time; write 00:00-24:00 for the whole day", 0, -1},
		{"start at 24:00", berlin, []Hours{{time.Monday, EndOfDay, At(1, 0)}}, nil,
			"mon 24:00-01:00: times run from 00:00 to 24:00, and a span starts before 24:00", 0, -1},
		{"overlap", berlin, []Hours{{time.Monday, At(9, 0), At(12, 0)}, {time.Tuesday, At(9, 0), At(12, 0)}, {time.Monday, At(11, 0), At(13, 0)}}, nil,
			"mon 11:00-13:00 overlaps mon 09:00-12:00", 2, 0},
		{"overnight overlap", berlin, []Hours{{time.Saturday, At(5, 0), At(12, 0)}, {time.Friday, At(22, 0), At(6, 0)}}, nil,
			"the sat 00:00-06:00 part of fri 22:00-06:00 overlaps sat 05:00-12:00", 1, 0},
		{"no such date", berlin, days(time.Monday, time.Friday, At(9, 0), At(17, 0)), []Holiday{holiday(2026, 2, 30, "")},
			"holiday 2026-02-30: no such date", -1, 0},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := NewCalendar(tt.loc, tt.hours, tt.holidays)
			if err == nil || err.Error() != tt.want {
				t.Fatalf("NewCalendar error = %v, want %q", err, tt.want)
			}
			var he *HoursError
			if errors.As(err, &he) != (tt.index >= 0) {
				t.Fatalf("error %T, want an *HoursError: %v", err, tt.index >= 0)
			}
			if he != nil && (he.Index != tt.index || he.Other != tt.other) {
				t.Errorf("HoursError at %d (other %d), want %d (other %d)", he.Index, he.Other, tt.index, tt.other)
			}
		})
	}
}

func TestAtResolvesClockChanges(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cal  *Calendar
		date Date
		min  TimeOfDay
		want time.Time
	}{
		{"Berlin skipped 02:30 is the jump", office, Date{2026, 3, 29}, At(2, 30), tm(berlin, "2026-03-29 03:00 +0200")},
		{"Berlin repeated 02:30 is the first", office, Date{2026, 10, 25}, At(2, 30), tm(berlin, "2026-10-25 02:30 +0200")},
		{"Berlin 03:00 after fall-back is CET", office, Date{2026, 10, 25}, At(3, 0), tm(berlin, "2026-10-25 03:00 +0100")},
		{"New York skipped 02:30 is the jump", nyOffice, Date{2026, 3, 8}, At(2, 30), tm(newYork, "2026-03-08 03:00 -0400")},
		{"New York repeated 01:30 is the first", nyOffice, Date{2026, 11, 1}, At(1, 30), tm(newYork, "2026-11-01 01:30 -0400")},
		{"Santiago skipped midnight is the jump", santiagoSun, Date{2026, 9, 6}, 0, tm(santiago, "2026-09-06 01:00 -0300")},
		{"Santiago 24:00 on fall-back Saturday", santiagoSun, Date{2026, 4, 4}, EndOfDay, tm(santiago, "2026-04-05 00:00 -0400")},
		{"an ordinary day", office, Date{2026, 11, 23}, At(9, 0), tm(berlin, "2026-11-23 09:00")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := tt.cal.at(dayNumber(tt.date.Year, tt.date.Month, tt.date.Day), tt.min)
			if !got.Equal(tt.want) {
				t.Errorf("at(%s, %s) = %s, want %s", tt.date, tt.min, got, tt.want)
			}
		})
	}
}
