package compose

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/mail"
	"reflect"
	"strings"
	"testing"
	"time"

	"servicedesk/internal/linker"
)

func TestBuildHeaders(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name           string
		edit           func(r *Reply)
		wantSubject    string
		wantReplyTo    string // the address, without the name
		wantInReplyTo  []string
		wantReferences []string
	}{
		{
			name:           "key known, answering a customer mail",
			edit:           func(r *Reply) {},
			wantSubject:    "Re: Card declined (#42)",
			wantReplyTo:    "support+" + testKey + "@acme.com",
			wantInReplyTo:  []string{"CAF=abc123@mail.gmail.com"},
			wantReferences: []string{"issue_17@gitlab.example.com", "reply-" + testKey + "@gitlab.example.com", "CAF=abc123@mail.gmail.com"},
		},
		{
			name: "no key: the brand address, the answer may open a new ticket",
			edit: func(r *Reply) {
				r.ReplyKey = ""
				r.References = []string{"CAF=abc123@mail.gmail.com"}
			},
			wantSubject:    "Re: Card declined (#42)",
			wantReplyTo:    "support@acme.com",
			wantInReplyTo:  []string{"CAF=abc123@mail.gmail.com"},
			wantReferences: []string{"CAF=abc123@mail.gmail.com"},
		},
		{
			name: "non-ASCII title",
			edit: func(r *Reply) {
				r.Title = "Rückerstattung für Bestellung 881"
				r.IID = 881
			},
			wantSubject:    "Re: Rückerstattung für Bestellung 881 (#881)",
			wantReplyTo:    "support+" + testKey + "@acme.com",
			wantInReplyTo:  []string{"CAF=abc123@mail.gmail.com"},
			wantReferences: []string{"issue_17@gitlab.example.com", "reply-" + testKey + "@gitlab.example.com", "CAF=abc123@mail.gmail.com"},
		},
		{
			name:           "title already a reply with the iid",
			edit:           func(r *Reply) { r.Title = "RE: Re: Card declined (#42)" },
			wantSubject:    "Re: Card declined (#42)",
			wantReplyTo:    "support+" + testKey + "@acme.com",
			wantInReplyTo:  []string{"CAF=abc123@mail.gmail.com"},
			wantReferences: []string{"issue_17@gitlab.example.com", "reply-" + testKey + "@gitlab.example.com", "CAF=abc123@mail.gmail.com"},
		},
		{
			name: "In-Reply-To missing from References is appended, duplicates and broken ids dropped",
			edit: func(r *Reply) {
				r.References = []string{"a@x", "a@x", "not an id", "b@y", "<c@z>", "ünï@x"}
				r.InReplyTo = "d@w"
			},
			wantSubject:    "Re: Card declined (#42)",
			wantReplyTo:    "support+" + testKey + "@acme.com",
			wantInReplyTo:  []string{"d@w"},
			wantReferences: []string{"a@x", "b@y", "d@w"},
		},
		{
			name: "first reply on a ticket: no thread ids",
			edit: func(r *Reply) {
				r.InReplyTo, r.References = "", nil
			},
			wantSubject: "Re: Card declined (#42)",
			wantReplyTo: "support+" + testKey + "@acme.com",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := testReply()
			tt.edit(&r)
			rb := readMail(t, build(t, r))
			h := rb.header

			if got := h.Get("Message-Id"); got != "<"+r.MessageID+">" {
				t.Errorf("Message-ID = %q, want <%s>", got, r.MessageID)
			}
			if rb.msg.MessageID != r.MessageID {
				t.Errorf("mailparse Message-ID = %q, want %q", rb.msg.MessageID, r.MessageID)
			}
			if !equalIDs(rb.msg.InReplyTo, tt.wantInReplyTo) {
				t.Errorf("In-Reply-To = %q, want %q", rb.msg.InReplyTo, tt.wantInReplyTo)
			}
			if !equalIDs(rb.msg.References, tt.wantReferences) {
				t.Errorf("References = %q, want %q", rb.msg.References, tt.wantReferences)
			}
			if got := rb.decoded(t, "Subject"); got != tt.wantSubject {
				t.Errorf("Subject (net/mail) = %q, want %q", got, tt.wantSubject)
			}
			if rb.msg.Subject != tt.wantSubject {
				t.Errorf("Subject (mailparse) = %q, want %q", rb.msg.Subject, tt.wantSubject)
			}
			if iid, ok := linker.SubjectIID(rb.msg.Subject); !ok || iid != r.IID {
				t.Errorf("linker.SubjectIID(%q) = %d, %v; want %d", rb.msg.Subject, iid, ok, r.IID)
			}

			from, err := h.AddressList("From")
			if err != nil || len(from) != 1 || from[0].Name != "Acme Support" || from[0].Address != "support@acme.com" {
				t.Errorf("From = %v (%v), want Acme Support <support@acme.com>", from, err)
			}
			to, err := h.AddressList("To")
			if err != nil || len(to) != 1 || to[0].Name != "Zoë Müller" || to[0].Address != "zoe@example.com" {
				t.Errorf("To = %v (%v), want Zoë Müller <zoe@example.com>", to, err)
			}
			rt, err := h.AddressList("Reply-To")
			if err != nil || len(rt) != 1 || rt[0].Address != tt.wantReplyTo || rt[0].Name != "Acme Support" {
				t.Fatalf("Reply-To = %v (%v), want Acme Support <%s>", rt, err, tt.wantReplyTo)
			}
			wantKeys := []string(nil)
			if r.ReplyKey != "" {
				wantKeys = []string{r.ReplyKey}
			}
			if got := linker.ReplyKeysIn(h.Get("Reply-To")); !reflect.DeepEqual(got, wantKeys) {
				t.Errorf("linker.ReplyKeysIn(Reply-To %q) = %q, want %q", h.Get("Reply-To"), got, wantKeys)
			}
			if d, err := h.Date(); err != nil || !d.Equal(r.Date) {
				t.Errorf("Date = %v (%v), want %v", d, err, r.Date)
			}
			if got := h.Get("User-Agent"); got != "Service Desk Desktop" {
				t.Errorf("User-Agent = %q", got)
			}
			for _, k := range []string{"Auto-Submitted", "X-Mailer", "X-Autoreply", "Precedence", "Cc", "Bcc"} {
				if _, ok := h[k]; ok {
					t.Errorf("header %s is set: %q", k, h.Get(k))
				}
			}
			if rb.msg.AutoSubmitted {
				t.Error("mailparse takes the reply for automatic mail: GitLab would drop the customer's answer thread")
			}
		})
	}
}

