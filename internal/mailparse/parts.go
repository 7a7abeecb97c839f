package mailparse

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"mime"
	"path"
	"strings"

	"github.com/emersion/go-message/textproto"
)

// entity walks one MIME entity: multiparts recurse, text bodies are kept,
// everything else is streamed out as an attachment.
func (p *parser) entity(h textproto.Header, body io.Reader, depth int, parent string) error {
	defaultType := "text/plain"
	if parent == "multipart/digest" {
		defaultType = "message/rfc822"
	}
	ctype, params := parseContentType(h.Get("Content-Type"), defaultType)
	disp, dparams := parseDisposition(h.Get("Content-Disposition"))
	filename := partFilename(params, dparams)

	switch {
	case strings.HasPrefix(ctype, "multipart/") && depth < maxDepth:
		return p.multipart(ctype, params["boundary"], body, depth)
	case (ctype == "text/plain" || ctype == "text/html") && disp != "attachment" && filename == "":
		if p.bodyPart(h, ctype, params, body, parent) {
			return nil
		}
	}
	a := Attachment{
		Filename:    filename,
		ContentType: ctype,
		ContentID:   strings.TrimSpace(strings.Trim(strings.TrimSpace(h.Get("Content-Id")), "<>")),
		Inline:      disp == "inline",
	}
	enc := h.Get("Content-Transfer-Encoding")
	dec, known := transferDecoder(enc, body)
	if !known {
		p.problem("unknown transfer encoding %q kept as is", enc)
	}
	forwarded := ctype == "message/rfc822" || ctype == "message/global"
	if p.opt.SizesOnly && p.opt.Attachment == nil && !forwarded {
		if a.Filename == "" {
			a.Filename = defaultName(len(p.msg.Attachments)+1, ctype)
		}
		return p.countAttachment(a, enc, body)
	}
	if forwarded || ctype == "message/global" {
		br := bufio.NewReader(dec)
		raw, _ := readHeaderBlock(br)
		if a.Filename == "" {
			a.Filename = forwardedName(raw)
		}
		dec = io.MultiReader(bytes.NewReader(raw), br)
	}
	if a.Filename == "" {
		a.Filename = defaultName(len(p.msg.Attachments)+1, ctype)
	}
	return p.attachment(a, dec)
}

// multipart reads the parts of a multipart entity. A multipart with no
// readable part is a structural error; one that ends early keeps its parts.
func (p *parser) multipart(ctype, boundary string, body io.Reader, depth int) error {
	if boundary == "" {
		return fmt.Errorf("%w: %s without boundary", errStructure, ctype)
	}
	mr := textproto.NewMultipartReader(body, boundary)
	for n := 0; ; n++ {
		part, err := mr.NextPart()
		if err == io.EOF {
			if n == 0 {
				return fmt.Errorf("%w: %s boundary %q not found", errStructure, ctype, boundary)
			}
			return nil
		}
		if err != nil {
			if ioErr := p.ioErr(); ioErr != nil {
				return ioErr
			}
			if n == 0 {
				return fmt.Errorf("%w: %s: %v", errStructure, ctype, err)
			}
			p.problem("%s ends early after %d parts: %v", ctype, n, err)
			return nil
		}
		if err := p.entity(part.Header, part, depth+1, ctype); err != nil {
			return err
		}
	}
}

// bodyPart keeps a text/plain or text/html part as the message body. It
// returns false when the slot is taken by an alternative, so the part is
// listed as an attachment instead of being lost.
func (p *parser) bodyPart(h textproto.Header, ctype string, params map[string]string, body io.Reader, parent string) bool {
	sb, cut := &p.text, &p.textCut
	if ctype == "text/html" {
		sb, cut = &p.html, &p.htmlCut
	}
	if sb.Len() > 0 && parent == "multipart/alternative" {
		return false
	}
	dec, known := transferDecoder(h.Get("Content-Transfer-Encoding"), body)
	if !known {
		p.problem("unknown transfer encoding %q kept as is", h.Get("Content-Transfer-Encoding"))
	}
	room := p.opt.MaxTextBytes - int64(sb.Len())
	if room < 0 {
		room = 0
	}
	raw, err := io.ReadAll(io.LimitReader(dec, room+1))
	if err != nil {
		p.problem("%s part damaged: %v", ctype, err)
	}
	if int64(len(raw)) > room {
		raw = raw[:room]
		*cut = true
		if _, err := io.Copy(io.Discard, dec); err != nil {
			p.problem("%s part damaged: %v", ctype, err)
		}
	}
	s, ok := decodeCharset(params["charset"], raw)
	if !ok {
		p.problem("unknown charset %q read as UTF-8/Windows-1252", params["charset"])
	}
	if int64(len(s)) > room { // decoding can grow the text
		s = truncateUTF8(s, int(room))
		*cut = true
	}
	if sb.Len() > 0 && s != "" {
		if ctype == "text/plain" {
			sb.WriteString("\n\n")
		}
	}
	sb.WriteString(s)
	return true
}

