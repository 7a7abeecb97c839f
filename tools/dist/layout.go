package main

import (
	"debug/elf"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// placed is one file of the Linux install, at its path under the prefix
// (/usr in the .deb, the archive's folder in the .tar.gz).
type placed struct {
	Src  string
	Dst  string // relative to the prefix: bin/servicedesk
	Mode fs.FileMode
}

// linuxLayout is where the binary and build/linux's launcher and icons go:
// the freedesktop places, so menus and icon themes find them.
func linuxLayout(binary, assets string) ([]placed, error) {
	if err := checkLinuxBinary(binary); err != nil {
		return nil, err
	}
	out := []placed{
		{Src: binary, Dst: "bin/servicedesk", Mode: 0o755},
		{Src: filepath.Join(assets, "servicedesk.desktop"), Dst: "share/applications/servicedesk.desktop", Mode: 0o644},
	}
	icons := filepath.Join(assets, "icons")
	err := filepath.WalkDir(icons, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(icons, path)
		if err != nil {
			return err
		}
		out = append(out, placed{Src: path, Dst: "share/icons/" + filepath.ToSlash(rel), Mode: 0o644})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("the icons in %s: %w", icons, err)
	}
	for _, p := range out {
		if _, err := os.Stat(p.Src); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// checkLinuxBinary refuses to package anything but an x86-64 Linux program
// (a Windows .exe or a macOS binary picked up by mistake).
func checkLinuxBinary(path string) error {
	f, err := elf.Open(path)
	if err != nil {
		return fmt.Errorf("%s is not a Linux program: %w", path, err)
	}
	defer f.Close()
	if f.Machine != elf.EM_X86_64 {
		return fmt.Errorf("%s is built for %s, not amd64", path, f.Machine)
	}
	return nil
}

// runtimeDepends maps the shared libraries the binary links to the Debian
// packages that hold them: the runtime packages, never the -dev ones that
// only the build needs. The t64 names are Debian 13's and Ubuntu 24.04's.
var runtimeDepends = map[string]string{
	"libwebkit2gtk-4.1.so.0":        "libwebkit2gtk-4.1-0",
	"libjavascriptcoregtk-4.1.so.0": "libjavascriptcoregtk-4.1-0",
	"libgtk-3.so.0":                 "libgtk-3-0t64 | libgtk-3-0",
	"libgdk-3.so.0":                 "libgtk-3-0t64 | libgtk-3-0",
	"libgdk_pixbuf-2.0.so.0":        "libgdk-pixbuf-2.0-0",
	"libsoup-3.0.so.0":              "libsoup-3.0-0",
	"libglib-2.0.so.0":              "libglib2.0-0t64 | libglib2.0-0",
	"libgio-2.0.so.0":               "libglib2.0-0t64 | libglib2.0-0",
	"libgobject-2.0.so.0":           "libglib2.0-0t64 | libglib2.0-0",
	"libc.so.6":                     "libc6",
}

// debDepends reads the libraries the binary links and the newest glibc
// symbol version it uses, and returns its Depends. A library missing from
// runtimeDepends is an error, so a new link is never shipped unmet.
func debDepends(binary string) ([]string, error) {
	f, err := elf.Open(binary)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	libs, err := f.ImportedLibraries()
	if err != nil {
		return nil, fmt.Errorf("%s: the libraries it links: %w", binary, err)
	}
	if len(libs) == 0 {
		return nil, fmt.Errorf("%s links no shared library: the WebKitGTK window needs cgo", binary)
	}
	glibc, err := newestGlibc(f)
	if err != nil {
		return nil, err
	}
	var deps []string
	for _, lib := range libs {
		dep, ok := runtimeDepends[lib]
		if !ok {
			return nil, fmt.Errorf("%s links %s, which has no Debian package in tools/dist/layout.go (runtimeDepends)", binary, lib)
		}
		if lib == "libc.so.6" && glibc != "" {
			dep = fmt.Sprintf("libc6 (>= %s)", glibc)
		}
		if !slices.Contains(deps, dep) {
			deps = append(deps, dep)
		}
	}
	slices.Sort(deps)
	return deps, nil
}

// newestGlibc is the highest GLIBC_x.y among the binary's symbol versions:
// the oldest C library it runs with.
func newestGlibc(f *elf.File) (string, error) {
	syms, err := f.ImportedSymbols()
	if err != nil {
		return "", fmt.Errorf("the symbols it imports: %w", err)
	}
	best := ""
	for _, s := range syms {
		v, ok := strings.CutPrefix(s.Version, "GLIBC_")
		if ok && (best == "" || versionLess(best, v)) {
			best = v
		}
	}
	return best, nil
}

// versionLess compares dotted numbers: 2.9 < 2.34.
func versionLess(a, b string) bool {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := range max(len(as), len(bs)) {
		var x, y int // a missing or odd part counts as 0
		if i < len(as) {
			x, _ = strconv.Atoi(as[i])
		}
		if i < len(bs) {
			y, _ = strconv.Atoi(bs[i])
		}
		if x != y {
			return x < y
		}
	}
	return false
}

// project is what wails.json says about the app, for package metadata.
type project struct {
	Name   string `json:"name"`
	Author struct {
		Name  string `json:"name"`
		Email string `json:"email"`
	} `json:"author"`
	Info struct {
		CompanyName string `json:"companyName"`
		ProductName string `json:"productName"`
		Comments    string `json:"comments"`
	} `json:"info"`
}

func readProject(path string) (project, error) {
	var p project
	b, err := os.ReadFile(path)
	if err != nil {
		return p, err
	}
	if err := json.Unmarshal(b, &p); err != nil {
		return p, fmt.Errorf("%s: %w", path, err)
	}
	if p.Name == "" || p.Info.ProductName == "" {
		return p, fmt.Errorf("%s: name or info.productName is empty", path)
	}
	return p, nil
}

// maintainer is "Name <email>" as Debian wants it, from wails.json's author.
func (p project) maintainer() string {
	if p.Author.Email == "" {
		return p.Author.Name
	}
	return fmt.Sprintf("%s <%s>", p.Author.Name, p.Author.Email)
}
