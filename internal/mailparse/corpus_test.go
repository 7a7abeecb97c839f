package mailparse

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// corpusCases states what a user would check in each mail of testdata/.
var corpusCases = map[string]func(t *testing.T, m *Message){
	"alternative.eml": func(t *testing.T, m *Message) {
		eq(t, "Text", m.Text, "Hello,\n\nthe invoice 4711 charges us twice for the same licence — please fix it.\n\nThanks, Anna")
		if !strings.Contains(m.HTML, "<b>4711</b>") {
			t.Errorf("HTML = %q", m.HTML)
		}
		eq(t, "From", m.From.Email, "anna@customer.example")
		eq(t, "ReplyTo", m.ReplyTo[0].Name, "Anna (billing)")
		if len(m.Cc) != 2 || m.Cc[1].Email != "carol@customer.example" {
			t.Errorf("Cc = %+v", m.Cc)
		}
		if !slices.Equal(m.ReplyKeys, []string{"0123456789abcdef0123456789abcdef"}) {
			t.Errorf("ReplyKeys = %q", m.ReplyKeys)
		}
		if m.Date.IsZero() || m.Date.UTC().Hour() != 8 {
			t.Errorf("Date = %v", m.Date)
		}
	},
	"related_nested.eml": func(t *testing.T, m *Message) {
		eq(t, "Text", m.Text, "See the screenshot below.\n[logo]")
		want := []Attachment{
			{Filename: "logo.png", ContentType: "image/png", ContentID: "logo.123@customer.example", Inline: true, Size: 70},
			{Filename: "Rechnung März.pdf", ContentType: "application/pdf", Size: 82},
			{Filename: "notes – copy.txt", ContentType: "text/plain", Size: 5},
		}
		if len(m.Attachments) != len(want) {
			t.Fatalf("attachments = %+v", m.Attachments)
		}
		for i, w := range want {
			got := m.Attachments[i]
			if len(got.SHA256) != 64 {
				t.Errorf("attachment %d SHA256 = %q", i, got.SHA256)
			}
			got.SHA256 = ""
			if got != w {
				t.Errorf("attachment %d = %+v, want %+v", i, got, w)
			}
		}
	},
	"headers_8bit.eml": func(t *testing.T, m *Message) {
		if !strings.HasPrefix(m.Subject, "Grüße aus Köln und München") {
			t.Errorf("Subject = %q", m.Subject)
		}
		eq(t, "From name", m.From.Name, "Jürgen Müller")
		eq(t, "To[0] name", m.To[0].Name, "André")
		eq(t, "To[1] name", m.To[1].Name, "Élodie Support")
		eq(t, "Cc name (raw Latin-1)", m.Cc[0].Name, "François")
		eq(t, "Text", m.Text, "Hallo, schöne Grüße.\n")
	},
	"latin1.eml": func(t *testing.T, m *Message) {
		eq(t, "Subject", m.Subject, "Café crème")
		eq(t, "From name", m.From.Name, "Renée François")
		eq(t, "Text", m.Text, "Le café est froid, naïve crème brûlée.\n")
	},
	"windows1252.eml": func(t *testing.T, m *Message) {
		eq(t, "Text", m.Text, "It costs € 20 – “quoted” text.\n")
	},
	"iso2022jp.eml": func(t *testing.T, m *Message) {
		eq(t, "Subject", m.Subject, "請求書")
		eq(t, "Text", m.Text, "日本語のお問い合わせです。\n")
	},
	"unknown_charset.eml": func(t *testing.T, m *Message) {
		eq(t, "Subject", m.Subject, "Qapla'")
		eq(t, "Text (Windows-1252 fallback)", m.Text, "naïve café")
		eq(t, "HTML (UTF-8 fallback)", m.HTML, "<p>naïve café</p>")
		if !strings.Contains(m.Problem, `unknown charset "x-klingon"`) {
			t.Errorf("Problem = %q", m.Problem)
		}
	},
	"malformed_boundary.eml": func(t *testing.T, m *Message) {
		if !m.Broken || !strings.Contains(m.Problem, "declared-boundary") && !strings.Contains(m.Problem, "multipart") {
			t.Errorf("Broken = %v, Problem = %q", m.Broken, m.Problem)
		}
		if !strings.Contains(m.Text, "The body text that must not be lost.") || !strings.Contains(m.Text, "--other-boundary") {
			t.Errorf("raw text lost: %q", m.Text)
		}
		eq(t, "Subject", m.Subject, "Broken structure")
	},
	"missing_message_id.eml": func(t *testing.T, m *Message) {
		eq(t, "MessageID", m.MessageID, "")
		if m.AutoSubmitted {
			t.Error("Auto-Submitted: no flagged as automatic")
		}
	},
	"forward_rfc822.eml": func(t *testing.T, m *Message) {
		eq(t, "Text", m.Text, "See the attached mail from our customer.")
		if len(m.Attachments) != 1 || m.Attachments[0].Filename != "Login fällt aus.eml" || m.Attachments[0].ContentType != "message/rfc822" {
			t.Fatalf("attachments = %+v", m.Attachments)
		}
	},
	"outlook_reply.eml": func(t *testing.T, m *Message) {
		eq(t, "Stripped", m.Stripped, "Thanks, that fixed it.\n\nChris")
		eq(t, "From name", m.From.Name, "Power, Chris")
	},
	"gmail_reply.eml": func(t *testing.T, m *Message) {
		eq(t, "Stripped", m.Stripped, "Still broken, see the log below.\n\nERROR 42")
		if !slices.Equal(m.ReplyKeys, []string{"00112233445566778899aabbccddeeff"}) {
			t.Errorf("ReplyKeys = %q", m.ReplyKeys)
		}
		if len(m.References) != 2 {
			t.Errorf("References = %q", m.References)
		}
	},
	"hostile_html.eml": func(t *testing.T, m *Message) {
		assertSafe(t, SafeHTML(m.HTML))
		if n := RemoteImages(m.HTML); n != 3 {
			t.Errorf("RemoteImages = %d, want 3 (img, style element, style attribute)", n)
		}
		// With remote images allowed, the pixel and the inline background
		// load; the style element, frame, object, form and refresh do not.
		shown := SafeHTMLWithImages(m.HTML)
		if bad := unsafeParts(shown, true); len(bad) > 0 {
			t.Errorf("SafeHTMLWithImages keeps %v:\n%s", bad, shown)
		}
		for _, want := range []string{`<img src="https://evil.example/pixel.gif" width="1" height="1" referrerpolicy="no-referrer">`,
			`background-image: url(https://evil.example/bg.png)`} {
			if !strings.Contains(shown, want) {
				t.Errorf("SafeHTMLWithImages lacks %s:\n%s", want, shown)
			}
		}
		for _, gone := range []string{"track.png", "/frame", "x.swf", "/login", "/phish", "steal", "alert"} {
			if strings.Contains(shown, gone) {
				t.Errorf("SafeHTMLWithImages keeps %q:\n%s", gone, shown)
			}
		}
		if strings.Contains(m.Text, "alert") || strings.Contains(m.Text, "background") {
			t.Errorf("Text holds script or style content: %q", m.Text)
		}
	},
}

