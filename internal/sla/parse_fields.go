package sla

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// maxTarget is the longest target Parse takes: a year of round-the-clock
// time. Longer is a typo.
const maxTarget = 8760 * time.Hour

// hours reads the hours: mapping into Hours, each with the line it was
// written on; always is true for "hours: 24/7".
func (p *parser) hours(f map[string]entry) (hours []Hours, lines []int, always bool) {
	e, ok := f["hours"]
	if !ok {
		p.errorf(0, "hours is missing: give the opening hours, e.g. hours: {mon-fri: 09:00-17:30}, or hours: 24/7")
		return nil, nil, false
	}
	if e.val.Kind == yaml.ScalarNode && !isNull(e.val) {
		switch strings.ToLower(strings.TrimSpace(e.val.Value)) {
		case "24/7", "always":
			return nil, nil, true
		}
		p.errorf(e.val.Line, "hours: write one line per weekday or range of weekdays, as in \"mon-fri: 09:00-17:30\", or hours: 24/7")
		return nil, nil, false
	}
	if e.val.Kind != yaml.MappingNode || len(e.val.Content) == 0 {
		p.errorf(e.key.Line, "hours: no opening hours; write one line per weekday or range, as in \"mon-fri: 09:00-17:30\", or hours: 24/7")
		return nil, nil, false
	}
	seen := map[time.Weekday]int{} // the line naming each day
	for i := 0; i+1 < len(e.val.Content); i += 2 {
		k, v := e.val.Content[i], e.val.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			p.errorf(k.Line, "hours: a key must be a weekday or a range such as mon-fri")
			continue
		}
		days, msg := parseDays(k.Value)
		if msg != "" {
			p.errorf(k.Line, "%s", msg)
			continue
		}
		for _, d := range days {
			if line, dup := seen[d]; dup {
				p.errorf(k.Line, "%s is given twice (first on line %d); list all of a day's spans on one line, e.g. mon: 09:00-12:00, 13:00-17:30", dayName(d), line)
			}
			seen[d] = k.Line
		}
		for _, s := range p.spans(k.Value, v) {
			for _, d := range days {
				hours = append(hours, Hours{Day: d, Start: s.start, End: s.end})
				lines = append(lines, s.line)
			}
		}
	}
	return hours, lines, false
}

// lineSpan is a span as written, with its line.
type lineSpan struct {
	start, end TimeOfDay
	line       int
}

// spans reads the spans of one hours: line: a span, spans separated by
// commas, a list of them, or "closed".
func (p *parser) spans(days string, v *yaml.Node) []lineSpan {
	var items []*yaml.Node
	switch v.Kind {
	case yaml.ScalarNode:
		items = []*yaml.Node{v}
	case yaml.SequenceNode:
		items = v.Content
	}
	if len(items) == 0 || isNull(v) {
		p.errorf(v.Line, "%s: no hours given; write a span such as 09:00-17:30, or closed", days)
		return nil
	}
	var out []lineSpan
	for _, it := range items {
		if it.Kind != yaml.ScalarNode {
			p.errorf(it.Line, "%s: expected a span such as 09:00-17:30", days)
			continue
		}
		for _, text := range strings.Split(it.Value, ",") {
			text = strings.TrimSpace(text)
			if strings.EqualFold(text, "closed") {
				if len(items) > 1 || strings.Contains(it.Value, ",") {
					p.errorf(it.Line, "%s: closed cannot go with opening hours", days)
				}
				continue
			}
			start, end, msg := parseSpan(text)
			if msg != "" {
				p.errorf(it.Line, "%s", msg)
				continue
			}
			out = append(out, lineSpan{start, end, it.Line})
		}
	}
	return out
}