// equalIDs compares id lists, nil and empty being the same.
func equalIDs(got, want []string) bool {
	if len(got) == 0 && len(want) == 0 {
		return true
	}
	return reflect.DeepEqual(got, want)
}

func TestBuildParts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		body, sig string
		wantText  string // the text/plain part, LF line ends
		wantHTML  []string
		wantSeen  []string // in the text a reader of the HTML sees
	}{
		{
			name:     "names and emoji",
			body:     "Hallo Zoë Müller,\n\nIhre Erstattung ist unterwegs 🎉\nViele Grüße",
			sig:      "Acme Support · Köln",
			wantText: "Hallo Zoë Müller,\n\nIhre Erstattung ist unterwegs 🎉\nViele Grüße\n\n-- \nAcme Support · Köln\n",
			wantHTML: []string{"Ihre Erstattung ist unterwegs 🎉<br>\nViele Grüße"},
			wantSeen: []string{"Hallo Zoë Müller,", "Acme Support · Köln"},
		},
		{
			name:     "Markdown stays readable in text, rendered in HTML",
			body:     "Steps:\n\n1. **Log out**\n2. See https://acme.com/help\n\n`{{not a variable}}` and ~~old~~",
			sig:      "",
			wantText: "Steps:\n\n1. **Log out**\n2. See https://acme.com/help\n\n`{{not a variable}}` and ~~old~~\n",
			wantHTML: []string{"<ol", "<strong>Log out</strong>", `<a href="https://acme.com/help"`, ">{{not a variable}}</code>", "<del>old</del>"},
		},
		{
			name:     "tidied: CRLF, trailing spaces, runs of blank lines, a stray signature marker",
			body:     "\r\n\r\nFirst line   \r\n-- \r\n\r\n\r\n\r\nlast\u0007 line\t\r\n\r\n",
			sig:      "--\nThe team",
			wantText: "First line\n--\n\nlast line\n\n-- \nThe team\n",
			wantSeen: []string{"The team"},
		},
		{
			name:     "agent types HTML: it reaches the customer as text",
			body:     "Type <b>bold</b> or <script>alert(1)</script>\n\n<div onclick=\"x()\">\n<img src=x onerror=alert(1)>\n</div>",
			wantText: "Type <b>bold</b> or <script>alert(1)</script>\n\n<div onclick=\"x()\">\n<img src=x onerror=alert(1)>\n</div>\n",
			wantSeen: []string{"Type <b>bold</b> or <script>alert(1)</script>", `<img src=x onerror=alert(1)>`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := testReply()
			r.Body, r.From.Signature = tt.body, tt.sig
			rb := readMail(t, build(t, r))
			if got, want := rb.types(), []string{"text/plain", "text/html"}; !reflect.DeepEqual(got, want) {
				t.Fatalf("parts %q, want %q", got, want)
			}
			text, htm := rb.part(t, "text/plain"), rb.part(t, "text/html")
			if text != tt.wantText {
				t.Errorf("text part:\n%q\nwant\n%q", text, tt.wantText)
			}
			if mp := strings.TrimSpace(rb.msg.Text); mp != strings.TrimSpace(tt.wantText) {
				t.Errorf("mailparse Text %q, want the text part", mp)
			}
			for _, s := range tt.wantHTML {
				if !strings.Contains(htm, s) {
					t.Errorf("HTML part lacks %q:\n%s", s, htm)
				}
			}
			seen := htmlText(t, htm)
			for _, s := range tt.wantSeen {
				if !strings.Contains(seen, s) {
					t.Errorf("HTML shows no %q; it shows:\n%s", s, seen)
				}
			}
			if bad := htmlProblems(t, htm); len(bad) > 0 {
				t.Errorf("HTML part carries %q", bad)
			}
			if (tt.sig == "") == strings.Contains(text, "\n-- \n") {
				t.Errorf("signature separator present = %v with signature %q", !(tt.sig == ""), tt.sig)
			}
		})
	}
}

