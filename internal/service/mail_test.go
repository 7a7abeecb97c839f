package service

import (
	"bytes"
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"servicedesk/internal/model"
	"servicedesk/internal/sandbox"
)

// connectAll saves the sandbox's GitLab account and its mailbox, tied to
// the project, and returns the project.
func (f *fixture) connectAll(t testing.TB) model.Project {
	t.Helper()
	ctx := context.Background()
	a, err := f.svc.SaveGitLab(ctx, f.gitlabForm())
	if err != nil {
		t.Fatal(err)
	}
	p, err := f.svc.ProjectOf(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	mb := f.mailboxForm(t, f.info.IMAPPassword)
	mb.ProjectID = p.ID
	if _, err := f.svc.SaveMailbox(ctx, mb); err != nil {
		t.Fatal(err)
	}
	return p
}

// The sandbox's mailbox synced after its GitLab: every mail GitLab made
// into a ticket (or sent for one) is linked to that ticket, and the mail it
// never made into a ticket is listed as unlinked.
func TestMailIsLinkedToItsTickets(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	f.connectAll(t)
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

// A ticket's thread shows its mail; the HTML comes sanitized and an
// attachment streams out of the stored raw message unchanged.
func TestThreadMailHTMLAndAttachments(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	p := f.connectAll(t)
	if _, err := f.svc.Sync(ctx, SyncOptions{}); err != nil {
		t.Fatal(err)
	}
	msgs, _ := f.svc.Messages(ctx, false)
	var withFile, withHTML *model.Message
	for i := range msgs {
		if msgs[i].Ticket != nil && len(msgs[i].Attachments) > 0 && withFile == nil {
			withFile = &msgs[i]
		}
		if msgs[i].Ticket != nil && msgs[i].HasHTML && withHTML == nil {
			withHTML = &msgs[i]
		}
	}
	if withFile == nil || withHTML == nil {
		t.Fatal("the sandbox has no linked mail with an attachment and HTML")
	}
	d, err := f.svc.Ticket(ctx, p.ID, *withFile.Ticket)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for i, e := range d.Thread {
		if i > 0 && e.CreatedAt.Before(d.Thread[i-1].CreatedAt) {
			t.Fatal("thread out of time order")
		}
		if e.Kind == model.KindMail && e.MessageID == withFile.MessageID && len(e.Attachments) == len(withFile.Attachments) {
			found = true
		}
	}
	if !found {
		t.Fatalf("the thread of #%d lacks its mail %s", *withFile.Ticket, withFile.MessageID)
	}
	var buf bytes.Buffer
	att, err := f.svc.WriteAttachment(ctx, withFile.MessageID, 0, &buf)
	if err != nil {
		t.Fatal(err)
	}
	magic := map[string]string{"application/pdf": "%PDF-", "image/png": "\x89PNG"}[att.ContentType]
	if int64(buf.Len()) != att.Size || magic == "" || !bytes.HasPrefix(buf.Bytes(), []byte(magic)) {
		t.Fatalf("attachment %s (%s): wrote %d bytes starting %q, listed %d", att.Name, att.ContentType, buf.Len(), buf.Bytes()[:min(8, buf.Len())], att.Size)
	}
	h, err := f.svc.MessageHTML(ctx, withHTML.MessageID)
	if err != nil || h.HTML == "" || strings.Contains(strings.ToLower(h.HTML), "<script") {
		t.Fatalf("HTML of %s: %q %v", withHTML.MessageID, h.HTML, err)
	}
}

// An inline cid: image reaches the frame as a data: URL; nothing remote.
func TestMessageHTMLInlinesCIDImages(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	png := "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
	raw := "From: Zoe <zoe@example.org>\r\nTo: support@acme.com\r\nSubject: logo broken\r\nMessage-ID: <cid-test@example.org>\r\n" +
		"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=b1\r\n\r\n" +
		"--b1\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>See <img src=\"cid:logo@x\"> and <img src=\"https://tracker.example/p.gif\"></p>\r\n" +
		"--b1\r\nContent-Type: image/png\r\nContent-ID: <logo@x>\r\nContent-Transfer-Encoding: base64\r\n\r\n" + png + "\r\n--b1--\r\n"
	sum, size, err := f.svc.store.WriteBlob(strings.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	mb, _ := f.svc.store.CreateAccount(ctx, model.Account{Kind: model.AccountIMAP, Name: "inbox"})
	folder, _ := f.svc.store.Folder(ctx, mb.ID, "INBOX", "")
	if _, err := f.svc.store.SaveMessage(ctx, folder.ID, model.Message{UIDValidity: 1, UID: 1, MessageID: "cid-test@example.org",
		RawSHA256: sum, Size: size, HasHTML: true, LinkRule: model.LinkNone}); err != nil {
		t.Fatal(err)
	}
	h, err := f.svc.MessageHTML(ctx, "cid-test@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(h.HTML, `src="data:image/png;base64,`+png+`"`) || strings.Contains(h.HTML, "tracker.example") || h.RemoteImages != 1 {
		t.Fatalf("HTML %q (remote images %d): want the cid image inline and the remote one gone", h.HTML, h.RemoteImages)
	}
}

// storeMail stores a raw HTML message in a mailbox folder as a sync would.
func storeMail(t *testing.T, f *fixture, folderID int64, uid uint32, messageID, from, raw string) {
	t.Helper()
	ctx := context.Background()
	sum, size, err := f.svc.store.WriteBlob(strings.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.store.SaveMessage(ctx, folderID, model.Message{UIDValidity: 1, UID: uid, MessageID: messageID,
		From: model.MailAddress{Email: from}, RawSHA256: sum, Size: size, HasHTML: true, LinkRule: model.LinkNone}); err != nil {
		t.Fatal(err)
	}
}

// Remote images stay out until the agent allows them for the mail, and then
// for the mail only; allowed for the sender, every mail of that address
// shows them. Whatever is allowed, nothing of the mail runs.
func TestMessageHTMLRemoteImagesOnceAllowed(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	mb, _ := f.svc.store.CreateAccount(ctx, model.Account{Kind: model.AccountIMAP, Name: "inbox"})
	folder, _ := f.svc.store.Folder(ctx, mb.ID, "INBOX", "")
	png := "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
	mail := func(id, from string) string {
		return "From: " + from + "\r\nTo: support@acme.com\r\nSubject: newsletter\r\nMessage-ID: <" + id + ">\r\n" +
			"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=b1\r\n\r\n" +
			"--b1\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" +
			`<p style="background:url(https://img.example/bg.png)">Hi <img src="cid:logo@x"> <img src="https://img.example/p.gif" onerror="alert(1)">` +
			`<img src="http://192.168.1.1/reboot"><script>alert(2)</script><iframe src="https://evil.example/"></iframe></p>` + "\r\n" +
			"--b1\r\nContent-Type: image/png\r\nContent-ID: <logo@x>\r\nContent-Transfer-Encoding: base64\r\n\r\n" + png + "\r\n--b1--\r\n"
	}
	storeMail(t, f, folder.ID, 1, "one@news.example", "news@news.example", mail("one@news.example", "news@news.example"))
	storeMail(t, f, folder.ID, 2, "two@news.example", "News@News.example", mail("two@news.example", "News@News.example"))
	storeMail(t, f, folder.ID, 3, "three@news.example", "", mail("three@news.example", "undisclosed"))

	type want struct{ remote, allowed, sender bool }
	check := func(id string, w want) {
		t.Helper()
		h, err := f.svc.MessageHTML(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		low := strings.ToLower(h.HTML)
		for _, bad := range []string{"<script", "alert(", "<iframe", "evil.example", "192.168.1.1"} {
			if strings.Contains(low, bad) {
				t.Errorf("%s: HTML keeps %q: %s", id, bad, h.HTML)
			}
		}
		if !strings.Contains(h.HTML, `src="data:image/png;base64,`+png+`"`) {
			t.Errorf("%s: the cid image is not inline: %s", id, h.HTML)
		}
		img := `<img src="https://img.example/p.gif" referrerpolicy="no-referrer">`
		bg := `background:url(https://img.example/bg.png)`
		if got := strings.Contains(h.HTML, img) && strings.Contains(h.HTML, bg); got != w.remote {
			t.Errorf("%s: remote images shown = %v, want %v: %s", id, got, w.remote, h.HTML)
		}
		if !w.remote && strings.Contains(h.HTML, "img.example") {
			t.Errorf("%s: a remote image is left: %s", id, h.HTML)
		}
		if h.RemoteImages != 3 || h.RemoteAllowed != w.allowed || h.SenderAllowed != w.sender {
			t.Errorf("%s: remote images %d, allowed %v, for the sender %v; want 3, %v, %v", id, h.RemoteImages, h.RemoteAllowed, h.SenderAllowed, w.allowed, w.sender)
		}
	}
	check("one@news.example", want{})
	check("two@news.example", want{})

	if err := f.svc.AllowRemoteImages(ctx, "one@news.example", false); err != nil {
		t.Fatal(err)
	}
	check("one@news.example", want{remote: true, allowed: true})
	check("two@news.example", want{}) // same sender, not allowed for it

	if err := f.svc.AllowRemoteImages(ctx, "one@news.example", true); err != nil {
		t.Fatal(err)
	}
	check("one@news.example", want{remote: true, allowed: true, sender: true})
	check("two@news.example", want{remote: true, allowed: true, sender: true}) // the address in another case
	check("three@news.example", want{})

	if err := f.svc.AllowRemoteImages(ctx, "three@news.example", true); err == nil || !strings.Contains(err.Error(), "no sender address") {
		t.Errorf("trusting a mail without a sender address: %v", err)
	}
	check("three@news.example", want{}) // nothing recorded by the refused call
	if err := f.svc.AllowRemoteImages(ctx, "nobody@news.example", false); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("allowing an unknown message: %v, want ErrNotFound", err)
	}
	if _, err := f.svc.store.RemoteImagesAllowed(ctx, "nobody@news.example", ""); err != nil {
		t.Fatal(err)
	}
}

// GitLab mails each public note to the customer from the brand; the copy
// the provider files in Sent is the same message as the note, so the
// thread shows the note once.
func TestThreadShowsGitLabsNoteMailOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	p := f.connectAll(t)
	if _, err := f.svc.Sync(ctx, SyncOptions{}); err != nil {
		t.Fatal(err)
	}
	msgs, _ := f.svc.Messages(ctx, false)
	checked := 0
	for _, m := range msgs {
		id := gitlabNoteMail(m.MessageID)
		if id == 0 || m.Ticket == nil {
			continue
		}
		d, err := f.svc.Ticket(ctx, p.ID, *m.Ticket)
		if err != nil {
			t.Fatal(err)
		}
		mails := 0
		for _, e := range d.Thread {
			if e.Kind == model.KindMail && e.MessageID == m.MessageID {
				mails++
			}
		}
		if mails != 0 {
			t.Fatalf("#%d shows GitLab's mail of note %d beside the note", *m.Ticket, id)
		}
		checked++
	}
	if checked == 0 {
		t.Fatal("the sandbox has no mail of a note linked to a ticket")
	}
	for _, c := range []struct {
		id   string
		want int64
	}{{"note_3000123@gitlab.example", 3000123}, {"note_x@gitlab.example", 0}, {"note_12", 0}, {"reply-abc@gitlab.example", 0}} {
		if got := gitlabNoteMail(c.id); got != c.want {
			t.Errorf("gitlabNoteMail(%q) = %d, want %d", c.id, got, c.want)
		}
	}
}
