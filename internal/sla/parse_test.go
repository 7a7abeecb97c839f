package sla

import (
	"bufio"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestParseExample reads the example file a support manager copies and
// checks every setting it makes.
func TestParseExample(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("testdata/sla.yml")
	if err != nil {
		t.Fatal(err)
	}
	p, err := Parse("sla.yml", data)
	if err != nil {
		t.Fatalf("Parse(example): %v", err)
	}
	if got := p.Calendar.Location().String(); got != "Europe/Berlin" {
		t.Errorf("zone %s, want Europe/Berlin", got)
	}
	wantHours := append(days(time.Monday, time.Friday, At(9, 0), At(17, 30)), Hours{time.Saturday, At(10, 0), At(14, 0)})
	if got := p.Calendar.Hours(); !reflect.DeepEqual(got, wantHours) {
		t.Errorf("hours %v, want %v", got, wantHours)
	}
	wantHolidays := []Holiday{
		holiday(2026, 12, 24, "Christmas Eve"), holiday(2026, 12, 25, "Christmas Day"),
		holiday(2026, 12, 26, "Boxing Day"), holiday(2027, 1, 1, "New Year's Day"),
	}
	if got := p.Calendar.Holidays(); !reflect.DeepEqual(got, wantHolidays) {
		t.Errorf("holidays %v, want %v", got, wantHolidays)
	}
	want := Policy{
		Calendar:      p.Calendar,
		FirstResponse: 4 * time.Hour,
		Resolution:    40 * time.Hour,
		Labels: []LabelTargets{
			{Label: "urgent", FirstResponse: time.Hour, Resolution: 8 * time.Hour},
			{Label: "feature-request", Resolution: NoTarget},
		},
		Warn: Warning{Percent: 25},
	}
	if !reflect.DeepEqual(p, want) {
		t.Errorf("policy %+v, want %+v", p, want)
	}
	// Sat 26 Dec is Boxing Day: a ticket from Thu 24 Dec 10:00 gets its
	// first hour on Mon 28 Dec.
	if got := p.Calendar.AddBusiness(tm(berlin, "2026-12-24 10:00"), time.Hour); !got.Equal(tm(berlin, "2026-12-28 10:00")) {
		t.Errorf("AddBusiness over Christmas = %s, want Mon 28 Dec 10:00", got)
	}
}

// TestDocExample keeps the example in the package comment and
// testdata/sla.yml the same file.
func TestDocExample(t *testing.T) {
	t.Parallel()
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	var inDoc []string
	in := false
	sc := bufio.NewScanner(strings.NewReader(string(doc)))
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "//\t# Service level targets"):
			in = true
		case in && line == "//":
			inDoc = append(inDoc, "")
			continue
		case in && !strings.HasPrefix(line, "//\t"):
			in = false
		}
		if in {
			inDoc = append(inDoc, strings.TrimPrefix(line, "//\t"))
		}
	}
	for len(inDoc) > 0 && inDoc[len(inDoc)-1] == "" {
		inDoc = inDoc[:len(inDoc)-1]
	}
	file, err := os.ReadFile("testdata/sla.yml")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(inDoc, "\n")+"\n", string(file); got != want {
		t.Errorf("the example in doc.go differs from testdata/sla.yml:\n%s", got)
	}
}

// minimal is the smallest file Parse takes: zone, hours, one target.
const minimal = "timezone: Europe/Berlin\nhours: {mon-fri: 09:00-17:00}\nfirst_response: 4h\n"

