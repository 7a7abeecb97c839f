package winpe

import (
	"encoding/binary"
	"fmt"
	"os"
)

// IconImage is one image of an icon: its size in pixels and its bytes (a
// PNG or a BMP without its file header, exactly as an .ico file stores it
// and as RT_ICON carries it).
type IconImage struct {
	Width, Height int
	BitCount      int
	ID            uint32 // in an icon group: the RT_ICON resource that holds the bytes
	Data          []byte // in an .ico file: the bytes; in a group: empty
}

// iconDir checks the 6-byte ICONDIR/GRPICONDIR header shared by .ico files
// and RT_GROUP_ICON and returns the number of entries.
func iconDir(b []byte, entrySize int) (int, error) {
	if len(b) < 6 {
		return 0, fmt.Errorf("icon directory: %w", errTruncated)
	}
	if r, t := binary.LittleEndian.Uint16(b), binary.LittleEndian.Uint16(b[2:]); r != 0 || t != 1 {
		return 0, fmt.Errorf("icon directory: reserved %d, type %d: not an icon (want 0 and 1)", r, t)
	}
	n := int(binary.LittleEndian.Uint16(b[4:]))
	if n == 0 {
		return 0, fmt.Errorf("icon directory: no images")
	}
	if 6+n*entrySize > len(b) {
		return 0, fmt.Errorf("icon directory of %d images: %w", n, errTruncated)
	}
	return n, nil
}

// pixels reads a width or height byte: 0 stands for 256.
func pixels(b byte) int {
	if b == 0 {
		return 256
	}
	return int(b)
}

// IconGroup parses an RT_GROUP_ICON resource: the images it names, each
// by the ID of the RT_ICON resource that holds it.
func IconGroup(data []byte) ([]IconImage, error) {
	n, err := iconDir(data, 14)
	if err != nil {
		return nil, err
	}
	out := make([]IconImage, n)
	for i := range out {
		e := data[6+14*i:]
		out[i] = IconImage{
			Width: pixels(e[0]), Height: pixels(e[1]),
			BitCount: int(binary.LittleEndian.Uint16(e[6:])),
			ID:       uint32(binary.LittleEndian.Uint16(e[12:])),
		}
	}
	return out, nil
}

// ReadICO reads an .ico file's images.
func ReadICO(path string) ([]IconImage, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	imgs, err := ParseICO(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return imgs, nil
}

// ParseICO parses the bytes of an .ico file.
func ParseICO(b []byte) ([]IconImage, error) {
	n, err := iconDir(b, 16)
	if err != nil {
		return nil, err
	}
	out := make([]IconImage, n)
	for i := range out {
		e := b[6+16*i:]
		size := uint64(binary.LittleEndian.Uint32(e[8:]))
		off := uint64(binary.LittleEndian.Uint32(e[12:]))
		if off+size > uint64(len(b)) {
			return nil, fmt.Errorf("image %d (%d bytes at %d): %w", i, size, off, errTruncated)
		}
		out[i] = IconImage{
			Width: pixels(e[0]), Height: pixels(e[1]),
			BitCount: int(binary.LittleEndian.Uint16(e[6:])),
			Data:     b[off : off+size],
		}
	}
	return out, nil
}
