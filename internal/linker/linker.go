// Package linker decides which Service Desk ticket a mailbox message belongs
// to, and records by which rule.
//
// It owns the linking rules and their order, nothing else. It does no I/O:
// the caller copies the few fields it needs of a parsed message (parsing is
// internal/mailparse's job) into a Mail, and what the app already knows —
// messages linked to tickets, reply keys learned from mail, tickets and their
// customers — comes through Lookup, which the store answers with indexed
// queries. Storing the resulting link, learning reply keys and offering to
// merge tickets are left to the caller.
//
// The first rule that matches wins:
//
//  1. RuleOurMessageID: an In-Reply-To id, then a References id from the
//     newest (last) to the oldest, is the Message-ID of a message already
//     linked to a ticket (one the app or GitLab sent, or one received).
//  2. RuleReplyKey: a GitLab reply key (32 lower-case hex digits) maps to a
//     ticket. Keys are tried in this order: Mail.ReplyKeys (the recipients'
//     "+KEY@"), then keys in the In-Reply-To ids, then in the References ids
//     newest first ("reply-KEY@" starting the id, or "+KEY@" anywhere in it
//     as in "reply+KEY@"); see ReplyKeysIn.
//  3. RuleSubjectIID: the subject's last "(#N)" names ticket N of the
//     mailbox's project and the sender is that ticket's customer (addresses
//     compared case-insensitively).
//  4. RuleCustomerWindow: the sender is the customer of a ticket of the
//     mailbox's project created in a window around the message's date; the
//     nearest in time wins. Never for an auto-reply.
//
// Otherwise the result is RuleNone: mail GitLab never made into a ticket.
package linker

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Rule names the rule that linked a message; it is stored with the link.
type Rule string

// The rules, in the order they are tried, and RuleNone for unlinked mail.
const (
	RuleOurMessageID   Rule = "our-message-id"
	RuleReplyKey       Rule = "reply-key"
	RuleSubjectIID     Rule = "subject-iid"
	RuleCustomerWindow Rule = "customer-window"
	RuleNone           Rule = "none"
)

// The default window of RuleCustomerWindow: a message dated from 10 minutes
// before to 2 hours after a ticket's creation is that ticket's first mail.
const (
	// GitLab makes the ticket from the mail, so the mail's Date comes
	// first: up to two hours earlier (queues, a mail server's delays, a
	// sender's slow clock), or a little later (a fast clock).
	DefaultBefore = 2 * time.Hour
	DefaultAfter  = 10 * time.Minute
)

// TicketRef identifies a ticket: a GitLab issue by project and IID.
type TicketRef struct {
	ProjectID, IID int64
}

// Mail is what the linker needs of a parsed message.
type Mail struct {
	// MessageID is the message's own id, without <>. The linker never links
	// a message through a reference to itself.
	MessageID string
	// InReplyTo and References are ids without <>, References oldest first,
	// as in the header. An entry holding several ids ("<a@x>,<b@y>" or
	// "a@x b@y") or one still in <> is split and trimmed.
	InReplyTo, References []string
	// Subject is the decoded subject.
	Subject string
	// From is the sender's address (a "Name <addr>" form is tolerated).
	From string
	// Date is the message's Date header; zero when missing or unreadable.
	Date time.Time
	// ReplyKeys are the reply keys found in the recipients (To, Cc,
	// Delivered-To, Envelope-To). An entry that is not a bare key is scanned
	// like ReplyKeysIn, so addresses may be passed as they are.
	ReplyKeys []string
	// AutoSubmitted marks an auto-reply (Auto-Submitted other than "no", or
	// X-Autoreply: yes): linked by rules 1–3, never by the window.
	AutoSubmitted bool
}

// Ticket is what the linker needs of a ticket.
type Ticket struct {
	Ref       TicketRef
	Customer  string // the customer's address (service_desk_reply_to)
	CreatedAt time.Time
}

