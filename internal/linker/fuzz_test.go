package linker

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// fuzzWorld is a small store for FuzzLink: a known id, a learned key,
// tickets for a@b, and a store that fails whenever the subject says so.
func fuzzWorld(subject string) *fakeLookup {
	f := newFake()
	f.messages["ours@brand.example"] = TicketRef{project, 1}
	f.keys[keyB] = TicketRef{project, 2}
	f.addTicket(Ticket{Ref: TicketRef{project, 1}, Customer: "a@b", CreatedAt: t0})
	f.addTicket(Ticket{Ref: TicketRef{project, 2}, Customer: "A@B", CreatedAt: t0.Add(time.Hour)})
	f.addTicket(Ticket{Ref: TicketRef{project, 3}, Customer: "", CreatedAt: t0})
	if i := strings.Index(subject, "FAIL:"); i >= 0 {
		method := subject[i+len("FAIL:"):]
		f.fail = func(m string) error {
			if strings.HasPrefix(method, m) {
				return errStore
			}
			return nil
		}
	}
	return f
}

// FuzzLink feeds random headers to the linker: it never panics, returns
// only the store's errors, and what it returns keeps the rules' promises.
func FuzzLink(f *testing.F) {
	f.Add("m@x", "ours@brand.example", "a@x,b@x", "Re: x (#1)", "a@b", int64(0), "", false)
	f.Add("", "", "<issue_1@localhost> <reply-"+keyB+"@localhost>,<exchange@microsoft.com>", "", "", int64(1), "", true)
	f.Add("m@x", "", "", "Re: (#2) (#1)", "Jake <A@b>", int64(-600), "support+"+keyB+"@acme.com", false)
	f.Add("m@x", "<", ">,<", "(#9223372036854775808)", "<>", int64(7200), keyNone, false)
	f.Add("m@x", "ours@brand.example", "", "FAIL:TicketByMessageID", "a@b", int64(0), "", false)
	f.Add("m@x", "", "", "(#1) FAIL:TicketsOfCustomer", "a@b", int64(3600), "", false)
	f.Fuzz(func(t *testing.T, id, inReplyTo, references, subject, from string, offset int64, keys string, auto bool) {
		m := Mail{
			MessageID:     id,
			InReplyTo:     strings.Split(inReplyTo, "\n"),
			References:    strings.Split(references, "\n"),
			Subject:       subject,
			From:          from,
			Date:          t0.Add(time.Duration(offset) * time.Second),
			ReplyKeys:     strings.Split(keys, "\n"),
			AutoSubmitted: auto,
		}
		l := &Linker{Lookup: fuzzWorld(subject), ProjectID: project}
		got, err := l.Link(m)
		if err != nil {
			if !errors.Is(err, errStore) || got != (Link{}) {
				t.Fatalf("Link = %+v, %v", got, err)
			}
			return
		}
		again, err := l.Link(m)
		if err != nil || again != got {
			t.Fatalf("not deterministic: %+v then %+v, %v", got, again, err)
		}
		switch got.Rule {
		case RuleNone:
			if got.Ticket != (TicketRef{}) {
				t.Fatalf("unlinked with a ticket: %+v", got)
			}
		case RuleOurMessageID, RuleReplyKey:
		case RuleSubjectIID:
			if iid, ok := SubjectIID(subject); !ok || iid != got.Ticket.IID || !strings.EqualFold(address(from), "a@b") {
				t.Fatalf("subject link %+v for subject %q from %q", got, subject, from)
			}
		case RuleCustomerWindow:
			if auto || !strings.EqualFold(address(from), "a@b") {
				t.Fatalf("window link %+v for auto=%v from %q", got, auto, from)
			}
		default:
			t.Fatalf("unknown rule %q", got.Rule)
		}
	})
}

// FuzzReplyKeysIn: every key returned is a well-formed key that occurs in
// the input followed by "@".
func FuzzReplyKeysIn(f *testing.F) {
	f.Add("support+" + keyB + "@acme.com")
	f.Add("<reply-" + keyB + "@x>,<reply+" + keyC + "@y>")
	f.Fuzz(func(t *testing.T, s string) {
		keys := ReplyKeysIn(s)
		seen := map[string]bool{}
		for _, k := range keys {
			if !IsReplyKey(k) || !strings.Contains(s, k+"@") || seen[k] {
				t.Fatalf("ReplyKeysIn(%q) = %q", s, keys)
			}
			seen[k] = true
		}
	})
}

// FuzzSubjectIID: a found iid is positive and its "(#N)" is in the subject.
func FuzzSubjectIID(f *testing.F) {
	f.Add("Re: Card declined (#123)")
	f.Add("(#1)(#)(#x")
	f.Fuzz(func(t *testing.T, s string) {
		n, ok := SubjectIID(s)
		if ok && (n <= 0 || !strings.Contains(s, "(#")) {
			t.Fatalf("SubjectIID(%q) = %d", s, n)
		}
		if !ok && n != 0 {
			t.Fatalf("SubjectIID(%q) = %d, false", s, n)
		}
	})
}
