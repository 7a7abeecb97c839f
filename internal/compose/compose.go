package compose

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/mail"
	"net/textproto"
	"path"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"servicedesk/internal/linker"
)

// Identity is how a project answers: the brand address and display name,
// and the signature in Markdown.
type Identity struct {
	Address   string // e.g. support@acme.com
	Name      string // e.g. "Acme Support"; may be empty
	Signature string // Markdown, put under every reply; may be empty
}

// Attachment is a file sent with a reply. Build calls Open once, while it
// writes the message, and closes what it returns.
type Attachment struct {
	Name        string // file name as the customer sees it (a path is cut to its last element)
	ContentType string // e.g. "application/pdf"; "" guesses from the name's extension
	Open        func() (io.ReadCloser, error)
	Size        int64 // bytes; when positive, Build fails if Open yields another length
}

// Reply is everything a reply mail is made of. The caller fixes MessageID
// and Date when the reply is queued, so building it again gives the same
// message.
type Reply struct {
	From        Identity
	To          []Address // the customer
	Cc          []Address // the ticket's external participants (GitLab allows 10)
	Title       string    // the ticket's title
	IID         int64
	ReplyKey    string   // the ticket's GitLab reply key (32 lower-case hex) when known, else ""
	InReplyTo   string   // the Message-ID (without <>) of the message answered, "" if none
	References  []string // the thread's Message-IDs without <>, oldest first, incl. GitLab's reply-KEY@host ids when known
	MessageID   string   // without <>; see NewMessageID
	Date        time.Time
	Body        string // Markdown, templates already expanded
	Attachments []Attachment
}

// userAgent names the program in the one header go-mail would otherwise
// fill with its own name.
const userAgent = "Service Desk Desktop"

// Build writes r as an RFC 5322 message to w. It checks r first and writes
// nothing when r is not a sendable reply; see the package doc for the rules.
func Build(r Reply, w io.Writer) error {
	m, err := message(r)
	if err != nil {
		return fmt.Errorf("compose reply on #%d: %w", r.IID, err)
	}
	if _, err := m.WriteTo(w); err != nil {
		return fmt.Errorf("write reply %s on #%d: %w", r.MessageID, r.IID, err)
	}
	return nil
}

// message turns r into a go-mail message, checking every field.
func message(r Reply) (*gomail.Msg, error) {
	m := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	if err := setAddresses(m, r); err != nil {
		return nil, err
	}
	if err := setThreading(m, r); err != nil {
		return nil, err
	}
	m.Subject(Subject(r.Title, r.IID))
	m.SetGenHeader(gomail.HeaderUserAgent, userAgent)

	body, sig := tidy(r.Body), tidySignature(r.From.Signature)
	if body == "" && len(r.Attachments) == 0 {
		return nil, errors.New("the reply is empty")
	}
	html, err := renderHTML(body, sig)
	if err != nil {
		return nil, fmt.Errorf("render Markdown: %w", err)
	}
	m.SetBodyString(gomail.TypeTextPlain, renderText(body, sig))
	m.AddAlternativeString(gomail.TypeTextHTML, html)

	files := make([]*gomail.File, 0, len(r.Attachments))
	for i, a := range r.Attachments {
		f, err := file(a)
		if err != nil {
			return nil, fmt.Errorf("attachment %d: %w", i+1, err)
		}
		files = append(files, f)
	}
	m.SetAttachments(files)
	return m, nil
}

