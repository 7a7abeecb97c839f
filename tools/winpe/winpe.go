// Package winpe reads what a Windows executable carries besides its code:
// the header facts an installer or a user relies on (machine, PE32 or PE32+,
// GUI or console) and the resource section (icons, version information,
// manifest). It only reads; writing resources is left to Wails (tc-hib/winres)
// and makensis, so a check built on this package does not share their code.
package winpe

import (
	"debug/pe"
	"encoding/binary"
	"errors"
	"fmt"
	"unicode/utf16"
)

// Resource types (winuser.h).
const (
	TypeIcon      = 3  // RT_ICON: one image of an icon
	TypeGroupIcon = 14 // RT_GROUP_ICON: the icon directory that names its images
	TypeVersion   = 16 // RT_VERSION: VS_VERSION_INFO
	TypeManifest  = 24 // RT_MANIFEST: the application manifest
)

// Resource is one leaf of the resource tree: a type, a name and a language.
type Resource struct {
	Type uint32 // an RT_ constant (types named by string are skipped)
	ID   uint32 // the resource's numeric ID; 0 when it is named
	Name string // the resource's name when it has one instead of an ID
	Lang uint32
	Data []byte
}

// File is what Read found in an executable.
type File struct {
	Machine   uint16 // pe.IMAGE_FILE_MACHINE_AMD64, pe.IMAGE_FILE_MACHINE_I386, …
	PE32Plus  bool   // a 64-bit image (PE32+)
	Subsystem uint16 // pe.IMAGE_SUBSYSTEM_WINDOWS_GUI, …_CUI, …
	Resources []Resource
}

// Read opens the executable at path and reads its headers and resources.
func Read(path string) (*File, error) {
	f, err := pe.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read %s as a PE file: %w", path, err)
	}
	defer f.Close()
	out := &File{Machine: f.FileHeader.Machine}
	var dir pe.DataDirectory
	switch h := f.OptionalHeader.(type) {
	case *pe.OptionalHeader64:
		out.PE32Plus, out.Subsystem = true, h.Subsystem
		if h.NumberOfRvaAndSizes > pe.IMAGE_DIRECTORY_ENTRY_RESOURCE {
			dir = h.DataDirectory[pe.IMAGE_DIRECTORY_ENTRY_RESOURCE]
		}
	case *pe.OptionalHeader32:
		out.Subsystem = h.Subsystem
		if h.NumberOfRvaAndSizes > pe.IMAGE_DIRECTORY_ENTRY_RESOURCE {
			dir = h.DataDirectory[pe.IMAGE_DIRECTORY_ENTRY_RESOURCE]
		}
	default:
		return nil, fmt.Errorf("%s has no optional header: not an executable image", path)
	}
	if dir.VirtualAddress == 0 || dir.Size == 0 {
		return out, nil // no resources at all
	}
	sec := sectionAt(f, dir.VirtualAddress)
	if sec == nil {
		return nil, fmt.Errorf("%s: the resource directory (RVA %#x) is in no section", path, dir.VirtualAddress)
	}
	data, err := sec.Data()
	if err != nil {
		return nil, fmt.Errorf("%s: read section %s: %w", path, sec.Name, err)
	}
	r := &rsrc{data: data, base: sec.VirtualAddress, root: dir.VirtualAddress - sec.VirtualAddress}
	if out.Resources, err = r.walk(); err != nil {
		return nil, fmt.Errorf("%s: resource section: %w", path, err)
	}
	return out, nil
}

// Find returns the resources of one type, in the order of the tree.
func (f *File) Find(typ uint32) []Resource {
	var out []Resource
	for _, r := range f.Resources {
		if r.Type == typ {
			out = append(out, r)
		}
	}
	return out
}

// Icon returns the RT_ICON resource with this ID.
func (f *File) Icon(id uint32) (Resource, bool) {
	for _, r := range f.Resources {
		if r.Type == TypeIcon && r.Name == "" && r.ID == id {
			return r, true
		}
	}
	return Resource{}, false
}

func sectionAt(f *pe.File, rva uint32) *pe.Section {
	for _, s := range f.Sections {
		size := max(s.VirtualSize, s.Size)
		if rva >= s.VirtualAddress && rva < s.VirtualAddress+size {
			return s
		}
	}
	return nil
}

