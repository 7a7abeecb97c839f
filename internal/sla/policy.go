package sla

import (
	"strings"
	"time"
)

// DefaultPath is where a project keeps its policy, in its repository.
const DefaultPath = ".gitlab/service_desk_desktop/sla.yml"

// NoTarget, as a LabelTargets target, switches the target off for tickets
// with the label.
const NoTarget time.Duration = -1

// DefaultWarnPercent is the warning Parse uses when the file sets none:
// "soon" once a quarter of a target is left.
const DefaultWarnPercent = 25

// Policy is a project's service-level targets. Targets are business time on
// Calendar; zero means no target. The zero Policy has no targets.
type Policy struct {
	Calendar *Calendar // nil: open always, in UTC

	// FirstResponse is the business time allowed until our first public
	// reply; Resolution the business time allowed until the ticket's close.
	FirstResponse, Resolution time.Duration

	// Labels are per-label targets; see Targets for how they combine.
	Labels []LabelTargets

	// Warn is when a running clock turns Soon.
	Warn Warning

	// PauseWhileWaitingOnCustomer stops the resolution clock from each of
	// our public replies until the customer's next message.
	PauseWhileWaitingOnCustomer bool
}

// LabelTargets are the targets for tickets that carry Label (compared
// without regard to case). A zero target leaves the policy's target alone;
// NoTarget switches it off.
type LabelTargets struct {
	Label                     string
	FirstResponse, Resolution time.Duration
}

// Warning is when a running clock turns Soon: when at most Before of
// business time is left, or, when Before is zero, at most Percent percent of
// the target. The zero Warning never warns.
type Warning struct {
	Percent int
	Before  time.Duration
}

// amount is how much of target is left when the warning starts; ok is
// false when it never warns. A clock is Soon once its Left is at most
// amount (see soon).
func (w Warning) amount(target time.Duration) (d time.Duration, ok bool) {
	switch {
	case w.Before > 0:
		return min(w.Before, target), true
	case w.Percent <= 0:
		return 0, false
	}
	pct := time.Duration(w.Percent)
	return min(target/100*pct+target%100*pct/100, target), true // target*pct/100 without overflow
}

// soon says whether left of target is within the warning.
func (w Warning) soon(target, left time.Duration) bool {
	amount, ok := w.amount(target)
	return ok && left <= amount
}

// Targets is the first-response and resolution targets for a ticket with
// labels (zero: no target). Of the LabelTargets whose label the ticket has,
// the tightest target wins, whatever their order: a ticket labelled both
// urgent (1h) and vip (2h) gets 1h. NoTarget applies only when no matching
// label sets a duration. With no matching label the policy's targets apply.
func (p *Policy) Targets(labels []string) (firstResponse, resolution time.Duration) {
	var first, res time.Duration // 0: no matching label said
	for _, lt := range p.Labels {
		if hasLabel(labels, lt.Label) {
			first = tighter(first, lt.FirstResponse)
			res = tighter(res, lt.Resolution)
		}
	}
	if first == 0 {
		first = p.FirstResponse
	}
	if res == 0 {
		res = p.Resolution
	}
	return max(first, 0), max(res, 0)
}

// tighter combines two label targets: 0 says nothing, NoTarget loses to any
// duration, and of two durations the shorter wins.
func tighter(a, b time.Duration) time.Duration {
	switch {
	case b == 0:
		return a
	case a == 0, a == NoTarget:
		return b
	case b == NoTarget:
		return a
	}
	return min(a, b)
}

func hasLabel(labels []string, label string) bool {
	for _, l := range labels {
		if strings.EqualFold(l, label) {
			return true
		}
	}
	return false
}
