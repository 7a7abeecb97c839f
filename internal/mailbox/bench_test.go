package mailbox_test

import (
	"bytes"
	"context"
	"testing"

	"servicedesk/internal/linker"
	"servicedesk/internal/mailbox"
	"servicedesk/internal/mailparse"
	"servicedesk/internal/model"
	"servicedesk/internal/sandbox"
	"servicedesk/internal/store"
)

// BenchmarkParseLinkIndex is issue 5's per-message budget (2,000 messages a
// second on one core): parse a typical mail of the sandbox, link it to its
// ticket and store and index it. Run with -cpu 1.
func BenchmarkParseLinkIndex(b *testing.B) {
	ctx := context.Background()
	w := sandbox.NewWorld(sandbox.Options{Seed: 4, Tickets: 600})
	st, err := store.Open(ctx, b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	a, _ := st.CreateAccount(ctx, model.Account{Kind: "gitlab", Name: "b", URL: "http://127.0.0.1"})
	p, _ := st.UpsertProject(ctx, model.Project{AccountID: a.ID, GitLabID: 42, Path: "acme/support", Name: "Support"})
	var batch []store.TicketWithNotes
	for _, is := range w.Issues() {
		batch = append(batch, store.TicketWithNotes{Ticket: model.Ticket{GitLabID: is.ID, IID: is.IID, Title: is.Title,
			Description: is.Description, State: is.State, Customer: is.Customer.Email, CreatedAt: is.CreatedAt, UpdatedAt: is.UpdatedAt}})
	}
	if err := st.SaveTickets(ctx, p.ID, batch, "", ""); err != nil {
		b.Fatal(err)
	}
	mb, _ := st.CreateAccount(ctx, model.Account{Kind: model.AccountIMAP, Name: "inbox"})
	f, _ := st.Folder(ctx, mb.ID, "INBOX", "")
	mails := w.Mails(sandbox.FolderInbox)
	l := &linker.Linker{Lookup: mailbox.NewLookup(ctx, st), ProjectID: p.ID}
	uid := uint32(0)
	pending := make([]model.Message, 0, 100)
	b.ResetTimer()
	for b.Loop() {
		m := mails[int(uid)%len(mails)]
		uid++
		pm, err := mailparse.Parse(bytes.NewReader(m.Raw), mailparse.Options{})
		if err != nil {
			b.Fatal(err)
		}
		link, err := l.Link(linker.Mail{MessageID: pm.MessageID, InReplyTo: pm.InReplyTo, References: pm.References,
			Subject: pm.Subject, From: pm.From.Email, Date: pm.Date, ReplyKeys: pm.ReplyKeys, AutoSubmitted: pm.AutoSubmitted})
		if err != nil {
			b.Fatal(err)
		}
		msg := model.Message{UIDValidity: 1, UID: uid, MessageID: pm.MessageID, Subject: pm.Subject, RawSHA256: "x",
			From: model.MailAddress{Name: pm.From.Name, Email: pm.From.Email}, Date: pm.Date, Text: pm.Text, Stripped: pm.Stripped,
			LinkRule: string(link.Rule), ProjectID: link.Ticket.ProjectID}
		if link.Rule != linker.RuleNone {
			iid := link.Ticket.IID
			msg.Ticket = &iid
		}
		if pending = append(pending, msg); len(pending) == cap(pending) { // the sync's batches
			if _, err := st.SaveMessages(ctx, f.ID, pending); err != nil {
				b.Fatal(err)
			}
			pending = pending[:0]
		}
	}
	if _, err := st.SaveMessages(ctx, f.ID, pending); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}
