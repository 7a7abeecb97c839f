package compose

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"net/mail"
	"strings"
	"testing"
	"time"

	gomessage "github.com/emersion/go-message/mail"
	"golang.org/x/net/html"

	"servicedesk/internal/mailparse"
)

// testKey is a reply key in GitLab's form.
const testKey = "59d8df8370b7e95c5a49fbf86aeb2c93"

var testDate = time.Date(2025, 3, 4, 14, 5, 6, 0, time.FixedZone("CET", 3600))

// testReply is a typical reply: key known, answering a customer's mail.
func testReply() Reply {
	return Reply{
		From:       Identity{Address: "support@acme.com", Name: "Acme Support", Signature: "The Acme team"},
		To:         []Address{{Name: "Zoë Müller", Email: "zoe@example.com"}},
		Title:      "Card declined",
		IID:        42,
		ReplyKey:   testKey,
		InReplyTo:  "CAF=abc123@mail.gmail.com",
		References: []string{"issue_17@gitlab.example.com", "reply-" + testKey + "@gitlab.example.com", "CAF=abc123@mail.gmail.com"},
		MessageID:  "m7q2x.5ka3bmbh2qzfyh@acme.com",
		Date:       testDate,
		Body:       "Hello Zoë,\n\nthe card works again.",
	}
}

// build is Build into a buffer, failing the test on an error.
func build(t testing.TB, r Reply) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Build(r, &b); err != nil {
		t.Fatalf("Build: %v", err)
	}
	return b.Bytes()
}

// readBack is a built message as three independent readers see it.
type readBack struct {
	raw    []byte
	header mail.Header        // net/mail
	msg    *mailparse.Message // the app's own parser
	files  map[string][]byte  // attachments by file name, from mailparse
	leaves []leaf             // go-message's walk, in order
}

// leaf is one non-multipart part as go-message decodes it.
type leaf struct {
	contentType string
	filename    string // "" for inline parts
	body        string // transfer-decoded, CRLF made LF for text parts
}

func readMail(t testing.TB, raw []byte) readBack {
	t.Helper()
	rb := readBack{raw: raw, files: map[string][]byte{}}
	nm, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("net/mail: %v", err)
	}
	rb.header = nm.Header
	rb.msg, err = mailparse.Parse(bytes.NewReader(raw), mailparse.Options{
		Attachment: func(a mailparse.Attachment, body io.Reader) error {
			b, err := io.ReadAll(body)
			rb.files[a.Filename] = b
			return err
		},
	})
	if err != nil {
		t.Fatalf("mailparse: %v", err)
	}
	if rb.msg.Broken {
		t.Fatalf("mailparse finds the message broken: %s", rb.msg.Problem)
	}
	mr, err := gomessage.CreateReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("go-message: %v", err)
	}
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("go-message part: %v", err)
		}
		body, err := io.ReadAll(p.Body)
		if err != nil {
			t.Fatalf("go-message body: %v", err)
		}
		var l leaf
		switch h := p.Header.(type) {
		case *gomessage.InlineHeader:
			l.contentType, _, _ = h.ContentType()
			l.body = strings.ReplaceAll(string(body), "\r\n", "\n")
		case *gomessage.AttachmentHeader:
			l.contentType, _, _ = h.ContentType()
			l.filename, _ = h.Filename()
			l.body = string(body)
		}
		rb.leaves = append(rb.leaves, l)
	}
	return rb
}

// part returns the body of the first inline part of type ct.
func (rb readBack) part(t testing.TB, ct string) string {
	t.Helper()
	for _, l := range rb.leaves {
		if l.contentType == ct && l.filename == "" {
			return l.body
		}
	}
	t.Fatalf("no %s part; parts: %+v", ct, rb.types())
	return ""
}

func (rb readBack) types() []string {
	var ts []string
	for _, l := range rb.leaves {
		ts = append(ts, l.contentType)
	}
	return ts
}

// decoded returns a header with its RFC 2047 words decoded.
func (rb readBack) decoded(t testing.TB, key string) string {
	t.Helper()
	s, err := new(mime.WordDecoder).DecodeHeader(rb.header.Get(key))
	if err != nil {
		t.Fatalf("decode %s %q: %v", key, rb.header.Get(key), err)
	}
	return s
}

// headerLines returns the raw header block's lines (folded ones separate).
func headerLines(raw []byte) []string {
	head, _, _ := bytes.Cut(raw, []byte("\r\n\r\n"))
	return strings.Split(string(head), "\r\n")
}

// htmlProblems parses an HTML part as a browser would and returns what a
// customer's mail client must never get: scripts and other active
// elements, event handler attributes, links and images to anything but
// http(s) (and mailto:/tel: for links).
func htmlProblems(t testing.TB, s string) []string {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(s))
	if err != nil {
		t.Fatalf("parse HTML: %v", err)
	}
	var bad []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script", "iframe", "object", "embed", "form", "style", "link", "base", "svg", "math":
				bad = append(bad, "<"+n.Data+">")
			}
			for _, a := range n.Attr {
				v := strings.ToLower(strings.TrimSpace(a.Val))
				switch {
				case strings.HasPrefix(a.Key, "on"):
					bad = append(bad, a.Key+" attribute")
				case a.Key == "href" && !(strings.HasPrefix(v, "http://") || strings.HasPrefix(v, "https://") || strings.HasPrefix(v, "mailto:") || strings.HasPrefix(v, "tel:")):
					bad = append(bad, "href="+a.Val)
				case a.Key == "src" && !(strings.HasPrefix(v, "http://") || strings.HasPrefix(v, "https://")):
					bad = append(bad, "src="+a.Val)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return bad
}

// htmlText returns the text a reader of the HTML sees, tags dropped.
func htmlText(t testing.TB, s string) string {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(s))
	if err != nil {
		t.Fatalf("parse HTML: %v", err)
	}
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return b.String()
}