// dayNumbers are the weekday names parseDays takes, in lower case.
var dayNumbers = map[string]time.Weekday{
	"sun": time.Sunday, "sunday": time.Sunday,
	"mon": time.Monday, "monday": time.Monday,
	"tue": time.Tuesday, "tues": time.Tuesday, "tuesday": time.Tuesday,
	"wed": time.Wednesday, "wednesday": time.Wednesday,
	"thu": time.Thursday, "thur": time.Thursday, "thurs": time.Thursday, "thursday": time.Thursday,
	"fri": time.Friday, "friday": time.Friday,
	"sat": time.Saturday, "saturday": time.Saturday,
}

// parseDays reads a weekday key: a day (mon, Monday), a range (mon-fri,
// which may wrap: fri-mon), a list of those (sat, sun), weekdays, weekend
// or daily. msg says what is wrong, if anything.
func parseDays(key string) (days []time.Weekday, msg string) {
	s := strings.ToLower(strings.TrimSpace(key))
	switch s {
	case "weekdays":
		s = "mon-fri"
	case "weekend", "weekends":
		s = "sat, sun"
	case "daily", "every day", "everyday":
		s = "mon-sun"
	}
	s = strings.NewReplacer("–", "-", "—", "-").Replace(s)
	var set [7]bool
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		from, to, isRange := strings.Cut(part, "-")
		a, ok := dayNumbers[strings.TrimSpace(from)]
		if !ok {
			return nil, fmt.Sprintf("unknown weekday %q; write mon, tue, wed, thu, fri, sat or sun, or a range such as mon-fri", originalPart(key, from))
		}
		b := a
		if isRange {
			if b, ok = dayNumbers[strings.TrimSpace(to)]; !ok {
				return nil, fmt.Sprintf("unknown weekday %q; write mon, tue, wed, thu, fri, sat or sun, or a range such as mon-fri", originalPart(key, to))
			}
		}
		for d := a; ; d = (d + 1) % 7 {
			set[d] = true
			if d == b {
				break
			}
		}
	}
	for d, on := range set {
		if on {
			days = append(days, time.Weekday(d))
		}
	}
	return days, ""
}

// originalPart is part (lower-cased) as the file wrote it, for messages.
func originalPart(key, part string) string {
	part = strings.TrimSpace(part)
	if i := strings.Index(strings.ToLower(key), part); i >= 0 && part != "" {
		return key[i : i+len(part)]
	}
	return part
}

var clockTime = regexp.MustCompile(`^(\d{1,2}):(\d{2})$`)

// parseSpan reads "09:00-17:30". msg says what is wrong, if anything.
func parseSpan(text string) (start, end TimeOfDay, msg string) {
	norm := strings.NewReplacer("–", "-", "—", "-").Replace(text)
	a, b, ok := strings.Cut(norm, "-")
	if !ok {
		return 0, 0, fmt.Sprintf("bad span %q; write start-end, e.g. 09:00-17:30", text)
	}
	a, b = strings.TrimSpace(a), strings.TrimSpace(b)
	var bad string
	if start, bad = parseClock(a); bad != "" {
		return 0, 0, fmt.Sprintf("bad time %q in %q: %s", a, text, bad)
	}
	if end, bad = parseClock(b); bad != "" {
		return 0, 0, fmt.Sprintf("bad time %q in %q: %s", b, text, bad)
	}
	switch {
	case start == EndOfDay:
		return 0, 0, fmt.Sprintf("%q starts at 24:00, the end of the day; start at 00:00", text)
	case start == end:
		return 0, 0, fmt.Sprintf("%q starts and ends at the same time; write 00:00-24:00 for the whole day", text)
	}
	return start, end, ""
}

// parseClock reads HH:MM (or H:MM), 00:00 to 24:00.
func parseClock(s string) (TimeOfDay, string) {
	m := clockTime.FindStringSubmatch(s)
	if m == nil {
		return 0, "write HH:MM, 00:00 to 24:00"
	}
	h, _ := strconv.Atoi(m[1])
	min, _ := strconv.Atoi(m[2])
	switch {
	case min > 59:
		return 0, "minutes run from 00 to 59"
	case h > 24 || h == 24 && min > 0:
		return 0, "hours run from 00 to 24, and 24:00 is the end of the day"
	}
	return At(h, min), ""
}