func TestBuildHTMLIsSafe(t *testing.T) {
	t.Parallel()
	bodies := []string{
		"<script>alert(1)</script>",
		"<SCRIPT src=//evil.example/x.js></SCRIPT>",
		"<img src=x onerror=alert(1)>",
		"<a href=\"javascript:alert(1)\">click</a>",
		"<iframe src=\"https://evil.example\"></iframe>\n\n<style>body{display:none}</style>",
		"<div>\n<script>\nalert(1)\n</script>\n</div>",
		"<!-- comment --><?php x ?><![CDATA[x]]>",
		"[x](javascript:alert(1)) [y](JaVaScRiPt:alert(1)) [z](&#106;avascript:alert(1)) [v](vbscript:x) [d](data:text/html,<script>)",
		"<javascript:alert(1)> <file:///etc/passwd>",
		"![pixel](data:image/png;base64,iVBORw0KGgo=) ![up](/uploads/abc/x.png) ![js](javascript:x)",
		"[relative](/uploads/abc/report.pdf) [anchor](#top)",
		"[ok](https://acme.com) <https://acme.com/a> mail: zoe@example.com [tel](tel:+491234)",
		"| a |\n|---|\n| <script>x</script> |",
		"```\n<script>alert(1)</script>\n```",
	}
	for _, body := range bodies {
		t.Run(body, func(t *testing.T) {
			t.Parallel()
			r := testReply()
			r.Body = body
			r.From.Signature = "<script>sig()</script> [s](javascript:1)"
			rb := readMail(t, build(t, r))
			htm := rb.part(t, "text/html")
			if bad := htmlProblems(t, htm); len(bad) > 0 {
				t.Errorf("HTML part carries %q:\n%s", bad, htm)
			}
		})
	}
}