// setAddresses sets From, To, Cc and Reply-To.
func setAddresses(m *gomail.Msg, r Reply) error {
	from, err := mailbox(Address{Name: r.From.Name, Email: r.From.Address})
	if err != nil {
		return fmt.Errorf("brand address: %w", err)
	}
	m.FromMailAddress(from)
	if len(r.To) == 0 {
		return errors.New("no recipient")
	}
	seen := map[string]bool{strings.ToLower(from.Address): true}
	to := make([]*mail.Address, 0, len(r.To))
	for _, a := range r.To {
		addr, err := mailbox(a)
		if err != nil {
			return fmt.Errorf("recipient: %w", err)
		}
		seen[strings.ToLower(addr.Address)] = true
		to = append(to, addr)
	}
	m.ToMailAddress(to...)
	cc := make([]*mail.Address, 0, len(r.Cc))
	for _, a := range r.Cc {
		addr, err := mailbox(a)
		if err != nil {
			return fmt.Errorf("cc: %w", err)
		}
		if key := strings.ToLower(addr.Address); !seen[key] {
			seen[key] = true
			cc = append(cc, addr)
		}
	}
	if len(cc) > 0 {
		m.CcMailAddress(cc...)
	}
	if r.ReplyKey != "" && !linker.IsReplyKey(r.ReplyKey) {
		return fmt.Errorf("reply key %q is not 32 lower-case hex digits", r.ReplyKey)
	}
	m.ReplyToMailAddress(&mail.Address{Name: from.Name, Address: ReplyTo(from.Address, r.ReplyKey)})
	return nil
}

// setThreading sets Date, Message-ID, In-Reply-To and References.
func setThreading(m *gomail.Msg, r Reply) error {
	if r.Date.IsZero() {
		return errors.New("no date")
	}
	m.SetDateWithValue(r.Date)
	if !validID(r.MessageID) {
		return fmt.Errorf("message id %q is not one (want local@domain, ASCII, without <>)", r.MessageID)
	}
	m.SetMessageIDWithValue(r.MessageID)
	inReplyTo := strings.TrimSpace(r.InReplyTo)
	if validID(inReplyTo) && inReplyTo != r.MessageID {
		m.SetGenHeader(gomail.HeaderInReplyTo, "<"+inReplyTo+">")
	} else {
		inReplyTo = ""
	}
	if refs := threadIDs(r.MessageID, inReplyTo, r.References); len(refs) > 0 {
		m.SetGenHeader(gomail.HeaderReferences, angle(refs))
	}
	return nil
}

// file turns an attachment into a go-mail file read from a.Open only when
// the message is written.
func file(a Attachment) (*gomail.File, error) {
	name := path.Base(strings.ReplaceAll(collapseSpace(a.Name), `\`, "/"))
	if name == "" || name == "." || name == ".." || name == "/" {
		return nil, errors.New("no file name")
	}
	if a.Open == nil {
		return nil, fmt.Errorf("%q: nothing to read it from", name)
	}
	open, want := a.Open, a.Size
	return &gomail.File{
		Name:        name,
		ContentType: gomail.ContentType(contentType(a.ContentType, name)),
		Header:      textproto.MIMEHeader{},
		Writer: func(w io.Writer) (int64, error) {
			rc, err := open()
			if err != nil {
				return 0, fmt.Errorf("open %q: %w", name, err)
			}
			if rc == nil {
				return 0, fmt.Errorf("open %q: no reader", name)
			}
			n, err := io.Copy(w, rc)
			if cerr := rc.Close(); err == nil && cerr != nil {
				err = cerr
			}
			if err != nil {
				return n, fmt.Errorf("read %q: %w", name, err)
			}
			if want > 0 && n != want {
				return n, fmt.Errorf("%q has %d bytes, %d when it was attached: it changed", name, n, want)
			}
			return n, nil
		},
	}, nil
}

// contentType returns a clean media type for an attachment: the caller's,
// re-formatted (no header injection through it), else one guessed from the
// name, else application/octet-stream.
func contentType(given, name string) string {
	if t, params, err := mime.ParseMediaType(given); err == nil && strings.Contains(t, "/") {
		delete(params, "name")
		if s := mime.FormatMediaType(t, params); s != "" {
			return s
		}
	}
	if t := mime.TypeByExtension(path.Ext(name)); t != "" {
		if mt, params, err := mime.ParseMediaType(t); err == nil {
			return mime.FormatMediaType(mt, params)
		}
	}
	return "application/octet-stream"
}
