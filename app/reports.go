package app

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"servicedesk/internal/report"
	"servicedesk/internal/sla"
)

// ReportDTO is the team's figures for a range; durations in seconds.
type ReportDTO struct {
	From           string          `json:"from"`
	To             string          `json:"to"` // the last day included
	Opened         int             `json:"opened"`
	Closed         int             `json:"closed"`
	Unanswered     int             `json:"unanswered"`
	FirstResponse  StatsDTO        `json:"first_response"`
	Resolution     StatsDTO        `json:"resolution"`
	RepliesByAgent []AgentCountDTO `json:"replies_by_agent"`
	BusiestHours   [][]int         `json:"busiest_hours"` // [weekday 0 = Sunday][hour] customer messages
	Days           []DayDTO        `json:"days"`          // every day of the range, in order
	// Calendar is the business hours the times count ("" for wall-clock
	// time: no policy, or all projects).
	Calendar         string      `json:"calendar"`
	FirstResponseSLA SLACountDTO `json:"first_response_sla"`
	ResolutionSLA    SLACountDTO `json:"resolution_sla"`
}

// DayDTO is the tickets opened and closed on one day.
type DayDTO struct {
	Date   string `json:"date"`
	Opened int    `json:"opened"`
	Closed int    `json:"closed"`
}

// SLACountDTO counts clocks that met and breached their targets.
type SLACountDTO struct {
	Met      int `json:"met"`
	Breached int `json:"breached"`
}

// StatsDTO sums up durations, in seconds.
type StatsDTO struct {
	Count  int     `json:"count"`
	Median float64 `json:"median_s"`
	Mean   float64 `json:"mean_s"`
	P90    float64 `json:"p90_s"`
}

// AgentCountDTO is how many public replies an agent wrote.
type AgentCountDTO struct {
	Agent   string `json:"agent"`
	Replies int    `json:"replies"`
}

// reportRange reads the window's dates (2026-11-01, the last day included)
// in the local time zone.
func reportRange(from, to string) (time.Time, time.Time, error) {
	f, err := time.ParseInLocation(time.DateOnly, from, time.Local)
	if err != nil {
		return f, f, fmt.Errorf("%q is not a date like 2026-11-01", from)
	}
	t, err := time.ParseInLocation(time.DateOnly, to, time.Local)
	if err != nil {
		return f, t, fmt.Errorf("%q is not a date like 2026-11-30", to)
	}
	return f, t.AddDate(0, 0, 1), nil
}

func (a *App) report(projectID int64, from, to string) (report.Report, error) {
	f, t, err := reportRange(from, to)
	if err != nil {
		return report.Report{}, err
	}
	return a.current().Report(context.Background(), projectID, f, t, time.Local)
}

// Report computes the figures of a project (0: all) from one day to
// another, both included.
func (a *App) Report(projectID int64, from, to string) (ReportDTO, error) {
	r, err := a.report(projectID, from, to)
	if err != nil {
		return ReportDTO{}, err
	}
	stats := func(s report.Stats) StatsDTO {
		return StatsDTO{Count: s.Count, Median: s.Median.Seconds(), Mean: s.Mean.Seconds(), P90: s.P90.Seconds()}
	}
	out := ReportDTO{From: from, To: to, Opened: r.Opened, Closed: r.Closed, Unanswered: r.Unanswered,
		FirstResponse: stats(r.FirstResponse), Resolution: stats(r.Resolution), RepliesByAgent: []AgentCountDTO{},
		Days: make([]DayDTO, len(r.Days)), Calendar: r.Calendar,
		FirstResponseSLA: SLACountDTO(r.FirstResponseSLA), ResolutionSLA: SLACountDTO(r.ResolutionSLA)}
	for i, d := range r.Days {
		out.Days[i] = DayDTO(d)
	}
	for _, ac := range r.RepliesByAgent {
		out.RepliesByAgent = append(out.RepliesByAgent, AgentCountDTO(ac))
	}
	for _, hours := range r.BusiestHours {
		out.BusiestHours = append(out.BusiestHours, append([]int{}, hours[:]...))
	}
	return out, nil
}

// ExportReport saves the report as CSV where the agent picks in the save
// dialog; it returns the path ("" when the agent cancelled).
func (a *App) ExportReport(projectID int64, from, to string) (string, error) {
	r, err := a.report(projectID, from, to)
	if err != nil {
		return "", err
	}
	ctx, err := a.windowContext()
	if err != nil {
		return "", err
	}
	path, err := runtime.SaveFileDialog(ctx, runtime.SaveDialogOptions{Title: "Export the report",
		DefaultFilename: fmt.Sprintf("support-report-%s-to-%s.csv", from, to),
		Filters:         []runtime.FileFilter{{DisplayName: "CSV (*.csv)", Pattern: "*.csv"}}})
	if err != nil || path == "" {
		return "", err
	}
	f, err := os.Create(path)
	if err != nil {
		return "", fmt.Errorf("save the report: %w", err)
	}
	if err := r.CSV(f); err != nil {
		f.Close()
		return "", fmt.Errorf("save the report: %w", err)
	}
	return path, f.Close()
}

// slaDTO is a ticket's clocks (calendar: its business hours in short), or
// nil when its project has no policy that reads.
func slaDTO(st *sla.Status, calendar string) *SLADTO {
	if st == nil {
		return nil
	}
	clock := func(k sla.Clock) SLAClockDTO {
		return SLAClockDTO{State: k.State.String(), Target: k.Target.Seconds(), Elapsed: k.Elapsed.Seconds(), Left: k.Left.Seconds(),
			Late: k.Late.Seconds(), SoonAt: timeString(k.SoonAt), DueAt: timeString(k.Due), AchievedAt: timeString(k.Achieved)}
	}
	return &SLADTO{State: st.State.String(), FirstResponse: clock(st.FirstResponse), Resolution: clock(st.Resolution),
		Calendar: calendar}
}