// attachment streams a part through the caller's callback while hashing it.
func (p *parser) attachment(a Attachment, body io.Reader) error {
	hr := &hashReader{r: body, h: sha256.New()}
	if p.opt.Attachment != nil {
		if err := p.opt.Attachment(a, hr); err != nil {
			if ioErr := p.ioErr(); ioErr != nil {
				return ioErr
			}
			if hr.err == nil || !errors.Is(err, hr.err) {
				return fmt.Errorf("attachment %q: %w", a.Filename, err)
			}
		}
	}
	if _, err := io.Copy(io.Discard, hr); err != nil {
		if ioErr := p.ioErr(); ioErr != nil {
			return ioErr
		}
	}
	if hr.err != nil {
		p.problem("attachment %q damaged: %v", a.Filename, hr.err)
	}
	a.Size = hr.n
	a.SHA256 = hex.EncodeToString(hr.h.Sum(nil))
	p.msg.Attachments = append(p.msg.Attachments, a)
	return nil
}

// countAttachment lists a part with its decoded size, without decoding it.
func (p *parser) countAttachment(a Attachment, enc string, body io.Reader) error {
	n, err := decodedSize(enc, body)
	if err != nil {
		if ioErr := p.ioErr(); ioErr != nil {
			return ioErr
		}
		p.problem("attachment %q damaged: %v", a.Filename, err)
	}
	a.Size = n
	p.msg.Attachments = append(p.msg.Attachments, a)
	return nil
}

// hashReader counts and hashes what is read, and records a read error.
type hashReader struct {
	r   io.Reader
	h   hash.Hash
	n   int64
	err error
}

func (r *hashReader) Read(b []byte) (int, error) {
	n, err := r.r.Read(b)
	r.h.Write(b[:n])
	r.n += int64(n)
	if err != nil && err != io.EOF && r.err == nil {
		r.err = err
	}
	return n, err
}

// parseContentType is mime.ParseMediaType with fallbacks for damaged values.
func parseContentType(v, def string) (string, map[string]string) {
	v = strings.TrimSpace(v)
	if v == "" {
		return def, map[string]string{}
	}
	t, params, err := mime.ParseMediaType(v)
	if err != nil || t == "" {
		t, params = looseParams(v)
	}
	t = strings.ToLower(t)
	if t == "text" || !strings.Contains(t, "/") {
		t = def
	}
	return t, params
}

func parseDisposition(v string) (string, map[string]string) {
	if strings.TrimSpace(v) == "" {
		return "", map[string]string{}
	}
	d, params, err := mime.ParseMediaType(v)
	if err != nil || d == "" {
		d, params = looseParams(v)
	}
	return strings.ToLower(d), params
}

// looseParams splits "type; a=b; c="d"" by hand when the value is malformed.
func looseParams(v string) (string, map[string]string) {
	params := map[string]string{}
	fields := strings.Split(v, ";")
	for _, f := range fields[1:] {
		k, val, ok := strings.Cut(f, "=")
		if !ok {
			continue
		}
		k = strings.ToLower(strings.TrimSpace(k))
		if _, dup := params[k]; !dup && k != "" {
			params[k] = strings.Trim(strings.TrimSpace(val), `"`)
		}
	}
	return strings.TrimSpace(fields[0]), params
}

func partFilename(params, dparams map[string]string) string {
	name := dparams["filename"]
	if name == "" {
		name = params["name"]
	}
	return sanitizeFilename(decodeHeader(name))
}

// sanitizeFilename drops any path and control characters.
func sanitizeFilename(s string) string {
	s = strings.ReplaceAll(s, "\\", "/")
	s = path.Base(s)
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '/' || r == ':' || r == '*' || r == '?' || r == '"' || r == '<' || r == '>' || r == '|' {
			return '_'
		}
		return r
	}, s)
	s = strings.Trim(s, " .")
	if len(s) > 200 {
		s = truncateUTF8(s, 200)
	}
	return s
}

func forwardedName(rawHeader []byte) string {
	h, err := textproto.ReadHeader(bufio.NewReader(bytes.NewReader(fixHeaderBlock(rawHeader))))
	subject := ""
	if err == nil {
		subject = sanitizeFilename(decodeHeader(h.Get("Subject")))
	}
	if subject == "" {
		subject = "forwarded message"
	}
	return subject + ".eml"
}

var extByType = map[string]string{
	"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "image/webp": ".webp",
	"application/pdf": ".pdf", "text/plain": ".txt", "text/html": ".html", "text/calendar": ".ics",
	"application/pkcs7-signature": ".p7s", "application/x-pkcs7-signature": ".p7s",
	"application/pgp-signature": ".asc", "message/delivery-status": ".txt",
}

func defaultName(n int, ctype string) string {
	return fmt.Sprintf("part-%d%s", n, extByType[ctype])
}

func truncateUTF8(s string, n int) string {
	if n >= len(s) {
		return s
	}
	for n > 0 && n < len(s) && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}
