package mailparse

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/emersion/go-message/textproto"
)

// Address is one mailbox of an address header.
type Address struct {
	Name  string // display name, RFC 2047 decoded
	Email string // addr-spec with the domain lower-cased
}

// Attachment describes a non-body part of a message.
type Attachment struct {
	Filename    string // sanitized file name (no path), never empty
	ContentType string // lower-case media type, e.g. "image/png"
	ContentID   string // Content-ID without <>
	Inline      bool   // Content-Disposition inline, or referenced by cid: in the HTML
	Size        int64  // decoded bytes
	SHA256      string // hex of the decoded bytes
}

// Message is the parsed form of one mail, as the app stores and shows it.
type Message struct {
	MessageID     string    // without <>; "" when missing (the caller then derives one)
	InReplyTo     []string  // ids without <>
	References    []string  // ids without <>, in order
	Subject       string    // RFC 2047 decoded
	Date          time.Time // zero when missing or unparsable
	From          Address
	Sender        *Address
	ReplyTo       []Address
	To, Cc        []Address
	DeliveredTo   []string // Delivered-To, Envelope-To, X-Envelope-To, X-Original-To values, in header order
	AutoSubmitted bool     // the mail declares itself automatic (auto-reply, bounce, list robot)

	// Text is the plain-text body in UTF-8; when the mail has only HTML (or an
	// empty text part), the HTML reduced to readable text.
	Text string
	// HTML is the HTML body in UTF-8, raw and NOT sanitized: show it only
	// through SafeHTML. "" when none.
	HTML string
	// Stripped is Text without quoted history, for the thread view. It is Text
	// itself when stripping would leave nothing.
	Stripped string

	// Attachments are in the order the parts appear, which is also the order
	// of the Options.Attachment calls.
	Attachments []Attachment
	// ReplyKeys are the GitLab reply keys (32 lower-case hex) found in
	// recipients (`+KEY@`) and in `reply-KEY@`/`reply+KEY@` ids of
	// In-Reply-To and References; deduplicated, in order found.
	ReplyKeys []string

	// Broken reports that the MIME structure could not be parsed faithfully;
	// Text then holds the raw message (best-effort UTF-8, capped at
	// Options.MaxTextBytes).
	Broken bool
	// Problem says what was wrong or lost (broken structure, truncated
	// bodies, unknown charsets); "" for a clean mail.
	Problem string
}

// Options tune Parse.
type Options struct {
	// Attachment, when set, receives each attachment's decoded body as it is
	// parsed, so a large attachment is never held in memory. The body reader
	// is valid only during the call; what the callback does not read is
	// drained. The Attachment value carries what is known before the body is
	// read: Size and SHA256 are filled in afterwards, and Inline may still
	// become true when the HTML refers to the part by cid:. The final values
	// are in Message.Attachments, in the same order as the calls.
	Attachment func(a Attachment, body io.Reader) error
	// SizesOnly skips decoding attachments that Attachment does not want
	// (it must be nil): Size is counted from the encoded body (exact for
	// base64 and quoted-printable as this package decodes them) and SHA256
	// stays "". Sync uses it; the bytes are read when the agent saves one.
	SizesOnly bool
	// MaxTextBytes caps Text and HTML (each) kept in memory; 0 means 4 MiB.
	// Longer bodies are truncated with a note in Message.Problem.
	MaxTextBytes int64
}

const (
	defaultMaxText = 4 << 20
	maxHeaderBytes = 1 << 20
	maxDepth       = 32
)

// errStructure marks a MIME structure that could not be parsed at all.
var errStructure = errors.New("broken MIME structure")

// Parse reads one message from r. It returns an error only when reading r
// fails or when Options.Attachment returns one; malformed mail yields a
// Message with Broken set, never an error or a panic.
func Parse(r io.Reader, opt Options) (*Message, error) {
	if opt.MaxTextBytes <= 0 {
		opt.MaxTextBytes = defaultMaxText
	}
	src := newSourceReader(r, opt.MaxTextBytes)
	p := &parser{opt: opt, src: src, msg: &Message{}}
	br := bufio.NewReaderSize(src, 64<<10)
	if err := p.run(br); err != nil {
		return nil, err
	}
	return p.msg, nil
}

