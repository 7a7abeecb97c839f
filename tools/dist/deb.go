package main

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/goreleaser/nfpm/v2"
	"github.com/goreleaser/nfpm/v2/deb"
	"github.com/goreleaser/nfpm/v2/files"
)

// debSpec is what goes into the .deb.
type debSpec struct {
	Binary  string // the Linux amd64 binary
	Assets  string // build/linux: the .desktop file and icons/hicolor
	Project project
	Version Version
	MTime   time.Time // of every file, for a reproducible package
	Out     string    // the folder to write into
}

// buildDeb writes servicedesk_VERSION_amd64.deb with nfpm and returns its
// path. The package installs to /usr; dpkg's triggers of the icon theme and
// the desktop database pick up the icon and the launcher, so it needs no
// maintainer scripts.
func buildDeb(s debSpec) (string, error) {
	layout, err := linuxLayout(s.Binary, s.Assets)
	if err != nil {
		return "", err
	}
	depends, err := debDepends(s.Binary)
	if err != nil {
		return "", err
	}
	var contents files.Contents
	for _, p := range layout {
		contents = append(contents, &files.Content{
			Source:      p.Src,
			Destination: "/usr/" + p.Dst,
			FileInfo:    &files.ContentFileInfo{Mode: p.Mode, MTime: s.MTime, Owner: "root", Group: "root"},
		})
	}
	info := nfpm.WithDefaults(&nfpm.Info{
		Name:          s.Project.Name,
		Arch:          "amd64",
		Platform:      "linux",
		Version:       s.Version.Debian(),
		VersionSchema: "none", // Debian() is already a Debian version
		Section:       "net",
		Priority:      "optional",
		Maintainer:    s.Project.maintainer(),
		Vendor:        s.Project.Info.CompanyName,
		Description: s.Project.Info.ProductName + ": " + s.Project.Info.Comments + "\n" +
			"Keeps a local copy of a GitLab Service Desk queue so support agents can\n" +
			"read, search, triage and answer tickets, also offline. Secrets live in\n" +
			"the desktop's Secret Service (GNOME Keyring, KWallet).",
		MTime: s.MTime,
		Overridables: nfpm.Overridables{
			Depends:  depends,
			Suggests: []string{"gnome-keyring"},
			Contents: contents,
		},
	})
	if err := nfpm.Validate(info); err != nil {
		return "", fmt.Errorf("the package's description: %w", err)
	}
	path := filepath.Join(s.Out, deb.Default.ConventionalFileName(info))
	f, err := os.Create(path)
	if err != nil {
		return "", err
	}
	if err := deb.Default.Package(info, f); err != nil {
		f.Close()
		os.Remove(path)
		return "", fmt.Errorf("build %s: %w", filepath.Base(path), err)
	}
	return path, f.Close()
}
