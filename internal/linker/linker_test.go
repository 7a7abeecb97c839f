package linker

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

const (
	project = 7
	keyB    = "0123456789abcdef0123456789abcdef" // learned: ticket B
	keyC    = "fedcba9876543210fedcba9876543210" // learned: ticket C
	keyNone = "00000000000000000000000000000000" // well-formed, never learned
)

var (
	t0   = time.Date(2025, 3, 4, 9, 0, 0, 0, time.UTC)
	refA = TicketRef{project, 1} // jane, created t0
	refB = TicketRef{project, 2} // bob, created t0+1h
	refC = TicketRef{project, 3} // Carol@Example.com, created t0+5h
	refD = TicketRef{project, 5} // jane again, created t0+10h
	refE = TicketRef{project, 6} // no customer address, created t0+20h
	refX = TicketRef{9, 4}       // another project's ticket
)

// world is the store the rule tests link against.
func world() *fakeLookup {
	f := newFake()
	f.addTicket(Ticket{Ref: refA, Customer: "jane@example.com", CreatedAt: t0})
	f.addTicket(Ticket{Ref: refB, Customer: "bob@example.com", CreatedAt: t0.Add(time.Hour)})
	f.addTicket(Ticket{Ref: refC, Customer: "Carol@Example.com", CreatedAt: t0.Add(5 * time.Hour)})
	f.addTicket(Ticket{Ref: refD, Customer: "jane@example.com", CreatedAt: t0.Add(10 * time.Hour)})
	f.addTicket(Ticket{Ref: refE, Customer: "", CreatedAt: t0.Add(20 * time.Hour)})
	f.addTicket(Ticket{Ref: refX, Customer: "jane@example.com", CreatedAt: t0.Add(30 * time.Hour)})
	f.messages["ours-1@brand.example"] = refA
	f.messages["ours-2@brand.example"] = refB
	f.messages["note_9@gitlab.example"] = refX
	f.keys[keyB] = refB
	f.keys[keyC] = refC
	return f
}

// far is a date no ticket's window reaches.
var far = t0.Add(-1000 * time.Hour)

