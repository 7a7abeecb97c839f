package mailparse

import (
	"bufio"
	"encoding/base64"
	"errors"
	"io"
	"strings"
	"sync"
)

// transferDecoder undoes a Content-Transfer-Encoding leniently: stray "=" in
// quoted-printable stays literal, junk in base64 is skipped. ok is false for
// an encoding it does not know (the body is then passed through).
func transferDecoder(enc string, r io.Reader) (io.Reader, bool) {
	switch strings.ToLower(strings.TrimSpace(enc)) {
	case "quoted-printable":
		return &qpReader{br: bufio.NewReaderSize(r, 16<<10)}, true
	case "base64":
		return &base64Reader{dec: base64.NewDecoder(base64.RawStdEncoding, &b64Filter{r: r})}, true
	case "", "7bit", "8bit", "binary", "7-bit", "8-bit":
		return r, true
	default:
		return r, false
	}
}

// qpReader decodes quoted-printable without ever failing on bad input.
type qpReader struct {
	br  *bufio.Reader
	out []byte
	err error
}

func (q *qpReader) Read(p []byte) (int, error) {
	for len(q.out) == 0 {
		if q.err != nil {
			return 0, q.err
		}
		line, err := q.br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			q.out = decodeQPChunk(q.out[:0], line)
			continue
		}
		q.err = err
		q.out = decodeQPLine(q.out[:0], line)
	}
	n := copy(p, q.out)
	q.out = q.out[n:]
	return n, nil
}

// decodeQPLine decodes one line (with its line ending, if any).
func decodeQPLine(dst, line []byte) []byte {
	nl := ""
	switch {
	case len(line) >= 2 && line[len(line)-2] == '\r' && line[len(line)-1] == '\n':
		nl, line = "\r\n", line[:len(line)-2]
	case len(line) >= 1 && line[len(line)-1] == '\n':
		nl, line = "\n", line[:len(line)-1]
	}
	for len(line) > 0 && (line[len(line)-1] == ' ' || line[len(line)-1] == '\t' || line[len(line)-1] == '\r') {
		line = line[:len(line)-1]
	}
	if len(line) > 0 && line[len(line)-1] == '=' {
		return decodeQPChunk(dst, line[:len(line)-1]) // soft line break
	}
	dst = decodeQPChunk(dst, line)
	return append(dst, nl...)
}

func decodeQPChunk(dst, s []byte) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '=' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			dst = append(dst, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
			continue
		}
		dst = append(dst, c)
	}
	return dst
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

// b64Alphabet is 1 for the bytes of the base64 alphabet (padding
// excluded) and 0 for the rest, so filtering and counting need no branch.
var b64Alphabet = func() (t [256]uint8) {
	for _, c := range "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/" {
		t[c] = 1
	}
	return t
}()

// b64Filter passes only base64 alphabet bytes; padding is dropped so a raw
// decoder can read bodies with padding in odd places.
type b64Filter struct {
	r io.Reader
}

func (f *b64Filter) Read(p []byte) (int, error) {
	for {
		n, err := f.r.Read(p)
		j := 0
		for _, c := range p[:n] {
			p[j] = c
			j += int(b64Alphabet[c])
		}
		if j > 0 || err != nil {
			return j, err
		}
	}
}

// decodedSize counts the bytes a transfer-encoded body decodes to without
// keeping them: base64 by its alphabet characters (as the lenient decoder
// reads them), quoted-printable by decoding, anything else as is.
func decodedSize(enc string, r io.Reader) (int64, error) {
	if strings.ToLower(strings.TrimSpace(enc)) != "base64" {
		dec, _ := transferDecoder(enc, r)
		return io.Copy(io.Discard, dec)
	}
	buf := sizeBuffers.Get().(*[]byte)
	defer sizeBuffers.Put(buf)
	var chars int64
	for {
		n, err := r.Read(*buf)
		for _, c := range (*buf)[:n] {
			chars += int64(b64Alphabet[c])
		}
		if err == io.EOF {
			return chars * 6 / 8, nil
		}
		if err != nil {
			return chars * 6 / 8, err
		}
	}
}

var sizeBuffers = sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}

// base64Reader turns a damaged tail (a lone final character) into EOF.
type base64Reader struct {
	dec io.Reader
}

func (b *base64Reader) Read(p []byte) (int, error) {
	n, err := b.dec.Read(p)
	var corrupt base64.CorruptInputError
	if errors.As(err, &corrupt) {
		err = io.EOF
	}
	return n, err
}
