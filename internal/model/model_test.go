package model

import "testing"

// The note recording a reply the app mailed counts as a public reply: the
// customer got it, though GitLab keeps it internal.
func TestMailedReplyIsAReply(t *testing.T) {
	n := Note{Author: "alex", Internal: true, Body: MailedReplyNote("r1@acme.com", "Hi Ana,\n\nfixed.\n\n<!-- servicedesk:op=o1 -->")}
	body, ok := n.MailedReply()
	if !ok || body != "Hi Ana,\n\nfixed.\n\n<!-- servicedesk:op=o1 -->" || n.Kind() != KindReply {
		t.Fatalf("mailed reply: %q %v kind %s", body, ok, n.Kind())
	}
	for _, other := range []Note{
		{Author: "alex", Internal: true, Body: "Replied by phone"},
		{Author: "alex", Body: MailedReplyNote("r1@acme.com", "public already")},
	} {
		if _, ok := other.MailedReply(); ok {
			t.Errorf("%+v read as a mailed reply", other)
		}
	}
	if (Note{Author: "alex", Internal: true, Body: "Replied by phone"}).Kind() != KindInternal {
		t.Error("an internal note is no longer internal")
	}
}

// The outbox's note of a merged answer is read back as the customer's
// message; the same words in a public note or later in a note are not.
func TestMergedAnswer(t *testing.T) {
	body := MergedAnswerNote("ana@example.com", 41, "> It still fails.")
	if n := (Note{Internal: true, Body: body}); !n.MergedAnswer() {
		t.Errorf("the outbox's own note is not a merged answer: %q", body)
	}
	if n := (Note{Internal: false, Body: body}); n.MergedAnswer() {
		t.Error("a public note counts as a merged answer")
	}
	quoted := "See below.\n" + body
	if n := (Note{Internal: true, Body: quoted}); n.MergedAnswer() {
		t.Error("a note quoting one counts as a merged answer")
	}
}

// Public sorts notes into the customer's words, our public replies and the
// rest, as the queue and the clocks count them.
func TestNotePublic(t *testing.T) {
	for _, c := range []struct {
		name string
		n    Note
		want string
	}{
		{"customer follow-up", Note{Author: SupportBot, Body: "Any news?"}, KindCustomer},
		{"merged answer", Note{Author: "alex", Internal: true, Body: MergedAnswerNote("ana@example.com", 41, "> Still failing.")}, KindCustomer},
		{"public reply", Note{Author: "alex", Body: "Fixed."}, KindReply},
		{"mailed reply", Note{Author: "alex", Internal: true, Body: MailedReplyNote("m1@acme.com", "Fixed.")}, KindReply},
		{"internal note", Note{Author: "alex", Internal: true, Body: "Checked the logs."}, ""},
		{"system note", Note{Author: "alex", System: true, Body: "closed"}, ""},
	} {
		if got := c.n.Public(); got != c.want {
			t.Errorf("%s: Public() = %q, want %q", c.name, got, c.want)
		}
	}
}
