package store

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"servicedesk/internal/model"
)

// QueryHelp lists the search box's filters, for error messages and the
// window's help.
const QueryHelp = "from:, label:, -label:, assignee: (a username, me or none), is: (open, closed, unassigned, unread, mine, needs-reply, waiting, due-soon, breached), before: and after: (a date like 2026-11-01, or an age like 3d, 12h, 2w)"

// ParseQuery reads what an agent typed into the search box: filters
// (from:ana@, label:billing, -label:spam, assignee:me, is:open,
// before:2026-11-01, after:7d) and free text, which is searched in full.
// Quotes keep spaces in a value (label:"needs info"). A word with an
// unknown prefix (re:, http:) is free text, as in Gmail. me is the agent's
// GitLab username for assignee:me and is:mine; now anchors ages.
func ParseQuery(input, me string, now time.Time) (model.TicketFilter, error) {
	var f model.TicketFilter
	var text []string
	for _, tok := range queryTokens(input) {
		key, value, ok := strings.Cut(tok, ":")
		neg := strings.HasPrefix(key, "-")
		key = strings.ToLower(strings.TrimPrefix(key, "-"))
		if !ok || !isFilterKey(key) {
			text = append(text, tok)
			continue
		}
		value = unquote(value)
		if value == "" {
			return f, fmt.Errorf("%s: needs a value, as in %s", key, filterExample(key))
		}
		if neg && key != "label" {
			return f, fmt.Errorf("-%s: only labels can be excluded (-label:spam)", key)
		}
		switch key {
		case "from":
			f.Customer = append(f.Customer, strings.ToLower(value))
		case "label":
			if neg {
				f.NotLabels = append(f.NotLabels, value)
			} else {
				f.Labels = append(f.Labels, value)
			}
		case "assignee":
			switch strings.ToLower(value) {
			case "none":
				f.Unassigned = true
			case "me":
				if me == "" {
					f.None = true // no GitLab account: nothing is anyone's
				}
				f.Assignee = me
			default:
				f.Assignee = strings.TrimPrefix(value, "@")
			}
		case "is":
			if err := applyIs(&f, strings.ToLower(value), me, now); err != nil {
				return f, err
			}
		case "before", "after":
			t, err := parseWhen(value, now)
			if err != nil {
				return f, fmt.Errorf("%s:%s: %w", key, value, err)
			}
			if key == "before" {
				f.CreatedBefore = t
			} else {
				f.CreatedAfter = t
			}
		}
	}
	f.Query = strings.Join(text, " ")
	return f, nil
}

func isFilterKey(k string) bool {
	switch k {
	case "from", "label", "assignee", "is", "before", "after":
		return true
	}
	return false
}

func filterExample(key string) string {
	switch key {
	case "from":
		return "from:ana@example.com or from:example.com"
	case "label":
		return `label:billing or label:"needs info"`
	case "assignee":
		return "assignee:me, assignee:none or assignee:tom.becker"
	case "is":
		return "is:open, is:closed, is:unassigned, is:unread, is:mine, is:needs-reply, is:waiting, is:due-soon or is:breached"
	default:
		return key + ":2026-11-01 or " + key + ":7d"
	}
}

// applyIs narrows f by an is: filter; two states that contradict each other
// (is:open is:closed) match nothing. now anchors the service-level ones.
func applyIs(f *model.TicketFilter, v, me string, now time.Time) error {
	setState := func(s string) {
		if f.State != "" && f.State != s {
			f.None = true
		}
		f.State = s
	}
	switch v {
	case "open", "opened":
		setState(model.StateOpened)
	case "closed":
		setState(model.StateClosed)
	case "unassigned":
		f.Unassigned = true
	case "unread":
		f.Unread = true
	case "mine":
		if me == "" {
			f.None = true
		}
		f.Assignee = me
	case "needs-reply", "needs_reply":
		f.NeedsReply = true
	case "waiting":
		f.Waiting = true
	case "due-soon", "soon", "breached":
		sla := model.SLASoon
		if v == "breached" {
			sla = model.SLABreached
		}
		if f.SLA != "" && f.SLA != sla {
			f.None = true
		}
		f.SLA, f.Now = sla, now
	default:
		return fmt.Errorf("is:%s is not a filter; try %s", v, filterExample("is"))
	}
	return nil
}

// parseWhen reads a date (2026-11-01, 2026-11-01T15:04), a time with a zone
// (RFC 3339), or an age (3d, 12h, 2w: that long before now). Dates are in
// now's zone.
func parseWhen(v string, now time.Time) (time.Time, error) {
	if n := len(v); n >= 2 {
		if num, err := strconv.Atoi(v[:n-1]); err == nil && num >= 0 {
			switch unicode.ToLower(rune(v[n-1])) {
			case 'h':
				return now.Add(-time.Duration(num) * time.Hour), nil
			case 'd':
				return now.AddDate(0, 0, -num), nil
			case 'w':
				return now.AddDate(0, 0, -7*num), nil
			case 'm':
				return now.AddDate(0, -num, 0), nil
			case 'y':
				return now.AddDate(-num, 0, 0), nil
			}
		}
	}
	for _, layout := range []string{"2006-01-02", "2006-01-02T15:04", "2006-01-02 15:04", "2006/01/02"} {
		if t, err := time.ParseInLocation(layout, v, now.Location()); err == nil {
			return t, nil
		}
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("not a date or an age; write 2026-11-01 or 7d (also h, w, m, y)")
}

// queryTokens splits input at spaces outside double quotes; the quotes stay
// in the token.
func queryTokens(input string) []string {
	var out []string
	var b strings.Builder
	quoted := false
	for _, r := range input {
		switch {
		case r == '"':
			quoted = !quoted
			b.WriteRune(r)
		case unicode.IsSpace(r) && !quoted:
			if b.Len() > 0 {
				out = append(out, b.String())
				b.Reset()
			}
		default:
			b.WriteRune(r)
		}
	}
	if b.Len() > 0 {
		out = append(out, b.String())
	}
	return out
}

func unquote(v string) string {
	return strings.TrimSpace(strings.Trim(v, `"`))
}

// Merge narrows a view's filter v by the search box's filter q: both hold.
func Merge(v, q model.TicketFilter) model.TicketFilter {
	out := v
	if q.State != "" {
		if v.State != "" && v.State != q.State {
			out.None = true
		}
		out.State = q.State
	}
	if q.Assignee != "" {
		if v.Assignee != "" && v.Assignee != q.Assignee {
			out.None = true
		}
		out.Assignee = q.Assignee
	}
	if q.SLA != "" {
		if v.SLA != "" && v.SLA != q.SLA {
			out.None = true // due soon means not yet breached
		}
		out.SLA, out.Now = q.SLA, q.Now
	}
	out.Unassigned = v.Unassigned || q.Unassigned
	out.NeedsReply = v.NeedsReply || q.NeedsReply
	out.Waiting = v.Waiting || q.Waiting
	out.Unread = v.Unread || q.Unread
	out.None = out.None || q.None
	out.Customer = append(append([]string(nil), v.Customer...), q.Customer...)
	out.Labels = append(append([]string(nil), v.Labels...), q.Labels...)
	out.NotLabels = append(append([]string(nil), v.NotLabels...), q.NotLabels...)
	out.CreatedAfter = later(v.CreatedAfter, q.CreatedAfter)
	if out.CreatedBefore.IsZero() || (!q.CreatedBefore.IsZero() && q.CreatedBefore.Before(out.CreatedBefore)) {
		out.CreatedBefore = q.CreatedBefore
	}
	out.Query = strings.TrimSpace(v.Query + " " + q.Query)
	return out
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
