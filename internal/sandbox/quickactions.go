package sandbox

import (
	"fmt"
	"net/mail"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The quick actions GitLab runs from a note's lines, the subset Service Desk
// agents use: labels, state, external participants (CC) and duplicates.
var (
	quickLine  = regexp.MustCompile(`^/(label|unlabel|close|reopen|add_email|remove_email|duplicate)\b\s*(.*)$`)
	quickLabel = regexp.MustCompile(`~"([^"]+)"|~([^\s~]+)`)
)

// maxParticipants is GitLab's limit of external participants per ticket.
const maxParticipants = 10

// quickActions runs the quick actions in body on is and returns the body
// without them and GitLab's summary lines. w.mu is held.
func (w *World) quickActions(is *Issue, body string, by int64, at time.Time) (rest string, summary []string, err error) {
	var kept []string
	for _, line := range strings.Split(body, "\n") {
		m := quickLine.FindStringSubmatch(strings.TrimSpace(line))
		if m == nil {
			kept = append(kept, line)
			continue
		}
		s, err := w.quickAction(is, m[1], strings.TrimSpace(m[2]), by, at)
		if err != nil {
			return "", nil, err
		}
		if s != "" {
			summary = append(summary, s)
		}
	}
	return strings.TrimSpace(strings.Join(kept, "\n")), summary, nil
}

func (w *World) quickAction(is *Issue, cmd, arg string, by int64, at time.Time) (string, error) {
	sys := func(body string) { w.addNoteLocked(is, by, body, true, false, at) }
	switch cmd {
	case "label", "unlabel":
		var names []string
		for _, m := range quickLabel.FindAllStringSubmatch(arg, -1) {
			names = append(names, m[1]+m[2])
		}
		var changed []string
		for _, l := range names {
			has := slices.Contains(is.Labels, l)
			if cmd == "label" && !has {
				is.Labels = append(is.Labels, l)
				changed = append(changed, l)
			} else if cmd == "unlabel" && has {
				is.Labels = slices.DeleteFunc(is.Labels, func(x string) bool { return x == l })
				changed = append(changed, l)
			}
		}
		if len(changed) == 0 {
			return "", nil
		}
		verb := map[string]string{"label": "added", "unlabel": "removed"}[cmd]
		sys(labelNote(verb, changed))
		return fmt.Sprintf("%s%s %s label(s).", strings.ToUpper(verb[:1]), verb[1:], strings.Join(changed, ", ")), nil
	case "close":
		if is.State == "closed" {
			return "", nil
		}
		w.closeLocked(is, by, at)
		return "Closed this issue.", nil
	case "reopen":
		if is.State != "closed" {
			return "", nil
		}
		sys("reopened")
		is.State, is.ClosedAt, is.ClosedByID = "opened", nil, 0
		return "Reopened this issue.", nil
	case "add_email", "remove_email":
		var done []string
		for _, a := range strings.Fields(arg) {
			addr, err := mail.ParseAddress(a)
			if err != nil {
				return "", fmt.Errorf("%q is not an e-mail address", a)
			}
			has := slices.Contains(is.Participants, addr.Address)
			switch {
			case cmd == "add_email" && !has:
				if len(is.Participants) >= maxParticipants {
					return "", fmt.Errorf("an issue can have at most %d external participants", maxParticipants)
				}
				is.Participants = append(is.Participants, addr.Address)
				done = append(done, addr.Address)
			case cmd == "remove_email" && has:
				is.Participants = slices.DeleteFunc(is.Participants, func(x string) bool { return x == addr.Address })
				done = append(done, addr.Address)
			}
		}
		if len(done) == 0 {
			return "", nil
		}
		if cmd == "add_email" {
			sys("added " + strings.Join(done, ", "))
			return "Added " + strings.Join(done, ", ") + ".", nil
		}
		sys("removed " + strings.Join(done, ", "))
		return "Removed " + strings.Join(done, ", ") + ".", nil
	case "duplicate":
		iid, err := strconv.ParseInt(strings.TrimPrefix(arg, "#"), 10, 64)
		if err != nil || iid == is.IID {
			return "", fmt.Errorf("%q is not another issue", arg)
		}
		if w.issueLocked(iid) == nil {
			return "", fmt.Errorf("issue #%d does not exist", iid)
		}
		sys(fmt.Sprintf("marked this issue as a duplicate of #%d", iid))
		if is.State != "closed" {
			w.closeLocked(is, by, at)
		}
		return fmt.Sprintf("Closed this issue. Marked this issue as a duplicate of #%d.", iid), nil
	}
	return "", nil
}
