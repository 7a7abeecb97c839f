package compose

import (
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"servicedesk/internal/linker"
)

// Address is one mailbox: a display name (may be empty) and an addr-spec.
type Address struct {
	Name  string
	Email string
}

// fallbackDomain is the id-right of a Message-ID when the brand address has
// no usable domain.
const fallbackDomain = "servicedesk.invalid"

var idEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// NewMessageID returns a new, unique Message-ID (without <>) in the domain of
// brandAddress, e.g. "m1x2c3d4.k5q…@acme.com": the time in base 36 (so ids
// sort by when they were made) and 128 random bits. A brand address without
// a plain ASCII domain gives "servicedesk.invalid".
func NewMessageID(brandAddress string) string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (it aborts the program instead)
	return strconv.FormatInt(time.Now().UnixMilli(), 36) + "." + idEncoding.EncodeToString(b[:]) + "@" + domainOf(brandAddress)
}

// domainOf returns the lower-cased domain of an address, or fallbackDomain.
func domainOf(addr string) string {
	i := strings.LastIndexByte(addr, '@')
	if i < 0 {
		return fallbackDomain
	}
	d := strings.ToLower(strings.TrimSpace(strings.TrimRight(addr[i+1:], "> \t")))
	if d == "" || strings.HasPrefix(d, ".") || strings.HasSuffix(d, ".") || strings.Contains(d, "..") {
		return fallbackDomain
	}
	for i := 0; i < len(d); i++ {
		c := d[i]
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '.' && c != '-' {
			return fallbackDomain
		}
	}
	return d
}

// ReplyTo returns the address a customer's answer should go to: the brand
// address with the ticket's reply key as subaddress (support+KEY@acme.com),
// which GitLab matches to thread the answer into the ticket. It returns
// brandAddress unchanged when key is "" or is not a reply key (32 lower-case
// hex digits), or when brandAddress has no "@".
func ReplyTo(brandAddress, key string) string {
	i := strings.LastIndexByte(brandAddress, '@')
	if !linker.IsReplyKey(key) || i <= 0 {
		return brandAddress
	}
	return brandAddress[:i] + "+" + key + brandAddress[i:]
}

var (
	// replyPrefix is one leading reply marker as mail clients write them in
	// English, German, Dutch and the Nordic languages: "Re:", "RE :", "Aw:",
	// "Sv:", "Antw:", "Re[2]:", "Re(2):".
	replyPrefix = regexp.MustCompile(`^(?i:re|aw|sv|antw)(?:\[\d+\]|\(\d+\))?\s*:\s*`)
	// iidSuffix is a trailing "(#N)".
	iidSuffix = regexp.MustCompile(`\s*\(#(\d+)\)$`)
)

// Subject returns the subject of a reply on ticket iid: "Re: <title> (#iid)",
// the form GitLab gives a ticket's mail. See the package doc for how the
// title is tidied; the result never starts "Re: Re:" and never ends with the
// same "(#iid)" twice.
func Subject(title string, iid int64) string {
	t := collapseSpace(title)
	for {
		before := t
		if loc := replyPrefix.FindStringIndex(t); loc != nil {
			t = t[loc[1]:]
		}
		if iid > 0 {
			if m := iidSuffix.FindStringSubmatchIndex(t); m != nil && t[m[2]:m[3]] == strconv.FormatInt(iid, 10) {
				t = t[:m[0]]
			}
		}
		t = strings.TrimSpace(t)
		if t == before {
			break
		}
	}
	var b strings.Builder
	b.WriteString("Re: ")
	b.WriteString(t)
	if iid > 0 {
		if t != "" {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "(#%d)", iid)
	}
	return strings.TrimSpace(b.String())
}

// collapseSpace makes s valid UTF-8 on one line: control characters and
// runs of white space become one space, and the ends are trimmed.
func collapseSpace(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// mailbox checks a as a recipient or sender and returns it for go-mail: the
// e-mail must be a bare ASCII addr-spec (no name, no comment); the name is
// put on one line.
func mailbox(a Address) (*mail.Address, error) {
	e := strings.TrimSpace(a.Email)
	if e == "" {
		return nil, fmt.Errorf("no e-mail address")
	}
	for i := 0; i < len(e); i++ {
		if e[i] >= utf8.RuneSelf || e[i] < ' ' {
			return nil, fmt.Errorf("%q: only ASCII addresses can be sent", e)
		}
	}
	p, err := mail.ParseAddress(e)
	if err != nil || p.Name != "" || p.Address != e {
		return nil, fmt.Errorf("%q is not an e-mail address", e)
	}
	return &mail.Address{Name: collapseSpace(a.Name), Address: p.Address}, nil
}

// validID reports whether id (without <>) can be written as a msg-id: ASCII
// without white space or angle brackets, with an "@" inside.
func validID(id string) bool {
	at := strings.IndexByte(id, '@')
	if at <= 0 || at == len(id)-1 {
		return false
	}
	for i := 0; i < len(id); i++ {
		if c := id[i]; c <= ' ' || c >= 0x7f || c == '<' || c == '>' {
			return false
		}
	}
	return true
}

// threadIDs returns the References of a reply: refs then inReplyTo when it
// is missing, without invalid ids, duplicates or the reply's own id.
func threadIDs(self, inReplyTo string, refs []string) []string {
	out := make([]string, 0, len(refs)+1)
	seen := make(map[string]bool, len(refs)+1)
	add := func(id string) {
		id = strings.TrimSpace(id)
		if validID(id) && id != self && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	for _, id := range refs {
		add(id)
	}
	add(inReplyTo)
	return out
}

// angle returns ids as a header value: "<a> <b>".
func angle(ids []string) string {
	n := 0
	for _, id := range ids {
		n += len(id) + 3
	}
	var b strings.Builder
	b.Grow(n)
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteByte('<')
		b.WriteString(id)
		b.WriteByte('>')
	}
	return b.String()
}