// Lookup is what the linker asks the store; implementations must be cheap
// (indexed). found is false, with a nil error, when nothing matches.
type Lookup interface {
	// TicketByMessageID returns the ticket a known message (sent or
	// received, by the app or by GitLab) with this Message-ID is linked to.
	TicketByMessageID(id string) (TicketRef, bool, error)
	// TicketByReplyKey returns the ticket a learned reply key belongs to.
	TicketByReplyKey(key string) (TicketRef, bool, error)
	// Ticket returns ticket iid of a project.
	Ticket(projectID, iid int64) (Ticket, bool, error)
	// TicketsOfCustomer returns the project's tickets whose customer is
	// customer (case-insensitively) created between from and to, both
	// inclusive, each with its full Ref. The linker checks all of it again.
	TicketsOfCustomer(projectID int64, customer string, from, to time.Time) ([]Ticket, error)
}

// Linker links messages of one mailbox to tickets.
type Linker struct {
	// Lookup answers the linker's questions; required.
	Lookup Lookup
	// ProjectID is the project the mailbox serves. Zero (any project) is not
	// supported by rules 3 and 4: they then do not apply.
	ProjectID int64
	// Before and After bound RuleCustomerWindow: a message dated from Before
	// before to After after a ticket's created_at (both inclusive) may be
	// its first mail. Zero or negative means 2 hours and 10 minutes.
	Before, After time.Duration
}

// Link is the outcome for one message: the ticket and the rule that linked
// it, or RuleNone and a zero Ticket.
type Link struct {
	Ticket TicketRef
	Rule   Rule
}

// errNoLookup is returned by Link on a Linker without a Lookup.
var errNoLookup = errors.New("linker: no Lookup to ask")

// Link links m to its ticket by the first rule that matches. A Lookup error
// stops it, is returned wrapped and leaves the Link zero: a later rule must
// not win because an earlier one could not be checked.
func (l *Linker) Link(m Mail) (Link, error) {
	if l == nil || l.Lookup == nil {
		return Link{}, errNoLookup
	}
	ids := threadIDs(strings.Trim(strings.TrimSpace(m.MessageID), "<>"), m.InReplyTo, m.References)
	from := address(m.From)
	rules := [...]struct {
		rule  Rule
		match func() (TicketRef, bool, error)
	}{
		{RuleOurMessageID, func() (TicketRef, bool, error) { return l.byMessageID(ids) }},
		{RuleReplyKey, func() (TicketRef, bool, error) { return l.byReplyKey(m.ReplyKeys, ids) }},
		{RuleSubjectIID, func() (TicketRef, bool, error) { return l.bySubject(m.Subject, from) }},
		{RuleCustomerWindow, func() (TicketRef, bool, error) { return l.byWindow(m, from) }},
	}
	for _, r := range rules {
		ref, ok, err := r.match()
		if err != nil {
			return Link{}, fmt.Errorf("link message %q by %s: %w", m.MessageID, r.rule, err)
		}
		if ok {
			return Link{Ticket: ref, Rule: r.rule}, nil
		}
	}
	return Link{Rule: RuleNone}, nil
}

// byMessageID is rule 1; ids are already in the order to try.
func (l *Linker) byMessageID(ids []string) (TicketRef, bool, error) {
	for _, id := range ids {
		ref, ok, err := l.Lookup.TicketByMessageID(id)
		if err != nil {
			return TicketRef{}, false, fmt.Errorf("look up Message-ID %q: %w", id, err)
		}
		if ok {
			return ref, true, nil
		}
	}
	return TicketRef{}, false, nil
}

// byReplyKey is rule 2: the recipients' keys, then the keys in ids. Keys are
// capabilities (they let anyone post to the ticket), so errors do not name
// them.
func (l *Linker) byReplyKey(recipientKeys, ids []string) (TicketRef, bool, error) {
	var keys set
	for _, k := range recipientKeys {
		if IsReplyKey(k) {
			keys.add(k)
		} else {
			scanKeys(&keys, k)
		}
	}
	for _, id := range ids {
		scanKeys(&keys, id)
	}
	for i, key := range keys.list {
		ref, ok, err := l.Lookup.TicketByReplyKey(key)
		if err != nil {
			return TicketRef{}, false, fmt.Errorf("look up reply key %d of %d: %w", i+1, len(keys.list), err)
		}
		if ok {
			return ref, true, nil
		}
	}
	return TicketRef{}, false, nil
}

