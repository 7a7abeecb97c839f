package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// stageTree copies the work tree (tracked files and new files git does not
// ignore, as they are now) from repo into dir, and hard-links the installed
// frontend/node_modules into it. Wails then builds in dir: it writes its
// .syso, the NSIS include and the WebView2 bootstrapper there, never into
// the agent's tree, and a concurrent `go build` in the tree is unaffected.
func stageTree(repo, dir string) error {
	if _, err := os.Stat(filepath.Join(repo, "frontend", "node_modules")); err != nil {
		return fmt.Errorf("frontend/node_modules is missing: run `make frontend` first: %w", err)
	}
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	cmd := exec.Command("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	cmd.Dir = repo
	out, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("list the work tree's files (git ls-files): %w", err)
	}
	for _, name := range strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00") {
		src := filepath.Join(repo, name)
		info, err := os.Lstat(src)
		if errors.Is(err, fs.ErrNotExist) {
			continue // deleted in the work tree but not yet in the index
		}
		if err != nil {
			return err
		}
		if err := place(src, filepath.Join(dir, name), info, copyFile); err != nil {
			return fmt.Errorf("stage %s: %w", name, err)
		}
	}
	return linkTree(filepath.Join(repo, "frontend", "node_modules"), filepath.Join(dir, "frontend", "node_modules"))
}

// linkTree recreates src at dst with hard links (a copy where the file
// system cannot link), keeping symbolic links as they are.
func linkTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		return place(path, target, info, func(src, dst string, mode fs.FileMode) error {
			if os.Link(src, dst) == nil {
				return nil
			}
			return copyFile(src, dst, mode)
		})
	})
}

// place puts one file or symbolic link at dst with put.
func place(src, dst string, info fs.FileInfo, put func(src, dst string, mode fs.FileMode) error) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	switch {
	case info.Mode()&fs.ModeSymlink != 0:
		link, err := os.Readlink(src)
		if err != nil {
			return err
		}
		return os.Symlink(link, dst)
	case info.Mode().IsRegular():
		return put(src, dst, info.Mode().Perm())
	}
	return nil // a submodule or a socket: nothing to build from
}

func copyFile(src, dst string, mode fs.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, mode)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// stampVersion writes the version into the staged tree. wails.json's
// info.productVersion becomes MAJOR.MINOR.PATCH: Wails' templates put it in
// the Windows manifest, the NSIS installer and Info.plist, which want
// numbers. build/windows/info.json gets the four-part file version and,
// as the ProductVersion string, what git describe said, so Properties →
// Details names the exact build. The rest stays template for Wails.
func stampVersion(dir string, v Version) error {
	if err := editJSON(filepath.Join(dir, "wails.json"), func(doc map[string]any) error {
		info, ok := doc["info"].(map[string]any)
		if !ok {
			return errors.New(`no "info" object`)
		}
		info["productVersion"] = v.Numeric()
		return nil
	}); err != nil {
		return err
	}
	return editJSON(filepath.Join(dir, "build", "windows", "info.json"), func(doc map[string]any) error {
		fixed, ok := doc["fixed"].(map[string]any)
		if !ok {
			return errors.New(`no "fixed" object`)
		}
		fixed["file_version"] = v.Windows()
		tables, ok := doc["info"].(map[string]any)
		if !ok || len(tables) == 0 {
			return errors.New(`no "info" string table`)
		}
		for lang, t := range tables {
			table, ok := t.(map[string]any)
			if !ok {
				return fmt.Errorf("string table %q is not an object", lang)
			}
			table["ProductVersion"] = v.Describe
			table["FileVersion"] = v.Windows()
		}
		return nil
	})
}

// editJSON rewrites a JSON object file through edit. Keys come out sorted:
// the file is a staged copy, read only by Wails.
func editJSON(path string, edit func(map[string]any) error) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := edit(doc); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false) // a copyright line may hold & or <
	enc.SetIndent("", "\t")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	return os.WriteFile(path, out.Bytes(), 0o644)
}
