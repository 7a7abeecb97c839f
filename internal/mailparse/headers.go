package mailparse

import (
	"encoding/base64"
	"io"
	"mime"
	"net/mail"
	"regexp"
	"strings"
	"time"

	"github.com/emersion/go-message/textproto"
)

// setHeaders fills the header-derived fields of the message.
func (p *parser) setHeaders(h textproto.Header) {
	m := p.msg
	if ids := parseIDs(h.Get("Message-Id")); len(ids) > 0 {
		m.MessageID = ids[0]
	}
	m.InReplyTo = parseIDs(strings.Join(h.Values("In-Reply-To"), " "))
	m.References = parseIDs(strings.Join(h.Values("References"), " "))
	m.Subject = decodeHeader(h.Get("Subject"))
	m.Date = parseDate(h.Get("Date"))
	if from := parseAddressList(h.Get("From")); len(from) > 0 {
		m.From = from[0]
	}
	if s := parseAddressList(h.Get("Sender")); len(s) > 0 {
		m.Sender = &s[0]
	}
	m.ReplyTo = parseAddressList(strings.Join(h.Values("Reply-To"), ", "))
	m.To = parseAddressList(strings.Join(h.Values("To"), ", "))
	m.Cc = parseAddressList(strings.Join(h.Values("Cc"), ", "))

	fields := h.Fields()
	for fields.Next() {
		switch strings.ToLower(fields.Key()) {
		case "delivered-to", "envelope-to", "x-envelope-to", "x-original-to":
			v := strings.Trim(strings.TrimSpace(lenientUTF8([]byte(fields.Value()))), "<>")
			if v != "" {
				m.DeliveredTo = append(m.DeliveredTo, v)
			}
		}
	}
	m.AutoSubmitted = isAutoSubmitted(h)
	m.ReplyKeys = replyKeys(h, m.DeliveredTo)
}

func isAutoSubmitted(h textproto.Header) bool {
	if h.Has("Auto-Submitted") {
		v := strings.ToLower(strings.TrimSpace(h.Get("Auto-Submitted")))
		if i := strings.IndexAny(v, "; ("); i >= 0 {
			v = v[:i]
		}
		if v != "no" {
			return true
		}
	}
	if strings.EqualFold(strings.TrimSpace(h.Get("X-Autoreply")), "yes") || h.Has("X-Autorespond") {
		return true
	}
	return strings.EqualFold(strings.TrimSpace(h.Get("Precedence")), "auto_reply")
}

var (
	// GitLab's own patterns: a subaddressed recipient, and its reply ids.
	recipientKeyRE = regexp.MustCompile(`\+([0-9a-f]{32})@`)
	idKeyRE        = regexp.MustCompile(`(?:^|[^0-9A-Za-z])reply[-+]([0-9a-f]{32})@`)
)

// replyKeys collects GitLab reply keys from recipients, delivery headers and
// threading ids, deduplicated in order found.
func replyKeys(h textproto.Header, delivered []string) []string {
	var keys []string
	add := func(re *regexp.Regexp, s string) {
		for _, m := range re.FindAllStringSubmatch(s, -1) {
			k := m[1]
			dup := false
			for _, old := range keys {
				dup = dup || old == k
			}
			if !dup {
				keys = append(keys, k)
			}
		}
	}
	for _, k := range []string{"To", "Cc"} {
		for _, v := range h.Values(k) {
			add(recipientKeyRE, v)
		}
	}
	for _, v := range delivered {
		add(recipientKeyRE, v)
	}
	for _, k := range []string{"In-Reply-To", "References"} {
		for _, v := range h.Values(k) {
			add(idKeyRE, v)
		}
	}
	return keys
}

// parseIDs reads message ids, with or without angle brackets, separated by
// spaces or (Exchange style) commas.
func parseIDs(v string) []string {
	v = lenientUTF8([]byte(v))
	var ids []string
	if strings.Contains(v, "<") {
		for {
			i := strings.IndexByte(v, '<')
			if i < 0 {
				break
			}
			j := strings.IndexByte(v[i:], '>')
			if j < 0 {
				if id := cleanID(v[i+1:]); id != "" {
					ids = append(ids, id)
				}
				break
			}
			if id := cleanID(v[i+1 : i+j]); id != "" {
				ids = append(ids, id)
			}
			v = v[i+j+1:]
		}
		return ids
	}
	for _, f := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\r' || r == '\n' }) {
		if id := cleanID(f); id != "" && strings.Contains(id, "@") {
			ids = append(ids, id)
		}
	}
	return ids
}