func TestLinkRules(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		projectID int64 // 0 means project
		noProject bool  // a Linker with ProjectID 0
		mail      Mail
		want      Link
	}{
		// Rule 1.
		{name: "in-reply-to is our message", mail: Mail{InReplyTo: []string{"ours-1@brand.example"}, Date: far},
			want: Link{refA, RuleOurMessageID}},
		{name: "references newest first", mail: Mail{References: []string{"ours-1@brand.example", "ours-2@brand.example"}, Date: far},
			want: Link{refB, RuleOurMessageID}},
		{name: "in-reply-to before references", mail: Mail{InReplyTo: []string{"ours-1@brand.example"}, References: []string{"ours-2@brand.example"}, Date: far},
			want: Link{refA, RuleOurMessageID}},
		{name: "unknown in-reply-to falls to references", mail: Mail{InReplyTo: []string{"x@elsewhere"}, References: []string{"ours-2@brand.example", "y@elsewhere"}, Date: far},
			want: Link{refB, RuleOurMessageID}},
		{name: "references with a comma and no space", mail: Mail{References: []string{"<x@elsewhere>,<ours-2@brand.example>"}, Date: far},
			want: Link{refB, RuleOurMessageID}},
		{name: "bare ids with a comma and no space", mail: Mail{References: []string{"ours-1@brand.example,x@elsewhere"}, Date: far},
			want: Link{refA, RuleOurMessageID}},
		{name: "ids still in brackets", mail: Mail{InReplyTo: []string{" <ours-2@brand.example> "}, Date: far},
			want: Link{refB, RuleOurMessageID}},
		{name: "a reference to itself links nothing", mail: Mail{MessageID: "ours-1@brand.example", InReplyTo: []string{"ours-1@brand.example"}, Date: far},
			want: Link{Rule: RuleNone}},
		{name: "other project's thread", mail: Mail{InReplyTo: []string{"note_9@gitlab.example"}, Date: far},
			want: Link{refX, RuleOurMessageID}},
		{name: "our id beats a reply key", mail: Mail{InReplyTo: []string{"ours-1@brand.example"}, ReplyKeys: []string{keyB}, Date: far},
			want: Link{refA, RuleOurMessageID}},
		{name: "our id beats subject and window", mail: Mail{References: []string{"ours-2@brand.example"}, Subject: "Re: x (#1)", From: "jane@example.com", Date: t0},
			want: Link{refB, RuleOurMessageID}},

		// Rule 2.
		{name: "key of a recipient", mail: Mail{ReplyKeys: []string{keyB}, Date: far},
			want: Link{refB, RuleReplyKey}},
		{name: "recipient address with key", mail: Mail{ReplyKeys: []string{"Acme Support <support+" + keyC + "@acme.example>"}, Date: far},
			want: Link{refC, RuleReplyKey}},
		{name: "reply- id in references", mail: Mail{References: []string{"issue_1@gitlab.example", "reply-" + keyC + "@gitlab.example"}, Date: far},
			want: Link{refC, RuleReplyKey}},
		{name: "reply+ id in in-reply-to", mail: Mail{InReplyTo: []string{"reply+" + keyB + "@appmail.example"}, Date: far},
			want: Link{refB, RuleReplyKey}},
		{name: "reply- id after a comma", mail: Mail{References: []string{"<issue_1@localhost> <reply-" + keyB + "@localhost>,<exchange@microsoft.com>"}, Date: far},
			want: Link{refB, RuleReplyKey}},
		{name: "recipient keys before id keys", mail: Mail{ReplyKeys: []string{keyB}, References: []string{"reply-" + keyC + "@gitlab.example"}, Date: far},
			want: Link{refB, RuleReplyKey}},
		{name: "in-reply-to key before references key", mail: Mail{InReplyTo: []string{"reply-" + keyC + "@g"}, References: []string{"reply-" + keyB + "@g"}, Date: far},
			want: Link{refC, RuleReplyKey}},
		{name: "unknown key falls through to the next key", mail: Mail{ReplyKeys: []string{keyNone, keyC}, Date: far},
			want: Link{refC, RuleReplyKey}},
		{name: "unknown key falls through to subject", mail: Mail{ReplyKeys: []string{keyNone}, Subject: "Re: Card declined (#1)", From: "jane@example.com", Date: far},
			want: Link{refA, RuleSubjectIID}},
		{name: "unknown key falls through to window", mail: Mail{ReplyKeys: []string{keyNone}, From: "bob@example.com", Date: t0.Add(time.Hour)},
			want: Link{refB, RuleCustomerWindow}},
		{name: "upper-case key is no key", mail: Mail{ReplyKeys: []string{strings.ToUpper(keyC)}, Date: far},
			want: Link{Rule: RuleNone}},
		{name: "reply key beats subject", mail: Mail{ReplyKeys: []string{keyB}, Subject: "Re: x (#1)", From: "jane@example.com", Date: far},
			want: Link{refB, RuleReplyKey}},

		// Rule 3.
		{name: "subject iid and sender", mail: Mail{Subject: "Re: Card declined (#1)", From: "jane@example.com", Date: far},
			want: Link{refA, RuleSubjectIID}},
		{name: "subject iid, sender in upper case", mail: Mail{Subject: "Re: Card declined (#1)", From: "JANE@Example.COM", Date: far},
			want: Link{refA, RuleSubjectIID}},
		{name: "subject iid, customer in mixed case", mail: Mail{Subject: "Re: Refund (#3)", From: "carol@example.com", Date: far},
			want: Link{refC, RuleSubjectIID}},
		{name: "subject iid, sender with a display name", mail: Mail{Subject: "Re: Card declined (#1)", From: "Jane Doe <Jane@example.com>", Date: far},
			want: Link{refA, RuleSubjectIID}},
		{name: "several (#n): the last counts", mail: Mail{Subject: "Re: (#1) follow-up (#2)", From: "bob@example.com", Date: far},
			want: Link{refB, RuleSubjectIID}},
		{name: "several (#n): an earlier one is not tried", mail: Mail{Subject: "Re: (#1) follow-up (#2)", From: "jane@example.com", Date: far},
			want: Link{Rule: RuleNone}},
		{name: "subject iid of someone else's ticket", mail: Mail{Subject: "Re: x (#1)", From: "bob@example.com", Date: far},
			want: Link{Rule: RuleNone}},
		{name: "subject iid of no ticket", mail: Mail{Subject: "Re: x (#99)", From: "jane@example.com", Date: far},
			want: Link{Rule: RuleNone}},
		{name: "subject beats window", mail: Mail{Subject: "Re: x (#1)", From: "jane@example.com", Date: t0.Add(10*time.Hour + time.Minute)},
			want: Link{refA, RuleSubjectIID}},
		{name: "empty sender matches no empty customer", mail: Mail{Subject: "Re: x (#6)", Date: t0.Add(20 * time.Hour)},
			want: Link{Rule: RuleNone}},
		{name: "subject iid needs a project", noProject: true, mail: Mail{Subject: "Re: x (#1)", From: "jane@example.com", Date: far},
			want: Link{Rule: RuleNone}},

		// Rule 4.
		{name: "window", mail: Mail{From: "bob@example.com", Date: t0.Add(30 * time.Minute)},
			want: Link{refB, RuleCustomerWindow}},
		{name: "window, sender with a display name in upper case", mail: Mail{From: "Bob <BOB@example.com>", Date: t0.Add(30 * time.Minute)},
			want: Link{refB, RuleCustomerWindow}},
		{name: "window of the mailbox's project only", mail: Mail{From: "jane@example.com", Date: t0.Add(30 * time.Hour)},
			want: Link{Rule: RuleNone}},
		{name: "window needs a date", mail: Mail{From: "bob@example.com"},
			want: Link{Rule: RuleNone}},
		{name: "window needs a project", noProject: true, mail: Mail{From: "bob@example.com", Date: t0.Add(30 * time.Minute)},
			want: Link{Rule: RuleNone}},
		{name: "stranger", mail: Mail{From: "eve@example.com", Date: t0},
			want: Link{Rule: RuleNone}},

		// Auto-replies.
		{name: "auto-reply not linked by window", mail: Mail{From: "bob@example.com", Date: t0.Add(30 * time.Minute), AutoSubmitted: true},
			want: Link{Rule: RuleNone}},
		{name: "auto-reply linked by our id", mail: Mail{InReplyTo: []string{"ours-2@brand.example"}, AutoSubmitted: true},
			want: Link{refB, RuleOurMessageID}},
		{name: "auto-reply linked by key", mail: Mail{ReplyKeys: []string{keyB}, AutoSubmitted: true},
			want: Link{refB, RuleReplyKey}},
		{name: "auto-reply linked by subject", mail: Mail{Subject: "Automatic reply: Re: x (#2)", From: "bob@example.com", AutoSubmitted: true},
			want: Link{refB, RuleSubjectIID}},

		// No project: rules 1 and 2 still apply.
		{name: "no project, our id", noProject: true, mail: Mail{InReplyTo: []string{"ours-1@brand.example"}},
			want: Link{refA, RuleOurMessageID}},
		{name: "no project, key", noProject: true, mail: Mail{ReplyKeys: []string{keyC}},
			want: Link{refC, RuleReplyKey}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l := &Linker{Lookup: world(), ProjectID: project}
			if tt.noProject {
				l.ProjectID = 0
			}
			got, err := l.Link(tt.mail)
			if err != nil {
				t.Fatalf("Link: %v", err)
			}
			if got != tt.want {
				t.Errorf("Link = %+v, want %+v", got, tt.want)
			}
		})
	}
}