// holidays reads the holidays: list ("2025-12-25 Christmas Day" or
// "2025-12-25: Christmas Day" items) or mapping (date: name).
func (p *parser) holidays(f map[string]entry) []Holiday {
	e, ok := f["holidays"]
	if !ok || isNull(e.val) {
		return nil
	}
	type item struct {
		date, name string
		line       int
	}
	var items []item
	switch e.val.Kind {
	case yaml.SequenceNode:
		for _, it := range e.val.Content {
			switch {
			case it.Kind == yaml.ScalarNode:
				date, name, _ := strings.Cut(strings.TrimSpace(it.Value), " ")
				items = append(items, item{date, name, it.Line})
			case it.Kind == yaml.MappingNode && len(it.Content) == 2 && it.Content[0].Kind == yaml.ScalarNode && it.Content[1].Kind == yaml.ScalarNode:
				items = append(items, item{it.Content[0].Value, it.Content[1].Value, it.Line})
			default:
				p.errorf(it.Line, "holidays: write each as a date and an optional name, e.g. - 2025-12-25 Christmas Day")
			}
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(e.val.Content); i += 2 {
			k, v := e.val.Content[i], e.val.Content[i+1]
			if k.Kind != yaml.ScalarNode || v.Kind != yaml.ScalarNode {
				p.errorf(k.Line, "holidays: write each as a date and an optional name, e.g. 2025-12-25: Christmas Day")
				continue
			}
			items = append(items, item{k.Value, v.Value, k.Line})
		}
	default:
		p.errorf(e.val.Line, "holidays: write a list of dates, e.g. - 2025-12-25 Christmas Day")
	}
	var out []Holiday
	seen := map[Date]int{}
	for _, it := range items {
		t, err := time.Parse("2006-01-02", strings.TrimSpace(it.date))
		if err != nil {
			p.errorf(it.line, "bad date %q: write YYYY-MM-DD, e.g. 2025-12-25", strings.TrimSpace(it.date))
			continue
		}
		d := Date{t.Year(), t.Month(), t.Day()}
		if line, dup := seen[d]; dup {
			p.errorf(it.line, "holiday %s is listed twice (first on line %d)", d, line)
			continue
		}
		seen[d] = it.line
		name := strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(it.name), "-–—:"))
		out = append(out, Holiday{Date: d, Name: name})
	}
	return out
}

// target reads a target key of f: 0 when absent (or wrong, after
// reporting), NoTarget for "none" where allowNone.
func (p *parser) target(f map[string]entry, key string, allowNone bool) time.Duration {
	e, ok := f[key]
	if !ok {
		return 0
	}
	v, ok := p.scalar(e)
	if !ok {
		return 0
	}
	if strings.EqualFold(v, "none") {
		if allowNone {
			return NoTarget
		}
		p.errorf(e.val.Line, "%s: none is for labels; leave the key out for no target", key)
		return 0
	}
	d, msg := parseTarget(v)
	if msg == "" && d == 0 {
		msg = "a target must be more than zero; leave the key out for no target"
		if allowNone {
			msg = "a target must be more than zero; write none to switch it off for this label"
		}
	}
	if msg != "" {
		p.errorf(e.val.Line, "%s: %s", key, msg)
		return 0
	}
	return d
}

var (
	durationText = regexp.MustCompile(`^(?:(\d{1,5})h)?\s*(?:(\d{1,6})m)?$`)
	daysText     = regexp.MustCompile(`(?i)\d\s*(d|w|bd|business days?|days?|weeks?)$`)
)

