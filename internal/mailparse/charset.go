package mailparse

import (
	"io"
	"strings"
	"unicode/utf8"

	gmcharset "github.com/emersion/go-message/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/ianaindex"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// utf8Labels are labels whose bytes are taken as UTF-8 (with a Windows-1252
// fallback for stray bytes).
var utf8Labels = map[string]bool{
	"": true, "utf-8": true, "utf8": true, "us-ascii": true, "ascii": true, "ansi_x3.4-1968": true,
	"unicode-1-1-utf-8": true, "x-unknown": true, "unknown-8bit": true, "unknown": true, "default": true,
}

// guesses are tried, in order, when bytes labelled as a single-byte charset
// decode to C1 control characters: the label was wrong.
var guesses = []encoding.Encoding{
	japanese.ShiftJIS, japanese.EUCJP, simplifiedchinese.GBK, korean.EUCKR, traditionalchinese.Big5,
}

// decodeCharset converts b from the named charset to UTF-8. It never fails:
// unknown labels and illegal bytes give readable text (U+FFFD at worst), and
// ok reports whether the label was known.
func decodeCharset(label string, b []byte) (s string, ok bool) {
	label = strings.ToLower(strings.Trim(strings.TrimSpace(label), `"'`))
	if utf8Labels[label] {
		return lenientUTF8(b), true
	}
	enc := lookupCharset(label)
	if enc == nil {
		if r, err := gmcharset.Reader(label, strings.NewReader(string(b))); err == nil {
			if out, err := io.ReadAll(r); err == nil {
				return lenientUTF8(out), true
			}
		}
		return lenientUTF8(b), false
	}
	if isPlainASCII(b) && asciiCompatible(label) {
		return string(b), true
	}
	_, singleByte := enc.(*charmap.Charmap)
	if singleByte && utf8.Valid(b) {
		return string(b), true // UTF-8 mislabelled as Latin-1 and friends
	}
	out, err := enc.NewDecoder().Bytes(b)
	if err != nil {
		return lenientUTF8(b), true
	}
	s = lenientUTF8(out)
	if singleByte && (hasC1(s) || strings.ContainsRune(s, utf8.RuneError)) {
		for _, g := range guesses {
			if gs, err := g.NewDecoder().Bytes(b); err == nil && utf8.Valid(gs) &&
				!strings.ContainsRune(string(gs), utf8.RuneError) && !hasC1(string(gs)) {
				return string(gs), true
			}
		}
		s = strings.Map(func(r rune) rune {
			if r >= 0x80 && r <= 0x9f {
				return utf8.RuneError
			}
			return r
		}, s)
	}
	return s, true
}

func lookupCharset(label string) encoding.Encoding {
	switch label {
	case "iso-8859-1", "latin1", "iso8859-1", "iso_8859-1", "l1", "cp819":
		return charmap.Windows1252 // as browsers do: a superset in practice
	case "gb2312", "euc-cn", "x-gbk", "cp936":
		return simplifiedchinese.GBK
	case "shift-jis", "sjis", "x-sjis", "ms_kanji", "cp932", "windows-31j":
		return japanese.ShiftJIS
	}
	if e, err := htmlindex.Get(label); err == nil && e != nil {
		if e == encoding.Replacement {
			return nil
		}
		return e
	}
	if e, err := ianaindex.MIME.Encoding(label); err == nil && e != nil {
		return e
	}
	return nil
}

func asciiCompatible(label string) bool {
	return !strings.Contains(label, "2022") && !strings.Contains(label, "utf-7") &&
		!strings.Contains(label, "utf-16") && !strings.Contains(label, "utf-32") &&
		!strings.Contains(label, "hz")
}

func isPlainASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

func hasC1(s string) bool {
	for _, r := range s {
		if r >= 0x80 && r <= 0x9f {
			return true
		}
	}
	return false
}

// lenientUTF8 keeps valid UTF-8 and reads each stray byte as Windows-1252
// (U+FFFD where that has no character).
func lenientUTF8(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	var sb strings.Builder
	sb.Grow(len(b) + 8)
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if r == utf8.RuneError && n <= 1 {
			d := charmap.Windows1252.DecodeByte(b[0])
			if d >= 0x80 && d <= 0x9f {
				d = utf8.RuneError
			}
			sb.WriteRune(d)
			b = b[1:]
			continue
		}
		sb.Write(b[:n])
		b = b[n:]
	}
	return sb.String()
}