// TestLinkOrderOfLookups checks the order the linker asks in, that each id
// and key is asked once, and that it stops at the first match.
func TestLinkOrderOfLookups(t *testing.T) {
	t.Parallel()
	f := world()
	var calls []string
	f.trace = func(c string) { calls = append(calls, c) }
	l := &Linker{Lookup: f, ProjectID: project}
	m := Mail{
		MessageID:  "self@x",
		InReplyTo:  []string{"<c@x>"},
		References: []string{"a@x <b@x>,c@x self@x", "reply-" + keyNone + "@g"},
		ReplyKeys:  []string{keyNone, "to+" + keyNone + "@acme.example"},
		Subject:    "Re: hello (#2)",
		From:       "eve@example.com",
		Date:       t0,
	}
	got, err := l.Link(m)
	if err != nil || got != (Link{Rule: RuleNone}) {
		t.Fatalf("Link = %+v, %v; want none", got, err)
	}
	want := []string{
		"TicketByMessageID c@x",
		"TicketByMessageID reply-" + keyNone + "@g",
		"TicketByMessageID b@x",
		"TicketByMessageID a@x",
		"TicketByReplyKey " + keyNone,
		"Ticket #2",
		"TicketsOfCustomer eve@example.com",
	}
	if !reflect.DeepEqual(calls, want) {
		t.Errorf("calls:\n%s\nwant:\n%s", strings.Join(calls, "\n"), strings.Join(want, "\n"))
	}

	calls = nil
	f.messages["b@x"] = refC
	if got, _ := l.Link(m); got != (Link{refC, RuleOurMessageID}) {
		t.Fatalf("Link = %+v, want C by our-message-id", got)
	}
	if len(calls) != 3 {
		t.Errorf("after a match the linker asked on: %q", calls)
	}
}