func TestParseForms(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		file  string
		check func(t *testing.T, p Policy)
	}{
		{"minimal: warning 25%, no resolution target", minimal, func(t *testing.T, p Policy) {
			if p.Warn != (Warning{Percent: DefaultWarnPercent}) || p.Resolution != 0 || p.FirstResponse != 4*time.Hour {
				t.Errorf("policy %+v", p)
			}
		}},
		{"24/7", "timezone: America/New_York\nhours: 24/7\nfirst_response: 1h\n", func(t *testing.T, p Policy) {
			if p.Calendar.WeeklyHours() != 168*time.Hour || !p.Calendar.always() {
				t.Errorf("calendar %s", p.Calendar)
			}
		}},
		{"24/7 with a holiday", "timezone: UTC\nhours: always\nholidays: [2026-12-25]\nfirst_response: 1h\n", func(t *testing.T, p Policy) {
			if p.Calendar.Open(time.Date(2026, 12, 25, 12, 0, 0, 0, time.UTC)) {
				t.Error("open on the holiday")
			}
		}},
		{"spans in a list, a comma list, names and an en dash",
			"timezone: UTC\nhours:\n  Monday: [09:00-12:00, 13:00-17:00]\n  tue, thu: 9:00-12:00, 13:00-17:00\n  weekend: 10:00–14:00\n  wed: closed\nfirst_response: 1h\n",
			func(t *testing.T, p Policy) {
				// mon, tue, thu 7h; sat, sun 4h.
				if got := p.Calendar.WeeklyHours(); got != 29*time.Hour {
					t.Errorf("weekly hours %v, want 29h", got)
				}
			}},
		{"overnight and to midnight", "timezone: Europe/Berlin\nhours:\n  mon-fri: 22:00-06:00\n  sun: 20:00-00:00\nfirst_response: 1h\n",
			func(t *testing.T, p Policy) {
				want := []Hours{{time.Sunday, At(20, 0), EndOfDay}, {time.Monday, At(22, 0), EndOfDay}}
				for d := time.Tuesday; d <= time.Saturday; d++ {
					want = append(want, Hours{d, 0, At(6, 0)})
					if d < time.Saturday {
						want = append(want, Hours{d, At(22, 0), EndOfDay})
					}
				}
				if got := p.Calendar.Hours(); !reflect.DeepEqual(got, want) {
					t.Errorf("hours %v, want %v", got, want)
				}
			}},
		{"a range across the weekend", "timezone: Asia/Dubai\nhours:\n  fri-mon: 10:00-14:00\nfirst_response: 1h\n", func(t *testing.T, p Policy) {
			if got := p.Calendar.WeeklyHours(); got != 16*time.Hour {
				t.Errorf("weekly hours %v, want 16h", got)
			}
		}},
		{"holidays as a mapping and as one-key items",
			"timezone: UTC\nhours: 24/7\nfirst_response: 1h\nholidays:\n  2026-12-25: Christmas Day\n  2026-12-26:\n",
			func(t *testing.T, p Policy) {
				want := []Holiday{holiday(2026, 12, 25, "Christmas Day"), holiday(2026, 12, 26, "")}
				if got := p.Calendar.Holidays(); !reflect.DeepEqual(got, want) {
					t.Errorf("holidays %v, want %v", got, want)
				}
			}},
		{"holiday items with a colon", "timezone: UTC\nhours: 24/7\nfirst_response: 1h\nholidays:\n  - 2026-12-25: Christmas Day\n  - 2027-01-01 - New Year\n",
			func(t *testing.T, p Policy) {
				want := []Holiday{holiday(2026, 12, 25, "Christmas Day"), holiday(2027, 1, 1, "New Year")}
				if got := p.Calendar.Holidays(); !reflect.DeepEqual(got, want) {
					t.Errorf("holidays %v, want %v", got, want)
				}
			}},
		{"durations, an absolute warning, pausing, labels only",
			"version: 1\ntimezone: UTC\nhours: 24/7\nwarn_before: 1h 15m\npause_while_waiting_on_customer: true\nlabels:\n  urgent:\n    first_response: 1h30m\n    resolution: 90m\n  priority::low: {resolution: none}\n",
			func(t *testing.T, p Policy) {
				want := Policy{
					Calendar: p.Calendar,
					Labels: []LabelTargets{
						{Label: "urgent", FirstResponse: 90 * time.Minute, Resolution: 90 * time.Minute},
						{Label: "priority::low", Resolution: NoTarget},
					},
					Warn:                        Warning{Before: 75 * time.Minute},
					PauseWhileWaitingOnCustomer: true,
				}
				if !reflect.DeepEqual(p, want) {
					t.Errorf("policy %+v, want %+v", p, want)
				}
			}},
		{"no warning", "timezone: UTC\nhours: 24/7\nfirst_response: 1h\nwarn_before: none\n", func(t *testing.T, p Policy) {
			if p.Warn != (Warning{}) {
				t.Errorf("warning %+v", p.Warn)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, err := Parse("sla.yml", []byte(tt.file))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			tt.check(t, p)
		})
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		file string
		want []string // the errors, one a line, in line order
	}{
		{"a misspelt weekday",
			"# Our team\ntimezone: Europe/Berlin\nfirst_response: 4h\nresolution: 40h\n\nhours:\n  Mnday: 10:00-12:00\n",
			[]string{`sla.yml:7: unknown weekday "Mnday"; write mon, tue, wed, thu, fri, sat or sun, or a range such as mon-fri`}},
		{"a misspelt range end", "timezone: UTC\nhours:\n  mon-fir: 09:00-17:00\nfirst_response: 4h\n",
			[]string{`sla.yml:3: unknown weekday "fir"; write mon, tue, wed, thu, fri, sat or sun, or a range such as mon-fri`}},
		{"unknown keys", "timzone: Europe/Berlin\nhours: 24/7\nfirst_response: 4h\ncolour: blue\n", []string{
			`sla.yml: timezone is missing: name the team's time zone, e.g. timezone: Europe/Berlin`,
			`sla.yml:1: unknown key "timzone"; did you mean "timezone"?`,
			`sla.yml:4: unknown key "colour"; the file takes version, timezone, hours, holidays, first_response, resolution, warn_before, pause_while_waiting_on_customer, labels`,
		}},
		{"a key given twice", "timezone: UTC\nhours: 24/7\nfirst_response: 4h\nfirst_response: 2h\n",
			[]string{`sla.yml:4: first_response is given twice (first on line 3)`}},
		{"unknown zone", "timezone: Europe/Berln\nhours: 24/7\nfirst_response: 4h\n",
			[]string{`sla.yml:1: unknown time zone "Europe/Berln"; use an IANA name such as Europe/Berlin, America/New_York or UTC`}},
		{"the agent's zone", "timezone: Local\nhours: 24/7\nfirst_response: 4h\n",
			[]string{`sla.yml:1: timezone: Local is each agent's own zone; name the team's zone, e.g. Europe/Berlin`}},
		{"bad times", "timezone: UTC\nhours:\n  mon: 9:75-17:00\n  tue: 09:00\n  wed: 25:00-26:00\n  thu: 24:00-01:00\n  fri: 10:00-10:00\n  sat: 10-14\nfirst_response: 4h\n", []string{
			`sla.yml:3: bad time "9:75" in "9:75-17:00": minutes run from 00 to 59`,
			`sla.yml:4: bad span "09:00"; write start-end, e.g. 09:00-17:30`,
			`sla.yml:5: bad time "25:00" in "25:00-26:00": hours run from 00 to 24, and 24:00 is the end of the day`,
			`sla.yml:6: "24:00-01:00" starts at 24:00, the end of the day; start at 00:00`,
			`sla.yml:7: "10:00-10:00" starts and ends at the same time; write 00:00-24:00 for the whole day`,
			`sla.yml:8: bad time "10" in "10-14": write HH:MM, 00:00 to 24:00`,
		}},
		{"overlapping spans on a line", "timezone: UTC\nhours:\n  mon: 09:00-12:00, 11:00-13:00\nfirst_response: 4h\n",
			[]string{`sla.yml:3: mon 11:00-13:00 overlaps mon 09:00-12:00`}},
		{"an overnight span overlapping the next day", "timezone: UTC\nhours:\n  fri: 22:00-06:00\n  sat: 05:00-12:00\nfirst_response: 4h\n",
			[]string{`sla.yml:4: sat 05:00-12:00 overlaps the sat 00:00-06:00 part of fri 22:00-06:00 on line 3`}},
		{"a day in a range and alone", "timezone: UTC\nhours:\n  mon-fri: 09:00-17:00\n  wed: 18:00-19:00\nfirst_response: 4h\n",
			[]string{`sla.yml:4: wed is given twice (first on line 3); list all of a day's spans on one line, e.g. mon: 09:00-12:00, 13:00-17:30`}},
		{"closed with hours", "timezone: UTC\nhours:\n  mon: [closed, 09:00-12:00]\nfirst_response: 4h\n",
			[]string{`sla.yml:3: mon: closed cannot go with opening hours`}},
		{"no opening hours", "timezone: UTC\nhours: {}\nfirst_response: 4h\n",
			[]string{`sla.yml:2: hours: no opening hours; write one line per weekday or range, as in "mon-fri: 09:00-17:30", or hours: 24/7`}},
		{"every day closed", "timezone: UTC\nhours:\n  daily: closed\nfirst_response: 4h\n",
			[]string{`sla.yml:2: hours: every day is closed; give some opening hours, or hours: 24/7`}},
		{"hours in words", "timezone: UTC\nhours: office hours\nfirst_response: 4h\n",
			[]string{`sla.yml:2: hours: write one line per weekday or range of weekdays, as in "mon-fri: 09:00-17:30", or hours: 24/7`}},
		{"hours missing", "timezone: UTC\nfirst_response: 4h\n",
			[]string{`sla.yml: hours is missing: give the opening hours, e.g. hours: {mon-fri: 09:00-17:30}, or hours: 24/7`}},
		{"zero and day targets", "timezone: UTC\nhours: 24/7\nfirst_response: 0h\nresolution: 2d\n", []string{
			`sla.yml:3: first_response: a target must be more than zero; leave the key out for no target`,
			`sla.yml:4: resolution: "2d": write business time in hours and minutes, not days or weeks (a business day's length depends on the hours), e.g. 16h for two 8-hour days`,
		}},
		{"bad durations", "timezone: UTC\nhours: 24/7\nfirst_response: 1.5h\nresolution: 4 hours\nwarn_before: 120%\n", []string{
			`sla.yml:3: first_response: "1.5h": write whole hours and minutes, e.g. 1h30m`,
			`sla.yml:4: resolution: bad duration "4 hours": write hours and minutes, e.g. 4h, 90m or 1h30m`,
			`sla.yml:5: warn_before: "120%": write a whole percentage from 1% to 99%, e.g. 25%`,
		}},
		{"too many minutes, too many hours", "timezone: UTC\nhours: 24/7\nfirst_response: 1h90m\nresolution: 9000h\nwarn_before: 0m\n", []string{
			`sla.yml:3: first_response: "1h90m": minutes after hours run to 59; write 2h30m`,
			`sla.yml:4: resolution: "9000h" is more than a year (8760h); is it a typo?`,
			`sla.yml:5: warn_before: must be more than zero; write none for no warning (or a percentage of the target, e.g. 25%)`,
		}},
		{"no targets", "timezone: UTC\nhours: 24/7\nlabels:\n  wontfix: {resolution: none}\n",
			[]string{`sla.yml: no targets: set first_response, resolution or both (e.g. first_response: 4h)`}},
		{"empty and none targets", "timezone: UTC\nhours: 24/7\nfirst_response:\nresolution: none\n", []string{
			`sla.yml:3: first_response has no value; give one or leave the key out`,
			`sla.yml:4: resolution: none is for labels; leave the key out for no target`,
		}},
		{"bad holidays", "timezone: UTC\nhours: 24/7\nfirst_response: 4h\nholidays:\n  - 2026-12-25 Christmas\n  - 2026-13-01 Nope\n  - 2026-12-25 again\n  - christmas\n  - [2026-12-31]\n", []string{
			`sla.yml:6: bad date "2026-13-01": write YYYY-MM-DD, e.g. 2025-12-25`,
			`sla.yml:7: holiday 2026-12-25 is listed twice (first on line 5)`,
			`sla.yml:8: bad date "christmas": write YYYY-MM-DD, e.g. 2025-12-25`,
			`sla.yml:9: holidays: write each as a date and an optional name, e.g. - 2025-12-25 Christmas Day`,
		}},
		{"bad labels", "timezone: UTC\nhours: 24/7\nfirst_response: 4h\nlabels:\n  urgent:\n    first_respons: 1h\n  Urgent: {resolution: 2h}\n  vip: {}\n  x:\n    resolution: 0m\n", []string{
			`sla.yml:6: unknown key "first_respons"; did you mean "first_response"?`,
			`sla.yml:7: label "Urgent" is given twice (first on line 5); labels are compared without regard to case`,
			`sla.yml:8: label "vip" sets no target; give first_response, resolution or both`,
			`sla.yml:10: resolution: a target must be more than zero; write none to switch it off for this label`,
		}},
		{"a newer version and a bad flag", "version: 2\ntimezone: UTC\nhours: 24/7\nfirst_response: 4h\npause_while_waiting_on_customer: maybe\n", []string{
			`sla.yml:1: version 2: this app reads version 1; update Service Desk Desktop, or write version: 1`,
			`sla.yml:5: pause_while_waiting_on_customer: write true or false, not "maybe"`,
		}},
		{"a list for a value", "timezone: [UTC]\nhours: 24/7\nfirst_response: 4h\n",
			[]string{`sla.yml:1: timezone: expected a single value`}},
		{"a tab", "timezone: UTC\nhours: 24/7\n\tfirst_response: 4h\n",
			[]string{`sla.yml:2: not valid YAML: found a tab character that violates indentation`}},
		{"empty", "", []string{`sla.yml: the file is empty; see the example in the documentation`}},
		{"only comments", "# nothing yet\n", []string{`sla.yml: the file is empty; see the example in the documentation`}},
		{"a list", "- timezone: UTC\n", []string{`sla.yml:1: expected settings such as "timezone: Europe/Berlin", one per line`}},
		{"two documents", minimal + "---\nfirst_response: 1h\n", []string{`sla.yml:4: a second YAML document (after ---); the file holds one`}},
		{"an alias", "timezone: UTC\nhours: 24/7\nfirst_response: &t 4h\nresolution: *t\n",
			[]string{`sla.yml:4: aliases (*t) are not supported; write the value out`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, err := Parse("sla.yml", []byte(tt.file))
			if err == nil {
				t.Fatalf("Parse took it: %+v", p)
			}
			if !reflect.DeepEqual(p, Policy{}) {
				t.Errorf("Parse returned part of the file with its error: %+v", p)
			}
			if got, want := err.Error(), strings.Join(tt.want, "\n"); got != want {
				t.Errorf("error\n%s\nwant\n%s", got, want)
			}
			for _, e := range parseErrors(err) {
				if e.File != "sla.yml" {
					t.Errorf("ParseError.File = %q", e.File)
				}
			}
		})
	}
}

// parseErrors is the *ParseErrors in err, joined or alone.
func parseErrors(err error) []*ParseError {
	var errs []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	} else {
		errs = []error{err}
	}
	var out []*ParseError
	for _, e := range errs {
		var pe *ParseError
		if errors.As(e, &pe) {
			out = append(out, pe)
		}
	}
	return out
}

// TestParseErrorLimit: a file full of mistakes gets the first ten, as
// *ParseErrors with their lines.
func TestParseErrorLimit(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString("timezone: UTC\nhours: 24/7\nfirst_response: 4h\nholidays:\n")
	for range 20 {
		b.WriteString("  - not-a-date\n")
	}
	_, err := Parse("team/sla.yml", []byte(b.String()))
	errs := parseErrors(err)
	if len(errs) != maxErrors {
		t.Fatalf("%d errors, want %d: %v", len(errs), maxErrors, err)
	}
	for i, e := range errs {
		if e.File != "team/sla.yml" || e.Line != 5+i {
			t.Errorf("error %d at %s:%d, want team/sla.yml:%d", i, e.File, e.Line, 5+i)
		}
	}
}
