package winpe

import (
	"encoding/binary"
	"fmt"
)

// VersionInfo is a VS_VERSION_INFO resource: the fixed numeric versions
// and the string tables (Properties → Details in Explorer).
type VersionInfo struct {
	FileVersion    [4]uint16
	ProductVersion [4]uint16
	// Strings holds each StringTable by its key ("040904b0": language and
	// code page in hex), each a map of names such as "ProductVersion".
	Strings map[string]map[string]string
}

// fixedSignature opens a VS_FIXEDFILEINFO.
const fixedSignature = 0xFEEF04BD

// String returns a value from the first string table that has it.
func (v VersionInfo) String(key string) (string, bool) {
	for _, t := range v.Strings {
		if s, ok := t[key]; ok {
			return s, true
		}
	}
	return "", false
}

// FormatVersion writes a four-part version as Windows shows it: 1.2.3.4.
func FormatVersion(v [4]uint16) string {
	return fmt.Sprintf("%d.%d.%d.%d", v[0], v[1], v[2], v[3])
}

// node is one block of the version resource: wLength, wValueLength, wType,
// a NUL-terminated UTF-16 key, padding to 32 bits, the value, padding, and
// the children up to wLength.
type node struct {
	key      string
	text     bool // wType 1: the value is UTF-16 text
	value    []byte
	children []byte
}

func readNode(b []byte) (node, int, error) {
	if len(b) < 6 {
		return node{}, 0, fmt.Errorf("version block header: %w", errTruncated)
	}
	length := int(binary.LittleEndian.Uint16(b))
	valueLen := int(binary.LittleEndian.Uint16(b[2:]))
	n := node{text: binary.LittleEndian.Uint16(b[4:]) == 1}
	if length < 6 || length > len(b) {
		return node{}, 0, fmt.Errorf("version block of %d bytes in %d: %w", length, len(b), errTruncated)
	}
	b = b[:length]
	p := 6
	for {
		if p+2 > len(b) {
			return node{}, 0, fmt.Errorf("version block key: %w", errTruncated)
		}
		if binary.LittleEndian.Uint16(b[p:]) == 0 {
			n.key = decodeUTF16(b[6:p])
			p += 2
			break
		}
		p += 2
	}
	p = min(align4(p), len(b)) // a block may end right after its key
	if n.text {
		valueLen *= 2 // counted in characters, with the NUL
		// Some writers count bytes instead: keep what the block holds.
		valueLen = min(valueLen, len(b)-p)
	}
	if p+valueLen > len(b) {
		return node{}, 0, fmt.Errorf("version block %q value: %w", n.key, errTruncated)
	}
	n.value = b[p : p+valueLen]
	p = align4(p + valueLen)
	if p < len(b) {
		n.children = b[p:]
	}
	return n, align4(length), nil
}

func align4(p int) int { return (p + 3) &^ 3 }

// eachChild calls fn for every block in b.
func eachChild(b []byte, fn func(node) error) error {
	for len(b) > 0 {
		n, used, err := readNode(b)
		if err != nil {
			return err
		}
		if err := fn(n); err != nil {
			return err
		}
		if used >= len(b) {
			break
		}
		b = b[used:]
	}
	return nil
}

// ParseVersionInfo parses an RT_VERSION resource.
func ParseVersionInfo(data []byte) (VersionInfo, error) {
	root, _, err := readNode(data)
	if err != nil {
		return VersionInfo{}, err
	}
	if root.key != "VS_VERSION_INFO" {
		return VersionInfo{}, fmt.Errorf("version resource starts with %q, not VS_VERSION_INFO", root.key)
	}
	if len(root.value) < 52 || binary.LittleEndian.Uint32(root.value) != fixedSignature {
		return VersionInfo{}, fmt.Errorf("VS_VERSION_INFO has no VS_FIXEDFILEINFO (signature 0xFEEF04BD)")
	}
	fixed := root.value
	v := VersionInfo{
		FileVersion:    split(binary.LittleEndian.Uint32(fixed[8:]), binary.LittleEndian.Uint32(fixed[12:])),
		ProductVersion: split(binary.LittleEndian.Uint32(fixed[16:]), binary.LittleEndian.Uint32(fixed[20:])),
		Strings:        map[string]map[string]string{},
	}
	err = eachChild(root.children, func(c node) error {
		if c.key != "StringFileInfo" {
			return nil // VarFileInfo: the translations, not needed
		}
		return eachChild(c.children, func(table node) error {
			values := map[string]string{}
			v.Strings[table.key] = values
			return eachChild(table.children, func(s node) error {
				values[s.key] = trimNUL(decodeUTF16(s.value))
				return nil
			})
		})
	})
	return v, err
}

func split(ms, ls uint32) [4]uint16 {
	return [4]uint16{uint16(ms >> 16), uint16(ms), uint16(ls >> 16), uint16(ls)}
}

func trimNUL(s string) string {
	for len(s) > 0 && s[len(s)-1] == 0 {
		s = s[:len(s)-1]
	}
	return s
}