func TestCorpus(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("testdata/*.eml")
	if err != nil || len(files) != len(corpusCases) {
		t.Fatalf("%d corpus files for %d cases (%v)", len(files), len(corpusCases), err)
	}
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			check, ok := corpusCases[name]
			if !ok {
				t.Fatalf("no expectations for %s", name)
			}
			m := parseFile(t, f)
			if !utf8.ValidString(m.Text) || !utf8.ValidString(m.Subject) || !utf8.ValidString(m.HTML) {
				t.Error("output is not valid UTF-8")
			}
			if !m.Broken && m.Problem != "" && name != "unknown_charset.eml" {
				t.Errorf("unexpected Problem %q", m.Problem)
			}
			check(t, m)
		})
	}
}

func eq(t *testing.T, what, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %q, want %q", what, got, want)
	}
}

// TestLargeAttachment streams a 20 MB attachment through Parse: the callback
// sees it as a stream, and neither side holds it whole.
func TestLargeAttachment(t *testing.T) {
	t.Parallel()
	const size = 20 << 20
	head := "From: a@b.example\r\nSubject: big\r\nContent-Type: multipart/mixed; boundary=XX\r\n\r\n" +
		"--XX\r\nContent-Type: text/plain\r\n\r\nsee attachment\r\n" +
		"--XX\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=big.bin\r\n" +
		"Content-Transfer-Encoding: base64\r\n\r\n"
	src := io.MultiReader(strings.NewReader(head), &base64Lines{left: size}, strings.NewReader("\r\n--XX--\r\n"))
	var got int64
	maxChunk := 0
	m, err := Parse(src, Options{MaxTextBytes: 1 << 16, Attachment: func(a Attachment, body io.Reader) error {
		if a.Filename != "big.bin" {
			t.Errorf("Filename = %q", a.Filename)
		}
		buf := make([]byte, 32<<10)
		for {
			n, err := body.Read(buf)
			got += int64(n)
			maxChunk = max(maxChunk, n)
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	if got != size || len(m.Attachments) != 1 || m.Attachments[0].Size != size {
		t.Fatalf("streamed %d bytes, attachments %+v", got, m.Attachments)
	}
	eq(t, "Text", m.Text, "see attachment")
	if m.Broken {
		t.Errorf("Broken: %s (raw fallback buffer is capped at MaxTextBytes)", m.Problem)
	}

	// Sync only counts it.
	src = io.MultiReader(strings.NewReader(head), &base64Lines{left: size}, strings.NewReader("\r\n--XX--\r\n"))
	m, err = Parse(src, Options{MaxTextBytes: 1 << 16, SizesOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Attachments) != 1 || m.Attachments[0].Size != size || m.Attachments[0].SHA256 != "" || m.Broken {
		t.Fatalf("SizesOnly: attachments %+v, problem %q", m.Attachments, m.Problem)
	}
}

// base64Lines produces the base64 of left zero bytes in 76-column lines,
// generated on the fly.
type base64Lines struct {
	left int
	line []byte
}

func (b *base64Lines) Read(p []byte) (int, error) {
	if len(b.line) == 0 {
		if b.left == 0 {
			return 0, io.EOF
		}
		n := min(57, b.left) // 57 bytes -> 76 characters
		b.left -= n
		b.line = []byte(strings.Repeat("AAAA", n/3) + map[int]string{0: "", 1: "AA==", 2: "AAA="}[n%3] + "\r\n")
	}
	n := copy(p, b.line)
	b.line = b.line[n:]
	return n, nil
}

// TestReaderError: only a failing reader is an error, and it is wrapped.
func TestReaderError(t *testing.T) {
	t.Parallel()
	boom := errors.New("disk gone")
	r := io.MultiReader(strings.NewReader("From: a@b.example\nSubject: x\n\nhello"), &failReader{err: boom})
	if _, err := Parse(r, Options{}); !errors.Is(err, boom) {
		t.Fatalf("err = %v, want wrapped %v", err, boom)
	}
	cbErr := errors.New("store full")
	mail := "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: image/png\n\nxx\n--b--\n"
	_, err := Parse(strings.NewReader(mail), Options{Attachment: func(Attachment, io.Reader) error { return cbErr }})
	if !errors.Is(err, cbErr) {
		t.Fatalf("err = %v, want the callback's error", err)
	}
}

type failReader struct{ err error }

func (f *failReader) Read([]byte) (int, error) { return 0, f.err }

func TestMaxTextBytes(t *testing.T) {
	t.Parallel()
	body := strings.Repeat("0123456789", 1000)
	m, err := Parse(strings.NewReader("Subject: long\n\n"+body), Options{MaxTextBytes: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Text) != 100 || !strings.Contains(m.Problem, "truncated") {
		t.Errorf("len(Text) = %d, Problem = %q", len(m.Text), m.Problem)
	}
}

func TestDecodeCharset(t *testing.T) {
	t.Parallel()
	cases := []struct{ label, in, want string }{
		{"ISO-8859-2", "\xbb\xbe\xb9", "ťžš"},
		{"iso-8859-15", "\xa4", "€"},
		{"KOI8-R", "\xf0\xd2\xc9\xd7\xc5\xd4", "Привет"},
		{"GB2312", "\xc4\xe3\xba\xc3", "你好"},
		{"gbk", "\xc4\xe3\xba\xc3", "你好"},
		{"Shift_JIS", "\x93\xfa\x96\x7b", "日本"},
		{"iso-8859-1", "caf\xc3\xa9", "café"}, // UTF-8 mislabelled as Latin-1
		{"x-nonsense", "caf\xe9", "café"},
		{"x-nonsense", "caf\xc3\xa9", "café"},
		{"utf-8", "bad \xff byte", "bad ÿ byte"},
	}
	for _, c := range cases {
		if got, _ := decodeCharset(c.label, []byte(c.in)); got != c.want {
			t.Errorf("decodeCharset(%q, %q) = %q, want %q", c.label, c.in, got, c.want)
		}
	}
}

func TestStripQuotes(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, in, want string }{
		{"original message", "Done.\n\n-----Original Message-----\nFrom: x\nold", "Done."},
		{"bottom posted", "On Mon, Jan 1, 2024 at 1:00 PM A <a@b> wrote:\n> question?\n\nanswer", "answer"},
		{"german", "Danke!\n\nAm 01.01.2024 um 13:00 schrieb A <a@b>:\n> Frage", "Danke!"},
		{"inline reply keeps middle quotes", "> q1\na1\n> q2\na2", "> q1\na1\n> q2\na2"},
		{"all quoted", "> only\n> quotes", "> only\n> quotes"},
	}
	for _, c := range cases {
		eq(t, c.name, stripQuotes(c.in), c.want)
	}
}

func TestCorpusSize(t *testing.T) {
	var total int64
	entries, _ := os.ReadDir("testdata")
	for _, e := range entries {
		if info, err := e.Info(); err == nil {
			total += info.Size()
		}
	}
	if total > 300<<10 {
		t.Errorf("testdata holds %d bytes; keep it under 300 KB", total)
	}
}