func TestLinkWindow(t *testing.T) {
	t.Parallel()
	created := t0.Add(time.Hour) // ticket B, bob
	tests := []struct {
		name          string
		before, after time.Duration
		date          time.Time
		linked        bool
	}{
		{name: "at created_at", date: created, linked: true},
		{name: "exactly 2 h before", date: created.Add(-2 * time.Hour), linked: true},
		{name: "just over 2 h before", date: created.Add(-2*time.Hour - time.Nanosecond)},
		{name: "exactly 10 min after", date: created.Add(10 * time.Minute), linked: true},
		{name: "just over 10 min after", date: created.Add(10*time.Minute + time.Nanosecond)},
		{name: "in another zone", date: created.Add(time.Minute).In(time.FixedZone("EST", -5*3600)), linked: true},
		{name: "custom before, at the bound", before: time.Hour, date: created.Add(-time.Hour), linked: true},
		{name: "custom before, past the bound", before: time.Hour, date: created.Add(-time.Hour - time.Second)},
		{name: "custom after, at the bound", after: time.Minute, date: created.Add(time.Minute), linked: true},
		{name: "custom after, past the bound", after: time.Minute, date: created.Add(time.Minute + time.Second)},
		{name: "negative means default", before: -time.Minute, after: -time.Minute, date: created.Add(-10 * time.Minute), linked: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l := &Linker{Lookup: world(), ProjectID: project, Before: tt.before, After: tt.after}
			got, err := l.Link(Mail{From: "bob@example.com", Date: tt.date})
			if err != nil {
				t.Fatal(err)
			}
			want := Link{Rule: RuleNone}
			if tt.linked {
				want = Link{refB, RuleCustomerWindow}
			}
			if got != want {
				t.Errorf("Link = %+v, want %+v", got, want)
			}
		})
	}
}

func TestLinkWindowNearestWins(t *testing.T) {
	t.Parallel()
	date := t0.Add(100 * time.Hour)
	tests := []struct {
		name    string
		tickets []Ticket // created relative to date
		want    int64
	}{
		{name: "created before the mail and nearer", want: 11, tickets: []Ticket{
			{Ref: TicketRef{project, 10}, CreatedAt: date.Add(5 * time.Minute)},
			{Ref: TicketRef{project, 11}, CreatedAt: date.Add(-time.Minute)},
		}},
		{name: "created before the mail, nearer than one after", want: 10, tickets: []Ticket{
			{Ref: TicketRef{project, 11}, CreatedAt: date.Add(90 * time.Minute)},
			{Ref: TicketRef{project, 10}, CreatedAt: date.Add(-2 * time.Minute)},
		}},
		{name: "tie: the one created after the mail", want: 12, tickets: []Ticket{
			{Ref: TicketRef{project, 12}, CreatedAt: date.Add(3 * time.Minute)},
			{Ref: TicketRef{project, 13}, CreatedAt: date.Add(-3 * time.Minute)},
		}},
		{name: "same instant: the lower iid", want: 14, tickets: []Ticket{
			{Ref: TicketRef{project, 15}, CreatedAt: date},
			{Ref: TicketRef{project, 14}, CreatedAt: date},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFake()
			for _, tk := range tt.tickets {
				tk.Customer = "Sam@Example.com"
				f.addTicket(tk)
			}
			l := &Linker{Lookup: f, ProjectID: project}
			got, err := l.Link(Mail{From: "sam@example.com", Date: date})
			if err != nil {
				t.Fatal(err)
			}
			if want := (Link{TicketRef{project, tt.want}, RuleCustomerWindow}); got != want {
				t.Errorf("Link = %+v, want %+v", got, want)
			}
		})
	}
}

// TestLinkWindowChecksTheStore: a store that returns too much (out of the
// window, another customer, another project) does not make a link.
func TestLinkWindowChecksTheStore(t *testing.T) {
	t.Parallel()
	f := newFake()
	f.sloppy = true
	f.addTicket(Ticket{Ref: TicketRef{project, 1}, Customer: "sam@example.com", CreatedAt: t0.Add(-3 * time.Hour)})
	f.byCustomer[customerKey(project, "sam@example.com")] = append(f.byCustomer[customerKey(project, "sam@example.com")],
		Ticket{Ref: TicketRef{project, 2}, Customer: "other@example.com", CreatedAt: t0},
		Ticket{Ref: TicketRef{project + 1, 3}, Customer: "sam@example.com", CreatedAt: t0})
	l := &Linker{Lookup: f, ProjectID: project}
	got, err := l.Link(Mail{From: "sam@example.com", Date: t0})
	if err != nil || got != (Link{Rule: RuleNone}) {
		t.Errorf("Link = %+v, %v; want none", got, err)
	}
}

