package sla

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	// A desktop build on Windows has no system zone database; Parse loads
	// the team's zone by name, so the database is embedded as a fallback.
	_ "time/tzdata"
)

// TimeOfDay is a wall-clock time in a calendar's zone in minutes after
// midnight: 0 is 00:00, 1440 is 24:00 (the end of the day).
type TimeOfDay int

// EndOfDay is 24:00, the end of a day as a span's end.
const EndOfDay TimeOfDay = 24 * 60

// At is the time of day hour:minute.
func At(hour, minute int) TimeOfDay { return TimeOfDay(hour*60 + minute) }

// String is the time as HH:MM.
func (t TimeOfDay) String() string { return fmt.Sprintf("%02d:%02d", t/60, t%60) }

// Hours is one span of opening hours on a weekday, from Start (included) to
// End (excluded). An End of 00:00 after a later Start means midnight (24:00);
// an End before Start runs past midnight into the next day (22:00–06:00 is
// 22:00–24:00 on Day and 00:00–06:00 on the day after).
type Hours struct {
	Day        time.Weekday
	Start, End TimeOfDay
}

// String is the span as "mon 09:00-17:30".
func (h Hours) String() string {
	return fmt.Sprintf("%s %s-%s", dayName(h.Day), h.Start, h.End)
}

// Date is a calendar date in a calendar's zone.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// String is the date as YYYY-MM-DD.
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

// Holiday is a whole day closed, midnight to midnight in the calendar's zone,
// whatever the weekly hours say.
type Holiday struct {
	Date Date
	Name string // optional, for display
}

// Calendar is a team's business hours: weekly spans of opening hours and
// holidays in one time zone. It is immutable and safe for concurrent use.
//
// The zero Calendar (and a nil *Calendar) is open all the time, in UTC.
type Calendar struct {
	loc  *time.Location
	week [7][]span // by time.Weekday: sorted, disjoint, non-touching
	// weekTotal is the business time of a week with no holiday and no zone
	// transition; never zero.
	weekTotal   time.Duration
	allDay      bool           // every day is 00:00–24:00
	holidays    map[int]string // by day number (see dayNumber)
	holidayDays []int          // the keys of holidays, sorted
}

// span is opening hours within one day: [start, end), 0 ≤ start < end ≤ 1440.
type span struct{ start, end TimeOfDay }

// piece is a span on a weekday and the Hours (by index) it came from: an
// overnight Hours gives two pieces.
type piece struct {
	day   time.Weekday
	span  span
	index int
}

// HoursError is why NewCalendar refused an Hours: Index is its place in the
// list given, Other the place of the Hours it overlaps (-1 if none).
type HoursError struct {
	Index, Other int
	Msg          string
}

func (e *HoursError) Error() string { return e.Msg }

// errNoHours is NewCalendar's refusal of a week with no opening hours.
var errNoHours = errors.New("no opening hours in the week: a calendar must be open some time (use Always for round-the-clock support)")

// NewCalendar is the calendar open during hours, in loc, except on holidays.
// It refuses a nil loc, a span of zero length or outside 00:00–24:00,
// overlapping spans (with an *HoursError) and a week with no opening hours.
// Spans that touch (09:00–12:00 and 12:00–17:00) are joined; so are
// duplicate holidays.
func NewCalendar(loc *time.Location, hours []Hours, holidays []Holiday) (*Calendar, error) {
	if loc == nil {
		return nil, errors.New("no time zone")
	}
	pieces, err := splitHours(hours)
	if err != nil {
		return nil, err
	}
	c := &Calendar{loc: loc}
	if err := c.setWeek(hours, pieces); err != nil {
		return nil, err
	}
	if err := c.setHolidays(holidays); err != nil {
		return nil, err
	}
	return c, nil
}

// Always is the calendar open round the clock in loc, except on holidays.
func Always(loc *time.Location, holidays []Holiday) (*Calendar, error) {
	hours := make([]Hours, 7)
	for d := range hours {
		hours[d] = Hours{Day: time.Weekday(d), Start: 0, End: EndOfDay}
	}
	return NewCalendar(loc, hours, holidays)
}

// splitHours checks each Hours and cuts an overnight one at midnight.
func splitHours(hours []Hours) ([]piece, error) {
	pieces := make([]piece, 0, len(hours)+1)
	for i, h := range hours {
		bad := func(why string) error {
			return &HoursError{Index: i, Other: -1, Msg: fmt.Sprintf("%s: %s", h, why)}
		}
		switch {
		case h.Day < time.Sunday || h.Day > time.Saturday:
			return nil, &HoursError{Index: i, Other: -1, Msg: fmt.Sprintf("weekday %d: there are 7, Sunday (0) to Saturday (6)", h.Day)}
		case h.Start < 0 || h.Start >= EndOfDay || h.End < 0 || h.End > EndOfDay:
			return nil, bad("times run from 00:00 to 24:00, and a span starts before 24:00")
		case h.Start == h.End:
			return nil, bad("starts and ends at the same time; write 00:00-24:00 for the whole day")
		}
		end := h.End
		if end == 0 {
			end = EndOfDay
		}
		if h.Start < end {
			pieces = append(pieces, piece{day: h.Day, span: span{h.Start, end}, index: i})
			continue
		}
		pieces = append(pieces,
			piece{day: h.Day, span: span{h.Start, EndOfDay}, index: i},
			piece{day: (h.Day + 1) % 7, span: span{0, end}, index: i})
	}
	return pieces, nil
}

