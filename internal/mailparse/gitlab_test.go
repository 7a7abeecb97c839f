package mailparse

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

const gitlabDir = "../../../shared/testdata/gitlab-emails"

// gitlabCase is what the testdata README says each GitLab fixture exercises.
type gitlabCase struct {
	keys      []string // exact reply keys
	delivered []string // DeliveredTo, in header order
	auto      bool
	check     func(t *testing.T, m *Message)
}

var gitlabCases = map[string]gitlabCase{
	"auto_reply.eml": {keys: []string{"636ca428858779856c226bb145ef4fad"}, auto: true},
	"envelope_to_header.eml": {delivered: []string{"incoming+gitlabhq/gitlabhq+auth_token@appmail.example.com"},
		check: textContains("Look, a message with some alternate headers!")},
	"html_only.eml": {check: func(t *testing.T, m *Message) {
		htmlOnly(t, m, "This is a reply from standard GMail", "Second paragraph.")
		if strings.Contains(m.Text, "=\"") || strings.Contains(m.Text, "<") {
			t.Errorf("Text still holds markup or QP debris: %q", m.Text)
		}
	}},
	"ios_default.eml": {check: stripped("### this is a reply from iOS default mail", "Here's a link http://example.com", "wrote:", "Previous Replies")},
	"key_in_headers_reply.eml": {keys: []string{"59d8df8370b7e95c5a49fbf86aeb2c93"},
		check: stripped("I could not disagree more.", "- Jake out", "wrote:", "eviltrout posted")},
	"on_wrote.eml": {keys: []string{"8305e3604ae4d1485dc12b6af6a8446c"},
		check: stripped("Sure, all you need to do is frobnicate the foobar and you'll be all set!", "", "wrote:", "gordon_ryan")},
	"outlook_html.eml": {keys: []string{"e1c7f2a380e33840aeb654f075490bad"}, check: func(t *testing.T, m *Message) {
		htmlOnly(t, m, "Microsoft Outlook 2010", "Burgerhaus")
		if m.Stripped != "Microsoft Outlook 2010" {
			t.Errorf("Stripped = %q, want the reply without the Outlook quote", m.Stripped)
		}
		if len(m.To) != 1 || m.To[0].Email != "mail+e1c7f2a380e33840aeb654f075490bad@arpitjalan.com" {
			t.Errorf("To = %+v, want the address before the run-on Accept-Language", m.To)
		}
	}},
	"reply_without_subaddressing_and_key_inside_references.eml": {keys: []string{"59d8df8370b7e95c5a49fbf86aeb2c93"}},
	"reply_without_subaddressing_and_key_inside_references_with_a_comma.eml": {keys: []string{"59d8df8370b7e95c5a49fbf86aeb2c93"},
		check: func(t *testing.T, m *Message) {
			want := []string{"issue_1@localhost", "reply-59d8df8370b7e95c5a49fbf86aeb2c93@localhost", "exchange@microsoft.com"}
			if !slices.Equal(m.References, want) {
				t.Errorf("References = %q, want %q", m.References, want)
			}
		}},
	"service_desk.eml":            {check: textContains("Service desk stuff!", "a = b")},
	"service_desk_all_quoted.eml": {check: stripped("> This is an empty quote", "> adding any new content.", "")},
	"service_desk_custom_address.eml": {check: func(t *testing.T, m *Message) {
		if len(m.To) != 1 || m.To[0].Email != "support+project_slug-project_key@example.com" {
			t.Errorf("To = %+v", m.To)
		}
	}},
	"service_desk_custom_address_envelope_to.eml":   {delivered: []string{"support+project_slug-project_key@example.com"}},
	"service_desk_custom_address_no_key.eml":        {check: textContains("/label ~label1")},
	"service_desk_custom_address_reply.eml":         {delivered: []string{"support+project_slug-project_key@example.com"}},
	"service_desk_custom_address_x_envelope_to.eml": {delivered: []string{"support+project_slug-project_key@example.com"}},
	"service_desk_encoding.eml": {delivered: []string{"incoming+email-test-project_id-issue-@appmail.adventuretime.ooo"},
		check: func(t *testing.T, m *Message) {
			if m.Subject != "Testing encoding iso-8859-2 ťžščľžťťč" {
				t.Errorf("Subject = %q", m.Subject)
			}
			textContains("Body of encoding iso-8859-2 test: ťžščľžťťč")(t, m)
		}},
	"service_desk_forwarded.eml": {delivered: []string{"incoming+email/test@appmail.adventuretime.ooo", "support@adventuretime.ooo"}},
	"service_desk_forwarded_new_issue.eml": {delivered: []string{"incoming+email-test-project_id-issue-@appmail.adventuretime.ooo", "support@adventuretime.ooo"},
		check: stripped("Service desk stuff!", "forwarded content")},
	"service_desk_legacy.eml":            {check: textContains("/close")},
	"service_desk_reference_headers.eml": {check: textContains("This message has unhelpful References headers")},
	"service_desk_reply.eml":             {check: textContains("/label ~label2")},
	"service_desk_reply_illegal_utf8.eml": {check: func(t *testing.T, m *Message) {
		if !utf8.ValidString(m.Text) || hasC1(m.Text) {
			t.Errorf("Text not clean UTF-8: %q", m.Text)
		}
		textContains("Service desk reply!", "/label ~label2", "(encoded with `Shift_JIS`")(t, m)
		if !strings.Contains(m.Text, "ピーター・ジョーンズ") {
			t.Errorf("Shift_JIS line not recovered: %q", m.Text)
		}
	}},
	"service_desk_reply_to_and_from.eml": {delivered: []string{"incoming+email-test-project_id-issue-@appmail.adventuretime.ooo", "support@adventuretime.ooo"},
		check: func(t *testing.T, m *Message) {
			if m.From.Email != "finn@adventuretime.ooo" || m.Sender == nil || m.Sender.Email != "jake@adventuretime.ooo" ||
				len(m.ReplyTo) != 1 || m.ReplyTo[0].Email != "marceline@adventuretime.ooo" {
				t.Errorf("From %+v Sender %+v ReplyTo %+v", m.From, m.Sender, m.ReplyTo)
			}
		}},
	"service_desk_sender_and_from.eml": {delivered: []string{"incoming+email-test-project_id-issue-@appmail.adventuretime.ooo", "support@adventuretime.ooo"},
		check: func(t *testing.T, m *Message) {
			if m.Sender == nil || m.Sender.Email == m.From.Email || m.ReplyTo != nil {
				t.Errorf("From %+v Sender %+v ReplyTo %+v", m.From, m.Sender, m.ReplyTo)
			}
		}},
	"valid_reply_signed_smime.eml": {keys: []string{"c034670b1623e617e15a3df64223d363"}, check: func(t *testing.T, m *Message) {
		textContains("Me too, with an attachment")(t, m)
		names := []string{}
		for _, a := range m.Attachments {
			names = append(names, a.Filename+" "+a.ContentType)
		}
		want := []string{"gitlab_logo.png image/png", "smime.p7s application/pkcs7-signature"}
		if !slices.Equal(names, want) {
			t.Errorf("attachments = %q, want %q", names, want)
		}
		if m.HTML == "" {
			t.Error("HTML alternative lost")
		}
	}},
	"x_envelope_to_header.eml": {delivered: []string{"incoming+gitlabhq/gitlabhq+auth_token@appmail.example.com"},
		check: textContains("Look, a message with some alternate headers!")},
}

