package linker

import (
	"bytes"
	"errors"
	"mime"
	"net/mail"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// corpusDir holds GitLab's own test e-mails; its README says where each
// file's reply key sits.
const corpusDir = "../../../shared/testdata/gitlab-emails"

// corpusKeys is, per file of the corpus, the GitLab reply key the README
// lists and whether it sits in a recipient header (To, Delivered-To, …) or
// only in an In-Reply-To/References id. Files with no 32-hex key ("" here:
// project keys, path keys, no key at all) must stay unlinked.
var corpusKeys = map[string]struct {
	key         string
	inRecipient bool
}{
	"auto_reply.eml":               {"636ca428858779856c226bb145ef4fad", true},
	"key_in_headers_reply.eml":     {"59d8df8370b7e95c5a49fbf86aeb2c93", false},
	"on_wrote.eml":                 {"8305e3604ae4d1485dc12b6af6a8446c", true},
	"outlook_html.eml":             {"e1c7f2a380e33840aeb654f075490bad", true},
	"valid_reply_signed_smime.eml": {"c034670b1623e617e15a3df64223d363", true},
	"reply_without_subaddressing_and_key_inside_references.eml":              {"59d8df8370b7e95c5a49fbf86aeb2c93", false},
	"reply_without_subaddressing_and_key_inside_references_with_a_comma.eml": {"59d8df8370b7e95c5a49fbf86aeb2c93", false},
	"envelope_to_header.eml":                        {},
	"html_only.eml":                                 {},
	"ios_default.eml":                               {},
	"service_desk.eml":                              {},
	"service_desk_all_quoted.eml":                   {},
	"service_desk_custom_address.eml":               {},
	"service_desk_custom_address_envelope_to.eml":   {},
	"service_desk_custom_address_no_key.eml":        {},
	"service_desk_custom_address_reply.eml":         {},
	"service_desk_custom_address_x_envelope_to.eml": {},
	"service_desk_encoding.eml":                     {},
	"service_desk_forwarded.eml":                    {},
	"service_desk_forwarded_new_issue.eml":          {},
	"service_desk_legacy.eml":                       {},
	"service_desk_reference_headers.eml":            {},
	"service_desk_reply.eml":                        {},
	"service_desk_reply_illegal_utf8.eml":           {},
	"service_desk_reply_to_and_from.eml":            {},
	"service_desk_sender_and_from.eml":              {},
	"x_envelope_to_header.eml":                      {},
}

// corpusFiles returns the corpus's .eml files, skipping the test when the
// shared folder is not there, and fails on a file corpusKeys does not know.
func corpusFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(corpusDir, "*.eml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Skipf("no corpus in %s", corpusDir)
	}
	for _, f := range files {
		if _, ok := corpusKeys[filepath.Base(f)]; !ok {
			t.Errorf("%s is not in corpusKeys: say where its reply key sits", filepath.Base(f))
		}
	}
	return files
}

// readMail builds a Mail from the headers of an .eml file with net/mail,
// the way the parser is expected to: ids without <>, recipients' keys.
func readMail(t testing.TB, path string) Mail {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// Two of GitLab's files start with a blank line before the headers.
	msg, err := mail.ReadMessage(bytes.NewReader(bytes.TrimLeft(raw, "\r\n")))
	if err != nil {
		t.Fatalf("%s: %v", filepath.Base(path), err)
	}
	h := msg.Header
	m := Mail{
		InReplyTo:  headerIDs(h.Get("In-Reply-To")),
		References: headerIDs(h.Get("References")),
		Subject:    h.Get("Subject"),
		From:       h.Get("From"),
	}
	if ids := headerIDs(h.Get("Message-Id")); len(ids) > 0 {
		m.MessageID = ids[0]
	}
	if s, err := new(mime.WordDecoder).DecodeHeader(m.Subject); err == nil {
		m.Subject = s
	}
	if a, err := mail.ParseAddress(m.From); err == nil {
		m.From = a.Address
	}
	if d, err := h.Date(); err == nil {
		m.Date = d
	}
	var recipients []string
	for _, name := range []string{"To", "Cc", "Delivered-To", "Envelope-To", "X-Envelope-To"} {
		recipients = append(recipients, h[name]...)
	}
	m.ReplyKeys = ReplyKeysIn(recipients...)
	auto := strings.ToLower(strings.TrimSpace(h.Get("Auto-Submitted")))
	m.AutoSubmitted = (auto != "" && auto != "no") || strings.EqualFold(strings.TrimSpace(h.Get("X-Autoreply")), "yes")
	return m
}

// headerIDs splits an id header into ids without <>.
func headerIDs(v string) []string {
	var ids []string
	for _, f := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
		if id := strings.Trim(f, "<>"); id != "" {
			ids = append(ids, id)
		}
	}
	return ids
}