func TestBuildLinksKeepTheirText(t *testing.T) {
	t.Parallel()
	r := testReply()
	r.Body = "[the help page](javascript:alert(1)) and [the report](/uploads/abc/report.pdf) and ![a chart](/uploads/c.png)"
	rb := readMail(t, build(t, r))
	seen := htmlText(t, rb.part(t, "text/html"))
	for _, s := range []string{"the help page", "the report", "a chart"} {
		if !strings.Contains(seen, s) {
			t.Errorf("a refused link lost its text %q: %q", s, seen)
		}
	}
}

// countingFile is an attachment source that records how it is used.
type countingFile struct {
	data          []byte
	opens, closes int
}

func (f *countingFile) open() (io.ReadCloser, error) {
	f.opens++
	return &countingReader{r: bytes.NewReader(f.data), f: f}, nil
}

type countingReader struct {
	r *bytes.Reader
	f *countingFile
}

func (c *countingReader) Read(p []byte) (int, error) { return c.r.Read(p) }
func (c *countingReader) Close() error               { c.f.closes++; return nil }

func TestBuildAttachments(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewChaCha8([32]byte{1}))
	big := make([]byte, 5<<20)
	for i := range big {
		big[i] = byte(rng.Uint32())
	}
	tests := []struct {
		name, contentType string
		data              []byte
		wantName, wantCT  string
	}{
		{"Rechnung März 2025.pdf", "application/pdf", []byte("%PDF-1.7\n…\n%%EOF\n"), "Rechnung März 2025.pdf", "application/pdf"},
		{"big.bin", "", big, "big.bin", "application/octet-stream"},
		{`C:\Users\zoe\screenshot.png`, "image/png", []byte("\x89PNG\r\n\x1a\n\x00\x00"), "screenshot.png", "image/png"},
		{"notes.txt", "text/plain; charset=utf-8", []byte("line one\r\nline two without end"), "notes.txt", "text/plain"},
		{"empty.csv", "text/csv", nil, "empty.csv", "text/csv"},
		{"ein sehr langer Dateiname mit Umlauten äöü und noch mehr Wörtern darin.txt", "text/plain", []byte("x"), "ein sehr langer Dateiname mit Umlauten äöü und noch mehr Wörtern darin.txt", "text/plain"},
		{"injected\r\nX-Evil: 1.txt", "text/plain\r\nX-Evil: 1", []byte("y"), "injected X-Evil_ 1.txt", "text/plain"},
	}
	r := testReply()
	files := make([]*countingFile, len(tests))
	for i, tt := range tests {
		files[i] = &countingFile{data: tt.data}
		r.Attachments = append(r.Attachments, Attachment{Name: tt.name, ContentType: tt.contentType, Open: files[i].open, Size: int64(len(tt.data))})
	}
	raw := build(t, r)
	for i, f := range files {
		if f.opens != 1 || f.closes != 1 {
			t.Errorf("attachment %q opened %d times, closed %d times; want 1 and 1", tests[i].name, f.opens, f.closes)
		}
	}
	rb := readMail(t, raw)
	if got := len(rb.msg.Attachments); got != len(tests) {
		t.Fatalf("mailparse finds %d attachments, want %d", got, len(tests))
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := rb.msg.Attachments[i]
			sum := sha256.Sum256(tt.data)
			if a.Filename != tt.wantName || a.ContentType != tt.wantCT || a.Size != int64(len(tt.data)) || a.SHA256 != hex.EncodeToString(sum[:]) {
				t.Errorf("attachment %d = %q %s %d bytes %s…, want %q %s %d bytes %x…",
					i, a.Filename, a.ContentType, a.Size, a.SHA256[:8], tt.wantName, tt.wantCT, len(tt.data), sum[:4])
			}
			if !bytes.Equal(rb.files[tt.wantName], tt.data) {
				t.Errorf("mailparse streams %d bytes for %q, not the %d sent", len(rb.files[tt.wantName]), tt.wantName, len(tt.data))
			}
			var got *leaf
			for k := range rb.leaves {
				if rb.leaves[k].filename == tt.wantName {
					got = &rb.leaves[k]
				}
			}
			if got == nil || got.body != string(tt.data) {
				t.Errorf("go-message finds no byte-exact attachment %q", tt.wantName)
			}
		})
	}
	if got := rb.types()[:2]; !reflect.DeepEqual(got, []string{"text/plain", "text/html"}) {
		t.Errorf("body parts %q before the attachments, want text/plain, text/html", got)
	}
	if _, ok := rb.header["X-Evil"]; ok {
		t.Error("a file name or content type injected a header")
	}
}

