package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"servicedesk/internal/model"
)

func iidsOf(p TicketPage) []int64 {
	var out []int64
	for _, t := range p.Tickets {
		out = append(out, t.IID)
	}
	return out
}

// listFixture stores five tickets with known customers, labels, assignees,
// dates and last words.
func listFixture(t *testing.T) (*Store, model.Project) {
	t.Helper()
	s, _ := openTest(t)
	p := seedProject(t, s)
	mk := func(iid int64, customer string, labels, assignees []string, created time.Time, lastBy string, body string) TicketWithNotes {
		tk := model.Ticket{GitLabID: 100 + iid, IID: iid, Title: fmt.Sprintf("Ticket %d", iid), State: model.StateOpened,
			Customer: customer, Description: body, Labels: labels, Assignees: assignees, CreatedAt: created, UpdatedAt: created.Add(time.Hour)}
		notes := []model.Note{{ID: 1000 + iid, Author: lastBy, Body: "note of " + tk.Title, CreatedAt: created.Add(time.Hour)}}
		return TicketWithNotes{Ticket: tk, NotesRead: true, Notes: notes}
	}
	batch := []TicketWithNotes{
		mk(1, "ana@northwind.example", []string{"billing"}, []string{"alex"}, t0, model.SupportBot, "invoice is wrong"),
		mk(2, "bo@contoso.example", []string{"billing", "Refund"}, nil, t0.Add(24*time.Hour), "alex", "please refund me"),
		mk(3, "cy@northwind.example", []string{"bug"}, []string{"priya"}, t0.Add(48*time.Hour), model.SupportBot, "crash on export"),
		mk(4, "di@gmail.example", nil, nil, t0.Add(72*time.Hour), model.SupportBot, "refund for the crash"),
		mk(5, "ed@contoso.example", []string{"spam"}, nil, t0.Add(96*time.Hour), model.SupportBot, "win a prize"),
	}
	closed := batch[4].Ticket
	closed.State = model.StateClosed
	batch[4].Ticket = closed
	if err := s.SaveTickets(context.Background(), p.ID, batch, "", ""); err != nil {
		t.Fatal(err)
	}
	return s, p
}

func TestListTicketsFiltersSortsAndPages(t *testing.T) {
	t.Parallel()
	s, _ := listFixture(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		f    model.TicketFilter
		want []int64
	}{
		{"all, latest activity first", model.TicketFilter{}, []int64{5, 4, 3, 2, 1}},
		{"open", model.TicketFilter{State: model.StateOpened}, []int64{4, 3, 2, 1}},
		{"from a domain", model.TicketFilter{Customer: []string{"northwind"}}, []int64{3, 1}},
		{"label, any case", model.TicketFilter{Labels: []string{"refund"}}, []int64{2}},
		{"two labels", model.TicketFilter{Labels: []string{"billing", "refund"}}, []int64{2}},
		{"not a label", model.TicketFilter{NotLabels: []string{"billing"}, State: model.StateOpened}, []int64{4, 3}},
		{"assignee", model.TicketFilter{Assignee: "PRIYA"}, []int64{3}},
		{"unassigned", model.TicketFilter{Unassigned: true, State: model.StateOpened}, []int64{4, 2}},
		{"created window", model.TicketFilter{CreatedAfter: t0.Add(24 * time.Hour), CreatedBefore: t0.Add(72 * time.Hour)}, []int64{3, 2}},
		{"needs reply", model.TicketFilter{NeedsReply: true}, []int64{4, 3, 1}},
		{"oldest first", model.TicketFilter{State: model.StateOpened, Sort: model.SortOldest}, []int64{1, 2, 3, 4}},
		{"waiting longest first", model.TicketFilter{Sort: model.SortWaiting}, []int64{1, 3, 4, 2, 5}},
		{"second page", model.TicketFilter{Offset: 2, Limit: 2}, []int64{3, 2}},
		{"text in a note", model.TicketFilter{Query: "note ticket 3"}, []int64{3}},
		{"text and filter", model.TicketFilter{Query: "refund", Unassigned: true, State: model.StateOpened}, []int64{4, 2}},
		{"contradiction", model.TicketFilter{None: true}, nil},
	} {
		p, err := s.ListTickets(ctx, tc.f)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := iidsOf(p); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
		if tc.f.Limit == 0 && p.Total != len(tc.want) {
			t.Errorf("%s: total %d, want %d", tc.name, p.Total, len(tc.want))
		}
	}
	p, _ := s.ListTickets(ctx, model.TicketFilter{Offset: 2, Limit: 2})
	if p.Total != 5 {
		t.Errorf("a page's total: %d, want 5", p.Total)
	}
	p, _ = s.ListTickets(ctx, model.TicketFilter{Query: "crash"})
	if !slices.Equal(iidsOf(p), []int64{4, 3}) || !strings.Contains(p.Matches[p.Tickets[0].ID], "[crash]") {
		t.Errorf("search crash: %v, matches %v", iidsOf(p), p.Matches)
	}
}