// sourceReader records the first read error of the caller's reader (so it can
// be told apart from malformed MIME) and keeps what the Broken fallback
// needs: for a reader that can seek (a file, a bytes.Reader) where it
// started, so the raw text is read again only for broken mail; for any other
// reader a copy of the first max raw bytes.
type sourceReader struct {
	r     io.Reader
	err   error
	max   int64
	seek  io.ReadSeeker // r, when it can seek back to start
	start int64
	raw   []byte
	read  int64
}

func newSourceReader(r io.Reader, max int64) *sourceReader {
	s := &sourceReader{r: r, max: max}
	if rs, ok := r.(io.ReadSeeker); ok {
		if at, err := rs.Seek(0, io.SeekCurrent); err == nil {
			s.seek, s.start = rs, at
		}
	}
	return s
}

func (s *sourceReader) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if n > 0 && s.seek == nil {
		if room := s.max - int64(len(s.raw)); room > 0 {
			s.raw = append(s.raw, p[:min(int64(n), room)]...)
		}
	}
	s.read += int64(n)
	if err != nil && err != io.EOF && s.err == nil {
		s.err = err
	}
	return n, err
}

// rawText returns the first max raw bytes of the message and whether there
// were more.
func (s *sourceReader) rawText() ([]byte, bool, error) {
	over := s.read > s.max
	if s.seek == nil {
		return s.raw, over, nil
	}
	if _, err := s.seek.Seek(s.start, io.SeekStart); err != nil {
		return nil, false, fmt.Errorf("read message again: %w", err)
	}
	raw, err := io.ReadAll(io.LimitReader(s.seek, s.max))
	if err != nil {
		return nil, false, fmt.Errorf("read message again: %w", err)
	}
	return raw, over, nil
}

type parser struct {
	opt      Options
	src      *sourceReader
	msg      *Message
	problems []string
	text     strings.Builder
	html     strings.Builder
	textCut  bool
	htmlCut  bool
}

func (p *parser) problem(format string, args ...any) {
	s := fmt.Sprintf(format, args...)
	for _, old := range p.problems {
		if old == s {
			return
		}
	}
	p.problems = append(p.problems, s)
}

// ioErr returns the caller's read error, if there was one.
func (p *parser) ioErr() error {
	if p.src.err != nil {
		return fmt.Errorf("read message: %w", p.src.err)
	}
	return nil
}

func (p *parser) run(br *bufio.Reader) error {
	skipPreamble(br)
	raw, err := readHeaderBlock(br)
	if err := p.ioErr(); err != nil {
		return err
	}
	var h textproto.Header
	if err == nil {
		h, err = textproto.ReadHeader(bufio.NewReader(bytes.NewReader(fixHeaderBlock(raw))))
	}
	if err != nil {
		p.setHeaders(h)
		return p.broken(br, fmt.Sprintf("unreadable header: %v", err))
	}
	p.setHeaders(h)
	if err := p.entity(h, br, 0, ""); err != nil {
		if ioErr := p.ioErr(); ioErr != nil {
			return ioErr
		}
		if !errors.Is(err, errStructure) {
			return err
		}
		return p.broken(br, err.Error())
	}
	if err := p.ioErr(); err != nil {
		return err
	}
	p.finish()
	return nil
}

// broken keeps the raw message as Text; the parts found so far stay listed.
func (p *parser) broken(br *bufio.Reader, why string) error {
	if _, err := io.Copy(io.Discard, br); err != nil || p.src.err != nil {
		if ioErr := p.ioErr(); ioErr != nil {
			return ioErr
		}
	}
	raw, over, err := p.src.rawText()
	if err != nil {
		return err
	}
	m := p.msg
	m.Broken = true
	m.Text = normalizeText(lenientUTF8(raw))
	m.HTML = ""
	m.Stripped = m.Text
	p.problems = append([]string{why}, p.problems...)
	if over {
		p.problem("raw text truncated to %d bytes", p.opt.MaxTextBytes)
	}
	m.Problem = strings.Join(p.problems, "; ")
	return nil
}