// bySubject is rule 3.
func (l *Linker) bySubject(subject, from string) (TicketRef, bool, error) {
	if l.ProjectID == 0 || from == "" {
		return TicketRef{}, false, nil
	}
	iid, ok := SubjectIID(subject)
	if !ok {
		return TicketRef{}, false, nil
	}
	t, found, err := l.Lookup.Ticket(l.ProjectID, iid)
	if err != nil {
		return TicketRef{}, false, fmt.Errorf("look up ticket #%d of project %d: %w", iid, l.ProjectID, err)
	}
	if !found || !sameAddress(t.Customer, from) {
		return TicketRef{}, false, nil
	}
	return TicketRef{ProjectID: l.ProjectID, IID: iid}, true, nil
}

// byWindow is rule 4.
func (l *Linker) byWindow(m Mail, from string) (TicketRef, bool, error) {
	if l.ProjectID == 0 || from == "" || m.AutoSubmitted || m.Date.IsZero() {
		return TicketRef{}, false, nil
	}
	before, after := l.window()
	// date in [created-before, created+after]  <=>  created in [date-after, date+before]
	lo, hi := m.Date.Add(-after), m.Date.Add(before)
	tickets, err := l.Lookup.TicketsOfCustomer(l.ProjectID, from, lo, hi)
	if err != nil {
		return TicketRef{}, false, fmt.Errorf("look up the sender's tickets of project %d: %w", l.ProjectID, err)
	}
	var best *Ticket
	for i := range tickets {
		t := &tickets[i]
		if t.Ref.ProjectID != l.ProjectID || !sameAddress(t.Customer, from) ||
			t.CreatedAt.Before(lo) || t.CreatedAt.After(hi) {
			continue
		}
		if best == nil || nearer(m.Date, t, best) {
			best = t
		}
	}
	if best == nil {
		return TicketRef{}, false, nil
	}
	return best.Ref, true, nil
}

// window returns Before and After with their defaults applied.
func (l *Linker) window() (before, after time.Duration) {
	before, after = l.Before, l.After
	if before <= 0 {
		before = DefaultBefore
	}
	if after <= 0 {
		after = DefaultAfter
	}
	return before, after
}

// nearer reports whether a is a better window match for a message dated
// date than b: nearer in time; at equal distance the one created at or after
// the message (GitLab makes the ticket from the mail, so it comes later);
// then the lower IID, so the answer never depends on the store's order.
func nearer(date time.Time, a, b *Ticket) bool {
	da, db := distance(date, a.CreatedAt), distance(date, b.CreatedAt)
	if da != db {
		return da < db
	}
	aAfter, bAfter := !a.CreatedAt.Before(date), !b.CreatedAt.Before(date)
	if aAfter != bAfter {
		return aAfter
	}
	return a.Ref.IID < b.Ref.IID
}

// distance is |a-b|, saturating like time.Time.Sub.
func distance(a, b time.Time) time.Duration {
	if a.Before(b) {
		return b.Sub(a)
	}
	return a.Sub(b)
}

// address returns the bare address of s ("Name <a@b>" gives "a@b"), trimmed.
func address(s string) string {
	if i := strings.LastIndexByte(s, '<'); i >= 0 {
		s = s[i+1:]
		if j := strings.IndexByte(s, '>'); j >= 0 {
			s = s[:j]
		}
	}
	return strings.TrimSpace(s)
}

// sameAddress compares two addresses case-insensitively; an empty address
// matches nothing, not even another empty one.
func sameAddress(a, b string) bool {
	a, b = address(a), address(b)
	return a != "" && strings.EqualFold(a, b)
}