// TestCorpusReplyKeys links every file of GitLab's corpus against a store
// that has learned all the corpus's keys, each for its own ticket: a file
// with a key is linked by it to that key's ticket, any other file stays
// unlinked (no Message-ID known, no ticket with the subject's iid, no
// window).
func TestCorpusReplyKeys(t *testing.T) {
	t.Parallel()
	files := corpusFiles(t)
	f := newFake()
	tickets := map[string]TicketRef{}
	for _, c := range corpusKeys {
		if _, ok := tickets[c.key]; c.key != "" && !ok {
			tickets[c.key] = TicketRef{project, int64(100 + len(tickets))}
			f.keys[c.key] = tickets[c.key]
		}
	}
	l := &Linker{Lookup: f, ProjectID: project}
	for _, path := range files {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			m := readMail(t, path)
			c := corpusKeys[name]
			var wantRecipientKeys []string
			if c.inRecipient {
				wantRecipientKeys = []string{c.key}
			}
			if !reflect.DeepEqual(m.ReplyKeys, wantRecipientKeys) {
				t.Errorf("keys in recipients = %q, want %q", m.ReplyKeys, wantRecipientKeys)
			}
			want := Link{Rule: RuleNone}
			if c.key != "" {
				want = Link{tickets[c.key], RuleReplyKey}
			}
			got, err := l.Link(m)
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("Link = %+v, want %+v", got, want)
			}
		})
	}
}

func TestCorpusAutoReplyStillLinkedByKey(t *testing.T) {
	t.Parallel()
	corpusFiles(t)
	m := readMail(t, filepath.Join(corpusDir, "auto_reply.eml"))
	if !m.AutoSubmitted {
		t.Fatal("auto_reply.eml not read as an auto-reply")
	}
	f := newFake()
	ref := TicketRef{project, 1}
	f.keys["636ca428858779856c226bb145ef4fad"] = ref
	f.addTicket(Ticket{Ref: TicketRef{project, 2}, Customer: "jake@adventuretime.ooo", CreatedAt: m.Date})
	l := &Linker{Lookup: f, ProjectID: project}
	if got, err := l.Link(m); err != nil || got != (Link{ref, RuleReplyKey}) {
		t.Errorf("with its key known: Link = %+v, %v; want #1 by reply-key", got, err)
	}
	delete(f.keys, "636ca428858779856c226bb145ef4fad")
	if got, err := l.Link(m); err != nil || got != (Link{Rule: RuleNone}) {
		t.Errorf("key unknown, sender's ticket at its date: Link = %+v, %v; want none (no window for auto-replies)", got, err)
	}
}

// TestCorpusThread follows a conversation of the corpus: the new-ticket mail
// is linked to the ticket GitLab made of it by the window, and once it is
// known, the customer's reply (from another address, no key, In-Reply-To
// the first mail) follows it by its Message-ID.
func TestCorpusThread(t *testing.T) {
	t.Parallel()
	corpusFiles(t)
	first := readMail(t, filepath.Join(corpusDir, "service_desk_custom_address.eml"))
	f := newFake()
	ref := TicketRef{project, 42}
	f.addTicket(Ticket{Ref: ref, Customer: "Jake@AdventureTime.ooo", CreatedAt: first.Date.Add(40 * time.Second)})
	l := &Linker{Lookup: f, ProjectID: project}
	replies := []string{
		"service_desk_custom_address_reply.eml",
		"service_desk_custom_address_envelope_to.eml",
		"service_desk_custom_address_x_envelope_to.eml",
	}
	for _, name := range replies {
		if got, err := l.Link(readMail(t, filepath.Join(corpusDir, name))); err != nil || got.Rule != RuleNone {
			t.Errorf("%s before its thread is known: Link = %+v, %v; want none", name, got, err)
		}
	}
	got, err := l.Link(first)
	if err != nil || got != (Link{ref, RuleCustomerWindow}) {
		t.Fatalf("first mail: Link = %+v, %v; want #42 by customer-window", got, err)
	}
	f.messages[first.MessageID] = got.Ticket // the caller records the link
	for _, name := range replies {
		got, err := l.Link(readMail(t, filepath.Join(corpusDir, name)))
		if err != nil || got != (Link{ref, RuleOurMessageID}) {
			t.Errorf("%s: Link = %+v, %v; want #42 by our-message-id", name, got, err)
		}
	}
}

// TestCorpusSubjectIID: the S/MIME reply's subject ends in GitLab's "(#1)";
// with its key unknown it is linked by subject to ticket #1 whose customer
// is the sender written in another case.
func TestCorpusSubjectIID(t *testing.T) {
	t.Parallel()
	corpusFiles(t)
	m := readMail(t, filepath.Join(corpusDir, "valid_reply_signed_smime.eml"))
	f := newFake()
	f.addTicket(Ticket{Ref: TicketRef{project, 1}, Customer: "Diego.Louzan.Ext@Siemens.com", CreatedAt: m.Date.Add(-48 * time.Hour)})
	l := &Linker{Lookup: f, ProjectID: project}
	if got, err := l.Link(m); err != nil || got != (Link{TicketRef{project, 1}, RuleSubjectIID}) {
		t.Errorf("Link = %+v, %v; want #1 by subject-iid", got, err)
	}
	f.fail = func(string) error { return errStore }
	if _, err := l.Link(m); !errors.Is(err, errStore) {
		t.Errorf("failing store: error %v", err)
	}
}
