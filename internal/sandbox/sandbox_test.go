package sandbox

import (
	"context"
	"encoding/json"
	"net/mail"
	"net/smtp"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	gitlab "gitlab.com/gitlab-org/api/client-go"
)

func dump(t *testing.T, w *World) string {
	t.Helper()
	var notes [][]Note
	for _, is := range w.Issues() {
		notes = append(notes, w.Notes(is.IID))
	}
	b, err := json.Marshal(map[string]any{"issues": w.Issues(), "notes": notes, "mails": w.Mails(""), "token": w.Token()})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestWorldDeterministic(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	a, b := NewWorld(Options{Seed: 3, Now: now}), NewWorld(Options{Seed: 3, Now: now})
	if dump(t, a) != dump(t, b) {
		t.Fatal("same seed gave different worlds")
	}
	if dump(t, a) == dump(t, NewWorld(Options{Seed: 4, Now: now})) {
		t.Fatal("different seeds gave the same world")
	}
	for _, is := range a.Issues() {
		last := is.CreatedAt
		for _, n := range a.Notes(is.IID) {
			if n.CreatedAt.Before(is.CreatedAt) || n.CreatedAt.After(now) {
				t.Fatalf("#%d note %d at %s outside [%s, %s]", is.IID, n.ID, n.CreatedAt, is.CreatedAt, now)
			}
			if n.CreatedAt.After(last) {
				last = n.CreatedAt
			}
		}
		if !is.UpdatedAt.Equal(last) || (is.State == "closed") != (is.ClosedAt != nil) {
			t.Fatalf("#%d updated_at %s, last activity %s, state %s", is.IID, is.UpdatedAt, last, is.State)
		}
	}
}

func startSandbox(t *testing.T, opts Options) *Sandbox {
	t.Helper()
	s, err := Start(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	})
	return s
}

func TestIMAPMailbox(t *testing.T) {
	t.Parallel()
	s := startSandbox(t, Options{Seed: 5, Tickets: 80})
	info := s.Info()
	c, err := imapclient.DialInsecure(info.IMAPAddr, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Login(info.IMAPUser, info.IMAPPassword).Wait(); err != nil {
		t.Fatal(err)
	}
	boxes, err := c.List("", "*", nil).Collect()
	if err != nil {
		t.Fatal(err)
	}
	sent := ""
	for _, b := range boxes {
		for _, a := range b.Attrs {
			if a == imap.MailboxAttrSent {
				sent = b.Mailbox
			}
		}
	}
	if sent != FolderSent {
		t.Fatalf("no \\Sent folder in %v", boxes)
	}
	w := s.World()
	want := 0
	followups := 0
	for _, is := range w.Issues() {
		want++ // the original mail
		for _, n := range w.Notes(is.IID) {
			if n.AuthorID == w.Bot().ID {
				want++
				followups++
			}
		}
	}
	want += 6 // five mails GitLab never ticketed, one auto-reply
	sel, err := c.Select("INBOX", nil).Wait()
	if err != nil {
		t.Fatal(err)
	}
	if int(sel.NumMessages) != want || followups == 0 {
		t.Fatalf("INBOX has %d messages, want %d (%d follow-ups)", sel.NumMessages, want, followups)
	}
	// Find a follow-up and check its threading headers.
	var fu Mail
	for _, m := range w.Mails(FolderInbox) {
		if m.Kind == "followup" {
			fu = m
			break
		}
	}
	crit := &imap.SearchCriteria{Header: []imap.SearchCriteriaHeaderField{{Key: "Message-ID", Value: fu.MessageID}}}
	found, err := c.Search(crit, nil).Wait()
	if err != nil || len(found.AllSeqNums()) != 1 {
		t.Fatalf("search follow-up %s: %v %v", fu.MessageID, err, found)
	}
	msgs, err := c.Fetch(imap.SeqSetNum(found.AllSeqNums()[0]), &imap.FetchOptions{BodySection: []*imap.FetchItemBodySection{{}}}).Collect()
	if err != nil || len(msgs) != 1 {
		t.Fatalf("fetch: %v", err)
	}
	raw := msgs[0].FindBodySection(&imap.FetchItemBodySection{})
	m, err := mail.ReadMessage(strings.NewReader(string(raw)))
	if err != nil {
		t.Fatal(err)
	}
	is, _ := w.Issue(fu.IssueIID)
	key := regexp.MustCompile(`\+([0-9a-f]{32})@`).FindStringSubmatch(m.Header.Get("To"))
	if key == nil || key[1] != is.ReplyKey {
		t.Errorf("To %q has no reply key %s", m.Header.Get("To"), is.ReplyKey)
	}
	if !strings.Contains(m.Header.Get("References"), "<reply-"+is.ReplyKey+"@gitlab.example>") ||
		!strings.HasPrefix(m.Header.Get("In-Reply-To"), "<note_") {
		t.Errorf("threading headers: In-Reply-To %q References %q", m.Header.Get("In-Reply-To"), m.Header.Get("References"))
	}
	st, err := c.Status(FolderSent, &imap.StatusOptions{NumMessages: true}).Wait()
	if err != nil || int(*st.NumMessages) != len(w.Mails(FolderSent)) || *st.NumMessages == 0 {
		t.Errorf("Sent: %v %v", err, st)
	}
}

func TestSMTPSend(t *testing.T) {
	t.Parallel()
	s := startSandbox(t, Options{Seed: 2, Tickets: 10})
	info := s.Info()
	host, _, _ := strings.Cut(info.SMTPAddr, ":")
	inboxBefore := len(s.World().Mails(FolderInbox))
	msg := "From: Acme Support <support@acme.com>\r\nTo: zoe.mueller@baeckerei-mueller.de\r\nSubject: Re: VAT\r\n\r\nHello Zoë\r\n"
	auth := smtp.PlainAuth("", info.SMTPUser, info.SMTPPassword, host)
	if err := smtp.SendMail(info.SMTPAddr, auth, info.BrandAddress, []string{"zoe.mueller@baeckerei-mueller.de", info.BrandAddress}, []byte(msg)); err != nil {
		t.Fatal(err)
	}
	sent := s.SentMail()
	if len(sent) != 1 || sent[0].From != info.BrandAddress || len(sent[0].To) != 2 || !strings.Contains(string(sent[0].Data), "Hello Zoë") {
		t.Fatalf("SentMail = %+v", sent)
	}
	if got := len(s.World().Mails(FolderInbox)); got != inboxBefore+1 {
		t.Errorf("INBOX %d → %d, want the copy to the brand address", inboxBefore, got)
	}
	bad := smtp.PlainAuth("", info.SMTPUser, "wrong", host)
	if err := smtp.SendMail(info.SMTPAddr, bad, info.BrandAddress, []string{"a@b.example"}, []byte(msg)); err == nil {
		t.Error("wrong SMTP password accepted")
	}
}

func TestActivity(t *testing.T) {
	t.Parallel()
	s := startSandbox(t, Options{Seed: 9, Tickets: 15, Activity: 20 * time.Millisecond})
	c, err := gitlab.NewClient(s.Info().GitLabToken, gitlab.WithBaseURL(s.Info().GitLabURL))
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		list, _, err := c.Issues.ListProjectIssues(s.Info().Project, &gitlab.ListProjectIssuesOptions{ListOptions: gitlab.ListOptions{PerPage: 100}})
		if err != nil {
			t.Fatal(err)
		}
		if len(list) > 15 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no new ticket; still %d", len(list))
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal("second Close:", err)
	}
}