func TestGitLabEmails(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join(gitlabDir, "*.eml"))
	if err != nil || len(files) == 0 {
		t.Skipf("GitLab test mails not found in %s (%v)", gitlabDir, err)
	}
	if len(files) != len(gitlabCases) {
		t.Errorf("%d files but %d cases: keep the table in step with the folder", len(files), len(gitlabCases))
	}
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, ok := gitlabCases[name]
			if !ok {
				t.Fatalf("no expectations for %s", name)
			}
			m := parseFile(t, f)
			if m.Broken {
				t.Fatalf("Broken: %s", m.Problem)
			}
			if !slices.Equal(m.ReplyKeys, c.keys) {
				t.Errorf("ReplyKeys = %q, want %q", m.ReplyKeys, c.keys)
			}
			if m.AutoSubmitted != c.auto {
				t.Errorf("AutoSubmitted = %v, want %v", m.AutoSubmitted, c.auto)
			}
			if c.delivered != nil && !slices.Equal(m.DeliveredTo, c.delivered) {
				t.Errorf("DeliveredTo = %q, want %q", m.DeliveredTo, c.delivered)
			}
			if m.From.Email == "" || m.Subject == "" || strings.TrimSpace(m.Text) == "" || strings.TrimSpace(m.Stripped) == "" {
				t.Errorf("lost basics: From %q Subject %q Text %q Stripped %q", m.From.Email, m.Subject, m.Text, m.Stripped)
			}
			if c.check != nil {
				c.check(t, m)
			}
		})
	}
}

// parseFile parses a mail file and checks that the other ways of reading it
// agree: from a reader that cannot seek (the broken-mail fallback then keeps
// its own copy), and with SizesOnly (the same sizes, no digests).
func parseFile(t *testing.T, path string) *Message {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := Parse(f, Options{})
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	stream, err := Parse(struct{ io.Reader }{bytes.NewReader(data)}, Options{})
	if err != nil {
		t.Fatalf("Parse from a stream: %v", err)
	}
	if !reflect.DeepEqual(stream, m) {
		t.Errorf("a stream parses differently from a file:\n%+v\n%+v", stream, m)
	}
	sizes, err := Parse(bytes.NewReader(data), Options{SizesOnly: true})
	if err != nil {
		t.Fatalf("Parse with SizesOnly: %v", err)
	}
	want := *m
	want.Attachments = slices.Clone(m.Attachments)
	for i := range want.Attachments {
		if want.Attachments[i].ContentType != "message/rfc822" {
			want.Attachments[i].SHA256 = ""
		}
	}
	if !reflect.DeepEqual(*sizes, want) {
		t.Errorf("SizesOnly differs beyond the digests:\n%+v\n%+v", sizes.Attachments, want.Attachments)
	}
	return m
}

func textContains(wants ...string) func(*testing.T, *Message) {
	return func(t *testing.T, m *Message) {
		t.Helper()
		for _, w := range wants {
			if !strings.Contains(m.Text, w) {
				t.Errorf("Text lacks %q:\n%s", w, m.Text)
			}
		}
	}
}

// stripped checks that Stripped starts with first, ends with last (when
// set), and holds none of the quoted strings.
func stripped(first, last string, gone ...string) func(*testing.T, *Message) {
	return func(t *testing.T, m *Message) {
		t.Helper()
		if !strings.HasPrefix(m.Stripped, first) {
			t.Errorf("Stripped does not start with %q:\n%s", first, m.Stripped)
		}
		if last != "" && !strings.HasSuffix(m.Stripped, last) {
			t.Errorf("Stripped does not end with %q:\n%s", last, m.Stripped)
		}
		for _, g := range gone {
			if g != "" && strings.Contains(m.Stripped, g) {
				t.Errorf("Stripped still holds %q:\n%s", g, m.Stripped)
			}
		}
	}
}

func htmlOnly(t *testing.T, m *Message, wants ...string) {
	t.Helper()
	if m.HTML == "" {
		t.Fatal("HTML empty")
	}
	textContains(wants...)(t, m)
}