func cleanID(s string) string {
	return strings.Join(strings.Fields(s), "")
}

var dateLayouts = []string{
	"Mon, 2 Jan 2006 15:04:05 -0700 (MST)",
	"2 Jan 2006 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04 -0700",
	"Mon, 2 Jan 2006 15:04:05 MST",
	"Mon, 2 Jan 06 15:04:05 -0700",
	"Mon Jan 2 15:04:05 2006",
	"Mon, 2 Jan 2006 15:04:05",
	time.RFC3339,
}

func parseDate(v string) time.Time {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}
	}
	if t, err := mail.ParseDate(v); err == nil {
		return t
	}
	v = strings.Join(strings.Fields(v), " ")
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, v); err == nil {
			return t
		}
	}
	return time.Time{}
}

var wordDecoder = &mime.WordDecoder{CharsetReader: func(label string, in io.Reader) (io.Reader, error) {
	b, err := io.ReadAll(in)
	if err != nil {
		return nil, err
	}
	s, _ := decodeCharset(label, b)
	return strings.NewReader(s), nil
}}

// looseWordRE finds encoded words that mime.WordDecoder refuses (spaces or
// '?' inside, missing separators).
var looseWordRE = regexp.MustCompile(`=\?([^?\s]+)\?([bBqQ])\?(.*?)\?=`)

// decodeHeader decodes RFC 2047 words (also malformed ones) and 8-bit bytes
// into UTF-8.
func decodeHeader(v string) string {
	v = lenientUTF8([]byte(v))
	if !strings.Contains(v, "=?") {
		return strings.TrimSpace(v)
	}
	if d, err := wordDecoder.DecodeHeader(v); err == nil {
		v = d
	}
	if strings.Contains(v, "=?") {
		v = looseWordRE.ReplaceAllStringFunc(v, func(w string) string {
			m := looseWordRE.FindStringSubmatch(w)
			var raw []byte
			if strings.EqualFold(m[2], "b") {
				raw = decodeBase64Loose(m[3])
			} else {
				raw = decodeQWord(m[3])
			}
			label := m[1]
			if i := strings.IndexByte(label, '*'); i >= 0 { // RFC 2231 language
				label = label[:i]
			}
			s, _ := decodeCharset(label, raw)
			return s
		})
	}
	return strings.TrimSpace(v)
}

func decodeQWord(s string) []byte {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '_':
			out = append(out, ' ')
		case c == '=' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			out = append(out, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
		default:
			out = append(out, c)
		}
	}
	return out
}

func decodeBase64Loose(s string) []byte {
	s = strings.TrimRight(strings.Join(strings.Fields(s), ""), "=")
	b, err := base64.RawStdEncoding.DecodeString(s)
	if err != nil {
		if n := len(s) / 4 * 4; n > 0 {
			b, _ = base64.RawStdEncoding.DecodeString(s[:n])
		}
	}
	return b
}

// parseAddressList parses an address header, falling back to picking out
// anything that looks like an address when the header is malformed.
func parseAddressList(v string) []Address {
	v = strings.TrimSpace(lenientUTF8([]byte(v)))
	if v == "" {
		return nil
	}
	ap := mail.AddressParser{WordDecoder: wordDecoder}
	if list, err := ap.ParseList(v); err == nil {
		out := make([]Address, 0, len(list))
		for _, a := range list {
			out = append(out, Address{Name: decodeHeader(a.Name), Email: normalizeEmail(a.Address)})
		}
		return out
	}
	var out []Address
	for _, m := range looseAddrRE.FindAllStringSubmatchIndex(v, -1) {
		email := v[m[2]:m[3]]
		before := v[:m[0]]
		if i := strings.LastIndexAny(before, ",;>"); i >= 0 {
			before = before[i+1:]
		}
		name := decodeHeader(strings.Trim(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(before), "<")), `"' `))
		if strings.Contains(name, "@") || strings.Contains(name, ":") {
			name = ""
		}
		out = append(out, Address{Name: name, Email: normalizeEmail(email)})
	}
	return out
}

var looseAddrRE = regexp.MustCompile(`<?([^\s<>,;:"()\[\]]+@[^\s<>,;:"()\[\]]+?)(?:>|[\s,;]|$|[A-Z][a-z]+-)`)

// normalizeEmail lower-cases the domain, keeping the local part as written.
func normalizeEmail(e string) string {
	e = strings.TrimSpace(e)
	if i := strings.LastIndexByte(e, '@'); i >= 0 {
		return e[:i] + strings.ToLower(e[i:])
	}
	return e
}