// setWeek sorts the pieces by day and time, refuses overlaps and joins
// touching spans.
func (c *Calendar) setWeek(hours []Hours, pieces []piece) error {
	slices.SortStableFunc(pieces, func(a, b piece) int {
		if a.day != b.day {
			return int(a.day) - int(b.day)
		}
		return int(a.span.start) - int(b.span.start)
	})
	for i := 1; i < len(pieces); i++ {
		a, b := pieces[i-1], pieces[i]
		if a.day != b.day || b.span.start >= a.span.end {
			continue
		}
		if a.index > b.index { // blame the one given later
			a, b = b, a
		}
		return &HoursError{Index: b.index, Other: a.index, Msg: overlapMsg(hours, a, b)}
	}
	c.allDay = true
	for _, p := range pieces {
		days := c.week[p.day]
		if n := len(days); n > 0 && days[n-1].end == p.span.start {
			days[n-1].end = p.span.end
		} else {
			days = append(days, p.span)
		}
		c.week[p.day] = days
		c.weekTotal += time.Duration(p.span.end-p.span.start) * time.Minute
	}
	for _, days := range c.week {
		if len(days) != 1 || days[0] != (span{0, EndOfDay}) {
			c.allDay = false
		}
	}
	if c.weekTotal == 0 {
		return errNoHours
	}
	return nil
}

// overlapMsg says that piece b overlaps piece a, naming the Hours they came
// from and, for the part of an overnight span past midnight, that part.
func overlapMsg(hours []Hours, a, b piece) string {
	describe := func(p piece) string {
		h := hours[p.index]
		if h.Day != p.day {
			return fmt.Sprintf("the %s part of %s", Hours{p.day, p.span.start, p.span.end}, h)
		}
		return h.String()
	}
	return fmt.Sprintf("%s overlaps %s", describe(b), describe(a))
}

func (c *Calendar) setHolidays(holidays []Holiday) error {
	c.holidays = make(map[int]string, len(holidays))
	for _, h := range holidays {
		d := h.Date
		if d.Month < time.January || d.Month > time.December || d.Day < 1 || d.Day > 31 ||
			time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC).Day() != d.Day {
			return fmt.Errorf("holiday %s: no such date", d)
		}
		n := dayNumber(d.Year, d.Month, d.Day)
		if _, dup := c.holidays[n]; !dup || c.holidays[n] == "" {
			c.holidays[n] = h.Name
		}
	}
	c.holidayDays = make([]int, 0, len(c.holidays))
	for n := range c.holidays {
		c.holidayDays = append(c.holidayDays, n)
	}
	slices.Sort(c.holidayDays)
	return nil
}

// Location is the calendar's time zone.
func (c *Calendar) Location() *time.Location {
	if c.zero() {
		return time.UTC
	}
	return c.loc
}

// Hours is the weekly opening hours, Sunday first, overnight spans cut at
// midnight and touching spans joined.
func (c *Calendar) Hours() []Hours {
	if c.zero() {
		return nil
	}
	var hours []Hours
	for d, days := range c.week {
		for _, s := range days {
			hours = append(hours, Hours{Day: time.Weekday(d), Start: s.start, End: s.end})
		}
	}
	return hours
}

// Holidays is the calendar's holidays in date order.
func (c *Calendar) Holidays() []Holiday {
	if c.zero() {
		return nil
	}
	holidays := make([]Holiday, len(c.holidayDays))
	for i, n := range c.holidayDays {
		y, m, d := civil(n)
		holidays[i] = Holiday{Date: Date{y, m, d}, Name: c.holidays[n]}
	}
	return holidays
}

// Holiday says whether t falls on a holiday, and its name.
func (c *Calendar) Holiday(t time.Time) (name string, ok bool) {
	if c.zero() {
		return "", false
	}
	name, ok = c.holidays[c.day(t)]
	return name, ok
}

// WeeklyHours is the business time in a week with no holiday and no clock
// change.
func (c *Calendar) WeeklyHours() time.Duration {
	if c.zero() {
		return 7 * 24 * time.Hour
	}
	return c.weekTotal
}

// zero says whether c is the zero (or nil) Calendar: open always, in UTC.
func (c *Calendar) zero() bool { return c == nil || c.loc == nil }

// always says whether every instant is business time: BusinessTime is then
// plain elapsed time.
func (c *Calendar) always() bool {
	return c.zero() || c.allDay && len(c.holidayDays) == 0
}

var dayNames = [7]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

func dayName(d time.Weekday) string {
	if d < 0 || int(d) >= len(dayNames) {
		return fmt.Sprintf("weekday(%d)", int(d))
	}
	return dayNames[d]
}

// String is the calendar in short: zone, hours and the number of holidays.
func (c *Calendar) String() string {
	if c.zero() {
		return "UTC 24/7"
	}
	var b strings.Builder
	b.WriteString(c.loc.String())
	if c.allDay {
		b.WriteString(" 24/7")
	} else {
		for _, h := range c.Hours() {
			b.WriteString(", " + h.String())
		}
	}
	switch n := len(c.holidayDays); n {
	case 0:
	case 1:
		b.WriteString(", 1 holiday")
	default:
		fmt.Fprintf(&b, ", %d holidays", n)
	}
	return b.String()
}