func TestBuildAttachmentFailures(t *testing.T) {
	t.Parallel()
	errDisk := errors.New("disk gone")
	tests := []struct {
		name    string
		a       Attachment
		wantErr error
		wantMsg string
	}{
		{"open fails", Attachment{Name: "a.pdf", Open: func() (io.ReadCloser, error) { return nil, errDisk }}, errDisk, `open "a.pdf"`},
		{"read fails half way", Attachment{Name: "b.pdf", Open: func() (io.ReadCloser, error) {
			return io.NopCloser(io.MultiReader(strings.NewReader(strings.Repeat("x", 100<<10)), iotestErr{errDisk})), nil
		}}, errDisk, `read "b.pdf"`},
		{"file changed since it was attached", Attachment{Name: "c.pdf", Size: 10, Open: func() (io.ReadCloser, error) {
			return io.NopCloser(strings.NewReader("12345")), nil
		}}, nil, "it changed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := testReply()
			r.Attachments = []Attachment{tt.a}
			err := Build(r, io.Discard)
			if err == nil {
				t.Fatal("Build succeeded")
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("error %v does not wrap %v", err, tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) || !strings.Contains(err.Error(), r.MessageID) {
				t.Errorf("error %q does not say %q and name the message", err, tt.wantMsg)
			}
		})
	}
}

type iotestErr struct{ err error }

func (e iotestErr) Read([]byte) (int, error) { return 0, e.err }

func TestBuildRefuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		edit    func(r *Reply)
		wantMsg string
	}{
		{"no recipient", func(r *Reply) { r.To = nil }, "no recipient"},
		{"recipient is not an address", func(r *Reply) { r.To[0].Email = "zoe at example.com" }, "not an e-mail address"},
		{"recipient with a name in the address", func(r *Reply) { r.To[0].Email = "Zoe <zoe@example.com>" }, "not an e-mail address"},
		{"recipient with a header in the address", func(r *Reply) { r.To[0].Email = "zoe@example.com\r\nBcc: x@y" }, "only ASCII"},
		{"non-ASCII address", func(r *Reply) { r.To[0].Email = "zoë@example.com" }, "only ASCII"},
		{"bad cc", func(r *Reply) { r.Cc = []Address{{Email: "@"}} }, "cc"},
		{"no brand address", func(r *Reply) { r.From.Address = "" }, "brand address"},
		{"no date", func(r *Reply) { r.Date = time.Time{} }, "no date"},
		{"message id in brackets", func(r *Reply) { r.MessageID = "<x@acme.com>" }, "message id"},
		{"message id without domain", func(r *Reply) { r.MessageID = "x" }, "message id"},
		{"no message id", func(r *Reply) { r.MessageID = "" }, "message id"},
		{"upper-case reply key", func(r *Reply) { r.ReplyKey = strings.ToUpper(testKey) }, "reply key"},
		{"short reply key", func(r *Reply) { r.ReplyKey = testKey[1:] }, "reply key"},
		{"empty reply", func(r *Reply) { r.Body = " \n\t\n" }, "empty"},
		{"attachment without a name", func(r *Reply) {
			r.Attachments = []Attachment{{Name: " ", Open: func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader("")), nil }}}
		}, "no file name"},
		{"attachment without a source", func(r *Reply) { r.Attachments = []Attachment{{Name: "a.txt"}} }, "nothing to read"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := testReply()
			tt.edit(&r)
			var b bytes.Buffer
			err := Build(r, &b)
			if err == nil {
				t.Fatalf("Build accepted it:\n%s", b.Bytes())
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error %q does not say %q", err, tt.wantMsg)
			}
			if b.Len() > 0 {
				t.Errorf("Build wrote %d bytes before refusing", b.Len())
			}
		})
	}
}