// A ticket is unread while the customer's newest message is newer than the
// agent's last reading; replying (our last word) leaves nothing unread.
func TestUnread(t *testing.T) {
	t.Parallel()
	s, p := listFixture(t)
	ctx := context.Background()
	unread := func() []int64 {
		pg, err := s.ListTickets(ctx, model.TicketFilter{Unread: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, tk := range pg.Tickets {
			if !pg.Unread[tk.ID] {
				t.Errorf("#%d listed as unread but not marked", tk.IID)
			}
		}
		return iidsOf(pg)
	}
	if got := unread(); !slices.Equal(got, []int64{5, 4, 3, 1}) {
		t.Fatalf("unread at first: %v", got)
	}
	if err := s.MarkRead(ctx, p.ID, 3, true); err != nil {
		t.Fatal(err)
	}
	if got := unread(); !slices.Equal(got, []int64{5, 4, 1}) {
		t.Fatalf("after reading #3: %v", got)
	}
	// The customer writes again: #3 is unread again.
	tk, _ := s.Ticket(ctx, p.ID, 3)
	notes, _ := s.Notes(ctx, tk.ID)
	later := time.Now().Add(time.Minute)
	notes = append(notes, model.Note{ID: 9999, Author: model.SupportBot, Body: "any news?", CreatedAt: later})
	tk.UpdatedAt = later
	if err := s.SaveTickets(ctx, p.ID, []TicketWithNotes{{Ticket: tk, NotesRead: true, Notes: notes}}, "", ""); err != nil {
		t.Fatal(err)
	}
	if got := unread(); !slices.Contains(got, 3) {
		t.Fatalf("a new customer message left #3 read: %v", got)
	}
	if err := s.MarkRead(ctx, p.ID, 1, false); err != nil {
		t.Fatal(err)
	}
}

func TestSavedViewsAndSettings(t *testing.T) {
	t.Parallel()
	s, _ := openTest(t)
	ctx := context.Background()
	a, err := s.SaveView(ctx, SavedView{Name: "Refunds", Query: "label:refund is:open"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveView(ctx, SavedView{Name: "VIP", Query: "from:bigco.example"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveView(ctx, SavedView{Name: "Refunds", Query: "x"}); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Fatalf("a second Refunds: %v", err)
	}
	a.Query = "label:refund"
	if _, err := s.SaveView(ctx, a); err != nil {
		t.Fatal(err)
	}
	vs, _ := s.SavedViews(ctx)
	if len(vs) != 2 || vs[0].Name != "Refunds" || vs[0].Query != "label:refund" || vs[1].Name != "VIP" {
		t.Fatalf("views %+v", vs)
	}
	if err := s.DeleteView(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if vs, _ := s.SavedViews(ctx); len(vs) != 1 {
		t.Fatalf("after delete: %+v", vs)
	}

	type prefs struct{ W, H int }
	var got prefs
	if ok, err := s.Setting(ctx, "window", &got); ok || err != nil {
		t.Fatalf("unset setting: %v %v", ok, err)
	}
	if err := s.SetSetting(ctx, "window", prefs{1400, 900}); err != nil {
		t.Fatal(err)
	}
	if ok, err := s.Setting(ctx, "window", &got); !ok || err != nil || got != (prefs{1400, 900}) {
		t.Fatalf("setting: %+v %v %v", got, ok, err)
	}
}

// Mail without a ticket lists inbound mail only, once, and stops listing
// mail that is linked or dismissed.
func TestUnlinkedMail(t *testing.T) {
	t.Parallel()
	s, p := listFixture(t)
	ctx := context.Background()
	mb, _ := s.CreateAccount(ctx, model.Account{Kind: model.AccountIMAP, Name: "inbox"})
	inbox, _ := s.Folder(ctx, mb.ID, "INBOX", "")
	sent, _ := s.Folder(ctx, mb.ID, "Sent", `\Sent`)
	save := func(f Folder, uid uint32, id, subject string) {
		if _, err := s.SaveMessage(ctx, f.ID, model.Message{UIDValidity: 1, UID: uid, MessageID: id, Subject: subject,
			Text: "hello " + subject, RawSHA256: "r" + id, LinkRule: model.LinkNone}); err != nil {
			t.Fatal(err)
		}
	}
	save(inbox, 1, "a@x", "Question about plans")
	save(inbox, 2, "b@x", "Newsletter")
	save(sent, 1, "c@x", "Our own mail")
	list := func() []string {
		ms, err := s.Messages(ctx, MessageFilter{Unlinked: true, Inbound: true})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, m := range ms {
			ids = append(ids, m.MessageID)
		}
		slices.Sort(ids)
		n, err := s.CountUnlinkedMail(ctx)
		if err != nil || n != len(ids) {
			t.Fatalf("count %d, %v; listed %v", n, err, ids)
		}
		return ids
	}
	if got := list(); !slices.Equal(got, []string{"a@x", "b@x"}) {
		t.Fatalf("unlinked: %v", got)
	}
	if err := s.DismissMail(ctx, "b@x", true); err != nil {
		t.Fatal(err)
	}
	if err := s.LinkMessages(ctx, []MessageLink{{MessageID: "a@x", ProjectID: p.ID, IID: 2, Rule: model.LinkManual}}, nil); err != nil {
		t.Fatal(err)
	}
	if got := list(); len(got) != 0 {
		t.Fatalf("after dismiss and link: %v", got)
	}
	// The linked mail's words now find its ticket.
	pg, err := s.ListTickets(ctx, model.TicketFilter{Query: "plans"})
	if err != nil || !slices.Equal(iidsOf(pg), []int64{2}) || !strings.Contains(pg.Matches[pg.Tickets[0].ID], "[plans]") {
		t.Fatalf("search through a linked mail: %v %v %v", iidsOf(pg), pg.Matches, err)
	}
	if err := s.DismissMail(ctx, "b@x", false); err != nil {
		t.Fatal(err)
	}
	if got := list(); !slices.Equal(got, []string{"b@x"}) {
		t.Fatalf("after undismiss: %v", got)
	}
}

// A ticket answered by mail through the app (recorded as an internal note)
// waits on the customer; it no longer needs a reply.
func TestMailedReplyAnswersTheTicket(t *testing.T) {
	t.Parallel()
	s, p := listFixture(t)
	ctx := context.Background()
	tk, _ := s.Ticket(ctx, p.ID, 1)
	notes, _ := s.Notes(ctx, tk.ID)
	at := notes[len(notes)-1].CreatedAt.Add(time.Hour)
	notes = append(notes, model.Note{ID: 5555, Author: "alex", Internal: true, CreatedAt: at,
		Body: model.MailedReplyNote("r@acme.example", "We fixed the invoice.")})
	tk.UpdatedAt = at
	if err := s.SaveTickets(ctx, p.ID, []TicketWithNotes{{Ticket: tk, NotesRead: true, Notes: notes}}, "", ""); err != nil {
		t.Fatal(err)
	}
	pg, err := s.ListTickets(ctx, model.TicketFilter{Waiting: true})
	if err != nil || !slices.Contains(iidsOf(pg), 1) {
		t.Fatalf("waiting: %v %v", iidsOf(pg), err)
	}
	got, _ := s.Ticket(ctx, p.ID, 1)
	if got.Snippet != "We fixed the invoice." {
		t.Errorf("snippet %q", got.Snippet)
	}
}