// rsrc walks an IMAGE_RESOURCE_DIRECTORY tree: type, then name, then
// language. Offsets inside the tree are from its root; the data entries'
// offsets are RVAs.
type rsrc struct {
	data []byte
	base uint32 // the section's RVA
	root uint32 // the tree's offset in data
}

var errTruncated = errors.New("truncated")

// entry is one IMAGE_RESOURCE_DIRECTORY_ENTRY.
type entry struct {
	id     uint32
	name   string // set when the entry is named
	offset uint32 // of a subdirectory (dir) or a data entry
	dir    bool
}

func (r *rsrc) entries(off uint32) ([]entry, error) {
	p := r.root + off
	if uint64(p)+16 > uint64(len(r.data)) {
		return nil, fmt.Errorf("directory at %#x: %w", off, errTruncated)
	}
	named := int(binary.LittleEndian.Uint16(r.data[p+12:]))
	ids := int(binary.LittleEndian.Uint16(r.data[p+14:]))
	out := make([]entry, 0, named+ids)
	for i := range named + ids {
		q := uint64(p) + 16 + uint64(i)*8
		if q+8 > uint64(len(r.data)) {
			return nil, fmt.Errorf("directory at %#x, entry %d: %w", off, i, errTruncated)
		}
		nameField := binary.LittleEndian.Uint32(r.data[q:])
		target := binary.LittleEndian.Uint32(r.data[q+4:])
		e := entry{offset: target &^ (1 << 31), dir: target&(1<<31) != 0}
		if nameField&(1<<31) != 0 {
			name, err := r.name(nameField &^ (1 << 31))
			if err != nil {
				return nil, err
			}
			e.name = name
		} else {
			e.id = nameField
		}
		out = append(out, e)
	}
	return out, nil
}

// name reads an IMAGE_RESOURCE_DIR_STRING_U: a length, then UTF-16.
func (r *rsrc) name(off uint32) (string, error) {
	p := uint64(r.root) + uint64(off)
	if p+2 > uint64(len(r.data)) {
		return "", fmt.Errorf("name at %#x: %w", off, errTruncated)
	}
	n := uint64(binary.LittleEndian.Uint16(r.data[p:]))
	if p+2+2*n > uint64(len(r.data)) {
		return "", fmt.Errorf("name at %#x: %w", off, errTruncated)
	}
	return decodeUTF16(r.data[p+2 : p+2+2*n]), nil
}

// leaf reads an IMAGE_RESOURCE_DATA_ENTRY and the bytes it points at.
func (r *rsrc) leaf(off uint32) ([]byte, error) {
	p := uint64(r.root) + uint64(off)
	if p+16 > uint64(len(r.data)) {
		return nil, fmt.Errorf("data entry at %#x: %w", off, errTruncated)
	}
	rva := binary.LittleEndian.Uint32(r.data[p:])
	size := uint64(binary.LittleEndian.Uint32(r.data[p+4:]))
	if rva < r.base {
		return nil, fmt.Errorf("data entry at %#x points before the section", off)
	}
	start := uint64(rva - r.base)
	if start+size > uint64(len(r.data)) {
		return nil, fmt.Errorf("data entry at %#x (%d bytes at RVA %#x): %w", off, size, rva, errTruncated)
	}
	return r.data[start : start+size], nil
}

// walk reads the three levels of the tree into resources.
func (r *rsrc) walk() ([]Resource, error) {
	types, err := r.entries(0)
	if err != nil {
		return nil, err
	}
	var out []Resource
	for _, t := range types {
		if !t.dir || t.name != "" {
			continue // a named type is not one of the standard RT_ kinds
		}
		names, err := r.entries(t.offset)
		if err != nil {
			return nil, err
		}
		for _, n := range names {
			if !n.dir {
				return nil, fmt.Errorf("type %d: a name entry that is not a directory", t.id)
			}
			langs, err := r.entries(n.offset)
			if err != nil {
				return nil, err
			}
			for _, l := range langs {
				if l.dir {
					return nil, fmt.Errorf("type %d: a fourth level in the tree", t.id)
				}
				data, err := r.leaf(l.offset)
				if err != nil {
					return nil, err
				}
				out = append(out, Resource{Type: t.id, ID: n.id, Name: n.name, Lang: l.id, Data: data})
			}
		}
	}
	return out, nil
}

func decodeUTF16(b []byte) string {
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(b[2*i:])
	}
	return string(utf16.Decode(u))
}
