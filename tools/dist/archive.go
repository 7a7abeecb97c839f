package main

import (
	"archive/tar"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// buildTarball writes servicedesk-VERSION-linux-amd64.tar.gz: one folder
// laid out like a prefix (bin/, share/applications/, share/icons/), so
// `tar -xzf … --strip-components=1 -C ~/.local` installs it for one user on
// any distribution. Owners are root and times fixed, for a reproducible file.
func buildTarball(binary, assets string, v Version, mtime time.Time, out string) (string, error) {
	layout, err := linuxLayout(binary, assets)
	if err != nil {
		return "", err
	}
	root := fmt.Sprintf("servicedesk-%s-linux-amd64", v.Describe)
	dst := filepath.Join(out, root+".tar.gz")
	f, err := os.Create(dst)
	if err != nil {
		return "", err
	}
	if err := writeTarball(f, root, layout, mtime); err != nil {
		f.Close()
		os.Remove(dst)
		return "", fmt.Errorf("write %s: %w", filepath.Base(dst), err)
	}
	return dst, f.Close()
}

func writeTarball(w io.Writer, root string, layout []placed, mtime time.Time) error {
	gz := gzip.NewWriter(w)
	tw := tar.NewWriter(gz)
	dirs := map[string]bool{}
	for _, p := range layout {
		// Parent folders first, once each, so extraction needs no guessing.
		for _, d := range parents(path.Join(root, p.Dst)) {
			if dirs[d] {
				continue
			}
			dirs[d] = true
			if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: d + "/", Mode: 0o755, ModTime: mtime, Uname: "root", Gname: "root"}); err != nil {
				return err
			}
		}
		if err := addFile(tw, p, path.Join(root, p.Dst), mtime); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return gz.Close()
}

// parents lists the folders above name, outermost first.
func parents(name string) []string {
	var out []string
	for d := path.Dir(name); d != "." && d != "/"; d = path.Dir(d) {
		out = append(out, d)
	}
	slices.Reverse(out)
	return out
}

func addFile(tw *tar.Writer, p placed, name string, mtime time.Time) error {
	f, err := os.Open(p.Src)
	if err != nil {
		return err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return err
	}
	hdr := &tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: int64(p.Mode), Size: info.Size(), ModTime: mtime, Uname: "root", Gname: "root"}
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	_, err = io.Copy(tw, f)
	return err
}

// sumsFile is the checksum list `sha256sum -c SHA256SUMS` reads.
const sumsFile = "SHA256SUMS"

// writeSums writes dir/SHA256SUMS: a line per file under dir (but itself),
// in name order, in sha256sum's text format.
func writeSums(dir string) error {
	var lines []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if rel == sumsFile {
			return nil
		}
		if strings.ContainsAny(rel, "\n\\") {
			return fmt.Errorf("%s: a name sha256sum would escape", rel)
		}
		sum, err := sha256File(p)
		if err != nil {
			return err
		}
		lines = append(lines, sum+"  "+rel+"\n")
		return nil
	})
	if err != nil {
		return err
	}
	if len(lines) == 0 {
		return fmt.Errorf("%s holds no file to sum", dir)
	}
	slices.SortFunc(lines, func(a, b string) int { return strings.Compare(a[66:], b[66:]) })
	return os.WriteFile(filepath.Join(dir, sumsFile), []byte(strings.Join(lines, "")), 0o644)
}

func sha256File(p string) (string, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
