package service

import (
	"context"
	"strconv"
	"testing"

	"servicedesk/internal/model"
	"servicedesk/internal/sandbox"
)

// The sandbox's mailbox synced after its GitLab: every mail GitLab made
// into a ticket (or sent for one) is linked to that ticket, and the mail it
// never made into a ticket is listed as unlinked.
func TestMailIsLinkedToItsTickets(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	a, err := f.svc.SaveGitLab(ctx, f.gitlabForm())
	if err != nil {
		t.Fatal(err)
	}
	p, _ := f.svc.ProjectOf(ctx, a.ID)
	mb := f.mailboxForm(t, f.info.IMAPPassword)
	mb.ProjectID = p.ID
	if _, err := f.svc.SaveMailbox(ctx, mb); err != nil {
		t.Fatal(err)
	}
	res, err := f.svc.Sync(ctx, SyncOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 2 || res[1].MessagesNew == 0 {
		t.Fatalf("sync results %+v: want the project's and the mailbox's", res)
	}
	msgs, err := f.svc.Messages(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]sandbox.Mail{}
	for _, m := range f.sb.World().Mails("") {
		want[m.MessageID] = m
	}
	if len(msgs) != len(want) {
		t.Fatalf("%d messages stored, the sandbox has %d", len(msgs), len(want))
	}
	rules := map[string]int{}
	for _, m := range msgs {
		w, ok := want[m.MessageID]
		if !ok {
			t.Fatalf("stored message %s is not the sandbox's", m.MessageID)
		}
		rules[m.LinkRule]++
		switch {
		case w.IssueIID == 0 && m.Ticket != nil && w.Kind != "autoreply":
			t.Errorf("%s (%s) linked to #%d by %s; GitLab never made it a ticket", m.MessageID, w.Kind, *m.Ticket, m.LinkRule)
		case w.IssueIID != 0 && (m.Ticket == nil || *m.Ticket != w.IssueIID):
			got := "nothing"
			if m.Ticket != nil {
				got = "#" + strconv.FormatInt(*m.Ticket, 10)
			}
			t.Errorf("%s (%s of #%d) linked to %s by %s", m.MessageID, w.Kind, w.IssueIID, got, m.LinkRule)
		}
	}
	unlinked, _ := f.svc.Messages(ctx, true)
	if len(unlinked) == 0 || rules[model.LinkNone] != len(unlinked) {
		t.Fatalf("unlinked: %d listed, %d counted", len(unlinked), rules[model.LinkNone])
	}
	t.Logf("links by rule: %v", rules)
}
