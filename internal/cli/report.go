package cli

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"servicedesk/internal/report"
)

// reportCmd prints the team's figures for a date range.
func (c *command) reportCmd(args []string) error {
	fs := newFlags("report")
	fromS := fs.String("from", "", "first day (2026-11-01), in the local time zone")
	toS := fs.String("to", "", "last day, included (2026-11-30)")
	project := fs.String("project", "", "one project's figures (all projects by default)")
	asJSON := fs.Bool("json", false, "print the report as JSON (durations in nanoseconds)")
	asCSV := fs.Bool("csv", false, "print the report as CSV (durations in minutes)")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *fromS == "" || *toS == "" {
		return misuse("report needs --from and --to (dates like 2026-11-01)")
	}
	if *asJSON && *asCSV {
		return misuse("--json and --csv do not go together")
	}
	from, err := time.ParseInLocation(time.DateOnly, *fromS, time.Local)
	if err != nil {
		return misuse("--from %q is not a date like 2026-11-01", *fromS)
	}
	to, err := time.ParseInLocation(time.DateOnly, *toS, time.Local)
	if err != nil {
		return misuse("--to %q is not a date like 2026-11-30", *toS)
	}
	to = to.AddDate(0, 0, 1) // the last day included
	ctx := context.Background()
	svc, err := c.service(ctx)
	if err != nil {
		return err
	}
	projectID, err := projectFilter(ctx, svc, *project)
	if err != nil {
		return err
	}
	r, err := svc.Report(ctx, projectID, from, to, time.Local)
	if err != nil {
		return err
	}
	switch {
	case *asJSON:
		return c.printJSON(r)
	case *asCSV:
		return r.CSV(c.env.Stdout)
	}
	return printReport(c, r)
}

func printReport(c *command, r report.Report) error {
	tw := tabwriter.NewWriter(c.env.Stdout, 0, 4, 2, ' ', 0)
	dur := func(s report.Stats) string {
		if s.Count == 0 {
			return "-"
		}
		return fmt.Sprintf("median %s, mean %s, 90%% within %s (%d tickets)", short(s.Median), short(s.Mean), short(s.P90), s.Count)
	}
	fmt.Fprintf(tw, "Range\t%s to %s\n", r.From.Format(time.DateOnly), r.To.AddDate(0, 0, -1).Format(time.DateOnly))
	fmt.Fprintf(tw, "Opened\t%d (%d without a reply yet)\n", r.Opened, r.Unanswered)
	fmt.Fprintf(tw, "Closed\t%d\n", r.Closed)
	if r.Calendar != "" {
		fmt.Fprintf(tw, "Times in\tbusiness hours: %s\n", r.Calendar)
	}
	fmt.Fprintf(tw, "First response\t%s%s\n", dur(r.FirstResponse), slaCount(r.FirstResponseSLA))
	fmt.Fprintf(tw, "Resolution\t%s%s\n", dur(r.Resolution), slaCount(r.ResolutionSLA))
	var agents []string
	for _, a := range r.RepliesByAgent {
		agents = append(agents, fmt.Sprintf("%s %d", a.Agent, a.Replies))
	}
	fmt.Fprintf(tw, "Replies\t%s\n", strings.Join(agents, ", "))
	day, hour, most := 0, 0, 0
	for d, hours := range r.BusiestHours {
		for h, n := range hours {
			if n > most {
				day, hour, most = d, h, n
			}
		}
	}
	if most > 0 {
		fmt.Fprintf(tw, "Busiest hour\t%s %02d:00 (%d customer messages)\n", time.Weekday(day), hour, most)
	}
	return tw.Flush()
}

// slaCount says how many clocks met their target, when any was judged.
func slaCount(c report.SLACount) string {
	if c.Met+c.Breached == 0 {
		return ""
	}
	return fmt.Sprintf("; target met %d, breached %d", c.Met, c.Breached)
}

// short writes a duration as days, hours and minutes.
func short(d time.Duration) string {
	d = d.Round(time.Minute)
	days, hours, mins := int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour), int(d%time.Hour/time.Minute)
	switch {
	case days > 0:
		return fmt.Sprintf("%dd %dh", days, hours)
	case hours > 0:
		return fmt.Sprintf("%dh %02dm", hours, mins)
	default:
		return fmt.Sprintf("%dm", mins)
	}
}