var errStore = errors.New("database is locked")

func TestLinkLookupErrors(t *testing.T) {
	t.Parallel()
	// Each mail would be linked by a later rule if the failing one were
	// skipped: the error must win.
	tests := []struct {
		method, context string
		mail            Mail
	}{
		{"TicketByMessageID", `look up Message-ID "x@y"`,
			Mail{MessageID: "m@z", InReplyTo: []string{"x@y"}, ReplyKeys: []string{keyB}}},
		{"TicketByReplyKey", "look up reply key 1 of 1",
			Mail{ReplyKeys: []string{keyNone}, Subject: "Re: (#1)", From: "jane@example.com"}},
		{"Ticket", "look up ticket #1 of project 7",
			Mail{Subject: "Re: (#1)", From: "jane@example.com", Date: t0}},
		{"TicketsOfCustomer", "look up the sender's tickets of project 7",
			Mail{From: "jane@example.com", Date: t0}},
	}
	for _, tt := range tests {
		t.Run(tt.method, func(t *testing.T) {
			t.Parallel()
			f := world()
			f.fail = func(method string) error {
				if method == tt.method {
					return errStore
				}
				return nil
			}
			l := &Linker{Lookup: f, ProjectID: project}
			got, err := l.Link(tt.mail)
			if !errors.Is(err, errStore) {
				t.Fatalf("Link error = %v, want one wrapping %v", err, errStore)
			}
			if got != (Link{}) {
				t.Errorf("Link = %+v with an error, want the zero Link", got)
			}
			if !strings.Contains(err.Error(), tt.context) {
				t.Errorf("error %q lacks context %q", err, tt.context)
			}
			if strings.Contains(err.Error(), keyNone) || strings.Contains(err.Error(), keyB) {
				t.Errorf("error %q names a reply key", err)
			}
		})
	}
}

func TestLinkWithoutLookup(t *testing.T) {
	t.Parallel()
	for _, l := range []*Linker{nil, {ProjectID: project}} {
		if _, err := l.Link(Mail{From: "a@b"}); err == nil {
			t.Errorf("Link on %+v: no error", l)
		}
	}
}

// BenchmarkLink links a mix of mail (each rule and unlinked) against a
// map-backed store of 10,000 tickets.
func BenchmarkLink(b *testing.B) {
	f := newFake()
	const n = 10000
	for i := int64(1); i <= n; i++ {
		ref := TicketRef{project, i}
		cust := fmt.Sprintf("customer%d@example.com", i)
		f.addTicket(Ticket{Ref: ref, Customer: cust, CreatedAt: t0.Add(time.Duration(i) * time.Hour)})
		f.messages[fmt.Sprintf("ours-%d@brand.example", i)] = ref
		f.keys[fmt.Sprintf("%032x", i)] = ref
	}
	var mails []Mail
	for i := int64(1); i <= 1000; i++ {
		created := t0.Add(time.Duration(i) * time.Hour)
		cust := fmt.Sprintf("Customer%d@Example.com", i)
		refs := []string{"x1@gmail.com", "x2@gmail.com", fmt.Sprintf("ours-%d@brand.example", i), "x3@gmail.com"}
		mails = append(mails,
			Mail{MessageID: "a@m", InReplyTo: []string{"x3@gmail.com"}, References: refs, Subject: "Re: hi", From: cust, Date: created},
			Mail{MessageID: "b@m", ReplyKeys: []string{fmt.Sprintf("%032x", i)}, References: []string{"x1@gmail.com"}, From: cust, Date: created},
			Mail{MessageID: "c@m", Subject: fmt.Sprintf("Re: Card declined (#%d)", i), From: cust, Date: created.Add(-100 * time.Hour)},
			Mail{MessageID: "d@m", Subject: "Help", From: cust, Date: created.Add(-time.Minute)},
			Mail{MessageID: "e@m", Subject: "Spam", From: "stranger@example.com", Date: created},
		)
	}
	l := &Linker{Lookup: f, ProjectID: project}
	links := 0
	for b.Loop() {
		if _, err := l.Link(mails[links%len(mails)]); err != nil {
			b.Fatal(err)
		}
		links++
	}
	b.ReportMetric(float64(links)/b.Elapsed().Seconds(), "links/s")
}