func TestBuildAttachmentOnlyReply(t *testing.T) {
	t.Parallel()
	r := testReply()
	r.Body = ""
	r.Attachments = []Attachment{{Name: "label.pdf", Open: func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader("%PDF")), nil }}}
	rb := readMail(t, build(t, r))
	if got := rb.part(t, "text/plain"); got != "-- \nThe Acme team\n" {
		t.Errorf("text part %q, want the signature alone", got)
	}
	if len(rb.msg.Attachments) != 1 {
		t.Errorf("attachments %v", rb.msg.Attachments)
	}
}

func TestBuildCcAndFolding(t *testing.T) {
	t.Parallel()
	r := testReply()
	r.Title = strings.Repeat("Sehr lange Überschrift über eine Rückerstattung ", 6) + "(#42)"
	var want []string
	for i := range 10 {
		name := fmt.Sprintf("Participant, Nr. %d of the Ünïcode Department", i+1)
		email := fmt.Sprintf("participant.%d@customer-company.example.com", i+1)
		r.Cc = append(r.Cc, Address{Name: name, Email: email})
		want = append(want, name+" <"+email+">")
	}
	// A copy of the customer and one of the brand are dropped.
	r.Cc = append(r.Cc, Address{Name: "Zoë again", Email: "ZOE@example.com"}, Address{Email: "support@acme.com"})
	r.References = nil
	for i := range 40 {
		r.References = append(r.References, fmt.Sprintf("m-%02d.%s@mail.customer.example", i, testKey))
	}
	r.InReplyTo = r.References[39]
	rb := readMail(t, build(t, r))

	cc, err := rb.header.AddressList("Cc")
	if err != nil {
		t.Fatalf("Cc: %v", err)
	}
	var got []string
	for _, a := range cc {
		got = append(got, a.Name+" <"+a.Address+">")
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Cc =\n%q\nwant\n%q", got, want)
	}
	if len(rb.msg.Cc) != 10 {
		t.Errorf("mailparse reads %d Cc addresses, want 10", len(rb.msg.Cc))
	}
	if !reflect.DeepEqual(rb.msg.References, r.References) {
		t.Errorf("References: %d ids read back, want the 40 sent in order", len(rb.msg.References))
	}
	wantSubject := Subject(r.Title, r.IID)
	if rb.msg.Subject != wantSubject || rb.decoded(t, "Subject") != wantSubject {
		t.Errorf("Subject %q, want %q", rb.msg.Subject, wantSubject)
	}
	for _, line := range headerLines(rb.raw) {
		if len(line) > 78 {
			t.Errorf("header line of %d characters (RFC 5322 asks for at most 78):\n%s", len(line), line)
		}
	}
	if bytes.Contains(bytes.ReplaceAll(rb.raw, []byte("\r\n"), nil), []byte("\n")) || bytes.Contains(bytes.ReplaceAll(rb.raw, []byte("\r\n"), nil), []byte("\r")) {
		t.Error("the message has a bare CR or LF: SMTP wants CRLF")
	}
}

func TestBuildSameReplySameMessage(t *testing.T) {
	t.Parallel()
	r := testReply()
	a, b := readMail(t, build(t, r)), readMail(t, build(t, r))
	if a.header.Get("Message-Id") != b.header.Get("Message-Id") || a.header.Get("Date") != b.header.Get("Date") ||
		a.part(t, "text/plain") != b.part(t, "text/plain") || a.part(t, "text/html") != b.part(t, "text/html") {
		t.Error("building a queued reply again gives another message")
	}
}

func TestBuildConcurrent(t *testing.T) {
	t.Parallel()
	errs := make(chan error, 8)
	for i := range 8 {
		go func() {
			r := testReply()
			r.Body = fmt.Sprintf("**Reply %d** with a [link](https://acme.com/%d) and a table\n\n| a | b |\n|---|---|\n| 1 | 2 |", i, i)
			var b bytes.Buffer
			err := Build(r, &b)
			if err == nil {
				var m *mail.Message
				m, err = mail.ReadMessage(&b)
				if err == nil && m.Header.Get("Message-Id") == "" {
					err = errors.New("no Message-ID")
				}
			}
			errs <- err
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
