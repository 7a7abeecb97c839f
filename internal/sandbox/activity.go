package sandbox

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrNoIssue is returned when an issue does not exist or was deleted.
var ErrNoIssue = errors.New("no such issue")

// clockLocked is the time of a live change: now, but never before the last
// change, so updated_at keeps growing even when the world is anchored ahead.
func (w *World) clockLocked(after time.Time) time.Time {
	t := time.Now().UTC().Truncate(time.Millisecond)
	if !t.After(after) {
		t = after.Add(time.Millisecond)
	}
	return t
}

func (w *World) lastChangeLocked() time.Time {
	var last time.Time
	for _, is := range w.issues {
		if is.UpdatedAt.After(last) {
			last = is.UpdatedAt
		}
	}
	return last
}

// AddCustomerTicket files a new ticket as GitLab's Service Desk does when a
// customer writes to the brand address: the issue (authored by support-bot)
// and the customer's mail in INBOX. A zero Customer picks one of the world's
// customers; an empty subject or body writes one from a scenario.
func (w *World) AddCustomerTicket(c Customer, subj, body string) Issue {
	return w.addCustomerTicket(c, subj, body, "")
}

// AddCustomerAnswerTicket is the customer answering a mail (inReplyTo, a
// Message-ID without <>) that carried no reply key: GitLab cannot tell it
// belongs to a ticket and opens a new one, as it does for any new mail.
func (w *World) AddCustomerAnswerTicket(c Customer, subj, body, inReplyTo string) Issue {
	return w.addCustomerTicket(c, subj, body, inReplyTo)
}

func (w *World) addCustomerTicket(c Customer, subj, body, inReplyTo string) Issue {
	w.mu.Lock()
	if c.Email == "" {
		c = w.customers[w.rnd.Intn(len(w.customers))]
	}
	at := w.clockLocked(w.lastChangeLocked())
	is := w.newIssueLocked(w.rnd, c, w.rnd.Intn(len(scenarios)), at)
	if subj != "" {
		is.Title = subj
	}
	if body != "" {
		is.Description = body
	}
	is.InReplyTo = inReplyTo
	m := originalMail(w.rnd, is)
	m.Seen = false
	ls := w.addMailLocked(m)
	out := copyIssue(is)
	w.mu.Unlock()
	notify(ls, m)
	return out
}

// AddCustomerReply records a customer's e-mail answer on a ticket: a note by
// support-bot (which bumps updated_at) and the mail, to the reply-key
// address, in INBOX. An empty body writes one from the ticket's scenario.
func (w *World) AddCustomerReply(iid int64, body string) (Note, error) {
	w.mu.Lock()
	is := w.issueLocked(iid)
	if is == nil {
		w.mu.Unlock()
		return Note{}, fmt.Errorf("customer reply to #%d: %w", iid, ErrNoIssue)
	}
	if body == "" {
		v := ticketVars(w.rnd, is.Customer, is.CreatedAt)
		v["agentFirst"] = "there"
		body = v.fill(pick(w.rnd, scenarios[is.scenario].followups))
	}
	at := w.clockLocked(w.lastChangeLocked())
	n := w.addNoteLocked(is, w.bot.ID, body, false, false, at)
	lastOurs := ""
	for _, prev := range w.notes[iid] {
		if !prev.System && !prev.Internal && prev.AuthorID != w.bot.ID && prev.MessageID != "" {
			lastOurs = prev.MessageID
		}
	}
	m := followupMail(is, n, lastOurs)
	n.MessageID = m.MessageID
	ls := w.addMailLocked(m)
	out := *n
	w.mu.Unlock()
	notify(ls, m)
	return out, nil
}

// DeleteIssue removes an issue as an administrator would: it no longer
// appears in any list and answers 404.
func (w *World) DeleteIssue(iid int64) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	is := w.issueLocked(iid)
	if is == nil {
		return fmt.Errorf("delete #%d: %w", iid, ErrNoIssue)
	}
	is.Deleted = true
	return nil
}

// MoveIssue moves an issue to another project as GitLab does: the original
// is closed with moved_to_id set and a system note. It returns the new id.
func (w *World) MoveIssue(iid int64) (int64, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	is := w.issueLocked(iid)
	if is == nil {
		return 0, fmt.Errorf("move #%d: %w", iid, ErrNoIssue)
	}
	at := w.clockLocked(w.lastChangeLocked())
	is.MovedToID = 900000 + is.ID
	w.addNoteLocked(is, w.agents[0].ID, "moved to acme/billing#"+fmt.Sprint(is.IID), true, false, at)
	if is.State != "closed" {
		w.closeLocked(is, w.agents[0].ID, at)
	}
	return is.MovedToID, nil
}

// liveEvent is one tick of live activity: a new ticket, or a follow-up from a
// customer on an open ticket that has an answer from us.
func (w *World) liveEvent() {
	w.mu.Lock()
	var candidates []int64
	for _, is := range w.issues {
		if is.Deleted || is.State != "opened" {
			continue
		}
		for _, n := range w.notes[is.IID] {
			if !n.System && !n.Internal && n.AuthorID != w.bot.ID {
				candidates = append(candidates, is.IID)
				break
			}
		}
	}
	newTicket := len(candidates) == 0 || w.rnd.Intn(2) == 0
	var iid int64
	if !newTicket {
		iid = candidates[w.rnd.Intn(len(candidates))]
	}
	w.mu.Unlock()
	if newTicket {
		w.AddCustomerTicket(Customer{}, "", "")
		return
	}
	_, _ = w.AddCustomerReply(iid, "")
}

// labelsEqual reports whether two label lists hold the same names.
func labelsEqual(a, b []string) bool {
	return strings.Join(a, ",") == strings.Join(b, ",")
}