// parseTarget reads business hours and minutes: 4h, 90m, 1h30m, 1h 30m.
// There are no days: a business day's length depends on the hours. msg
// says what is wrong, if anything.
func parseTarget(s string) (d time.Duration, msg string) {
	m := durationText.FindStringSubmatch(strings.ToLower(s))
	switch {
	case m == nil && daysText.MatchString(s):
		return 0, fmt.Sprintf("%q: write business time in hours and minutes, not days or weeks (a business day's length depends on the hours), e.g. 16h for two 8-hour days", s)
	case m == nil && strings.Contains(s, "."):
		return 0, fmt.Sprintf("%q: write whole hours and minutes, e.g. 1h30m", s)
	case m == nil || m[1] == "" && m[2] == "":
		return 0, fmt.Sprintf("bad duration %q: write hours and minutes, e.g. 4h, 90m or 1h30m", s)
	}
	h, _ := strconv.Atoi(m[1])
	mins, _ := strconv.Atoi(m[2])
	if m[1] != "" && mins > 59 {
		return 0, fmt.Sprintf("%q: minutes after hours run to 59; write %dh%02dm", s, h+mins/60, mins%60)
	}
	d = time.Duration(h)*time.Hour + time.Duration(mins)*time.Minute
	if d > maxTarget {
		return 0, fmt.Sprintf("%q is more than a year (8760h); is it a typo?", s)
	}
	return d, ""
}

// warning reads warn_before: a percentage of the target (25%), a business
// duration (1h), or none. Absent, it is DefaultWarnPercent.
func (p *parser) warning(f map[string]entry) Warning {
	e, ok := f["warn_before"]
	if !ok {
		return Warning{Percent: DefaultWarnPercent}
	}
	v, ok := p.scalar(e)
	if !ok {
		return Warning{}
	}
	if strings.EqualFold(v, "none") {
		return Warning{}
	}
	if num, isPct := strings.CutSuffix(v, "%"); isPct {
		pct, err := strconv.Atoi(strings.TrimSpace(num))
		if err != nil || pct < 1 || pct > 99 {
			p.errorf(e.val.Line, "warn_before: %q: write a whole percentage from 1%% to 99%%, e.g. 25%%", v)
			return Warning{}
		}
		return Warning{Percent: pct}
	}
	d, msg := parseTarget(v)
	if msg == "" && d == 0 {
		msg = "must be more than zero; write none for no warning"
	}
	if msg != "" {
		p.errorf(e.val.Line, "warn_before: %s (or a percentage of the target, e.g. 25%%)", msg)
		return Warning{}
	}
	return Warning{Before: d}
}

// labels reads the labels: mapping of label to targets.
func (p *parser) labels(f map[string]entry) []LabelTargets {
	e, ok := f["labels"]
	if !ok || isNull(e.val) {
		return nil
	}
	if e.val.Kind != yaml.MappingNode {
		p.errorf(e.val.Line, "labels: write one label per line with its targets, e.g. urgent: {first_response: 1h}")
		return nil
	}
	var out []LabelTargets
	seen := map[string]int{}
	for i := 0; i+1 < len(e.val.Content); i += 2 {
		k, v := e.val.Content[i], e.val.Content[i+1]
		label := strings.TrimSpace(k.Value)
		if k.Kind != yaml.ScalarNode || label == "" {
			p.errorf(k.Line, "labels: a key must be a label name")
			continue
		}
		if line, dup := seen[strings.ToLower(label)]; dup {
			p.errorf(k.Line, "label %q is given twice (first on line %d); labels are compared without regard to case", label, line)
			continue
		}
		seen[strings.ToLower(label)] = k.Line
		if v.Kind != yaml.MappingNode || len(v.Content) == 0 {
			p.errorf(k.Line, "label %q sets no target; give first_response, resolution or both", label)
			continue
		}
		lf := p.fields(v, labelKeys, "a label")
		out = append(out, LabelTargets{
			Label:         label,
			FirstResponse: p.target(lf, "first_response", true),
			Resolution:    p.target(lf, "resolution", true),
		})
	}
	return out
}