func (p *parser) finish() {
	m := p.msg
	m.Text = normalizeText(p.text.String())
	m.HTML = normalizeText(p.html.String())
	if p.textCut {
		p.problem("text body truncated to %d bytes", p.opt.MaxTextBytes)
	}
	if p.htmlCut {
		p.problem("HTML body truncated to %d bytes", p.opt.MaxTextBytes)
	}
	if strings.TrimSpace(m.Text) == "" && m.HTML != "" {
		m.Text = HTMLToText(m.HTML)
	}
	if m.HTML != "" {
		lower := strings.ToLower(m.HTML)
		for i := range m.Attachments {
			a := &m.Attachments[i]
			if a.ContentID != "" && strings.Contains(lower, "cid:"+strings.ToLower(a.ContentID)) {
				a.Inline = true
			}
		}
	}
	m.Stripped = stripQuotes(m.Text)
	m.Problem = strings.Join(p.problems, "; ")
}

// normalizeText turns CRLF into LF and drops a leading byte-order mark.
func normalizeText(s string) string {
	s = strings.TrimPrefix(s, "\ufeff")
	if strings.IndexByte(s, '\r') >= 0 {
		s = strings.ReplaceAll(s, "\r\n", "\n")
	}
	return s
}

// skipPreamble drops blank lines and an mbox "From " line before the header.
func skipPreamble(br *bufio.Reader) {
	for {
		b, err := br.Peek(5)
		if len(b) > 0 && (b[0] == '\n' || b[0] == '\r') {
			_, _ = br.ReadByte()
			continue
		}
		if err == nil && string(b) == "From " {
			_, _ = br.ReadSlice('\n')
			continue
		}
		return
	}
}

// readHeaderBlock reads up to and including the blank line ending a header.
func readHeaderBlock(br *bufio.Reader) ([]byte, error) {
	var out []byte
	for {
		line, err := br.ReadSlice('\n')
		out = append(out, line...)
		if len(out) > maxHeaderBytes {
			return out, fmt.Errorf("header longer than %d bytes", maxHeaderBytes)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if len(bytes.TrimRight(line, "\r\n")) == 0 && (len(line) > 0 || err != nil) {
			return out, nil
		}
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
	}
}

// fixHeaderBlock makes a damaged header readable by textproto.ReadHeader:
// lines that are neither a field nor a continuation become continuations,
// "Key : value" loses the space, and the block gets its closing blank line.
func fixHeaderBlock(raw []byte) []byte {
	var out bytes.Buffer
	lines := bytes.SplitAfter(raw, []byte("\n"))
	for i, line := range lines {
		body := bytes.TrimRight(line, "\r\n")
		if len(body) == 0 {
			continue
		}
		switch {
		case body[0] == ' ' || body[0] == '\t':
			if i == 0 || out.Len() == 0 {
				continue // a continuation of nothing
			}
			out.Write(body)
		default:
			colon := bytes.IndexByte(body, ':')
			key := []byte{}
			if colon > 0 {
				key = bytes.TrimRight(body[:colon], " \t")
			}
			if validKey(key) {
				out.Write(key)
				out.Write(body[colon:])
			} else if out.Len() > 0 {
				out.WriteByte(' ')
				out.Write(body)
			} else {
				continue
			}
		}
		out.WriteString("\r\n")
	}
	out.WriteString("\r\n")
	return out.Bytes()
}

func validKey(k []byte) bool {
	if len(k) == 0 {
		return false
	}
	for _, c := range k {
		if c < 33 || c > 126 || c == ':' {
			return false
		}
	}
	return true
}
